#!/usr/bin/python3
"""Trains a small CNN on Fashion-MNIST from Python, mixing in DataLoader workers with resizemix.

    /usr/bin/python3 examples/python/train_fashion_mnist.py --method resizemix --epochs 5
    /usr/bin/python3 examples/python/train_fashion_mnist.py --quick   # the CI smoke test

Each batch is stacked and mixed in place by resizemix.torch.MixCollate inside the
DataLoader worker that built it, so mixing overlaps training and the main process
only sees (uint8 images, soft targets). The loss is soft-target cross-entropy.
The data are Debian's dataset-fashion-mnist package (gzipped IDX files under
/usr/share/datasets/fashion-mnist). --quick trains 60 steps on 3840 images and
fails unless the loss falls and the test accuracy beats chance by far.
"""

import argparse
import gzip
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

import resizemix
from resizemix.torch import MixCollate

PIXEL_MEAN, PIXEL_STD = 0.2860, 0.3530  # of the training set, pixels in [0, 1]

METHODS = {
    "none": None,
    "mixup": lambda: resizemix.Mixup(alpha=0.2),
    "cutmix": lambda: resizemix.CutMix(alpha=1.0),
    "resizemix": lambda: resizemix.ResizeMix(scale_min=0.1, scale_max=0.8),
    "one_of": lambda: resizemix.one_of([(resizemix.ResizeMix(), 0.5), (resizemix.CutMix(), 0.5)]),
}


def read_idx(path):
    """An IDX file (gzipped or not) as a NumPy array."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as stream:
        data = stream.read()
    dimensions = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(dimensions))
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dimensions).reshape(shape)


class FashionMnist(Dataset):
    """One split as (uint8 1x28x28 tensor, class) samples."""

    def __init__(self, folder, split, limit=0):
        prefix = "train" if split == "train" else "t10k"
        images = read_idx(folder / f"{prefix}-images-idx3-ubyte.gz")
        labels = read_idx(folder / f"{prefix}-labels-idx1-ubyte.gz")
        if limit:
            images, labels = images[:limit], labels[:limit]
        self.images = torch.from_numpy(images.copy()).unsqueeze(1)
        self.labels = torch.from_numpy(labels.astype(np.int64))

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return self.images[index], int(self.labels[index])


def make_model():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10))


def normalise(images):
    return (images.to(torch.float32) / 255.0 - PIXEL_MEAN) / PIXEL_STD


def one_hot_collate(samples):
    images, labels = torch.utils.data.default_collate(samples)
    return images, nn.functional.one_hot(labels, 10).to(torch.float32)


def evaluate(model, dataset):
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in DataLoader(dataset, batch_size=500):
            correct += int((model(normalise(images)).argmax(dim=1) == labels).sum())
    model.train()
    return correct / len(dataset)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=sorted(METHODS), default="resizemix")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="DataLoader worker processes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, default=Path("/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--quick", action="store_true", help="smoke test: 60 steps on 3840 images")
    args = parser.parse_args()

    if not (args.data_dir / "train-images-idx3-ubyte.gz").exists():
        print(f"train_fashion_mnist: no Fashion-MNIST in {args.data_dir}; install Debian's dataset-fashion-mnist",
              file=sys.stderr)
        return 1
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)  # the machine's cores go to the DataLoader workers
    train = FashionMnist(args.data_dir, "train", limit=3840 if args.quick else 0)
    test = FashionMnist(args.data_dir, "test", limit=1000 if args.quick else 0)
    epochs = 1 if args.quick else args.epochs

    make_mixer = METHODS[args.method]
    collate = MixCollate(make_mixer(), num_classes=10, seed=args.seed) if make_mixer else one_hot_collate
    generator = torch.Generator().manual_seed(args.seed)
    loader = DataLoader(train, batch_size=args.batch_size, shuffle=True, drop_last=True, generator=generator,
                        num_workers=args.workers, collate_fn=collate)
    model = make_model()
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)
    losses = []
    started = time.perf_counter()
    for epoch in range(epochs):
        if make_mixer:
            collate.set_epoch(epoch)
        for images, soft_targets in loader:
            loss = -(soft_targets * torch.log_softmax(model(normalise(images)), dim=1)).sum(dim=1).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses.append(float(loss))
        accuracy = evaluate(model, test)
        print(f"epoch {epoch + 1}/{epochs} method {args.method}: loss {np.mean(losses[-len(loader):]):.4f}, "
              f"test accuracy {accuracy:.4f} ({time.perf_counter() - started:.1f} s)")

    if args.quick:
        first, last = np.mean(losses[:10]), np.mean(losses[-10:])
        if not (np.isfinite(last) and last < first and accuracy > 0.5):
            print(f"train_fashion_mnist --quick: did not learn (loss {first:.4f} -> {last:.4f}, "
                  f"accuracy {accuracy:.4f})", file=sys.stderr)
            return 1
        print(f"quick: loss {first:.4f} -> {last:.4f} over {len(losses)} steps, accuracy {accuracy:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
