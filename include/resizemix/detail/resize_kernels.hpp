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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace resizemix::detail {

/// floor(a * b / 2^16): one unsigned 16-bit multiply-high (pmulhuw, vmull + shift).
constexpr std::uint16_t mul_high(std::uint16_t a, std::uint16_t b) noexcept {
    return static_cast<std::uint16_t>((static_cast<std::uint32_t>(a) * b) >> 16U);
}

/// a + (b - a) * w / 2^16 in 16-bit lanes, as a - hi(a w) + hi(b w): never below 0,
/// never above max(a, b) + 1, exact when w == 0 or a == b.
constexpr std::uint16_t lerp_q16(std::uint16_t a, std::uint16_t b, std::uint16_t w) noexcept {
    return static_cast<std::uint16_t>(a - mul_high(a, w) + mul_high(b, w));
}

// g++ -O3 unrolls a 16-iteration loop completely before its vectoriser runs,
// and then fails to vectorise some of them; keeping the block loop a loop
// lets it vectorise at -O2 and -O3 alike. clang needs no such help.
#if defined(__GNUC__) && !defined(__clang__)
#define RESIZEMIX_BLOCK_LOOP _Pragma("GCC unroll 1")
#else
#define RESIZEMIX_BLOCK_LOOP
#endif

/// Elements per block of the row kernels (see below); internal rows are padded to whole blocks.
inline constexpr index_t block = 16;

/// `n` rounded up to whole blocks.
constexpr index_t padded(index_t n) noexcept { return (n + block - 1) / block * block; }

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
};

/// Taps for `in` source pixels resampled to `out`, pixel centres aligned:
/// src = (d + 0.5) * in / out - 0.5, clamped to [0, in - 1].
template <class T>
void plan_linear_axis(linear_axis& axis, index_t in, index_t out) {
    const auto n = static_cast<std::size_t>(out);
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
}

/// Scratch reused across calls on one thread, so a resize allocates nothing once warm.
struct bilinear_workspace {
    linear_axis columns;
    linear_axis rows;
    std::vector<index_t> offset_first;      // columns.first * channels (element offsets in a row)
    std::vector<index_t> offset_second;
    std::vector<std::uint16_t> share_per_element;  // uint8: columns.share_q16 repeated per channel
    index_t wide_load_end = 0;              // uint8: outputs [0, wide_load_end) may load 8 bytes at offset_first
    std::vector<std::uint8_t> taps_first;   // uint8 tap gathers (pairs for one channel)
    std::vector<std::uint8_t> taps_second;
    std::vector<float> float_pairs;         // float tap gathers (pairs)
    std::vector<std::uint16_t> rows_u16;    // two cached horizontal rows (uint8 path)
    std::vector<float> rows_f32;            // two cached horizontal rows (float path)
    std::vector<std::uint8_t> staging_u8;   // gathered source row / unscattered output row
    std::vector<float> staging_f32;
};

inline bilinear_workspace& thread_workspace() {
    thread_local bilinear_workspace workspace;
    return workspace;
}

template <class V>
V* sized(std::vector<V>& buffer, index_t elements) {
    if (buffer.size() < static_cast<std::size_t>(elements)) buffer.resize(static_cast<std::size_t>(elements));
    return buffer.data();
}

// --- row kernels -------------------------------------------------------------------
// The arithmetic loops run over blocks of `block` elements computed into a
// local array: a fixed trip count and no possible aliasing, so g++ vectorises
// them even at -O2 (whose cost model refuses loops that need an epilogue or a
// run-time alias check) and clang at any level. Internal rows are padded to
// whole blocks; for rows written into the image the last block is computed
// whole and only its first elements are stored.

/// Horizontal pass, uint8, `Channels` interleaved channels (0: any count, given
/// at run time). Gathers both taps of every output element into two contiguous
/// byte rows (scalar loads; one 8-byte load covers both taps of a pixel where
/// they are adjacent), then blends them block by block. `out` holds padded(n).
template <int Channels>
void horizontal_u8(const std::uint8_t* row, index_t channels, index_t out_width,
                   const bilinear_workspace& w, std::uint8_t* taps_first, std::uint8_t* taps_second,
                   std::uint16_t* out) {
    const index_t* first = w.offset_first.data();
    const index_t* second = w.offset_second.data();
    const std::uint16_t* share = w.share_per_element.data();
    index_t x = 0;
    constexpr bool little = std::endian::native == std::endian::little;
    if constexpr (Channels == 1) {
        // Pairs of adjacent bytes: one 2-byte load per output.
        for (; x < w.columns.adjacent_end; ++x) std::memcpy(taps_first + 2 * x, row + first[x], 2);
        for (; x < out_width; ++x) {
            taps_first[2 * x] = row[first[x]];
            taps_first[2 * x + 1] = row[second[x]];
        }
        for (index_t j = 0; j < out_width; j += block) {
            std::uint16_t result[block];
            RESIZEMIX_BLOCK_LOOP
            for (index_t k = 0; k < block; ++k) {
                result[k] = lerp_q16(static_cast<std::uint16_t>(taps_first[2 * (j + k)] << 8U),
                                     static_cast<std::uint16_t>(taps_first[2 * (j + k) + 1] << 8U), share[j + k]);
            }
            std::memcpy(out + j, result, sizeof result);
        }
        return;
    } else if constexpr ((Channels == 3 || Channels == 4) && little) {
        // One 8-byte load holds both taps (3 + 3 or 4 + 4 bytes) while it stays inside the row.
        // For 3 channels each 4-byte store writes one byte too many, overwritten by the next pixel.
        auto gather = [&](index_t at) {
            std::uint64_t both = 0;
            std::memcpy(&both, row + first[at], 8);
            const auto low = static_cast<std::uint32_t>(both);
            const auto high = static_cast<std::uint32_t>(both >> (8U * Channels));
            std::memcpy(taps_first + Channels * at, &low, 4);
            std::memcpy(taps_second + Channels * at, &high, 4);
        };
        const index_t wide_end = w.wide_load_end;
        for (; x + 2 <= wide_end; x += 2) {
            gather(x);
            gather(x + 1);
        }
        for (; x < wide_end; ++x) gather(x);
    }
    // The rest (the border, or every pixel for other channel counts); a constant size when known.
    const auto pixel_bytes = static_cast<std::size_t>(Channels > 0 ? Channels : channels);
    for (; x < out_width; ++x) {
        std::memcpy(taps_first + channels * x, row + first[x], pixel_bytes);
        std::memcpy(taps_second + channels * x, row + second[x], pixel_bytes);
    }
    const index_t n = out_width * channels;
    for (index_t j = 0; j < n; j += block) {
        std::uint16_t result[block];
        RESIZEMIX_BLOCK_LOOP
        for (index_t k = 0; k < block; ++k) {
            result[k] = lerp_q16(static_cast<std::uint16_t>(taps_first[j + k] << 8U),
                                 static_cast<std::uint16_t>(taps_second[j + k] << 8U), share[j + k]);
        }
        std::memcpy(out + j, result, sizeof result);
    }
}

/// The uint8 vertical blend of one element, rounded to a byte.
constexpr std::uint8_t vertical_u8_element(std::uint16_t top, std::uint16_t bottom, std::uint16_t share) noexcept {
    return static_cast<std::uint8_t>(static_cast<std::uint16_t>(lerp_q16(top, bottom, share) + 128U) >> 8U);
}

/// Vertical pass, uint8: blends two horizontal rows (padded to whole blocks)
/// and rounds to bytes; the last block is computed whole and stored in part.
inline void vertical_u8(const std::uint16_t* top, const std::uint16_t* bottom, std::uint16_t share, std::uint8_t* out,
                        index_t n) {
    for (index_t j = 0; j < n; j += block) {
        std::uint8_t result[block];
        RESIZEMIX_BLOCK_LOOP
        for (index_t k = 0; k < block; ++k) result[k] = vertical_u8_element(top[j + k], bottom[j + k], share);
        if (j + block <= n) {
            std::memcpy(out + j, result, sizeof result);
        } else {
            std::memcpy(out + j, result, static_cast<std::size_t>(n - j));
        }
    }
}

/// Horizontal pass, float, one channel. With SSE2 (every x86-64), four outputs
/// at a time: four 8-byte loads of adjacent tap pairs, two shuffles to split
/// them, two multiplies and an add. Elsewhere, and at the borders, the same
/// expression element by element (tap pairs gathered first, then blended
/// block by block). `out` holds padded(out_width).
inline void horizontal_f32(const float* row, index_t out_width, const bilinear_workspace& w, float* pairs, float* out) {
    const index_t* first = w.columns.first.data();
    const index_t* second = w.columns.second.data();
    const float* weight_first = w.columns.weight_first.data();
    const float* weight_second = w.columns.weight_second.data();
#if defined(__SSE2__)
    (void)pairs;
    index_t x = 0;
    for (; x + 4 <= w.columns.adjacent_end; x += 4) {
        // movlps / movhps: unaligned 8-byte loads through may_alias types.
        const __m128 ab = _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(row + first[x])),
                                       reinterpret_cast<const __m64*>(row + first[x + 1]));
        const __m128 cd = _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(row + first[x + 2])),
                                       reinterpret_cast<const __m64*>(row + first[x + 3]));
        const __m128 left = _mm_shuffle_ps(ab, cd, _MM_SHUFFLE(2, 0, 2, 0));
        const __m128 right = _mm_shuffle_ps(ab, cd, _MM_SHUFFLE(3, 1, 3, 1));
        _mm_storeu_ps(out + x, _mm_add_ps(_mm_mul_ps(left, _mm_loadu_ps(weight_first + x)),
                                          _mm_mul_ps(right, _mm_loadu_ps(weight_second + x))));
    }
    for (; x < out_width; ++x) out[x] = row[first[x]] * weight_first[x] + row[second[x]] * weight_second[x];
#else
    index_t x = 0;
    for (; x < w.columns.adjacent_end; ++x) std::memcpy(pairs + 2 * x, row + first[x], 2 * sizeof(float));
    for (; x < out_width; ++x) {
        pairs[2 * x] = row[first[x]];
        pairs[2 * x + 1] = row[second[x]];
    }
    for (index_t j = 0; j < out_width; j += block) {
        float result[block];
        RESIZEMIX_BLOCK_LOOP
        for (index_t k = 0; k < block; ++k) {
            result[k] = pairs[2 * (j + k)] * weight_first[j + k] + pairs[2 * (j + k) + 1] * weight_second[j + k];
        }
        std::memcpy(out + j, result, sizeof result);
    }
#endif
}

/// Vertical pass, float: out = top * weight_top + bottom * weight_bottom, rows padded as for uint8.
inline void vertical_f32(const float* top, const float* bottom, float weight_top, float weight_bottom, float* out,
                         index_t n) {
    for (index_t j = 0; j < n; j += block) {
        float result[block];
        RESIZEMIX_BLOCK_LOOP
        for (index_t k = 0; k < block; ++k) result[k] = top[j + k] * weight_top + bottom[j + k] * weight_bottom;
        if (j + block <= n) {
            std::memcpy(out + j, result, sizeof result);
        } else {
            std::memcpy(out + j, result, static_cast<std::size_t>(n - j) * sizeof(float));
        }
    }
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

/// Bilinear resize of `source` into `destination` (no overlap). With
/// `force_staged`, every row goes through the staging buffers (the generic
/// strided path, which the tests compare with the direct one byte for byte).
template <class T>
void resize_bilinear(image_view<const T> source, image_view<T> destination, bool force_staged = false) {
    bilinear_workspace& w = thread_workspace();
    const index_t channels = source.channels();
    const index_t in_width = source.width();
    const index_t out_width = destination.width();
    const index_t out_height = destination.height();
    plan_linear_axis<T>(w.columns, in_width, out_width);
    plan_linear_axis<T>(w.rows, source.height(), out_height);

    if constexpr (std::is_same_v<T, std::uint8_t>) {
        // Interleaved when the source has interleaved rows (or, staged, when the destination does).
        const bool interleaved =
            source.has_hwc_rows() || (!source.has_chw_rows() && destination.has_hwc_rows()) || force_staged;
        const index_t group = interleaved ? channels : 1;  // channels per row kernel call
        const index_t row_elements = in_width * group;
        const index_t out_elements = out_width * group;
        const auto read = !force_staged && (interleaved ? source.has_hwc_rows() : source.has_chw_rows())
                              ? row_access::direct : row_access::staged;
        const auto write = !force_staged && (interleaved ? destination.has_hwc_rows() : destination.has_chw_rows())
                               ? row_access::direct : row_access::staged;

        index_t* first = sized(w.offset_first, out_width);
        index_t* second = sized(w.offset_second, out_width);
        std::uint16_t* share = sized(w.share_per_element, padded(out_elements));
        for (index_t x = 0; x < out_width; ++x) {
            first[x] = w.columns.first[static_cast<std::size_t>(x)] * group;
            second[x] = w.columns.second[static_cast<std::size_t>(x)] * group;
            for (index_t c = 0; c < group; ++c) share[x * group + c] = w.columns.share_q16[static_cast<std::size_t>(x)];
        }
        w.wide_load_end = w.columns.adjacent_end;
        while (w.wide_load_end > 0 && first[w.wide_load_end - 1] + 8 > row_elements) --w.wide_load_end;
        // Pairs need 2 bytes per output; all rows are read in whole blocks.
        std::uint8_t* taps_first = sized(w.taps_first, 2 * padded(out_elements) + 8);
        std::uint8_t* taps_second = sized(w.taps_second, padded(out_elements) + 8);
        std::uint16_t* cache_storage = sized(w.rows_u16, 2 * padded(out_elements));
        std::uint8_t* staging = sized(w.staging_u8, std::max(row_elements, out_elements));
        std::uint8_t* out_staging = staging;  // reused: a source row is consumed before the output row is written
        if (read == row_access::staged && write == row_access::staged) {
            staging = sized(w.staging_u8, row_elements + out_elements);
            out_staging = staging + row_elements;
        }

        auto horizontal = [&](const std::uint8_t* row, std::uint16_t* out) {
            switch (group) {
                case 1: horizontal_u8<1>(row, 1, out_width, w, taps_first, taps_second, out); break;
                case 3: horizontal_u8<3>(row, 3, out_width, w, taps_first, taps_second, out); break;
                case 4: horizontal_u8<4>(row, 4, out_width, w, taps_first, taps_second, out); break;
                default: horizontal_u8<0>(row, group, out_width, w, taps_first, taps_second, out); break;
            }
        };
        row_cache<std::uint16_t> cache(cache_storage, padded(out_elements));
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
                const index_t top_y = w.rows.first[k];
                const index_t bottom_y = w.rows.second[k];
                const std::uint16_t* top = cache.get(top_y, bottom_y, fill);
                const std::uint16_t* bottom = bottom_y == top_y ? top : cache.get(bottom_y, top_y, fill);
                if (write == row_access::direct) {
                    vertical_u8(top, bottom, w.rows.share_q16[k], &destination(c0, y, 0), out_elements);
                    continue;
                }
                vertical_u8(top, bottom, w.rows.share_q16[k], out_staging, out_elements);
                for (index_t x = 0; x < out_width; ++x)
                    for (index_t c = 0; c < group; ++c) destination(c0 + c, y, x) = out_staging[x * group + c];
            }
        }
    } else {
        // float: always one channel at a time through the planar kernels.
        const auto read = !force_staged && source.has_chw_rows() ? row_access::direct : row_access::staged;
        const auto write = !force_staged && destination.has_chw_rows() ? row_access::direct : row_access::staged;
        float* pairs = sized(w.float_pairs, 2 * padded(out_width));
        float* cache_storage = sized(w.rows_f32, 2 * padded(out_width));
        float* staging = sized(w.staging_f32, in_width + out_width);
        float* out_staging = staging + in_width;
        row_cache<float> cache(cache_storage, padded(out_width));
        for (index_t c = 0; c < channels; ++c) {
            cache.clear();
            auto fill = [&](index_t y, float* out) {
                if (read == row_access::direct) {
                    horizontal_f32(&source(c, y, 0), out_width, w, pairs, out);
                    return;
                }
                for (index_t x = 0; x < in_width; ++x) staging[x] = source(c, y, x);
                horizontal_f32(staging, out_width, w, pairs, out);
            };
            for (index_t y = 0; y < out_height; ++y) {
                const auto k = static_cast<std::size_t>(y);
                const index_t top_y = w.rows.first[k];
                const index_t bottom_y = w.rows.second[k];
                const float* top = cache.get(top_y, bottom_y, fill);
                const float* bottom = bottom_y == top_y ? top : cache.get(bottom_y, top_y, fill);
                const float weight_top = w.rows.weight_first[k];
                const float weight_bottom = w.rows.weight_second[k];
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
