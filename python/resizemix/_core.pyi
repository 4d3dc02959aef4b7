# Type stubs for resizemix._core (python/src/module.cpp), re-exported by resizemix.
from typing import Any, Callable, Literal, Optional, Sequence, Tuple, Union, overload

import numpy as np
import numpy.typing as npt

Region = Literal["random", "corresponding", "salient", "non-salient", "non_salient"]
Box = Tuple[int, int, int, int]  # x, y, width, height
Pixels = Any  # a uint8 / float32 NumPy array (or buffer) or a CPU torch.Tensor
Map = Any  # a 2-D array-like of numbers (height, width)

class Error(ValueError):
    """resizemix::error: a bad value; the message names the argument."""

class MixInfo:
    """What one mix did."""
    @property
    def box(self) -> Box: ...
    @property
    def source_box(self) -> Box: ...
    @property
    def lambda_(self) -> float: ...
    @property
    def tau(self) -> float: ...
    @property
    def method(self) -> str: ...
    @property
    def choice(self) -> int: ...

class SampleRecord(MixInfo):
    """What happened to one sample of mix_batch: a MixInfo and the partner."""
    @property
    def partner(self) -> int: ...

class BatchRecords:
    """Per-sample records of mix_batch; columns as NumPy arrays."""
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> SampleRecord: ...
    @property
    def partner(self) -> npt.NDArray[np.int64]: ...
    @property
    def lambda_(self) -> npt.NDArray[np.float64]: ...
    @property
    def tau(self) -> npt.NDArray[np.float64]: ...
    @property
    def choice(self) -> npt.NDArray[np.int64]: ...
    @property
    def box(self) -> npt.NDArray[np.int64]: ...
    @property
    def source_box(self) -> npt.NDArray[np.int64]: ...
    @property
    def method(self) -> list[str]: ...

class SaliencyQuery:
    """What a saliency callback is asked for."""
    @property
    def role(self) -> Literal["source", "target"]: ...
    @property
    def image_index(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def width(self) -> int: ...

SaliencyCallback = Callable[[SaliencyQuery], Map]

class Mixer:
    """Base class of every resizemix mixer (picklable)."""

class ResizeMix(Mixer):
    def __init__(
        self,
        scale_min: float = 0.1,
        scale_max: float = 0.8,
        paste_region: Region = "random",
        interpolation: Literal["bilinear", "nearest", "area"] = "bilinear",
    ) -> None: ...
    @property
    def scale_min(self) -> float: ...
    @property
    def scale_max(self) -> float: ...
    @property
    def paste_region(self) -> str: ...
    @property
    def interpolation(self) -> str: ...

class CutMix(Mixer):
    def __init__(
        self,
        alpha: float = 1.0,
        source_region: Region = "random",
        paste_region: Region = "corresponding",
        box_sampling: Literal["clip", "inside"] = "clip",
    ) -> None: ...
    @property
    def alpha(self) -> float: ...
    @property
    def source_region(self) -> str: ...
    @property
    def paste_region(self) -> str: ...
    @property
    def box_sampling(self) -> str: ...

class Mixup(Mixer):
    def __init__(self, alpha: float = 1.0) -> None: ...
    @property
    def alpha(self) -> float: ...

class OneOf(Mixer):
    def __init__(self, branches: Sequence[Union[Mixer, Tuple[Mixer, float]]]) -> None: ...
    @property
    def branches(self) -> list[Tuple[Mixer, float]]: ...

class Sometimes(Mixer):
    def __init__(self, mixer: Mixer, probability: float) -> None: ...
    @property
    def mixer(self) -> Mixer: ...
    @property
    def probability(self) -> float: ...

def one_of(branches: Sequence[Union[Mixer, Tuple[Mixer, float]]]) -> OneOf:
    """Picks one branch per sample with probability weight / total (a bare mixer weighs 1)."""

def sometimes(mixer: Mixer, probability: float) -> Sometimes:
    """Mixes a sample with probability `probability`; otherwise leaves it as it is."""

def mix(
    mixer: Mixer,
    source: Pixels,
    target: Pixels,
    out: Optional[Pixels] = None,
    *,
    seed: int = 0,
    stream: int = 0,
    layout: Literal["chw", "hwc"] = "chw",
    source_saliency: Optional[Map] = None,
    target_saliency: Optional[Map] = None,
    saliency: Optional[SaliencyCallback] = None,
) -> MixInfo:
    """Mixes source into target (in place when out is None) with rng(seed, stream)."""

def mix_batch(
    mixer: Mixer,
    images: Pixels,
    labels: Optional[Any] = None,  # (N,) int64 class indices or (N, K) float32 dense targets
    out: Optional[Pixels] = None,
    *,
    num_classes: int = 0,
    label_smoothing: float = 0.0,
    seed: int = 0,
    epoch: int = 0,
    step: int = 0,
    rank: int = 0,
    sample_ids: Optional[Sequence[int]] = None,
    threads: int = 1,
    pairing: Literal["shuffle", "flip"] = "shuffle",
    partners: Optional[Sequence[int]] = None,
    per_batch: bool = False,
    layout: Literal["nchw", "nhwc"] = "nchw",
    saliency: Union[None, Any, SaliencyCallback] = None,
) -> Tuple[Any, BatchRecords]:
    """Mixes every sample with its partner (in place when out is None); returns (soft_labels, records)."""
