// resizemix/resize.hpp: resampling a whole image into a view of another size.
//
// Bilinear uses pixel centres: src = (dst + 0.5) * in / out - 0.5, clamped at
// the borders; the convention of PyTorch interpolate(align_corners=False) and
// OpenCV INTER_LINEAR. The destination may be a region of a bigger image
// (out.subview(box)), so ResizeMix writes straight into the target with no
// intermediate patch. uint8 results are rounded to nearest (fixed point,
// within 0.53 of the exact value); float follows PyTorch's arithmetic. Every
// layout (HWC, CHW, crops, any strides) gives the same bytes: the kernels in
// detail/resize_kernels.hpp only see contiguous rows, found once per call.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "detail/resize_kernels.hpp"
#include "error.hpp"
#include "view.hpp"

namespace resizemix {

/// How resize() computes each output pixel.
enum class interpolation {
    bilinear,  ///< 2x2 taps at pixel centres (the paper's choice; PyTorch/OpenCV convention)
    nearest,   ///< src = floor(dst * in / out), as PyTorch mode="nearest" (the authors' released code)
    area,      ///< exact box-filter average over each output pixel's footprint: antialiased downscaling
};

namespace detail {

/// The taps of a 1-D resampling filter: output i reads `count[i]` consecutive
/// inputs starting at `first[i]`, with weights weights[i * max_taps + k].
struct axis_filter {
    std::vector<index_t> first;
    std::vector<int> count;
    std::vector<float> weights;
    int max_taps = 1;

    [[nodiscard]] const float* weights_of(index_t i) const noexcept {
        return weights.data() + i * max_taps;
    }
};

inline axis_filter nearest_filter(index_t in, index_t out) {
    const auto taps = static_cast<std::size_t>(out);
    axis_filter f{std::vector<index_t>(taps), std::vector<int>(taps, 1), std::vector<float>(taps, 1.0f), 1};
    const float scale = static_cast<float>(in) / static_cast<float>(out);
    for (index_t i = 0; i < out; ++i) {
        f.first[static_cast<std::size_t>(i)] = std::min(static_cast<index_t>(std::floor(static_cast<float>(i) * scale)), in - 1);
    }
    return f;
}

inline axis_filter area_filter(index_t in, index_t out) {
    // Output pixel i covers [i * in / out, (i + 1) * in / out) of the input, in
    // input pixels; each input pixel is weighted by the length it contributes.
    const double scale = static_cast<double>(in) / static_cast<double>(out);
    const int max_taps = static_cast<int>(std::ceil(scale)) + 1;
    const auto outputs = static_cast<std::size_t>(out);
    axis_filter f{std::vector<index_t>(outputs), std::vector<int>(outputs),
                  std::vector<float>(outputs * static_cast<std::size_t>(max_taps), 0.0f), max_taps};
    for (index_t i = 0; i < out; ++i) {
        const double begin = static_cast<double>(i) * scale;
        const double end = std::min(static_cast<double>(in), static_cast<double>(i + 1) * scale);
        const auto first = static_cast<index_t>(std::floor(begin));
        const auto last = std::min(in - 1, static_cast<index_t>(std::ceil(end)) - 1);
        f.first[static_cast<std::size_t>(i)] = first;
        f.count[static_cast<std::size_t>(i)] = static_cast<int>(last - first + 1);
        for (index_t k = first; k <= last; ++k) {
            const double overlap = std::min(end, static_cast<double>(k + 1)) - std::max(begin, static_cast<double>(k));
            f.weights[static_cast<std::size_t>(i * max_taps + (k - first))] = static_cast<float>(overlap / (end - begin));
        }
    }
    return f;
}

/// The one check of an interpolation value, shared by resize() and the mixers that take one.
inline void check_interpolation(const char* function, interpolation method) {
    if (method != interpolation::bilinear && method != interpolation::nearest && method != interpolation::area) {
        fail(function, "interpolation must be bilinear, nearest or area, got the value ", static_cast<int>(method));
    }
}

/// The separable filter of nearest or area (bilinear has its own taps in resize_bilinear).
inline axis_filter make_filter(interpolation method, index_t in, index_t out) {
    return method == interpolation::nearest ? nearest_filter(in, out) : area_filter(in, out);
}

template <class T>
T from_accumulator(float value) noexcept {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        return static_cast<std::uint8_t>(std::clamp(value + 0.5f, 0.0f, 255.0f));
    } else {
        return value;
    }
}

/// Separable resampling for nearest and area: each source row is filtered
/// horizontally once into a small cache (all channels), and every output row
/// blends the cached rows it needs. Works for any strides; rows shared by
/// neighbouring output rows are reused, so each needed source row is read once.
template <class T>
void resize_separable(image_view<const T> source, image_view<T> destination,
                      const axis_filter& columns, const axis_filter& rows) {
    const index_t channels = source.channels();
    const index_t out_width = destination.width();
    const auto slots = static_cast<index_t>(rows.max_taps + 1);
    const index_t row_floats = channels * out_width;
    std::vector<float> cache(static_cast<std::size_t>(slots * row_floats));
    std::vector<index_t> cached_row(static_cast<std::size_t>(slots), -1);
    std::vector<float> accumulator(static_cast<std::size_t>(row_floats));

    auto filtered_row = [&](index_t source_y) -> const float* {
        const index_t slot = source_y % slots;
        float* row = cache.data() + slot * row_floats;
        if (cached_row[static_cast<std::size_t>(slot)] == source_y) return row;
        cached_row[static_cast<std::size_t>(slot)] = source_y;
        for (index_t c = 0; c < channels; ++c) {
            float* out = row + c * out_width;
            for (index_t x = 0; x < out_width; ++x) {
                const float* w = columns.weights_of(x);
                const index_t first = columns.first[static_cast<std::size_t>(x)];
                float sum = 0.0f;
                for (int k = 0; k < columns.count[static_cast<std::size_t>(x)]; ++k) {
                    sum += w[k] * static_cast<float>(source(c, source_y, first + k));
                }
                out[x] = sum;
            }
        }
        return row;
    };

    for (index_t y = 0; y < destination.height(); ++y) {
        const float* w = rows.weights_of(y);
        const auto row = static_cast<std::size_t>(y);
        const float* first_row = filtered_row(rows.first[row]);
        for (index_t i = 0; i < row_floats; ++i) accumulator[static_cast<std::size_t>(i)] = w[0] * first_row[i];
        for (int k = 1; k < rows.count[row]; ++k) {
            const float* next_row = filtered_row(rows.first[row] + k);
            for (index_t i = 0; i < row_floats; ++i) accumulator[static_cast<std::size_t>(i)] += w[k] * next_row[i];
        }
        for (index_t c = 0; c < channels; ++c)
            for (index_t x = 0; x < out_width; ++x)
                destination(c, y, x) = from_accumulator<T>(accumulator[static_cast<std::size_t>(c * out_width + x)]);
    }
}

}  // namespace detail

/// Resamples the whole of `source` into `destination`, whose size sets the scale
/// (destination may be a region of a bigger image). Channel counts must match.
/// Views that share memory are handled by resampling through a temporary.
template <class SourceT, class T>
void resize(image_view<SourceT> source, image_view<T> destination,
            interpolation method = interpolation::bilinear) {
    static_assert(std::same_as<std::remove_const_t<SourceT>, T>,
                  "resizemix::resize: source and destination must have the same pixel type, and "
                  "the destination must be mutable (image_view<T>, not image_view<const T>)");
    if (source.empty() || destination.empty()) detail::fail("resize", "source or destination view is empty");
    if (source.channels() != destination.channels()) {
        detail::fail("resize", "source has ", source.channels(), " channels but destination has ",
                     destination.channels());
    }
    detail::check_interpolation("resize", method);
    auto run = [&](image_view<T> into) {
        if (method == interpolation::bilinear) {
            detail::resize_bilinear<T>(source, into);
        } else {
            detail::resize_separable<T>(source, into, detail::make_filter(method, source.width(), into.width()),
                                        detail::make_filter(method, source.height(), into.height()));
        }
    };
    if (!detail::may_overlap(source, destination)) {
        run(destination);
        return;
    }
    std::vector<T> staging(static_cast<std::size_t>(destination.size()));
    const auto staged = from_chw(staging.data(), destination.channels(), destination.height(), destination.width());
    run(staged);
    copy(image_view<const T>(staged), destination);
}

}  // namespace resizemix
