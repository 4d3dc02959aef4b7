// resizemix/image.hpp: an owning image that hands out views.
//
// Pixels live in one std::vector, interleaved (HWC, the default, as image
// files and OpenCV store them) or planar (CHW, as PyTorch stores them).
#pragma once

#include <vector>

#include "view.hpp"

namespace resizemix {

/// How an owning image lays out its pixels.
enum class memory_layout { hwc, chw };

/// An owning `channels x height x width` image of T (std::uint8_t or float), zero-initialised.
template <class T>
class image {
    static_assert(pixel_type<T> && !std::is_const_v<T>,
                  "resizemix::image<T>: T must be std::uint8_t or float (not const); the "
                  "image owns its pixels, use image_view<const T> for read-only access");

public:
    image() = default;
    image(index_t channels, index_t height, index_t width, memory_layout layout = memory_layout::hwc)
        : layout_(layout) {
        // Validate through a view on a dummy pointer before allocating anything.
        T probe{};
        (void)image_view<T>(&probe, channels, height, width, 0, 0, 0);
        const index_t plane = detail::checked_product("image", "height * width", height, width);
        const index_t total = detail::checked_product("image", "channels * height * width", channels, plane);
        pixels_.assign(static_cast<std::size_t>(total), T{});
        view_ = layout == memory_layout::hwc ? from_hwc(pixels_.data(), height, width, channels)
                                             : from_chw(pixels_.data(), channels, height, width);
    }

    /// A deep copy of any view's pixels, in the requested layout.
    explicit image(image_view<const T> source, memory_layout layout = memory_layout::hwc)
        : image(source.channels(), source.height(), source.width(), layout) {
        for (index_t c = 0; c < source.channels(); ++c)
            for (index_t y = 0; y < source.height(); ++y)
                for (index_t x = 0; x < source.width(); ++x) view_(c, y, x) = source(c, y, x);
    }

    image(const image& other) : pixels_(other.pixels_), layout_(other.layout_) {
        if (!other.view_.empty()) {
            const auto& v = other.view_;
            view_ = image_view<T>(pixels_.data(), v.channels(), v.height(), v.width(), v.stride(0),
                                  v.stride(1), v.stride(2));
        }
    }
    image& operator=(const image& other) {
        if (this != &other) *this = image(other);
        return *this;
    }
    image(image&& other) noexcept { *this = std::move(other); }
    image& operator=(image&& other) noexcept {
        pixels_ = std::move(other.pixels_);  // the buffer moves, so the view stays valid
        view_ = other.view_;
        layout_ = other.layout_;
        other.view_ = {};
        return *this;
    }
    ~image() = default;

    [[nodiscard]] image_view<T> view() noexcept { return view_; }
    [[nodiscard]] image_view<const T> view() const noexcept { return view_; }
    [[nodiscard]] image_view<const T> const_view() const noexcept { return view_; }
    operator image_view<T>() noexcept { return view_; }                   // NOLINT: a view of me
    operator image_view<const T>() const noexcept { return view_; }       // NOLINT: a view of me

    [[nodiscard]] index_t channels() const noexcept { return view_.channels(); }
    [[nodiscard]] index_t height() const noexcept { return view_.height(); }
    [[nodiscard]] index_t width() const noexcept { return view_.width(); }
    [[nodiscard]] memory_layout layout() const noexcept { return layout_; }
    [[nodiscard]] T* data() noexcept { return pixels_.data(); }
    [[nodiscard]] const T* data() const noexcept { return pixels_.data(); }
    [[nodiscard]] std::size_t size() const noexcept { return pixels_.size(); }

    [[nodiscard]] T& operator()(index_t c, index_t y, index_t x) noexcept { return view_(c, y, x); }
    [[nodiscard]] const T& operator()(index_t c, index_t y, index_t x) const noexcept {
        return view_(c, y, x);
    }

private:
    std::vector<T> pixels_;
    image_view<T> view_;
    memory_layout layout_ = memory_layout::hwc;
};

}  // namespace resizemix
