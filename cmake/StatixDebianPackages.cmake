# Shared by cmake/test.cmake and cmake/demo.cmake (script mode): installs the
# Debian packages Statix needs that are missing, with apt-get, as root.
include_guard(GLOBAL)

set(STATIX_DEBIAN_PACKAGES
    cmake g++ make libeigen3-dev libboost1.81-dev catch2 libtbb-dev libthrust-dev
    libbenchmark-dev ccache nlohmann-json3-dev)

function(statix_install_debian_packages)
  find_program(dpkg_program dpkg)
  if(NOT dpkg_program)
    message(STATUS "No dpkg: not a Debian system, assuming the dependencies are installed")
    return()
  endif()

  set(missing)
  foreach(package IN LISTS STATIX_DEBIAN_PACKAGES)
    execute_process(COMMAND "${dpkg_program}" -s "${package}"
                    RESULT_VARIABLE result OUTPUT_VARIABLE status ERROR_QUIET)
    if(NOT result EQUAL 0 OR NOT status MATCHES "Status: install ok installed")
      list(APPEND missing "${package}")
    endif()
  endforeach()
  if(NOT missing)
    message(STATUS "Debian packages: all installed")
    return()
  endif()

  list(JOIN missing " " missing_text)
  string(CONCAT command_text "apt-get update && DEBIAN_FRONTEND=noninteractive "
                "apt-get install -y --no-install-recommends ${missing_text}")
  execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT uid STREQUAL "0")
    message(FATAL_ERROR "Missing Debian packages: ${missing_text}\n"
                        "Install them as root, then run this again:\n  ${command_text}")
  endif()

  message(STATUS "Installing missing Debian packages: ${missing_text}")
  set(ENV{DEBIAN_FRONTEND} noninteractive)
  execute_process(COMMAND apt-get update RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "apt-get update failed (${result})")
  endif()
  execute_process(COMMAND apt-get install -y --no-install-recommends ${missing}
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    set(hint "")
    execute_process(COMMAND "${dpkg_program}" -s libboost-dev
                    RESULT_VARIABLE boost_174_missing OUTPUT_QUIET ERROR_QUIET)
    if(boost_174_missing EQUAL 0)
      string(CONCAT hint "\nlibboost-dev (Boost 1.74) is installed and conflicts with libboost1.81-dev, "
               "which Statix needs: remove it (apt-get remove libboost-dev) and try again.")
    endif()
    message(FATAL_ERROR "apt-get install ${missing_text} failed (${result})${hint}")
  endif()
endfunction()

# Number of parallel build jobs: CMAKE_BUILD_PARALLEL_LEVEL from the
# environment if set, else the number of logical cores.
function(statix_build_jobs out_var)
  if(DEFINED ENV{CMAKE_BUILD_PARALLEL_LEVEL} AND NOT "$ENV{CMAKE_BUILD_PARALLEL_LEVEL}" STREQUAL "")
    set(${out_var} "$ENV{CMAKE_BUILD_PARALLEL_LEVEL}" PARENT_SCOPE)
  else()
    cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)
    set(${out_var} "${cores}" PARENT_SCOPE)
  endif()
endfunction()

# Runs a command, streaming its output; stops the script if it fails.
function(statix_run what)
  list(JOIN ARGN " " command_text)
  message(STATUS "${what}: ${command_text}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed (${result})")
  endif()
endfunction()
