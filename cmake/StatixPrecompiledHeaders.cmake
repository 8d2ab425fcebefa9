# statix_precompile_headers(<target> [HEADERS <header>...] [REUSE_FROM <other>])
#
# Precompiles <statix/statix.hpp> (or the given headers) for <target> with
# target_precompile_headers(), so that its translation units do not parse
# Eigen, Boost.Math, the standard library and Statix again each time.
# REUSE_FROM <other> takes the precompiled header of another target built
# with the same flags instead of making one more (each is about 450 MB on
# disk with g++ 12).
#
# What it saves is the parsing: on the eight schools example (g++ 12.2, -O2)
# about 5 s of 70 s. Template instantiation and code generation stay in each
# translation unit; see README.md, "Compile time".
#
# Used by Statix's own CMakeLists.txt and by the installed statixConfig.cmake:
#   find_package(statix CONFIG REQUIRED)
#   add_executable(model model.cpp)
#   target_link_libraries(model PRIVATE statix::statix)
#   statix_precompile_headers(model)
include_guard(GLOBAL)

function(statix_precompile_headers target)
  cmake_parse_arguments(arg "" "REUSE_FROM" "HEADERS" ${ARGN})
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "statix_precompile_headers: unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(arg_REUSE_FROM)
    if(arg_HEADERS)
      message(FATAL_ERROR "statix_precompile_headers: HEADERS and REUSE_FROM exclude each other")
    endif()
    target_precompile_headers(${target} REUSE_FROM ${arg_REUSE_FROM})
    return()
  endif()
  if(NOT arg_HEADERS)
    set(arg_HEADERS "<statix/statix.hpp>")
  endif()
  target_precompile_headers(${target} PRIVATE ${arg_HEADERS})
endfunction()
