#!/usr/bin/env bash
# The Fashion-MNIST training experiment of docs/EXPERIMENTS.md: trains the small
# residual CNN of examples/train with every method (none, mixup, cutmix, the two
# saliency-guided CutMix variants, resizemix) for every seed, then writes under
# docs/experiments/:
#   fashion_mnist.csv  one row per method, seed and epoch (test accuracy and loss)
#   results.md         mean +- std of the final top-1 test accuracy over the seeds
#   accuracy.png       mean test accuracy against epoch, one line per method
#   gradcam.png        Grad-CAM maps and salient boxes of the baseline model (seed 0)
#
# Usage: scripts/experiment.sh [epochs] [seeds]        (defaults: 15 epochs, 3 seeds)
# The defaults take about 26 minutes on an idle 2-core machine (two runs at a time).
#
# Environment:
#   BUILD_DIR     build folder (default: build-train)
#   JOBS          training runs at a time, one thread each (default: nproc, at most 2)
#   TRAIN_SUBSET  train on the first N training images (default 10000; 0 = all 60000)
#   MIX_PROB      probability that a sample is mixed (default 0.5)
#   OUT_DIR       where the results go (default: docs/experiments)
#   FRESH=1       re-run every run; otherwise finished runs (kept under
#                 $BUILD_DIR/experiment-runs) are reused, so an interrupted grid resumes
#   EXTRA_ARGS    more resizemix-train arguments for every run (e.g. "--width 8")
#   METHODS       which methods, space-separated (default: the six above); the first is
#                 the reference of the table's "vs" column. Also accepted: randaugment,
#                 resizemix+ (ResizeMix then RandAugment(2, 9), batch augmentation x2) and
#                 resizemix-randaugment-before (the paper's Table 7 control), cutout and
#                 autoaugment (AutoAugment's CIFAR-10 policy, no mixing)
set -euo pipefail
cd "$(dirname "$0")/.."

epochs="${1:-15}"
seeds="${2:-3}"
for value in "$epochs" "$seeds"; do
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "usage: scripts/experiment.sh [epochs] [seeds]  (positive integers; got \"$value\")" >&2
        exit 2
    fi
done
if ((seeds < 3)); then
    echo "experiment: note: fewer than 3 seeds; the standard deviations mean little" >&2
fi
build_dir="${BUILD_DIR:-build-train}"
cores="$(nproc 2>/dev/null || echo 1)"
jobs="${JOBS:-$((cores < 2 ? cores : 2))}"
subset="${TRAIN_SUBSET:-10000}"
mix_prob="${MIX_PROB:-0.5}"
out_dir="${OUT_DIR:-docs/experiments}"
read -r -a extra_args <<<"${EXTRA_ARGS:-}"
default_methods="none mixup cutmix cutmix-salient-source cutmix-salient-paste resizemix"
known_methods="$default_methods randaugment resizemix+ resizemix-randaugment-before cutout autoaugment"
read -r -a methods <<<"${METHODS:-$default_methods}"
for method in "${methods[@]}"; do
    if [[ " $known_methods " != *" $method "* ]]; then
        echo "experiment: unknown method \"$method\" in METHODS (known: $known_methods)" >&2
        exit 2
    fi
done
if ((${#methods[@]} == 0)); then
    echo "experiment: METHODS names no method (known: $known_methods)" >&2
    exit 2
fi

section() { printf '\n==== %s ====\n' "$*"; }

section "dependencies"
# What the experiment needs beyond the library's build: libtorch, the data, g++
# (libtorch 1.13's headers fail under clang 14 in C++20), zlib and a plotter.
scripts/install-deps.sh g++ libtorch-dev dataset-fashion-mnist zlib1g-dev gnuplot-nox

section "build $build_dir (Release, g++)"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="${CXX:-g++}" \
    -DRESIZEMIX_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" --target resizemix_train -j "$jobs"
bin="$build_dir/bin/resizemix-train"
if [[ ! -x "$bin" ]]; then
    echo "experiment: $bin was not built (libtorch or g++ missing? see the cmake output)" >&2
    exit 1
fi

runs_dir="$build_dir/experiment-runs/e${epochs}-n${subset}-p${mix_prob}"
mkdir -p "$runs_dir" "$out_dir"
if [[ "${FRESH:-0}" == 1 ]]; then rm -f "$runs_dir"/*.csv; fi

# A run is finished when its CSV has the row of the last epoch.
finished() { [[ -f "$1" ]] && awk -F, -v e="$epochs" '$3 == e { found = 1 } END { exit !found }' "$1"; }

run_one() {  # method seed
    local method="$1" seed="$2"
    local csv="$runs_dir/$method-s$seed.csv" log="$runs_dir/$method-s$seed.log"
    local args=(--method "$method" --seed "$seed" --epochs "$epochs" --train-subset "$subset"
                --mix-prob "$mix_prob" --threads 1 --csv "$csv.part")
    if [[ "$method" == none && "$seed" == 0 ]]; then args+=(--gradcam-png "$out_dir/gradcam.png"); fi
    rm -f "$csv.part"
    if "$bin" "${args[@]}" "${extra_args[@]}" >"$log" 2>&1; then
        mv "$csv.part" "$csv"
        echo "done: $method seed $seed ($(tail -n 1 "$csv" | cut -d, -f8) test accuracy, $(tail -n 1 "$csv" | cut -d, -f9) s)"
    else
        echo "FAILED: $method seed $seed; see $log" >&2
    fi
}

section "train: ${#methods[@]} methods x $seeds seeds, $epochs epochs on $subset images, $jobs at a time"
start=$(date +%s)
started=0
for ((seed = 0; seed < seeds; seed++)); do
    for method in "${methods[@]}"; do
        if finished "$runs_dir/$method-s$seed.csv"; then
            echo "kept: $method seed $seed (finished earlier; FRESH=1 re-runs it)"
            continue
        fi
        started=$((started + 1))
        while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
        run_one "$method" "$seed" &
    done
done
wait
elapsed=$(($(date +%s) - start))

failed=0
for ((seed = 0; seed < seeds; seed++)); do
    for method in "${methods[@]}"; do
        finished "$runs_dir/$method-s$seed.csv" || { echo "missing: $method seed $seed" >&2; failed=1; }
    done
done
if ((failed)); then
    echo "experiment: some runs failed (logs in $runs_dir); rerun the same command to resume" >&2
    exit 1
fi

section "results in $out_dir"
csv="$out_dir/fashion_mnist.csv"
{
    echo "method,seed,epoch,step,lr,train_loss,test_loss,test_acc,seconds"
    for method in "${methods[@]}"; do
        for ((seed = 0; seed < seeds; seed++)); do tail -n +2 "$runs_dir/$method-s$seed.csv"; done
    done
} >"$csv"

# Mean and sample standard deviation of the final-epoch accuracy per method.
table="$out_dir/results.md"
{
    echo "Fashion-MNIST, top-1 test accuracy (%) after $epochs epochs on $subset training images,"
    echo "mean ± sample standard deviation over $seeds seeds (each sample mixed with probability $mix_prob;"
    if ((started > 0)); then
        echo "wall time $((elapsed / 60)) min for the $started of $((seeds * ${#methods[@]})) runs trained by the last invocation,"
        echo "$jobs at a time, one thread each; written by scripts/experiment.sh $epochs $seeds)."
    else  # every run was kept from an earlier invocation: its wall time is not known here
        echo "every run kept from an earlier invocation, one thread each; written by scripts/experiment.sh $epochs $seeds)."
    fi
    echo
    echo "| method | top-1 accuracy (%) | vs ${methods[0]} | per seed | best epoch, mean (%) | final train loss | minutes per run |"
    echo "|---|---|---|---|---|---|---|"
    awk -F, -v e="$epochs" -v order="${methods[*]}" '
        NR == 1 { next }
        { key = $1 SUBSEP $2; if ($8 * 100 > best[key]) best[key] = $8 * 100 }
        $3 == e {
            n[$1]++; acc = $8 * 100; sum[$1] += acc; sq[$1] += acc * acc
            seeds[$1] = seeds[$1] (seeds[$1] == "" ? "" : ", ") sprintf("%.2f", acc)
            loss[$1] += $6; secs[$1] += $9
        }
        END {
            for (key in best) { split(key, part, SUBSEP); bsum[part[1]] += best[key] }
            count = split(order, names, " ")
            for (i = 1; i <= count; i++) {
                m = names[i]; k = n[m]; mean[m] = sum[m] / k
                var = k > 1 ? (sq[m] - k * mean[m] * mean[m]) / (k - 1) : 0
                sd = var > 0 ? sqrt(var) : 0
                delta = i == 1 ? "" : sprintf("%+.2f", mean[m] - mean[names[1]])
                printf "| %s | %.2f ± %.2f | %s | %s | %.2f | %.3f | %.1f |\n", m, mean[m], sd, delta, seeds[m],
                       bsum[m] / k, loss[m] / k, secs[m] / k / 60
            }
        }' "$csv"
} >"$table"
cat "$table"

# The plot: mean test accuracy per epoch, with the spread over seeds as error bars.
plot_data="$(mktemp)"
trap 'rm -f "$plot_data"' EXIT
for method in "${methods[@]}"; do
    awk -F, -v m="$method" '
        $1 == m { n[$3]++; a = $8 * 100; s[$3] += a; q[$3] += a * a; if ($3 > last) last = $3 }
        END {
            print "\"" m "\""
            for (e = 1; e <= last; e++) {
                mean = s[e] / n[e]; var = n[e] > 1 ? (q[e] - n[e] * mean * mean) / (n[e] - 1) : 0
                printf "%d %.4f %.4f\n", e, mean, (var > 0 ? sqrt(var) : 0)
            }
            print ""; print ""
        }' "$csv" >>"$plot_data"
done
gnuplot <<EOF
set terminal pngcairo size 1200,500 font "DejaVu Sans,11"
set output "$out_dir/accuracy.png"
set multiplot layout 1,2 title "Fashion-MNIST, small ResNet, $subset training images: mean test accuracy of $seeds seeds"
set xlabel "epoch"
set ylabel "top-1 test accuracy (%)"
set grid
set key bottom right
if ($epochs <= 20) { set xtics 1 }
set title "all epochs"
plot for [i=0:${#methods[@]}-1] "$plot_data" index i using 1:2 with lines lw 2 title columnheader(1)
set title "last third, bars: std over seeds (methods shifted apart)"
set xrange [$((epochs * 2 / 3)) - 0.3:$((epochs)) + 0.3]
plot for [i=0:${#methods[@]}-1] "$plot_data" index i using (\$1 + 0.05 * (i - (${#methods[@]} - 1) / 2.0)):2:3 with yerrorlines lw 2 title columnheader(1)
unset multiplot
EOF
if [[ -f "$out_dir/gradcam.png" ]]; then
    echo "wrote $csv, $table, $out_dir/accuracy.png and $out_dir/gradcam.png"
else  # drawn by the run of "none", seed 0
    echo "wrote $csv, $table and $out_dir/accuracy.png (no gradcam.png: METHODS has no \"none\")"
fi
