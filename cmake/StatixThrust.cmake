# statix_add_thrust_target(DEVICE_SYSTEM <OMP|TBB|CPP|CUDA> [TARGET <name>] [GLOBAL])
#
# Defines <name> (default statix::thrust): Thrust with the serial C++ host
# system and the given device system, made by thrust_create_target() from
# Thrust's own package config. Link it next to statix::statix to use the
# many-chain path.
#
# Thrust is looked for first in the CUDA toolkit's CCCL (STATIX_CUDA_ROOT,
# default /usr/local/cuda), then in the system (Debian's libthrust-dev). The
# hint pins the choice: an unhinted find_package(Thrust) depends on PATH.
#
# When Thrust or the backend (OpenMP, TBB) is missing this prints a status
# line and returns without defining the target; it never fails the build.
# Used by Statix's own CMakeLists.txt and by the installed statixConfig.cmake.
include_guard(GLOBAL)

function(statix_add_thrust_target)
  cmake_parse_arguments(arg "GLOBAL" "DEVICE_SYSTEM;TARGET" "" ${ARGN})
  if(NOT arg_TARGET)
    set(arg_TARGET statix::thrust)
  endif()
  if(NOT arg_DEVICE_SYSTEM)
    set(arg_DEVICE_SYSTEM OMP)
  endif()
  if(TARGET ${arg_TARGET})
    return()
  endif()
  if(NOT DEFINED STATIX_CUDA_ROOT)
    set(STATIX_CUDA_ROOT "/usr/local/cuda")
  endif()

  if(arg_GLOBAL)
    # Thrust's targets, and OpenMP's or TBB's found through it, must be
    # visible to a parent project that added Statix with add_subdirectory().
    set(CMAKE_FIND_PACKAGE_TARGETS_GLOBAL ON)
  endif()

  find_package(Thrust CONFIG QUIET
    HINTS "${STATIX_CUDA_ROOT}"
    OPTIONAL_COMPONENTS ${arg_DEVICE_SYSTEM})
  if(NOT Thrust_FOUND)
    message(STATUS "Statix: Thrust not found (CUDA toolkit or libthrust-dev); "
                   "${arg_TARGET} is not defined")
    return()
  endif()
  if(NOT TARGET Thrust::${arg_DEVICE_SYSTEM})
    message(STATUS "Statix: Thrust ${Thrust_VERSION} found but not its ${arg_DEVICE_SYSTEM} "
                   "backend (OpenMP, or libtbb-dev for TBB); ${arg_TARGET} is not defined")
    return()
  endif()

  thrust_create_target(${arg_TARGET} HOST CPP DEVICE ${arg_DEVICE_SYSTEM})
  if(arg_GLOBAL)
    # Thrust 1.17's thrust_create_target() has no GLOBAL option.
    set_property(TARGET ${arg_TARGET} PROPERTY IMPORTED_GLOBAL TRUE)
  endif()
  message(STATUS "Statix: ${arg_TARGET} = Thrust ${Thrust_VERSION} from ${Thrust_DIR}, "
                 "device system ${arg_DEVICE_SYSTEM}")
endfunction()
