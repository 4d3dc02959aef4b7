// resizemix/view.hpp: non-owning, strided views of images and batches.
//
// The logical axis order is fixed (channel, y, x; with the sample axis first
// for batches: PyTorch's order) and strides, in elements, say how the pixels
// lie in memory. One type therefore covers interleaved HWC (stb, OpenCV,
// channels-last tensors), planar CHW (PyTorch NCHW) and crops of either.
// Vocabulary follows std::mdspan: extent(r), stride(r), data_handle(), is_exhaustive().
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <utility>
#include <vector>
#include <type_traits>

#include "error.hpp"
#include "geometry.hpp"

namespace resizemix {

/// Pixel element types the library computes with: 8-bit unsigned and 32-bit float.
template <class T>
concept pixel_type = std::same_as<std::remove_const_t<T>, std::uint8_t> ||
                     std::same_as<std::remove_const_t<T>, float>;

namespace detail {

/// Checks extents (all >= 1) and that every reachable offset fits index_t;
/// returns nothing, throws resizemix::error naming the bad value.
template <std::size_t Rank>
void validate_shape(const char* function, const std::array<index_t, Rank>& extents,
                    const std::array<index_t, Rank>& strides, const void* data) {
    if (data == nullptr) fail(function, "data pointer is null");
    index_t reach = 0;
    index_t elements = 1;
    constexpr index_t max_index = std::numeric_limits<index_t>::max() / 2;
    for (std::size_t r = 0; r < Rank; ++r) {
        if (extents[r] < 1) {
            fail(function, "extent ", r, " must be at least 1, got ", extents[r]);
        }
        // The element count must fit too, whatever the strides (zero strides reach no
        // further but size() and loops over the view still count every element).
        if (__builtin_mul_overflow(elements, extents[r], &elements) || elements > max_index) {
            fail(function, "the element count overflows the index type (axis ", r, ", extent ", extents[r], ")");
        }
        // Refuse the one stride whose magnitude does not fit before negating it.
        if (strides[r] == std::numeric_limits<index_t>::min()) {
            fail(function, "stride ", r, " is the most negative index value, whose magnitude does not fit");
        }
        const index_t magnitude = strides[r] < 0 ? -strides[r] : strides[r];
        if (magnitude != 0 && extents[r] - 1 > (max_index - reach) / magnitude) {
            fail(function, "extents and strides overflow the index type (axis ", r,
                 ", extent ", extents[r], ", stride ", strides[r], ")");
        }
        reach += (extents[r] - 1) * magnitude;
    }
}

/// Tags a view constructor whose shape is a part of one already validated (a batch's sample).
struct validated_shape_t {};
inline constexpr validated_shape_t validated_shape{};

/// a * b, or a resizemix::error naming `what` when the product overflows or a factor is negative.
inline index_t checked_product(const char* function, const char* what, index_t a, index_t b) {
    index_t product = 0;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &product)) {
        fail(function, what, " overflows or is negative (", a, " * ", b, ")");
    }
    return product;
}

/// mdspan's is_exhaustive for a strided layout: some ordering of the axes has
/// strides 1, e0, e0*e1, ... (axes of extent 1 may have any stride), so every
/// element of the underlying span belongs to the view exactly once.
template <std::size_t Rank>
bool dense_in_some_order(const std::array<index_t, Rank>& extents, const std::array<index_t, Rank>& strides) {
    std::array<std::size_t, Rank> order{};
    std::size_t used = 0;
    for (std::size_t r = 0; r < Rank; ++r)
        if (extents[r] > 1) order[used++] = r;
    // Insertion sort by stride: at most four axes (std::sort trips g++ 12's -Warray-bounds here).
    for (std::size_t k = 1; k < used; ++k)
        for (std::size_t j = k; j > 0 && strides[order[j]] < strides[order[j - 1]]; --j) std::swap(order[j], order[j - 1]);
    index_t expected = 1;
    for (std::size_t k = 0; k < used; ++k) {
        if (strides[order[k]] != expected) return false;
        expected *= extents[order[k]];
    }
    return true;
}

}  // namespace detail

/// A view of one image: `channels x height x width` elements of type T (T may be
/// const). Does not own the pixels; the caller keeps them alive.
template <class T>
class image_view {
    static_assert(pixel_type<T>,
                  "resizemix::image_view<T>: T must be std::uint8_t or float (optionally "
                  "const); convert other pixel types before mixing");

public:
    using element_type = T;
    using value_type = std::remove_const_t<T>;
    using index_type = index_t;
    using data_handle_type = T*;

    image_view() = default;

    /// General form: element (c, y, x) lives at data[c*channel_stride + y*row_stride + x*column_stride].
    /// Strides are in elements and may be negative; extents must be at least 1.
    image_view(T* data, index_t channels, index_t height, index_t width, index_t channel_stride,
               index_t row_stride, index_t column_stride)
        : data_(data),
          extents_{channels, height, width},
          strides_{channel_stride, row_stride, column_stride} {
        detail::validate_shape<3>("image_view", extents_, strides_, data);
    }

    /// The same without the checks, for a part of a view already validated (the sample of a batch):
    /// mix_batch takes every sample per call, and the checks were most of that.
    image_view(detail::validated_shape_t, T* data, index_t channels, index_t height, index_t width,
               index_t channel_stride, index_t row_stride, index_t column_stride) noexcept
        : data_(data),
          extents_{channels, height, width},
          strides_{channel_stride, row_stride, column_stride} {}

    /// A mutable view converts to a read-only one, never the reverse.
    template <class U>
        requires(std::is_const_v<T> && std::same_as<const U, T>)
    image_view(const image_view<U>& other)  // NOLINT: implicit by design, like mdspan
        : data_(other.data_handle()),
          extents_{other.channels(), other.height(), other.width()},
          strides_{other.stride(0), other.stride(1), other.stride(2)} {}

    static constexpr std::size_t rank() noexcept { return 3; }
    [[nodiscard]] index_t extent(std::size_t r) const noexcept { return extents_[r]; }
    [[nodiscard]] index_t stride(std::size_t r) const noexcept { return strides_[r]; }
    [[nodiscard]] T* data_handle() const noexcept { return data_; }
    [[nodiscard]] index_t channels() const noexcept { return extents_[0]; }
    [[nodiscard]] index_t height() const noexcept { return extents_[1]; }
    [[nodiscard]] index_t width() const noexcept { return extents_[2]; }
    [[nodiscard]] index_t size() const noexcept { return extents_[0] * extents_[1] * extents_[2]; }
    [[nodiscard]] bool empty() const noexcept { return data_ == nullptr; }

    [[nodiscard]] T& operator()(index_t c, index_t y, index_t x) const noexcept {
        return data_[c * strides_[0] + y * strides_[1] + x * strides_[2]];
    }

    /// Interleaved and dense: rows of width*channels contiguous elements, rows back to back.
    [[nodiscard]] bool is_dense_hwc() const noexcept {
        return strides_[2] == extents_[0] && strides_[0] == 1 && strides_[1] == extents_[0] * extents_[2];
    }
    /// Planar and dense: channel planes of height*width elements, back to back.
    [[nodiscard]] bool is_dense_chw() const noexcept {
        return strides_[2] == 1 && strides_[1] == extents_[2] && strides_[0] == extents_[1] * extents_[2];
    }
    /// Rows are contiguous runs of pixels with interleaved channels (HWC, any row stride).
    [[nodiscard]] bool has_hwc_rows() const noexcept {
        return strides_[0] == 1 && strides_[2] == extents_[0];
    }
    /// Each channel row is a contiguous run (CHW, any row and plane stride).
    [[nodiscard]] bool has_chw_rows() const noexcept { return strides_[2] == 1; }
    /// Every element of the underlying span is part of the view, once (mdspan's meaning).
    [[nodiscard]] bool is_exhaustive() const noexcept { return detail::dense_in_some_order<3>(extents_, strides_); }

    /// The pixels inside `region`, as a view sharing this one's memory.
    [[nodiscard]] image_view subview(const box& region) const {
        if (region.empty() || !region.inside(width(), height())) {
            detail::fail("image_view::subview", region, " is empty or not inside the ", width(),
                         "x", height(), " image");
        }
        image_view result = *this;
        result.data_ = &(*this)(0, region.y, region.x);
        result.extents_ = {channels(), region.height, region.width};
        return result;
    }

    /// One channel as a 1-channel view.
    [[nodiscard]] image_view channel(index_t c) const {
        if (c < 0 || c >= channels()) {
            detail::fail("image_view::channel", "channel ", c, " is outside [0, ", channels(), ")");
        }
        image_view result = *this;
        result.data_ = data_ + c * strides_[0];
        result.extents_[0] = 1;
        return result;
    }

private:
    T* data_ = nullptr;
    std::array<index_t, 3> extents_{0, 0, 0};
    std::array<index_t, 3> strides_{0, 0, 0};
};

/// A view of interleaved pixels, `height x width x channels`, rows back to back (stb, OpenCV).
template <class T>
[[nodiscard]] image_view<T> from_hwc(T* data, index_t height, index_t width, index_t channels) {
    const index_t row_stride = detail::checked_product("from_hwc", "width * channels", width, channels);
    return image_view<T>(data, channels, height, width, 1, row_stride, channels);
}

/// A view of planar pixels, `channels x height x width` (PyTorch CHW).
template <class T>
[[nodiscard]] image_view<T> from_chw(T* data, index_t channels, index_t height, index_t width) {
    const index_t plane = detail::checked_product("from_chw", "height * width", height, width);
    return image_view<T>(data, channels, height, width, plane, width, 1);
}

/// The general factory: any strides, in elements.
template <class T>
[[nodiscard]] image_view<T> from_strides(T* data, index_t channels, index_t height, index_t width,
                                         index_t channel_stride, index_t row_stride,
                                         index_t column_stride) {
    return image_view<T>(data, channels, height, width, channel_stride, row_stride, column_stride);
}

/// A view of a batch: `count x channels x height x width` elements of type T.
/// batch[i] is the image_view of sample i.
template <class T>
class batch_view {
    static_assert(pixel_type<T>,
                  "resizemix::batch_view<T>: T must be std::uint8_t or float (optionally "
                  "const); convert other pixel types before mixing");

public:
    using element_type = T;
    using value_type = std::remove_const_t<T>;
    using index_type = index_t;
    using data_handle_type = T*;

    batch_view() = default;

    /// Element (n, c, y, x) lives at data[n*sample_stride + c*channel_stride + y*row_stride + x*column_stride].
    batch_view(T* data, index_t count, index_t channels, index_t height, index_t width,
               index_t sample_stride, index_t channel_stride, index_t row_stride,
               index_t column_stride)
        : data_(data),
          extents_{count, channels, height, width},
          strides_{sample_stride, channel_stride, row_stride, column_stride} {
        detail::validate_shape<4>("batch_view", extents_, strides_, data);
    }

    template <class U>
        requires(std::is_const_v<T> && std::same_as<const U, T>)
    batch_view(const batch_view<U>& other)  // NOLINT: implicit by design, like mdspan
        : data_(other.data_handle()),
          extents_{other.extent(0), other.extent(1), other.extent(2), other.extent(3)},
          strides_{other.stride(0), other.stride(1), other.stride(2), other.stride(3)} {}

    static constexpr std::size_t rank() noexcept { return 4; }
    [[nodiscard]] index_t extent(std::size_t r) const noexcept { return extents_[r]; }
    [[nodiscard]] index_t stride(std::size_t r) const noexcept { return strides_[r]; }
    [[nodiscard]] T* data_handle() const noexcept { return data_; }
    [[nodiscard]] index_t count() const noexcept { return extents_[0]; }
    [[nodiscard]] index_t channels() const noexcept { return extents_[1]; }
    [[nodiscard]] index_t height() const noexcept { return extents_[2]; }
    [[nodiscard]] index_t width() const noexcept { return extents_[3]; }
    [[nodiscard]] bool empty() const noexcept { return data_ == nullptr; }
    [[nodiscard]] bool is_exhaustive() const noexcept { return detail::dense_in_some_order<4>(extents_, strides_); }

    /// Sample i as an image view (checked: throws for i outside [0, count)).
    [[nodiscard]] image_view<T> operator[](index_t i) const {
        if (i < 0 || i >= count()) {
            detail::fail("batch_view::operator[]", "sample ", i, " is outside [0, ", count(), ")");
        }
        return image_view<T>(detail::validated_shape, data_ + i * strides_[0], extents_[1], extents_[2], extents_[3],
                             strides_[1], strides_[2], strides_[3]);
    }

private:
    T* data_ = nullptr;
    std::array<index_t, 4> extents_{0, 0, 0, 0};
    std::array<index_t, 4> strides_{0, 0, 0, 0};
};

/// A batch of interleaved images, `count x height x width x channels` (channels-last tensors).
template <class T>
[[nodiscard]] batch_view<T> from_nhwc(T* data, index_t count, index_t height, index_t width,
                                      index_t channels) {
    const index_t row = detail::checked_product("from_nhwc", "width * channels", width, channels);
    const index_t sample = detail::checked_product("from_nhwc", "height * width * channels", height, row);
    return batch_view<T>(data, count, channels, height, width, sample, 1, row, channels);
}

/// A batch of planar images, `count x channels x height x width` (PyTorch NCHW).
template <class T>
[[nodiscard]] batch_view<T> from_nchw(T* data, index_t count, index_t channels, index_t height,
                                      index_t width) {
    const index_t plane = detail::checked_product("from_nchw", "height * width", height, width);
    const index_t sample = detail::checked_product("from_nchw", "channels * height * width", channels, plane);
    return batch_view<T>(data, count, channels, height, width, sample, plane, width, 1);
}

namespace detail {

/// The lowest and one-past-highest address a view (image_view or batch_view) can touch.
template <class View>
std::pair<const void*, const void*> address_range(const View& view) noexcept {
    index_t low = 0;
    index_t high = 0;
    for (std::size_t r = 0; r < View::rank(); ++r) {
        const index_t reach = (view.extent(r) - 1) * view.stride(r);
        (reach < 0 ? low : high) += reach;
    }
    const auto* base = view.data_handle();
    return {base + low, base + high + 1};
}

/// True when two views might share memory (conservative: compares address ranges).
template <class A, class B>
bool may_overlap(const image_view<A>& a, const image_view<B>& b) noexcept {
    const auto [a_low, a_high] = address_range(a);
    const auto [b_low, b_high] = address_range(b);
    const std::less<const void*> before;
    return before(a_low, b_high) && before(b_low, a_high);
}

/// True when both views denote exactly the same pixels in the same places.
template <class A, class B>
bool same_pixels(const image_view<A>& a, const image_view<B>& b) noexcept {
    return static_cast<const void*>(a.data_handle()) == static_cast<const void*>(b.data_handle()) &&
           a.channels() == b.channels() && a.height() == b.height() && a.width() == b.width() &&
           a.stride(0) == b.stride(0) && a.stride(1) == b.stride(1) && a.stride(2) == b.stride(2);
}

/// Copy without overlap handling; rows are memcpy'd where both layouts allow it.
template <class T>
void copy_disjoint(image_view<const T> source, image_view<T> destination) {
    const index_t channels = source.channels();
    const index_t height = source.height();
    const index_t width = source.width();
    // Chosen once per call: rows back to back in both views are one block.
    if (source.has_hwc_rows() && destination.has_hwc_rows()) {
        const index_t row = width * channels;
        const auto row_bytes = static_cast<std::size_t>(row) * sizeof(T);
        if (source.stride(1) == row && destination.stride(1) == row) {
            std::memcpy(&destination(0, 0, 0), &source(0, 0, 0), row_bytes * static_cast<std::size_t>(height));
            return;
        }
        for (index_t y = 0; y < height; ++y) std::memcpy(&destination(0, y, 0), &source(0, y, 0), row_bytes);
    } else if (source.has_chw_rows() && destination.has_chw_rows()) {
        const auto row_bytes = static_cast<std::size_t>(width) * sizeof(T);
        if (source.stride(1) == width && destination.stride(1) == width) {
            for (index_t c = 0; c < channels; ++c)
                std::memcpy(&destination(c, 0, 0), &source(c, 0, 0), row_bytes * static_cast<std::size_t>(height));
            return;
        }
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < height; ++y)
                std::memcpy(&destination(c, y, 0), &source(c, y, 0), row_bytes);
    } else {
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < height; ++y)
                for (index_t x = 0; x < width; ++x) destination(c, y, x) = source(c, y, x);
    }
}

}  // namespace detail

/// Copies every pixel of `source` into `destination` (same shape). Overlapping
/// views are handled by copying through a temporary buffer.
template <class SourceT, class T>
void copy(image_view<SourceT> source, image_view<T> destination) {
    static_assert(std::same_as<std::remove_const_t<SourceT>, T>,
                  "resizemix::copy: source and destination must have the same pixel type, and "
                  "the destination must be mutable (image_view<T>, not image_view<const T>)");
    if (source.channels() != destination.channels() || source.height() != destination.height() ||
        source.width() != destination.width()) {
        detail::fail("copy", "source is ", source.channels(), "x", source.height(), "x", source.width(),
                     " (CxHxW) but destination is ", destination.channels(), "x",
                     destination.height(), "x", destination.width());
    }
    if (detail::same_pixels(source, destination)) return;
    if (!detail::may_overlap(source, destination)) {
        detail::copy_disjoint<T>(source, destination);
        return;
    }
    std::vector<T> staging(static_cast<std::size_t>(source.size()));
    const auto staged = from_chw(staging.data(), source.channels(), source.height(), source.width());
    detail::copy_disjoint<T>(source, staged);
    detail::copy_disjoint<T>(staged, destination);
}

}  // namespace resizemix
