#!/usr/bin/env bash
# Builds and runs the resizemix benchmarks (benchmarks/), with OpenCV,
# stb_image_resize and libtorch measured in the same run, then prints the table
# of ratios to memcpy and writes the size-sweep plot. Then the RandAugment
# operations (resizemix_bench_augment, OpenCV beside them) and, on the same
# images right after, torchvision's from Python (benchmarks/bench_torchvision_ops.py),
# printed as one table. Installs what is missing with apt-get (Debian):
# libbenchmark-dev, libopencv-dev, libtorch-dev, gnuplot-nox, python3-torchvision,
# on top of scripts/install-deps.sh.
#
# The benchmark program first renders every workload with every implementation
# and stops with status 1, timing nothing, if any peer's pixels disagree with
# resizemix's (more than 1 level for uint8, 1e-4 for float).
#
# Environment:
#   BUILD_DIR     build folder (default: build-bench); results go to $BUILD_DIR/results
#   CXX           compiler (default g++: the libtorch peer needs g++)
#   JOBS          parallel build jobs (default: nproc)
#   REPETITIONS   repetitions per benchmark, each figure is their median (default 15)
#   MIN_TIME      seconds per repetition (default 0.05)
#   FILTER        regex of benchmarks to run (default: all); e.g. '^W2/'
#   NATIVE        1: also build and run a -march=native build (labelled, results-native/)
#   PARTS         which benchmarks: "mix augment" (default), "mix" or "augment"
#   AUGMENT_ROUNDS  rounds per torchvision figure (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n==== %s ====\n' "$*"; }

section "dependencies"
# The peers measured beside resizemix, Google Benchmark, and the report's plotter.
scripts/install-deps.sh libbenchmark-dev libopencv-dev libtorch-dev gnuplot-nox python3 python3-torchvision

build_dir="${BUILD_DIR:-build-bench}"
jobs="${JOBS:-$(nproc)}"
repetitions="${REPETITIONS:-15}"
min_time="${MIN_TIME:-0.05}"
compiler="${CXX:-g++}"

run_one() {  # run_one <build dir> <native ON|OFF> <results dir> <label>
    local dir=$1 native=$2 results=$3 label=$4
    section "configure $dir (Release, $compiler, $label)"
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$compiler" \
        -DRESIZEMIX_BUILD_BENCHMARKS=ON -DRESIZEMIX_BUILD_TESTS=OFF -DRESIZEMIX_BUILD_EXAMPLES=OFF \
        -DRESIZEMIX_INSTALL=OFF -DRESIZEMIX_BENCH_NATIVE="$native"
    section "build $dir"
    cmake --build "$dir" -j "$jobs" --target resizemix_bench
    mkdir -p "$results"
    section "run ($label): pixel checks, then $repetitions repetitions of every benchmark"
    local filter=()
    if [[ -n "${FILTER:-}" ]]; then
        filter=(--benchmark_filter="$FILTER")
    fi
    "$dir/bin/resizemix_bench" \
        --benchmark_repetitions="$repetitions" \
        --benchmark_min_time="$min_time" \
        --benchmark_enable_random_interleaving=true \
        --benchmark_report_aggregates_only=true \
        --benchmark_out="$results/results.json" \
        --benchmark_out_format=json \
        "${filter[@]}" | tee "$results/console.txt"
    section "ratios to memcpy ($label)"
    python3 benchmarks/report.py "$results/results.json" --markdown "$results/table.md" --plot "$results/sizes.png"
    {
        echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, $(uname -sr)"
        echo "compiler: $("$compiler" --version | head -1) ($label)"
    } > "$results/machine.txt"
    cat "$results/machine.txt"
    echo "results: $results/results.json, table: $results/table.md, plot: $results/sizes.png"
}

run_augment() {  # run_augment <build dir> <results dir>: ours and OpenCV, then torchvision on the same images
    local dir=$1 results=$2
    section "build $dir: resizemix_bench_augment"
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$compiler" \
        -DRESIZEMIX_BUILD_BENCHMARKS=ON -DRESIZEMIX_BUILD_TESTS=OFF -DRESIZEMIX_BUILD_EXAMPLES=OFF \
        -DRESIZEMIX_INSTALL=OFF -DRESIZEMIX_BENCH_NATIVE=OFF
    cmake --build "$dir" -j "$jobs" --target resizemix_bench_augment
    mkdir -p "$results/workloads"
    section "run: RandAugment operations, $repetitions repetitions (resizemix, OpenCV)"
    "$dir/bin/resizemix_bench_augment" \
        --workload_dir="$results/workloads" \
        --benchmark_repetitions="$repetitions" \
        --benchmark_min_time="$min_time" \
        --benchmark_enable_random_interleaving=true \
        --benchmark_report_aggregates_only=true \
        --benchmark_out="$results/augment.json" \
        --benchmark_out_format=json | tee "$results/augment-console.txt"
    section "run: the same images through torchvision from Python; ratios to memcpy"
    /usr/bin/python3 benchmarks/bench_torchvision_ops.py --workload-dir "$results/workloads" \
        --rounds "${AUGMENT_ROUNDS:-7}" --ours "$results/augment.json" \
        --json "$results/augment-torchvision.json" --markdown "$results/augment-table.md"
    rm -rf "$results/workloads"
    {
        echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, $(uname -sr)"
        echo "load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "compiler: $("$compiler" --version | head -1); $(/usr/bin/python3 -c 'import torch, torchvision; print("torch", torch.__version__, "torchvision", torchvision.__version__)')"
    } > "$results/augment-machine.txt"
    cat "$results/augment-machine.txt"
    echo "results: $results/augment.json, $results/augment-torchvision.json, table: $results/augment-table.md"
}

parts="${PARTS:-mix augment}"
if [[ " $parts " == *" mix "* ]]; then
    run_one "$build_dir" OFF "$build_dir/results" "portable build: no -march flags"
    if [[ "${NATIVE:-0}" == 1 ]]; then
        run_one "$build_dir-native" ON "$build_dir/results-native" "-march=native build"
    fi
fi
if [[ " $parts " == *" augment "* ]]; then
    run_augment "$build_dir" "$build_dir/results"
fi
