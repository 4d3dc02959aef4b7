#!/usr/bin/env bash
# Builds the resizemix CLI and mixes two sample photos with ResizeMix and CutMix.
# Writes out/resizemix.png and out/cutmix.png and prints what each mix did.
#   BUILD_DIR  build folder (default: build), JOBS  parallel jobs (default: nproc)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${BUILD_DIR:-build}"
scripts/install-deps.sh
# The flags of scripts/test.sh, which shares the folder: neither rebuilds what the other built.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG"
cmake --build "$build_dir" -j "${JOBS:-$(nproc)}" --target resizemix_cli

mkdir -p out
for method in resizemix cutmix; do
    printf '\n%s:\n' "$method"
    "$build_dir/bin/resizemix" mix --method "$method" \
        --source examples/data/chelsea.png --target examples/data/coffee.png \
        --out "out/$method.png" --seed 7 \
        --source-label 0 --target-label 1 --num-classes 2
done
printf '\nMixed images: %s/out/resizemix.png and %s/out/cutmix.png\n' "$PWD" "$PWD"
