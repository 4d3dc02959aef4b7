#!/usr/bin/python3
"""The Python binding's cost, as ratios measured in one run.

1. Overhead: resizemix.mix_batch called from Python (NumPy arrays and torch
   tensors) against resizemix::mix_batch called from C++ (resizemix_bench_binding)
   on the same workload with the same options: W1 = batch 256 of 32x32x3,
   W2 = batch 64 of 224x224x3, uint8 HWC and float CHW, in place, 1 thread,
   10 classes of soft labels; ResizeMix, CutMix, and ResizeMix+ (RandAugment
   after the mix: augment_after(ResizeMix(), RandAugment())). The two are timed in alternating rounds, so both
   see the same machine load; each round's figure is the median of its calls,
   and the ratio reported is the median over rounds of python / C++. With
   --instructions, the same calls are also counted in instructions under
   valgrind (callgrind): per call = (count for n + k calls - count for n calls) / k,
   a figure that machine load cannot move.
2. Against PyTorch: resizemix.mix_batch on an NCHW tensor against a timm-style
   implementation written here from the published algorithm (gather the
   partners' batch, F.interpolate each source to its box, slice-assign; one-hot
   labels mixed with the same lambdas), rendering the same plan (partners and
   boxes from resizemix's records). Their pixels are checked to agree (1 level
   for uint8, 1e-4 for float) before anything is timed.

    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DRESIZEMIX_BUILD_BENCHMARKS=ON \\
          -DRESIZEMIX_BUILD_TESTS=OFF -DRESIZEMIX_BUILD_EXAMPLES=OFF -DRESIZEMIX_INSTALL=OFF
    cmake --build build-bench --target resizemix_python resizemix_bench_binding
    /usr/bin/python3 benchmarks/bench_python.py --build-dir build-bench
"""

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

WORKLOADS = {"W1": (256, 32), "W2": (64, 224)}
OVERHEAD_CASES = [  # workload, pixels, method, calls per round
    ("W1", "u8hwc", "resizemix", 200),
    ("W1", "f32chw", "resizemix", 100),
    ("W1", "u8hwc", "cutmix", 200),
    ("W2", "u8hwc", "resizemix", 20),
    ("W2", "f32chw", "resizemix", 10),
    ("W2", "u8hwc", "cutmix", 40),
    ("W1", "u8hwc", "resizemix_plus", 50),
    ("W2", "u8hwc", "resizemix_plus", 5),
]


# Under callgrind a W2 ResizeMix+ call takes minutes: its overhead is measured in wall clock only.
INSTRUCTION_CASES = [case for case in OVERHEAD_CASES if case[:3] != ("W2", "u8hwc", "resizemix_plus")]


def make_mixer(resizemix, method):
    if method == "cutmix":
        return resizemix.CutMix()
    if method == "resizemix_plus":
        return resizemix.augment_after(resizemix.ResizeMix(), resizemix.RandAugment())
    return resizemix.ResizeMix()


def batch(workload, pixels, generator):
    count, size = WORKLOADS[workload]
    if pixels == "u8hwc":
        return generator.integers(0, 256, size=(count, size, size, 3), dtype=np.uint8)
    return generator.random(size=(count, 3, size, size), dtype=np.float32)


def median_seconds(function, calls):
    for _ in range(3):
        function()
    seconds = []
    for _ in range(calls):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def overhead(resizemix, torch, program, rounds):
    print("## Binding overhead: Python / C++ (median over %d alternating rounds)\n" % rounds)
    print("| workload | pixels | method | C++ ms | NumPy ms | NumPy / C++ | tensor ms | tensor / C++ |")
    print("|---|---|---|---|---|---|---|---|")
    generator = np.random.default_rng(1)
    rows = []
    for workload, pixels, method, calls in OVERHEAD_CASES:
        images = batch(workload, pixels, generator)
        tensor = torch.from_numpy(images.copy()) if torch else None
        labels = np.arange(len(images)) % 10
        label_tensor = torch.from_numpy(labels) if torch else None
        mixer = make_mixer(resizemix, method)
        layout = "nhwc" if pixels == "u8hwc" else "nchw"

        def call(pixels_object, label_object):
            return lambda: resizemix.mix_batch(mixer, pixels_object, label_object, num_classes=10, seed=2024,
                                               threads=1, layout=layout)

        cpp, numpy_times, tensor_times = [], [], []
        for _ in range(rounds):
            output = subprocess.run([program, "--workload", workload, "--pixels", pixels, "--method", method,
                                     "--calls", str(calls)], check=True, capture_output=True, text=True).stdout
            cpp.append(float(output))
            numpy_times.append(median_seconds(call(images, labels), calls))
            if torch:
                tensor_times.append(median_seconds(call(tensor, label_tensor), calls))
        numpy_ratio = statistics.median(n / c for n, c in zip(numpy_times, cpp))
        tensor_ratio = statistics.median(t / c for t, c in zip(tensor_times, cpp)) if torch else float("nan")
        rows.append((workload, pixels, method, numpy_ratio, tensor_ratio))
        print("| %s | %s | %s | %.3f | %.3f | %.3fx | %s | %s |" % (
            workload, pixels, method, 1e3 * statistics.median(cpp), 1e3 * statistics.median(numpy_times),
            numpy_ratio, "%.3f" % (1e3 * statistics.median(tensor_times)) if torch else "-",
            "%.3fx" % tensor_ratio if torch else "-"))
    return rows


def collected_instructions(command):
    """Instructions a command executes under callgrind (its "Collected" total)."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
                            check=True, capture_output=True, text=True)
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def instructions(build_dir, program):
    print("\n## Binding overhead in instructions per call (callgrind), NumPy arrays\n")
    print("| workload | pixels | method | C++ | Python | Python / C++ |")
    print("|---|---|---|---|---|---|")
    rows = []
    for workload, pixels, method, _ in INSTRUCTION_CASES:
        few, more = (2, 7) if workload == "W2" else (4, 14)
        if method == "cutmix":
            # ~1M instructions a call: the Python run's own run-to-run jitter (allocation, hashing;
            # ~0.5M) would be a tenth of 5 calls' difference, so count 40 more calls instead.
            more = few + 40
        cpp_command = [program, "--workload", workload, "--pixels", pixels, "--method", method, "--calls"]
        # The C++ program adds 3 untimed calls to --calls; so does the child below.
        cpp = (collected_instructions(cpp_command + [str(more)]) - collected_instructions(cpp_command + [str(few)]))
        python_command = [sys.executable, __file__, "--build-dir", str(build_dir), "--child", workload, pixels,
                          method, "--calls"]
        python = (collected_instructions(python_command + [str(more)])
                  - collected_instructions(python_command + [str(few)]))
        ratio = python / cpp
        rows.append((workload, pixels, method, ratio))
        print("| %s | %s | %s | %.3fM | %.3fM | %.4fx |" % (
            workload, pixels, method, cpp / (more - few) / 1e6, python / (more - few) / 1e6, ratio))
    return rows


def child(resizemix, workload, pixels, method, calls):
    """What --instructions counts: calls + 3 mix_batch calls on one workload, nothing else timed."""
    images = batch(workload, pixels, np.random.default_rng(1))
    labels = np.arange(len(images)) % 10
    mixer = make_mixer(resizemix, method)
    layout = "nhwc" if pixels == "u8hwc" else "nchw"
    for _ in range(calls + 3):
        resizemix.mix_batch(mixer, images, labels, num_classes=10, seed=2024, threads=1, layout=layout)


def timm_style(torch, images, labels, partners, boxes, source_boxes, lambdas, method, num_classes=10):
    """timm's batch mixing, per sample: gather the partners, interpolate (ResizeMix) or slice (CutMix), assign."""
    functional = torch.nn.functional
    source = images[partners]  # the batch gather: a copy, so in-place assignment reads original pixels
    if source.dtype == torch.uint8:
        source = source.to(torch.float32)  # torch 1.13 has no uint8 bilinear on the CPU
    for i in range(len(images)):
        x, y, width, height = boxes[i]
        if width == 0 or height == 0:
            continue
        if method == "resizemix":
            patch = functional.interpolate(source[i:i + 1], size=(height, width), mode="bilinear",
                                           align_corners=False)[0]
        else:
            sx, sy, _, _ = source_boxes[i]
            patch = source[i, :, sy:sy + height, sx:sx + width]
        if images.dtype == torch.uint8:
            patch = patch.round().clamp_(0, 255).to(torch.uint8)
        images[i, :, y:y + height, x:x + width] = patch
    one_hot = functional.one_hot(labels, num_classes).to(torch.float32)
    lam = lambdas.unsqueeze(1)
    return lam * one_hot[partners] + (1 - lam) * one_hot


def against_torch(resizemix, torch, rounds):
    print("\n## resizemix.mix_batch against a timm-style PyTorch batch mix (NCHW tensors, 1 thread)\n")
    print("| workload | dtype | method | resizemix ms | timm-style ms | timm-style / resizemix |")
    print("|---|---|---|---|---|---|")
    torch.set_num_threads(1)
    generator = np.random.default_rng(2)
    rows = []
    for workload in ("W1", "W2"):
        for dtype in ("uint8", "float32"):
            for method in ("resizemix", "cutmix"):
                count, size = WORKLOADS[workload]
                pixels = batch(workload, "f32chw", generator)
                if dtype == "uint8":
                    pixels = (pixels * 255).astype(np.uint8)
                original = torch.from_numpy(pixels)
                labels = torch.arange(count) % 10
                mixer = resizemix.CutMix() if method == "cutmix" else resizemix.ResizeMix()
                ours = original.clone()
                soft, records = resizemix.mix_batch(mixer, ours, labels, num_classes=10, seed=2024, threads=1)
                plan = (torch.from_numpy(records.partner), records.box.tolist(), records.source_box.tolist(),
                        torch.from_numpy(records.lambda_).to(torch.float32))
                theirs = original.clone()
                their_soft = timm_style(torch, theirs, labels, *plan, method)
                difference = (ours.to(torch.float32) - theirs.to(torch.float32)).abs().max().item()
                if difference > (1.0 if dtype == "uint8" else 1e-4) or not torch.allclose(soft, their_soft, atol=1e-6):
                    sys.exit("pixel check FAILED: %s %s %s differs by %g" % (workload, dtype, method, difference))
                calls = 20 if workload == "W1" else 5
                work = original.clone()
                ours_times, theirs_times = [], []
                for _ in range(rounds):
                    ours_times.append(median_seconds(
                        lambda: resizemix.mix_batch(mixer, work, labels, num_classes=10, seed=2024, threads=1), calls))
                    theirs_times.append(median_seconds(lambda: timm_style(torch, work, labels, *plan, method), calls))
                ratio = statistics.median(t / o for t, o in zip(theirs_times, ours_times))
                rows.append((workload, dtype, method, ratio))
                print("| %s | %s | %s | %.3f | %.3f | %.1fx |" % (
                    workload, dtype, method, 1e3 * statistics.median(ours_times),
                    1e3 * statistics.median(theirs_times), ratio))
    return rows


def main():
    parser = argparse.ArgumentParser(description="resizemix's Python binding against C++ and PyTorch")
    parser.add_argument("--build-dir", type=Path, default=Path("build-bench"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--instructions", action="store_true", help="also count instructions under valgrind")
    parser.add_argument("--child", nargs=3, metavar=("WORKLOAD", "PIXELS", "METHOD"), help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=int, default=10, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(args.build_dir / "python"))
    import resizemix
    if args.child:
        child(resizemix, *args.child, args.calls)
        return 0
    try:
        import torch
    except ImportError:
        torch = None
    program = args.build_dir / "bin" / "resizemix_bench_binding"
    if not program.exists():
        sys.exit("no %s: build the resizemix_bench_binding target (RESIZEMIX_BUILD_BENCHMARKS=ON)" % program)
    print("resizemix module: %s; torch %s\n" % (resizemix.__file__, torch.__version__ if torch else "missing"))
    overhead(resizemix, torch, str(program), args.rounds)
    if args.instructions:
        instructions(args.build_dir, str(program))
    if torch:
        against_torch(resizemix, torch, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
