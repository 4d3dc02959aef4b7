# Type stubs for resizemix.torch.
from typing import Any, Callable, Sequence, Tuple

import torch

from ._core import Mixer

class MixCollate:
    mixer: Mixer
    num_classes: int
    label_smoothing: float
    seed: int
    layout: str
    threads: int
    pairing: str
    step_offset: int
    epoch: int
    def __init__(
        self,
        mixer: Mixer,
        num_classes: int,
        *,
        label_smoothing: float = 0.0,
        seed: int = 0,
        layout: str = "nchw",
        threads: int = 1,
        pairing: str = "shuffle",
        collate: Callable[[Sequence[Any]], Any] = ...,
        step_offset: int = 0,
    ) -> None: ...
    def set_epoch(self, epoch: int) -> None: ...
    def batch_index(self) -> int: ...
    def __call__(self, samples: Sequence[Any]) -> Tuple[torch.Tensor, torch.Tensor]: ...
