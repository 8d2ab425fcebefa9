# statix_default_release_flags(): Release as the default build type, and
# Release meaning -O2 (CMake's default is -O3): the template-heavy test,
# example and benchmark translation units compile noticeably faster at -O2.
# Changed once, on the first configure, so a value the user sets later is
# kept. Called by the project and by a benchmark folder configured on its own,
# so that figures from both builds compare.
macro(statix_default_release_flags)
  if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
    set_property(CACHE CMAKE_BUILD_TYPE PROPERTY STRINGS Debug Release RelWithDebInfo MinSizeRel)
  endif()
  if(NOT DEFINED STATIX_RELEASE_FLAGS_INITIALIZED)
    if(CMAKE_CXX_FLAGS_RELEASE STREQUAL "-O3 -DNDEBUG")
      set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING
          "Flags used by the CXX compiler during RELEASE builds." FORCE)
    endif()
    set(STATIX_RELEASE_FLAGS_INITIALIZED TRUE CACHE INTERNAL "")
  endif()
endmacro()
