"""resizemix: ResizeMix, CutMix, Mixup and RandAugment for NumPy arrays and CPU torch tensors.

The same C++ library as resizemix's headers, so the same seed and options give
the same bytes as C++. Pixels are mixed in place (or into ``out=``) without
copying: NumPy arrays through the buffer protocol, CPU tensors through
``tensor.numpy()``, which shares their storage.

    import numpy as np, resizemix
    images = np.zeros((64, 3, 224, 224), np.uint8)        # N, C, H, W
    labels = np.arange(64) % 10
    soft, records = resizemix.mix_batch(resizemix.ResizeMix(), images, labels,
                                        num_classes=10, seed=0, epoch=0)

ResizeMix+ is ``augment_after(ResizeMix(), RandAugment())`` with ``repeats=2``; the 14
RandAugment operations (``resizemix.OPS``) also run alone (``rotate(image, 30.0)``,
``apply_op("solarize", image, 128.0)``). ``resizemix.torch.MixCollate`` mixes inside a
DataLoader's collate function.
"""

from ._core import (
    OPS,
    AppliedOp,
    AugmentedMixer,
    BatchRecords,
    CutMix,
    Error,
    Mixer,
    MixInfo,
    Mixup,
    OneOf,
    RandAugment,
    ResizeMix,
    SaliencyQuery,
    SampleRecord,
    Sometimes,
    apply_op,
    augment_after,
    augment_before,
    auto_contrast,
    brightness,
    color,
    contrast,
    equalize,
    mix,
    mix_batch,
    one_of,
    posterize,
    rotate,
    sharpness,
    shear_x,
    shear_y,
    solarize,
    sometimes,
    translate_x,
    translate_y,
)


def mix_batch_repeated(mixer, images, labels, out, repeats, **options):
    """C++ resizemix::mix_batch_repeated: ``mix_batch(mixer, images, labels, out, repeats=repeats, **options)``.

    out holds repeats x N samples; copy r of sample i is output sample r * N + i, mixed with
    draws of its own (seed repeat_seed(seed, r)); returns (soft_labels, records) copy after copy.
    """
    return mix_batch(mixer, images, labels, out, repeats=repeats, **options)


__all__ = [
    "OPS",
    "AppliedOp",
    "AugmentedMixer",
    "BatchRecords",
    "CutMix",
    "Error",
    "Mixer",
    "MixInfo",
    "Mixup",
    "OneOf",
    "RandAugment",
    "ResizeMix",
    "SaliencyQuery",
    "SampleRecord",
    "Sometimes",
    "apply_op",
    "augment_after",
    "augment_before",
    "auto_contrast",
    "brightness",
    "color",
    "contrast",
    "equalize",
    "mix",
    "mix_batch",
    "mix_batch_repeated",
    "one_of",
    "posterize",
    "rotate",
    "sharpness",
    "shear_x",
    "shear_y",
    "solarize",
    "sometimes",
    "translate_x",
    "translate_y",
]
