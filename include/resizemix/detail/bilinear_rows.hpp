// resizemix/detail/bilinear_rows.hpp: the bilinear row kernels in portable C++.
//
// The arithmetic every path must reproduce bit for bit (see resize_kernels.hpp
// for the whole algorithm), the tap tables the row kernels read, and the
// portable kernels: the reference the vector paths are tested against, and the
// path on CPUs without one. Float kernels never contract a * b + c * d into a
// fused multiply-add (it rounds once instead of twice, so bytes would depend on
// the compiler's flags and the CPU).
// Not for direct inclusion: use <resizemix/resize.hpp>.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include "../geometry.hpp"

// g++ -O3 unrolls a 16-iteration loop completely before its vectoriser runs,
// and then fails to vectorise some of them; keeping the block loop a loop
// lets it vectorise at -O2 and -O3 alike. clang needs no such help.
#if defined(__GNUC__) && !defined(__clang__)
#define RESIZEMIX_BLOCK_LOOP _Pragma("GCC unroll 1")
#else
#define RESIZEMIX_BLOCK_LOOP
#endif

// No contraction of float products into fused multiply-adds in the float
// kernels, whatever -ffp-contract says: g++ (whose GNU modes default to
// -ffp-contract=fast) by an optimize pragma around them, clang by a pragma
// at the top of each body. Without FMA in the target (the default x86-64
// flags, and the kernels' own target attributes) there is nothing to
// contract; with -march=native or on AArch64 there would be.
#if defined(__clang__)
#define RESIZEMIX_NO_CONTRACT _Pragma("clang fp contract(off)")
#define RESIZEMIX_NO_CONTRACT_BEGIN
#define RESIZEMIX_NO_CONTRACT_END
#elif defined(__GNUC__)
#define RESIZEMIX_NO_CONTRACT
#define RESIZEMIX_NO_CONTRACT_BEGIN _Pragma("GCC push_options") _Pragma("GCC optimize(\"fp-contract=off\")")
#define RESIZEMIX_NO_CONTRACT_END _Pragma("GCC pop_options")
#else
#define RESIZEMIX_NO_CONTRACT
#define RESIZEMIX_NO_CONTRACT_BEGIN
#define RESIZEMIX_NO_CONTRACT_END
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

/// The horizontal uint8 blend of one element from its two tap bytes.
constexpr std::uint16_t horizontal_u8_element(std::uint8_t first, std::uint8_t second, std::uint16_t share) noexcept {
    return lerp_q16(static_cast<std::uint16_t>(first << 8U), static_cast<std::uint16_t>(second << 8U), share);
}

/// The uint8 vertical blend of one element, rounded to a byte.
constexpr std::uint8_t vertical_u8_element(std::uint16_t top, std::uint16_t bottom, std::uint16_t share) noexcept {
    return static_cast<std::uint8_t>(static_cast<std::uint16_t>(lerp_q16(top, bottom, share) + 128U) >> 8U);
}

/// Elements per block of the row kernels (see below); internal rows are padded to whole blocks.
inline constexpr index_t block = 16;

/// `n` rounded up to whole blocks.
constexpr index_t padded(index_t n) noexcept { return (n + block - 1) / block * block; }

/// Length of an internal row of `n` elements: whole blocks plus one spare block,
/// which the vector kernels may write past the end (their last store is whole).
constexpr index_t row_capacity(index_t n) noexcept { return padded(n) + block; }

/// What a horizontal uint8 kernel reads for one row: output pixel x blends the
/// pixels at element offsets first[x] and second[x] of the row with Q16 share
/// share[x * channels + c] (one per element, row_capacity(n) of them).
/// Four three-channel outputs x .. x + 3 read from two 16-byte windows of the
/// row: pixels x, x + 1 from the one at `low`, x + 2, x + 3 from the one at
/// `high`. The byte-shuffle masks (both 128-bit lanes, one mask per tap) put
/// each tap byte into the high byte of its 16-bit lane; a mask byte with its
/// high bit set yields zero (x86 pshufb). `share` holds the Q16 shares in the
/// same 16-bit lanes (x, x + 1 in lanes 0-5, x + 2, x + 3 in lanes 8-13).
struct u8_window_group {
    std::uint64_t first_mask[4];
    std::uint64_t second_mask[4];
    std::uint16_t share[16];
    index_t low;
    index_t high;
};

struct u8_row_taps {
    const index_t* first;
    const index_t* second;
    const std::uint16_t* share;
    index_t adjacent_end;   ///< outputs [0, adjacent_end) have second == first + channels
    index_t wide_load_end;  ///< outputs [0, wide_load_end) may load 8 bytes at first[x]
    const u8_window_group* windows = nullptr;  ///< group x / 4 for outputs [0, window_end), see plan_u8_windows
    index_t window_end = 0;                    ///< a multiple of 4, or out_width
};

/// One 128-bit lane of the masks of a u8_window_group: the taps of two pixels
/// at byte offsets (first0, second0) and (first1, second1) of the window.
/// Adding an offset below 16 to 0x80 keeps the high bit, so zero lanes stay zero.
struct u8_window_lane {
    std::uint64_t first_low, first_high, second_low, second_high;
};

constexpr u8_window_lane window_lane(index_t first0, index_t second0, index_t first1, index_t second1) noexcept {
    // Bytes, low first: [z, a, z, a+1, z, a+2, z, b] and [z, b+1, z, b+2, z, z, z, z].
    constexpr std::uint64_t low_pattern = 0x0080'0280'0180'0080ULL;
    constexpr std::uint64_t high_pattern = 0x8080'8080'0280'0180ULL;
    constexpr std::uint64_t a_bytes = 0x0000'0100'0100'0100ULL;  // bytes 1, 3, 5
    constexpr std::uint64_t b_low_byte = 0x0100'0000'0000'0000ULL;  // byte 7
    constexpr std::uint64_t b_high_bytes = 0x0000'0000'0100'0100ULL;  // bytes 1, 3
    auto low = [&](index_t a, index_t b) {
        return low_pattern + static_cast<std::uint64_t>(a) * a_bytes + static_cast<std::uint64_t>(b) * b_low_byte;
    };
    auto high = [&](index_t b) { return high_pattern + static_cast<std::uint64_t>(b) * b_high_bytes; };
    return {low(first0, first1), high(first1), low(second0, second1), high(second1)};
}

/// Plans the 16-byte windows of three-channel rows of `row_elements` bytes:
/// one group per four outputs while both taps of each pair of outputs fit in one
/// window inside the row (source steps of up to three pixels, i.e. downscaling
/// by up to 3x; near the end of the row the window is moved back to end there).
/// Returns the outputs covered: out_width, or a multiple of 4 where a group
/// does not fit (the kernel takes the rest another way).
inline index_t plan_u8_windows(const u8_row_taps& taps, index_t out_width, index_t row_elements,
                               u8_window_group* groups) {
    constexpr index_t window = 16;
    if (row_elements < window) return 0;
    index_t x = 0;
    for (; x < out_width; x += 4) {
        u8_window_group& group = groups[x / 4];
        index_t base[2] = {0, 0};
        u8_window_lane lanes[2] = {};
        bool fits = true;
        for (index_t lane = 0; lane < 2 && fits; ++lane) {
            const index_t p = x + 2 * lane;
            std::uint16_t* lane_share = group.share + 8 * lane;
            std::fill(lane_share, lane_share + 8, std::uint16_t{0});
            if (p >= out_width) {  // past the row's end: both lanes of a partial group read the first window
                base[lane] = base[0];
                lanes[lane] = window_lane(0, 0, 0, 0);
                continue;
            }
            const index_t q = std::min(p + 1, out_width - 1);
            std::copy(taps.share + 3 * p, taps.share + 3 * (q + 1), lane_share);
            const index_t start = std::min(taps.first[p], row_elements - window);
            const index_t end = std::max(taps.second[p], taps.second[q]) + 3;
            fits = taps.first[p] >= start && end - start <= window && taps.first[q] >= start;
            base[lane] = start;
            lanes[lane] = window_lane(taps.first[p] - start, taps.second[p] - start, taps.first[q] - start,
                                      taps.second[q] - start);
        }
        if (!fits) break;
        group.low = base[0];
        group.high = base[1];
        group.first_mask[0] = lanes[0].first_low;
        group.first_mask[1] = lanes[0].first_high;
        group.first_mask[2] = lanes[1].first_low;
        group.first_mask[3] = lanes[1].first_high;
        group.second_mask[0] = lanes[0].second_low;
        group.second_mask[1] = lanes[0].second_high;
        group.second_mask[2] = lanes[1].second_low;
        group.second_mask[3] = lanes[1].second_high;
    }
    return std::min(x, out_width);
}

/// What the horizontal float kernel reads (one channel): out[x] =
/// row[first[x]] * weight_first[x] + row[second[x]] * weight_second[x].
struct f32_row_taps {
    const index_t* first;
    const index_t* second;
    const float* weight_first;
    const float* weight_second;
    index_t adjacent_end;  ///< outputs [0, adjacent_end) have second == first + 1
};

/// The kernels of one path; scratch rows hold 2 * row_capacity(n) bytes each.
struct bilinear_row_kernels {
    /// By channel count: [0] any count, [1] one, [2] three, [3] four channels.
    void (*horizontal_u8[4])(const std::uint8_t* row, index_t channels, index_t out_width, const u8_row_taps& taps,
                             std::uint8_t* scratch_first, std::uint8_t* scratch_second, std::uint16_t* out);
    void (*vertical_u8)(const std::uint16_t* top, const std::uint16_t* bottom, std::uint16_t share, std::uint8_t* out,
                        index_t n);
    void (*horizontal_f32)(const float* row, index_t out_width, const f32_row_taps& taps, float* scratch, float* out);
    void (*vertical_f32)(const float* top, const float* bottom, float weight_top, float weight_bottom, float* out,
                         index_t n);
    /// Whether the three-channel kernel reads u8_row_taps::windows (the caller plans them).
    bool reads_u8_windows;
};

/// The slot of bilinear_row_kernels::horizontal_u8 for `channels`.
constexpr int horizontal_u8_slot(index_t channels) noexcept {
    return channels == 1 ? 1 : channels == 3 ? 2 : channels == 4 ? 3 : 0;
}

/// Gathers both taps of every uint8 output element into two contiguous byte
/// rows (one 8-byte load covers both taps of a 3- or 4-channel pixel while it
/// stays inside the row; for 3 channels each 4-byte store writes one byte too
/// many, overwritten by the next pixel). Channels == 1 is not handled here.
template <int Channels>
void gather_u8_taps(const std::uint8_t* row, index_t channels, index_t out_width, const u8_row_taps& taps,
                    std::uint8_t* taps_first, std::uint8_t* taps_second) {
    index_t x = 0;
    if constexpr ((Channels == 3 || Channels == 4) && std::endian::native == std::endian::little) {
        auto gather = [&](index_t at) {
            std::uint64_t both = 0;
            std::memcpy(&both, row + taps.first[at], 8);
            const auto low = static_cast<std::uint32_t>(both);
            const auto high = static_cast<std::uint32_t>(both >> (8U * Channels));
            std::memcpy(taps_first + Channels * at, &low, 4);
            std::memcpy(taps_second + Channels * at, &high, 4);
        };
        for (; x + 2 <= taps.wide_load_end; x += 2) {
            gather(x);
            gather(x + 1);
        }
        for (; x < taps.wide_load_end; ++x) gather(x);
    }
    // The rest (the border, or every pixel for other channel counts); a constant size when known.
    const auto pixel_bytes = static_cast<std::size_t>(Channels > 0 ? Channels : channels);
    for (; x < out_width; ++x) {
        std::memcpy(taps_first + channels * x, row + taps.first[x], pixel_bytes);
        std::memcpy(taps_second + channels * x, row + taps.second[x], pixel_bytes);
    }
}

/// Gathers the two taps of each one-channel output as an adjacent pair of bytes
/// (one 2-byte load where they are neighbours in the row).
inline void gather_u8_pairs(const std::uint8_t* row, index_t out_width, const u8_row_taps& taps, std::uint8_t* pairs) {
    index_t x = 0;
    for (; x < taps.adjacent_end; ++x) std::memcpy(pairs + 2 * x, row + taps.first[x], 2);
    for (; x < out_width; ++x) {
        pairs[2 * x] = row[taps.first[x]];
        pairs[2 * x + 1] = row[taps.second[x]];
    }
}

RESIZEMIX_NO_CONTRACT_BEGIN

/// The float horizontal blend of outputs [from, out_width), element by element:
/// what the vector kernels leave at the end of a row.
inline void horizontal_f32_tail(const float* row, index_t from, index_t out_width, const f32_row_taps& taps,
                                float* out) {
    RESIZEMIX_NO_CONTRACT
    for (index_t x = from; x < out_width; ++x) {
        out[x] = row[taps.first[x]] * taps.weight_first[x] + row[taps.second[x]] * taps.weight_second[x];
    }
}

/// The float vertical blend of elements [from, n), element by element.
inline void vertical_f32_tail(const float* top, const float* bottom, float weight_top, float weight_bottom,
                              index_t from, index_t n, float* out) {
    RESIZEMIX_NO_CONTRACT
    for (index_t j = from; j < n; ++j) out[j] = top[j] * weight_top + bottom[j] * weight_bottom;
}

RESIZEMIX_NO_CONTRACT_END

// --- portable kernels ----------------------------------------------------------
// The arithmetic loops run over blocks of `block` elements computed into a
// local array: a fixed trip count and no possible aliasing, so g++ vectorises
// them even at -O2 (whose cost model refuses loops that need an epilogue or a
// run-time alias check) and clang at any level. Internal rows are padded to
// whole blocks; for rows written into the image the last block is computed
// whole and only its first elements are stored.
namespace portable {

/// Horizontal pass, uint8, `Channels` interleaved channels (0: any count, given
/// at run time): taps gathered, then blended block by block.
template <int Channels>
void horizontal_u8(const std::uint8_t* row, index_t channels, index_t out_width, const u8_row_taps& taps,
                   std::uint8_t* taps_first, std::uint8_t* taps_second, std::uint16_t* out) {
    const std::uint16_t* share = taps.share;
    if constexpr (Channels == 1) {
        gather_u8_pairs(row, out_width, taps, taps_first);
        for (index_t j = 0; j < out_width; j += block) {
            std::uint16_t result[block];
            RESIZEMIX_BLOCK_LOOP
            for (index_t k = 0; k < block; ++k) {
                result[k] = horizontal_u8_element(taps_first[2 * (j + k)], taps_first[2 * (j + k) + 1], share[j + k]);
            }
            std::memcpy(out + j, result, sizeof result);
        }
    } else {
        gather_u8_taps<Channels>(row, channels, out_width, taps, taps_first, taps_second);
        const index_t n = out_width * channels;
        for (index_t j = 0; j < n; j += block) {
            std::uint16_t result[block];
            RESIZEMIX_BLOCK_LOOP
            for (index_t k = 0; k < block; ++k) {
                result[k] = horizontal_u8_element(taps_first[j + k], taps_second[j + k], share[j + k]);
            }
            std::memcpy(out + j, result, sizeof result);
        }
    }
}

/// Vertical pass, uint8: blends two horizontal rows (padded to whole blocks)
/// and rounds to bytes; the last block is computed whole and stored in part.
inline void vertical_u8(const std::uint16_t* top, const std::uint16_t* bottom, std::uint16_t share, std::uint8_t* out,
                        index_t n) {
    for (index_t j = 0; j < n; j += block) {
        std::uint8_t result[block];
        RESIZEMIX_BLOCK_LOOP
        for (index_t k = 0; k < block; ++k) result[k] = vertical_u8_element(top[j + k], bottom[j + k], share);
        std::memcpy(out + j, result, static_cast<std::size_t>(std::min(block, n - j)));
    }
}

RESIZEMIX_NO_CONTRACT_BEGIN

/// Horizontal pass, float, one channel: tap pairs gathered, then blended block by block.
inline void horizontal_f32(const float* row, index_t out_width, const f32_row_taps& taps, float* pairs, float* out) {
    RESIZEMIX_NO_CONTRACT
    index_t x = 0;
    for (; x < taps.adjacent_end; ++x) std::memcpy(pairs + 2 * x, row + taps.first[x], 2 * sizeof(float));
    for (; x < out_width; ++x) {
        pairs[2 * x] = row[taps.first[x]];
        pairs[2 * x + 1] = row[taps.second[x]];
    }
    for (index_t j = 0; j < out_width; j += block) {
        float result[block];
        RESIZEMIX_BLOCK_LOOP
        for (index_t k = 0; k < block; ++k) {
            result[k] = pairs[2 * (j + k)] * taps.weight_first[j + k] + pairs[2 * (j + k) + 1] * taps.weight_second[j + k];
        }
        std::memcpy(out + j, result, sizeof result);
    }
}

/// Vertical pass, float: out = top * weight_top + bottom * weight_bottom, rows padded as for uint8.
inline void vertical_f32(const float* top, const float* bottom, float weight_top, float weight_bottom, float* out,
                         index_t n) {
    RESIZEMIX_NO_CONTRACT
    for (index_t j = 0; j < n; j += block) {
        float result[block];
        RESIZEMIX_BLOCK_LOOP
        for (index_t k = 0; k < block; ++k) result[k] = top[j + k] * weight_top + bottom[j + k] * weight_bottom;
        std::memcpy(out + j, result, static_cast<std::size_t>(std::min(block, n - j)) * sizeof(float));
    }
}

RESIZEMIX_NO_CONTRACT_END

inline constexpr bilinear_row_kernels kernels{
    {&horizontal_u8<0>, &horizontal_u8<1>, &horizontal_u8<3>, &horizontal_u8<4>},
    &vertical_u8,
    &horizontal_f32,
    &vertical_f32,
    false,
};

}  // namespace portable
}  // namespace resizemix::detail
