"""resizemix: ResizeMix, CutMix and Mixup for NumPy arrays and CPU torch tensors.

The same C++ library as resizemix's headers, so the same seed and options give
the same bytes as C++. Pixels are mixed in place (or into ``out=``) without
copying: NumPy arrays through the buffer protocol, CPU tensors through
``tensor.numpy()``, which shares their storage.

    import numpy as np, resizemix
    images = np.zeros((64, 3, 224, 224), np.uint8)        # N, C, H, W
    labels = np.arange(64) % 10
    soft, records = resizemix.mix_batch(resizemix.ResizeMix(), images, labels,
                                        num_classes=10, seed=0, epoch=0)

``resizemix.torch.MixCollate`` mixes inside a DataLoader's collate function.
"""

from ._core import (
    BatchRecords,
    CutMix,
    Error,
    Mixer,
    MixInfo,
    Mixup,
    OneOf,
    ResizeMix,
    SaliencyQuery,
    SampleRecord,
    Sometimes,
    mix,
    mix_batch,
    one_of,
    sometimes,
)

__all__ = [
    "BatchRecords",
    "CutMix",
    "Error",
    "Mixer",
    "MixInfo",
    "Mixup",
    "OneOf",
    "ResizeMix",
    "SaliencyQuery",
    "SampleRecord",
    "Sometimes",
    "mix",
    "mix_batch",
    "one_of",
    "sometimes",
]
