"""Every bad argument is a TypeError or ValueError whose message names it.

Bad values the C++ library finds raise resizemix.Error, a ValueError carrying
resizemix::error's message; what the binding finds first raises TypeError
(wrong kind of object or dtype) or ValueError (wrong shape or value).
"""

import numpy as np
import pytest

import resizemix

MIXER = resizemix.ResizeMix()


def images(dtype=np.uint8, shape=(4, 3, 8, 8)):
    return np.zeros(shape, dtype)


def test_error_is_a_value_error():
    assert issubclass(resizemix.Error, ValueError)


@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.float16, np.int8])
def test_unsupported_dtypes(dtype):
    with pytest.raises(TypeError, match=r"^images has element format .*uint8 and float32"):
        resizemix.mix_batch(MIXER, images(dtype))


def test_not_an_array():
    with pytest.raises(TypeError, match="^images must be a NumPy array or a CPU torch tensor, got list"):
        resizemix.mix_batch(MIXER, [[[[0]]]])


@pytest.mark.parametrize("shape", [(3, 8, 8), (1, 4, 3, 8, 8)])
def test_wrong_rank(shape):
    with pytest.raises(ValueError, match=r"^images must have 4 dimensions, got %d" % len(shape)):
        resizemix.mix_batch(MIXER, images(shape=shape))
    with pytest.raises(ValueError, match=r"^target must have 3 dimensions, got %d" % (len(shape) + 1)):
        resizemix.mix(MIXER, np.zeros((3, 8, 8), np.uint8), np.zeros((2, *shape), np.uint8))


def test_empty_dimension():
    with pytest.raises(ValueError, match=r"^images has shape \(0, 3, 8, 8\); every dimension must be at least 1"):
        resizemix.mix_batch(MIXER, images(shape=(0, 3, 8, 8)))


def test_read_only_array_in_place_but_not_as_input():
    frozen = images()
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="^images is read-only"):
        resizemix.mix_batch(MIXER, frozen)
    resizemix.mix_batch(MIXER, frozen, out=images())  # only read: fine
    with pytest.raises(ValueError, match="^out is read-only"):
        resizemix.mix_batch(MIXER, images(), out=frozen)
    with pytest.raises(ValueError, match="^target is read-only"):
        resizemix.mix(MIXER, frozen[0], frozen[1])


def test_stride_not_a_multiple_of_the_element_size():
    raw = np.zeros(4096, np.uint8)
    odd = np.lib.stride_tricks.as_strided(raw[1:].view(np.uint8), shape=(2, 1, 4, 4), strides=(256, 64, 16, 4))
    floats = odd.view(np.uint8)
    misaligned = np.lib.stride_tricks.as_strided(
        np.frombuffer(raw.data, np.float32), shape=(2, 1, 4, 4), strides=(256, 64, 16, 6))
    resizemix.mix_batch(MIXER, np.array(floats))
    with pytest.raises(ValueError, match="^images has a stride of 6 bytes on axis 3, not a multiple of its 4-byte"):
        resizemix.mix_batch(MIXER, misaligned, out=np.zeros((2, 1, 4, 4), np.float32))


def test_tensor_on_another_device(torch):
    meta = torch.empty(2, 3, 8, 8, device="meta")
    with pytest.raises(TypeError, match="^images is a torch tensor on device 'meta'; .*tensor.cpu()"):
        resizemix.mix_batch(MIXER, meta)


@pytest.mark.parametrize("dtype_name", ["float64", "int32", "bfloat16"])
def test_tensor_dtype(dtype_name, torch):
    dtype = getattr(torch, dtype_name)
    with pytest.raises(TypeError, match=r"^images has dtype %s; resizemix mixes torch.uint8 and torch.float32" % dtype):
        resizemix.mix_batch(MIXER, torch.zeros(2, 3, 8, 8, dtype=dtype))


def test_tensor_requiring_grad_is_not_written_but_may_be_read(torch):
    leaf = torch.zeros(2, 3, 8, 8, requires_grad=True)
    with pytest.raises(ValueError, match="^images requires grad"):
        resizemix.mix_batch(MIXER, leaf)
    resizemix.mix_batch(MIXER, leaf, out=torch.zeros(2, 3, 8, 8))


def test_out_dtype_shape_and_overlap():
    with pytest.raises(TypeError, match=r"^out must have the dtype of images \(uint8\)"):
        resizemix.mix_batch(MIXER, images(), out=images(np.float32))
    with pytest.raises(resizemix.Error, match="^mix_batch: output is 4x3x8x9"):
        resizemix.mix_batch(MIXER, images(), out=images(shape=(4, 3, 8, 9)))
    storage = images(shape=(5, 3, 8, 8))
    with pytest.raises(resizemix.Error, match="^mix_batch: output overlaps input"):
        resizemix.mix_batch(MIXER, storage[:4], out=storage[1:])


def test_layout():
    with pytest.raises(ValueError, match="^layout must be 'nchw' or 'nhwc', got 'chw'"):
        resizemix.mix_batch(MIXER, images(), layout="chw")
    with pytest.raises(ValueError, match="^layout must be 'chw' or 'hwc', got 'nchw'"):
        resizemix.mix(MIXER, images()[0], images()[1], layout="nchw")


def test_labels():
    either = r"labels must be int64 class indices \(N,\) or float32 dense targets \(N, K\)"
    with pytest.raises(TypeError, match="^%s, got dtype object" % either):
        resizemix.mix_batch(MIXER, images(), object(), num_classes=3)
    with pytest.raises(TypeError, match="^%s, got list" % either):
        resizemix.mix_batch(MIXER, images(), [[0], [1, 2], 3, 4], num_classes=3)
    with pytest.raises(TypeError, match="^%s, got dtype <U1" % either):
        resizemix.mix_batch(MIXER, images(), np.array(list("abcd")), num_classes=3)
    with pytest.raises(ValueError, match=r"^labels must have shape \(4,\), one entry per sample"):
        resizemix.mix_batch(MIXER, images(), np.zeros(3, np.int64), num_classes=3)
    with pytest.raises(resizemix.Error, match=r"^mix_batch: labels\[2\] = 7 is outside \[0, 3\)"):
        resizemix.mix_batch(MIXER, images(), [0, 1, 7, 2], num_classes=3)
    with pytest.raises(ValueError, match="^labels are class indices but num_classes is 0; set num_classes"):
        resizemix.mix_batch(MIXER, images(), [0, 1, 2, 0])
    with pytest.raises(ValueError, match="^num_classes is 3 but no labels were given"):
        resizemix.mix_batch(MIXER, images(), num_classes=3)
    with pytest.raises(ValueError, match="^num_classes must be >= 0, got -1"):
        resizemix.mix_batch(MIXER, images(), num_classes=-1)
    with pytest.raises(resizemix.Error, match=r"smoothing must be in \[0, 1\), got 1"):
        resizemix.mix_batch(MIXER, images(), [0, 1, 2, 0], num_classes=3, label_smoothing=1.0)


def test_dense_targets():
    with pytest.raises(ValueError, match=r"^labels as dense targets must have shape \(4, K\), one row per sample"):
        resizemix.mix_batch(MIXER, images(), np.zeros(4, np.float32) + 0.5)
    with pytest.raises(ValueError, match=r"^labels as dense targets must have shape \(4, K\)"):
        resizemix.mix_batch(MIXER, images(), np.zeros((3, 5), np.float32))
    with pytest.raises(resizemix.Error, match="^mix_batch: .*smoothing"):
        resizemix.mix_batch(MIXER, images(), np.zeros((4, 5), np.float32), label_smoothing=0.1)
    with pytest.raises(resizemix.Error, match="^mix_batch: .*num_classes"):
        resizemix.mix_batch(MIXER, images(), np.zeros((4, 5), np.float32), num_classes=3)


def test_sample_ids_and_stream_positions():
    with pytest.raises(ValueError, match=r"^sample_ids must have shape \(4,\), one entry per sample"):
        resizemix.mix_batch(MIXER, images(), sample_ids=[1, 2, 3])
    with pytest.raises(ValueError, match="^sample_ids must be >= 0, got -3"):
        resizemix.mix_batch(MIXER, images(), sample_ids=[1, 2, -3, 4])
    with pytest.raises(TypeError, match="^sample_ids must hold integers"):
        resizemix.mix_batch(MIXER, images(), sample_ids=[1.5, 2, 3, 4])
    with pytest.raises(ValueError, match="^step must be >= 0, got -1"):
        resizemix.mix_batch(MIXER, images(), step=-1)
    with pytest.raises(ValueError, match="^rank must fit 64 bits"):
        resizemix.mix_batch(MIXER, images(), rank=2**65)


def test_stream_arguments():
    with pytest.raises(ValueError, match="^seed must be >= 0, got -1"):
        resizemix.mix_batch(MIXER, images(), seed=-1)
    with pytest.raises(ValueError, match="^epoch must fit 64 bits, got 18446744073709551616"):
        resizemix.mix_batch(MIXER, images(), epoch=2**64)
    with pytest.raises(ValueError, match="^stream must be >= 0"):
        resizemix.mix(MIXER, images()[0], images()[1], stream=-5)
    with pytest.raises(ValueError, match=r"^threads must be >= 0 \(0 = every core\), got -2"):
        resizemix.mix_batch(MIXER, images(), threads=-2)


def test_pairing():
    with pytest.raises(ValueError, match="^pairing must be 'shuffle' or 'flip'"):
        resizemix.mix_batch(MIXER, images(), pairing="random")
    with pytest.raises(resizemix.Error, match=r"^mix_batch: options.partners\[1\] = 4 is outside \[0, 4\)"):
        resizemix.mix_batch(MIXER, images(), partners=[0, 4, 1, 2])
    with pytest.raises(ValueError, match=r"^partners must have shape \(4,\), one entry per sample"):
        resizemix.mix_batch(MIXER, images(), partners=[0, 1])


def test_mixer_parameters():
    with pytest.raises(resizemix.Error, match=r"^resizemix: scale range must satisfy 0 < scale_min <= scale_max <= 1, got \[0.5, 0.2\]"):
        resizemix.ResizeMix(scale_min=0.5, scale_max=0.2)
    with pytest.raises(resizemix.Error, match="^resizemix: paste_region corresponding has no meaning"):
        resizemix.ResizeMix(paste_region="corresponding")
    with pytest.raises(ValueError, match="^paste_region must be 'random', 'corresponding', 'salient' or 'non-salient', got 'middle'"):
        resizemix.ResizeMix(paste_region="middle")
    with pytest.raises(ValueError, match="^box_sampling must be 'clip' or 'inside', got 'centre'"):
        resizemix.CutMix(box_sampling="centre")
    with pytest.raises(ValueError, match="^interpolation must be 'bilinear', 'nearest' or 'area', got 'cubic'"):
        resizemix.ResizeMix(interpolation="cubic")
    with pytest.raises(resizemix.Error, match="^cutmix: alpha must be finite and > 0, got 0"):
        resizemix.CutMix(alpha=0.0)
    with pytest.raises(resizemix.Error, match="^cutmix: source_region corresponding has no meaning"):
        resizemix.CutMix(source_region="corresponding")
    with pytest.raises(resizemix.Error, match="^mixup: alpha must be finite and > 0, got nan"):
        resizemix.Mixup(alpha=float("nan"))


def test_composition_arguments():
    with pytest.raises(resizemix.Error, match="^one_of: needs at least one mixer"):
        resizemix.one_of([])
    with pytest.raises(resizemix.Error, match="^one_of: weight 1 must be finite and >= 0, got -1"):
        resizemix.one_of([(MIXER, 1.0), (MIXER, -1.0)])
    with pytest.raises(TypeError, match="^one_of: branch 0 must be a resizemix mixer, got str"):
        resizemix.one_of(["resizemix"])
    with pytest.raises(ValueError, match=r"^one_of: branch 0 must be a mixer or a \(mixer, weight\) pair"):
        resizemix.one_of([(MIXER, 1.0, 2.0)])
    with pytest.raises(resizemix.Error, match=r"^sometimes: probability must be in \[0, 1\], got 1.5"):
        resizemix.sometimes(MIXER, 1.5)
    with pytest.raises(TypeError, match="^sometimes: mixer must be a resizemix mixer, got int"):
        resizemix.sometimes(3, 0.5)


def test_pair_shapes_and_dtypes():
    source = np.zeros((3, 8, 8), np.uint8)
    with pytest.raises(TypeError, match=r"^target must have the dtype of source \(uint8\)"):
        resizemix.mix(MIXER, source, np.zeros((3, 8, 8), np.float32))
    with pytest.raises(resizemix.Error, match="^cutmix: "):
        resizemix.mix(resizemix.CutMix(), source, np.zeros((1, 8, 8), np.uint8))
    with pytest.raises(resizemix.Error, match="^resizemix: "):
        resizemix.mix(MIXER, source, np.zeros((1, 8, 8), np.uint8))


def test_missing_or_malformed_saliency():
    salient = resizemix.CutMix(source_region="salient")
    with pytest.raises(resizemix.Error, match="^cutmix: source_region salient needs a saliency map of the source image, but none was given"):
        resizemix.mix_batch(salient, images())
    with pytest.raises(ValueError, match="^saliency has 3 maps but the batch has 4 samples"):
        resizemix.mix_batch(salient, images(), saliency=np.ones((3, 4, 4)))
    with pytest.raises(ValueError, match="^saliency must be a callable or an"):
        resizemix.mix_batch(salient, images(), saliency=np.ones((4, 4)))
    with pytest.raises(ValueError, match=r"^the saliency callback's result must be a 2-D \(height, width\) map"):
        resizemix.mix_batch(salient, images(), saliency=lambda query: np.ones(3))
    with pytest.raises(TypeError, match="^the saliency callback's result must be a 2-D array of numbers, got list"):
        resizemix.mix_batch(salient, images(), saliency=lambda query: [[1.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match=r"^source_saliency must be a 2-D"):
        resizemix.mix(salient, images()[0], images()[1], source_saliency=np.ones((1, 2, 2)))
    with pytest.raises(TypeError, match=r"^saliency must be a callable"):
        resizemix.mix(salient, images()[0], images()[1], saliency=np.ones((2, 2)))
