# Example test driver (cmake -P), run by CTest from the examples' build folder.
# Inputs: EXECUTABLE (the example) and EXPECTATIONS, a file that sets
#   EXPECT  regular expressions (CMake syntax) that the output must all match,
#   REJECT  regular expressions that it must not match,
#   FILES   files (relative to the working folder) the example must write.
# Passes only if the example exits with 0 and all of these hold. The output is
# stdout and stderr together (the samplers' warnings go to stderr); it is
# printed either way, so a failed test shows what the example said.
cmake_minimum_required(VERSION 3.25)
include("${EXPECTATIONS}")

# Files from an earlier run must not count.
foreach(file IN LISTS FILES)
  file(REMOVE "${file}")
endforeach()

set(ENV{LC_ALL} C)
execute_process(COMMAND "${EXECUTABLE}"
                OUTPUT_VARIABLE output
                ERROR_VARIABLE output
                RESULT_VARIABLE result)
message("${output}")

set(failures "")
if(NOT result EQUAL 0)
  string(APPEND failures "\n  exit status ${result}, expected 0")
endif()
foreach(expression IN LISTS EXPECT)
  if(NOT output MATCHES "${expression}")
    string(APPEND failures "\n  no output matches: ${expression}")
  endif()
endforeach()
foreach(expression IN LISTS REJECT)
  if(output MATCHES "${expression}")
    string(APPEND failures "\n  output matches '${expression}': ${CMAKE_MATCH_0}")
  endif()
endforeach()
foreach(file IN LISTS FILES)
  if(NOT EXISTS "${file}")
    string(APPEND failures "\n  ${file} was not written")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "${EXECUTABLE}:${failures}")
endif()
