# Install test driver (cmake -P), run by CTest: configures, builds and runs
# tests/install/consumer against Statix in MODE find_package (installed into
# WORK_DIR/prefix first) or add_subdirectory (STATIX_SOURCE_DIR).
cmake_minimum_required(VERSION 3.25)

set(consumer_source "${STATIX_SOURCE_DIR}/tests/install/consumer")
set(consumer_build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed (${result}):\n${output}")
  endif()
  message(STATUS "${what}: ok")
  set(step_output "${output}" PARENT_SCOPE)
endfunction()

set(config_args)
set(build_type Release)
if(CONFIG)
  set(config_args --config "${CONFIG}")
  set(build_type "${CONFIG}")
endif()
set(configure_args -G "${GENERATOR}" -D "CMAKE_CXX_COMPILER=${CXX_COMPILER}"
                   -D "CMAKE_BUILD_TYPE=${build_type}")
if(COMPILER_LAUNCHER)
  list(APPEND configure_args -D "CMAKE_CXX_COMPILER_LAUNCHER=${COMPILER_LAUNCHER}")
endif()

if(MODE STREQUAL "find_package")
  set(prefix "${WORK_DIR}/prefix")
  run_step("Install Statix into ${prefix}"
    "${CMAKE_COMMAND}" --install "${STATIX_BUILD_DIR}" --prefix "${prefix}" ${config_args})
  # Only the prefix may provide statix: no package registry.
  run_step("Configure the consumer (find_package)"
    "${CMAKE_COMMAND}" -S "${consumer_source}" -B "${consumer_build}" ${configure_args}
    -D "CMAKE_PREFIX_PATH=${prefix}" -D CMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
  file(STRINGS "${consumer_build}/CMakeCache.txt" statix_dir REGEX "^statix_DIR:")
  string(REGEX REPLACE "^statix_DIR:[A-Z]+=" "" statix_dir "${statix_dir}")
  string(FIND "${statix_dir}" "${prefix}/" position)
  if(NOT position EQUAL 0)
    message(FATAL_ERROR "The consumer found statix in '${statix_dir}', not in ${prefix}")
  endif()
elseif(MODE STREQUAL "add_subdirectory")
  run_step("Configure the consumer (add_subdirectory)"
    "${CMAKE_COMMAND}" -S "${consumer_source}" -B "${consumer_build}" ${configure_args}
    -D STATIX_CONSUMER_USE_SUBDIRECTORY=ON
    -D "STATIX_CONSUMER_STATIX_SOURCE_DIR=${STATIX_SOURCE_DIR}")
  # As a subproject Statix must not build its tests, examples or benchmarks.
  file(STRINGS "${consumer_build}/CMakeCache.txt" options REGEX "^STATIX_BUILD_[A-Z]+:BOOL=ON$")
  if(options)
    message(FATAL_ERROR "Statix as a subproject has ${options}")
  endif()
else()
  message(FATAL_ERROR "MODE must be find_package or add_subdirectory, not '${MODE}'")
endif()

run_step("Build the consumer" "${CMAKE_COMMAND}" --build "${consumer_build}" ${config_args})
run_step("Run the consumer" "${consumer_build}/bin/statix_consumer")
message(STATUS "Consumer output:\n${step_output}")
if(NOT step_output MATCHES "statix ${EXPECTED_VERSION}")
  message(FATAL_ERROR "The consumer did not report statix ${EXPECTED_VERSION}")
endif()

# statix::runtime: always there through add_subdirectory (built on demand),
# installed when the build had STATIX_BUILD_RUNTIME.
if(MODE STREQUAL "add_subdirectory" OR EXPECT_RUNTIME)
  if(NOT EXISTS "${consumer_build}/bin/statix_consumer_runtime")
    message(FATAL_ERROR "The consumer found no statix::runtime")
  endif()
  run_step("Run the consumer linked with statix::runtime"
    "${consumer_build}/bin/statix_consumer_runtime")
  message(STATUS "Consumer (statix::runtime) output:\n${step_output}")
endif()
