// resizemix/saliency_map.hpp: saliency maps, region policies, and picking boxes from a map.
//
// The saliency-guided CutMix variants of the ResizeMix paper (Table 1,
// Appendix A) take the set of pixels at a map's maximum (salient) or minimum
// (non-salient), draw a centre uniformly from that set, and shift the box back
// inside the image. Maps of any resolution relate to image coordinates by
// scaling. Maps reach the mixers through a callback, so Grad-CAM from the
// user's network (grad_cam.hpp) or any other map plugs in. Eigen-free: every
// mixer includes this header.
#pragma once

#include <cmath>
#include <concepts>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

#include "error.hpp"
#include "geometry.hpp"
#include "random.hpp"
#include "view.hpp"

namespace resizemix {

/// An owning height x width map of floats, row-major. Higher means more salient.
class saliency_map {
public:
    saliency_map() = default;
    /// A zero map of the given size (both at least 1).
    saliency_map(index_t height, index_t width)
        : saliency_map(height, width,
                       std::vector<float>(static_cast<std::size_t>(
                           detail::checked_product("saliency_map", "height * width", height, width)))) {}
    /// Takes `values` in row-major order; values.size() must be height * width.
    saliency_map(index_t height, index_t width, std::vector<float> values)
        : height_(height), width_(width), values_(std::move(values)) {
        if (height < 1 || width < 1) {
            detail::fail("saliency_map", "height and width must be at least 1, got ", height, "x", width);
        }
        if (static_cast<index_t>(values_.size()) !=
            detail::checked_product("saliency_map", "height * width", height, width)) {
            detail::fail("saliency_map", "expected ", height * width, " values for ", height, "x",
                         width, ", got ", values_.size());
        }
    }

    [[nodiscard]] index_t height() const noexcept { return height_; }
    [[nodiscard]] index_t width() const noexcept { return width_; }
    [[nodiscard]] bool empty() const noexcept { return values_.empty(); }
    [[nodiscard]] float& operator()(index_t y, index_t x) noexcept { return values_[static_cast<std::size_t>(y * width_ + x)]; }
    [[nodiscard]] float operator()(index_t y, index_t x) const noexcept { return values_[static_cast<std::size_t>(y * width_ + x)]; }
    [[nodiscard]] const std::vector<float>& values() const noexcept { return values_; }
    [[nodiscard]] float* data() noexcept { return values_.data(); }
    [[nodiscard]] const float* data() const noexcept { return values_.data(); }

private:
    index_t height_ = 0;
    index_t width_ = 0;
    std::vector<float> values_;
};

/// The map of channel `channel` of an image (for example a grayscale saliency file).
template <class T>
[[nodiscard]] saliency_map saliency_from_image(image_view<T> image, index_t channel = 0) {
    const auto plane = image.channel(channel);
    saliency_map map(image.height(), image.width());
    for (index_t y = 0; y < image.height(); ++y)
        for (index_t x = 0; x < image.width(); ++x) map(y, x) = static_cast<float>(plane(0, y, x));
    return map;
}

/// Where a mixer takes or puts a box.
enum class region {
    random,         ///< uniform over every position where the box fits
    corresponding,  ///< the paste box sits where the source box was taken (CutMix)
    salient,        ///< centred on a pixel drawn from the map's maximum set
    non_salient,    ///< centred on a pixel drawn from the map's minimum set
};

/// The policy's name as the CLI spells it ("random", "corresponding", "salient", "non-salient").
[[nodiscard]] constexpr const char* to_string(region policy) noexcept {
    switch (policy) {
        case region::random: return "random";
        case region::corresponding: return "corresponding";
        case region::salient: return "salient";
        case region::non_salient: return "non-salient";
    }
    return "unknown";
}

/// True for the policies that read a saliency map.
[[nodiscard]] constexpr bool needs_saliency(region policy) noexcept {
    return policy == region::salient || policy == region::non_salient;
}

/// Which image of a pair a saliency map is asked for.
enum class image_role { source, target };

/// What a saliency callback is asked: the map of the `role` image, which is
/// sample `image_index` of the batch (-1 when mixing a single pair), of the given size.
struct saliency_query {
    image_role role = image_role::source;
    index_t image_index = -1;
    index_t height = 0;
    index_t width = 0;
};

/// A callable giving the saliency map of an image: `f(const saliency_query&)`
/// returning a saliency_map (by value or const reference).
template <class F>
concept saliency_provider = std::invocable<F&, const saliency_query&> &&
                            std::convertible_to<std::invoke_result_t<F&, const saliency_query&>, saliency_map>;

/// The run-time plug-in form of a saliency_provider (what the CLI uses).
using saliency_callback = std::function<saliency_map(const saliency_query&)>;

/// The provider used when the caller gives none: any policy that needs a map is an error.
struct no_saliency {
    saliency_map operator()(const saliency_query&) const { return {}; }
};

/// A provider answering with two fixed maps (either may be empty when unused).
struct pair_saliency {
    saliency_map source;
    saliency_map target;
    const saliency_map& operator()(const saliency_query& query) const noexcept {
        return query.role == image_role::source ? source : target;
    }
};

/// The map pixels at the map's maximum (`salient`) or minimum (`non_salient`),
/// as (x, y) pairs in row-major order. Ties are kept: every pixel at the
/// extreme is in the set. Non-finite values are ignored; a map with no finite
/// value is an error.
[[nodiscard]] inline std::vector<std::pair<index_t, index_t>> extreme_pixels(const saliency_map& map,
                                                                             region policy) {
    if (!needs_saliency(policy)) {
        detail::fail("extreme_pixels", "policy must be salient or non-salient, got ", to_string(policy));
    }
    if (map.empty()) detail::fail("extreme_pixels", "the saliency map is empty");
    const bool want_maximum = policy == region::salient;
    bool found = false;
    float extreme = 0.0f;
    for (const float value : map.values()) {
        if (!std::isfinite(value)) continue;
        if (!found || (want_maximum ? value > extreme : value < extreme)) extreme = value;
        found = true;
    }
    if (!found) detail::fail("extreme_pixels", "the ", map.height(), "x", map.width(), " saliency map has no finite value");
    std::vector<std::pair<index_t, index_t>> pixels;
    for (index_t y = 0; y < map.height(); ++y)
        for (index_t x = 0; x < map.width(); ++x)
            if (map(y, x) == extreme) pixels.emplace_back(x, y);
    return pixels;
}

/// Places a width x height box in an image_width x image_height image by a
/// policy: random (uniform over all fitting positions: draws x then y), or
/// salient / non-salient (draws one pixel of the extreme set, maps it to image
/// coordinates by scaling, centres the box there and shifts it inside).
/// `corresponding` has no meaning here and is an error.
[[nodiscard]] inline box place_box(region policy, index_t width, index_t height, index_t image_width,
                                   index_t image_height, const saliency_map* map, rng& random) {
    if (width < 1 || height < 1 || width > image_width || height > image_height) {
        detail::fail("place_box", "a ", width, "x", height, " box does not fit a ", image_width, "x",
                     image_height, " image");
    }
    switch (policy) {
        case region::random: {
            const index_t x = random.integer(0, image_width - width);
            const index_t y = random.integer(0, image_height - height);
            return {x, y, width, height};
        }
        case region::salient:
        case region::non_salient: {
            if (map == nullptr || map->empty()) {
                detail::fail("place_box", "region ", to_string(policy), " needs a saliency map, got none");
            }
            const auto pixels = extreme_pixels(*map, policy);
            const auto [map_x, map_y] = pixels[static_cast<std::size_t>(
                random.integer(0, static_cast<std::int64_t>(pixels.size()) - 1))];
            // The centre of map pixel (map_x, map_y), scaled to image pixels.
            const auto centre_x = static_cast<index_t>(
                (static_cast<double>(map_x) + 0.5) * static_cast<double>(image_width) / static_cast<double>(map->width()));
            const auto centre_y = static_cast<index_t>(
                (static_cast<double>(map_y) + 0.5) * static_cast<double>(image_height) / static_cast<double>(map->height()));
            return centred_box_inside(centre_x, centre_y, width, height, image_width, image_height);
        }
        case region::corresponding: break;
    }
    detail::fail("place_box", "region ", to_string(policy), " cannot place a box on its own");
}

}  // namespace resizemix
