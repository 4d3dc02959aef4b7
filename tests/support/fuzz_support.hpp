// tests/support/fuzz_support.hpp: what the resizemix fuzz targets share.
//
// byte_reader turns the fuzzer's bytes into parameters, front to back (so seed
// files are easy to write: a few parameter bytes, then pixels). strided_buffer
// lays a view out in memory with any axis order, padding and negative strides,
// fills everything that is not a view element with a sentinel, and checks after
// each call that nothing outside the view was written (guard bands before and
// after the buffer, and every padding element in between).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <numeric>
#include <span>
#include <type_traits>
#include <vector>

#include <resizemix/view.hpp>

/// Keeps libFuzzer's coverage instrumentation out of the harness's own loops
/// (guards, references, fills): faster runs, and coverage that measures the library.
#if defined(__clang__)
#define RESIZEMIX_FUZZ_HARNESS __attribute__((no_sanitize("coverage")))
#else
#define RESIZEMIX_FUZZ_HARNESS
#endif

namespace fuzz {

using resizemix::index_t;

/// Fails the run (libFuzzer reports it as a crash with the input that caused it).
#define RESIZEMIX_FUZZ_CHECK(condition)                                                                  \
    do {                                                                                                \
        if (!(condition)) {                                                                             \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition);          \
            std::abort();                                                                               \
        }                                                                                               \
    } while (false)

/// With RESIZEMIX_FUZZ_VERBOSE set, tells what a run refused (for reading a reproducer).
inline void note(const char* what, const char* message) {
    static const bool verbose = std::getenv("RESIZEMIX_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "%s: %s\n", what, message);
}

/// Reads parameters from the front of the input; past the end every read gives 0.
class byte_reader {
public:
    explicit byte_reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    std::uint8_t u8() noexcept { return at_ < bytes_.size() ? bytes_[at_++] : 0; }
    std::uint16_t u16() noexcept { return static_cast<std::uint16_t>(u8() | (u8() << 8U)); }
    std::uint32_t u32() noexcept { return u16() | (static_cast<std::uint32_t>(u16()) << 16U); }
    std::uint64_t u64() noexcept { return u32() | (static_cast<std::uint64_t>(u32()) << 32U); }
    bool flag() noexcept { return (u8() & 1U) != 0; }
    /// An integer in [low, high] (low <= high).
    std::int64_t in_range(std::int64_t low, std::int64_t high) noexcept {
        const auto span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
        const std::uint64_t raw = span < 256 ? u8() : span < 65536 ? u16() : span < (1ULL << 32U) ? u32() : u64();
        return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + (span == ~0ULL ? raw : raw % (span + 1)));
    }
    /// Any float bit pattern (NaN, infinities and denormals included).
    float raw_float() noexcept {
        const std::uint32_t bits = u32();
        float value = 0.0f;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }
    /// A float that is usually interesting: 0, 1, tiny, huge, NaN, infinities, or any bit pattern.
    float special_float() noexcept {
        switch (u8() % 12U) {
            case 0: return 0.0f;
            case 1: return 1.0f;
            case 2: return -1.0f;
            case 3: return std::numeric_limits<float>::quiet_NaN();
            case 4: return std::numeric_limits<float>::infinity();
            case 5: return -std::numeric_limits<float>::infinity();
            case 6: return std::numeric_limits<float>::denorm_min();
            case 7: return std::numeric_limits<float>::max();
            case 8: return -0.0f;
            case 9: return static_cast<float>(u8()) / 255.0f;
            default: return raw_float();
        }
    }
    /// The next `count` bytes (fewer at the end of the input).
    std::span<const std::uint8_t> take(std::size_t count) noexcept {
        const std::size_t n = std::min(count, bytes_.size() - at_);
        const auto result = bytes_.subspan(at_, n);
        at_ += n;
        return result;
    }
    std::span<const std::uint8_t> rest() noexcept { return take(bytes_.size() - at_); }
    [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - at_; }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

/// How a rank-R view lies in memory: which axis is innermost, padding after each
/// axis's run, and which axes run backwards (negative strides).
template <std::size_t Rank>
struct layout {
    std::array<std::size_t, Rank> order{};  ///< order[0] is the innermost axis
    std::array<index_t, Rank> padding{};    ///< extra elements after each run of an axis
    std::array<bool, Rank> reversed{};

    /// A layout drawn from the input: any axis order, padding 0-3, any axes reversed.
    static layout draw(byte_reader& in) {
        layout result;
        std::iota(result.order.begin(), result.order.end(), std::size_t{0});
        std::reverse(result.order.begin(), result.order.end());  // row-major (CHW / NCHW) by default
        const std::uint8_t shape = in.u8();
        if ((shape & 1U) != 0) {
            // Interleaved (HWC / NHWC): channel innermost, then x, then y, then the sample axis.
            result.order[0] = Rank - 3;
            result.order[1] = Rank - 1;
            result.order[2] = Rank - 2;
            if constexpr (Rank == 4) result.order[3] = 0;
        }
        if ((shape & 2U) != 0) {
            for (std::size_t permutations = in.u8() % 24U; permutations > 0; --permutations) {
                std::next_permutation(result.order.begin(), result.order.end());
            }
        }
        const std::uint8_t pads = (shape & 4U) != 0 ? in.u8() : 0;
        const std::uint8_t flips = (shape & 8U) != 0 ? in.u8() : 0;
        for (std::size_t r = 0; r < Rank; ++r) {
            result.padding[r] = (pads >> (2U * r % 8U)) & 3U;
            result.reversed[r] = ((flips >> r) & 1U) != 0;
        }
        return result;
    }
};

/// One buffer holding a view of `extents` in `how` layout, with `guard` sentinel
/// elements before and after, and sentinels in every gap between view elements.
template <class T, std::size_t Rank>
class strided_buffer {
public:
    static constexpr std::size_t guard = 16;

    RESIZEMIX_FUZZ_HARNESS strided_buffer(const std::array<index_t, Rank>& extents, const layout<Rank>& how)
        : extents_(extents) {
        index_t run = 1;
        for (const std::size_t axis : how.order) {
            strides_[axis] = run;
            run = run * extents_[axis] + how.padding[axis];
        }
        index_t origin = 0;
        for (std::size_t r = 0; r < Rank; ++r) {
            if (how.reversed[r]) {
                origin += (extents_[r] - 1) * strides_[r];
                strides_[r] = -strides_[r];
            }
        }
        storage_.assign(static_cast<std::size_t>(run) + 2 * guard, sentinel());
        origin_ = static_cast<std::size_t>(origin) + guard;
        in_view_.assign(storage_.size(), 0);
        for_each_offset([&](std::size_t offset) { in_view_[offset] = 1; });
    }

    /// The value no view element may hold in a gap or guard: a byte pattern, or a signalling NaN.
    static T sentinel() noexcept {
        if constexpr (std::is_same_v<T, std::uint8_t>) {
            return 0xA5;
        } else {
            const std::uint32_t bits = 0x7FA5A5A5U;
            T value{};
            std::memcpy(&value, &bits, sizeof value);
            return value;
        }
    }

    [[nodiscard]] T* origin() noexcept { return storage_.data() + origin_; }
    [[nodiscard]] const std::array<index_t, Rank>& strides() const noexcept { return strides_; }
    [[nodiscard]] const std::array<index_t, Rank>& extents() const noexcept { return extents_; }
    [[nodiscard]] std::vector<T>& storage() noexcept { return storage_; }

    /// Calls f(offset into storage) for every view element, in logical order.
    template <class F>
    RESIZEMIX_FUZZ_HARNESS void for_each_offset(F&& f) const {
        std::array<index_t, Rank> index{};
        const auto total = std::accumulate(extents_.begin(), extents_.end(), index_t{1}, std::multiplies<>());
        for (index_t k = 0; k < total; ++k) {
            index_t offset = static_cast<index_t>(origin_);
            for (std::size_t r = 0; r < Rank; ++r) offset += index[r] * strides_[r];
            f(static_cast<std::size_t>(offset));
            for (std::size_t r = Rank; r-- > 0;) {
                if (++index[r] < extents_[r]) break;
                index[r] = 0;
            }
        }
    }

    /// True when every element outside the view still holds the sentinel (bitwise).
    [[nodiscard]] RESIZEMIX_FUZZ_HARNESS bool outside_untouched() const {
        const T expected = sentinel();
        for (std::size_t i = 0; i < storage_.size(); ++i) {
            if (!in_view_[i] && std::memcmp(&storage_[i], &expected, sizeof(T)) != 0) {
                std::fprintf(stderr, "element %zu of %zu (guard %zu, view origin %zu) outside the view was written\n",
                             i, storage_.size(), guard, origin_);
                return false;
            }
        }
        return true;
    }

private:
    std::array<index_t, Rank> extents_{};
    std::array<index_t, Rank> strides_{};
    std::vector<T> storage_;
    std::vector<std::uint8_t> in_view_;  // 1 where a view element lives
    std::size_t origin_ = 0;
};

/// An image buffer and its view.
template <class T>
struct image_buffer {
    strided_buffer<T, 3> memory;
    resizemix::image_view<T> view;

    image_buffer(index_t channels, index_t height, index_t width, const layout<3>& how)
        : memory({channels, height, width}, how),
          view(memory.origin(), channels, height, width, memory.strides()[0], memory.strides()[1],
               memory.strides()[2]) {}
};

/// Bitwise equality of two pixel values (NaN payloads included).
template <class T>
bool same_bits(T a, T b) noexcept {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

/// Bitwise equality of two buffers.
template <class T>
RESIZEMIX_FUZZ_HARNESS bool same_storage(const std::vector<T>& a, const std::vector<T>& b) noexcept {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

/// Pixel values from the input: raw bytes for uint8; for float, either levels
/// in [0, 1] or (when `special`) any value, NaN and infinities included.
template <class T>
RESIZEMIX_FUZZ_HARNESS void fill_pixels(resizemix::image_view<T> view, byte_reader& in, bool special) {
    std::uint64_t state = in.u64() | 1U;
    for (index_t c = 0; c < view.channels(); ++c)
        for (index_t y = 0; y < view.height(); ++y)
            for (index_t x = 0; x < view.width(); ++x) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                const auto noise = static_cast<std::uint8_t>(state >> 56U);
                const std::uint8_t byte = in.remaining() > 0 ? in.u8() : noise;
                if constexpr (std::is_same_v<T, std::uint8_t>) {
                    view(c, y, x) = byte;
                } else if (special && (byte & 0x0FU) == 0) {
                    view(c, y, x) = in.special_float();
                } else {
                    view(c, y, x) = static_cast<float>(byte) / 255.0f;
                }
            }
}

}  // namespace fuzz
