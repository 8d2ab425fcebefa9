# Script (cmake -P), run after each build of a Catch2 test executable by
# statix_add_catch_tests(): writes CTEST_FILE with one add_test() per test case.
# Inputs: TEST_EXECUTABLE, CTEST_FILE, LABEL, TIMEOUT, WORKING_DIR.

function(list_test_cases spec out_var)
  execute_process(
    COMMAND "${TEST_EXECUTABLE}" "${spec}" --list-test-names-only
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error
    RESULT_VARIABLE result
    WORKING_DIRECTORY "${WORKING_DIR}")
  # Catch returns the number of listed test cases; anything else is a crash.
  if(NOT result MATCHES "^[0-9]+$")
    message(FATAL_ERROR "Listing the test cases of ${TEST_EXECUTABLE} failed (${result}):\n"
                        "${output}${error}")
  endif()
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

set(script "")
function(append_tests output labels)
  set(rest "${output}")
  while(NOT rest STREQUAL "")
    string(FIND "${rest}" "\n" newline)
    if(newline EQUAL -1)
      set(name "${rest}")
      set(rest "")
    else()
      string(SUBSTRING "${rest}" 0 ${newline} name)
      math(EXPR next "${newline} + 1")
      string(SUBSTRING "${rest}" ${next} -1 rest)
    endif()
    string(REGEX REPLACE "\r$" "" name "${name}")
    if(name STREQUAL "")
      continue()
    endif()
    # Catch reads \ , [ ] in a test spec as syntax: escape them to run
    # exactly this test case.
    set(spec "${name}")
    foreach(char "\\" "," "[" "]")
      string(REPLACE "${char}" "\\${char}" spec "${spec}")
    endforeach()
    set(test "${LABEL}/${name}")
    string(APPEND script
      "add_test([==[${test}]==] [==[${TEST_EXECUTABLE}]==] [==[${spec}]==] --warn NoTests)\n"
      "set_tests_properties([==[${test}]==] PROPERTIES LABELS [==[${labels}]==]"
      " WORKING_DIRECTORY [==[${WORKING_DIR}]==] TIMEOUT ${TIMEOUT})\n")
  endwhile()
  set(script "${script}" PARENT_SCOPE)
endfunction()

# Hidden test cases ([.] tag) are left out, as a plain run of the executable does.
list_test_cases("~[slow]~[.]" regular)
list_test_cases("[slow]~[.]" slow)
append_tests("${regular}" "${LABEL}")
append_tests("${slow}" "${LABEL};slow")
file(WRITE "${CTEST_FILE}" "${script}")
