#!/usr/bin/env python3
"""Ratio table and plot from resizemix_bench's JSON output (benchmarks/bench_mix.cpp).

Every figure is the median time of an implementation divided by the median time
of a memcpy of the same batch measured in the same run. Prints the table of
issue 4's workloads and targets (markdown), and with --plot writes a PNG of the
time per image against image size (the S* sweep) through gnuplot.

    report.py results.json [--markdown out.md] [--plot sizes.png]
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def load(path):
    with open(path) as f:
        data = json.load(f)
    medians, cvs, counters, cpu_medians = {}, {}, {}, {}
    for b in data["benchmarks"]:
        if b.get("run_type") != "aggregate":
            continue
        name = b["run_name"].removesuffix("/real_time")
        seconds = b["real_time"] * UNIT[b.get("time_unit", "ns")]
        if b["aggregate_name"] == "median":
            medians[name] = seconds
            cpu_medians[name] = b["cpu_time"] * UNIT[b.get("time_unit", "ns")]
            counters[name] = (b.get("images", 0), b.get("size", 0))
        elif b["aggregate_name"] == "cv":
            cvs[name] = b["real_time"]  # a fraction, whatever the unit
    repetitions = None
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b["aggregate_name"] == "median":
            repetitions = b.get("repetitions")
            break
    return data.get("context", {}), medians, cvs, counters, repetitions, cpu_medians


def split(name):
    if name.endswith("/real_time"):
        name = name[: -len("/real_time")]
    workload, pixels, method, mode, threads, impl = name.split("/")
    return workload, pixels, method, mode, threads, impl


def ratio_table(medians, cvs):
    """{(workload, pixels): memcpy seconds} and {(method, mode, threads, impl): {(w, p): (ratio, cv)}}.
    With CPU-time medians instead of wall-time ones, the same table in CPU time of the calling thread."""
    memcpy = {}
    for name, t in medians.items():
        w, p, m, _, _, impl = split(name)
        if impl == "memcpy":
            memcpy[(w, p)] = t
    rows = collections.OrderedDict()
    for name in sorted(medians, key=row_order):
        w, p, m, mode, threads, impl = split(name)
        if impl == "memcpy" or (w, p) not in memcpy or not w.startswith("W"):
            continue
        rows.setdefault((m, mode, threads, impl), {})[(w, p)] = (medians[name] / memcpy[(w, p)], cvs.get(name))
    return memcpy, rows


IMPL_ORDER = ["resizemix", "opencv", "stb", "torch-prealloc", "torch-mmpretrain"]
METHOD_ORDER = ["resizemix", "cutmix", "resizemix-area"]


def row_order(name):
    w, p, m, mode, threads, impl = split(name)
    return (METHOD_ORDER.index(m) if m in METHOD_ORDER else 9, mode != "inplace", threads,
            IMPL_ORDER.index(impl) if impl in IMPL_ORDER else 9, w, p)


COLUMNS = [("W1", "u8hwc"), ("W2", "u8hwc"), ("W1", "f32chw"), ("W2", "f32chw")]


def fmt_ratio(cell):
    if cell is None:
        return "-"
    ratio, cv = cell
    text = f"{ratio:.2f}x" if ratio < 10 else f"{ratio:.1f}x"
    return text


def targets(rows, cpu_rows=None):
    """Issue 4's targets: (description, measured text, met?)."""
    def r(m, mode, threads, impl, w, p, table=None):
        cell = (table if table is not None else rows).get((m, mode, threads, impl), {}).get((w, p))
        return None if cell is None else cell[0]

    out = []

    def bound(desc, value, limit, cpu_value=None):
        if value is None:
            out.append((desc, "not measured", None))
        else:
            cpu_text = f"; CPU time {cpu_value:.2f}x" if cpu_value is not None else ""
            out.append((desc, f"{value:.2f}x (target <= {limit}x{cpu_text})", value <= limit))

    for desc, key, limit in [
        ("ResizeMix in place, W2 uint8 HWC, 1 thread", ("resizemix", "inplace", "W2", "u8hwc"), 1.0),
        ("ResizeMix in place, W1 uint8 HWC, 1 thread", ("resizemix", "inplace", "W1", "u8hwc"), 2.5),
        ("ResizeMix in place, W2 float CHW, 1 thread", ("resizemix", "inplace", "W2", "f32chw"), 1.0),
        ("ResizeMix out of place, W2 uint8 HWC, 1 thread", ("resizemix", "outofplace", "W2", "u8hwc"), 1.6),
        ("CutMix in place, W2 uint8 HWC, 1 thread", ("cutmix", "inplace", "W2", "u8hwc"), 0.5),
    ]:
        m, mode, w, p = key
        cpu = r(m, mode, "t1", "resizemix", w, p, cpu_rows) if cpu_rows is not None else None
        bound(desc, r(m, mode, "t1", "resizemix", w, p), limit, cpu)

    def worst_ratio(cases):
        """The smallest slow / fast over (slow, fast, label) cases where both were
        measured, as (ratio, label); the first such case on ties; None if none was."""
        measured = [(slow / fast, label) for slow, fast, label in cases if slow is not None and fast is not None]
        return min(measured, key=lambda ratio_label: ratio_label[0]) if measured else None

    def speedup(desc, peer, cases, limit):
        worst = worst_ratio((r(m, mode, "t1", peer, w, p), r(m, mode, "t1", "resizemix", w, p), f"{m} {mode} {w} {p}")
                            for (m, mode, w, p) in cases)
        if worst is None:
            out.append((desc, "not measured", None))
        else:
            out.append((desc, f"worst {worst[0]:.1f}x ({worst[1]}; target >= {limit}x)", worst[0] >= limit))

    # The peer figures are for ResizeMix (resize into the target); CutMix is a
    # copy, where every peer is memcpy-bound, so it is reported beside, not as a target.
    modes = ["inplace", "outofplace"]
    speedup("ResizeMix at least 20x faster than libtorch mmpretrain-style, uint8 (W1, W2, both modes)",
            "torch-mmpretrain", [("resizemix", mode, w, "u8hwc") for mode in modes for w in ["W1", "W2"]], 20)
    speedup("ResizeMix at least 3x faster than OpenCV everywhere (W1, W2, uint8, float, both modes)", "opencv",
            [("resizemix", mode, w, p) for mode in modes for (w, p) in COLUMNS], 3)

    informational = []
    for peer, label in [("opencv", "OpenCV"), ("torch-mmpretrain", "libtorch mmpretrain-style")]:
        worst = worst_ratio((r("cutmix", mode, "t1", peer, w, p), r("cutmix", mode, "t1", "resizemix", w, p),
                             f"cutmix {mode} {w} {p}") for mode in modes for (w, p) in COLUMNS)
        if worst is not None:
            out.append((f"(not a target) CutMix speed-up over {label}", f"worst {worst[0]:.1f}x ({worst[1]})", None))

    worst = worst_ratio((r(m, mode, "t1", "resizemix", "W2", p), r(m, mode, "t2", "resizemix", "W2", p),
                         f"{m} {mode} W2 {p}")
                        for m in ["resizemix", "cutmix"] for mode in modes for p in ["u8hwc", "f32chw"])
    if worst is None:
        out.append(("Two threads >= 1.6x one thread, W2", "not measured", None))
    else:
        out.append(("Two threads >= 1.6x one thread, W2",
                    f"worst {worst[0]:.2f}x ({worst[1]})", worst[0] >= 1.6))
    return out + informational


def markdown(context, memcpy, rows, cvs_note, repetitions, cpu_rows=None):
    lines = []
    load = context.get("load_avg")
    load_text = f" Load average when the run began: {', '.join(f'{x:.1f}' for x in load)}." if load else ""
    lines.append(f"Median of {repetitions} repetitions; every cell is time / time of a memcpy of the same batch "
                 f"in the same run (lower is better).{load_text}")
    lines.append("")
    lines.append("| method | mode | threads | implementation | " + " | ".join(f"{w} {p}" for w, p in COLUMNS) + " |")
    lines.append("|---|---|---|---|" + "---:|" * len(COLUMNS))
    for (m, mode, threads, impl), cells in rows.items():
        lines.append(f"| {m} | {mode} | {threads[1:]} | {impl} | " +
                     " | ".join(fmt_ratio(cells.get(c)) for c in COLUMNS) + " |")
    lines.append("| memcpy (the unit) | | 1 | memcpy | " +
                 " | ".join(f"{memcpy[c] * 1e3:.3f} ms" if c in memcpy else "-" for c in COLUMNS) + " |")
    lines.append("")
    lines.append("Targets: wall-time ratios as above; for one-thread rows the ratio of CPU times (calling thread) "
                 "is shown too, which is less disturbed by other work on a shared machine.")
    lines.append("")
    lines.append("| target (issue 4) | measured | met |")
    lines.append("|---|---|---|")
    for desc, measured, met in targets(rows, cpu_rows):
        lines.append(f"| {desc} | {measured} | {'yes' if met else ('no' if met is not None else '-')} |")
    return "\n".join(lines)


def plot(medians, path):
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        print("report.py: gnuplot not found, no plot written", file=sys.stderr)
        return False
    series = collections.defaultdict(list)  # (pixels, impl) -> [(size, us per image)]
    for name, t in medians.items():
        w, p, m, mode, threads, impl = split(name)
        if not w.startswith("S") or threads != "t1" or (mode not in ("inplace", "-")):
            continue
        size = int(w[1:])
        images = 16
        label = impl if m != "resizemix-area" else (impl + " (area)" if impl == "resizemix" else impl + " (box = area)")
        series[(p, label)].append((size, t / images * 1e6))
        if impl == "memcpy":
            # E[tau^2] for tau ~ U(0.1, 0.8): the mean share of the image the patch covers.
            patch_share = (0.8 ** 3 - 0.1 ** 3) / (3 * 0.7)
            series[(p, "memcpy of the patch (0.24 of the image)")].append((size, t / images * 1e6 * patch_share))
    if not series:
        print("report.py: no S* sweep in the results, no plot written", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory() as tmp:
        script = [
            "set terminal pngcairo size 1400,560 enhanced font 'DejaVu Sans,11'",
            f"set output '{os.path.abspath(path)}'",
            "set multiplot layout 1,2 title 'ResizeMix in place, batch of 16, random tau in [0.1, 0.8], one thread: time per image'",
            "set logscale xy",
            "set xlabel 'image side (px), square, 3 channels'",
            "set ylabel 'microseconds per image'",
            "set grid",
            "set key top left Left reverse samplen 2 font ',9'",
            "set xtics (32, 64, 96, 128, 192, 256, 384, 512)",
            "set xrange [28:580]",
        ]
        styles = {"resizemix": "lw 3 lc rgb '#d62728' pt 7", "resizemix (area)": "lw 1.5 dt 2 lc rgb '#d62728' pt 6",
                  "memcpy": "lw 2 lc rgb 'black' dt 3 pt 1",
                  "memcpy of the patch (0.24 of the image)": "lw 1 lc rgb 'gray40' dt 2 pt 0",
                  "opencv": "lw 2 lc rgb '#1f77b4' pt 5",
                  "stb (box = area)": "lw 2 lc rgb '#2ca02c' pt 9",
                  "torch-mmpretrain": "lw 2 lc rgb '#9467bd' pt 11", "torch-prealloc": "lw 2 lc rgb '#8c564b' pt 13"}
        for panel, title in [("u8hwc", "uint8 HWC"), ("f32chw", "float CHW")]:
            plots = []
            for (p, label), points in sorted(series.items(), key=lambda kv: kv[0][1]):
                if p != panel:
                    continue
                data = os.path.join(tmp, f"{p}-{label.replace(' ', '_').replace('(', '').replace(')', '')}.dat")
                with open(data, "w") as f:
                    for size, us in sorted(points):
                        f.write(f"{size} {us}\n")
                style = styles.get(label, "lw 2")
                plots.append(f"'{data}' using 1:2 with linespoints {style} title '{label}'")
            script.append(f"set title '{title}'")
            script.append("plot " + ", ".join(plots))
        script.append("unset multiplot")
        gp = os.path.join(tmp, "plot.gp")
        with open(gp, "w") as f:
            f.write("\n".join(script) + "\n")
        subprocess.run([gnuplot, gp], check=True)
    print(f"report.py: wrote {path}", file=sys.stderr)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("json")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--plot", help="write the size-sweep plot (PNG) here")
    args = parser.parse_args()
    context, medians, cvs, counters, repetitions, cpu_medians = load(args.json)
    if not medians:
        sys.exit("report.py: no median aggregates in the JSON; run with --benchmark_repetitions >= 2")
    memcpy, rows = ratio_table(medians, cvs)
    _, cpu_rows = ratio_table(cpu_medians, cvs)
    text = markdown(context, memcpy, rows, cvs, repetitions, cpu_rows)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if args.plot:
        plot(medians, args.plot)


if __name__ == "__main__":
    main()
