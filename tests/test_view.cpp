// Tests for resizemix/view.hpp and resizemix/image.hpp: element addressing of
// every factory, crops, negative strides, const conversion, shape validation,
// batch indexing, copy (with overlap), and the owning image.
#include <array>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/image.hpp>
#include <resizemix/view.hpp>

#include "support.hpp"

using resizemix::box;
using resizemix::image;
using resizemix::image_view;
using resizemix::index_t;
using Catch::Contains;

namespace {

/// A buffer whose element k holds the value k (small enough for uint8).
template <class T>
std::vector<T> iota_buffer(std::size_t size) {
    std::vector<T> buffer(size);
    for (std::size_t k = 0; k < size; ++k) buffer[k] = static_cast<T>(k);
    return buffer;
}

}  // namespace

// --- Compile-time contract ------------------------------------------------------

static_assert(std::is_convertible_v<image_view<float>, image_view<const float>>);
static_assert(std::is_convertible_v<image_view<std::uint8_t>, image_view<const std::uint8_t>>);
static_assert(!std::is_convertible_v<image_view<const float>, image_view<float>>);
static_assert(!std::is_constructible_v<image_view<float>, image_view<const float>>);
static_assert(!std::is_convertible_v<image_view<const std::uint8_t>, image_view<std::uint8_t>>);
static_assert(!std::is_convertible_v<image_view<std::uint8_t>, image_view<const float>>);
static_assert(std::is_convertible_v<resizemix::batch_view<float>, resizemix::batch_view<const float>>);
static_assert(!std::is_convertible_v<resizemix::batch_view<const float>, resizemix::batch_view<float>>);
static_assert(std::is_convertible_v<image<float>&, image_view<float>>);
static_assert(std::is_convertible_v<const image<float>&, image_view<const float>>);
static_assert(!std::is_convertible_v<const image<float>&, image_view<float>>);
static_assert(image_view<float>::rank() == 3 && resizemix::batch_view<float>::rank() == 4);

TEMPLATE_TEST_CASE("from_hwc addresses (c, y, x) at (y * width + x) * channels + c", "[view]",
                   std::uint8_t, float) {
    constexpr index_t height = 3, width = 4, channels = 3;
    auto buffer = iota_buffer<TestType>(height * width * channels);
    const auto view = resizemix::from_hwc(buffer.data(), height, width, channels);

    CHECK(view.extent(0) == channels);
    CHECK(view.extent(1) == height);
    CHECK(view.extent(2) == width);
    CHECK(view.channels() == channels);
    CHECK(view.height() == height);
    CHECK(view.width() == width);
    CHECK(view.stride(0) == 1);
    CHECK(view.stride(1) == width * channels);
    CHECK(view.stride(2) == channels);
    CHECK(view.data_handle() == buffer.data());
    CHECK(view.size() == 36);
    CHECK(view.is_exhaustive());
    CHECK(view.is_dense_hwc());
    CHECK_FALSE(view.is_dense_chw());
    CHECK_FALSE(view.empty());
    for (index_t c = 0; c < channels; ++c)
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x) {
                CHECK(&view(c, y, x) == &buffer[static_cast<std::size_t>((y * width + x) * channels + c)]);
            }
    view(2, 1, 3) = TestType{7};
    CHECK(buffer[(1 * 4 + 3) * 3 + 2] == TestType{7});
}

TEMPLATE_TEST_CASE("from_chw addresses (c, y, x) at c * height * width + y * width + x", "[view]",
                   std::uint8_t, float) {
    constexpr index_t channels = 2, height = 3, width = 5;
    auto buffer = iota_buffer<TestType>(channels * height * width);
    const auto view = resizemix::from_chw(buffer.data(), channels, height, width);

    CHECK(view.stride(0) == 15);
    CHECK(view.stride(1) == 5);
    CHECK(view.stride(2) == 1);
    CHECK(view.is_exhaustive());
    CHECK(view.is_dense_chw());
    CHECK_FALSE(view.is_dense_hwc());
    for (index_t c = 0; c < channels; ++c)
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x) {
                CHECK(view(c, y, x) == static_cast<TestType>(c * 15 + y * 5 + x));
            }
    // One channel of a planar image is itself a dense plane.
    const auto green = view.channel(1);
    CHECK(green.channels() == 1);
    CHECK(green.data_handle() == buffer.data() + 15);
    CHECK(green(0, 2, 4) == static_cast<TestType>(29));
    CHECK_THROWS_WITH(view.channel(2), Contains("channel 2 is outside [0, 2)"));
}

TEMPLATE_TEST_CASE("from_strides addresses padded rows and is not exhaustive", "[view]", std::uint8_t,
                   float) {
    // 2 rows of 3 RGB pixels, each row padded to 11 elements (like an OpenCV ROI or a BMP row).
    constexpr index_t row_stride = 11;
    auto buffer = iota_buffer<TestType>(2 * row_stride);
    const auto view = resizemix::from_strides(buffer.data(), 3, 2, 3, 1, row_stride, 3);
    CHECK_FALSE(view.is_exhaustive());
    CHECK(view.has_hwc_rows());
    CHECK(view(0, 1, 0) == static_cast<TestType>(11));
    CHECK(view(2, 1, 2) == static_cast<TestType>(11 + 2 * 3 + 2));
    CHECK(view(1, 0, 1) == static_cast<TestType>(4));

    // A single broadcast value: zero strides everywhere are allowed.
    TestType one{1};
    const auto constant = resizemix::from_strides(&one, 3, 4, 5, 0, 0, 0);
    CHECK(constant(2, 3, 4) == TestType{1});
}

TEMPLATE_TEST_CASE("batch views address samples and check the index", "[view]", std::uint8_t, float) {
    constexpr index_t count = 2, channels = 3, height = 2, width = 4;
    auto buffer = iota_buffer<TestType>(count * channels * height * width);

    const auto nhwc = resizemix::from_nhwc(buffer.data(), count, height, width, channels);
    CHECK(nhwc.count() == 2);
    CHECK(nhwc.channels() == 3);
    CHECK(nhwc.height() == 2);
    CHECK(nhwc.width() == 4);
    CHECK(nhwc.stride(0) == 24);
    CHECK(nhwc.is_exhaustive());
    for (index_t n = 0; n < count; ++n)
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < height; ++y)
                for (index_t x = 0; x < width; ++x)
                    CHECK(nhwc[n](c, y, x) == static_cast<TestType>(n * 24 + (y * width + x) * channels + c));

    const auto nchw = resizemix::from_nchw(buffer.data(), count, channels, height, width);
    CHECK(nchw.stride(1) == 8);
    CHECK(nchw.is_exhaustive());
    for (index_t n = 0; n < count; ++n)
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < height; ++y)
                for (index_t x = 0; x < width; ++x)
                    CHECK(nchw[n](c, y, x) == static_cast<TestType>(n * 24 + c * 8 + y * width + x));
    CHECK(nchw[1].data_handle() == buffer.data() + 24);
    CHECK(nchw[1].is_dense_chw());

    CHECK_THROWS_AS(nchw[2], resizemix::error);
    CHECK_THROWS_WITH(nchw[2], Contains("sample 2 is outside [0, 2)"));
    CHECK_THROWS_WITH(nhwc[-1], Contains("sample -1 is outside [0, 2)"));

    // A batch with a gap between samples is not exhaustive.
    const resizemix::batch_view<TestType> gapped(buffer.data(), 2, 1, 2, 4, 12, 8, 4, 1);
    CHECK_FALSE(gapped.is_exhaustive());
    CHECK(gapped[1](0, 1, 2) == static_cast<TestType>(12 + 4 + 2));
    const resizemix::batch_view<const TestType> read_only = gapped;
    CHECK(read_only[1](0, 1, 2) == static_cast<TestType>(18));
}

TEMPLATE_TEST_CASE("subview crops HWC and CHW views without copying", "[view]", std::uint8_t, float) {
    constexpr index_t channels = 3, height = 5, width = 6;
    auto hwc_buffer = iota_buffer<TestType>(channels * height * width);
    auto chw_buffer = iota_buffer<TestType>(channels * height * width);
    const auto hwc = resizemix::from_hwc(hwc_buffer.data(), height, width, channels);
    const auto chw = resizemix::from_chw(chw_buffer.data(), channels, height, width);
    const box region{2, 1, 3, 4};

    for (const auto& parent : {hwc, chw}) {
        const auto crop = parent.subview(region);
        CHECK(crop.channels() == channels);
        CHECK(crop.height() == 4);
        CHECK(crop.width() == 3);
        CHECK(crop.stride(0) == parent.stride(0));
        CHECK(crop.stride(1) == parent.stride(1));
        CHECK(crop.stride(2) == parent.stride(2));
        CHECK(crop.data_handle() == &parent(0, 1, 2));
        CHECK_FALSE(crop.is_exhaustive());
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < 4; ++y)
                for (index_t x = 0; x < 3; ++x) CHECK(&crop(c, y, x) == &parent(c, y + 1, x + 2));
        // A crop of a crop is still a view of the parent.
        const auto inner = crop.subview(box{1, 2, 2, 2});
        CHECK(&inner(2, 1, 1) == &parent(2, 4, 4));
        // The whole image is a valid region.
        CHECK(parent.subview(box{0, 0, width, height}).data_handle() == parent.data_handle());

        CHECK_THROWS_AS(parent.subview(box{4, 0, 3, 1}), resizemix::error);  // one column too wide
        CHECK_THROWS_AS(parent.subview(box{0, 2, 1, 4}), resizemix::error);  // one row too tall
        CHECK_THROWS_AS(parent.subview(box{-1, 0, 2, 2}), resizemix::error);
        CHECK_THROWS_WITH(parent.subview(box{0, 0, 0, 2}), Contains("is empty or not inside the 6x5 image"));
    }
}

TEMPLATE_TEST_CASE("a negative column stride gives a horizontally flipped view", "[view]", std::uint8_t,
                   float) {
    constexpr index_t height = 2, width = 4, channels = 3;
    auto buffer = iota_buffer<TestType>(height * width * channels);
    const auto original = resizemix::from_hwc(buffer.data(), height, width, channels);
    const auto flipped = resizemix::from_strides(buffer.data() + (width - 1) * channels, channels, height,
                                                 width, 1, width * channels, -channels);
    CHECK_FALSE(flipped.is_exhaustive());
    for (index_t c = 0; c < channels; ++c)
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x) CHECK(flipped(c, y, x) == original(c, y, width - 1 - x));

    // Crops of the flipped view are flipped crops.
    const auto crop = flipped.subview(box{1, 1, 2, 1});
    CHECK(crop(0, 0, 0) == original(0, 1, 2));
    CHECK(crop(0, 0, 1) == original(0, 1, 1));

    // Copying the flipped view into fresh memory materialises the mirror image.
    std::vector<TestType> mirror(buffer.size());
    const auto mirror_view = resizemix::from_hwc(mirror.data(), height, width, channels);
    resizemix::copy(flipped, mirror_view);
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x)
            for (index_t c = 0; c < channels; ++c)
                CHECK(mirror[static_cast<std::size_t>((y * width + x) * channels + c)] ==
                      static_cast<TestType>((y * width + (width - 1 - x)) * channels + c));
}

TEST_CASE("is_exhaustive follows mdspan: any dense ordering of the axes is exhaustive", "[view]") {
    // mdspan (layout_stride::is_exhaustive): true when some permutation of the axes has
    // strides 1, e0, e0 * e1, ..., i.e. every element of the underlying span is part of the view.
    std::vector<float> buffer(64);
    constexpr index_t channels = 2, height = 3, width = 4;
    // Row-planar (y, c, x): each row holds one run per channel, as some video decoders write.
    CHECK(resizemix::from_strides(buffer.data(), channels, height, width, width, channels * width, 1).is_exhaustive());
    // Transposed planes (c, x, y): column-major channels, as Fortran or a transposed tensor lays them out.
    CHECK(resizemix::from_strides(buffer.data(), channels, height, width, height * width, 1, height).is_exhaustive());
    // Gaps and repeats are not exhaustive.
    CHECK_FALSE(resizemix::from_strides(buffer.data(), channels, height, width, 1, 3 * width, 3).is_exhaustive());
    CHECK_FALSE(resizemix::from_strides(buffer.data(), channels, 1, width, 0, width, 1).is_exhaustive());
}

TEST_CASE("a mutable view converts to a read-only view of the same pixels", "[view]") {
    std::vector<float> buffer(24, 0.5f);
    const auto view = resizemix::from_hwc(buffer.data(), 2, 4, 3);
    const image_view<const float> read_only = view;
    CHECK(read_only.data_handle() == buffer.data());
    CHECK(read_only.channels() == 3);
    CHECK(read_only.height() == 2);
    CHECK(read_only.width() == 4);
    for (std::size_t r = 0; r < 3; ++r) CHECK(read_only.stride(r) == view.stride(r));
    view(1, 1, 2) = 3.0f;
    CHECK(read_only(1, 1, 2) == 3.0f);

    // A default view is empty.
    const image_view<float> nothing;
    CHECK(nothing.empty());
}

TEST_CASE("invalid shapes throw resizemix::error naming the problem", "[view]") {
    std::vector<float> buffer(64);
    float* data = buffer.data();
    constexpr index_t huge = std::numeric_limits<index_t>::max() / 4;

    // resizemix::error is a std::invalid_argument.
    CHECK_THROWS_AS(resizemix::from_hwc(data, 0, 4, 3), std::invalid_argument);
    CHECK_THROWS_AS(resizemix::from_hwc(data, 0, 4, 3), resizemix::error);

    CHECK_THROWS_WITH(resizemix::from_hwc(data, 0, 4, 3), Contains("extent 1 must be at least 1, got 0"));
    CHECK_THROWS_WITH(resizemix::from_hwc(data, 2, 4, 0), Contains("extent 0 must be at least 1, got 0"));
    CHECK_THROWS_WITH(resizemix::from_chw(data, 3, 2, 0), Contains("extent 2 must be at least 1, got 0"));
    CHECK_THROWS_WITH(resizemix::from_chw(data, -1, 2, 2), Contains("extent 0 must be at least 1, got -1"));
    CHECK_THROWS_WITH(resizemix::from_strides(data, 1, -2, 2, 4, 2, 1), Contains("extent 1 must be at least 1, got -2"));
    CHECK_THROWS_WITH(resizemix::from_hwc(data, 2, -4, 3), Contains("negative"));
    CHECK_THROWS_WITH(resizemix::from_nchw(data, 0, 1, 2, 2), Contains("extent 0 must be at least 1, got 0"));

    CHECK_THROWS_WITH(resizemix::from_hwc(data, 2, huge, huge), Contains("width * channels overflows"));
    CHECK_THROWS_WITH(resizemix::from_chw(data, 1, huge, huge), Contains("height * width overflows"));
    CHECK_THROWS_WITH(resizemix::from_nchw(data, 1, huge, huge, 2), Contains("overflow"));
    CHECK_THROWS_WITH(resizemix::from_nhwc(data, huge, 4, 4, 3), Contains("overflow"));
    CHECK_THROWS_WITH(resizemix::from_strides(data, 1, huge, 2, 1, huge, 1), Contains("overflow"));
    CHECK_THROWS_WITH(resizemix::from_strides(data, 1, 2, 2, 1, std::numeric_limits<index_t>::min(), 1),
                      Contains("stride"));
    // Zero strides reach no memory, but the element count must still fit: 2^32 x 2^32 is refused.
    constexpr index_t two_to_32 = index_t{1} << 32;
    CHECK_THROWS_WITH(resizemix::from_strides(data, 1, two_to_32, two_to_32, 0, 0, 0),
                      Contains("the element count overflows the index type (axis 2, extent 4294967296)"));
    CHECK_THROWS_WITH(resizemix::batch_view<float>(data, two_to_32, 1, two_to_32, 1, 0, 0, 0, 0),
                      Contains("element count overflows"));
    CHECK(resizemix::from_strides(data, 3, 1000, 1000, 0, 0, 0).size() == 3'000'000);  // a broadcast view is fine

    CHECK_THROWS_WITH(resizemix::from_hwc<float>(nullptr, 2, 2, 3), Contains("data pointer is null"));
    CHECK_THROWS_WITH(resizemix::from_nhwc<float>(nullptr, 1, 2, 2, 3), Contains("data pointer is null"));

    CHECK_THROWS_AS(image<float>(0, 2, 2), resizemix::error);
    CHECK_THROWS_AS(image<std::uint8_t>(3, huge, huge), resizemix::error);

    // The message starts with the function that refused.
    CHECK_THROWS_WITH(resizemix::from_strides(data, 1, 0, 2, 4, 2, 1), Catch::StartsWith("image_view: "));
}

TEMPLATE_TEST_CASE("copy moves pixels between layouts and checks shapes", "[view]", std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 4, 5, 11, resizemix::memory_layout::hwc);
    image<TestType> planar(3, 4, 5, resizemix::memory_layout::chw);
    resizemix::copy(source.view(), planar.view());
    CHECK(test_support::same_values(source.view(), planar.view()));

    // Into a crop of a bigger strided canvas; the rest of the canvas stays zero.
    image<TestType> canvas(3, 8, 9, resizemix::memory_layout::chw);
    resizemix::copy(planar.const_view(), canvas.view().subview(box{2, 3, 5, 4}));
    for (index_t c = 0; c < 3; ++c)
        for (index_t y = 0; y < 8; ++y)
            for (index_t x = 0; x < 9; ++x) {
                const bool inside = x >= 2 && x < 7 && y >= 3 && y < 7;
                CHECK(canvas(c, y, x) == (inside ? source(c, y - 3, x - 2) : TestType{0}));
            }

    image<TestType> wrong(3, 5, 4);
    CHECK_THROWS_WITH(resizemix::copy(source.view(), wrong.view()),
                      Contains("source is 3x4x5 (CxHxW) but destination is 3x5x4"));
    image<TestType> gray(1, 4, 5);
    CHECK_THROWS_AS(resizemix::copy(source.view(), gray.view()), resizemix::error);
}

TEMPLATE_TEST_CASE("copy handles overlapping views", "[view]", std::uint8_t, float) {
    constexpr index_t channels = 3, height = 4, width = 7;
    auto original = test_support::noise_image<TestType>(channels, height, width, 5);

    SECTION("shift right by one column inside the same image") {
        image<TestType> work = original;
        const auto view = work.view();
        resizemix::copy(view.subview(box{0, 0, width - 1, height}), view.subview(box{1, 0, width - 1, height}));
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < height; ++y) {
                CHECK(work(c, y, 0) == original(c, y, 0));
                for (index_t x = 1; x < width; ++x) CHECK(work(c, y, x) == original(c, y, x - 1));
            }
    }
    SECTION("shift left and up inside the same image") {
        image<TestType> work = original;
        const auto view = work.view();
        resizemix::copy(view.subview(box{1, 1, width - 1, height - 1}), view.subview(box{0, 0, width - 1, height - 1}));
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y + 1 < height; ++y)
                for (index_t x = 0; x + 1 < width; ++x) CHECK(work(c, y, x) == original(c, y + 1, x + 1));
    }
    SECTION("mirror in place through a flipped view of the same memory") {
        image<TestType> work = original;
        const auto view = work.view();
        const auto flipped = resizemix::from_strides(&view(0, 0, width - 1), channels, height, width,
                                                     view.stride(0), view.stride(1), -view.stride(2));
        resizemix::copy(flipped, view);
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < height; ++y)
                for (index_t x = 0; x < width; ++x) CHECK(work(c, y, x) == original(c, y, width - 1 - x));
    }
    SECTION("a view copied onto itself is unchanged") {
        image<TestType> work = original;
        resizemix::copy(work.const_view(), work.view());
        CHECK(test_support::same_values(work.const_view(), original.const_view()));
    }
}

TEMPLATE_TEST_CASE("image owns zero-initialised pixels in HWC or CHW layout", "[image]", std::uint8_t, float) {
    image<TestType> interleaved(3, 4, 5);
    CHECK(interleaved.layout() == resizemix::memory_layout::hwc);
    CHECK(interleaved.size() == 60);
    CHECK(interleaved.view().is_dense_hwc());
    CHECK(interleaved.view().data_handle() == interleaved.data());
    CHECK(interleaved.channels() == 3);
    CHECK(interleaved.height() == 4);
    CHECK(interleaved.width() == 5);
    for (std::size_t k = 0; k < interleaved.size(); ++k) CHECK(interleaved.data()[k] == TestType{0});
    interleaved(2, 1, 3) = TestType{9};
    CHECK(interleaved.data()[(1 * 5 + 3) * 3 + 2] == TestType{9});

    image<TestType> planar(3, 4, 5, resizemix::memory_layout::chw);
    CHECK(planar.layout() == resizemix::memory_layout::chw);
    CHECK(planar.view().is_dense_chw());
    planar(2, 1, 3) = TestType{9};
    CHECK(planar.data()[2 * 20 + 1 * 5 + 3] == TestType{9});

    // A deep copy of a view, converting the layout.
    const image<TestType> converted(interleaved.const_view(), resizemix::memory_layout::chw);
    CHECK(converted.layout() == resizemix::memory_layout::chw);
    CHECK(converted.data()[2 * 20 + 1 * 5 + 3] == TestType{9});
    CHECK(converted.data() != interleaved.data());

    // The conversions hand out views of the same pixels.
    const image_view<TestType> mutable_view = interleaved;
    const image_view<const TestType> read_only = std::as_const(interleaved);
    CHECK(mutable_view.data_handle() == interleaved.data());
    CHECK(read_only.data_handle() == interleaved.data());
    CHECK(interleaved.const_view().data_handle() == interleaved.data());
}

TEMPLATE_TEST_CASE("image copies and moves keep pixels and views valid", "[image]", std::uint8_t, float) {
    for (const auto layout : {resizemix::memory_layout::hwc, resizemix::memory_layout::chw}) {
        const auto original = test_support::noise_image<TestType>(3, 6, 7, 21, layout);

        image<TestType> copied = original;
        CHECK(copied.layout() == layout);
        CHECK(copied.data() != original.data());
        CHECK(copied.view().data_handle() == copied.data());
        CHECK(test_support::same_values(copied.const_view(), original.const_view()));
        copied(0, 0, 0) = static_cast<TestType>(original(0, 0, 0) == TestType{1} ? 2 : 1);
        CHECK(copied(0, 0, 0) != original(0, 0, 0));  // independent pixels

        image<TestType> assigned(1, 1, 1);
        assigned = original;
        CHECK(assigned.view().data_handle() == assigned.data());
        CHECK(test_support::same_values(assigned.const_view(), original.const_view()));

        image<TestType> source_of_move = original;
        const TestType* buffer = source_of_move.data();
        image<TestType> moved = std::move(source_of_move);
        CHECK(moved.data() == buffer);  // the buffer itself moved
        CHECK(moved.view().data_handle() == moved.data());
        CHECK(moved.layout() == layout);
        CHECK(test_support::same_values(moved.const_view(), original.const_view()));

        image<TestType> move_assigned(2, 2, 2);
        move_assigned = std::move(moved);
        CHECK(move_assigned.view().data_handle() == move_assigned.data());
        CHECK(test_support::same_values(move_assigned.const_view(), original.const_view()));

        // Copies made from a view stay valid after the vector of images grows.
        std::vector<image<TestType>> images;
        for (int i = 0; i < 5; ++i) images.push_back(original);
        for (const auto& held : images) {
            CHECK(held.view().data_handle() == held.data());
            CHECK(test_support::same_values(held.const_view(), original.const_view()));
        }
    }
}
