# tests/readme_examples.cmake: runs the CLI command lines the README shows and
# compares what they print and write with what the README says (ctest cli.readme).
#
#   cmake -D CLI=<resizemix> -D SOURCE_DIR=<repo> -D WORK_DIR=<scratch> -P readme_examples.cmake
#
# Every ```sh block of README.md that starts with `build/bin/resizemix mix` or
# `build/bin/resizemix grid` is run with the built CLI: paths under examples/
# are read from the repository, and --out is redirected into WORK_DIR. A ```json
# block right after the command must equal the JSON it prints (same values;
# spacing is free); a grid's output must equal, byte for byte, the picture the
# README shows at that --out path. The batch example names the reader's own
# folder of photos, so it is not run here; tests/test_cli_batch.cpp covers batch.
cmake_minimum_required(VERSION 3.25)

file(READ ${SOURCE_DIR}/README.md readme)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# Each command block, with the ```json block that follows it (if any).
string(REGEX MATCHALL "```sh\n(build/bin/resizemix (mix|grid) [^`]*)```(\n\n```json\n[^`]*```)?" examples "${readme}")
list(LENGTH examples count)
if(count LESS 3)
  message(FATAL_ERROR "README.md shows ${count} mix / grid examples; expected the mix example and the two grid pictures")
endif()

set(checked_json 0)
foreach(example IN LISTS examples)
  string(REGEX MATCH "```sh\n([^`]*)```" _ "${example}")
  set(command "${CMAKE_MATCH_1}")
  string(REPLACE "\\\n" " " command "${command}")
  string(STRIP "${command}" command)
  separate_arguments(words UNIX_COMMAND "${command}")
  list(POP_FRONT words program)

  set(arguments "")
  set(out_expected "")
  set(after_out FALSE)
  foreach(word IN LISTS words)
    if(after_out)
      set(out_expected ${SOURCE_DIR}/${word})
      get_filename_component(name ${word} NAME)
      list(APPEND arguments ${WORK_DIR}/${name})
      set(after_out FALSE)
    elseif(word STREQUAL "--out")
      list(APPEND arguments ${word})
      set(after_out TRUE)
    elseif(word MATCHES "^examples/")
      list(APPEND arguments ${SOURCE_DIR}/${word})
    else()
      list(APPEND arguments ${word})
    endif()
  endforeach()

  execute_process(COMMAND ${CLI} ${arguments} RESULT_VARIABLE status OUTPUT_VARIABLE printed ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "README command failed (${status}): ${command}\n${errors}")
  endif()

  if(example MATCHES "```json\n([^`]*)```")
    set(shown "${CMAKE_MATCH_1}")
    string(JSON same EQUAL "${shown}" "${printed}")
    if(NOT same)
      message(FATAL_ERROR "README shows for\n  ${command}\nthe output\n${shown}\nbut it prints\n${printed}")
    endif()
    math(EXPR checked_json "${checked_json} + 1")
  elseif(command MATCHES "^build/bin/resizemix grid ")
    get_filename_component(name ${out_expected} NAME)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/${name} ${out_expected} RESULT_VARIABLE differ)
    if(NOT differ EQUAL 0)
      message(FATAL_ERROR "README picture ${out_expected} is not what its command makes now:\n  ${command}")
    endif()
  endif()
  message(STATUS "ok: ${command}")
endforeach()
if(checked_json LESS 1)
  message(FATAL_ERROR "README.md shows no JSON output after a mix example")
endif()
