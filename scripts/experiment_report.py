#!/usr/bin/python3
"""Tables, paired statistics and plot data for scripts/experiment.sh (docs/EXPERIMENTS.md).

Reads a manifest (one line per run: grid,task,label,seed,csv) of resizemix-train CSVs and
writes, under OUT_DIR: results.md (per grid: final-epoch test accuracy, NLL and ECE, the
validation accuracy, paired differences with 95% intervals and p-values, and the
pre-registered prediction), runs.csv (every epoch of every finished run) and the gnuplot
data files accuracy-<grid>.dat and baseline-<grid>.dat. Only the final epoch is reported;
nothing is selected on the test set. Standard library only (Debian's python3).

Statistics: a paired t-test over seeds (a seed fixes the initial weights, the data order and
the mixing decisions, so the same seed pairs two methods); the interval is mean +- t(0.975,
n-1) * sd / sqrt(n), the p-value two-sided.
"""
import csv
import math
import os
import sys
from collections import defaultdict


def betacf(a, b, x):
    """Continued fraction of the regularized incomplete beta function (Numerical Recipes 6.4)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-14:
            break
    return h


def betainc(a, b, x):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * betacf(a, b, x) / a
    return 1.0 - front * betacf(b, a, 1.0 - x) / b


def t_two_sided_p(t, dof):
    """P(|T| >= |t|) for Student's t with dof degrees of freedom."""
    return betainc(dof / 2.0, 0.5, dof / (dof + t * t))


def t_quantile(p, dof):
    """The p-quantile (p > 0.5) of Student's t, by bisection on the tail probability."""
    low, high = 0.0, 1000.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if 1.0 - t_two_sided_p(mid, dof) / 2.0 < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2.0


def paired(differences):
    """Mean, 95% interval half-width, two-sided p and n of a paired t-test (None when n < 2)."""
    n = len(differences)
    if n < 2:
        return None
    mean = sum(differences) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in differences) / (n - 1))
    half = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
    if sd == 0.0:
        p = 0.0 if mean != 0.0 else 1.0
    else:
        p = t_two_sided_p(mean / (sd / math.sqrt(n)), n - 1)
    return mean, half, p, n


def mean_sd(values):
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    return mean, sd


def fmt_paired(result, scale=1.0):
    if result is None:
        return "n < 2"
    mean, half, p, n = result
    return f"{mean * scale:+.2f} [{(mean - half) * scale:+.2f}, {(mean + half) * scale:+.2f}], p = {p:.3f} (n = {n})"


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: experiment_report.py MANIFEST OUT_DIR EPOCHS_BY_GRID (grid=epochs,...)")
    manifest, out_dir, epochs_arg = sys.argv[1:]
    epochs_by_grid = dict(item.split("=") for item in epochs_arg.split(",") if item)
    runs = []  # (grid, task, label, seed, rows)
    with open(manifest) as handle:
        for grid, task, label, seed, path in csv.reader(handle):
            if not os.path.exists(path):
                continue
            with open(path) as run_file:
                rows = list(csv.DictReader(run_file))
            if not rows or int(rows[-1]["epoch"]) != int(epochs_by_grid[grid]):
                continue  # unfinished
            runs.append((grid, task, label, int(seed), rows))

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "runs.csv"), "w", newline="") as handle:
        writer = None
        for grid, task, label, seed, rows in runs:
            for row in rows:
                record = {"grid": grid, "task": task, "label": label, **row}
                if writer is None:
                    writer = csv.DictWriter(handle, fieldnames=list(record))
                    writer.writeheader()
                writer.writerow(record)

    final = defaultdict(dict)  # (grid, task) -> label -> seed -> last row
    curves = defaultdict(lambda: defaultdict(list))  # (grid, task, label) -> epoch -> accuracies
    order = defaultdict(list)
    for grid, task, label, seed, rows in runs:
        final[(grid, task)].setdefault(label, {})[seed] = rows[-1]
        if label not in order[(grid, task)]:
            order[(grid, task)].append(label)
        for row in rows:
            curves[(grid, task, label)][int(row["epoch"])].append(float(row["test_acc"]) * 100)

    lines = []
    for (grid, task), by_label in final.items():
        labels = order[(grid, task)]
        lines.append(f"### {grid}: {task}, {epochs_by_grid[grid]} epochs, final epoch\n")
        reference = [name for name in ("none", "cutmix") if name in by_label]
        header = "| method | seeds | test accuracy (%) | test NLL | test ECE (%) | validation accuracy (%) |"
        header += "".join(f" vs {name}, paired (points) |" for name in reference)
        header += " minutes per run |"
        lines.append(header)
        lines.append("|" + "---|" * (header.count("|") - 1))
        for label in labels:
            seeds = by_label[label]
            acc = [float(r["test_acc"]) * 100 for r in seeds.values()]
            nll = [float(r["test_loss"]) for r in seeds.values()]
            ece = [float(r["test_ece"]) * 100 for r in seeds.values()]
            val = [float(r["val_acc"]) * 100 for r in seeds.values() if r.get("val_acc")]
            minutes = [float(r["seconds"]) / 60 for r in seeds.values()]
            a, a_sd = mean_sd(acc)
            cells = [label, str(len(acc)), f"{a:.2f} ± {a_sd:.2f}", f"{mean_sd(nll)[0]:.4f}", f"{mean_sd(ece)[0]:.2f}",
                     f"{mean_sd(val)[0]:.2f}" if val else ""]
            for name in reference:
                if name == label:
                    cells.append("")
                    continue
                common = sorted(set(seeds) & set(by_label[name]))
                cells.append(fmt_paired(paired([(float(seeds[s]["test_acc"]) - float(by_label[name][s]["test_acc"])) * 100
                                                 for s in common])))
            cells.append(f"{mean_sd(minutes)[0]:.1f}")
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        lines.append("Paired differences: mean [95% interval] of the per-seed difference in test accuracy, "
                     "two-sided paired t-test over the seeds both methods finished.\n")

    # The prediction committed before the run: ResizeMix minus reference CutMix is larger on
    # the canvas than on 28x28. Per seed: (RM - CM on the canvas) - (RM - CM at 28x28).
    canvas = final.get(("canvas", "canvas"), {})
    original = final.get(("original", "28x28"), {})
    if all(name in d for d in (canvas, original) for name in ("resizemix", "cutmix")):
        def gap(table, seed):
            return (float(table["resizemix"][seed]["test_acc"]) - float(table["cutmix"][seed]["test_acc"])) * 100
        seeds = sorted(set(canvas["resizemix"]) & set(canvas["cutmix"]) & set(original["resizemix"]) & set(original["cutmix"]))
        lines.append("### The prediction: ResizeMix minus reference CutMix, canvas against 28x28\n")
        lines.append("| seed | canvas: resizemix - cutmix | 28x28: resizemix - cutmix | difference |")
        lines.append("|---|---|---|---|")
        for seed in seeds:
            lines.append(f"| {seed} | {gap(canvas, seed):+.2f} | {gap(original, seed):+.2f} | "
                         f"{gap(canvas, seed) - gap(original, seed):+.2f} |")
        lines.append("")
        lines.append("canvas gap: " + fmt_paired(paired([gap(canvas, s) for s in seeds])))
        lines.append("")
        lines.append("28x28 gap: " + fmt_paired(paired([gap(original, s) for s in seeds])))
        lines.append("")
        lines.append("difference of the gaps (the prediction says > 0): " +
                     fmt_paired(paired([gap(canvas, s) - gap(original, s) for s in seeds])))
        lines.append("")

    with open(os.path.join(out_dir, "results.md"), "w") as handle:
        handle.write("\n".join(lines) + "\n")
    print("\n".join(lines))

    # Plot data: per (grid, task) one gnuplot index per method: epoch, mean accuracy, sd.
    for (grid, task), by_label in final.items():
        with open(os.path.join(out_dir, f"accuracy-{grid}.dat"), "w") as handle:
            for label in order[(grid, task)]:
                handle.write(f'"{label}"\n')
                for epoch, values in sorted(curves[(grid, task, label)].items()):
                    m, sd = mean_sd(values)
                    handle.write(f"{epoch} {m:.4f} {sd:.4f}\n")
                handle.write("\n\n")
        with open(os.path.join(out_dir, f"ece-{grid}.dat"), "w") as handle:
            for i, label in enumerate(order[(grid, task)]):
                seeds = by_label[label]
                acc = mean_sd([float(r["test_acc"]) * 100 for r in seeds.values()])
                ece = mean_sd([float(r["test_ece"]) * 100 for r in seeds.values()])
                handle.write(f'{i} "{label}" {acc[0]:.4f} {acc[1]:.4f} {ece[0]:.4f} {ece[1]:.4f}\n')
        # The baseline's convergence: train loss, test loss and test accuracy per epoch, lowest seed.
        if "none" in by_label:
            baseline = min((seed, rows) for g, t, label, seed, rows in runs if g == grid and label == "none")[1]
            with open(os.path.join(out_dir, f"baseline-{grid}.dat"), "w") as handle:
                for row in baseline:
                    handle.write(f'{row["epoch"]} {row["train_loss"]} {row["test_loss"]} {float(row["test_acc"]) * 100:.4f} '
                                 f'{float(row["val_acc"]) * 100 if row.get("val_acc") else 0:.4f}\n')


if __name__ == "__main__":
    main()
