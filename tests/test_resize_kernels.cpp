// Tests for the bilinear kernels (resizemix/detail/resize_kernels.hpp) and the
// in-place order of mix_batch: the direct (contiguous-row) path and the staged
// (generic strided) path give the same bytes over random sizes, strides and
// both pixel types; both stay within the stated distance of an exact double
// reference; and in-place mixing that renders most patches straight into
// place equals out-of-place mixing for every pairing, mixer and thread count.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/batch.hpp>
#include <resizemix/compose.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/mixers/mixup.hpp>
#include <resizemix/mixers/resizemix.hpp>
#include <resizemix/resize.hpp>

#include "support.hpp"

using namespace resizemix;

namespace {

/// The memory layouts a view can have: each one takes a different route through resize().
enum class layout { hwc_dense, hwc_crop, chw_dense, chw_crop, flipped, every_other_column };
constexpr layout all_layouts[] = {layout::hwc_dense, layout::chw_dense, layout::hwc_crop,
                                  layout::chw_crop,  layout::flipped,   layout::every_other_column};

const char* name_of(layout l) {
    switch (l) {
        case layout::hwc_dense: return "HWC dense";
        case layout::hwc_crop: return "HWC crop";
        case layout::chw_dense: return "CHW dense";
        case layout::chw_crop: return "CHW crop";
        case layout::flipped: return "HWC, negative row and column strides";
        case layout::every_other_column: return "CHW, column stride 2";
    }
    return "?";
}

/// Owning storage (zero-filled, with margins) and a view of `channels x height x width` in layout `l`.
template <class T>
struct laid_out {
    std::vector<T> storage;
    image_view<T> view;

    laid_out(layout l, index_t channels, index_t height, index_t width) {
        switch (l) {
            case layout::hwc_dense:
                storage.assign(static_cast<std::size_t>(channels * height * width), T{});
                view = from_hwc(storage.data(), height, width, channels);
                break;
            case layout::chw_dense:
                storage.assign(static_cast<std::size_t>(channels * height * width), T{});
                view = from_chw(storage.data(), channels, height, width);
                break;
            case layout::hwc_crop:  // 2 columns and 1 row of margin before, 3 and 2 after
                storage.assign(static_cast<std::size_t>(channels * (height + 3) * (width + 5)), T{});
                view = from_hwc(storage.data(), height + 3, width + 5, channels).subview(box{2, 1, width, height});
                break;
            case layout::chw_crop:
                storage.assign(static_cast<std::size_t>(channels * (height + 2) * (width + 4)), T{});
                view = from_chw(storage.data(), channels, height + 2, width + 4).subview(box{3, 1, width, height});
                break;
            case layout::flipped:  // element (c, y, x) at HWC position (height-1-y, width-1-x)
                storage.assign(static_cast<std::size_t>(channels * height * width), T{});
                view = from_strides(storage.data() + ((height - 1) * width + (width - 1)) * channels, channels, height,
                                    width, 1, -width * channels, -channels);
                break;
            case layout::every_other_column:
                storage.assign(static_cast<std::size_t>(channels * height * width * 2), T{});
                view = from_strides(storage.data(), channels, height, width, height * width * 2, width * 2, 2);
                break;
        }
    }
    laid_out(const laid_out&) = delete;
    laid_out& operator=(const laid_out&) = delete;
};

/// Fixture noise for `seed`, the same image in every layout.
template <class T>
void fill_noise(image_view<T> view, std::uint64_t seed) {
    test_support::fixture_random random(seed);
    test_support::fill_noise(view, random);
}

/// The first logical position where two views differ in their bytes, or "" when identical.
template <class T>
std::string first_difference(image_view<const T> a, image_view<const T> b) {
    for (index_t c = 0; c < a.channels(); ++c)
        for (index_t y = 0; y < a.height(); ++y)
            for (index_t x = 0; x < a.width(); ++x)
                if (std::memcmp(&a(c, y, x), &b(c, y, x), sizeof(T)) != 0) {
                    return "(c, y, x) = (" + std::to_string(c) + ", " + std::to_string(y) + ", " + std::to_string(x) +
                           "): " + std::to_string(static_cast<double>(a(c, y, x))) + " vs " +
                           std::to_string(static_cast<double>(b(c, y, x)));
                }
    return "";
}

/// The exact bilinear value at output (c, y, x), in double, straight from the definition:
/// src = (dst + 0.5) * in / out - 0.5 clamped to [0, in - 1], two taps per axis.
template <class T>
double exact_bilinear(image_view<const T> source, index_t out_height, index_t out_width, index_t c, index_t y,
                      index_t x) {
    auto taps = [](index_t in, index_t out, index_t d, index_t& first, double& fraction) {
        const double s = std::clamp((static_cast<double>(d) + 0.5) * static_cast<double>(in) / static_cast<double>(out) - 0.5,
                                    0.0, static_cast<double>(in - 1));
        first = static_cast<index_t>(std::floor(s));
        fraction = s - static_cast<double>(first);
    };
    index_t x0 = 0;
    index_t y0 = 0;
    double fx = 0.0;
    double fy = 0.0;
    taps(source.width(), out_width, x, x0, fx);
    taps(source.height(), out_height, y, y0, fy);
    const index_t x1 = std::min(x0 + 1, source.width() - 1);
    const index_t y1 = std::min(y0 + 1, source.height() - 1);
    auto at = [&](index_t yy, index_t xx) { return static_cast<double>(source(c, yy, xx)); };
    return (1.0 - fy) * ((1.0 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1.0 - fx) * at(y1, x0) + fx * at(y1, x1));
}

template <class T>
double worst_error(image_view<const T> source, image_view<const T> result) {
    double worst = 0.0;
    for (index_t c = 0; c < result.channels(); ++c)
        for (index_t y = 0; y < result.height(); ++y)
            for (index_t x = 0; x < result.width(); ++x) {
                const double exact = exact_bilinear(source, result.height(), result.width(), c, y, x);
                worst = std::max(worst, std::abs(static_cast<double>(result(c, y, x)) - exact));
            }
    return worst;
}

}  // namespace

TEMPLATE_TEST_CASE("bilinear: direct and staged (generic strided) paths give the same bytes in every layout",
                   "[resize][kernels]", std::uint8_t, float) {
    test_support::fixture_random sizes(4242);
    for (int trial = 0; trial < 24; ++trial) {
        // Channel counts 1, 3 and 4 have their own kernels; 2 and 5 take the general one.
        const index_t channels = std::vector<index_t>{1, 2, 3, 3, 4, 5}[static_cast<std::size_t>(trial % 6)];
        const index_t in_height = sizes.between(1, 40);
        const index_t in_width = sizes.between(1, 40);
        // Mostly downscaling, as ResizeMix does, but upscaling and equal sizes too.
        const index_t out_height = trial % 4 == 3 ? sizes.between(1, 70) : sizes.between(1, in_height);
        const index_t out_width = trial % 4 == 3 ? sizes.between(1, 70) : sizes.between(1, in_width);
        CAPTURE(trial, channels, in_height, in_width, out_height, out_width);

        // The reference: dense HWC in, dense HWC out, whatever path resize() picks.
        laid_out<TestType> reference_source(layout::hwc_dense, channels, in_height, in_width);
        fill_noise(reference_source.view, static_cast<std::uint64_t>(trial));
        laid_out<TestType> reference(layout::hwc_dense, channels, out_height, out_width);
        resize(image_view<const TestType>(reference_source.view), reference.view);

        for (const layout from : all_layouts) {
            laid_out<TestType> source(from, channels, in_height, in_width);
            copy(image_view<const TestType>(reference_source.view), source.view);
            for (const layout to : all_layouts) {
                CAPTURE(name_of(from), name_of(to));
                laid_out<TestType> direct(to, channels, out_height, out_width);
                resize(image_view<const TestType>(source.view), direct.view);
                // Layouts without contiguous rows (flipped, every other column) take the staged
                // path: every combination of direct and staged rows meets the dense reference.
                CHECK(first_difference<TestType>(direct.view, reference.view).empty());
                // The margins around a crop are never written.
                if (to == layout::hwc_crop || to == layout::chw_crop) {
                    const auto nonzero = std::count_if(direct.storage.begin(), direct.storage.end(),
                                                       [](TestType v) { return v != TestType{}; });
                    const auto inside = std::count_if(reference.storage.begin(), reference.storage.end(),
                                                      [](TestType v) { return v != TestType{}; });
                    CHECK(nonzero == inside);
                }
            }
        }
    }
}

TEMPLATE_TEST_CASE("bilinear: every kernel path this CPU runs gives the portable path's bytes", "[resize][kernels][isa]",
                   std::uint8_t, float) {
    std::vector<detail::isa> vector_paths;
    for (const detail::isa path : detail::all_isas)
        if (path != detail::isa::portable && detail::cpu_supports(path)) vector_paths.push_back(path);
    CAPTURE(vector_paths.size());
    test_support::fixture_random sizes(2024);
    for (int trial = 0; trial < 48; ++trial) {
        const index_t channels = std::vector<index_t>{1, 2, 3, 3, 4, 5}[static_cast<std::size_t>(trial % 6)];
        // Small sizes (tails, one-pixel axes) and a few wide rows (many whole vector steps).
        const index_t limit = trial % 8 == 7 ? 300 : 40;
        const index_t in_height = sizes.between(1, limit);
        const index_t in_width = sizes.between(1, limit);
        const bool upscale = trial % 3 == 2;
        const index_t out_height = upscale ? sizes.between(1, 2 * limit) : sizes.between(1, in_height);
        const index_t out_width = upscale ? sizes.between(1, 2 * limit) : sizes.between(1, in_width);
        const layout from = all_layouts[static_cast<std::size_t>(trial) % std::size(all_layouts)];
        const layout to = all_layouts[static_cast<std::size_t>(trial / 6 + trial) % std::size(all_layouts)];
        CAPTURE(trial, channels, in_height, in_width, out_height, out_width, name_of(from), name_of(to));

        laid_out<TestType> source(from, channels, in_height, in_width);
        fill_noise(source.view, static_cast<std::uint64_t>(500 + trial));
        laid_out<TestType> expected(to, channels, out_height, out_width);
        detail::resize_bilinear<TestType>(source.view, expected.view, detail::isa::portable);
        for (const detail::isa path : vector_paths) {
            CAPTURE(detail::name_of(path));
            laid_out<TestType> result(to, channels, out_height, out_width);
            detail::resize_bilinear<TestType>(source.view, result.view, path);
            CHECK(first_difference<TestType>(result.view, expected.view).empty());
            // Whole-vector stores never reach past the destination (crop margins stay zero).
            CHECK(std::memcmp(result.storage.data(), expected.storage.data(),
                              result.storage.size() * sizeof(TestType)) == 0);
        }
    }
}

TEST_CASE("uint8 three-channel windows: every planned mask byte picks the tap it stands for", "[resize][kernels]") {
    // Emulates the byte shuffle (a mask byte with its high bit set gives 0, else window[byte & 15]) on the
    // planned windows, so the planner is checked on every CPU, whether or not it has a path that reads them.
    test_support::fixture_random sizes(77);
    for (int trial = 0; trial < 200; ++trial) {
        const index_t in_width = sizes.between(1, 90);
        const index_t out_width = sizes.between(1, trial % 5 == 4 ? 2 * in_width + 1 : in_width);
        CAPTURE(trial, in_width, out_width);
        detail::linear_axis axis;
        detail::plan_linear_axis<std::uint8_t>(axis, in_width, out_width);
        std::vector<index_t> first(static_cast<std::size_t>(out_width));
        std::vector<index_t> second(first.size());
        std::vector<std::uint16_t> share(static_cast<std::size_t>(detail::row_capacity(3 * out_width)));
        for (std::size_t x = 0; x < first.size(); ++x) {
            first[x] = 3 * axis.first[x];
            second[x] = 3 * axis.second[x];
            for (std::size_t c = 0; c < 3; ++c) share[3 * x + c] = axis.share_q16[x];
        }
        const detail::u8_row_taps taps{first.data(), second.data(), share.data(), axis.adjacent_end, 0};
        std::vector<detail::u8_window_group> groups(static_cast<std::size_t>(out_width / 4 + 1));
        const index_t covered = detail::plan_u8_windows(taps, out_width, 3 * in_width, groups.data());
        CAPTURE(covered);
        CHECK((covered == out_width || covered % 4 == 0));
        // Downscaling by up to 3x from rows of at least 16 bytes is covered whole.
        if (3 * in_width >= 16 && in_width <= 3 * out_width - 3) CHECK(covered == out_width);
        for (index_t x = 0; x < covered; ++x) {
            const detail::u8_window_group& group = groups[static_cast<std::size_t>(x / 4)];
            const index_t lane = (x % 4) / 2;
            const index_t base = lane == 0 ? group.low : group.high;
            REQUIRE(base >= 0);
            REQUIRE(base + 16 <= 3 * in_width);
            for (index_t c = 0; c < 3; ++c) {
                const index_t slot = 8 * lane + 3 * (x % 2) + c;  // 16-bit lane of (x, c)
                auto picked = [&](const std::uint64_t* mask) {
                    std::uint8_t bytes[32];
                    std::memcpy(bytes, mask, sizeof bytes);
                    const std::uint8_t low = bytes[2 * slot];
                    const std::uint8_t high = bytes[2 * slot + 1];
                    CHECK((low & 0x80U) != 0);  // the low byte of every lane is zero
                    return (high & 0x80U) != 0 ? index_t{-1} : base + (high & 15);
                };
                CAPTURE(x, c);
                CHECK(picked(group.first_mask) == first[static_cast<std::size_t>(x)] + c);
                CHECK(picked(group.second_mask) == second[static_cast<std::size_t>(x)] + c);
                CHECK(group.share[slot] == share[static_cast<std::size_t>(3 * x + c)]);
            }
        }
    }
}

TEST_CASE("bilinear: every kernel path gives the portable bytes on three-channel rows at every scale",
          "[resize][kernels][isa]") {
    // The AVX2 three-channel kernel switches between planned windows (down to a third), 8-byte loads
    // and a gather at the row's end: every width from 1 to 60, scales from 4x up to 4x down.
    std::vector<detail::isa> vector_paths;
    for (const detail::isa path : detail::all_isas)
        if (path != detail::isa::portable && detail::cpu_supports(path)) vector_paths.push_back(path);
    test_support::fixture_random sizes(99);
    for (index_t in_width = 1; in_width <= 60; ++in_width) {
        const index_t out_width = std::max<index_t>(1, in_width * sizes.between(25, 400) / 100);
        CAPTURE(in_width, out_width);
        laid_out<std::uint8_t> source(layout::hwc_dense, 3, 3, in_width);
        fill_noise(source.view, static_cast<std::uint64_t>(in_width));
        laid_out<std::uint8_t> expected(layout::hwc_crop, 3, 2, out_width);
        detail::resize_bilinear<std::uint8_t>(source.view, expected.view, detail::isa::portable);
        for (const detail::isa path : vector_paths) {
            CAPTURE(detail::name_of(path));
            laid_out<std::uint8_t> result(layout::hwc_crop, 3, 2, out_width);
            detail::resize_bilinear<std::uint8_t>(source.view, result.view, path);
            CHECK(result.storage == expected.storage);
        }
    }
}

TEST_CASE("the thread's bilinear workspace lets go of a huge image's rows once calls are small again",
          "[resize][kernels]") {
    // A 1 x 1 x 300000 float row needs several times workspace_keep_bytes of staging and taps.
    std::vector<float> wide(300000, 1.0f);
    std::vector<float> wide_out(200000);
    detail::resize_bilinear<float>(from_chw(wide.data(), 1, 1, 300000), from_chw(wide_out.data(), 1, 1, 200000));
    const std::size_t huge = detail::thread_workspace().capacity_bytes();
    CHECK(huge > detail::workspace_keep_bytes);
    std::vector<float> small(3 * 32 * 32, 0.5f);
    std::vector<float> small_out(3 * 20 * 20);
    detail::resize_bilinear<float>(from_chw(small.data(), 3, 32, 32), from_chw(small_out.data(), 3, 20, 20));
    // Every buffer above workspace_keep_bytes went; the ones below it are a small share.
    CHECK(detail::thread_workspace().capacity_bytes() < huge / 8);
    CHECK(small_out[0] == 0.5f);
    // Rows of ordinary sizes are kept: the next call allocates nothing.
    const std::size_t kept = detail::thread_workspace().capacity_bytes();
    detail::resize_bilinear<float>(from_chw(small.data(), 3, 32, 32), from_chw(small_out.data(), 3, 20, 20));
    CHECK(detail::thread_workspace().capacity_bytes() == kept);
}

TEST_CASE("RESIZEMIX_ISA names a kernel path; the chosen one runs on this CPU", "[resize][kernels][isa]") {
    CHECK(detail::cpu_supports(detail::isa::portable));
    CHECK(detail::cpu_supports(detail::active_isa()));
    CHECK(detail::cpu_supports(detail::best_isa()));
    for (const detail::isa path : detail::all_isas) CHECK(detail::name_of(path) != std::string("?"));
#if defined(__x86_64__)
    CHECK(detail::cpu_supports(detail::isa::sse2));  // the x86-64 baseline
#endif
    // Under CI's forced runs (RESIZEMIX_ISA=...) the process really uses the named path.
    if (const char* forced = std::getenv("RESIZEMIX_ISA"); forced != nullptr && *forced != '\0') {
        CHECK(detail::name_of(detail::active_isa()) == std::string(forced));
    } else {
        CHECK(detail::active_isa() == detail::best_isa());
    }
    // An unknown name is an error, not a silent fallback (the process's choice is already made).
    const std::string saved = std::getenv("RESIZEMIX_ISA") != nullptr ? std::getenv("RESIZEMIX_ISA") : "";
    ::setenv("RESIZEMIX_ISA", "mmx", 1);
    CHECK_THROWS_WITH(detail::isa_from_environment(),
                      "RESIZEMIX_ISA: unknown kernel path mmx (expected portable, sse2 or avx2)");
    ::setenv("RESIZEMIX_ISA", "portable", 1);
    CHECK(detail::isa_from_environment() == detail::isa::portable);
    if (saved.empty()) {
        ::unsetenv("RESIZEMIX_ISA");
    } else {
        ::setenv("RESIZEMIX_ISA", saved.c_str(), 1);
    }
}

TEMPLATE_TEST_CASE("bilinear stays within a level (uint8) or 1e-4 (float) of the exact value", "[resize][kernels]",
                   std::uint8_t, float) {
    test_support::fixture_random sizes(77);
    double worst = 0.0;
    for (int trial = 0; trial < 60; ++trial) {
        const index_t channels = sizes.between(1, 4);
        const index_t in_height = sizes.between(1, 64);
        const index_t in_width = sizes.between(1, 64);
        // Scale factors from 1/10 to 3, as ResizeMix (0.1 to 0.8) and general use need.
        const index_t out_height = std::max<index_t>(1, in_height * sizes.between(1, 30) / 10);
        const index_t out_width = std::max<index_t>(1, in_width * sizes.between(1, 30) / 10);
        CAPTURE(trial, channels, in_height, in_width, out_height, out_width);
        laid_out<TestType> source(trial % 2 == 0 ? layout::hwc_dense : layout::chw_crop, channels, in_height, in_width);
        fill_noise(source.view, static_cast<std::uint64_t>(1000 + trial));
        laid_out<TestType> result(trial % 3 == 0 ? layout::chw_dense : layout::hwc_dense, channels, out_height, out_width);
        resize(image_view<const TestType>(source.view), result.view);
        const double error = worst_error<TestType>(source.view, result.view);
        worst = std::max(worst, error);
        if constexpr (std::is_same_v<TestType, std::uint8_t>) {
            CHECK(error <= 1.0);
        } else {
            CHECK(error <= 1e-4);
        }
    }
    if constexpr (std::is_same_v<TestType, std::uint8_t>) {
        // The documented bound: rounding (0.5) plus at most ~0.03 of fixed-point error.
        CHECK(worst <= 0.53);
    }
}

TEST_CASE("uint8 bilinear: worst-case neighbours (0 next to 255) at ResizeMix scales stay within 0.53",
          "[resize][kernels]") {
    // A checkerboard maximises |s1 - s0|, so weight quantisation errors are as large as they get.
    image<std::uint8_t> board(3, 224, 224);
    for (index_t c = 0; c < 3; ++c)
        for (index_t y = 0; y < 224; ++y)
            for (index_t x = 0; x < 224; ++x) board(c, y, x) = ((x + y + c) % 2 == 0) ? 255 : 0;
    double worst = 0.0;
    for (index_t side = 22; side <= 224; side += 13) {
        image<std::uint8_t> small(3, side, side + 1);
        resize(board.const_view(), small.view());
        worst = std::max(worst, worst_error<std::uint8_t>(board.const_view(), small.const_view()));
    }
    CHECK(worst <= 0.53);
}

TEST_CASE("uint8 bilinear is exact where the weights are", "[resize][kernels]") {
    // Halving averages 2x2 blocks exactly and rounds half up; constants stay constant at any scale.
    image<std::uint8_t> source(1, 4, 4);
    const std::uint8_t values[16] = {255, 254, 0, 1, 253, 255, 3, 0, 10, 11, 128, 127, 12, 12, 127, 127};
    for (index_t k = 0; k < 16; ++k) source(0, k / 4, k % 4) = values[k];
    image<std::uint8_t> half(1, 2, 2);
    resize(source.const_view(), half.view());
    CHECK(half(0, 0, 0) == 254);  // 1017 / 4 = 254.25
    CHECK(half(0, 0, 1) == 1);    // 4 / 4
    CHECK(half(0, 1, 0) == 11);   // 45 / 4 = 11.25
    CHECK(half(0, 1, 1) == 127);  // 509 / 4 = 127.25
    for (const std::uint8_t level : {std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{128}, std::uint8_t{254}, std::uint8_t{255}}) {
        image<std::uint8_t> flat(3, 37, 41);
        for (index_t c = 0; c < 3; ++c)
            for (index_t y = 0; y < 37; ++y)
                for (index_t x = 0; x < 41; ++x) flat(c, y, x) = level;
        for (const index_t side : {1, 4, 15, 29, 40, 83}) {
            image<std::uint8_t> out(3, side, side + 2);
            resize(flat.const_view(), out.view());
            const auto wrong = std::count_if(out.data(), out.data() + out.size(), [&](std::uint8_t v) { return v != level; });
            CAPTURE(static_cast<int>(level), side);
            CHECK(wrong == 0);
        }
    }
}

TEMPLATE_TEST_CASE("bilinear on a 224x224 photo-sized batch image: HWC and CHW agree byte for byte",
                   "[resize][kernels]", std::uint8_t, float) {
    laid_out<TestType> hwc(layout::hwc_dense, 3, 224, 224);
    fill_noise(hwc.view, 5);
    laid_out<TestType> chw(layout::chw_dense, 3, 224, 224);
    copy(image_view<const TestType>(hwc.view), chw.view);
    for (const index_t side : {22, 45, 112, 157, 179}) {
        // Straight into a region of a target, as ResizeMix does.
        laid_out<TestType> target_hwc(layout::hwc_dense, 3, 224, 224);
        laid_out<TestType> target_chw(layout::chw_dense, 3, 224, 224);
        const box region{224 - side - 3, 1, side, side};
        resize(image_view<const TestType>(hwc.view), target_hwc.view.subview(region));
        resize(image_view<const TestType>(chw.view), target_chw.view.subview(region));
        CAPTURE(side);
        CHECK(first_difference<TestType>(target_hwc.view, target_chw.view).empty());
    }
}

namespace {

template <class T>
struct owned_batch {
    std::vector<T> pixels;
    batch_view<T> view;
    owned_batch(index_t n, index_t c, index_t h, index_t w, bool interleaved, std::uint64_t seed)
        : pixels(static_cast<std::size_t>(n * c * h * w)) {
        test_support::fixture_random random(seed);
        for (auto& p : pixels) p = test_support::level<T>(static_cast<double>(random.between(0, 255)));
        view = interleaved ? from_nhwc(pixels.data(), n, h, w, c) : from_nchw(pixels.data(), n, c, h, w);
    }
    owned_batch(const owned_batch& other) : pixels(other.pixels) {
        const auto& v = other.view;
        view = batch_view<T>(pixels.data(), v.count(), v.channels(), v.height(), v.width(), v.stride(0), v.stride(1),
                             v.stride(2), v.stride(3));
    }
    owned_batch& operator=(const owned_batch&) = delete;
};

/// ResizeMix without the in-place capability declared: mix_batch must buffer its every patch.
struct opaque_mixer {
    resize_mix inner;
    template <class S, class T, class P>
    mix_info plan(image_view<S> source, image_view<T> target, rng& random, P&& saliency) const {
        return inner.plan(source, target, random, saliency);
    }
    template <class S, class T, class O>
    void render(const mix_info& info, image_view<S> source, image_view<T> target, image_view<O> patch) const {
        inner.render(info, source, target, patch);
    }
};

template <class T, class Mixer>
void check_in_place_equals_out_of_place(const Mixer& mixer, const owned_batch<T>& input, batch_options options,
                                        std::size_t* scratch = nullptr, std::size_t* patches = nullptr) {
    owned_batch<T> out_of_place = input;
    options.threads = 1;
    const auto reference =
        mix_batch(mixer, batch_view<const T>(input.view), {}, out_of_place.view, options);
    for (const unsigned threads : {1U, 2U, 3U}) {
        owned_batch<T> work = input;
        options.threads = threads;
        const auto result = mix_batch(mixer, work.view, {}, work.view, options);
        CAPTURE(threads);
        CHECK(work.pixels == out_of_place.pixels);
        std::size_t patch_elements = 0;
        for (const auto& record : result.samples)
            patch_elements += static_cast<std::size_t>(record.info.box.area() * input.view.channels());
        CHECK(result.scratch_elements <= patch_elements);
        if (threads == 1 && scratch != nullptr) {
            *scratch = result.scratch_elements;
            *patches = patch_elements;
        }
        for (std::size_t i = 0; i < result.samples.size(); ++i) CHECK(result.samples[i].partner == reference.samples[i].partner);
    }
}

}  // namespace

TEMPLATE_TEST_CASE("mix_batch in place: patches rendered straight into place equal out of place", "[batch][kernels]",
                   std::uint8_t, float) {
    const bool interleaved = std::is_same_v<TestType, std::uint8_t>;  // uint8 HWC and float CHW, as trained on
    const owned_batch<TestType> input(12, 3, 20, 24, interleaved, 31);
    batch_options options;
    options.seed = 8;
    SECTION("shuffle (cycles of a random permutation, fixed points included)") {
        for (std::uint64_t seed = 0; seed < 6; ++seed) {
            options.seed = seed;
            check_in_place_equals_out_of_place(resize_mix{}, input, options);
            check_in_place_equals_out_of_place(cut_mix{}, input, options);
            check_in_place_equals_out_of_place(mixup{}, input, options);
        }
    }
    SECTION("flip (2-cycles)") {
        options.pairing = pairing::flip;
        check_in_place_equals_out_of_place(resize_mix{}, input, options);
        check_in_place_equals_out_of_place(cut_mix{}, input, options);
    }
    SECTION("given partners: one long cycle, self-pairs, and not a permutation") {
        options.pairing = pairing::given;
        options.partners.resize(12);
        for (index_t i = 0; i < 12; ++i) options.partners[static_cast<std::size_t>(i)] = (i + 5) % 12;
        std::size_t scratch = 0;
        std::size_t patches = 0;
        check_in_place_equals_out_of_place(resize_mix{}, input, options, &scratch, &patches);
        CHECK(scratch < patches);  // one cycle, one thread: a single patch is buffered
        std::iota(options.partners.begin(), options.partners.end(), index_t{0});  // everyone mixes with itself
        check_in_place_equals_out_of_place(resize_mix{}, input, options);
        check_in_place_equals_out_of_place(cut_mix{}, input, options);
        for (index_t i = 0; i < 12; ++i) options.partners[static_cast<std::size_t>(i)] = (i * 7) % 5;  // repeats
        check_in_place_equals_out_of_place(resize_mix{}, input, options, &scratch, &patches);
        CHECK(scratch == patches);  // not a permutation: every patch is buffered
    }
    SECTION("composed and type-erased mixers") {
        check_in_place_equals_out_of_place(one_of(weighted{resize_mix{}, 0.5}, weighted{cut_mix{}, 0.5}), input,
                                           options);
        check_in_place_equals_out_of_place(sometimes(resize_mix{}, 0.7), input, options);
        std::size_t scratch = 0;
        std::size_t patches = 0;
        check_in_place_equals_out_of_place(any_mixer(resize_mix{}), input, options, &scratch, &patches);
        CHECK(scratch < patches);  // type erasure keeps the in-place capability
        // A run-time one_of buffers exactly what the typed one does.
        std::size_t typed_scratch = 0;
        std::size_t erased_scratch = 0;
        check_in_place_equals_out_of_place(one_of(weighted{resize_mix{}, 1.0}, weighted{cut_mix{}, 1.0}), input,
                                           options, &typed_scratch, &patches);
        check_in_place_equals_out_of_place(one_of({{resize_mix{}, 1.0}, {cut_mix{}, 1.0}}), input, options,
                                           &erased_scratch, &patches);
        CHECK(erased_scratch == typed_scratch);
        CHECK(typed_scratch < patches);
        // A mixer that does not declare the capability is buffered whole, typed or erased.
        check_in_place_equals_out_of_place(opaque_mixer{}, input, options, &scratch, &patches);
        CHECK(scratch == patches);
        check_in_place_equals_out_of_place(any_mixer(opaque_mixer{}), input, options, &scratch, &patches);
        CHECK(scratch == patches);
        check_in_place_equals_out_of_place(one_of({{resize_mix{}, 1.0}, {opaque_mixer{}, 1.0}}), input, options, &scratch,
                                           &patches);
        CHECK(scratch == patches);
    }
}

TEST_CASE("mix_batch in place on a photo-sized batch buffers far less than the patches", "[batch][kernels]") {
    const owned_batch<std::uint8_t> input(32, 3, 64, 64, true, 3);
    batch_options options;
    options.seed = 2024;
    std::size_t scratch = 0;
    std::size_t patches = 0;
    check_in_place_equals_out_of_place(resize_mix{}, input, options, &scratch, &patches);
    // A random permutation of 32 has about ln 32 + 0.58 = 4 cycles on average.
    CHECK(scratch * 3 < patches);
}
