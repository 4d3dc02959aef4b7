# Type stubs for resizemix._core (python/src/module.cpp), re-exported by resizemix.
from typing import Any, Callable, Literal, Optional, Sequence, Tuple, Union, overload

import numpy as np
import numpy.typing as npt

Region = Literal["random", "corresponding", "salient", "non-salient", "non_salient"]
Box = Tuple[int, int, int, int]  # x, y, width, height
Pixels = Any  # a uint8 / float32 NumPy array (or buffer) or a CPU torch.Tensor
Map = Any  # a 2-D array-like of numbers (height, width)
OpName = Literal[
    "identity", "shear_x", "shear_y", "translate_x", "translate_y", "rotate", "brightness",
    "color", "contrast", "sharpness", "posterize", "solarize", "auto_contrast", "equalize",
]
Stage = Literal["output", "source", "target"]
ImageLayout = Optional[Literal["chw", "hwc", "nchw", "nhwc"]]  # None: 'chw' (3-D) or 'nchw' (4-D)
Fill = Union[None, float, Sequence[float]]  # 0-255 scale, one value or one per channel

OPS: Tuple[str, ...]  # the 14 operation names, in C++ augment_op order

class Error(ValueError):
    """resizemix::error: a bad value; the message names the argument."""

class AppliedOp:
    """One augmentation operation as it ran (op name, signed magnitude in apply_op's units, stage)."""
    def __init__(self, op: str, magnitude: float = 0.0, stage: Stage = "output") -> None: ...
    @property
    def op(self) -> OpName: ...
    @property
    def magnitude(self) -> float: ...
    @property
    def stage(self) -> Stage: ...
    def __eq__(self, other: object) -> bool: ...

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
    @property
    def augmentations(self) -> list[AppliedOp]: ...
    @property
    def paste_box(self) -> Box: ...

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
    @property
    def paste_box(self) -> npt.NDArray[np.int64]: ...
    @property
    def augmentations(self) -> list[list[AppliedOp]]: ...

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

class RandAugment:
    """RandAugment as torchvision 0.14 defines it (picklable); call it on one image."""
    def __init__(
        self,
        num_ops: int = 2,
        magnitude: int = 9,
        num_magnitude_bins: int = 31,
        interpolation: Literal["nearest", "bilinear"] = "nearest",
        fill: Fill = None,
    ) -> None: ...
    @property
    def num_ops(self) -> int: ...
    @property
    def magnitude(self) -> int: ...
    @property
    def num_magnitude_bins(self) -> int: ...
    @property
    def interpolation(self) -> str: ...
    @property
    def fill(self) -> Optional[list[float]]: ...
    def magnitude_of(self, op: str, height: int, width: int) -> float:
        """The unsigned magnitude of `op` at this policy's bin for a height x width image."""
    def __call__(
        self,
        image: Pixels,
        out: Optional[Pixels] = None,
        *,
        seed: int = 0,
        stream: int = 0,
        layout: Optional[Literal["chw", "hwc"]] = None,
    ) -> list[AppliedOp]:
        """Augments one 3-D image in place (or into out) with rng(seed, stream); returns the ops that ran."""

class AugmentedMixer(Mixer):
    """A mixer with RandAugment after it (ResizeMix+) or before it; records list the ops."""
    def __init__(self, mixer: Mixer, augmenter: RandAugment, order: Literal["after", "before"] = "after") -> None: ...
    @property
    def mixer(self) -> Mixer: ...
    @property
    def augmenter(self) -> RandAugment: ...
    @property
    def order(self) -> Literal["after", "before"]: ...

def augment_after(mixer: Mixer, augmenter: RandAugment) -> AugmentedMixer:
    """Mix, then augment the mixed image: augment_after(ResizeMix(), RandAugment()) is ResizeMix+."""

def augment_before(mixer: Mixer, augmenter: RandAugment) -> AugmentedMixer:
    """Augment source and target each on its own, then mix (the paper's Table 7 control)."""

def apply_op(
    op: str,
    image: Pixels,
    magnitude: float = 0.0,
    out: Optional[Pixels] = None,
    *,
    layout: ImageLayout = None,
    interpolation: Literal["nearest", "bilinear"] = "nearest",
    fill: Fill = None,
) -> None:
    """Runs one operation (a name in OPS or torchvision's) with an explicit magnitude, in place or into out."""

def shear_x(image: Pixels, magnitude: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None,
            interpolation: Literal["nearest", "bilinear"] = "nearest", fill: Fill = None) -> None:
    """ShearX: output (x, y) reads the source at (x + magnitude * (y + 0.5), y)."""

def shear_y(image: Pixels, magnitude: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None,
            interpolation: Literal["nearest", "bilinear"] = "nearest", fill: Fill = None) -> None:
    """ShearY: output (x, y) reads the source at (x, y + magnitude * (x + 0.5))."""

def translate_x(image: Pixels, pixels: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None,
                interpolation: Literal["nearest", "bilinear"] = "nearest", fill: Fill = None) -> None:
    """TranslateX: moves the image right by `pixels` (truncated toward zero)."""

def translate_y(image: Pixels, pixels: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None,
                interpolation: Literal["nearest", "bilinear"] = "nearest", fill: Fill = None) -> None:
    """TranslateY: moves the image down by `pixels` (truncated toward zero)."""

def rotate(image: Pixels, degrees: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None,
           interpolation: Literal["nearest", "bilinear"] = "nearest", fill: Fill = None) -> None:
    """Rotate: turns the image counter-clockwise by `degrees` about its centre."""

def brightness(image: Pixels, magnitude: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None) -> None:
    """Brightness: blend with black by factor 1 + magnitude."""

def color(image: Pixels, magnitude: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None) -> None:
    """Color: blend with the grayscale image by factor 1 + magnitude."""

def contrast(image: Pixels, magnitude: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None) -> None:
    """Contrast: blend with the grayscale mean by factor 1 + magnitude."""

def sharpness(image: Pixels, magnitude: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None) -> None:
    """Sharpness: blend with torchvision's smoothed image by factor 1 + magnitude."""

def posterize(image: Pixels, bits: int, out: Optional[Pixels] = None, *, layout: ImageLayout = None) -> None:
    """Posterize: keep the top `bits` bits (0-8) of each level."""

def solarize(image: Pixels, threshold: float, out: Optional[Pixels] = None, *, layout: ImageLayout = None) -> None:
    """Solarize: invert every pixel at or above `threshold` (0-255 scale for both dtypes)."""

def auto_contrast(image: Pixels, out: Optional[Pixels] = None, *, layout: ImageLayout = None) -> None:
    """AutoContrast: stretch each channel to the full range."""

def equalize(image: Pixels, out: Optional[Pixels] = None, *, layout: ImageLayout = None) -> None:
    """Equalize: torchvision's per-channel histogram equalization."""

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
    repeats: int = 1,
) -> Tuple[Any, BatchRecords]:
    """Mixes every sample with its partner (in place when out is None); returns (soft_labels, records).

    repeats > 1: batch augmentation into out (repeats x N samples), as C++ mix_batch_repeated."""
