"""The resizemix._core extension for pip (pyproject.toml holds the metadata).

Compiled from python/src/module.cpp against the headers in include/ and Eigen
(EIGEN3_INCLUDE_DIR, default Debian's /usr/include/eigen3). Intermediate files
go to build/pip/, beside (not inside) a CMake build folder.
"""

import os

from pybind11.setup_helpers import Pybind11Extension, build_ext
from setuptools import setup

eigen = os.environ.get("EIGEN3_INCLUDE_DIR", "/usr/include/eigen3")

setup(
    ext_modules=[
        Pybind11Extension("resizemix._core", ["python/src/module.cpp"], include_dirs=["include", eigen], cxx_std=20)
    ],
    cmdclass={"build_ext": build_ext},
    options={"build": {"build_base": "build/pip"}},
)
