#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (-fsanitize=fuzzer,address,undefined)
# and runs each for SECONDS (default 60), all at once, starting from the committed
# seeds in fuzz/corpus/<target>/. Prints each target's executions and exits non-zero
# if any target found a crash, a leak, a timeout or an allocation above the limit.
#
#   scripts/fuzz.sh [SECONDS]
#
# Environment:
#   BUILD_DIR     build folder (default: build-fuzz)
#   FUZZ_WORK     where the growing corpora, logs and crash files go (default: $BUILD_DIR/fuzz-work);
#                 the committed seeds are read, never written
#   FUZZ_TARGETS  which targets (default: "decode_mix mixers saliency")
#   FUZZ_RUNS     stop a target after this many executions instead (0 = no limit, the default)
#   JOBS          build jobs (default: nproc)
# A crash file replays with: $BUILD_DIR/bin/resizemix_fuzz_<target> <file>
# (RESIZEMIX_FUZZ_VERBOSE=1 prints what each run refused). Add the file to
# fuzz/corpus/<target>/ once fixed: ctest runs every seed (fuzz.<target>.corpus).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
build_dir="${BUILD_DIR:-build-fuzz}"
work="${FUZZ_WORK:-$build_dir/fuzz-work}"
targets=(${FUZZ_TARGETS:-decode_mix mixers saliency})
runs="${FUZZ_RUNS:-0}"

section() { printf '\n==== %s ====\n' "$*"; }

section "dependencies"
# libclang-rt-14-dev holds libFuzzer and clang's sanitizer runtimes.
scripts/install-deps.sh libclang-rt-14-dev
cxx="$(command -v clang++-14 || command -v clang++)"

section "configure $build_dir ($cxx, fuzzers only)"
# CMake drops the -D options of a run that changes the compiler of an existing build folder.
if [[ -f "$build_dir/CMakeCache.txt" ]] && ! grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=$cxx\$" "$build_dir/CMakeCache.txt"; then
    rm -f "$build_dir/CMakeCache.txt"
fi
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
    -DRESIZEMIX_BUILD_FUZZERS=ON -DRESIZEMIX_BUILD_TESTS=OFF -DRESIZEMIX_BUILD_EXAMPLES=OFF -DRESIZEMIX_INSTALL=OFF
section "build"
cmake --build "$build_dir" -j "${JOBS:-$(nproc)}" --target "${targets[@]/#/resizemix_fuzz_}"

section "fuzz ${targets[*]} for ${seconds}s each, in parallel"
mkdir -p "$work"
pids=()
for target in "${targets[@]}"; do
    mkdir -p "$work/corpus/$target" "$work/artifacts/$target"
    # -malloc_limit_mb: any single allocation above 256 MiB is a failure (the decode
    # target refuses images above 128 x 128 pixels, so only a bomb could ask for that).
    "$build_dir/bin/resizemix_fuzz_$target" "$work/corpus/$target" "fuzz/corpus/$target" \
        -max_total_time="$seconds" -runs="$((runs > 0 ? runs : -1))" -timeout=30 \
        -rss_limit_mb=2048 -malloc_limit_mb=256 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$target/" >"$work/$target.log" 2>&1 &
    pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
    wait "${pids[$i]}" || status=1
done

section "results"
printf '%-12s %14s %10s %10s %s\n' target executions exec/s corpus outcome
for target in "${targets[@]}"; do
    log="$work/$target.log"
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    corpus="$(find "$work/corpus/$target" -type f | wc -l)"
    # crash-, leak-, timeout-, oom- files are failures; slow-unit- files only say a run took over 10 s.
    crashes="$(find "$work/artifacts/$target" -type f ! -name 'slow-unit-*' | wc -l)"
    outcome="ok"
    if ((crashes > 0)) || grep -q -E '^==[0-9]+== ?ERROR|^SUMMARY: ' "$log"; then
        outcome="FAILED: see $log and $work/artifacts/$target/"
        status=1
    fi
    printf '%-12s %14s %10s %10s %s\n' "$target" "${executions:-?}" "${speed:-?}" "$corpus" "$outcome"
done
exit "$status"
