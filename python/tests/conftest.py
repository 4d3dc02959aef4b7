"""Shared helpers of the resizemix Python tests (run by ctest as python.test_*)."""

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest


def noise(shape, dtype, seed=0):
    """Deterministic pixels: uint8 over the full range, float32 in [0, 1)."""
    generator = np.random.default_rng(seed)
    if dtype == np.uint8:
        return generator.integers(0, 256, size=shape, dtype=np.uint8)
    return generator.random(size=shape, dtype=np.float32)


class Reference:
    """Runs python/tests/reference_mix.cpp: the C++ library called directly."""

    def __init__(self, program, folder):
        self.program = program
        self.folder = folder

    def __call__(self, images, layout, mixer, labels=None, num_classes=0, pair_stream=None, targets=None,
                 sample_ids=None, **options):
        """Mixes the dense batch `images` out of place in C++; returns (pixels, records, soft labels)."""
        images = np.ascontiguousarray(images)
        if layout == "nchw":
            count, channels, height, width = images.shape
        else:
            count, height, width, channels = images.shape
        (self.folder / "input.raw").write_bytes(images.tobytes())
        command = [
            self.program, "--dtype", "u8" if images.dtype == np.uint8 else "f32", "--layout", layout,
            "--shape", str(count), str(channels), str(height), str(width),
            "--input", str(self.folder / "input.raw"), "--output", str(self.folder / "output.raw"),
            "--records", str(self.folder / "records.txt"), "--mixer", mixer,
        ]
        for key, value in options.items():
            flag = "--" + key.replace("_", "-")
            if value is True:
                command += [flag]
            elif isinstance(value, (list, tuple)):
                command += [flag, *map(str, value)]
            else:
                command += [flag, str(value)]
        if pair_stream is not None:
            command += ["--pair", str(pair_stream)]
        if sample_ids is not None:
            command += ["--sample-ids", *map(str, sample_ids)]
        if targets is not None:
            (self.folder / "targets.raw").write_bytes(np.ascontiguousarray(targets, np.float32).tobytes())
            command += ["--targets", str(self.folder / "targets.raw"), "--columns", str(targets.shape[1]),
                        "--soft-labels", str(self.folder / "soft.raw")]
        if labels is not None:
            (self.folder / "labels.raw").write_bytes(np.asarray(labels, np.int64).tobytes())
            command += ["--labels", str(self.folder / "labels.raw"), "--num-classes", str(num_classes),
                        "--soft-labels", str(self.folder / "soft.raw")]
        subprocess.run(command, check=True)
        shape = images.shape[1:] if pair_stream is not None else images.shape
        if options.get("repeats", 1) > 1:
            shape = (options["repeats"] * count, *images.shape[1:])
        pixels = np.fromfile(self.folder / "output.raw", dtype=images.dtype).reshape(shape)
        records = [line.split() for line in (self.folder / "records.txt").read_text().splitlines()]
        soft = None
        if labels is not None or targets is not None:
            columns = num_classes if targets is None else targets.shape[1]
            soft = np.fromfile(self.folder / "soft.raw", dtype=np.float32).reshape(-1, columns)
        return pixels, records, soft


@pytest.fixture
def torch():
    """The torch module, or a skip where python3-torch is not installed."""
    return pytest.importorskip("torch")


@pytest.fixture
def reference(tmp_path):
    program = os.environ.get("RESIZEMIX_REFERENCE")
    if not program:
        pytest.skip("RESIZEMIX_REFERENCE is not set (ctest sets it to the resizemix_python_reference program)")
    if not Path(program).exists():
        pytest.fail("RESIZEMIX_REFERENCE=%s does not exist: build resizemix_python_reference" % program)
    return Reference(program, tmp_path)


def record_fields(record):
    """A SampleRecord or MixInfo as the reference program prints it (lambda and tau to 17 digits)."""
    partner = getattr(record, "partner", 0)
    fields = [str(partner), repr_17(record.lambda_), repr_17(record.tau), *map(str, record.box),
              *map(str, record.source_box), record.method, str(record.choice)]
    if record.augmentations or (record.paste_box[2] > 0 and record.paste_box[3] > 0):
        fields += ["paste", *map(str, record.paste_box), *op_fields(record.augmentations)]
    return fields


STAGES = ("output", "source", "target")


def op_fields(ops):
    """AppliedOps as the reference program prints them: OP:MAGNITUDE:STAGE, enumerator values."""
    import resizemix

    return ["%d:%s:%d" % (resizemix.OPS.index(step.op), repr_17(step.magnitude), STAGES.index(step.stage))
            for step in ops]


def repr_17(value):
    return "%.17g" % value
