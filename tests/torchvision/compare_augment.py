#!/usr/bin/python3
"""Checks resizemix's RandAugment operations against torchvision 0.14 itself.

Every operation runs at several magnitudes, both signs, nearest and bilinear, with and without a
fill, on crops of the bundled photos (RGB and grayscale), on noise and on tiny images, as uint8 and
as float in [0, 1], once through tests/torchvision/augment_dump.cpp and once through torchvision's
autoaugment._apply_op; then whole rand_augment policies are replayed op by op from the record our
policy returns, and each recorded magnitude is checked against torchvision's _augmentation_space.
AutoAugment runs every sub-policy of the three published policies with both steps forced on (and
signs alternating) against torchvision's own AutoAugment.forward with get_params fixed to the same
choices (uint8; float images replay its table op by op through the conventions below), and
TrivialAugmentWide runs every operation at its lowest, middle and highest wide bin, both signs,
against _apply_op with torchvision's wide magnitudes; both only on one photo and its grayscale crop.

Tolerances, and why:
  uint8, exact (0 levels): Identity, Posterize, Solarize, Equalize, AutoContrast: integer or
      identical float32 arithmetic.
  uint8, Brightness, Color, Contrast, Sharpness: at most 1 level, on at least 99.9% of pixels
      exact. Both compute the float32 blend and truncate; torch's float32 mean (Contrast) and any
      fused multiply-add in its kernels can move a value that lies within an ulp of an integer.
  uint8, geometric, nearest: exact, except "tie pixels" whose source coordinate, computed in double,
      lies within 1e-3 of a rounding boundary (x.5, which includes the image edge at -0.5 and
      size - 0.5): there the float32 evaluation order decides which neighbour is read. At most 0.1%
      of the pixels may be tie pixels that differ, or the case fails.
  uint8, geometric, bilinear: at most 1 level everywhere (float32 weights, then round half to even).
  float: within 1e-4 everywhere, except the nearest tie pixels as above. Posterize and Equalize have
      no float path in torchvision: ours work on levels round(255 x), so the reference is
      torchvision's uint8 result on those levels, / 255. Solarize's threshold is on the 0-255 scale
      for both types, so torchvision gets threshold / 255 on float images.
  policies, AutoAugment sub-policies (sequences of ops): at least 99.9% of pixels within 1 level (uint8), 99.5% within 1e-4
      (float); a tie pixel early in a chain moves through the later ops, and on float images a
      Posterize or Equalize after another op turns a last-ulp difference at a level boundary into a
      whole level, so no per-pixel maximum applies.
"""
import argparse
import math
import os
import subprocess
import sys

import numpy as np
import torch
from PIL import Image
from torchvision.transforms import InterpolationMode, autoaugment
from torchvision.transforms import functional as F

GEOMETRIC = {"ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate"}
BLENDS = {"Brightness", "Color", "Contrast", "Sharpness"}
EXACT = {"Identity", "Posterize", "Solarize", "Equalize", "AutoContrast"}
TIE_WINDOW = 1e-3
MAX_TIE_SHARE = 0.001


def levels(image):
    """Float pixels on the 0-255 level scale, as the C++ does: floor(255 x + 0.5) after clamping."""
    return torch.floor(image.clamp(0, 1) * 255 + 0.5).to(torch.uint8)


def reference(image, name, magnitude, interpolation, fill):
    """torchvision's result for one op; float images follow our documented 0-255 conventions."""
    mode = InterpolationMode.BILINEAR if interpolation == "bilinear" else InterpolationMode.NEAREST
    if image.dtype == torch.uint8:
        return autoaugment._apply_op(image, name, magnitude, mode, fill)
    if name in ("Posterize", "Equalize"):
        return autoaugment._apply_op(levels(image), name, magnitude, mode, None).to(torch.float32) / 255
    if name == "Solarize":
        magnitude = magnitude / 255.0
    float_fill = None if fill is None else [value / 255.0 for value in fill]
    return autoaugment._apply_op(image, name, magnitude, mode, float_fill)


def source_coordinates(name, magnitude, height, width):
    """Where each output pixel samples the input, in double, from torchvision's own matrix."""
    if name in ("ShearX", "ShearY"):
        shear = math.degrees(math.atan(magnitude))
        center = [-0.5 * width, -0.5 * height]
        matrix = F._get_inverse_affine_matrix(center, 0.0, [0.0, 0.0], 1.0,
                                              [shear, 0.0] if name == "ShearX" else [0.0, shear])
    elif name in ("TranslateX", "TranslateY"):
        shift = [float(int(magnitude)), 0.0] if name == "TranslateX" else [0.0, float(int(magnitude))]
        matrix = F._get_inverse_affine_matrix([0.0, 0.0], 0.0, shift, 1.0, [0.0, 0.0])
    else:
        matrix = F._get_inverse_affine_matrix([0.0, 0.0], -magnitude, [0.0, 0.0], 1.0, [0.0, 0.0])
    ys, xs = np.meshgrid(np.arange(height) + 0.5 - 0.5 * height, np.arange(width) + 0.5 - 0.5 * width,
                         indexing="ij")
    source_x = matrix[0] * xs + matrix[1] * ys + matrix[2] + 0.5 * width - 0.5
    source_y = matrix[3] * xs + matrix[4] * ys + matrix[5] + 0.5 * height - 0.5
    return source_x, source_y


def tie_pixels(name, magnitude, height, width):
    source_x, source_y = source_coordinates(name, magnitude, height, width)

    def near_half(values):
        return np.abs(values - np.floor(values) - 0.5) < TIE_WINDOW

    return near_half(source_x) | near_half(source_y)


def judge(case, ours, theirs):
    """None when the case is within its tolerance, else a sentence saying how it is not."""
    name, magnitude, interpolation = case["name"], case["magnitude"], case["interpolation"]
    is_float = ours.dtype == np.float32
    difference = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
    if not np.all(np.isfinite(difference)):
        return "non-finite values"
    excluded = np.zeros(difference.shape[1:], dtype=bool)
    if name in GEOMETRIC and interpolation == "nearest":
        excluded = tie_pixels(name, magnitude, *difference.shape[1:])
        mismatched = np.any(difference > (1e-4 if is_float else 0), axis=0)
        if (mismatched & excluded).mean() > MAX_TIE_SHARE:
            return f"{(mismatched & excluded).mean():.4%} of pixels read another neighbour at a tie (limit {MAX_TIE_SHARE:.1%})"
    kept = difference[:, ~excluded]
    worst = float(kept.max()) if kept.size else 0.0
    if is_float:
        limit = 1e-4
    elif name in EXACT or (name in GEOMETRIC and interpolation == "nearest"):
        limit = 0
    else:
        limit = 1
    if worst > limit:
        where = np.argwhere(difference * ~excluded > limit)[0]
        return f"differs by {worst} (limit {limit}) at (c, y, x) = {tuple(where)}: ours {ours[tuple(where)]}, torchvision {theirs[tuple(where)]}"
    if not is_float and name in BLENDS and (kept > 0).mean() > 0.001:
        return f"{(kept > 0).mean():.4%} of pixels differ by 1 level (limit 0.1%)"
    return None


def load_images(data_dirs):
    """Crops of the photos (odd, non-square sizes), a grayscale one, noise and tiny images."""
    images = {}
    for data_dir in data_dirs:
        for file in sorted(os.listdir(data_dir)):
            stem, extension = os.path.splitext(file)
            if extension.lower() not in (".png", ".jpg", ".jpeg"):
                continue
            photo = Image.open(os.path.join(data_dir, file))
            crop = np.asarray(photo.convert("RGB"))[31:31 + 151, 17:17 + 197].transpose(2, 0, 1)
            images[stem] = np.ascontiguousarray(crop)
            if not any(key.endswith("gray") for key in images):
                gray = np.asarray(photo.convert("L"))[40:40 + 97, 50:50 + 83]
                images[stem + "-gray"] = np.ascontiguousarray(gray[None])
    noise = np.random.default_rng(12)
    images["noise"] = noise.integers(0, 256, size=(3, 47, 61), dtype=np.uint8)
    images["tiny"] = noise.integers(0, 256, size=(3, 4, 5), dtype=np.uint8)
    images["flat"] = np.full((3, 9, 7), 77, dtype=np.uint8)
    images["two-rows"] = noise.integers(0, 256, size=(3, 2, 9), dtype=np.uint8)
    return images


def float_version(name, image, generator):
    if name == "noise":
        return generator.random(image.shape, dtype=np.float32)
    return (image.astype(np.float32) / 255).astype(np.float32)


def op_cases(channels, height, width):
    fills = [None, [128.0, 64.0, 200.0] if channels == 3 else [96.0]]
    for name, magnitudes in (("ShearX", [0.05, 0.17, 0.3]), ("ShearY", [0.05, 0.17, 0.3]),
                             ("TranslateX", [3.0, 0.2 * width, 150.0 / 331.0 * width]),
                             ("TranslateY", [3.0, 0.2 * height, 150.0 / 331.0 * height]),
                             ("Rotate", [5.0, 17.5, 30.0, 90.0])):
        for magnitude in magnitudes:
            for sign in (1.0, -1.0):
                for interpolation in ("nearest", "bilinear"):
                    for fill in fills:
                        yield name, sign * magnitude, interpolation, fill
    for name in sorted(BLENDS):
        for magnitude in (0.1, 0.45, 0.9):
            for sign in (1.0, -1.0):
                if channels == 3 or name not in ("Color",):
                    yield name, sign * magnitude, "nearest", None
    for bits in range(9):
        yield "Posterize", float(bits), "nearest", None
    for threshold in (0.0, 37.5, 128.0, 246.5, 255.0):
        yield "Solarize", threshold, "nearest", None
    for name in ("AutoContrast", "Equalize", "Identity"):
        yield name, 0.0, "nearest", None


POLICIES = [(2, 9, 31), (3, 5, 11), (6, 30, 31), (4, 0, 31), (3, 1, 9)]
AUTO_POLICIES = {"imagenet": autoaugment.AutoAugmentPolicy.IMAGENET, "cifar10": autoaugment.AutoAugmentPolicy.CIFAR10,
                 "svhn": autoaugment.AutoAugmentPolicy.SVHN}
TRIVIAL_BINS = (0, 15, 30)


def auto_augment_expected(policy_name, index, runs, negative, height, width):
    """The ops torchvision's AutoAugment.forward runs for these choices: (name, signed magnitude) pairs."""
    augmentation = autoaugment.AutoAugment(AUTO_POLICIES[policy_name])
    space = augmentation._augmentation_space(10, (height, width))
    ops = []
    for step, (name, _, magnitude_id) in enumerate(augmentation.policies[index]):
        if not runs[step]:
            continue
        magnitudes, signed = space[name]
        magnitude = float(magnitudes[magnitude_id].item()) if magnitude_id is not None else 0.0
        if signed and negative[step]:
            magnitude *= -1.0
        ops.append((name, magnitude))
    return ops


def auto_augment_forward(image, policy_name, index, runs, negative):
    """torchvision's own AutoAugment.forward with get_params returning the given choices."""
    augmentation = autoaugment.AutoAugment(AUTO_POLICIES[policy_name])
    probabilities = torch.tensor([0.0 if run else 2.0 for run in runs])
    signs = torch.tensor([0 if flag else 1 for flag in negative])
    augmentation.get_params = lambda count: (index, probabilities, signs)
    return augmentation(image)


def trivial_magnitude(name, magnitude_bin, negative):
    magnitudes, signed = autoaugment.TrivialAugmentWide()._augmentation_space(31)[name]
    magnitude = float(magnitudes[magnitude_bin].item()) if magnitudes.ndim > 0 else 0.0
    return -magnitude if signed and negative else magnitude


def chain_problem(ours, theirs):
    difference = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
    limit, share = (1e-4, 0.005) if ours.dtype == np.float32 else (1, 0.001)
    if (difference > limit).mean() > share:
        return f"{(difference > limit).mean():.4%} of pixels beyond {limit} (limit {share:.1%})"
    return None


def recorded_problem(path, expected):
    """None when the ops file holds `expected` (name, magnitude) pairs, else how it differs."""
    with open(path) as file:
        steps = [(name, float(text)) for name, text in (line.split() for line in file if line.strip())]
    if [name for name, _ in steps] != [name for name, _ in expected]:
        return f"recorded {steps}, torchvision runs {expected}"
    for (name, ours), (_, theirs) in zip(steps, expected):
        if abs(ours - theirs) > 1e-6 * max(1.0, abs(theirs)):
            return f"{name} magnitude {ours}, torchvision's gives {theirs}"
    return None


def expected_magnitude(name, magnitude_bin, bins, height, width):
    space = autoaugment.RandAugment()._augmentation_space(bins, (height, width))
    values, _ = space[name]
    return float(values[magnitude_bin].item()) if values.ndim > 0 else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", required=True, help="the augment_dump program")
    parser.add_argument("--data", required=True, nargs="+",
                        help="folders of photos (PNG or JPEG); any photos can be checked, not only the bundled ones")
    parser.add_argument("--work", required=True, help="scratch folder")
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.work, exist_ok=True)
    generator = np.random.default_rng(34)

    cases = []
    manifest = []
    for image_name, pixels in load_images(args.data).items():
        channels, height, width = pixels.shape
        for dtype in ("u8", "f32"):
            image = pixels if dtype == "u8" else float_version(image_name, pixels, generator)
            stem = os.path.join(args.work, f"{image_name}-{dtype}")
            image.tofile(stem + ".in")
            for index, (name, magnitude, interpolation, fill) in enumerate(op_cases(channels, height, width)):
                output = f"{stem}-{index}.out"
                fill_text = "-" if fill is None else ",".join(repr(value) for value in fill)
                manifest.append(f"op {name} {magnitude!r} {dtype} {interpolation} {fill_text} "
                                f"{channels} {height} {width} {stem}.in {output}")
                cases.append(dict(kind="op", image=image_name, input=image, name=name, magnitude=magnitude,
                                  interpolation=interpolation, fill=fill, output=output))
            if min(height, width) >= 32:  # on tiny images a tie pixel is a large share
                for policy_index, (num_ops, magnitude_bin, bins) in enumerate(POLICIES):
                    for seed in range(policy_index * 100 + len(manifest), policy_index * 100 + len(manifest) + 3):
                        output = f"{stem}-policy{policy_index}-{seed}.out"
                        manifest.append(f"policy {num_ops} {magnitude_bin} {bins} {seed} {dtype} "
                                        f"{channels} {height} {width} {stem}.in {output} {output}.ops")
                        cases.append(dict(kind="policy", image=image_name, input=image, name="policy",
                                          policy=(num_ops, magnitude_bin, bins), seed=seed, output=output,
                                          magnitude=0.0, interpolation="nearest"))
    augment_images = list(load_images(args.data).items())[:2]  # a photo and its grayscale crop
    for image_name, pixels in augment_images:
        channels, height, width = pixels.shape
        for dtype in ("u8", "f32"):
            image = pixels if dtype == "u8" else float_version(image_name, pixels, generator)
            stem = os.path.join(args.work, f"{image_name}-{dtype}-augment")
            image.tofile(stem + ".in")
            for policy_name in AUTO_POLICIES:
                for index in range(25):
                    runs, negative = (True, True), (index % 2 == 1, index % 4 >= 2)
                    output = f"{stem}-auto-{policy_name}-{index}.out"
                    manifest.append(f"auto {policy_name} {index} 1 1 {int(negative[0])} {int(negative[1])} {dtype} "
                                    f"{channels} {height} {width} {stem}.in {output} {output}.ops")
                    cases.append(dict(kind="auto", image=image_name, input=image, name=f"AutoAugment {policy_name}",
                                      policy_name=policy_name, index=index, runs=runs, negative=negative,
                                      output=output, magnitude=0.0, interpolation="nearest"))
            for name, (magnitudes, signed) in autoaugment.TrivialAugmentWide()._augmentation_space(31).items():
                for magnitude_bin in TRIVIAL_BINS if magnitudes.ndim > 0 else (0,):
                    for negative in (False, True) if signed else (False,):
                        output = f"{stem}-trivial-{name}-{magnitude_bin}-{int(negative)}.out"
                        manifest.append(f"trivial {name} {magnitude_bin} {int(negative)} {dtype} "
                                        f"{channels} {height} {width} {stem}.in {output} {output}.ops")
                        cases.append(dict(kind="trivial", image=image_name, input=image, name=name, bin=magnitude_bin,
                                          negative=negative, output=output,
                                          magnitude=trivial_magnitude(name, magnitude_bin, negative),
                                          interpolation="nearest", fill=None))
    tables_path = os.path.join(args.work, "auto_augment_tables.txt")
    manifest.append(f"tables {tables_path}")
    manifest_path = os.path.join(args.work, "manifest.txt")
    with open(manifest_path, "w") as file:
        file.write("\n".join(manifest) + "\n")
    subprocess.run([args.dump, manifest_path], check=True)

    failures = []
    checked = 0
    seen_ops = set()
    for case in cases:
        image = case["input"]
        tensor = torch.from_numpy(image.copy())
        ours = np.fromfile(case["output"], dtype=image.dtype).reshape(image.shape)
        label = f"{case['image']} {image.dtype} {case['name']}"
        if case["kind"] == "op":
            label += f" {case['magnitude']:g} {case['interpolation']} fill={case['fill']}"
            theirs = reference(tensor, case["name"], case["magnitude"], case["interpolation"], case["fill"]).numpy()
            problem = judge(case, ours, theirs)
        elif case["kind"] == "auto":
            label += f" sub-policy {case['index']} negative={case['negative']}"
            expected = auto_augment_expected(case["policy_name"], case["index"], case["runs"], case["negative"],
                                             *image.shape[1:])
            problem = recorded_problem(case["output"] + ".ops", expected)
            if image.dtype == np.uint8:
                theirs = auto_augment_forward(tensor, case["policy_name"], case["index"], case["runs"],
                                              case["negative"]).numpy()
            else:
                result = tensor
                for name, magnitude in expected:
                    result = reference(result, name, magnitude, "nearest", None)
                theirs = result.numpy()
            problem = problem or chain_problem(ours, theirs)
        elif case["kind"] == "trivial":
            label += f" wide bin {case['bin']} negative={case['negative']}"
            problem = recorded_problem(case["output"] + ".ops", [(case["name"], case["magnitude"])])
            theirs = reference(tensor, case["name"], case["magnitude"], "nearest", None).numpy()
            problem = problem or judge(case, ours, theirs)
        else:
            num_ops, magnitude_bin, bins = case["policy"]
            label += f" {case['policy']} seed {case['seed']}"
            with open(case["output"] + ".ops") as file:
                steps = [line.split() for line in file if line.strip()]
            problem = None
            if len(steps) != num_ops:
                problem = f"recorded {len(steps)} ops, expected {num_ops}"
            result = tensor
            for op_name, text in steps:
                magnitude = float(text)
                seen_ops.add(op_name)
                expected = expected_magnitude(op_name, magnitude_bin, bins, *image.shape[1:])
                if abs(abs(magnitude) - expected) > 1e-6 * max(1.0, expected):
                    problem = f"{op_name} magnitude {magnitude}, torchvision's bin gives {expected}"
                result = reference(result, op_name, magnitude, "nearest", None)
            theirs = result.numpy()
            difference = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
            limit, share = (1e-4, 0.005) if image.dtype == np.float32 else (1, 0.001)
            if problem is None and (difference > limit).mean() > share:
                problem = f"{(difference > limit).mean():.4%} of pixels beyond {limit} (limit {share:.1%})"
        checked += 1
        if problem:
            failures.append(f"{label}: {problem}")
    theirs_tables = [(policy_name, index, name, probability, str(magnitude_id))
                     for policy_name, policy in AUTO_POLICIES.items()
                     for index, steps in enumerate(autoaugment.AutoAugment(policy).policies)
                     for name, probability, magnitude_id in steps]
    with open(tables_path) as file:
        ours_tables = [(policy_name, int(index), name, float(probability), magnitude_id)
                       for policy_name, index, name, probability, magnitude_id in (line.split() for line in file)]
    if ours_tables != theirs_tables:
        differing = [(ours, theirs) for ours, theirs in zip(ours_tables, theirs_tables) if ours != theirs]
        failures.append(f"AutoAugment tables: {len(ours_tables)} steps, torchvision {len(theirs_tables)}; "
                        f"first difference (ours, torchvision's): {differing[:1]}")
    missing = {str(name) for name in autoaugment.RandAugment()._augmentation_space(31, (8, 8))} - seen_ops
    if missing:
        failures.append(f"the policies never drew {sorted(missing)}; add seeds")
    for failure in failures:
        print("FAIL", failure)
    print(f"compare_augment: {checked} cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
