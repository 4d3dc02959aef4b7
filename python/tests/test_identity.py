"""The binding gives the same bytes, records and soft labels as the C++ library.

The reference is python/tests/reference_mix.cpp, which calls resizemix::mix_batch
and the mixers with concrete C++ types (one_of and sometimes at compile time,
where the binding erases them), out of place into a fresh dense batch.
"""

import numpy as np
import pytest

import resizemix
from conftest import noise, record_fields

MIXERS = {
    "resizemix": (lambda: resizemix.ResizeMix(), {}),
    "resizemix-nearest": (
        lambda: resizemix.ResizeMix(scale_min=0.3, scale_max=0.9, interpolation="nearest"),
        {"scale_min": 0.3, "scale_max": 0.9, "interpolation": "nearest"},
    ),
    "resizemix-area": (
        lambda: resizemix.ResizeMix(scale_min=0.2, scale_max=0.5, interpolation="area"),
        {"scale_min": 0.2, "scale_max": 0.5, "interpolation": "area"},
    ),
    "cutmix": (lambda: resizemix.CutMix(alpha=0.5), {"alpha": 0.5}),
    "cutmix-random-paste": (
        lambda: resizemix.CutMix(alpha=2.0, paste_region="random"),
        {"alpha": 2.0, "cut_paste_region": "random"},
    ),
    "cutmix-inside": (
        lambda: resizemix.CutMix(alpha=0.7, box_sampling="inside"),
        {"alpha": 0.7, "box_sampling": "inside"},
    ),
    "mixup": (lambda: resizemix.Mixup(alpha=0.4), {"alpha": 0.4}),
    "one_of": (lambda: resizemix.one_of([(resizemix.ResizeMix(), 0.5), (resizemix.CutMix(), 0.5)]), {}),
    "sometimes": (lambda: resizemix.sometimes(resizemix.ResizeMix(), 0.5), {}),
}
REFERENCE_NAME = {"resizemix-nearest": "resizemix", "resizemix-area": "resizemix", "cutmix-random-paste": "cutmix",
                  "cutmix-inside": "cutmix"}


def batch(dtype, layout, count=9, channels=3, height=20, width=24, seed=0):
    shape = (count, channels, height, width) if layout == "nchw" else (count, height, width, channels)
    return noise(shape, dtype, seed)


@pytest.mark.parametrize("name", sorted(MIXERS))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("layout", ["nchw", "nhwc"])
@pytest.mark.parametrize("in_place", [True, False])
@pytest.mark.parametrize("threads", [1, 3])
def test_mix_batch_bytes_match_cpp(reference, name, dtype, layout, in_place, threads):
    make, options = MIXERS[name]
    images = batch(dtype, layout)
    expected, expected_records, _ = reference(images, layout, REFERENCE_NAME.get(name, name), seed=7, epoch=2,
                                              threads=1, **options)
    out = None if in_place else np.empty_like(images)
    soft, records = resizemix.mix_batch(make(), images, out=out, seed=7, epoch=2, threads=threads, layout=layout)
    mixed = images if in_place else out
    assert soft is None
    assert mixed.tobytes() == expected.tobytes()
    assert [record_fields(record) for record in records] == expected_records


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_soft_labels_match_cpp(reference, dtype, smoothing):
    images = batch(dtype, "nchw", count=12)
    labels = np.arange(12) % 5
    expected, _, expected_soft = reference(images, "nchw", "one_of", labels=labels, num_classes=5,
                                           smoothing=smoothing, seed=3)
    soft, _ = resizemix.mix_batch(resizemix.one_of([(resizemix.ResizeMix(), 0.5), (resizemix.CutMix(), 0.5)]),
                                  images, labels, num_classes=5, label_smoothing=smoothing, seed=3)
    assert images.tobytes() == expected.tobytes()
    assert soft.dtype == np.float32 and soft.shape == (12, 5)
    assert soft.tobytes() == expected_soft.tobytes()


@pytest.mark.parametrize("options", [{"pairing": "flip"}, {"per_batch": True}, {"seed": 2**64 - 1, "epoch": 5},
                                     {"epoch": 2, "step": 17}, {"step": 3, "rank": 2}, {"step": 2**40, "rank": 7}])
def test_batch_options_match_cpp(reference, options):
    images = batch(np.uint8, "nhwc", count=6)
    expected, expected_records, _ = reference(images, "nhwc", "resizemix", **options)
    _, records = resizemix.mix_batch(resizemix.ResizeMix(), images, layout="nhwc", **options)
    assert images.tobytes() == expected.tobytes()
    assert [record_fields(record) for record in records] == expected_records


def test_sample_ids_match_cpp(reference):
    images = batch(np.float32, "nchw", count=6)
    ids = [40, 3, 17, 5, 99, 0]
    expected, expected_records, _ = reference(images, "nchw", "one_of", sample_ids=ids, step=4, epoch=1)
    _, records = resizemix.mix_batch(MIXERS["one_of"][0](), images, sample_ids=ids, step=4, epoch=1)
    assert images.tobytes() == expected.tobytes()
    assert [record_fields(record) for record in records] == expected_records


def test_dense_targets_match_cpp(reference):
    images = batch(np.uint8, "nhwc", count=7)
    targets = (np.random.default_rng(3).random((7, 6)) > 0.6).astype(np.float32)  # multi-hot rows
    expected, _, expected_soft = reference(images, "nhwc", "resizemix", targets=targets, step=1)
    soft, records = resizemix.mix_batch(resizemix.ResizeMix(), images, targets, layout="nhwc", step=1)
    assert images.tobytes() == expected.tobytes()
    assert soft.dtype == np.float32 and soft.tobytes() == expected_soft.tobytes()
    row = 2
    lam = np.float32(records.lambda_[row])
    np.testing.assert_allclose(soft[row], lam * targets[records.partner[row]] + (1 - lam) * targets[row], rtol=1e-6)


@pytest.mark.parametrize("name", ["resizemix", "cutmix", "mixup", "one_of"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("layout", ["nchw", "nhwc"])
def test_mix_pair_matches_cpp(reference, name, dtype, layout):
    make, options = MIXERS[name]
    images = batch(dtype, layout, count=2)
    expected, expected_records, _ = reference(images, layout, name, seed=11, pair_stream=4, **options)
    info = resizemix.mix(make(), images[0], images[1], seed=11, stream=4, layout=layout[1:])
    assert images[1].tobytes() == expected.tobytes()
    assert [record_fields(info)] == expected_records


def test_threads_never_change_the_bytes():
    images = batch(np.float32, "nchw", count=33, height=40, width=36)
    results = []
    for threads in (1, 2, 4, 0):
        mixed = images.copy()
        soft, records = resizemix.mix_batch(resizemix.ResizeMix(), mixed, np.arange(33) % 7, num_classes=7,
                                            seed=5, threads=threads)
        results.append((mixed.tobytes(), soft.tobytes(), records.box.tobytes()))
    assert all(result == results[0] for result in results)
