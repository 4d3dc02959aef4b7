# Compiles SOURCE with CXX (C++20, the project's include folders) and passes only
# if compilation fails with the text on the source's first line ("// expect: REGEX"):
# a static_assert or concept of the library must stop the misuse with that sentence.
file(STRINGS ${SOURCE} first_line LIMIT_COUNT 1)
string(REGEX REPLACE "^// expect: " "" expected "${first_line}")
separate_arguments(include_flags UNIX_COMMAND "${INCLUDE_FLAGS}")
execute_process(
  COMMAND ${CXX} -std=c++20 -fsyntax-only ${include_flags} ${SOURCE}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must not (expected: ${expected})")
endif()
if(NOT output MATCHES "${expected}")
  message(FATAL_ERROR "${SOURCE} failed to compile, but without the expected text '${expected}':\n${output}")
endif()
message(STATUS "${SOURCE}: refused with '${expected}'")
