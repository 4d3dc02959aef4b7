// resizemix/detail/resize_kernels.hpp: bilinear resampling, its arithmetic defined once.
//
// Separable, horizontal pass first: every source row the output needs is
// interpolated horizontally once into a row of intermediates, kept while the
// (at most two) output rows that read it are blended vertically. Taps and
// weights are computed once per call. The row kernels only ever see
// contiguous rows; how rows are found (in place in the image, or gathered
// through strides into a staging row) is decided once per call from the
// layouts. So every layout runs the same arithmetic and yields the same bytes:
//   uint8: Q8.8 fixed point in 16-bit lanes, weights in Q16;
//          lerp(a, b, w) = a - hi(a * w) + hi(b * w), hi(p) = p >> 16,
//          h = lerp(s0 << 8, s1 << 8, wx), out = (lerp(h0, h1, wy) + 128) >> 8.
//          Integer-exact, so the order of evaluation cannot change a byte;
//          within 0.53 of the exact bilinear value (0.5 of it is the rounding).
//   float: h = s0 * wx0 + s1 * wx1, out = h0 * wy0 + h1 * wy1 (PyTorch's order
//          and weights), always through the same planar kernels.
// Not for direct inclusion: use <resizemix/resize.hpp>.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "../view.hpp"
#include "bilinear_rows.hpp"
#include "bilinear_rows_x86.hpp"
#include "cpu_isa.hpp"

namespace resizemix::detail {

/// The taps of one axis: output d reads source `first[d]` and `second[d]`
/// (second = first + 1, or first at the border and for a one-pixel axis).
/// uint8 weights are the Q16 share of `second`; float weights are PyTorch's
/// lambda0 / lambda1, computed in float as PyTorch computes them.
struct linear_axis {
    std::vector<index_t> first;
    std::vector<index_t> second;
    std::vector<std::uint16_t> share_q16;
    std::vector<float> weight_first;
    std::vector<float> weight_second;
    /// Outputs [0, adjacent_end) all have second == first + 1 (a prefix: the border is at the end).
    index_t adjacent_end = 0;
    /// The sizes and pixel type the tables were planned for: a call with the same ones reuses them.
    index_t planned_in = -1;
    index_t planned_out = -1;
    bool planned_u8 = false;
};

RESIZEMIX_NO_CONTRACT_BEGIN

/// A workspace buffer bigger than this and 8x what a call needs is released:
/// one huge image must not pin its rows' memory on every thread for good.
inline constexpr std::size_t workspace_keep_bytes = std::size_t{256} << 10;

template <class V>
void release_if_oversized(std::vector<V>& buffer, std::size_t needed) {
    if (buffer.capacity() * sizeof(V) > workspace_keep_bytes && buffer.capacity() > 8 * needed) {
        std::vector<V>().swap(buffer);
    }
}

/// Taps for `in` source pixels resampled to `out`, pixel centres aligned:
/// src = (d + 0.5) * in / out - 0.5, clamped to [0, in - 1]. Not contracted
/// either: a fused multiply-subtract here would move weights by an ulp.
template <class T>
void plan_linear_axis(linear_axis& axis, index_t in, index_t out) {
    RESIZEMIX_NO_CONTRACT
    constexpr bool u8 = std::is_same_v<T, std::uint8_t>;
    if (axis.planned_in == in && axis.planned_out == out && axis.planned_u8 == u8) return;
    const auto n = static_cast<std::size_t>(out);
    release_if_oversized(axis.first, n);
    release_if_oversized(axis.second, n);
    release_if_oversized(axis.share_q16, n);
    release_if_oversized(axis.weight_first, n);
    release_if_oversized(axis.weight_second, n);
    axis.first.resize(n);
    axis.second.resize(n);
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        axis.share_q16.resize(static_cast<std::size_t>(padded(out)));
        const double scale = static_cast<double>(in) / static_cast<double>(out);
        for (index_t d = 0; d < out; ++d) {
            const double source = std::clamp((static_cast<double>(d) + 0.5) * scale - 0.5, 0.0,
                                             static_cast<double>(in - 1));
            auto first = static_cast<index_t>(source);
            auto share = static_cast<std::int32_t>((source - static_cast<double>(first)) * 65536.0 + 0.5);
            if (share >= 65536) {  // within 2^-17 of the next pixel: take it whole
                ++first;
                share = 0;
            }
            const auto k = static_cast<std::size_t>(d);
            axis.first[k] = first;
            axis.second[k] = first + 1 < in ? first + 1 : first;
            axis.share_q16[k] = axis.second[k] == first ? std::uint16_t{0} : static_cast<std::uint16_t>(share);
        }
    } else {
        axis.weight_first.resize(static_cast<std::size_t>(padded(out)));
        axis.weight_second.resize(static_cast<std::size_t>(padded(out)));
        const float scale = static_cast<float>(in) / static_cast<float>(out);
        for (index_t d = 0; d < out; ++d) {
            const float source = std::max(0.0f, scale * (static_cast<float>(d) + 0.5f) - 0.5f);
            const index_t first = std::min(static_cast<index_t>(source), in - 1);
            const bool inside = first < in - 1;
            const float share = inside ? source - static_cast<float>(first) : 0.0f;
            const auto k = static_cast<std::size_t>(d);
            axis.first[k] = first;
            axis.second[k] = inside ? first + 1 : first;
            axis.weight_first[k] = 1.0f - share;
            axis.weight_second[k] = share;
        }
    }
    index_t end = out;
    while (end > 0 && axis.second[static_cast<std::size_t>(end - 1)] != axis.first[static_cast<std::size_t>(end - 1)] + 1) {
        --end;
    }
    axis.adjacent_end = end;
    axis.planned_in = in;
    axis.planned_out = out;
    axis.planned_u8 = u8;
}

RESIZEMIX_NO_CONTRACT_END

/// Scratch reused across calls on one thread, so a resize allocates nothing once
/// warm; buffers far bigger than a call needs are released (release_if_oversized).
struct bilinear_workspace {
    linear_axis columns;
    linear_axis rows;
    std::vector<index_t> offset_first;      // columns.first * channels (element offsets in a row)
    std::vector<index_t> offset_second;
    std::vector<std::uint16_t> share_per_element;  // uint8: columns.share_q16 repeated per channel
    std::vector<u8_window_group> windows;   // uint8, 3 channels, when the kernels read them
    std::vector<std::uint8_t> taps_first;   // uint8 tap gathers (pairs for one channel)
    std::vector<std::uint8_t> taps_second;
    std::vector<float> float_pairs;         // float tap gathers (pairs)
    std::vector<std::uint16_t> rows_u16;    // two cached horizontal rows (uint8 path)
    std::vector<float> rows_f32;            // two cached horizontal rows (float path)
    std::vector<std::uint8_t> staging_u8;   // gathered source row / unscattered output row
    std::vector<float> staging_f32;

    /// Heap bytes held (capacities), for the tests of the release policy.
    [[nodiscard]] std::size_t capacity_bytes() const noexcept {
        auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
        std::size_t total = 0;
        for (const linear_axis* axis : {&columns, &rows}) {
            total += bytes(axis->first) + bytes(axis->second) + bytes(axis->share_q16) + bytes(axis->weight_first) +
                     bytes(axis->weight_second);
        }
        return total + bytes(offset_first) + bytes(offset_second) + bytes(share_per_element) + bytes(windows) +
               bytes(taps_first) +
               bytes(taps_second) + bytes(float_pairs) + bytes(rows_u16) + bytes(rows_f32) + bytes(staging_u8) +
               bytes(staging_f32);
    }
};

/// The calling thread's workspace. Never inlined: in a shared object each use of
/// a thread_local's address is a __tls_get_addr call (global-dynamic TLS), and
/// inlined, g++ re-derives the address at its uses in the row loops instead of
/// keeping it; a call returns it once, as a plain reference.
[[gnu::noinline]] inline bilinear_workspace& thread_workspace() {
    thread_local bilinear_workspace workspace;
    return workspace;
}

template <class V>
V* sized(std::vector<V>& buffer, index_t elements) {
    release_if_oversized(buffer, static_cast<std::size_t>(elements));
    if (buffer.size() < static_cast<std::size_t>(elements)) buffer.resize(static_cast<std::size_t>(elements));
    return buffer.data();
}

/// The row kernels of `path`, which this CPU must support (cpu_supports).
inline const bilinear_row_kernels& row_kernels(isa path) noexcept {
#if RESIZEMIX_X86_KERNELS
    switch (path) {
        case isa::sse2: return sse2::kernels;
        case isa::avx2: return avx2::kernels;
        case isa::portable: break;
    }
#else
    (void)path;
#endif
    return portable::kernels;
}

// --- the driver -------------------------------------------------------------------

/// Keeps the horizontal rows of the last two source rows read, so each source
/// row is interpolated horizontally once per channel group.
template <class H>
class row_cache {
public:
    row_cache(H* storage, index_t row_length) : slots_{storage, storage + row_length} {}
    void clear() noexcept { cached_[0] = cached_[1] = -1; }

    /// The horizontal row of source row `y`, computed by fill(y, destination) if not cached;
    /// never evicts `keep`.
    template <class Fill>
    const H* get(index_t y, index_t keep, Fill&& fill) {
        for (int k = 0; k < 2; ++k)
            if (cached_[k] == y) return slots_[k];
        const int k = cached_[0] == keep ? 1 : 0;
        fill(y, slots_[k]);
        cached_[k] = y;
        return slots_[k];
    }

private:
    H* slots_[2];
    index_t cached_[2] = {-1, -1};
};

/// How one call reads source rows and writes output rows.
enum class row_access {
    direct,  ///< rows are contiguous in the view: read / written in place
    staged,  ///< gathered / scattered element by element through the strides
};

/// Bilinear resize of `source` into `destination` (no overlap). Rows that are
/// contiguous in a view are read or written in place, others go through the
/// staging buffers. `path` picks the row kernels (the tests run every one this CPU has).
template <class T>
void resize_bilinear(image_view<const T> source, image_view<T> destination, isa path = active_isa()) {
    const bilinear_row_kernels& kernels = row_kernels(path);
    bilinear_workspace& w = thread_workspace();
    const index_t channels = source.channels();
    const index_t in_width = source.width();
    const index_t out_width = destination.width();
    const index_t out_height = destination.height();
    plan_linear_axis<T>(w.columns, in_width, out_width);
    // A square patch of a square image (most ResizeMix patches) has the same taps on both axes.
    const bool same_axes = source.height() == in_width && out_height == out_width;
    if (!same_axes) plan_linear_axis<T>(w.rows, source.height(), out_height);
    const linear_axis& rows = same_axes ? w.columns : w.rows;

    if constexpr (std::is_same_v<T, std::uint8_t>) {
        // Interleaved when the source has interleaved rows (or, staged, when the destination does).
        const bool interleaved = source.has_hwc_rows() || (!source.has_chw_rows() && destination.has_hwc_rows());
        const index_t group = interleaved ? channels : 1;  // channels per row kernel call
        const index_t row_elements = in_width * group;
        const index_t out_elements = out_width * group;
        const auto read = (interleaved ? source.has_hwc_rows() : source.has_chw_rows()) ? row_access::direct
                                                                                         : row_access::staged;
        const auto write = (interleaved ? destination.has_hwc_rows() : destination.has_chw_rows())
                               ? row_access::direct
                               : row_access::staged;

        index_t* first = sized(w.offset_first, out_width);
        index_t* second = sized(w.offset_second, out_width);
        std::uint16_t* share = sized(w.share_per_element, row_capacity(out_elements));
        const index_t* column_first = w.columns.first.data();
        const index_t* column_second = w.columns.second.data();
        const std::uint16_t* column_share = w.columns.share_q16.data();
        for (index_t x = 0; x < out_width; ++x) {
            first[x] = column_first[x] * group;
            second[x] = column_second[x] * group;
        }
        if (group == 3) {  // the common case, without the inner loop
            for (index_t x = 0; x < out_width; ++x) share[3 * x] = share[3 * x + 1] = share[3 * x + 2] = column_share[x];
        } else {
            for (index_t x = 0; x < out_width; ++x)
                for (index_t c = 0; c < group; ++c) share[x * group + c] = column_share[x];
        }
        index_t wide_load_end = w.columns.adjacent_end;
        while (wide_load_end > 0 && first[wide_load_end - 1] + 8 > row_elements) --wide_load_end;
        u8_row_taps taps{first, second, share, w.columns.adjacent_end, wide_load_end};
        if (kernels.reads_u8_windows && group == 3) {
            u8_window_group* windows = sized(w.windows, out_width / 4 + 1);
            taps.windows = windows;
            taps.window_end = plan_u8_windows(taps, out_width, row_elements, windows);
        }
        // Pairs need 2 bytes per output; all rows are read in whole blocks.
        std::uint8_t* taps_first = sized(w.taps_first, 2 * row_capacity(out_elements));
        std::uint8_t* taps_second = sized(w.taps_second, row_capacity(out_elements));
        std::uint16_t* cache_storage = sized(w.rows_u16, 2 * row_capacity(out_elements));
        std::uint8_t* staging = sized(w.staging_u8, std::max(row_elements, out_elements));
        std::uint8_t* out_staging = staging;  // reused: a source row is consumed before the output row is written
        if (read == row_access::staged && write == row_access::staged) {
            staging = sized(w.staging_u8, row_elements + out_elements);
            out_staging = staging + row_elements;
        }

        const auto horizontal_kernel = kernels.horizontal_u8[horizontal_u8_slot(group)];
        auto horizontal = [&](const std::uint8_t* row, std::uint16_t* out) {
            horizontal_kernel(row, group, out_width, taps, taps_first, taps_second, out);
        };
        const auto vertical_u8 = kernels.vertical_u8;
        row_cache<std::uint16_t> cache(cache_storage, row_capacity(out_elements));
        for (index_t c0 = 0; c0 < channels; c0 += group) {
            cache.clear();
            auto fill = [&](index_t y, std::uint16_t* out) {
                if (read == row_access::direct) {
                    horizontal(&source(c0, y, 0), out);
                    return;
                }
                for (index_t x = 0; x < in_width; ++x)
                    for (index_t c = 0; c < group; ++c) staging[x * group + c] = source(c0 + c, y, x);
                horizontal(staging, out);
            };
            for (index_t y = 0; y < out_height; ++y) {
                const auto k = static_cast<std::size_t>(y);
                const index_t top_y = rows.first[k];
                const index_t bottom_y = rows.second[k];
                const std::uint16_t* top = cache.get(top_y, bottom_y, fill);
                const std::uint16_t* bottom = bottom_y == top_y ? top : cache.get(bottom_y, top_y, fill);
                if (write == row_access::direct) {
                    vertical_u8(top, bottom, rows.share_q16[k], &destination(c0, y, 0), out_elements);
                    continue;
                }
                vertical_u8(top, bottom, rows.share_q16[k], out_staging, out_elements);
                for (index_t x = 0; x < out_width; ++x)
                    for (index_t c = 0; c < group; ++c) destination(c0 + c, y, x) = out_staging[x * group + c];
            }
        }
    } else {
        // float: always one channel at a time through the planar kernels.
        const auto read = source.has_chw_rows() ? row_access::direct : row_access::staged;
        const auto write = destination.has_chw_rows() ? row_access::direct : row_access::staged;
        float* pairs = sized(w.float_pairs, 2 * row_capacity(out_width));
        float* cache_storage = sized(w.rows_f32, 2 * row_capacity(out_width));
        float* staging = sized(w.staging_f32, in_width + out_width);
        float* out_staging = staging + in_width;
        row_cache<float> cache(cache_storage, row_capacity(out_width));
        const f32_row_taps taps{w.columns.first.data(), w.columns.second.data(), w.columns.weight_first.data(),
                                w.columns.weight_second.data(), w.columns.adjacent_end};
        const auto horizontal_f32 = kernels.horizontal_f32;
        const auto vertical_f32 = kernels.vertical_f32;
        for (index_t c = 0; c < channels; ++c) {
            cache.clear();
            auto fill = [&](index_t y, float* out) {
                if (read == row_access::direct) {
                    horizontal_f32(&source(c, y, 0), out_width, taps, pairs, out);
                    return;
                }
                for (index_t x = 0; x < in_width; ++x) staging[x] = source(c, y, x);
                horizontal_f32(staging, out_width, taps, pairs, out);
            };
            for (index_t y = 0; y < out_height; ++y) {
                const auto k = static_cast<std::size_t>(y);
                const index_t top_y = rows.first[k];
                const index_t bottom_y = rows.second[k];
                const float* top = cache.get(top_y, bottom_y, fill);
                const float* bottom = bottom_y == top_y ? top : cache.get(bottom_y, top_y, fill);
                const float weight_top = rows.weight_first[k];
                const float weight_bottom = rows.weight_second[k];
                if (write == row_access::direct) {
                    vertical_f32(top, bottom, weight_top, weight_bottom, &destination(c, y, 0), out_width);
                    continue;
                }
                vertical_f32(top, bottom, weight_top, weight_bottom, out_staging, out_width);
                for (index_t x = 0; x < out_width; ++x) destination(c, y, x) = out_staging[x];
            }
        }
    }
}

}  // namespace resizemix::detail

#undef RESIZEMIX_BLOCK_LOOP
#undef RESIZEMIX_NO_CONTRACT
#undef RESIZEMIX_NO_CONTRACT_BEGIN
#undef RESIZEMIX_NO_CONTRACT_END
