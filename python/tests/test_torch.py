"""Pickling mixers, and MixCollate inside a DataLoader with worker processes."""

import copy
import pickle

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import DataLoader, Dataset  # noqa: E402

import resizemix  # noqa: E402
from resizemix.torch import MixCollate  # noqa: E402
from conftest import noise  # noqa: E402

MIXERS = [
    resizemix.ResizeMix(scale_min=0.25, scale_max=0.75, paste_region="salient", interpolation="nearest"),
    resizemix.CutMix(alpha=0.3, source_region="non-salient", paste_region="random"),
    resizemix.Mixup(alpha=0.2),
    resizemix.one_of([(resizemix.ResizeMix(), 0.7), resizemix.sometimes(resizemix.CutMix(), 0.4)]),
]


@pytest.mark.parametrize("mixer", MIXERS, ids=repr)
def test_mixers_pickle_to_the_same_mixer(mixer):
    restored = pickle.loads(pickle.dumps(mixer))
    assert type(restored) is type(mixer) and repr(restored) == repr(mixer)
    assert repr(copy.deepcopy(mixer)) == repr(mixer)
    images = noise((6, 3, 10, 10), np.uint8)
    maps = np.random.default_rng(0).random((6, 10, 10))
    first, second = images.copy(), images.copy()
    resizemix.mix_batch(mixer, first, seed=2, saliency=maps)
    resizemix.mix_batch(restored, second, seed=2, saliency=maps)
    assert np.array_equal(first, second)


class Squares(Dataset):
    """40 uint8 1x12x12 images, each a distinct noise pattern, labelled i % 4."""

    def __init__(self):
        self.images = torch.from_numpy(noise((40, 1, 12, 12), np.uint8, seed=5))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        return self.images[index], index % 4


def make_collate(epoch):
    collate = MixCollate(resizemix.one_of([resizemix.ResizeMix(), resizemix.CutMix()]), num_classes=4, seed=9,
                         label_smoothing=0.1)
    collate.set_epoch(epoch)
    return collate


def load(workers, epoch):
    loader = DataLoader(Squares(), batch_size=8, num_workers=workers, collate_fn=make_collate(epoch))
    return [(images.clone(), targets.clone()) for images, targets in loader]


def test_collate_with_two_workers_equals_the_main_process_and_mix_batch():
    in_workers = load(2, epoch=3)
    in_main = load(0, epoch=3)
    assert len(in_workers) == 5
    dataset = Squares()
    for step, ((images, targets), (main_images, main_targets)) in enumerate(zip(in_workers, in_main)):
        assert images.dtype == torch.uint8 and images.shape == (8, 1, 12, 12)
        assert targets.dtype == torch.float32 and targets.shape == (8, 4)
        assert torch.equal(images, main_images) and torch.equal(targets, main_targets)
        torch.testing.assert_close(targets.sum(dim=1), torch.ones(8))
        expected = dataset.images[step * 8:(step + 1) * 8].clone()
        labels = torch.arange(step * 8, (step + 1) * 8) % 4
        assert make_collate(epoch=3).stream_arguments(step) == {"seed": 9, "epoch": 3, "step": step, "rank": 0}
        soft, _ = resizemix.mix_batch(resizemix.one_of([resizemix.ResizeMix(), resizemix.CutMix()]), expected,
                                      labels, num_classes=4, label_smoothing=0.1, seed=9, epoch=3, step=step)
        assert torch.equal(images, expected) and torch.equal(targets, soft)


def test_every_batch_and_epoch_draws_afresh():
    first = load(2, epoch=0)
    boxes = {tuple(torch.nonzero(images != Squares().images[k * 8:(k + 1) * 8]).flatten().tolist())
             for k, (images, _) in enumerate(first)}
    assert len(boxes) == len(first)
    again = load(2, epoch=0)
    other = load(2, epoch=1)
    assert all(torch.equal(a[0], b[0]) for a, b in zip(first, again))
    assert not all(torch.equal(a[0], b[0]) for a, b in zip(first, other))


def test_float_images_and_channels_last_layout():
    class Interleaved(Dataset):
        def __len__(self):
            return 8

        def __getitem__(self, index):
            return torch.full((6, 6, 3), float(index)), index

    collate = MixCollate(resizemix.Mixup(), num_classes=8, layout="nhwc")
    images, targets = next(iter(DataLoader(Interleaved(), batch_size=8, collate_fn=collate)))
    assert images.shape == (8, 6, 6, 3) and targets.shape == (8, 8)
    lam = targets.max(dim=1).values  # the larger weight of each row
    assert torch.all(lam >= 0.5)


def test_collate_arguments():
    with pytest.raises(TypeError, match="^mixer must be a resizemix mixer, got str"):
        MixCollate("resizemix", num_classes=3)
    with pytest.raises(ValueError, match="^num_classes must be at least 1, got 0"):
        MixCollate(resizemix.ResizeMix(), num_classes=0)
    with pytest.raises(TypeError, match="^the collated images must be a torch tensor, got list"):
        MixCollate(resizemix.ResizeMix(), num_classes=3, collate=lambda samples: ([1], [0]))([0])


def test_ranks_draw_differently():
    dataset = Squares()
    samples = [dataset[i] for i in range(8)]
    first = MixCollate(resizemix.ResizeMix(), num_classes=4, seed=1, rank=0)(samples)[0]
    second = MixCollate(resizemix.ResizeMix(), num_classes=4, seed=1, rank=1)(samples)[0]
    again = MixCollate(resizemix.ResizeMix(), num_classes=4, seed=1, rank=1)(samples)[0]
    assert not torch.equal(first, second) and torch.equal(second, again)


def test_resize_mix_plus_collate_with_two_workers():
    """ResizeMix+ in the loader: RandAugment after the mix, batch augmentation x2, in worker processes."""
    plus = resizemix.augment_after(resizemix.ResizeMix(), resizemix.RandAugment(num_ops=2, magnitude=9))
    collate = MixCollate(plus, num_classes=4, seed=3, repeats=2)
    collate.set_epoch(1)
    loader = DataLoader(Squares(), batch_size=8, num_workers=2, collate_fn=collate)
    batches = [(images.clone(), targets.clone()) for images, targets in loader]
    assert len(batches) == 5
    dataset = Squares()
    for step, (images, targets) in enumerate(batches):
        assert images.shape == (16, 1, 12, 12) and targets.shape == (16, 4)
        original = dataset.images[step * 8:(step + 1) * 8]
        labels = torch.arange(step * 8, (step + 1) * 8) % 4
        expected = torch.empty_like(images)
        soft, records = resizemix.mix_batch(plus, original, labels, expected, num_classes=4, repeats=2,
                                            **collate.stream_arguments(step))
        assert torch.equal(images, expected) and torch.equal(targets, soft)
        assert all(len(ops) == 2 for ops in records.augmentations)
    with pytest.raises(ValueError, match="^repeats must be at least 1, got 0"):
        MixCollate(plus, num_classes=4, repeats=0)
