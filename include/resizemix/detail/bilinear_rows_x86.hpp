// resizemix/detail/bilinear_rows_x86.hpp: the bilinear row kernels in SSE2 and AVX2.
//
// Compiler intrinsics behind target attributes, so a user building with
// default flags still gets AVX2 where the CPU has it (cpu_isa.hpp picks the
// path once per process). Each kernel computes exactly the portable kernel's
// arithmetic (bilinear_rows.hpp): uint8 in the same Q16 integer steps, float
// as two multiplies and an add, never fused (no "fma" in any target, and the
// float kernels sit inside RESIZEMIX_NO_CONTRACT for -march=native builds).
// Intrinsics rather than Highway or xsimd: the kernels are a dozen short
// loops, Debian's Highway is a compiled library with its own dispatch and
// xsimd has no run-time dispatch of header-only code without per-ISA
// translation units; both would be new dependencies of a header-only library
// whose core needs only the standard library.
// Not for direct inclusion: use <resizemix/resize.hpp>.
#pragma once

#include <algorithm>

#include "bilinear_rows.hpp"
#include "cpu_isa.hpp"

#if RESIZEMIX_X86_KERNELS

#include <immintrin.h>

#define RESIZEMIX_TARGET_SSE2 __attribute__((target("sse2")))
#define RESIZEMIX_TARGET_AVX2 __attribute__((target("avx2")))

namespace resizemix::detail {

// --- SSE2 (every x86-64): vector blends; the tap gathers stay scalar -------------------
namespace sse2 {

/// a - hi(a w) + hi(b w) in eight 16-bit lanes (lerp_q16).
RESIZEMIX_TARGET_SSE2 inline __m128i lerp_q16(__m128i a, __m128i b, __m128i w) {
    return _mm_add_epi16(_mm_sub_epi16(a, _mm_mulhi_epu16(a, w)), _mm_mulhi_epu16(b, w));
}

template <int Channels>
RESIZEMIX_TARGET_SSE2 void horizontal_u8(const std::uint8_t* row, index_t channels, index_t out_width,
                                         const u8_row_taps& taps, std::uint8_t* taps_first,
                                         std::uint8_t* taps_second, std::uint16_t* out) {
    const __m128i high_bytes = _mm_set1_epi16(static_cast<short>(0xFF00));
    if constexpr (Channels == 1) {
        gather_u8_pairs(row, out_width, taps, taps_first);
        for (index_t j = 0; j < out_width; j += 8) {
            const __m128i pairs = _mm_loadu_si128(reinterpret_cast<const __m128i*>(taps_first + 2 * j));
            const __m128i share = _mm_loadu_si128(reinterpret_cast<const __m128i*>(taps.share + j));
            const __m128i result = lerp_q16(_mm_slli_epi16(pairs, 8), _mm_and_si128(pairs, high_bytes), share);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j), result);
        }
    } else {
        gather_u8_taps<Channels>(row, channels, out_width, taps, taps_first, taps_second);
        const __m128i zero = _mm_setzero_si128();
        const index_t n = out_width * channels;
        for (index_t j = 0; j < n; j += 16) {
            const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(taps_first + j));
            const __m128i second = _mm_loadu_si128(reinterpret_cast<const __m128i*>(taps_second + j));
            const __m128i share_low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(taps.share + j));
            const __m128i share_high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(taps.share + j + 8));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j),
                             lerp_q16(_mm_unpacklo_epi8(zero, first), _mm_unpacklo_epi8(zero, second), share_low));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j + 8),
                             lerp_q16(_mm_unpackhi_epi8(zero, first), _mm_unpackhi_epi8(zero, second), share_high));
        }
    }
}

RESIZEMIX_TARGET_SSE2 inline void vertical_u8(const std::uint16_t* top, const std::uint16_t* bottom,
                                              std::uint16_t share, std::uint8_t* out, index_t n) {
    const __m128i weight = _mm_set1_epi16(static_cast<short>(share));
    const __m128i half = _mm_set1_epi16(128);
    for (index_t j = 0; j < n; j += 16) {
        const auto* t = reinterpret_cast<const __m128i*>(top + j);
        const auto* b = reinterpret_cast<const __m128i*>(bottom + j);
        const __m128i low = lerp_q16(_mm_loadu_si128(t), _mm_loadu_si128(b), weight);
        const __m128i high = lerp_q16(_mm_loadu_si128(t + 1), _mm_loadu_si128(b + 1), weight);
        const __m128i bytes = _mm_packus_epi16(_mm_srli_epi16(_mm_add_epi16(low, half), 8),
                                               _mm_srli_epi16(_mm_add_epi16(high, half), 8));
        if (j + 16 <= n) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j), bytes);
        } else {
            alignas(16) std::uint8_t rest[16];
            _mm_store_si128(reinterpret_cast<__m128i*>(rest), bytes);
            std::memcpy(out + j, rest, static_cast<std::size_t>(n - j));
        }
    }
}

RESIZEMIX_NO_CONTRACT_BEGIN

/// Four outputs at a time: four 8-byte loads of adjacent tap pairs, two
/// shuffles to split them, two multiplies and an add.
RESIZEMIX_TARGET_SSE2 inline void horizontal_f32(const float* row, index_t out_width, const f32_row_taps& taps,
                                                 float* /*scratch*/, float* out) {
    RESIZEMIX_NO_CONTRACT
    const index_t* first = taps.first;
    index_t x = 0;
    for (; x + 4 <= taps.adjacent_end; x += 4) {
        // movlps / movhps: unaligned 8-byte loads through may_alias types.
        const __m128 ab = _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(row + first[x])),
                                       reinterpret_cast<const __m64*>(row + first[x + 1]));
        const __m128 cd = _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(row + first[x + 2])),
                                       reinterpret_cast<const __m64*>(row + first[x + 3]));
        const __m128 left = _mm_shuffle_ps(ab, cd, _MM_SHUFFLE(2, 0, 2, 0));
        const __m128 right = _mm_shuffle_ps(ab, cd, _MM_SHUFFLE(3, 1, 3, 1));
        _mm_storeu_ps(out + x, _mm_add_ps(_mm_mul_ps(left, _mm_loadu_ps(taps.weight_first + x)),
                                          _mm_mul_ps(right, _mm_loadu_ps(taps.weight_second + x))));
    }
    horizontal_f32_tail(row, x, out_width, taps, out);
}

RESIZEMIX_TARGET_SSE2 inline void vertical_f32(const float* top, const float* bottom, float weight_top,
                                               float weight_bottom, float* out, index_t n) {
    RESIZEMIX_NO_CONTRACT
    const __m128 wt = _mm_set1_ps(weight_top);
    const __m128 wb = _mm_set1_ps(weight_bottom);
    index_t j = 0;
    for (; j + 4 <= n; j += 4) {
        _mm_storeu_ps(out + j, _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(top + j), wt), _mm_mul_ps(_mm_loadu_ps(bottom + j), wb)));
    }
    vertical_f32_tail(top, bottom, weight_top, weight_bottom, j, n, out);
}

RESIZEMIX_NO_CONTRACT_END

inline constexpr bilinear_row_kernels kernels{
    {&horizontal_u8<0>, &horizontal_u8<1>, &horizontal_u8<3>, &horizontal_u8<4>},
    &vertical_u8,
    &horizontal_f32,
    &vertical_f32,
    false,
};

}  // namespace sse2

// --- AVX2: byte shuffles replace the scalar tap gathers for 3 and 4 channels ----------
namespace avx2 {

RESIZEMIX_TARGET_AVX2 inline __m256i lerp_q16(__m256i a, __m256i b, __m256i w) {
    return _mm256_add_epi16(_mm256_sub_epi16(a, _mm256_mulhi_epu16(a, w)), _mm256_mulhi_epu16(b, w));
}

/// The 8 bytes at p (both taps of a 3- or 4-channel pixel) in the low half of a lane.
RESIZEMIX_TARGET_AVX2 inline __m128i load_8(const std::uint8_t* p) {
    return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
}

/// The 8 bytes at a in the low half, at b in the high half.
RESIZEMIX_TARGET_AVX2 inline __m128i load_8_8(const std::uint8_t* a, const std::uint8_t* b) {
    return _mm_castps_si128(_mm_loadh_pi(_mm_castsi128_ps(load_8(a)), reinterpret_cast<const __m64*>(b)));
}

/// Both taps of pixels x .. x + 3 (each 8 bytes from first[x]): x, x+1 in the low lane, x+2, x+3 in the high one.
RESIZEMIX_TARGET_AVX2 inline __m256i load_four_pixels(const std::uint8_t* row, const index_t* first, index_t x) {
    return _mm256_inserti128_si256(_mm256_castsi128_si256(load_8_8(row + first[x], row + first[x + 1])),
                                   load_8_8(row + first[x + 2], row + first[x + 3]), 1);
}

/// Both taps of pixels x .. x + count - 1 (count <= 4) copied into 8-byte chunks
/// laid out as load_four_pixels reads them from the row: for the last pixels of
/// a row, whose 8-byte loads would leave it or whose taps are not neighbours.
template <int Channels>
RESIZEMIX_TARGET_AVX2 inline __m256i gather_four_pixels(const std::uint8_t* row, const u8_row_taps& taps, index_t x,
                                                        index_t count) {
    std::uint8_t chunks[32] = {};  // not aligned: the kernels calling this then need no stack realignment
    for (index_t k = 0; k < count; ++k) {
        std::memcpy(chunks + 8 * k, row + taps.first[x + k], Channels);
        std::memcpy(chunks + 8 * k + Channels, row + taps.second[x + k], Channels);
    }
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(chunks));
}

/// Three channels, four pixels a step, from `pixels` holding the taps of x, x+1
/// in the low 128-bit lane and of x+2, x+3 in the high one: one shuffle per tap
/// moves them into the high bytes of 16-bit lanes ([x, x+1, -, -] per lane), the
/// blend runs, and a dword permutation packs the twelve results together. Each
/// store writes four spare lanes past them, rewritten by the next step or left
/// in the row's spare block.
RESIZEMIX_TARGET_AVX2 inline __m256i blend_rgb(__m256i pixels, __m256i first_bytes, __m256i second_bytes,
                                               __m256i shares) {
    const __m256i blended =
        lerp_q16(_mm256_shuffle_epi8(pixels, first_bytes), _mm256_shuffle_epi8(pixels, second_bytes), shares);
    return _mm256_permutevar8x32_epi32(blended, _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7));
}

/// The shares of pixels x, x + 1 (lanes 0-5) and x + 2, x + 3 (lanes 8-13) from a row of shares per element.
RESIZEMIX_TARGET_AVX2 inline __m256i rgb_shares(const std::uint16_t* share) {
    return _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(share))),
                                   _mm_loadu_si128(reinterpret_cast<const __m128i*>(share + 6)), 1);
}

/// Three channels from output `x` on, without windows: 8-byte loads per pixel
/// (each holds both taps), then the last pixels of the row through a small gather.
/// Out of line, so the windowed loop below keeps a short prologue.
RESIZEMIX_TARGET_AVX2 __attribute__((noinline)) inline void horizontal_u8_rgb_from(const std::uint8_t* row,
                                                                                  index_t x, index_t out_width,
                                                                                  const u8_row_taps& taps,
                                                                                  std::uint16_t* out) {
    constexpr char z = -128;  // pshufb: a set high bit writes zero
    const __m256i first_bytes = _mm256_setr_epi8(z, 0, z, 1, z, 2, z, 8, z, 9, z, 10, z, z, z, z,  //
                                                 z, 0, z, 1, z, 2, z, 8, z, 9, z, 10, z, z, z, z);
    const __m256i second_bytes = _mm256_setr_epi8(z, 3, z, 4, z, 5, z, 11, z, 12, z, 13, z, z, z, z,  //
                                                  z, 3, z, 4, z, 5, z, 11, z, 12, z, 13, z, z, z, z);
    // Local copies: the stores below may alias anything, so fields read through `taps` would be reloaded.
    const index_t* first = taps.first;
    const std::uint16_t* share = taps.share;
    const index_t wide_load_end = taps.wide_load_end;
    for (; x + 4 <= wide_load_end; x += 4) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 3 * x),
                            blend_rgb(load_four_pixels(row, first, x), first_bytes, second_bytes,
                                      rgb_shares(share + 3 * x)));
    }
    for (; x < out_width; x += 4) {
        const __m256i pixels = gather_four_pixels<3>(row, taps, x, std::min<index_t>(4, out_width - x));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 3 * x),
                            blend_rgb(pixels, first_bytes, second_bytes, rgb_shares(share + 3 * x)));
    }
}

/// Three channels: planned 16-byte windows (plan_u8_windows: one load per two
/// pixels, masks and shares per group of four), the rest of the row, if any,
/// through horizontal_u8_rgb_from.
RESIZEMIX_TARGET_AVX2 inline void horizontal_u8_rgb(const std::uint8_t* row, index_t, index_t out_width,
                                                    const u8_row_taps& taps, std::uint8_t*, std::uint8_t*,
                                                    std::uint16_t* out) {
    const u8_window_group* group = taps.windows;
    const index_t window_end = taps.window_end;
    std::uint16_t* destination = out;
    for (index_t x = 0; x < window_end; x += 4, ++group, destination += 12) {
        const __m256i pixels = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + group->low))),
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + group->high)), 1);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(destination),
                            blend_rgb(pixels, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(group->first_mask)),
                                      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(group->second_mask)),
                                      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(group->share))));
    }
    if (window_end < out_width) horizontal_u8_rgb_from(row, window_end, out_width, taps, out);
}

/// Four channels, four pixels a step: as for three, with no gaps to pack.
RESIZEMIX_TARGET_AVX2 inline __m256i blend_rgba(__m256i pixels, const std::uint16_t* share) {
    constexpr char z = -128;
    const __m256i first_bytes = _mm256_setr_epi8(z, 0, z, 1, z, 2, z, 3, z, 8, z, 9, z, 10, z, 11,  //
                                                 z, 0, z, 1, z, 2, z, 3, z, 8, z, 9, z, 10, z, 11);
    const __m256i second_bytes = _mm256_setr_epi8(z, 4, z, 5, z, 6, z, 7, z, 12, z, 13, z, 14, z, 15,  //
                                                  z, 4, z, 5, z, 6, z, 7, z, 12, z, 13, z, 14, z, 15);
    return lerp_q16(_mm256_shuffle_epi8(pixels, first_bytes), _mm256_shuffle_epi8(pixels, second_bytes),
                    _mm256_loadu_si256(reinterpret_cast<const __m256i*>(share)));
}

RESIZEMIX_TARGET_AVX2 inline void horizontal_u8_rgba(const std::uint8_t* row, index_t, index_t out_width,
                                                     const u8_row_taps& taps, std::uint8_t*, std::uint8_t*,
                                                     std::uint16_t* out) {
    index_t x = 0;
    for (; x + 4 <= taps.wide_load_end; x += 4) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 4 * x),
                            blend_rgba(load_four_pixels(row, taps.first, x), taps.share + 4 * x));
    }
    for (; x < out_width; x += 4) {
        const __m256i pixels = gather_four_pixels<4>(row, taps, x, std::min<index_t>(4, out_width - x));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 4 * x), blend_rgba(pixels, taps.share + 4 * x));
    }
}

/// One channel: tap pairs gathered with 2-byte loads, then split and blended 16 at a time.
RESIZEMIX_TARGET_AVX2 inline void horizontal_u8_gray(const std::uint8_t* row, index_t, index_t out_width,
                                                     const u8_row_taps& taps, std::uint8_t* pairs_row, std::uint8_t*,
                                                     std::uint16_t* out) {
    gather_u8_pairs(row, out_width, taps, pairs_row);
    const __m256i high_bytes = _mm256_set1_epi16(static_cast<short>(0xFF00));
    for (index_t j = 0; j < out_width; j += 16) {
        const __m256i pairs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(pairs_row + 2 * j));
        const __m256i share = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(taps.share + j));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j),
                            lerp_q16(_mm256_slli_epi16(pairs, 8), _mm256_and_si256(pairs, high_bytes), share));
    }
}

/// Any other channel count: taps gathered into two byte rows, then blended 16 at a time.
RESIZEMIX_TARGET_AVX2 inline void horizontal_u8_any(const std::uint8_t* row, index_t channels, index_t out_width,
                                                    const u8_row_taps& taps, std::uint8_t* taps_first,
                                                    std::uint8_t* taps_second, std::uint16_t* out) {
    gather_u8_taps<0>(row, channels, out_width, taps, taps_first, taps_second);
    const index_t n = out_width * channels;
    for (index_t j = 0; j < n; j += 16) {
        const __m256i first = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(taps_first + j)));
        const __m256i second = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(taps_second + j)));
        const __m256i share = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(taps.share + j));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j),
                            lerp_q16(_mm256_slli_epi16(first, 8), _mm256_slli_epi16(second, 8), share));
    }
}

/// 32 output bytes from 32 elements of the two rows at j.
RESIZEMIX_TARGET_AVX2 inline __m256i vertical_u8_block(const std::uint16_t* top, const std::uint16_t* bottom,
                                                       __m256i weight, index_t j) {
    const __m256i half = _mm256_set1_epi16(128);
    const auto* t = reinterpret_cast<const __m256i*>(top + j);
    const auto* b = reinterpret_cast<const __m256i*>(bottom + j);
    const __m256i low = lerp_q16(_mm256_loadu_si256(t), _mm256_loadu_si256(b), weight);
    const __m256i high = lerp_q16(_mm256_loadu_si256(t + 1), _mm256_loadu_si256(b + 1), weight);
    // packus works within 128-bit lanes: put the four quarters back in order.
    return _mm256_permute4x64_epi64(_mm256_packus_epi16(_mm256_srli_epi16(_mm256_add_epi16(low, half), 8),
                                                        _mm256_srli_epi16(_mm256_add_epi16(high, half), 8)),
                                    _MM_SHUFFLE(3, 1, 2, 0));
}

/// Whole blocks of 32, then the last 32 bytes of the row once more (overlapping
/// the previous block with the same values) instead of a partial store.
RESIZEMIX_TARGET_AVX2 inline void vertical_u8(const std::uint16_t* top, const std::uint16_t* bottom,
                                              std::uint16_t share, std::uint8_t* out, index_t n) {
    const __m256i weight = _mm256_set1_epi16(static_cast<short>(share));
    if (n < 32) {
        std::uint8_t rest[32];
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(rest), vertical_u8_block(top, bottom, weight, 0));
        std::memcpy(out, rest, static_cast<std::size_t>(n));
        return;
    }
    index_t j = 0;
    for (; j + 32 <= n; j += 32) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j), vertical_u8_block(top, bottom, weight, j));
    }
    if (j < n) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + n - 32), vertical_u8_block(top, bottom, weight, n - 32));
    }
}

RESIZEMIX_NO_CONTRACT_BEGIN

/// The tap pairs of outputs a and b (8 bytes each) as the low and high half of a lane.
RESIZEMIX_TARGET_AVX2 inline __m128 load_pairs(const float* a, const float* b) {
    return _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(a)),
                        reinterpret_cast<const __m64*>(b));
}

/// Eight outputs a step: eight 8-byte tap-pair loads, two in-lane shuffles to
/// split them, two multiplies and an add.
RESIZEMIX_TARGET_AVX2 inline void horizontal_f32(const float* row, index_t out_width, const f32_row_taps& taps,
                                                 float* /*scratch*/, float* out) {
    RESIZEMIX_NO_CONTRACT
    const index_t* first = taps.first;
    index_t x = 0;
    for (; x + 8 <= taps.adjacent_end; x += 8) {
        // Lanes [x, x+1, x+4, x+5] and [x+2, x+3, x+6, x+7]: the shuffles then yield x .. x+7 in order.
        const __m256 even = _mm256_insertf128_ps(
            _mm256_castps128_ps256(load_pairs(row + first[x], row + first[x + 1])),
            load_pairs(row + first[x + 4], row + first[x + 5]), 1);
        const __m256 odd = _mm256_insertf128_ps(
            _mm256_castps128_ps256(load_pairs(row + first[x + 2], row + first[x + 3])),
            load_pairs(row + first[x + 6], row + first[x + 7]), 1);
        const __m256 left = _mm256_shuffle_ps(even, odd, _MM_SHUFFLE(2, 0, 2, 0));
        const __m256 right = _mm256_shuffle_ps(even, odd, _MM_SHUFFLE(3, 1, 3, 1));
        _mm256_storeu_ps(out + x, _mm256_add_ps(_mm256_mul_ps(left, _mm256_loadu_ps(taps.weight_first + x)),
                                                _mm256_mul_ps(right, _mm256_loadu_ps(taps.weight_second + x))));
    }
    horizontal_f32_tail(row, x, out_width, taps, out);
}

RESIZEMIX_TARGET_AVX2 inline void vertical_f32(const float* top, const float* bottom, float weight_top,
                                               float weight_bottom, float* out, index_t n) {
    RESIZEMIX_NO_CONTRACT
    const __m256 wt = _mm256_set1_ps(weight_top);
    const __m256 wb = _mm256_set1_ps(weight_bottom);
    index_t j = 0;
    for (; j + 8 <= n; j += 8) {
        _mm256_storeu_ps(out + j, _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(top + j), wt),
                                                _mm256_mul_ps(_mm256_loadu_ps(bottom + j), wb)));
    }
    vertical_f32_tail(top, bottom, weight_top, weight_bottom, j, n, out);
}

RESIZEMIX_NO_CONTRACT_END

inline constexpr bilinear_row_kernels kernels{
    {&horizontal_u8_any, &horizontal_u8_gray, &horizontal_u8_rgb, &horizontal_u8_rgba},
    &vertical_u8,
    &horizontal_f32,
    &vertical_f32,
    true,
};

}  // namespace avx2
}  // namespace resizemix::detail

#undef RESIZEMIX_TARGET_SSE2
#undef RESIZEMIX_TARGET_AVX2

#endif  // RESIZEMIX_X86_KERNELS
