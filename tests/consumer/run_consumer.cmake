# Builds and runs tests/consumer/main.cpp as a separate project, in a fresh WORK_DIR:
#   MODE=find_package      configure + install resizemix (tests and examples off) into
#                          WORK_DIR/prefix, then build tests/consumer against it
#   MODE=add_subdirectory  build tests/consumer-subdir, which add_subdirectory()s SOURCE_DIR
# Usage: cmake -D MODE=... -D SOURCE_DIR=<repo> -D WORK_DIR=<dir>
#              [-D CXX_COMPILER=...] [-D GENERATOR=...] [-D BUILD_TYPE=...] -P run_consumer.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS MODE SOURCE_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "run_consumer.cmake: -D ${var}=... is required")
  endif()
endforeach()

set(configure_args "")
if(GENERATOR)
  list(APPEND configure_args -G ${GENERATOR})
endif()
if(CXX_COMPILER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(BUILD_TYPE)
  list(APPEND configure_args -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
  set(config_args --config ${BUILD_TYPE})
else()
  set(config_args "")
endif()

# run(<what> <command...>): runs the command, echoing it; stops with an error naming <what> on failure.
function(run what)
  message(STATUS "consumer.${MODE}: ${what}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc COMMAND_ECHO STDOUT)
  if(NOT rc STREQUAL "0")
    message(FATAL_ERROR "consumer.${MODE}: ${what} failed (${rc})")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

if(MODE STREQUAL "find_package")
  set(prefix ${WORK_DIR}/prefix)
  run("configure resizemix"
    ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/library-build ${configure_args}
      -DCMAKE_INSTALL_PREFIX=${prefix}
      -DRESIZEMIX_BUILD_TESTS=OFF -DRESIZEMIX_BUILD_EXAMPLES=OFF -DRESIZEMIX_BUILD_BENCHMARKS=OFF
      -DRESIZEMIX_BUILD_PYTHON=OFF)
  run("build resizemix" ${CMAKE_COMMAND} --build ${WORK_DIR}/library-build ${config_args})
  run("install resizemix" ${CMAKE_COMMAND} --install ${WORK_DIR}/library-build ${config_args})

  # The installed package must stand alone: no path back into the source tree.
  file(GLOB_RECURSE package_files ${prefix}/*.cmake)
  if(NOT package_files)
    message(FATAL_ERROR "consumer.find_package: no CMake package files installed under ${prefix}")
  endif()
  foreach(file IN LISTS package_files)
    file(READ ${file} text)
    string(FIND "${text}" "${SOURCE_DIR}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "consumer.find_package: installed ${file} refers to the source tree ${SOURCE_DIR}")
    endif()
  endforeach()

  set(consumer_source ${SOURCE_DIR}/tests/consumer)
  set(consumer_args -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
elseif(MODE STREQUAL "add_subdirectory")
  set(consumer_source ${SOURCE_DIR}/tests/consumer-subdir)
  set(consumer_args -DRESIZEMIX_SOURCE_DIR=${SOURCE_DIR})
else()
  message(FATAL_ERROR "run_consumer.cmake: MODE must be find_package or add_subdirectory, not '${MODE}'")
endif()

set(consumer_build ${WORK_DIR}/consumer-build)
run("configure the consumer"
  ${CMAKE_COMMAND} -S ${consumer_source} -B ${consumer_build} ${configure_args} ${consumer_args})

if(MODE STREQUAL "find_package")
  # Make sure the package came from our prefix, not from some other install.
  file(STRINGS ${consumer_build}/CMakeCache.txt found_dir REGEX "^resizemix_DIR:")
  string(REGEX REPLACE "^[^=]*=" "" found_dir "${found_dir}")
  cmake_path(IS_PREFIX prefix "${found_dir}" NORMALIZE from_prefix)
  if(NOT from_prefix)
    message(FATAL_ERROR "consumer.find_package: found resizemix in '${found_dir}', not under ${prefix}")
  endif()
endif()

run("build the consumer" ${CMAKE_COMMAND} --build ${consumer_build} ${config_args})
run("run the consumer" ${consumer_build}/bin/resizemix_consumer${CMAKE_EXECUTABLE_SUFFIX})
message(STATUS "consumer.${MODE}: passed")
