"""resizemix.torch: mixing inside a torch.utils.data.DataLoader's collate function.

    from resizemix.torch import MixCollate
    collate = MixCollate(resizemix.ResizeMix(), num_classes=10, seed=0)
    loader = DataLoader(dataset, batch_size=64, num_workers=2, collate_fn=collate)
    for epoch in range(epochs):
        collate.set_epoch(epoch)
        for images, soft_targets in loader:
            ...

Each batch is stacked, then mixed in place in the worker that built it, so the
mixing runs in parallel with training and no extra copy of the batch is made.
Every batch draws from its own stream (seed, epoch, step, rank): DataLoader hands
batch k of an epoch to worker k % num_workers, so a worker's j-th batch is
batch k = j * num_workers + worker_id, and the mixed epoch is the same bytes
whatever the number of workers (given the same batches in the same order).

ResizeMix+ (the paper's best recipe: RandAugment after the mix, batch augmentation x2):

    collate = MixCollate(resizemix.augment_after(resizemix.ResizeMix(), resizemix.RandAugment()),
                         num_classes=10, repeats=2)   # batches of 2 x batch_size samples
"""

from __future__ import annotations

from typing import Any, Callable, Sequence, Tuple

import torch
from torch.utils.data import default_collate, get_worker_info

from . import _core

__all__ = ["MixCollate"]


class MixCollate:
    """Stacks (image, label) samples and mixes the batch in place (into a new batch with repeats > 1).

    Args:
        mixer: a resizemix mixer (ResizeMix, CutMix, Mixup, one_of, sometimes, augment_after,
            augment_before).
        num_classes: the number of classes; labels become (N, num_classes) soft targets.
        label_smoothing: eps of (1 - eps) * mixed + eps / num_classes.
        seed: the run's seed; with the epoch and the batch index it fixes every draw.
        layout: "nchw" for (C, H, W) images (torchvision's ToTensor, PILToTensor),
            "nhwc" for (H, W, C) ones.
        threads: threads per batch inside the worker (0 = every core); the bytes do
            not depend on it.
        pairing: "shuffle" (seeded permutation) or "flip" (timm's order).
        collate: stacks the samples into (images, labels); default_collate by default.
            Images should come out as uint8 or float32 CPU tensors (mixed where they
            lie); other dtypes are converted to float32 first.
        rank: the data-parallel rank of this process, so ranks draw differently.
        repeats: batch augmentation: each batch of N becomes repeats x N samples, copy r of
            sample i at r * N + i with draws of its own (mix_batch's repeats=).

    Call set_epoch(epoch) before iterating each epoch, as with DistributedSampler:
    workers are started per epoch (unless persistent_workers=True, in which case the
    batch index keeps counting across epochs and the draws still differ).
    """

    def __init__(
        self,
        mixer: _core.Mixer,
        num_classes: int,
        *,
        label_smoothing: float = 0.0,
        seed: int = 0,
        layout: str = "nchw",
        threads: int = 1,
        pairing: str = "shuffle",
        collate: Callable[[Sequence[Any]], Any] = default_collate,
        rank: int = 0,
        repeats: int = 1,
    ) -> None:
        if not isinstance(mixer, _core.Mixer):
            raise TypeError(f"mixer must be a resizemix mixer, got {type(mixer).__name__}")
        if num_classes < 1:
            raise ValueError(f"num_classes must be at least 1, got {num_classes}")
        if repeats < 1:
            raise ValueError(f"repeats must be at least 1, got {repeats}")
        self.mixer = mixer
        self.num_classes = num_classes
        self.label_smoothing = label_smoothing
        self.seed = seed
        self.layout = layout
        self.threads = threads
        self.pairing = pairing
        self.collate = collate
        self.rank = rank
        self.repeats = repeats
        self.epoch = 0
        self._batches_made = 0  # in this process: each worker has its own copy

    def set_epoch(self, epoch: int) -> None:
        """Sets the epoch of the next iteration and restarts the batch count."""
        self.epoch = epoch
        self._batches_made = 0

    def batch_index(self) -> int:
        """The index within the epoch of the batch this process builds next."""
        info = get_worker_info()
        if info is None:
            return self._batches_made
        return self._batches_made * info.num_workers + info.id

    def __call__(self, samples: Sequence[Any]) -> Tuple[torch.Tensor, torch.Tensor]:
        images, labels = self.collate(samples)
        if not isinstance(images, torch.Tensor):
            raise TypeError(f"the collated images must be a torch tensor, got {type(images).__name__}")
        if images.dtype not in (torch.uint8, torch.float32):
            images = images.to(torch.float32)
        labels = torch.as_tensor(labels, dtype=torch.int64)
        stream = self.stream_arguments(self.batch_index())
        self._batches_made += 1
        out = None
        if self.repeats > 1:
            out = images.new_empty((self.repeats * images.shape[0], *images.shape[1:]))
        soft_targets, _ = _core.mix_batch(
            self.mixer,
            images,
            labels,
            out,
            repeats=self.repeats,
            num_classes=self.num_classes,
            label_smoothing=self.label_smoothing,
            threads=self.threads,
            pairing=self.pairing,
            layout=self.layout,
            **stream,
        )
        return (images if out is None else out), soft_targets

    def stream_arguments(self, batch_index: int) -> dict:
        """The mix_batch keyword arguments (seed, epoch, step, rank) of batch `batch_index` of
        the current epoch: mix_batch(mixer, images, labels, **these) re-mixes that batch alike."""
        return {"seed": self.seed, "epoch": self.epoch, "step": batch_index, "rank": self.rank}

