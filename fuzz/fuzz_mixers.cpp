// fuzz/fuzz_mixers.cpp: every mixer (SaliencyMix and FMix included), and mix_batch,
// on shapes, strides, element types and parameters decoded from the input.
//
// Shapes run from 1x1 to extreme aspect ratios (1 x 256); views lie in memory
// in any axis order, padded, with negative strides; out is a separate buffer,
// the target itself, or the very memory the source lives in. After every call:
// nothing outside any view was written (guard bands and padding), inputs are
// unchanged, and on success the output is the target outside info.box, the
// right pixels inside it (checked against a small double-precision reference),
// lambda is the box's pixel share in [0, 1]; on resizemix::error nothing was
// written at all. mix_batch is run out of place and in place with 1, 2 or 4
// threads, or with an executor running the tasks in a drawn order: the two must
// agree bit for bit, and with mixing sample by sample. RandAugment's operations run
// with drawn magnitudes (rand_augment's bins and signs, limits, any double), warp
// options and layouts, out of place twice and in place: the same refusal, the same
// bits, float outputs in [0, 1] for inputs in [0, 1]; and the rand_augment policy
// equals its draws applied one by one.
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <numeric>
#include <optional>
#include <span>
#include <vector>

#include <resizemix/resizemix.hpp>

#include "fuzz_support.hpp"

namespace {

using fuzz::byte_reader;
using fuzz::image_buffer;
using fuzz::layout;
using resizemix::box;
using resizemix::index_t;
using resizemix::interpolation;
using resizemix::mix_info;
using resizemix::region;

// ---------------------------------------------------------------------------
// The reference: resampling and blending in double precision, written from the
// definitions (pixel-centre bilinear as PyTorch computes its source coordinate,
// nearest as floor(dst * in / out), area as the exact box average).

struct taps {
    index_t first = 0;
    std::vector<double> weights;
};

RESIZEMIX_FUZZ_HARNESS std::vector<taps> reference_taps(interpolation method, index_t in, index_t out) {
    std::vector<taps> result(static_cast<std::size_t>(out));
    const float scale = static_cast<float>(in) / static_cast<float>(out);
    for (index_t i = 0; i < out; ++i) {
        auto& t = result[static_cast<std::size_t>(i)];
        if (method == interpolation::bilinear) {
            const double source = std::max(0.0f, scale * (static_cast<float>(i) + 0.5f) - 0.5f);
            const auto left = std::min(static_cast<index_t>(std::floor(source)), in - 1);
            const double right_weight = source - static_cast<double>(left);
            t.first = left;
            if (left == in - 1) {
                t.weights = {1.0};
            } else {
                t.weights = {1.0 - right_weight, right_weight};
            }
        } else if (method == interpolation::nearest) {
            t.first = std::min(static_cast<index_t>(std::floor(static_cast<float>(i) * scale)), in - 1);
            t.weights = {1.0};
        } else {
            const double begin = static_cast<double>(i) * static_cast<double>(in) / static_cast<double>(out);
            const double end = static_cast<double>(i + 1) * static_cast<double>(in) / static_cast<double>(out);
            t.first = static_cast<index_t>(std::floor(begin));
            for (index_t k = t.first; k < in && static_cast<double>(k) < end; ++k) {
                const double overlap = std::min(end, static_cast<double>(k + 1)) - std::max(begin, static_cast<double>(k));
                t.weights.push_back(std::max(0.0, overlap) / (end - begin));
            }
        }
    }
    return result;
}

/// True when `actual` is within rounding of the exact `expected`, where `magnitude`
/// is the largest input it was computed from. uint8: one level.
template <class T>
RESIZEMIX_FUZZ_HARNESS bool close_enough(T actual, double expected, double magnitude) {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        const double rounded = std::clamp(std::floor(expected + 0.5), 0.0, 255.0);
        return std::fabs(static_cast<double>(actual) - rounded) <= 1.0;
    } else {
        return std::fabs(static_cast<double>(actual) - expected) <= 1e-4 * std::max(1.0, magnitude);
    }
}

/// Values too big to sum in float without overflowing, or not finite: the
/// reference says nothing about those outputs.
template <class T>
bool comparable(T value) {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        return true;
    } else {
        return std::isfinite(value) && std::fabs(value) < 1e30f;
    }
}

template <class T>
RESIZEMIX_FUZZ_HARNESS void check_resized(resizemix::image_view<const T> source, resizemix::image_view<const T> patch, interpolation method) {
    const auto columns = reference_taps(method, source.width(), patch.width());
    const auto rows = reference_taps(method, source.height(), patch.height());
    for (index_t c = 0; c < patch.channels(); ++c)
        for (index_t y = 0; y < patch.height(); ++y)
            for (index_t x = 0; x < patch.width(); ++x) {
                const auto& row_taps = rows[static_cast<std::size_t>(y)];
                const auto& column_taps = columns[static_cast<std::size_t>(x)];
                double sum = 0.0;
                double magnitude = 0.0;
                bool usable = true;
                for (std::size_t ky = 0; ky < row_taps.weights.size(); ++ky)
                    for (std::size_t kx = 0; kx < column_taps.weights.size(); ++kx) {
                        const T value = source(c, row_taps.first + static_cast<index_t>(ky),
                                               column_taps.first + static_cast<index_t>(kx));
                        usable = usable && comparable(value);
                        magnitude = std::max(magnitude, std::fabs(static_cast<double>(value)));
                        sum += row_taps.weights[ky] * column_taps.weights[kx] * static_cast<double>(value);
                    }
                if (!usable) continue;
                if (!close_enough(patch(c, y, x), sum, magnitude)) {
                    std::fprintf(stderr, "resize mismatch at c=%td y=%td x=%td: got %g, expected %g (%tdx%td -> %tdx%td, method %d)\n",
                                 c, y, x, static_cast<double>(patch(c, y, x)), sum, source.width(), source.height(),
                                 patch.width(), patch.height(), static_cast<int>(method));
                    std::abort();
                }
            }
}

template <class T>
RESIZEMIX_FUZZ_HARNESS void check_blended(resizemix::image_view<const T> source, resizemix::image_view<const T> target,
                   resizemix::image_view<const T> out, double lambda) {
    const auto source_weight = static_cast<float>(lambda);
    const double target_weight = 1.0f - source_weight;
    for (index_t c = 0; c < out.channels(); ++c)
        for (index_t y = 0; y < out.height(); ++y)
            for (index_t x = 0; x < out.width(); ++x) {
                const T s = source(c, y, x);
                const T t = target(c, y, x);
                if (!comparable(s) || !comparable(t)) continue;
                const double expected = source_weight * static_cast<double>(s) + target_weight * static_cast<double>(t);
                const double magnitude = std::max(std::fabs(static_cast<double>(s)), std::fabs(static_cast<double>(t)));
                RESIZEMIX_FUZZ_CHECK(close_enough(out(c, y, x), expected, magnitude));
            }
}

// ---------------------------------------------------------------------------
// Parameters from the input.

index_t draw_side(byte_reader& in) {
    switch (in.u8() % 5U) {
        case 0: return 1;
        case 1: return in.in_range(1, 4);
        case 2: return in.in_range(1, 24);
        case 3: return in.in_range(1, 64);
        default: return in.in_range(1, 256);  // with a short other side: extreme aspect ratios
    }
}

/// width x height with at most 256 pixels, so one run stays fast (1 x 256 still fits).
std::pair<index_t, index_t> draw_size(byte_reader& in) {
    index_t width = draw_side(in);
    index_t height = draw_side(in);
    while (width * height > 256) (width > height ? width : height) /= 2;
    return {width, height};
}

float draw_scale(byte_reader& in) {
    switch (in.u8() % 6U) {
        case 0: return 0.1f;
        case 1: return 0.8f;
        case 2: return 1.0f;
        case 3: return 1e-6f;  // patches that round to 0 (clamped to 1 pixel)
        case 4: return static_cast<float>(in.u16()) / 65535.0f;
        default: return in.special_float();
    }
}

float draw_alpha(byte_reader& in) {
    switch (in.u8() % 5U) {
        case 0: return 1.0f;
        case 1: return 1e-3f;  // Beta mass at 0 and 1: boxes of the whole image or of nothing
        case 2: return 1e3f;
        case 3: return static_cast<float>(in.u16()) / 256.0f;
        default: return in.special_float();
    }
}

region draw_region(byte_reader& in) { return static_cast<region>(in.u8() % 4U); }

/// A map whose values are drawn: finite noise, all equal, one finite value among
/// NaNs, infinities, no finite value at all, or raw bit patterns.
resizemix::saliency_map draw_map(byte_reader& in) {
    if (in.u8() % 8U == 0) return {};  // missing
    const index_t height = in.in_range(1, 16);
    const index_t width = in.in_range(1, 16);
    resizemix::saliency_map map(height, width);
    const std::uint8_t mode = in.u8() % 6U;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            switch (mode) {
                case 0: map(y, x) = static_cast<float>(in.u8() % 4U); break;  // many ties
                case 1: map(y, x) = 0.5f; break;
                case 2: map(y, x) = nan; break;
                case 3: map(y, x) = in.special_float(); break;
                case 4: map(y, x) = in.raw_float(); break;
                default: map(y, x) = static_cast<float>(in.u8()); break;
            }
        }
    if (mode == 2 && in.flag()) map(in.in_range(0, height - 1), in.in_range(0, width - 1)) = 1.0f;
    return map;
}

/// The pixels of a map at its finite maximum (salient) or minimum, found independently.
RESIZEMIX_FUZZ_HARNESS std::vector<std::pair<index_t, index_t>> extreme_set(const resizemix::saliency_map& map, bool salient) {
    std::optional<float> extreme;
    for (const float v : map.values())
        if (std::isfinite(v) && (!extreme || (salient ? v > *extreme : v < *extreme))) extreme = v;
    std::vector<std::pair<index_t, index_t>> pixels;
    if (!extreme) return pixels;
    for (index_t y = 0; y < map.height(); ++y)
        for (index_t x = 0; x < map.width(); ++x)
            if (map(y, x) == *extreme) pixels.emplace_back(x, y);
    return pixels;
}

/// Appendix A: the box centred on some extreme pixel (scaled to the image), shifted inside.
RESIZEMIX_FUZZ_HARNESS bool centred_on_extreme(const box& b, const resizemix::saliency_map& map, region policy, index_t width, index_t height) {
    for (const auto& [mx, my] : extreme_set(map, policy == region::salient)) {
        const auto cx = static_cast<index_t>((static_cast<double>(mx) + 0.5) * static_cast<double>(width) /
                                             static_cast<double>(map.width()));
        const auto cy = static_cast<index_t>((static_cast<double>(my) + 0.5) * static_cast<double>(height) /
                                             static_cast<double>(map.height()));
        const index_t x = std::clamp<index_t>(cx - b.width / 2, 0, width - b.width);
        const index_t y = std::clamp<index_t>(cy - b.height / 2, 0, height - b.height);
        if (b.x == x && b.y == y) return true;
    }
    return false;
}

enum class method { resize_mix, cut_mix, mixup, cutout, saliency_mix, fmix };

struct drawn_mixer {
    method kind = method::resize_mix;
    resizemix::resize_mix resize_mix;
    resizemix::cut_mix cut_mix;
    resizemix::mixup mixup;
    resizemix::cutout cutout;
    resizemix::saliency_mix saliency_mix;
    resizemix::fmix fmix;

    static drawn_mixer draw(byte_reader& in) {
        drawn_mixer m;
        const std::uint8_t kind_byte = in.u8();
        m.kind = static_cast<method>(kind_byte % 3U);
        // Below Cutout's top values, the top quarter of the byte turns CutMix into SaliencyMix
        // and Mixup into FMix, so older seeds keep their layout (and most of them their mixer).
        if (kind_byte >= 192U && m.kind == method::cut_mix) m.kind = method::saliency_mix;
        if (kind_byte >= 192U && m.kind == method::mixup) m.kind = method::fmix;
        m.resize_mix.scale_min = draw_scale(in);
        m.resize_mix.scale_max = in.flag() ? m.resize_mix.scale_min : draw_scale(in);
        if (m.resize_mix.scale_min > m.resize_mix.scale_max && in.flag()) {
            std::swap(m.resize_mix.scale_min, m.resize_mix.scale_max);
        }
        m.resize_mix.paste_region = in.u8() % 4U == 0 ? draw_region(in) : region::random;
        // 3 is no interpolation at all: must be refused, not rendered.
        m.resize_mix.interpolation = static_cast<interpolation>(in.u8() % 16U == 15U ? 3 : in.u8() % 3U);
        m.cut_mix.alpha = draw_alpha(in);
        m.cut_mix.source_region = in.u8() % 4U == 0 ? draw_region(in) : region::random;
        m.cut_mix.paste_region = in.u8() % 4U == 0 ? draw_region(in) : region::corresponding;
        // From a bit already drawn, so the input layout of older seeds stays.
        m.cut_mix.box_sampling = (std::bit_cast<std::uint32_t>(m.cut_mix.alpha) & 1U) != 0U
                                     ? resizemix::box_sampling::inside
                                     : resizemix::box_sampling::clip;
        m.mixup.alpha = m.cut_mix.alpha;
        m.saliency_mix.alpha = m.cut_mix.alpha;
        m.fmix.alpha = m.cut_mix.alpha;
        // From values already drawn: scale 1e-6 gives a flat spectrum, 1 a smooth one; the
        // invalid interpolation a negative power, to be refused.
        m.fmix.decay_power = static_cast<int>(m.resize_mix.interpolation) == 3 ? -1.0f : 3.0f * m.resize_mix.scale_max;
        // Cutout takes the kind byte's top values and reads its parameters last, so the bytes of
        // older seeds keep their meaning for the other mixers.
        if (kind_byte >= 240U) {
            m.kind = method::cutout;
            m.cutout.length = in.in_range(0, 48);
            m.cutout.length_fraction = in.u8() % 4U == 0 ? static_cast<double>(in.u8()) / 200.0 : 0.0;  // above 1: refused
            m.cutout.holes = static_cast<int>(in.in_range(-1, 5));                                    // -1: refused
            if (in.flag()) m.cutout.fill = {static_cast<double>(in.u16()) / 200.0};                   // above 255: refused
        }
        return m;
    }

    [[nodiscard]] resizemix::any_mixer erased() const {
        switch (kind) {
            case method::resize_mix: return resize_mix;
            case method::cut_mix: return cut_mix;
            case method::mixup: break;
            case method::cutout: return cutout;
            case method::saliency_mix: return saliency_mix;
            case method::fmix: return fmix;
        }
        return mixup;
    }
};

/// A copy of a view's pixels (dense, logical order).
template <class T>
RESIZEMIX_FUZZ_HARNESS resizemix::image<T> snapshot(resizemix::image_view<const T> view) {
    return resizemix::image<T>(view);
}

template <class T>
RESIZEMIX_FUZZ_HARNESS bool same_image(resizemix::image_view<const T> a, resizemix::image_view<const T> b) {
    for (index_t c = 0; c < a.channels(); ++c)
        for (index_t y = 0; y < a.height(); ++y)
            for (index_t x = 0; x < a.width(); ++x)
                if (!fuzz::same_bits(a(c, y, x), b(c, y, x))) return false;
    return true;
}

// ---------------------------------------------------------------------------
// One pair.

/// Where the output lives relative to the inputs.
enum class aliasing { separate, in_place, self_in_place, source_inside_out };

template <class T>
void fuzz_pair(byte_reader& in) {
    const drawn_mixer mixer = drawn_mixer::draw(in);
    const index_t channels = in.in_range(1, 4);
    const auto [width, height] = draw_size(in);
    index_t source_width = width;
    index_t source_height = height;
    if (mixer.kind == method::resize_mix || in.u8() % 16U == 0) {
        const auto drawn = draw_size(in);
        source_width = drawn.first;
        source_height = drawn.second;
    }
    auto alias = static_cast<aliasing>(in.u8() % 4U);
    const bool special_values = in.flag();

    image_buffer<T> target(channels, height, width, layout<3>::draw(in));
    fuzz::fill_pixels(target.view, in, special_values);
    std::optional<image_buffer<T>> separate_source;
    std::optional<image_buffer<T>> separate_out;
    resizemix::image_view<T> source_view;
    resizemix::image_view<T> out_view;
    switch (alias) {
        case aliasing::separate:
        case aliasing::in_place:
            separate_source.emplace(channels, source_height, source_width, layout<3>::draw(in));
            fuzz::fill_pixels(separate_source->view, in, special_values);
            source_view = separate_source->view;
            if (alias == aliasing::separate) {
                separate_out.emplace(channels, height, width, layout<3>::draw(in));
                fuzz::fill_pixels(separate_out->view, in, false);  // stale pixels, all overwritten
                out_view = separate_out->view;
            } else {
                out_view = target.view;
            }
            break;
        case aliasing::self_in_place:
            source_view = out_view = target.view;
            break;
        case aliasing::source_inside_out: {
            const index_t w = in.in_range(1, width);
            const index_t h = in.in_range(1, height);
            source_view = target.view.subview({in.in_range(0, width - w), in.in_range(0, height - h), w, h});
            out_view = target.view;
            break;
        }
    }

    resizemix::pair_saliency maps{draw_map(in), draw_map(in)};
    resizemix::rng random(in.u64());

    const resizemix::image_view<const T> source_const = source_view;
    const resizemix::image_view<const T> target_const = target.view;
    const auto source_before = snapshot(source_const);
    const auto target_before = snapshot(target_const);
    const auto out_before = snapshot(resizemix::image_view<const T>(out_view));
    const auto source_storage = separate_source ? separate_source->memory.storage() : std::vector<T>{};

    const resizemix::rng replay = random;  // SaliencyMix's draw, replayed below
    std::optional<mix_info> result;
    try {
        switch (mixer.kind) {
            case method::resize_mix: result = mixer.resize_mix(source_const, target_const, out_view, random, maps); break;
            case method::cut_mix: result = mixer.cut_mix(source_const, target_const, out_view, random, maps); break;
            case method::mixup: result = mixer.mixup(source_const, target_const, out_view, random, maps); break;
            case method::cutout: result = resizemix::run_mixer(mixer.cutout, source_const, target_const, out_view, random, maps); break;
            case method::saliency_mix: result = mixer.saliency_mix(source_const, target_const, out_view, random, maps); break;
            case method::fmix: result = mixer.fmix(source_const, target_const, out_view, random, maps); break;
        }
    } catch (const resizemix::error& e) {
        fuzz::note("refused", e.what());
        // Refused: nothing may have been written.
        RESIZEMIX_FUZZ_CHECK(same_image(resizemix::image_view<const T>(out_view), out_before.const_view()));
    }

    RESIZEMIX_FUZZ_CHECK(target.memory.outside_untouched());
    if (separate_source) {
        RESIZEMIX_FUZZ_CHECK(separate_source->memory.outside_untouched());
        RESIZEMIX_FUZZ_CHECK(fuzz::same_storage(separate_source->memory.storage(), source_storage));
        RESIZEMIX_FUZZ_CHECK(same_image(source_const, source_before.const_view()));
    }
    if (separate_out) {
        RESIZEMIX_FUZZ_CHECK(separate_out->memory.outside_untouched());
        RESIZEMIX_FUZZ_CHECK(same_image(target_const, target_before.const_view()));
    }
    if (!result) return;

    const mix_info& info = *result;
    const auto out = resizemix::image_view<const T>(out_view);
    const double area = static_cast<double>(width) * static_cast<double>(height);
    RESIZEMIX_FUZZ_CHECK(info.lambda >= 0.0 && info.lambda <= 1.0);
    RESIZEMIX_FUZZ_CHECK(info.box.empty() || info.box.inside(width, height));
    const auto& original_source = source_before.const_view();
    const auto& original_target = target_before.const_view();
    // CutMix and Mixup read a source of another size as if resized (bilinear) to the target's size.
    resizemix::image<T> source_at_target_size(channels, height, width);
    const bool source_resized = original_source.width() != width || original_source.height() != height;
    if (source_resized) resizemix::resize(original_source, source_at_target_size.view(), resizemix::interpolation::bilinear);
    const auto same_size_source = source_resized ? source_at_target_size.const_view() : original_source;
    for (index_t c = 0; c < channels; ++c)
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x)
                if (!info.box.contains(x, y)) RESIZEMIX_FUZZ_CHECK(fuzz::same_bits(out(c, y, x), original_target(c, y, x)));

    switch (mixer.kind) {
        case method::resize_mix: {
            const auto& m = mixer.resize_mix;
            RESIZEMIX_FUZZ_CHECK(info.tau >= m.scale_min && info.tau <= m.scale_max);
            const auto side = [&](index_t extent) {
                return std::clamp<index_t>(std::lround(info.tau * static_cast<double>(extent)), 1, extent);
            };
            RESIZEMIX_FUZZ_CHECK(info.box.width == side(width) && info.box.height == side(height));
            RESIZEMIX_FUZZ_CHECK(info.source_box == (box{0, 0, source_view.width(), source_view.height()}));
            RESIZEMIX_FUZZ_CHECK(info.lambda == static_cast<double>(info.box.area()) / area);
            if (resizemix::needs_saliency(m.paste_region)) {
                RESIZEMIX_FUZZ_CHECK(centred_on_extreme(info.box, maps.target, m.paste_region, width, height));
            }
            check_resized<T>(original_source, out.subview(info.box), m.interpolation);
            break;
        }
        case method::cut_mix: {
            const auto& m = mixer.cut_mix;
            RESIZEMIX_FUZZ_CHECK(info.lambda == static_cast<double>(info.box.area()) / area);
            if (info.box.empty()) {
                RESIZEMIX_FUZZ_CHECK(info.lambda == 0.0);
                break;
            }
            RESIZEMIX_FUZZ_CHECK(info.source_box.inside(width, height));
            RESIZEMIX_FUZZ_CHECK(info.source_box.width == info.box.width && info.source_box.height == info.box.height);
            if (m.paste_region == region::corresponding) RESIZEMIX_FUZZ_CHECK(info.box == info.source_box);
            if (resizemix::needs_saliency(m.source_region)) {
                RESIZEMIX_FUZZ_CHECK(centred_on_extreme(info.source_box, maps.source, m.source_region, width, height));
            }
            if (resizemix::needs_saliency(m.paste_region)) {
                RESIZEMIX_FUZZ_CHECK(centred_on_extreme(info.box, maps.target, m.paste_region, width, height));
            }
            for (index_t c = 0; c < channels; ++c)
                for (index_t y = 0; y < info.box.height; ++y)
                    for (index_t x = 0; x < info.box.width; ++x)
                        RESIZEMIX_FUZZ_CHECK(fuzz::same_bits(out(c, info.box.y + y, info.box.x + x),
                                                             same_size_source(c, info.source_box.y + y, info.source_box.x + x)));
            break;
        }
        case method::mixup:
            RESIZEMIX_FUZZ_CHECK(info.box == (box{0, 0, width, height}));
            check_blended<T>(same_size_source, original_target, out, info.lambda);
            break;
        case method::cutout: {
            // Inside a hole the fill (0-255 level, / 255 for float; uint8 rounded), elsewhere the target.
            const auto& m = mixer.cutout;
            RESIZEMIX_FUZZ_CHECK(info.lambda == 0.0);
            RESIZEMIX_FUZZ_CHECK(info.augmentations.size() == static_cast<std::size_t>(m.holes));
            const double level = m.fill.empty() ? 0.0 : m.fill[0];
            const T fill = std::is_same_v<T, std::uint8_t> ? static_cast<T>(std::nearbyint(static_cast<float>(level)))
                                                          : static_cast<T>(level / 255.0);
            for (const auto& hole : info.augmentations) RESIZEMIX_FUZZ_CHECK(hole.region.empty() || hole.region.inside(width, height));
            for (index_t c = 0; c < channels; ++c)
                for (index_t y = 0; y < height; ++y)
                    for (index_t x = 0; x < width; ++x) {
                        const bool in_hole = std::any_of(info.augmentations.begin(), info.augmentations.end(),
                                                         [&](const auto& hole) { return hole.region.contains(x, y); });
                        RESIZEMIX_FUZZ_CHECK(fuzz::same_bits(out(c, y, x), in_hole ? fill : original_target(c, y, x)));
                    }
            break;
        }
        case method::saliency_mix: {
            // The box around the first maximum of the (resized) source's fine-grained map.
            resizemix::rng draw = replay;
            const double target_share = draw.beta(mixer.saliency_mix.alpha);
            const auto levels = resizemix::fine_grained_saliency_levels(same_size_source);
            const auto [peak_x, peak_y] = resizemix::saliency_mix::peak(levels, width);
            const box expected = resizemix::cut_mix::clipped_box_at(target_share, peak_x, peak_y, width, height);
            RESIZEMIX_FUZZ_CHECK(expected.empty() ? info.box.empty() : info.box == expected);
            RESIZEMIX_FUZZ_CHECK(info.lambda == static_cast<double>(info.box.area()) / area);
            for (index_t c = 0; c < channels; ++c)
                for (index_t y = 0; y < info.box.height; ++y)
                    for (index_t x = 0; x < info.box.width; ++x)
                        RESIZEMIX_FUZZ_CHECK(fuzz::same_bits(out(c, info.box.y + y, info.box.x + x),
                                                             same_size_source(c, info.box.y + y, info.box.x + x)));
            break;
        }
        case method::fmix: {
            if (info.box.empty()) {
                RESIZEMIX_FUZZ_CHECK(info.lambda == 0.0 && info.mask == nullptr);
                break;
            }
            RESIZEMIX_FUZZ_CHECK(info.mask != nullptr && info.mask->width() == info.box.width &&
                                 info.mask->height() == info.box.height);
            RESIZEMIX_FUZZ_CHECK(info.lambda == static_cast<double>(info.mask->count()) / area);
            for (index_t c = 0; c < channels; ++c)
                for (index_t y = info.box.y; y < info.box.y + info.box.height; ++y)
                    for (index_t x = info.box.x; x < info.box.x + info.box.width; ++x)
                        RESIZEMIX_FUZZ_CHECK(fuzz::same_bits(
                            out(c, y, x), info.from_source(x, y) ? same_size_source(c, y, x) : original_target(c, y, x)));
            break;
        }
    }
}

// ---------------------------------------------------------------------------
// One batch: out of place, in place, and sample by sample must agree.

template <class T>
struct batch_buffer {
    fuzz::strided_buffer<T, 4> memory;
    resizemix::batch_view<T> view;

    batch_buffer(const std::array<index_t, 4>& extents, const layout<4>& how)
        : memory(extents, how),
          view(memory.origin(), extents[0], extents[1], extents[2], extents[3], memory.strides()[0],
               memory.strides()[1], memory.strides()[2], memory.strides()[3]) {}
};

template <class T>
RESIZEMIX_FUZZ_HARNESS bool same_batch(const resizemix::batch_view<T>& a, const resizemix::batch_view<T>& b) {
    for (index_t i = 0; i < a.count(); ++i)
        if (!same_image<T>(a[i], b[i])) return false;
    return true;
}

bool same_info(const mix_info& a, const mix_info& b) {
    return a.box == b.box && a.source_box == b.source_box && fuzz::same_bits(a.lambda, b.lambda) &&
           fuzz::same_bits(a.tau, b.tau) && a.method == b.method && a.choice == b.choice;
}

template <class T>
void fuzz_batch(byte_reader& in) {
    const drawn_mixer drawn = drawn_mixer::draw(in);
    resizemix::any_mixer mixer = drawn.erased();
    if (in.u8() % 4U == 0) mixer = resizemix::sometimes(mixer, static_cast<double>(in.u8()) / 255.0);
    const index_t count = in.in_range(1, 6);
    const index_t channels = in.in_range(1, 4);
    auto [width, height] = draw_size(in);
    while (width * height * count > 512) (width > height ? width : height) = std::max<index_t>(1, (width > height ? width : height) / 2);
    const std::array<index_t, 4> extents{count, channels, height, width};
    const layout<4> how = layout<4>::draw(in);
    const bool special_values = in.flag();

    resizemix::batch_options options;
    options.seed = in.u64();
    options.epoch = in.u8();
    options.step = (options.seed >> 40U) & 0xffU;  // from the seed: the input layout of older seeds stays
    options.rank = (options.seed >> 56U) % 4U;
    options.pairing = static_cast<resizemix::pairing>(in.u8() % 3U);
    if (options.pairing == resizemix::pairing::given) {
        const index_t partners = in.u8() % 8U == 0 ? count + 1 : count;  // sometimes the wrong length
        for (index_t i = 0; i < partners; ++i) options.partners.push_back(in.in_range(-1, count));
    }
    options.parameters = in.flag() ? resizemix::parameter_sharing::per_batch : resizemix::parameter_sharing::per_sample;
    std::vector<std::int64_t> labels;
    if (in.flag()) {
        options.num_classes = in.in_range(1, 10);
        options.label_smoothing = in.u8() % 4U == 0 ? in.special_float() : static_cast<float>(in.u8() % 50U) / 100.0f;
        for (index_t i = 0; i < count; ++i) labels.push_back(in.u8() % 32U == 0 ? options.num_classes : in.u8() % options.num_classes);
    }
    // How each run spreads its work: one thread, real threads (2 or 4), or an
    // executor that runs the tasks on this thread in a drawn order (any order must
    // give the same bytes; cheaper than threads, so most runs use it).
    const auto draw_schedule = [&in](resizemix::batch_options& run) {
        const std::uint8_t mode = in.u8();
        run.executor = nullptr;
        run.threads = 1;
        if (mode % 8U == 0) {
            run.threads = (mode & 8U) != 0 ? 4 : 2;
        } else if (mode % 2U == 1) {
            const std::uint64_t shuffle = in.u64();
            run.executor = [shuffle](index_t tasks, const std::function<void(index_t)>& task) {
                std::vector<index_t> order(static_cast<std::size_t>(tasks));
                std::iota(order.begin(), order.end(), index_t{0});
                std::uint64_t state = shuffle | 1U;
                for (std::size_t k = order.size(); k > 1; --k) {
                    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                    std::swap(order[k - 1], order[static_cast<std::size_t>((state >> 33U) % k)]);
                }
                for (const index_t k : order) task(k);
            };
        }
    };
    resizemix::batch_options out_of_place_options = options;
    resizemix::batch_options in_place_options = options;
    draw_schedule(out_of_place_options);
    draw_schedule(in_place_options);

    std::vector<resizemix::saliency_map> maps;
    for (index_t i = 0; i < count; ++i) maps.push_back(draw_map(in));
    auto saliency = [&](const resizemix::saliency_query& query) -> resizemix::saliency_map {
        RESIZEMIX_FUZZ_CHECK(query.image_index >= 0 && query.image_index < count);
        return maps[static_cast<std::size_t>(query.image_index)];
    };

    batch_buffer<T> input(extents, how);
    for (index_t i = 0; i < count; ++i) fuzz::fill_pixels(input.view[i], in, special_values);
    batch_buffer<T> output(extents, how);  // same layout, so in place and out of place must agree bit for bit
    batch_buffer<T> in_place(extents, how);
    for (index_t i = 0; i < count; ++i) {
        resizemix::copy(resizemix::image_view<const T>(input.view[i]), in_place.view[i]);
        fuzz::fill_pixels(output.view[i], in, false);
    }
    const std::vector<T> input_storage = input.memory.storage();
    const std::vector<T> in_place_storage = in_place.memory.storage();
    const std::vector<T> output_storage = output.memory.storage();

    std::optional<resizemix::batch_result> apart;
    std::optional<resizemix::batch_result> together;
    try {
        apart = resizemix::mix_batch(mixer, resizemix::batch_view<const T>(input.view), labels, output.view,
                                     out_of_place_options, saliency);
    } catch (const resizemix::error& e) {
        fuzz::note("out of place refused", e.what());
    }
    try {
        together = resizemix::mix_batch(mixer, resizemix::batch_view<const T>(in_place.view), labels, in_place.view,
                                        in_place_options, saliency);
    } catch (const resizemix::error& e) {
        fuzz::note("in place refused", e.what());
    }
    RESIZEMIX_FUZZ_CHECK(input.memory.outside_untouched() && output.memory.outside_untouched() &&
                         in_place.memory.outside_untouched());
    RESIZEMIX_FUZZ_CHECK(fuzz::same_storage(input.memory.storage(), input_storage));
    RESIZEMIX_FUZZ_CHECK(apart.has_value() == together.has_value());
    if (!apart) {  // refused before any pixel was written
        RESIZEMIX_FUZZ_CHECK(same_batch<T>(input.view, in_place.view));
        RESIZEMIX_FUZZ_CHECK(fuzz::same_storage(output.memory.storage(), output_storage));
        RESIZEMIX_FUZZ_CHECK(fuzz::same_storage(in_place.memory.storage(), in_place_storage));
        return;
    }

    RESIZEMIX_FUZZ_CHECK(same_batch<T>(output.view, in_place.view));
    RESIZEMIX_FUZZ_CHECK(apart->samples.size() == static_cast<std::size_t>(count));
    std::size_t patch_elements = 0;
    for (index_t i = 0; i < count; ++i) {
        const auto& a = apart->samples[static_cast<std::size_t>(i)];
        const auto& b = together->samples[static_cast<std::size_t>(i)];
        RESIZEMIX_FUZZ_CHECK(a.partner == b.partner && same_info(a.info, b.info));
        RESIZEMIX_FUZZ_CHECK(a.info.lambda >= 0.0 && a.info.lambda <= 1.0);
        RESIZEMIX_FUZZ_CHECK(a.info.box.empty() || a.info.box.inside(width, height));
        patch_elements += static_cast<std::size_t>(a.info.box.area() * channels);
        // Sample by sample, from the stream the batch derives for it.
        batch_buffer<T> single({1, channels, height, width}, how);
        resizemix::rng random = options.parameters == resizemix::parameter_sharing::per_batch
                                    ? resizemix::rng::for_sample(options.seed, options.epoch, options.step, options.rank, resizemix::batch_stream_index)
                                    : resizemix::rng::for_sample(options.seed, options.epoch, options.step, options.rank, static_cast<std::uint64_t>(i));
        auto indexed = [&](const resizemix::saliency_query& query) -> resizemix::saliency_map {
            return maps[static_cast<std::size_t>(query.role == resizemix::image_role::source ? a.partner : i)];
        };
        const mix_info alone = mixer(resizemix::image_view<const T>(input.view[a.partner]),
                                     resizemix::image_view<const T>(input.view[i]), single.view[0], random, indexed);
        RESIZEMIX_FUZZ_CHECK(same_info(alone, a.info));
        RESIZEMIX_FUZZ_CHECK(same_image<T>(single.view[0], output.view[i]));
        RESIZEMIX_FUZZ_CHECK(single.memory.outside_untouched());
    }
    // The erased mixer keeps the built-in mixers' in-place capability: run ends only are
    // buffered (all of them when the pairing is not a permutation), never more than every patch.
    RESIZEMIX_FUZZ_CHECK(together->scratch_elements <= patch_elements);
    if (options.pairing == resizemix::pairing::given) {
        std::vector<char> is_partner(static_cast<std::size_t>(count), 0);
        bool permutation = true;
        for (const auto& record : together->samples) {
            permutation = permutation && !is_partner[static_cast<std::size_t>(record.partner)];
            is_partner[static_cast<std::size_t>(record.partner)] = 1;
        }
        if (!permutation) RESIZEMIX_FUZZ_CHECK(together->scratch_elements == patch_elements);
    }
    if (options.num_classes > 0) {
        RESIZEMIX_FUZZ_CHECK(apart->labels.rows() == count && apart->labels.cols() == options.num_classes);
        RESIZEMIX_FUZZ_CHECK(apart->labels == together->labels);
        for (index_t i = 0; i < count; ++i) {
            RESIZEMIX_FUZZ_CHECK(std::fabs(apart->labels.row(i).sum() - 1.0f) < 1e-5f);
            RESIZEMIX_FUZZ_CHECK(apart->labels.row(i).minCoeff() >= 0.0f);
        }
    }
}

// ---------------------------------------------------------------------------
// RandAugment's operations: one op out of place, the same op in place, and the policy.

/// A magnitude for `op`: usually what rand_augment would use at a drawn bin and sign, else
/// integers around each op's limits, or any double (NaN, infinities and huge values included).
RESIZEMIX_FUZZ_HARNESS double draw_magnitude(byte_reader& in, resizemix::augment_op op, index_t height, index_t width) {
    switch (in.u8() % 4U) {
        case 0:
        case 1: {
            if (static_cast<int>(op) >= resizemix::augment_op_count) return 0.0;
            const resizemix::rand_augment policy{.magnitude = static_cast<int>(in.in_range(0, 30))};
            const double value = policy.magnitude_of(op, height, width);
            return in.flag() ? -value : value;
        }
        case 2: return static_cast<double>(in.in_range(-300, 300));
        default: return static_cast<double>(in.special_float()) * (in.flag() ? 1.0 : 1e300);
    }
}

/// Interpolation and fill for the geometric ops, now and then ones apply_op must refuse.
RESIZEMIX_FUZZ_HARNESS resizemix::warp_options draw_warp_options(byte_reader& in, index_t channels) {
    resizemix::warp_options options;
    const std::uint8_t how = in.u8();
    options.interpolation = (how & 1U) != 0 ? interpolation::bilinear : interpolation::nearest;
    if (how % 64U == 63U) options.interpolation = interpolation::area;  // refused
    switch ((how >> 1U) % 4U) {
        case 0: break;
        case 1: options.fill = {static_cast<double>(in.u8())}; break;
        case 2:
            for (index_t c = 0; c < channels; ++c) options.fill.push_back(static_cast<double>(in.u8()));
            break;
        default: options.fill = {static_cast<double>(in.special_float()) * 300.0}; break;  // often refused
    }
    return options;
}

/// A float image whose every value is in [0, 1] (the documented domain; then outputs must be too).
template <class T>
RESIZEMIX_FUZZ_HARNESS bool in_unit_range(resizemix::image_view<const T> view) {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        return true;
    } else {
        for (index_t c = 0; c < view.channels(); ++c)
            for (index_t y = 0; y < view.height(); ++y)
                for (index_t x = 0; x < view.width(); ++x)
                    if (!(view(c, y, x) >= 0.0f && view(c, y, x) <= 1.0f)) return false;
        return true;
    }
}

template <class T>
void fuzz_augment(byte_reader& in) {
    const auto op_value = static_cast<std::uint8_t>(in.u8() % 16U);  // 14 Invert, 15 Cutout (apply_op refuses it)
    const auto op = static_cast<resizemix::augment_op>(op_value);
    const index_t channels = in.in_range(1, 4);
    const auto [width, height] = draw_size(in);
    const double magnitude = draw_magnitude(in, op, height, width);
    const resizemix::warp_options options = draw_warp_options(in, channels);
    const bool special_values = in.flag();
    // The policy is read before the pixels, which take the rest of the input; zero bytes give
    // RandAugment(2, 0) of 2 bins, and 255 a refused bin count.
    const std::uint8_t bins_byte = in.u8();
    const resizemix::rand_augment policy{.num_ops = (in.u8() + 2) % 5,
                                         .magnitude = static_cast<int>(in.in_range(0, 31)),
                                         .num_magnitude_bins = bins_byte == 255 ? 1 : 2 + bins_byte % 39,
                                         .interpolation = options.interpolation,
                                         .fill = options.fill};
    const std::uint64_t seed = in.u64();

    // Every layout before the pixels, which take the rest of the input.
    const std::array<layout<3>, 5> layouts{layout<3>::draw(in), layout<3>::draw(in), layout<3>::draw(in),
                                           layout<3>::draw(in), layout<3>::draw(in)};
    image_buffer<T> source(channels, height, width, layouts[0]);
    image_buffer<T> out(channels, height, width, layouts[1]);
    image_buffer<T> again(channels, height, width, layouts[2]);
    image_buffer<T> in_place(channels, height, width, layouts[3]);
    image_buffer<T> augmented(channels, height, width, layouts[4]);
    fuzz::fill_pixels(source.view, in, special_values);
    fuzz::fill_pixels(out.view, in, false);  // stale pixels, all overwritten
    const resizemix::image_view<const T> source_const = source.view;
    resizemix::copy(source_const, in_place.view);
    const auto source_before = snapshot(source_const);
    const auto out_before = snapshot(resizemix::image_view<const T>(out.view));
    const bool unit_range = in_unit_range(source_const);

    // Out of place, twice (into another layout), and in place: the same decision, the same bits.
    bool refused = false;
    try {
        resizemix::apply_op(op, source_const, out.view, magnitude, options);
    } catch (const resizemix::error& e) {
        fuzz::note("refused", e.what());
        refused = true;
        RESIZEMIX_FUZZ_CHECK(same_image(resizemix::image_view<const T>(out.view), out_before.const_view()));
    }
    bool refused_in_place = false;
    try {
        resizemix::apply_op(op, in_place.view, magnitude, options);
    } catch (const resizemix::error&) {
        refused_in_place = true;
        RESIZEMIX_FUZZ_CHECK(same_image(resizemix::image_view<const T>(in_place.view), source_before.const_view()));
    }
    RESIZEMIX_FUZZ_CHECK(refused == refused_in_place);
    RESIZEMIX_FUZZ_CHECK(source.memory.outside_untouched() && out.memory.outside_untouched());
    RESIZEMIX_FUZZ_CHECK(in_place.memory.outside_untouched());
    RESIZEMIX_FUZZ_CHECK(same_image(source_const, source_before.const_view()));
    if (!refused) {
        resizemix::apply_op(op, source_const, again.view, magnitude, options);
        RESIZEMIX_FUZZ_CHECK(again.memory.outside_untouched());
        const auto result = resizemix::image_view<const T>(out.view);
        RESIZEMIX_FUZZ_CHECK(same_image(result, resizemix::image_view<const T>(again.view)));
        RESIZEMIX_FUZZ_CHECK(same_image(result, resizemix::image_view<const T>(in_place.view)));
        if (unit_range) RESIZEMIX_FUZZ_CHECK(in_unit_range(result));
        if (op == resizemix::augment_op::identity) RESIZEMIX_FUZZ_CHECK(same_image(result, source_const));
    }

    // The policy: its ops are those draw() gives on a copy of the stream, applied in turn.
    resizemix::rng random(seed);
    resizemix::rng replay = random;
    try {
        const std::vector<resizemix::applied_op> ops = policy(source_const, augmented.view, random);
        RESIZEMIX_FUZZ_CHECK(ops == policy.draw(replay, height, width));
        RESIZEMIX_FUZZ_CHECK(static_cast<int>(ops.size()) == policy.num_ops);
        resizemix::image<T> expected(source_const);
        for (const auto& step : ops) resizemix::apply_op(step.op, expected.view(), step.magnitude, options);
        RESIZEMIX_FUZZ_CHECK(same_image(resizemix::image_view<const T>(augmented.view), expected.const_view()));
        if (unit_range) RESIZEMIX_FUZZ_CHECK(in_unit_range(resizemix::image_view<const T>(augmented.view)));
    } catch (const resizemix::error& e) {
        fuzz::note("policy refused", e.what());
        RESIZEMIX_FUZZ_CHECK(random.position() == replay.position());  // refused before any draw
    }
    RESIZEMIX_FUZZ_CHECK(augmented.memory.outside_untouched());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    byte_reader in({data, size});
    // Selectors 0-3 keep the meaning the committed seeds were written with.
    switch (in.u8() % 6U) {
        case 0: fuzz_pair<std::uint8_t>(in); break;
        case 1: fuzz_pair<float>(in); break;
        case 2: fuzz_batch<std::uint8_t>(in); break;
        case 3: fuzz_batch<float>(in); break;
        case 4: fuzz_augment<std::uint8_t>(in); break;
        default: fuzz_augment<float>(in); break;
    }
    return 0;
}
