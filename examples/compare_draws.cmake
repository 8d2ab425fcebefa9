# cmake -D "FIRST=<folder>" -D "SECOND=<folder>" -D "FILES=<file>;..." -P compare_draws.cmake
#
# Fails unless each CSV file under FIRST equals the one of the same name under
# SECOND line by line, the timing lines (Elapsed Time, seconds) aside: the
# same program built header-only and against statix::runtime gives the same
# draws.
foreach(name IN LISTS FILES)
  foreach(side IN ITEMS FIRST SECOND)
    set(path "${${side}}/${name}")
    if(NOT EXISTS "${path}")
      message(FATAL_ERROR "${path} does not exist (its example did not run)")
    endif()
    file(STRINGS "${path}" lines)
    list(FILTER lines EXCLUDE REGEX "Elapsed|seconds")
    set(${side}_lines "${lines}")
  endforeach()
  list(LENGTH FIRST_lines count)
  if(count EQUAL 0)
    message(FATAL_ERROR "${FIRST}/${name} holds no lines")
  endif()
  if(NOT FIRST_lines STREQUAL SECOND_lines)
    message(FATAL_ERROR "${name} differs between ${FIRST} and ${SECOND}")
  endif()
  message(STATUS "${name}: ${count} lines, the same")
endforeach()
