#!/usr/bin/python3
"""torchvision's RandAugment operations timed from Python on resizemix_bench_augment's images.

scripts/bench.sh runs resizemix_bench_augment --workload_dir=DIR (which writes its input batches
there) and then this script, so both time the same pixels in the same run:
W1 = batch 256 of 32x32x3, W2 = batch 64 of 224x224x3, uint8 HWC and float CHW.

What is timed, per workload, each as the median of --rounds rounds over the whole batch, in wall
time and (separately) in CPU time of the calling thread, which a loaded machine disturbs less:
  memcpy             numpy.copyto of the batch (the unit of every ratio in this process)
  <Op>/torchvision   torchvision.transforms.autoaugment._apply_op (what RandAugment calls) on each
                     image in turn, at RandAugment(2, 9)'s magnitude from torchvision's own
                     _augmentation_space (31 bins, positive sign, nearest, fill None)
  <Op>/torchvision-batch  the same call once on the whole N x C x H x W batch (one magnitude for all)
  RandAugment(2,9)/torchvision  torchvision.transforms.RandAugment() on each image in turn
torchvision gets the uint8 batch as a channels-first view of the same HWC memory (permute, no
copy) and the float batch as it is. torch runs on 1 thread, as resizemix_bench_augment does.
torchvision 0.14 refuses float tensors in Posterize and Equalize, and RandAugment's Solarize
threshold (on the 0-255 scale: "Threshold should be less than bound of img"), so its RandAugment
fails on float images whenever it draws one of the three: those cells are "n/a".

With --ours RESULTS.json (resizemix_bench_augment's Google Benchmark JSON) it prints two markdown
tables (CPU time, wall time): for every op, resizemix, OpenCV and torchvision as ratios to memcpy,
each ratio taken against the memcpy measured in its own process with the same clock.

    /usr/bin/python3 benchmarks/bench_torchvision_ops.py --workload-dir DIR [--ours results.json]
        [--json out.json] [--markdown out.md] [--rounds 7]
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torchvision
from torchvision.transforms import InterpolationMode
from torchvision.transforms.autoaugment import _apply_op


WORKLOADS = {"W1": (256, 32), "W2": (64, 224)}
PIXELS = ["u8hwc", "f32chw"]
OPS = ["Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color",
       "Contrast", "Sharpness", "Posterize", "Solarize", "AutoContrast", "Equalize"]
POLICY = "RandAugment(2,9)"
UINT8_ONLY = {"Posterize", "Equalize", "Solarize"}  # torchvision raises for these on float
UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def load_batch(directory, workload, pixels):
    count, side = WORKLOADS[workload]
    path = Path(directory) / f"{workload}-{pixels}.bin"
    if pixels == "u8hwc":
        array = np.fromfile(path, dtype=np.uint8).reshape(count, side, side, 3)
        return array, torch.from_numpy(array).permute(0, 3, 1, 2)
    array = np.fromfile(path, dtype=np.float32).reshape(count, 3, side, side)
    return array, torch.from_numpy(array)


def medians(function, rounds):
    """{"wall": s, "cpu": s}: the medians over `rounds` calls after one warm-up, each call timed on
    both clocks at once (CPU time of this thread: torch runs on it alone)."""
    function()
    wall, cpu = [], []
    for _ in range(rounds):
        wall_start, cpu_start = time.perf_counter(), time.thread_time()
        function()
        cpu.append(time.thread_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    return {"wall": statistics.median(wall), "cpu": statistics.median(cpu)}


def time_workload(directory, workload, pixels, rounds):
    array, images = load_batch(directory, workload, pixels)
    count, side = WORKLOADS[workload]
    scratch = np.empty_like(array)
    results = {"memcpy": medians(lambda: np.copyto(scratch, array), max(rounds, 15))}
    space = torchvision.transforms.RandAugment()._augmentation_space(31, (side, side))
    for op in OPS:
        if pixels != "u8hwc" and op in UINT8_ONLY:
            continue
        magnitudes, _ = space[op]
        magnitude = float(magnitudes[9].item()) if magnitudes.ndim > 0 else 0.0

        def per_image(op=op, magnitude=magnitude):
            for i in range(count):
                _apply_op(images[i], op, magnitude, interpolation=InterpolationMode.NEAREST, fill=None)

        def whole_batch(op=op, magnitude=magnitude):
            _apply_op(images, op, magnitude, interpolation=InterpolationMode.NEAREST, fill=None)

        results[f"{op}/torchvision"] = medians(per_image, rounds)
        results[f"{op}/torchvision-batch"] = medians(whole_batch, rounds)
    if pixels == "u8hwc":
        policy = torchvision.transforms.RandAugment(num_ops=2, magnitude=9)
        torch.manual_seed(0)
        results[f"{POLICY}/torchvision"] = medians(lambda: [policy(images[i]) for i in range(count)], rounds)
    return results


def load_ours(path, field):
    """{(workload, pixels): {"<op>/<impl>": median seconds}} from Google Benchmark's JSON;
    `field` is "real_time" (wall) or "cpu_time" (CPU time of the benchmark's thread)."""
    with open(path) as f:
        data = json.load(f)
    ours = {}
    for entry in data["benchmarks"]:
        if entry.get("run_type") != "aggregate" or entry.get("aggregate_name") != "median":
            continue
        name = entry["run_name"].removesuffix("/real_time")
        workload, pixels, op, implementation = name.split("/")
        seconds = entry[field] * UNIT[entry.get("time_unit", "ns")]
        ours.setdefault((workload, pixels), {})[f"{op}/{implementation}"] = seconds
    return ours


def ratio(results, key, memcpy_key):
    """results[key] / results[memcpy_key], or None where either is missing."""
    if key not in results or not results.get(memcpy_key):
        return None
    return results[key] / results[memcpy_key]


def markdown(theirs, ours):
    columns = [(w, p) for p in PIXELS for w in WORKLOADS]
    header = "| op | implementation | " + " | ".join(f"{w} {p}" for w, p in columns) + " |"
    lines = [header, "|" + "---|" * (2 + len(columns))]
    memcpy_row = []
    for w, p in columns:
        mine = ours.get((w, p), {}).get("memcpy/memcpy")
        python = theirs.get(f"{w}/{p}", {}).get("memcpy")
        memcpy_row.append(f"{mine * 1e3:.3f} / {python * 1e3:.3f}" if mine and python else "n/a")
    lines.append("| memcpy (ms: C++ / Python) | memcpy | " + " | ".join(memcpy_row) + " |")
    for op in OPS + [POLICY]:
        for implementation, source in [("resizemix", "ours"), ("opencv", "ours"), ("torchvision", "theirs"),
                                       ("torchvision-batch", "theirs")]:
            cells = []
            for w, p in columns:
                if source == "ours":
                    value = ratio(ours.get((w, p), {}), f"{op}/{implementation}", "memcpy/memcpy")
                else:
                    value = ratio(theirs.get(f"{w}/{p}", {}), f"{op}/{implementation}", "memcpy")
                cells.append("n/a" if value is None else f"{value:.1f}" if value >= 1 else f"{value:.2f}")
            if all(cell == "n/a" for cell in cells):
                continue
            lines.append(f"| {op} | {implementation} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workload-dir", required=True, help="where resizemix_bench_augment wrote its batches")
    parser.add_argument("--ours", help="resizemix_bench_augment's JSON, for the combined table")
    parser.add_argument("--json", help="write torchvision's medians (seconds) here")
    parser.add_argument("--markdown", help="write the combined table here")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    clocks = {"cpu": "cpu_time", "wall": "real_time"}  # our name: Google Benchmark's field
    theirs = {name: {} for name in clocks}
    for w in WORKLOADS:
        for p in PIXELS:
            print(f"torchvision {torchvision.__version__}: timing {w} {p}", file=sys.stderr, flush=True)
            for key, both in time_workload(args.workload_dir, w, p, args.rounds).items():
                for name in clocks:
                    theirs[name].setdefault(f"{w}/{p}", {})[key] = both[name]
    if args.json:
        context = {"torch": torch.__version__, "torchvision": torchvision.__version__, "threads": 1,
                   "rounds": args.rounds}
        Path(args.json).write_text(json.dumps({"context": context, "medians_s": theirs}, indent=1) + "\n")
    if args.ours:
        tables = ""
        for name, field in clocks.items():
            tables += f"\n{name.upper()} time, ratios to memcpy:\n\n" + markdown(theirs[name], load_ours(args.ours, field))
        print(tables)
        if args.markdown:
            Path(args.markdown).write_text(tables)


if __name__ == "__main__":
    main()
