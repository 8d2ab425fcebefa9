# Compile-failure test driver (cmake -P), run by CTest.
# Inputs: BUILD_DIR, TARGET (object library of SOURCE), SOURCE, CONFIG, and
# optionally EXPECT (replaces the "// expect: <regex>" first line of SOURCE).
# Passes only if building TARGET fails and the build output matches the
# expression (CMake regular expression syntax).
cmake_minimum_required(VERSION 3.25)

# An optional second line "// at most <N> lines" bounds the compiler's
# message (the build tool's own lines not counted): one mistake, one short
# error, not a cascade through the library's internals.
file(STRINGS "${SOURCE}" first_lines LIMIT_COUNT 2)
set(max_lines "")
list(LENGTH first_lines count)
if(count EQUAL 2)
  list(GET first_lines 1 second_line)
  if(second_line MATCHES "^// at most ([0-9]+) lines")
    set(max_lines "${CMAKE_MATCH_1}")
  endif()
endif()

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
set(matched "${CMAKE_MATCH_0}")

# The compiler's lines: without the build tool's progress and summary lines.
string(REPLACE ";" "\\;" escaped "${output}")
string(REPLACE "\n" ";" lines "${escaped}")
set(compiler_lines 0)
foreach(line IN LISTS lines)
  if(NOT line STREQUAL "" AND NOT line MATCHES "^(\\[|g?make|ninja|FAILED|Error [0-9]|Consolidate)")
    math(EXPR compiler_lines "${compiler_lines} + 1")
  endif()
endforeach()
if(max_lines AND compiler_lines GREATER max_lines)
  message(FATAL_ERROR "${SOURCE} was rejected with ${compiler_lines} lines of compiler output, "
                      "more than the ${max_lines} it may take:\n${output}")
endif()
message(STATUS "${SOURCE} was rejected as expected in ${compiler_lines} lines "
               "(matched: ${matched})")
