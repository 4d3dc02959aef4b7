#!/usr/bin/env bash
# Builds resizemix and runs every test: an optimised build (-O2, no debug info)
# with the default compiler (g++ on Debian), then a Debug build with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer. So both compilers' warnings (-Werror) are checked
# by one script, and the second build costs a fast -O0 compile.
#
# Environment:
#   CXX                        compiler of the first build (default: CMake's choice);
#                              CXX=clang++ builds in build-clang/
#   SANITIZER_CXX              compiler of the sanitizer build (default: clang++)
#   BUILD_DIR                  build folder (default: build, or build-clang for clang);
#                              the sanitizer build goes to "$BUILD_DIR-asan"
#   JOBS                       parallel jobs (default: nproc)
#   RESIZEMIX_SKIP_SANITIZERS  1 skips the sanitizer build
#   RESIZEMIX_CMAKE_ARGS       extra arguments for the first configure (e.g. -DRESIZEMIX_BUILD_PYTHON=OFF)
#   RESIZEMIX_CTEST_EXCLUDE    a ctest -E regex of tests the first build skips (e.g. '^train\.' to
#                              leave out the training runs)
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n==== %s ====\n' "$*"; }

section "dependencies"
# OpenCV and libtorch so the interop tests run (contrib's saliency module for the fine-grained
# saliency comparison, opencv_saliency:*); Fashion-MNIST for the training smoke tests;
# torchvision (with numpy and PIL) for the RandAugment comparison, augment.torchvision;
# pybind11, the Python headers, numpy, torch and pytest for the Python module's tests
# (python.*), setuptools, wheel and pip for its `pip install .` test; clang's sanitizer runtimes.
scripts/install-deps.sh libclang-rt-14-dev libopencv-dev libopencv-contrib-dev libtorch-dev dataset-fashion-mnist python3-torchvision python3-numpy python3-pil \
    python3-dev pybind11-dev python3-pybind11 python3-torch python3-pytest \
    python3-setuptools python3-wheel python3-pip

if [[ -z "${BUILD_DIR:-}" ]]; then
    BUILD_DIR=build
    if [[ "$(basename "${CXX:-}")" == *clang* ]]; then
        BUILD_DIR=build-clang
    fi
fi
jobs="${JOBS:-$(nproc)}"
compiler_args=()
if [[ -n "${CXX:-}" ]]; then
    compiler_args=(-DCMAKE_CXX_COMPILER="$CXX")
fi

section "configure $BUILD_DIR (Release at -O2, ${CXX:-default compiler})"
# -O2 as Debian builds its packages; no -g, which is a third of the compile time (rebuild
# with -DCMAKE_BUILD_TYPE=RelWithDebInfo to debug a failure). scripts/demo.sh shares the folder
# and passes the same flags, so neither rebuilds what the other built.
extra_args=()
if [[ -n "${RESIZEMIX_CMAKE_ARGS:-}" ]]; then
    read -r -a extra_args <<<"$RESIZEMIX_CMAKE_ARGS"
fi
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    "${compiler_args[@]}" "${extra_args[@]}"
section "build $BUILD_DIR"
cmake --build "$BUILD_DIR" -j "$jobs"
section "test $BUILD_DIR"
exclude_args=()
if [[ -n "${RESIZEMIX_CTEST_EXCLUDE:-}" ]]; then
    exclude_args=(-E "$RESIZEMIX_CTEST_EXCLUDE")
fi
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$jobs" "${exclude_args[@]}"

if [[ "${RESIZEMIX_SKIP_SANITIZERS:-0}" == 1 ]]; then
    section "sanitizer build skipped (RESIZEMIX_SKIP_SANITIZERS=1)"
    section "all tests passed"
    exit 0
fi

asan_dir="$BUILD_DIR-asan"
asan_cxx="${SANITIZER_CXX:-$(command -v clang++-14 || command -v clang++)}"
sanitize="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
section "configure $asan_dir (Debug, $asan_cxx, address + undefined sanitizers)"
# CMake drops the -D options of a run that changes the compiler of an existing build folder.
if [[ -f "$asan_dir/CMakeCache.txt" ]] && ! grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=$asan_cxx\$" "$asan_dir/CMakeCache.txt"; then
    rm -f "$asan_dir/CMakeCache.txt"
fi
# The Python module is built in the first build only: the interpreter is not built
# with ASan, and loading an instrumented extension into it would need LD_PRELOAD of
# the ASan runtime. The libtorch interop tests build and run here too (libtorch itself
# is not instrumented, our code around it is); the training program and the libtorch
# example need g++ (torch/torch.h fails under clang 14 in C++20) and are not built.
cmake -S . -B "$asan_dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$asan_cxx" \
    -DRESIZEMIX_BUILD_PYTHON=OFF \
    -DCMAKE_CXX_FLAGS="$sanitize" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitize" \
    -DCMAKE_SHARED_LINKER_FLAGS="$sanitize"
section "build $asan_dir"
cmake --build "$asan_dir" -j "$jobs"
# Skipped here, run by the first build: the consumer projects (they build without the
# sanitizers) and headers.eigen_free (which headers include which: no code runs).
section "test $asan_dir (consumer.* and headers.eigen_free excluded)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$asan_dir" --output-on-failure -j "$jobs" \
    -E '^(consumer\.|headers\.eigen_free$)'

section "all tests passed"
