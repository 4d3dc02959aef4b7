# Looks for what the Python module needs: the interpreter RESIZEMIX_PYTHON with
# its headers, and pybind11's CMake package. Sets RESIZEMIX_PYTHON_FOUND (quietly
# OFF when either is missing, so a build without them just skips the module).
# Python3_EXECUTABLE is pinned first: find_package(Python3) alone may pick another
# python3 on PATH (a pyenv one without numpy or torch), and pybind11 then uses
# the Python3 found here.
set(RESIZEMIX_PYTHON_FOUND OFF)
if(EXISTS "${RESIZEMIX_PYTHON}")
  set(Python3_EXECUTABLE "${RESIZEMIX_PYTHON}")
endif()
find_package(Python3 QUIET COMPONENTS Interpreter Development.Module)
if(Python3_FOUND)
  find_package(pybind11 2.6 CONFIG QUIET)
endif()
if(Python3_FOUND AND pybind11_FOUND)
  set(RESIZEMIX_PYTHON_FOUND ON)
  message(STATUS "resizemix: Python module for ${Python3_EXECUTABLE} (Python ${Python3_VERSION}, pybind11 ${pybind11_VERSION})")
else()
  message(STATUS "resizemix: Python module skipped (needs pybind11 and the headers of ${RESIZEMIX_PYTHON}; "
                 "Debian: pybind11-dev python3-dev)")
endif()
