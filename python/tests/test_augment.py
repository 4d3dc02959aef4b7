"""RandAugment, its 14 operations and the ResizeMix+ pipelines from Python.

Byte identity with the C++ library comes from python/tests/reference_mix.cpp (its --op,
--rand-augment, --augment and --repeats modes); agreement with torchvision reuses the cases and
the tolerance table of tests/torchvision/compare_augment.py (the ctest augment.torchvision).
"""

import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

import resizemix
from conftest import noise, op_fields, record_fields

TORCHVISION_NAMES = ["Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color",
                     "Contrast", "Sharpness", "Posterize", "Solarize", "AutoContrast", "Equalize"]
MAGNITUDES = {"identity": 0.0, "shear_x": -0.21, "shear_y": 0.3, "translate_x": 5.7, "translate_y": -4.2,
              "rotate": 23.0, "brightness": -0.6, "color": 0.8, "contrast": -0.45, "sharpness": 0.9,
              "posterize": 3.0, "solarize": 100.0, "auto_contrast": 0.0, "equalize": 0.0}


def batch(dtype, layout, count=3, channels=3, height=13, width=17, seed=0):
    shape = (count, channels, height, width) if layout == "nchw" else (count, height, width, channels)
    return noise(shape, dtype, seed)


def test_ops_are_named_as_in_cpp():
    assert resizemix.OPS == tuple(MAGNITUDES)
    for name, torchvision_name in zip(resizemix.OPS, TORCHVISION_NAMES):
        assert resizemix.AppliedOp(torchvision_name).op == name
    assert [name for name in resizemix.OPS if hasattr(resizemix, name)] == list(resizemix.OPS[1:])


@pytest.mark.parametrize("op", list(MAGNITUDES))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("layout", ["nchw", "nhwc"])
def test_ops_match_cpp(reference, op, dtype, layout):
    images = batch(dtype, layout)
    warp = {"warp_interpolation": "bilinear", "fill": [10, 200, 30]} if op in ("rotate", "shear_y") else {}
    expected, _, _ = reference(images, layout, "resizemix", op=TORCHVISION_NAMES[resizemix.OPS.index(op)],
                               value=repr(MAGNITUDES[op]), **warp)
    keywords = {"interpolation": "bilinear", "fill": [10, 200, 30]} if warp else {}
    out = np.empty_like(images)
    resizemix.apply_op(op, images, MAGNITUDES[op], out, layout=layout, **keywords)
    assert out.tobytes() == expected.tobytes()
    if op != "identity":  # the named function, on one image at a time, in place
        function = getattr(resizemix, op)
        arguments = () if op in ("auto_contrast", "equalize") else (MAGNITUDES[op],)
        for image in images:
            function(image, *arguments, layout=layout[1:], **keywords)
        assert images.tobytes() == expected.tobytes()


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("policy", [{}, {"num_ops": 4, "magnitude": 20, "bins": 21,
                                          "warp_interpolation": "bilinear", "fill": [128]}])
def test_rand_augment_matches_cpp(reference, dtype, policy):
    images = batch(dtype, "nhwc", count=6)
    expected, expected_ops, _ = reference(images, "nhwc", "resizemix", rand_augment=True, seed=5, **policy)
    augment = resizemix.RandAugment(num_ops=policy.get("num_ops", 2), magnitude=policy.get("magnitude", 9),
                                    num_magnitude_bins=policy.get("bins", 31),
                                    interpolation=policy.get("warp_interpolation", "nearest"), fill=policy.get("fill"))
    ops = [augment(image, seed=5, stream=i, layout="hwc") for i, image in enumerate(images)]
    assert images.tobytes() == expected.tobytes()
    assert [op_fields(applied) for applied in ops] == expected_ops
    assert all(len(applied) == augment.num_ops for applied in ops)
    first = ops[0][0]
    assert abs(first.magnitude) == pytest.approx(augment.magnitude_of(first.op, 13, 17))


PIPELINE_POLICY = {"num_ops": 3, "magnitude": 12, "bins": 31}


@pytest.mark.parametrize("order, mixer", [("after", "resizemix"), ("before", "cutmix")])  # the reference's two
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("layout", ["nchw", "nhwc"])
@pytest.mark.parametrize("in_place", [True, False])
def test_pipelines_match_cpp(reference, order, mixer, dtype, layout, in_place):
    images = batch(dtype, layout, count=5)
    expected, expected_records, _ = reference(images, layout, mixer, augment=order, seed=8, step=2, **PIPELINE_POLICY)
    inner = resizemix.ResizeMix() if mixer == "resizemix" else resizemix.CutMix()
    augment = resizemix.RandAugment(num_ops=3, magnitude=12)
    pipeline = resizemix.augment_after(inner, augment) if order == "after" else resizemix.augment_before(inner, augment)
    assert repr(pipeline) == repr(resizemix.AugmentedMixer(inner, augment, order=order))
    out = None if in_place else np.empty_like(images)
    _, records = resizemix.mix_batch(pipeline, images, out=out, seed=8, step=2, layout=layout, threads=2)
    assert (images if in_place else out).tobytes() == expected.tobytes()
    assert [record_fields(record) for record in records] == expected_records
    stages = {step.stage for ops in records.augmentations for step in ops}
    assert stages == ({"output"} if order == "after" else {"source", "target"})
    assert (records.box == [0, 0, 17, 13]).all()  # the whole image changes
    np.testing.assert_array_equal(records.paste_box, [record.paste_box for record in records])


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_batch_augmentation_matches_cpp(reference, dtype):
    images = batch(dtype, "nchw", count=4)
    labels = np.array([0, 1, 2, 1])
    expected, expected_records, expected_soft = reference(images, "nchw", "resizemix", augment="after", repeats=3,
                                                          labels=labels, num_classes=3, seed=2, **PIPELINE_POLICY)
    resize_mix_plus = resizemix.augment_after(resizemix.ResizeMix(), resizemix.RandAugment(num_ops=3, magnitude=12))
    out = np.empty((12, *images.shape[1:]), dtype)
    original = images.copy()
    soft, records = resizemix.mix_batch_repeated(resize_mix_plus, images, labels, out, 3, num_classes=3, seed=2)
    assert images.tobytes() == original.tobytes()
    assert out.tobytes() == expected.tobytes()
    assert soft.tobytes() == expected_soft.tobytes()
    assert [record_fields(record) for record in records] == expected_records
    first_copy = np.empty_like(images)
    resizemix.mix_batch(resize_mix_plus, images, labels, first_copy, num_classes=3, seed=2)
    assert first_copy.tobytes() == out[:4].tobytes()  # copy 0 is mix_batch itself


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_in_place_equals_out_of_place(dtype):
    image = noise((19, 23, 3), dtype, seed=4)
    for op in resizemix.OPS:
        out = np.empty_like(image)
        source = image.copy()
        resizemix.apply_op(op, source, MAGNITUDES[op], out, layout="hwc", interpolation="bilinear")
        assert source.tobytes() == image.tobytes()
        resizemix.apply_op(op, source, MAGNITUDES[op], layout="hwc", interpolation="bilinear")
        assert source.tobytes() == out.tobytes(), op
    augment = resizemix.RandAugment(num_ops=5, magnitude=25)
    out = np.empty_like(image)
    into_out = augment(image, out, seed=1, layout="hwc")
    in_place = image.copy()
    assert augment(in_place, seed=1, layout="hwc") == into_out
    assert in_place.tobytes() == out.tobytes()


def test_a_strided_view_is_written_where_it_lies():
    storage = noise((3, 20, 30), np.uint8, seed=6)
    crop = storage[:, 2:15, 5:25:2]  # strided columns
    expected = np.ascontiguousarray(crop)
    resizemix.rotate(expected, 40.0)
    before = storage.copy()
    resizemix.rotate(crop, 40.0)
    assert np.array_equal(crop, expected)
    outside = np.ones(storage.shape, bool)
    outside[:, 2:15, 5:25:2] = False
    assert np.array_equal(storage[outside], before[outside])


def test_tensors_in_place(torch):
    tensor = torch.from_numpy(noise((2, 3, 12, 14), np.float32, seed=2))
    pointer = tensor.data_ptr()
    expected = tensor.numpy().copy()
    resizemix.equalize(expected)
    resizemix.equalize(tensor)
    assert tensor.data_ptr() == pointer and np.array_equal(tensor.numpy(), expected)
    channels_last = torch.from_numpy(noise((2, 3, 12, 14), np.uint8, seed=3)).to(memory_format=torch.channels_last)
    planar = channels_last.contiguous()
    ops = resizemix.RandAugment()(channels_last[0], seed=4)
    assert resizemix.RandAugment()(planar[0], seed=4) == ops
    assert torch.equal(channels_last, planar)


def test_records_and_repr():
    images = batch(np.uint8, "nchw", count=4)
    pipeline = resizemix.augment_before(resizemix.Mixup(), resizemix.RandAugment(num_ops=1))
    info = resizemix.mix(pipeline, images[0], images[1], seed=3)
    assert info.box == (0, 0, 17, 13) and len(info.augmentations) == 2
    assert [step.stage for step in info.augmentations] == ["source", "target"]
    assert "augmentations=[AppliedOp(op=" in repr(info)
    step = info.augmentations[0]
    assert repr(step) == "AppliedOp(op='%s', magnitude=%.17g, stage='source')" % (step.op, step.magnitude)
    plain = resizemix.mix(resizemix.Mixup(), images[2], images[3])
    assert plain.augmentations == [] and plain.paste_box == (0, 0, 0, 0)


def test_pickling():
    augment = resizemix.RandAugment(num_ops=3, magnitude=4, num_magnitude_bins=11, interpolation="bilinear",
                                    fill=[1, 2, 3])
    copy = pickle.loads(pickle.dumps(augment))
    assert repr(copy) == repr(augment) and copy.fill == [1.0, 2.0, 3.0]
    pipeline = resizemix.augment_before(resizemix.one_of([resizemix.ResizeMix(), resizemix.CutMix()]), augment)
    restored = pickle.loads(pickle.dumps(pipeline))
    assert repr(restored) == repr(pipeline) and restored.order == "before"
    step = resizemix.AppliedOp("rotate", -12.5, "target")
    assert pickle.loads(pickle.dumps(step)) == step
    images = batch(np.float32, "nchw", count=6)
    results = []
    for mixer in (pipeline, restored):
        mixed = images.copy()
        _, records = resizemix.mix_batch(mixer, mixed, seed=4)
        results.append((mixed.tobytes(), [record_fields(r) for r in records]))
    assert results[0] == results[1]


def expect(error, message, function, *args, **kwargs):
    with pytest.raises(error, match=message):
        function(*args, **kwargs)


def test_errors_name_the_argument():
    image = noise((3, 8, 9), np.uint8)
    gray_pair = noise((2, 8, 9), np.uint8)
    expect(ValueError, "^op must be one of resizemix.OPS", resizemix.apply_op, "Shear", image, 0.1)
    expect(ValueError, "^interpolation must be 'nearest' or 'bilinear', got 'area'", resizemix.rotate, image, 3.0,
           interpolation="area")
    expect(TypeError, "^fill must be None, a number or a sequence", resizemix.rotate, image, 3.0, fill="white")
    expect(ValueError, "fill needs 0, 1 or 3 values", resizemix.rotate, image, 3.0, fill=[1, 2])
    expect(ValueError, r"fill values must be in \[0, 255\], got 300", resizemix.rotate, image, 3.0, fill=300)
    expect(ValueError, r"bits must be in \[0, 8\], got 9", resizemix.posterize, image, 9)
    expect(ValueError, "degrees must be finite, got nan", resizemix.rotate, image, float("nan"))
    expect(ValueError, "pixels must be finite", resizemix.translate_x, image, float("inf"))
    expect(ValueError, "^image must have 3 dimensions .one image. or 4 .a batch., got 2", resizemix.equalize,
           image[0])
    expect(ValueError, "^layout is 'nhwc' but image has 3 dimensions", resizemix.equalize, image, layout="nhwc")
    expect(ValueError, "^layout must be 'chw' or 'hwc', got 'cwh'", resizemix.equalize, image, layout="cwh")
    expect(ValueError, r"^out has shape \(3, 8, 8\) but image has shape \(3, 8, 9\)", resizemix.equalize, image,
           np.empty((3, 8, 8), np.uint8))
    expect(TypeError, r"^out must have the dtype of image \(uint8\)", resizemix.equalize, image,
           np.empty((3, 8, 9), np.float32))
    expect(TypeError, "^image has element format 'd'", resizemix.equalize, image.astype(np.float64))
    read_only = image.copy()
    read_only.flags.writeable = False
    expect(ValueError, "^image is read-only", resizemix.equalize, read_only)
    expect(ValueError, "color.*1 or 3 channels", resizemix.color, gray_pair, 0.5)

    expect(ValueError, "num_ops must be at least 0, got -1", resizemix.RandAugment, num_ops=-1)
    expect(ValueError, r"magnitude must be in \[0, num_magnitude_bins\) = \[0, 31\), got 31", resizemix.RandAugment,
           magnitude=31)
    expect(ValueError, "num_magnitude_bins must be at least 2, got 1", resizemix.RandAugment, num_magnitude_bins=1,
           magnitude=0)
    expect(ValueError, "^interpolation must be 'nearest' or 'bilinear'", resizemix.RandAugment, interpolation="cubic")
    augment = resizemix.RandAugment()
    expect(ValueError, "needs 1 or 3 channels .grayscale or RGB., got 2", augment, gray_pair)
    expect(ValueError, "^image must have 3 dimensions, got 4", augment, image[None])
    expect(ValueError, "^seed must be >= 0", augment, image, seed=-1)
    expect(ValueError, "^op must be one of", augment.magnitude_of, "blur", 8, 8)

    expect(TypeError, "^augment_after: mixer must be a resizemix mixer, got RandAugment", resizemix.augment_after,
           augment, augment)
    expect(TypeError, "^augment_before: augmenter must be a resizemix.RandAugment, got ResizeMix",
           resizemix.augment_before, resizemix.ResizeMix(), resizemix.ResizeMix())
    plus = resizemix.augment_after(resizemix.ResizeMix(), augment)
    expect(ValueError, "^augment_after: mixer is itself an augmentation pipeline; pipelines do not nest",
           resizemix.augment_after, plus, augment)
    expect(ValueError, "^order must be 'after' or 'before', got 'during'", resizemix.AugmentedMixer,
           resizemix.ResizeMix(), augment, "during")
    expect(ValueError, "pipelines do not nest", resizemix.mix_batch,
           resizemix.augment_after(resizemix.one_of([plus]), augment), batch(np.uint8, "nchw"))
    images = batch(np.uint8, "nchw", count=4)
    expect(ValueError, "^repeats must be at least 1, got 0", resizemix.mix_batch, plus, images, repeats=0)
    expect(ValueError, "^repeats is 2: pass out=", resizemix.mix_batch, plus, images, repeats=2)
    expect(ValueError, r"^out has 4 samples but repeats x N = 2 x 4 = 8", resizemix.mix_batch, plus, images,
           out=np.empty_like(images), repeats=2)
    expect(ValueError, "^repeats > 1 takes labels as class indices", resizemix.mix_batch, plus, images,
           np.eye(4, dtype=np.float32), np.empty((8, 3, 13, 17), np.uint8), repeats=2)
    expect(ValueError, "needs 1 or 3 channels", resizemix.mix_batch, plus, batch(np.uint8, "nchw", channels=4))


def stub_names():
    stubs = (Path(resizemix.__file__).with_name("_core.pyi")).read_text()
    return stubs


def test_stubs_cover_the_public_names():
    stubs = stub_names()
    missing = [name for name in resizemix.__all__
               if name != "mix_batch_repeated" and not any(pattern % name in stubs
                                                           for pattern in ("class %s", "def %s(", "\n%s: "))]
    assert missing == []


# --- Against torchvision, within augment.torchvision's tolerances ---------------------------------

def compare_augment():
    pytest.importorskip("torchvision")
    pytest.importorskip("PIL")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "torchvision"))
    import compare_augment as module

    return module


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("channels", [3, 1])
def test_ops_match_torchvision(torch, dtype, channels):
    compare = compare_augment()
    torch.set_num_threads(1)
    pixels = np.random.default_rng(channels).integers(0, 256, size=(channels, 29, 37), dtype=np.uint8)
    image = pixels if dtype == np.uint8 else compare.float_version("photo", pixels, None)
    failures = []
    cases = list(compare.op_cases(channels, 29, 37))
    assert len(cases) > 100
    for name, magnitude, interpolation, fill in cases:
        ours = np.empty_like(image)
        resizemix.apply_op(name, image, magnitude, ours, interpolation=interpolation, fill=fill)
        theirs = compare.reference(torch.from_numpy(image.copy()), name, magnitude, interpolation, fill).numpy()
        problem = compare.judge({"name": name, "magnitude": magnitude, "interpolation": interpolation}, ours, theirs)
        if problem:
            failures.append(f"{name} {magnitude:g} {interpolation} fill={fill}: {problem}")
    assert failures == []


def test_rand_augment_replays_as_torchvision(torch):
    compare = compare_augment()
    torch.set_num_threads(1)
    image = np.random.default_rng(9).integers(0, 256, size=(3, 40, 44), dtype=np.uint8)
    augment = resizemix.RandAugment(num_ops=3, magnitude=14)
    for stream in range(4):
        ours = np.empty_like(image)
        ops = augment(image, ours, seed=77, stream=stream)
        result = torch.from_numpy(image.copy())
        for step in ops:
            name = TORCHVISION_NAMES[resizemix.OPS.index(step.op)]
            assert abs(abs(step.magnitude) - compare.expected_magnitude(name, 14, 31, 40, 44)) < 1e-6
            result = compare.reference(result, name, step.magnitude, "nearest", None)
        difference = np.abs(ours.astype(np.int16) - result.numpy().astype(np.int16))
        assert (difference > 1).mean() <= 0.001
