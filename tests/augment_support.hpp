// tests/augment_support.hpp: helpers shared by the RandAugment test files (not a test file itself).
//
// Images written as rows of 0-255 levels for both pixel types, levels read back, and the
// three memory layouts (dense HWC, dense CHW, a strided crop) holding the same pixels.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/image.hpp>
#include <resizemix/view.hpp>

#include "support.hpp"

namespace augment_support {

using resizemix::index_t;

/// A `channels x height x width` image from levels listed channel by channel, row by row.
template <class T>
resizemix::image<T> from_levels(index_t channels, index_t height, index_t width, const std::vector<double>& levels) {
    resizemix::image<T> result(channels, height, width);
    std::size_t next = 0;
    for (index_t c = 0; c < channels; ++c)
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x) result(c, y, x) = test_support::level<T>(levels.at(next++));
    return result;
}

/// Every pixel as a 0-255 level (float * 255), channel by channel, row by row.
template <class T>
std::vector<double> levels_of(resizemix::image_view<const T> view) {
    std::vector<double> result;
    for (index_t c = 0; c < view.channels(); ++c)
        for (index_t y = 0; y < view.height(); ++y)
            for (index_t x = 0; x < view.width(); ++x) {
                result.push_back(std::is_same_v<T, std::uint8_t> ? static_cast<double>(view(c, y, x))
                                                                 : static_cast<double>(view(c, y, x)) * 255.0);
            }
    return result;
}

/// Checks levels: exact for uint8, within 1e-3 levels for float.
template <class T>
void check_levels(resizemix::image_view<const T> view, const std::vector<double>& expected) {
    const std::vector<double> actual = levels_of<T>(view);
    REQUIRE(actual.size() == expected.size());
    for (std::size_t k = 0; k < actual.size(); ++k) {
        INFO("element " << k);
        if constexpr (std::is_same_v<T, std::uint8_t>) {
            CHECK(actual[k] == expected[k]);
        } else {
            CHECK(actual[k] == Approx(expected[k]).margin(1e-3));
        }
    }
}

/// A view of the same pixels as `source` in a bigger interleaved buffer with padding on every side
/// and rows running bottom to top: neither dense HWC nor CHW, negative row stride.
template <class T>
struct strided_copy {
    std::vector<T> storage;
    resizemix::image_view<T> view;

    explicit strided_copy(resizemix::image_view<const T> source) {
        const index_t channels = source.channels();
        const index_t row = (source.width() + 3) * channels;
        storage.assign(static_cast<std::size_t>(row * (source.height() + 2)), T{});
        T* last_row = storage.data() + row * source.height() + channels;
        view = resizemix::from_strides(last_row, channels, source.height(), source.width(), 1, -row, channels);
        resizemix::copy(source, view);
    }
};

/// Runs `operation(source, destination)` on noise in HWC, CHW and strided layouts, and in place;
/// checks every result holds the same values.
template <class T, class Operation>
void check_layouts_and_in_place(index_t channels, index_t height, index_t width, Operation&& operation) {
    const auto hwc = test_support::noise_image<T>(channels, height, width, 21);
    const auto chw = resizemix::image<T>(hwc.const_view(), resizemix::memory_layout::chw);
    const strided_copy<T> strided_source(hwc.const_view());

    resizemix::image<T> from_hwc(channels, height, width);
    operation(hwc.const_view(), from_hwc.view());
    resizemix::image<T> from_chw(channels, height, width, resizemix::memory_layout::chw);
    operation(chw.const_view(), from_chw.view());
    strided_copy<T> from_strided(hwc.const_view());
    operation(resizemix::image_view<const T>(strided_source.view), from_strided.view);
    auto in_place = hwc;
    operation(in_place.const_view(), in_place.view());

    CHECK(test_support::same_values(from_hwc.const_view(), from_chw.const_view()));
    CHECK(test_support::same_values(from_hwc.const_view(), resizemix::image_view<const T>(from_strided.view)));
    CHECK(test_support::same_values(from_hwc.const_view(), in_place.const_view()));
}

}  // namespace augment_support
