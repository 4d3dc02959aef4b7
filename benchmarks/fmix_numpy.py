"""The FMix authors' mask sampling in NumPy, timed: the reference beside resizemix::fmix.

benchmarks/bench_baselines.cpp runs this with Debian's /usr/bin/python3 in the same run as its
own benchmarks. The procedure is the authors' sample_mask (fmix.py, max_soft = 0), one mask per
image as resizemix draws them: lam ~ Beta(alpha, alpha); a complex Gaussian spectrum scaled by
1 / max(freq, 1 / max(w, h)) ** decay_power; numpy.fft.irfftn; the top ceil / floor(lam * size)
pixels of argsort set to 1. Prints one JSON object: seconds per batch of `count` masks, the median
of `repetitions` timed batches (time.perf_counter, in this process).

  /usr/bin/python3 benchmarks/fmix_numpy.py COUNT HEIGHT WIDTH [REPETITIONS]
"""
import json
import math
import random
import sys
import time

import numpy as np


def fftfreqnd(h, w):
    fy = np.expand_dims(np.fft.fftfreq(h), -1)
    fx = np.fft.fftfreq(w)[: w // 2 + 2] if w % 2 == 1 else np.fft.fftfreq(w)[: w // 2 + 1]
    return np.sqrt(fx * fx + fy * fy)


def sample_mask(alpha, decay_power, h, w, generator):
    lam = generator.beta(alpha, alpha)
    freqs = fftfreqnd(h, w)
    scale = np.ones(1) / (np.maximum(freqs, np.array([1.0 / max(w, h)])) ** decay_power)
    param = generator.standard_normal([1] + list(freqs.shape) + [2])
    spectrum = np.expand_dims(scale, -1)[None, :] * param
    spectrum = spectrum[:, 0] + 1j * spectrum[:, 1]
    grey = np.real(np.fft.irfftn(spectrum, (h, w)))[:1, :h, :w]
    idx = grey.reshape(-1).argsort()[::-1]
    flat = grey.reshape(-1)
    num = math.ceil(lam * flat.size) if random.random() > 0.5 else math.floor(lam * flat.size)
    flat[idx[:num]] = 1
    flat[idx[num:]] = 0
    return lam, flat.reshape((1, h, w))


def main():
    count, height, width = (int(v) for v in sys.argv[1:4])
    repetitions = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    generator = np.random.default_rng(0)
    random.seed(0)
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(count):
            sample_mask(1.0, 3.0, height, width, generator)
        times.append(time.perf_counter() - start)
    times.sort()
    print(json.dumps({"seconds_per_batch": times[len(times) // 2], "count": count, "height": height, "width": width,
                      "numpy": np.__version__}))


if __name__ == "__main__":
    main()
