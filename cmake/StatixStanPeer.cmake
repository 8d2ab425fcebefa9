# Stan as a benchmark peer, never a dependency of the library: where
# StanHeaders (r-cran-stanheaders) is, and how a C++14 shared library of Stan
# code is built beside the C++20 benchmarks. Included by the benchmark
# folders that compare with Stan's services (nuts/, inference/).
#
# StanHeaders holds Stan Math in include/ and the stan library (models, io,
# services, NUTS) in include/src/; Stan Math 3.0 compiles against the Eigen
# 3.3.9 of RcppEigen, not the system Eigen 3.4. Boost is Boost 1.81, the one
# Statix uses (checked to compile the services); STATIX_STAN_BOOST_INCLUDE_DIR
# points at another copy if needed (r-cran-bh: /usr/lib/R/site-library/BH/include).
# No include guard: each benchmark folder that includes it sets
# STATIX_HAVE_STAN_SERVICES in its own scope (the searches are cached).

find_path(STATIX_STAN_MATH_INCLUDE_DIR stan/math.hpp
          HINTS /usr/lib/R/site-library/StanHeaders/include
                /usr/local/lib/R/site-library/StanHeaders/include)
find_path(STATIX_STAN_SERVICES_INCLUDE_DIR stan/services/sample/hmc_nuts_diag_e_adapt.hpp
          HINTS "${STATIX_STAN_MATH_INCLUDE_DIR}/src"
                /usr/lib/R/site-library/StanHeaders/include/src
                /usr/local/lib/R/site-library/StanHeaders/include/src
          NO_DEFAULT_PATH)
find_path(STATIX_STAN_EIGEN_INCLUDE_DIR Eigen/Core
          HINTS /usr/lib/R/site-library/RcppEigen/include
                /usr/local/lib/R/site-library/RcppEigen/include
          NO_DEFAULT_PATH)
set(STATIX_STAN_BOOST_INCLUDE_DIR "" CACHE PATH
    "Boost headers for the Stan benchmark peer (empty: the project's Boost)")
mark_as_advanced(STATIX_STAN_MATH_INCLUDE_DIR STATIX_STAN_SERVICES_INCLUDE_DIR
                 STATIX_STAN_EIGEN_INCLUDE_DIR)

set(STATIX_HAVE_STAN_SERVICES FALSE)
if(STATIX_STAN_MATH_INCLUDE_DIR AND STATIX_STAN_SERVICES_INCLUDE_DIR AND
   STATIX_STAN_EIGEN_INCLUDE_DIR)
  set(STATIX_HAVE_STAN_SERVICES TRUE)
endif()

# statix_stan_library(<name> [SERVICES] <sources>...): Stan's side as C++14
# in a shared library with hidden symbols, so that its Eigen 3.3 and C++14
# instantiations never merge with the C++20 side's; only what its sources
# export is visible. SERVICES adds the stan library (models, services) with
# the warnings its stanc-style model classes need silenced.
function(statix_stan_library name)
  cmake_parse_arguments(arg "SERVICES" "" "" ${ARGN})
  if(NOT TARGET Boost::headers)
    find_package(Boost 1.81 REQUIRED)
  endif()
  add_library(${name} SHARED ${arg_UNPARSED_ARGUMENTS})
  set_target_properties(${name} PROPERTIES
    CXX_STANDARD 14
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  set(includes "${STATIX_STAN_MATH_INCLUDE_DIR}")
  set(warnings -Wall -Wextra)
  if(arg_SERVICES)
    list(APPEND includes "${STATIX_STAN_SERVICES_INCLUDE_DIR}")
    # The model classes keep the signatures stanc generates, unused
    # parameters included.
    list(APPEND warnings -Wno-unused-parameter)
  endif()
  list(APPEND includes "${STATIX_STAN_EIGEN_INCLUDE_DIR}")
  list(APPEND warnings -Wno-ignored-attributes -Wno-deprecated-declarations)
  target_include_directories(${name} SYSTEM PRIVATE ${includes})
  if(STATIX_STAN_BOOST_INCLUDE_DIR)
    target_include_directories(${name} SYSTEM BEFORE PRIVATE "${STATIX_STAN_BOOST_INCLUDE_DIR}")
  else()
    target_link_libraries(${name} PRIVATE Boost::headers)
  endif()
  target_compile_definitions(${name} PRIVATE
    BOOST_RESULT_OF_USE_TR1 BOOST_NO_DECLTYPE BOOST_DISABLE_ASSERTS _REENTRANT)
  target_compile_options(${name} PRIVATE $<$<CXX_COMPILER_ID:GNU,Clang>:${warnings}>)
endfunction()

# The project's warnings on a benchmark executable, or the usual ones when the
# folder is configured on its own against an installed Statix.
function(statix_benchmark_warnings target)
  if(TARGET statix_warnings)
    target_link_libraries(${target} PRIVATE statix_warnings)
  else()
    target_compile_options(${target} PRIVATE
      $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic>)
  endif()
endfunction()
