#!/usr/bin/env bash
# ThreadSanitizer check of everything that runs on several threads: the batch,
# composition and worker-pool tests (the soak included), built straight from
# their sources with -fsanitize=thread (a few translation units, not the whole
# test program, to keep CI short).
#
# Environment:
#   CXX        compiler (default g++)
#   BUILD_DIR  output folder (default build-tsan)
set -euo pipefail
cd "$(dirname "$0")/.."

cxx="${CXX:-g++}"
out="${BUILD_DIR:-build-tsan}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
sources=(tests/main.cpp tests/test_batch.cpp tests/test_compose.cpp tests/test_worker_pool.cpp)
# -O1: TSan's own advice (fast enough, precise stacks); each unit compiled in parallel.
flags=(-std=c++20 -O1 -g -fsanitize=thread -fno-omit-frame-pointer -Iinclude -Itests/support -I/usr/include/eigen3
       "-DRESIZEMIX_DATA_DIR=\"$PWD/examples/data\"" "-DRESIZEMIX_TMP_DIR=\"$out\""
       $(pkg-config --cflags stb))
pids=()
for source in "${sources[@]}"; do
    "$cxx" "${flags[@]}" -c "$source" -o "$out/$(basename "$source" .cpp).o" &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
if [[ $status != 0 ]]; then
    echo "tsan.sh: a test source failed to compile (messages above)" >&2
    exit 1
fi
"$cxx" -fsanitize=thread "$out"/*.o $(pkg-config --libs stb) -o "$out/thread_tests"
# halt_on_error: a race fails the stage even if the test itself passes.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$out/thread_tests" "[batch],[compose],[pool]"
