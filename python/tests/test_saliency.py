"""Saliency maps as arrays or as a Python callable, and the GIL around mixing."""

import threading

import numpy as np
import pytest

import resizemix
from conftest import noise

SALIENT = resizemix.CutMix(source_region="salient", paste_region="non-salient")


def peaked_maps(count, height, width):
    """Map i has its single maximum at (y, x) = (i % height, 2 * i % width) and minimum at (0, width - 1)."""
    maps = np.ones((count, height, width), np.float32)
    for i in range(count):
        maps[i, i % height, (2 * i) % width] = 5.0
        maps[i, 0, width - 1] = 0.0
    return maps


def test_callable_is_asked_for_each_role_and_sample_and_matches_arrays():
    images = noise((6, 3, 16, 16), np.uint8)
    maps = peaked_maps(6, 16, 16)
    queries = []

    def provider(query):
        queries.append((query.role, query.image_index, query.height, query.width))
        return maps[query.image_index]

    by_callable = images.copy()
    _, records = resizemix.mix_batch(SALIENT, by_callable, seed=3, saliency=provider)
    by_array = images.copy()
    _, array_records = resizemix.mix_batch(SALIENT, by_array, seed=3, saliency=maps)
    assert np.array_equal(by_callable, by_array)
    assert np.array_equal(records.box, array_records.box)
    expected = []
    for i, record in enumerate(records):
        expected += [("source", record.partner, 16, 16), ("target", i, 16, 16)]
    assert queries == expected


def test_boxes_sit_on_the_salient_source_pixel_and_the_non_salient_target_pixel():
    images = noise((5, 1, 16, 16), np.float32)
    maps = peaked_maps(5, 16, 16)
    _, records = resizemix.mix_batch(SALIENT, images, seed=1, saliency=maps)
    for record in records:
        x, y, width, height = record.source_box
        peak_y, peak_x = record.partner % 16, (2 * record.partner) % 16
        assert x <= peak_x < x + width and y <= peak_y < y + height
        x, y, width, height = record.box
        assert y == 0 and x + width == 16  # the minimum's corner: the box shifted inside


def test_pair_maps_as_arrays_or_callable():
    source = noise((3, 12, 12), np.uint8, seed=1)
    target = noise((3, 12, 12), np.uint8, seed=2)
    maps = peaked_maps(2, 12, 12)
    with_arrays = target.copy()
    info = resizemix.mix(SALIENT, source, with_arrays, seed=4, source_saliency=maps[0], target_saliency=maps[1])
    with_callable = target.copy()
    roles = []

    def provider(query):
        roles.append((query.role, query.image_index))
        return maps[0] if query.role == "source" else maps[1]

    again = resizemix.mix(SALIENT, source, with_callable, seed=4, saliency=provider)
    assert np.array_equal(with_arrays, with_callable) and info.box == again.box
    assert roles == [("source", -1), ("target", -1)]


def test_low_resolution_maps_are_scaled_to_the_image():
    images = noise((2, 3, 32, 32), np.uint8)
    maps = np.zeros((2, 4, 4), np.float32)
    maps[:, 3, 3] = 1.0  # bottom-right map pixel: image pixels 24..31
    _, records = resizemix.mix_batch(resizemix.CutMix(source_region="salient"), images, seed=0, saliency=maps)
    for record in records:
        x, y, width, height = record.source_box
        assert x + width > 24 and y + height > 24


def test_callback_exception_reaches_the_caller_and_nothing_is_written():
    images = noise((4, 3, 8, 8), np.uint8)
    original = images.copy()

    def failing(query):
        raise KeyError("no map for %d" % query.image_index)

    with pytest.raises(KeyError, match="no map for"):
        resizemix.mix_batch(SALIENT, images, saliency=failing)
    assert np.array_equal(images, original)


def test_the_gil_is_released_while_pixels_move():
    images = noise((48, 3, 224, 224), np.float32)
    inside = threading.Event()
    finished = threading.Event()

    def work():
        inside.set()
        resizemix.mix_batch(resizemix.ResizeMix(interpolation="area"), images, threads=1)
        resizemix.mix_batch(resizemix.Mixup(), images, threads=1)
        finished.set()

    worker = threading.Thread(target=work)
    worker.start()
    inside.wait()
    iterations = 0
    while not finished.is_set():
        iterations += 1
    worker.join()
    # Holding the GIL for the whole call would leave this loop a handful of turns at most.
    assert iterations > 1000
