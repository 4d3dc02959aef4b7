#!/usr/bin/env bash
# The Fashion-MNIST experiments of docs/EXPERIMENTS.md (issue 13), as named grids:
#
#   scripts/experiment.sh                  the default grid: canvas + original (about 100 min idle)
#   scripts/experiment.sh audit            the mechanism audit, no training (seconds)
#   scripts/experiment.sh canvas           the main comparison on the canvas task
#   scripts/experiment.sh original         the main comparison on the 28x28 images
#   scripts/experiment.sh ablation         ResizeMix's scale range, three ranges, on the canvas (optional)
#   scripts/experiment.sh augment          RandAugment, ResizeMix+ and RandAugment-before-ResizeMix
#                                          (the paper's Table 7), Cutout and AutoAugment (CIFAR-10
#                                          policy) on the canvas (optional)
#   scripts/experiment.sh quick            a seconds-long version of canvas + original that checks the
#                                          pipeline, the cache and the budget check (ctest experiment.quick)
#
# Several grids may be named at once. Every run is cached under $BUILD_DIR/experiment-runs/ in a
# folder named by a hash of its full argument list (args.txt beside it), so any change of any
# argument is a new run and an interrupted grid resumes by running the same command again.
# Before training, the time of the runs still to do is estimated from per-step constants measured
# on the idle 2-core machine; the script refuses to start when the estimate exceeds BUDGET_MIN.
# Results go to $OUT_DIR/grid (tables with paired statistics, CSV, plots) and $OUT_DIR/audit
# (OUT_DIR defaults to docs/experiments).
#
# Environment:
#   SEEDS       seeds per method (default 4; 2 in quick)
#   EPOCHS      epochs of canvas/original/ablation/augment (default 20)
#   JOBS        runs at a time, one libtorch thread each (default: nproc, at most 2)
#   BUDGET_MIN  refuse to start when the estimated wall time exceeds this (default 120 minutes)
#   BUILD_DIR   build folder (default build-train); BIN: use this resizemix-train, build nothing
#   RUNS_DIR    the run cache (default $BUILD_DIR/experiment-runs)
#   AUDIT_BIN   use this resizemix-audit, build nothing
#   OUT_DIR     where results go: OUT_DIR/grid and OUT_DIR/audit (default docs/experiments)
#   FRESH=1     delete the cached runs of the named grids first
#   PLOTS=0|1   draw the plots with gnuplot (default 1, 0 in quick)
#   REPORT_ONLY=1  train nothing: tables and plots of the runs finished so far (a grid still running)
set -euo pipefail
cd "$(dirname "$0")/.."

grids=("$@")
if ((${#grids[@]} == 0)); then grids=(canvas original); fi
for grid in "${grids[@]}"; do
    case "$grid" in
        audit | canvas | original | ablation | augment | quick) ;;
        *)
            echo "experiment: unknown grid \"$grid\" (known: audit canvas original ablation augment quick)" >&2
            exit 2
            ;;
    esac
done
quick=0
if [[ " ${grids[*]} " == *" quick "* ]]; then
    quick=1
    if ((${#grids[@]} > 1)); then echo "experiment: quick runs alone" >&2; exit 2; fi
fi
seeds="${SEEDS:-$((quick ? 2 : 4))}"
epochs="${EPOCHS:-20}"
budget_min="${BUDGET_MIN:-120}"
for value in "$seeds" "$epochs"; do
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "experiment: SEEDS and EPOCHS must be positive integers, got \"$value\"" >&2
        exit 2
    fi
done
if ! [[ "$budget_min" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "experiment: BUDGET_MIN must be a number of minutes, got \"$budget_min\"" >&2
    exit 2
fi
build_dir="${BUILD_DIR:-build-train}"
cores="$(nproc 2>/dev/null || echo 1)"
jobs="${JOBS:-$((cores < 2 ? cores : 2))}"
out_root="${OUT_DIR:-docs/experiments}"
out_dir="$out_root/grid"
python=/usr/bin/python3

section() { printf '\n==== %s ====\n' "$*"; }

if [[ -z "${BIN:-}" || ( " ${grids[*]} " == *" audit "* && -z "${AUDIT_BIN:-}" ) ]]; then
    section "dependencies and build ($build_dir, Release, g++)"
    # libtorch 1.13's headers fail under clang 14 in C++20, hence g++.
    scripts/install-deps.sh g++ libtorch-dev dataset-fashion-mnist zlib1g-dev gnuplot-nox
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="${CXX:-g++}" \
        -DRESIZEMIX_BUILD_TESTS=OFF >/dev/null
    cmake --build "$build_dir" --target resizemix_train resizemix_audit -j "$jobs"
fi
bin="${BIN:-$build_dir/bin/resizemix-train}"
audit_bin="${AUDIT_BIN:-$build_dir/bin/resizemix-audit}"

# ---- audit: no training -------------------------------------------------------------------
if [[ " ${grids[*]} " == *" audit "* ]]; then
    section "audit: 100000 mixes per task and method"
    mkdir -p "$out_root/audit"
    "$audit_bin" --mixes 100000 --seed 0 --markdown "$out_root/audit/audit.md" --png "$out_root/audit/failures.png"
fi

# ---- the training grids ---------------------------------------------------------------------
# Every argument that changes a run is written out, defaults included, so the cache key (a hash
# of the list) changes whenever a run would. --csv and --gradcam-png only say where output goes.
common=(--train-subset 10000 --validation 5000 --mix-prob 0.5 --batch-size 128 --lr 0.1 --weight-decay 5e-4
        --width 16 --blocks 1 --crop-pad 2 --threads 1 --scale-min 0.1 --scale-max 0.8)
canvas_args=(--canvas 48 --garment-size 20 --canvas-test-seed 0 --stem-stride 2)
original_args=(--canvas 0 --stem-stride 1)
main_methods=(cutmix resizemix none mixup cutmix-inside cutmix-random cutmix-salient-source cutmix-salient-paste)
if ((quick)); then
    common=(--train-subset 512 --validation 200 --mix-prob 0.5 --batch-size 32 --lr 0.1 --weight-decay 5e-4
            --width 4 --blocks 1 --crop-pad 2 --threads 1 --scale-min 0.1 --scale-max 0.8 --eval-limit 200 --steps 8)
    main_methods=(cutmix resizemix)
    epochs=1
fi

# One run per line: grid|task|label|seed|method|seconds-per-step factor|arguments
plan="$(mktemp)"
manifest="$(mktemp)"
trap 'rm -f "$plan" "$manifest" "${plot_data:-}"' EXIT
add_grid() {  # grid task method-list extra-arguments...
    local grid="$1" task="$2" methods="$3"
    shift 3
    local method label factor task_args
    if [[ "$task" == canvas ]]; then task_args="${canvas_args[*]}"; factor=0.75; else task_args="${original_args[*]}"; factor=1; fi
    for ((seed = 0; seed < seeds; seed++)); do
        for method in $methods; do
            label="$method"
            local f="$factor"
            case "$method" in
                cutmix-salient-*) f=$(awk -v f="$f" 'BEGIN { print f * 1.4 }') ;;
                resizemix+) f=$(awk -v f="$f" 'BEGIN { print f * 2 }') ;;
            esac
            # The ablation's ranges replace the default range in place, so its 0.1-0.8 run has the
            # same arguments, hence the same cache entry, as the canvas grid's resizemix run.
            local extra="$*" run_common="${common[*]}"
            if [[ -n "$extra" ]]; then
                label="$method ($extra)"
                run_common="${run_common/--scale-min 0.1 --scale-max 0.8/$extra}"
            fi
            echo "$grid|$task|$label|$seed|$method|$f|--method $method --seed $seed --epochs $epochs $run_common $task_args"
        done
    done
}
for grid in "${grids[@]}"; do
    case "$grid" in
        canvas) add_grid canvas canvas "${main_methods[*]}" ;;
        original) add_grid original 28x28 "${main_methods[*]}" ;;
        ablation)
            add_grid ablation canvas resizemix --scale-min 0.1 --scale-max 0.4
            add_grid ablation canvas resizemix --scale-min 0.4 --scale-max 0.8
            add_grid ablation canvas resizemix --scale-min 0.1 --scale-max 0.8
            ;;
        augment) add_grid augment canvas "randaugment resizemix+ resizemix-randaugment-before cutout autoaugment" ;;
        quick)
            add_grid canvas canvas "${main_methods[*]}"
            add_grid original 28x28 "${main_methods[*]}"
            ;;
    esac
done | awk -F'|' '{ print ($5 == "cutmix" || $5 == "resizemix" ? 0 : $5 == "none" ? 1 : 2) "|" $0 }' |
    sort -t'|' -s -n -k1,1 -k5,5 | cut -d'|' -f2- >"$plan"
# The order above: the runs the prediction needs (cutmix and resizemix, every seed, both tasks)
# first, then the baseline, then the rest, each seed by seed, so a grid stopped early has complete
# paired seeds for the comparisons that matter most.
if [[ ! -s "$plan" ]]; then exit 0; fi  # audit only

if [[ ! -x "$bin" ]]; then
    echo "experiment: $bin was not built (libtorch or g++ missing? see the cmake output)" >&2
    exit 1
fi
runs_root="${RUNS_DIR:-$build_dir/experiment-runs}"
mkdir -p "$runs_root" "$out_dir"

# The cache key: a hash of the full argument list (later arguments win in resizemix-train, and a
# repeated option such as --scale-min appears twice in the ablation's list, so the list is hashed
# as written, in order).
run_dir() {
    local key
    key="$(printf '%s' "$1" | sha256sum | cut -c1-16)"
    echo "$runs_root/$key"
}
finished() { [[ -f "$1/run.csv" ]] && awk -F, -v e="$epochs" 'NR > 1 && $3 == e { found = 1 } END { exit !found }' "$1/run.csv"; }

if [[ "${FRESH:-0}" == 1 ]]; then
    while IFS='|' read -r _ _ _ _ _ _ args; do rm -rf "$(run_dir "$args")"; done <"$plan"
fi

# ---- budget check: seconds per step on the idle 2-core machine, one thread, batch 128 at
# 28x28 (measured: 2.5 min for 1170 steps with test evaluation), times the run's factor (canvas
# with the stride-2 stem 0.75, Grad-CAM 1.4, ResizeMix+'s doubled batch 2); the validation
# evaluation adds about 10%.
seconds_per_step=0.141
if ((quick)); then seconds_per_step=0.05; fi
steps_per_epoch=$((10000 / 128))
pending=0
estimate=$(while IFS='|' read -r _ _ _ _ _ factor args; do
    if ! finished "$(run_dir "$args")"; then echo "$factor"; fi
done <"$plan" | awk -v s="$seconds_per_step" -v steps=$((epochs * steps_per_epoch)) -v jobs="$jobs" -v quick="$quick" '
    { total += $1 * (quick ? 8 : steps) * s; n++ }
    END { printf "%d %.3f\n", n, total / jobs / 60 }')
read -r pending minutes <<<"$estimate"
total_runs=$(wc -l <"$plan")
section "plan: $total_runs runs ($pending still to train), estimated $minutes min on an idle machine with $jobs jobs"
if [[ "${REPORT_ONLY:-0}" != 1 ]] && awk -v m="$minutes" -v b="$budget_min" 'BEGIN { exit !(m > b) }'; then
    echo "experiment: the estimate ($minutes min) exceeds BUDGET_MIN=$budget_min; nothing started." >&2
    echo "experiment: raise BUDGET_MIN, fewer SEEDS or EPOCHS, or run fewer grids." >&2
    exit 3
fi

run_one() {  # run-folder grid method seed arguments
    local dir="$1" grid="$2" method="$3" seed="$4" args="$5"
    mkdir -p "$dir"
    printf '%s\n' "$args" >"$dir/args.txt"
    rm -f "$dir/run.csv.part"
    local argv
    read -r -a argv <<<"$args"
    # Where output goes is no part of the cache key.
    if [[ "$method" == none && "$seed" == 0 && "$quick" == 0 ]]; then argv+=(--gradcam-png "$out_dir/gradcam-$grid.png"); fi
    if "$bin" "${argv[@]}" --csv "$dir/run.csv.part" >"$dir/log.txt" 2>&1; then
        mv "$dir/run.csv.part" "$dir/run.csv"
        echo "done: $args ($(tail -n 1 "$dir/run.csv" | cut -d, -f8) test accuracy)"
    else
        echo "FAILED: $args; see $dir/log.txt" >&2
    fi
}

start=$(date +%s)
started=0
while IFS='|' read -r grid task label seed method factor args; do
    dir="$(run_dir "$args")"
    echo "$grid,$task,$label,$seed,$dir/run.csv" >>"$manifest"
    if finished "$dir" || [[ "${REPORT_ONLY:-0}" == 1 ]]; then continue; fi
    started=$((started + 1))
    while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
    run_one "$dir" "$grid" "$method" "$seed" "$args" &
done <"$plan"
wait
elapsed=$(($(date +%s) - start))
missing=0
while IFS='|' read -r _ _ _ _ _ _ args; do finished "$(run_dir "$args")" || missing=$((missing + 1)); done <"$plan"
if [[ "${REPORT_ONLY:-0}" == 1 ]]; then
    echo "report only: $((total_runs - missing)) of $total_runs runs finished"
else
    echo "trained $started runs in $((elapsed / 60)) min $((elapsed % 60)) s; kept $((total_runs - started)) finished earlier"
fi

section "results in $out_dir"
epochs_by_grid=""
for grid in canvas original ablation augment; do epochs_by_grid+="$grid=$epochs,"; done
"$python" scripts/experiment_report.py "$manifest" "$out_dir" "$epochs_by_grid"

if command -v gnuplot >/dev/null 2>&1 && [[ "${PLOTS:-$((!quick))}" == 1 ]]; then
    for data in "$out_dir"/accuracy-*.dat; do
        [[ -f "$data" ]] || continue
        grid="$(basename "$data" .dat)"
        grid="${grid#accuracy-}"
        last=$(($(wc -l <"$out_dir/ece-$grid.dat") - 1))  # gnuplot index of the last method
        gnuplot <<EOF
set terminal pngcairo size 1300,480 font "DejaVu Sans,10"
set output "$out_dir/$grid.png"
set multiplot layout 1,2 title "Fashion-MNIST, grid $grid: mean over seeds (final epoch reported)"
set grid
set key bottom right font ",8"
set title "test accuracy against epoch"
set xlabel "epoch"; set ylabel "top-1 test accuracy (%)"
plot for [i=0:$last] "$data" index i using 1:2 with linespoints lw 2 pt 7 ps 0.5 title columnheader(1)
set title "final epoch: accuracy against expected calibration error (15 bins)"
set xlabel "test ECE (%)"; set ylabel "top-1 test accuracy (%)"
set key off
plot "$out_dir/ece-$grid.dat" using 5:3:6:4 with xyerrorbars pt 7 lc rgb "#3060c0", \
     "" using 5:3:2 with labels offset 0,1 font ",8"
unset multiplot
EOF
        if [[ -f "$out_dir/baseline-$grid.dat" ]]; then
            gnuplot <<EOF
set terminal pngcairo size 700,420 font "DejaVu Sans,10"
set output "$out_dir/baseline-$grid.png"
set title "grid $grid: the baseline (none, seed 0) converging"
set grid; set xlabel "epoch"; set ylabel "loss"; set y2label "accuracy (%)"; set y2tics; set ytics nomirror
plot "$out_dir/baseline-$grid.dat" using 1:2 with lines lw 2 title "train loss", \
     "" using 1:3 with lines lw 2 title "test loss (NLL)", \
     "" using 1:4 axes x1y2 with lines lw 2 title "test accuracy", \
     "" using 1:5 axes x1y2 with lines lw 2 dt 2 title "validation accuracy"
EOF
        fi
    done
fi

if ((quick)) && [[ -z "${EXPERIMENT_NESTED:-}" ]]; then
    export EXPERIMENT_NESTED=1
    # The cache: a second invocation trains nothing. The budget: a budget of 0 refuses to start
    # runs that are not cached (a changed argument makes every run new).
    second="$(FRESH=0 SEEDS="$seeds" BIN="$bin" RUNS_DIR="$runs_root" OUT_DIR="$out_root" "$0" quick 2>&1)"
    if ! grep -q "^trained 0 runs" <<<"$second"; then
        echo "experiment quick: the second invocation trained again:" >&2
        echo "$second" >&2
        exit 1
    fi
    if FRESH=0 SEEDS=3 BUDGET_MIN=0 BIN="$bin" RUNS_DIR="$runs_root" OUT_DIR="$out_root" "$0" quick >/dev/null 2>&1; then
        echo "experiment quick: a budget of 0 minutes did not stop new runs" >&2
        exit 1
    fi
    grep -q "difference of the gaps" "$out_dir/results.md" || { echo "experiment quick: no prediction test in results.md" >&2; exit 1; }
    echo "experiment quick: tables, cache and budget check work"
fi
if ((missing > 0)); then
    echo "experiment: $missing runs unfinished or failed (logs under $runs_root); the same command resumes" >&2
    exit 1
fi
