# Compile-failure test driver (cmake -P), run by CTest.
# Inputs: BUILD_DIR, TARGET (object library of SOURCE), SOURCE, CONFIG, and
# optionally EXPECT (replaces the "// expect: <regex>" first line of SOURCE).
# Passes only if building TARGET fails and the build output matches the
# expression (CMake regular expression syntax).
cmake_minimum_required(VERSION 3.25)

if(NOT DEFINED EXPECT)
  file(STRINGS "${SOURCE}" first_line LIMIT_COUNT 1)
  if(NOT first_line MATCHES "^// expect: (.+)$")
    message(FATAL_ERROR "${SOURCE}: the first line must be '// expect: <regular expression>'")
  endif()
  string(STRIP "${CMAKE_MATCH_1}" EXPECT)
endif()

# Plain ASCII quotes and no colours in the diagnostics, whatever the caller's
# locale and terminal.
set(ENV{LC_ALL} C)
set(ENV{GCC_COLORS} "")
set(config_args)
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
execute_process(
  COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target "${TARGET}" ${config_args}
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output
  RESULT_VARIABLE result)
string(ASCII 27 escape)
string(REGEX REPLACE "${escape}\\[[0-9;]*[mK]" "" output "${output}")

if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must be rejected with a message matching\n"
                      "  ${EXPECT}")
endif()
if(NOT output MATCHES "${EXPECT}")
  message(FATAL_ERROR "${SOURCE} was rejected, but no message matches\n  ${EXPECT}\n"
                      "Compiler output:\n${output}")
endif()
message(STATUS "${SOURCE} was rejected as expected (matched: ${CMAKE_MATCH_0})")
