# statix_add_catch_tests(<target> LABEL <label> [TIMEOUT <seconds>])
#
# Registers every Catch2 (v2) test case of <target> as its own CTest test,
# named "<label>/<test case name>" and labelled <label>. Test cases tagged
# [slow] are labelled "<label>;slow" as well, so `ctest -L slow` runs them and
# `ctest -LE slow` leaves them out.
#
# Like Catch's catch_discover_tests(), the list is taken from the built
# executable after each build (StatixCatchList.cmake), so adding a test case
# needs no re-configure. Catch's own function would have to be called twice
# (TEST_SPEC "[slow]" and "~[slow]") and then warns on every build of an
# executable that has no slow test case; this registers both sets at once.
include_guard(GLOBAL)

set(STATIX_CATCH_LIST_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/StatixCatchList.cmake")

function(statix_add_catch_tests target)
  cmake_parse_arguments(arg "" "LABEL;TIMEOUT" "" ${ARGN})
  if(NOT arg_LABEL)
    message(FATAL_ERROR "statix_add_catch_tests(${target}): LABEL is required")
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 1500)
  endif()

  set(ctest_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_tests.cmake")
  add_custom_command(TARGET ${target} POST_BUILD
    BYPRODUCTS "${ctest_file}"
    COMMAND "${CMAKE_COMMAND}"
            -D "TEST_EXECUTABLE=$<TARGET_FILE:${target}>"
            -D "CTEST_FILE=${ctest_file}"
            -D "LABEL=${arg_LABEL}"
            -D "TIMEOUT=${arg_TIMEOUT}"
            -D "WORKING_DIR=${CMAKE_CURRENT_BINARY_DIR}"
            -P "${STATIX_CATCH_LIST_SCRIPT}"
    COMMENT "Listing the test cases of ${target}"
    VERBATIM)

  # CTest reads this file when it runs; before the first build it registers a
  # single test that fails and says so.
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_include.cmake")
  file(WRITE "${include_file}"
    "if(EXISTS \"${ctest_file}\")\n"
    "  include(\"${ctest_file}\")\n"
    "else()\n"
    "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
