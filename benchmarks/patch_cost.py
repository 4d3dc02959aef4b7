#!/usr/bin/env python3
"""Cost per image of ResizeMix in place against the patch's pixels (issue 15).

Runs resizemix_bench_patch_cost (benchmarks/bench_patch_cost.cpp) for its
timings and, with --instructions, once per cell under valgrind's callgrind
(instructions per image = the difference between 1 and 3 calls, divided by
2 calls' images: noise-free on a loaded machine), prints a markdown table and
draws the plot through gnuplot (log-log; one line per image size).

    benchmarks/patch_cost.py build-bench/bin/resizemix_bench_patch_cost \\
        --instructions --markdown patch.md --plot patch.png
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def run_program(program, *arguments):
    output = subprocess.run([program, *arguments], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in output.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        size, tau, patch, ns, images = line.split()
        rows.append({"size": int(size), "tau": float(tau), "patch": int(patch), "ns": float(ns), "images": int(images)})
    return rows


def instructions(program, size, tau_percent, calls):
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "cg.out")
        result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, program,
                                 "--sizes", str(size), "--tau-percent", str(tau_percent), "--calls", str(calls),
                                 "--reps", "1"], check=True, capture_output=True, text=True)
        match = re.search(r"Collected : (\d+)", result.stderr)
        if match is None:
            sys.exit("patch_cost.py: no instruction count in callgrind's output")
        return int(match.group(1))


def plot(rows, path, with_instructions):
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        print("patch_cost.py: gnuplot not found, no plot written", file=sys.stderr)
        return
    sizes = sorted({r["size"] for r in rows})
    panels = [("ns", "time per image (ns; loaded machine)")]
    if with_instructions:
        panels.append(("instructions", "instructions per image (callgrind)"))
    with tempfile.TemporaryDirectory() as folder:
        script = [f"set terminal pngcairo size {640 * len(panels)},480", f"set output '{path}'",
                  f"set multiplot layout 1,{len(panels)}", "set logscale xy", "set key top left",
                  "set xlabel 'patch pixels'", "set grid"]
        for key, title in panels:
            plots = []
            for size in sizes:
                data = os.path.join(folder, f"{key}-{size}.dat")
                with open(data, "w") as f:
                    for r in sorted((r for r in rows if r["size"] == size), key=lambda r: r["patch"]):
                        f.write(f"{r['patch']} {r[key]}\n")
                plots.append(f"'{data}' using 1:2 with linespoints title '{size}x{size} images'")
            script += [f"set title '{title}'", "plot " + ", ".join(plots)]
        script.append("unset multiplot")
        gp = os.path.join(folder, "plot.gp")
        with open(gp, "w") as f:
            f.write("\n".join(script) + "\n")
        subprocess.run([gnuplot, gp], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program")
    parser.add_argument("--sizes", default="32,64,128,224,320")
    parser.add_argument("--tau-percent", default="10,25,50,80")
    parser.add_argument("--instructions", action="store_true", help="also count instructions under callgrind")
    parser.add_argument("--markdown", help="write the table here")
    parser.add_argument("--plot", help="write the plot (PNG) here")
    args = parser.parse_args()

    rows = run_program(args.program, "--sizes", args.sizes, "--tau-percent", args.tau_percent)
    if args.instructions:
        for r in rows:
            percent = str(round(r["tau"] * 100))
            one = instructions(args.program, r["size"], percent, 1)
            three = instructions(args.program, r["size"], percent, 3)
            r["instructions"] = (three - one) / (2 * r["images"])
    lines = ["| image | tau | patch pixels | ns per image | instructions per image | per patch pixel |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        ins = r.get("instructions")
        lines.append(f"| {r['size']}x{r['size']} | {r['tau']:.2f} | {r['patch']} | {r['ns']:.0f} | "
                     + (f"{ins / 1000:.1f} K | {ins / max(r['patch'], 1):.1f} |" if ins is not None else "- | - |"))
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table + "\n")
    if args.plot:
        plot(rows, args.plot, args.instructions)


if __name__ == "__main__":
    main()
