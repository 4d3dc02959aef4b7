#!/bin/sh
# ctest python.pip_install: the README's install command, offline, into a fresh venv
# that sees Debian's packages (numpy, torch, setuptools, pybind11, pip), then an import
# from outside the source tree. Usage: pip_install.sh PYTHON SOURCE_DIR WORK_DIR
set -eu
python=$1
source_dir=$2
work_dir=$3
rm -rf "$work_dir"
"$python" -m venv --system-site-packages --without-pip "$work_dir/venv"
cd "$source_dir"
"$work_dir/venv/bin/python" -m pip install --no-build-isolation --no-index --quiet .
cd "$work_dir"
"$work_dir/venv/bin/python" -c '
import numpy, resizemix, resizemix.torch
images = numpy.zeros((2, 3, 8, 8), numpy.uint8)
images[1] = 255
resizemix.mix_batch(resizemix.ResizeMix(), images, seed=1)
assert 0 < int((images[0] == 255).sum()) < images[0].size
print("imported", resizemix.__file__)
'
