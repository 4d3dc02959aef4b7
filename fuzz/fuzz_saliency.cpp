// fuzz/fuzz_saliency.cpp: region picking (extreme_pixels, place_box,
// centred_box_inside) and grad_cam on arbitrary maps and feature maps.
//
// Maps hold any float bit pattern (NaN, infinities, denormals), or are all
// equal, a single pixel, or have one finite value among NaNs. Image sizes for
// place_box run up to 2^62 (no pixels are allocated for them). grad_cam gets K x h
// x w activations and gradients in any strided layout, guarded. Checked: a map
// with no finite value is a resizemix::error and nothing else is; the extreme
// set is exactly the finite pixels at the max (min); every box has the asked
// size, lies inside the image and is centred per Appendix A; grad_cam is never
// negative, matches a double-precision reference on finite inputs, and reads
// nothing outside its views.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include <resizemix/resizemix.hpp>

#include "fuzz_support.hpp"

namespace {

using fuzz::byte_reader;
using resizemix::box;
using resizemix::index_t;
using resizemix::region;

resizemix::saliency_map draw_map(byte_reader& in) {
    index_t height = 1;
    index_t width = 1;
    switch (in.u8() % 4U) {
        case 0: break;  // a single pixel
        case 1: width = in.in_range(1, 256); break;
        case 2: height = in.in_range(1, 256); break;
        default:
            height = in.in_range(1, 48);
            width = in.in_range(1, 48);
    }
    resizemix::saliency_map map(height, width);
    const std::uint8_t mode = in.u8() % 7U;
    const float fill = in.special_float();
    for (index_t i = 0; i < height * width; ++i) {
        float& value = map.data()[i];
        switch (mode) {
            case 0: value = fill; break;                                        // all equal (maybe NaN)
            case 1: value = std::numeric_limits<float>::quiet_NaN(); break;     // no finite value, maybe one below
            case 2: value = static_cast<float>(in.u8() % 3U); break;            // many ties
            case 3: value = in.special_float(); break;
            case 4: value = in.raw_float(); break;
            case 5: value = (in.u8() & 1U) != 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity(); break;
            default: value = static_cast<float>(in.u8()) - 128.0f; break;
        }
    }
    if ((mode == 1 || mode == 5) && in.flag()) map(in.in_range(0, height - 1), in.in_range(0, width - 1)) = in.special_float();
    return map;
}

RESIZEMIX_FUZZ_HARNESS void check_extremes(const resizemix::saliency_map& map) {
    for (const region policy : {region::salient, region::non_salient}) {
        std::optional<float> extreme;
        for (const float v : map.values())
            if (std::isfinite(v) && (!extreme || (policy == region::salient ? v > *extreme : v < *extreme))) extreme = v;
        std::vector<std::pair<index_t, index_t>> pixels;
        bool refused = false;
        try {
            pixels = resizemix::extreme_pixels(map, policy);
        } catch (const resizemix::error&) {
            refused = true;
        }
        RESIZEMIX_FUZZ_CHECK(refused == !extreme.has_value());
        if (refused) continue;
        std::size_t expected = 0;
        for (index_t y = 0; y < map.height(); ++y)
            for (index_t x = 0; x < map.width(); ++x)
                if (map(y, x) == *extreme) ++expected;
        RESIZEMIX_FUZZ_CHECK(pixels.size() == expected && expected > 0);
        for (std::size_t k = 0; k < pixels.size(); ++k) {
            const auto [x, y] = pixels[k];
            RESIZEMIX_FUZZ_CHECK(x >= 0 && x < map.width() && y >= 0 && y < map.height());
            RESIZEMIX_FUZZ_CHECK(map(y, x) == *extreme);
            if (k > 0) {  // row-major order, no duplicates
                const auto [px, py] = pixels[k - 1];
                RESIZEMIX_FUZZ_CHECK(py < y || (py == y && px < x));
            }
        }
    }
}

index_t draw_extent(byte_reader& in) {
    switch (in.u8() % 5U) {
        case 0: return 1;
        case 1: return in.in_range(1, 16);
        case 2: return in.in_range(1, 4096);
        case 3: return in.in_range(1, index_t{1} << 31U);
        default: return in.in_range(1, index_t{1} << 62U);
    }
}

void check_place_box(byte_reader& in, const resizemix::saliency_map& map) {
    const index_t image_width = draw_extent(in);
    const index_t image_height = draw_extent(in);
    const index_t width = in.flag() ? in.in_range(1, image_width) : draw_extent(in);
    const index_t height = in.flag() ? in.in_range(1, image_height) : draw_extent(in);
    const auto policy = static_cast<region>(in.u8() % 4U);
    resizemix::rng random(in.u64());
    const bool fits = width <= image_width && height <= image_height;
    std::optional<box> placed;
    try {
        placed = resizemix::place_box(policy, width, height, image_width, image_height, in.flag() ? &map : nullptr, random);
    } catch (const resizemix::error&) {
    }
    if (!fits || policy == region::corresponding) RESIZEMIX_FUZZ_CHECK(!placed);
    if (!placed) return;
    RESIZEMIX_FUZZ_CHECK(placed->width == width && placed->height == height);
    RESIZEMIX_FUZZ_CHECK(placed->inside(image_width, image_height));
    if (policy == region::random) return;
    // The box is centred on the scaled centre of some extreme pixel (or as close as fits).
    bool centred = false;
    for (const auto& [mx, my] : resizemix::extreme_pixels(map, policy)) {
        const long double cx = (static_cast<long double>(mx) + 0.5L) * image_width / map.width();
        const long double cy = (static_cast<long double>(my) + 0.5L) * image_height / map.height();
        // Within one pixel of the exact centre, allowing for the library's double rounding of
        // centres above 2^53 (a few ulps of the centre).
        const auto near = [](long double centre, index_t start, index_t size, index_t limit) {
            const long double wanted = std::clamp<long double>(std::floor(centre) - size / 2, 0, static_cast<long double>(limit - size));
            return std::fabs(wanted - static_cast<long double>(start)) <= 1.0L + centre * 1e-15L;
        };
        if (near(cx, placed->x, width, image_width) && near(cy, placed->y, height, image_height)) centred = true;
    }
    if (!centred) {
        std::fprintf(stderr, "box x=%td y=%td %tdx%td in %tdx%td, map %tdx%td, policy %s\n", placed->x, placed->y, width,
                     height, image_width, image_height, map.width(), map.height(), resizemix::to_string(policy));
        for (const auto& [mx, my] : resizemix::extreme_pixels(map, policy)) std::fprintf(stderr, "  extreme (%td, %td)\n", mx, my);
    }
    RESIZEMIX_FUZZ_CHECK(centred);
}

void check_centred_box_inside(byte_reader& in) {
    const index_t image_width = draw_extent(in);
    const index_t image_height = draw_extent(in);
    const index_t width = in.in_range(0, image_width);
    const index_t height = in.in_range(0, image_height);
    // Any centre at all: inside the image, or anywhere in the index type (a caller's bad arithmetic).
    const index_t centre_x = in.flag() ? in.in_range(0, image_width - 1) : static_cast<index_t>(in.u64());
    const index_t centre_y = in.flag() ? in.in_range(0, image_height - 1) : static_cast<index_t>(in.u64());
    try {
        const box b = resizemix::centred_box_inside(centre_x, centre_y, width, height, image_width, image_height);
        RESIZEMIX_FUZZ_CHECK(width >= 1 && height >= 1);
        RESIZEMIX_FUZZ_CHECK(b.width == width && b.height == height && b.inside(image_width, image_height));
    } catch (const resizemix::error&) {
        RESIZEMIX_FUZZ_CHECK(width < 1 || height < 1);
    }
}

void check_grad_cam(byte_reader& in) {
    const index_t k = in.in_range(1, 8);
    const index_t height = in.in_range(1, 16);
    const index_t width = in.in_range(1, 16);
    fuzz::image_buffer<float> activations(k, height, width, fuzz::layout<3>::draw(in));
    fuzz::image_buffer<float> gradients(k, height, width, fuzz::layout<3>::draw(in));
    const bool special = in.flag();
    const bool negative = in.flag();
    fuzz::fill_pixels(activations.view, in, special);
    fuzz::fill_pixels(gradients.view, in, special);
    if (negative) {  // gradients of both signs, so the ReLU matters
        for (index_t c = 0; c < k; ++c)
            for (index_t y = 0; y < height; ++y)
                for (index_t x = 0; x < width; ++x) gradients.view(c, y, x) -= 0.5f;
    }
    const std::vector<float> activations_before = activations.memory.storage();
    const std::vector<float> gradients_before = gradients.memory.storage();
    const resizemix::saliency_map map = resizemix::grad_cam(activations.view, gradients.view);
    RESIZEMIX_FUZZ_CHECK(activations.memory.outside_untouched() && gradients.memory.outside_untouched());
    RESIZEMIX_FUZZ_CHECK(fuzz::same_storage(activations.memory.storage(), activations_before));
    RESIZEMIX_FUZZ_CHECK(fuzz::same_storage(gradients.memory.storage(), gradients_before));
    RESIZEMIX_FUZZ_CHECK(map.height() == height && map.width() == width);

    // Reference in double: ReLU(sum_k mean(grad_k) * A_k).
    std::vector<double> weights(static_cast<std::size_t>(k), 0.0);
    double magnitude = 0.0;
    bool finite = true;
    for (index_t c = 0; c < k; ++c) {
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x) {
                const float g = gradients.view(c, y, x);
                const float a = activations.view(c, y, x);
                finite = finite && std::isfinite(g) && std::isfinite(a) && std::fabs(g) < 1e15f && std::fabs(a) < 1e15f;
                weights[static_cast<std::size_t>(c)] += g;
                magnitude = std::max({magnitude, std::fabs(static_cast<double>(g)), std::fabs(static_cast<double>(a))});
            }
        weights[static_cast<std::size_t>(c)] /= static_cast<double>(height * width);
    }
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            const float value = map(y, x);
            // ReLU: never negative; NaN only when an input was not finite.
            RESIZEMIX_FUZZ_CHECK(!(value < 0.0f));
            if (!finite) continue;
            double sum = 0.0;
            for (index_t c = 0; c < k; ++c) sum += weights[static_cast<std::size_t>(c)] * activations.view(c, y, x);
            const double expected = std::max(0.0, sum);
            RESIZEMIX_FUZZ_CHECK(std::isfinite(value));
            RESIZEMIX_FUZZ_CHECK(std::fabs(value - expected) <= 1e-4 * std::max(1.0, magnitude * magnitude * static_cast<double>(k)));
        }
    check_extremes(map);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    byte_reader in({data, size});
    switch (in.u8() % 4U) {
        case 0: {
            const auto map = draw_map(in);
            check_extremes(map);
            check_place_box(in, map);
            break;
        }
        case 1: check_centred_box_inside(in); break;
        case 2: check_grad_cam(in); break;
        default: {
            // A saliency-guided CutMix on a small image with the drawn map: a clear error or a box per Appendix A.
            const auto map = draw_map(in);
            resizemix::image<std::uint8_t> image(1, in.in_range(1, 32), in.in_range(1, 32));
            const resizemix::pair_saliency maps{map, map};
            resizemix::rng random(in.u64());
            const resizemix::cut_mix mixer{.alpha = 1.0f, .source_region = region::salient, .paste_region = region::non_salient};
            try {
                const auto info = mixer(image.const_view(), image.const_view(), image.view(), random, maps);
                RESIZEMIX_FUZZ_CHECK(info.box.empty() || info.box.inside(image.width(), image.height()));
            } catch (const resizemix::error&) {
                bool any_finite = false;
                for (const float v : map.values()) any_finite = any_finite || std::isfinite(v);
                RESIZEMIX_FUZZ_CHECK(!any_finite);
            }
            break;
        }
    }
    return 0;
}
