"""Zero copy: arrays and tensors are mixed where they lie, in any layout and strides."""

import numpy as np
import pytest

import resizemix
from conftest import noise

MIXER = resizemix.one_of([(resizemix.ResizeMix(), 1.0), (resizemix.CutMix(), 1.0), (resizemix.Mixup(), 1.0)])


def mixed_copy(images, **options):
    copy = np.array(images)
    resizemix.mix_batch(MIXER, copy, **options)
    return copy


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_in_place_writes_the_callers_array(dtype):
    images = noise((8, 3, 16, 16), dtype)
    original = images.copy()
    address = images.ctypes.data
    expected = mixed_copy(original, seed=1)
    resizemix.mix_batch(MIXER, images, seed=1)
    assert images.ctypes.data == address
    assert not np.array_equal(images, original)
    assert np.array_equal(images, expected)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_out_of_place_leaves_the_input_and_matches_in_place(dtype):
    images = noise((8, 3, 16, 16), dtype)
    original = images.copy()
    out = np.zeros_like(images)
    resizemix.mix_batch(MIXER, images, out=out, seed=1)
    assert np.array_equal(images, original)
    assert np.array_equal(out, mixed_copy(original, seed=1))


@pytest.mark.parametrize("dtype_name", ["uint8", "float32"])
def test_tensor_in_place_writes_the_callers_storage(dtype_name, torch):
    images = torch.from_numpy(noise((8, 3, 16, 16), np.uint8)).to(getattr(torch, dtype_name))
    expected = mixed_copy(images.numpy(), seed=2)
    address = images.data_ptr()
    soft, _ = resizemix.mix_batch(MIXER, images, torch.arange(8) % 3, num_classes=3, seed=2)
    assert images.data_ptr() == address
    assert np.array_equal(images.numpy(), expected)
    assert isinstance(soft, torch.Tensor) and soft.dtype == torch.float32 and soft.shape == (8, 3)


def test_tensor_out_and_array_input_mix_alike(torch):
    images = noise((6, 3, 12, 10), np.float32)
    out = torch.empty(6, 3, 12, 10)
    soft, _ = resizemix.mix_batch(MIXER, images, np.arange(6) % 2, out=out, num_classes=2, seed=4)
    assert isinstance(soft, np.ndarray)  # the labels follow the type of images
    assert np.array_equal(out.numpy(), mixed_copy(images, seed=4))


def test_channels_last_tensor_is_mixed_in_its_own_memory(torch):
    dense = noise((5, 3, 14, 18), np.uint8)
    images = torch.from_numpy(dense.copy()).contiguous(memory_format=torch.channels_last)
    assert not images.is_contiguous()
    resizemix.mix_batch(MIXER, images, seed=6)
    assert images.is_contiguous(memory_format=torch.channels_last)
    assert np.array_equal(images.numpy(), mixed_copy(dense, seed=6))


def test_nhwc_layout_is_the_same_mix_as_nchw():
    planar = noise((7, 3, 15, 13), np.float32)
    interleaved = np.ascontiguousarray(planar.transpose(0, 2, 3, 1))
    resizemix.mix_batch(MIXER, interleaved, seed=8, layout="nhwc")
    assert np.array_equal(interleaved.transpose(0, 3, 1, 2), mixed_copy(planar, seed=8))


def test_strided_views_are_mixed_in_place_and_nothing_else_is_touched():
    storage = noise((10, 4, 20, 30), np.uint8)
    original = storage.copy()
    view = storage[::2, 1:, 2:18, ::-2]  # every other sample, 3 channels, a crop, mirrored columns
    expected = mixed_copy(view, seed=9)
    resizemix.mix_batch(MIXER, view, seed=9)
    assert np.array_equal(view, expected)
    untouched = np.ones(storage.shape, bool)
    untouched[::2, 1:, 2:18, ::-2] = False
    assert np.array_equal(storage[untouched], original[untouched])


def test_pair_in_place_and_out_of_place():
    source = noise((3, 9, 11), np.float32, seed=1)
    target = noise((3, 9, 11), np.float32, seed=2)
    original = target.copy()
    out = np.empty_like(target)
    info = resizemix.mix(resizemix.ResizeMix(), source, target, out, seed=3)
    assert np.array_equal(target, original)
    again = resizemix.mix(resizemix.ResizeMix(), source, target, seed=3)
    assert np.array_equal(target, out)
    assert (info.box, info.lambda_, info.tau) == (again.box, again.lambda_, again.tau)
    x, y, width, height = info.box
    assert info.method == "resizemix" and info.lambda_ == width * height / (9 * 11)
    outside = np.ones((9, 11), bool)
    outside[y:y + height, x:x + width] = False
    assert np.array_equal(target[:, outside], original[:, outside])


def test_pair_of_tensors_with_different_sizes(torch):
    source = torch.zeros(1, 40, 50, dtype=torch.uint8)
    target = torch.full((1, 20, 30), 255, dtype=torch.uint8)
    info = resizemix.mix(resizemix.ResizeMix(scale_min=0.5, scale_max=0.5), source, target, seed=0)
    x, y, width, height = info.box
    assert (width, height) == (15, 10)
    assert int((target == 0).sum()) == 150


def test_records_columns_agree_with_the_items():
    images = noise((12, 1, 8, 8), np.uint8)
    soft, records = resizemix.mix_batch(MIXER, images, np.arange(12) % 4, num_classes=4, seed=10)
    assert len(records) == 12
    assert records.partner.dtype == np.int64 and records.box.shape == (12, 4)
    for i, record in enumerate(records):
        assert record.partner == records.partner[i]
        assert record.lambda_ == records.lambda_[i] and record.tau == records.tau[i]
        assert record.box == tuple(records.box[i]) and record.source_box == tuple(records.source_box[i])
        assert record.method == records.method[i] and record.choice == records.choice[i]
        assert record.method in ("resizemix", "cutmix", "mixup") and isinstance(record, resizemix.MixInfo)
        row = np.zeros(4, np.float32)
        row[i % 4] += 1 - record.lambda_
        row[record.partner % 4] += record.lambda_
        np.testing.assert_allclose(soft[i], row, rtol=1e-6, atol=1e-7)
    assert records[-1].partner == records.partner[11]
    with pytest.raises(IndexError):
        records[12]


def test_partners_and_flip_pairing():
    images = noise((5, 1, 6, 6), np.uint8)
    _, flipped = resizemix.mix_batch(resizemix.Mixup(), images.copy(), pairing="flip")
    assert list(flipped.partner) == [4, 3, 2, 1, 0]
    _, given = resizemix.mix_batch(resizemix.Mixup(), images.copy(), partners=[1, 2, 3, 4, 0])
    assert list(given.partner) == [1, 2, 3, 4, 0]


def test_sometimes_zero_leaves_the_batch_as_it_is():
    images = noise((4, 3, 8, 8), np.float32)
    original = images.copy()
    _, records = resizemix.mix_batch(resizemix.sometimes(resizemix.ResizeMix(), 0.0), images, seed=1)
    assert np.array_equal(images, original)
    assert records.method == ["none"] * 4 and not records.lambda_.any()
