// resizemix/augment/chain.hpp: several augmenters run one after another, as one augmenter.
//
// chain(rand_augment{}, fixed_op{.op = augment_op::equalize}) draws the first augmenter's
// operations, then the second's, from the same stream, and applies them in that order. A chain is
// an augmenter, so augment_after / augment_before (and through them mix_batch) take it as they take
// rand_augment, and each sample's record lists every operation of every link. Chains nest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../error.hpp"
#include "../image.hpp"
#include "../mixer.hpp"
#include "../random.hpp"
#include "../view.hpp"
#include "augment_op.hpp"
#include "geometric.hpp"
#include "pipeline.hpp"
#include "rand_augment.hpp"

namespace resizemix {

/// One operation at an explicit magnitude (apply_op's units), as an augmenter that draws nothing:
/// the fixed step of a chain, e.g. chain(rand_augment{}, fixed_op{.op = augment_op::equalize}).
struct fixed_op {
    static constexpr const char* name = "fixed_op";

    augment_op op = augment_op::identity;
    double magnitude = 0.0;      ///< in apply_op's units for `op`
    warp_options options{};      ///< interpolation and fill of the geometric ops

    /// Throws resizemix::error if apply_op would refuse this op, magnitude or options.
    void validate() const {
        if (static_cast<int>(op) >= augment_op_value_count) {
            detail::fail(name, "op must be one of the ", augment_op_value_count, " augment_op values, got the value ",
                         static_cast<int>(op));
        }
        // A one-pixel image runs apply_op's own checks of the magnitude, so they live in one place
        // and fail here, before a pipeline writes any pixel.
        const index_t channels = options.fill.size() > 1 ? static_cast<index_t>(options.fill.size()) : 1;
        image<std::uint8_t> probe(channels, 1, 1);
        apply_op(op, probe.view(), magnitude, options);
    }

    /// Throws resizemix::error unless the image has 1 or 3 channels (as rand_augment needs) and the fill fits.
    template <class T>
    void check_image(const image_view<T>& image) const {
        if (image.channels() != 1 && image.channels() != 3) {
            detail::fail(name, "needs 1 or 3 channels (grayscale or RGB), got ", image.channels());
        }
        options.validate(name, image.channels());
    }

    /// The one operation, marked `stage`; draws nothing from `random`.
    [[nodiscard]] std::vector<applied_op> draw(rng& /*random*/, index_t /*height*/, index_t /*width*/,
                                               augment_stage stage = augment_stage::output) const {
        validate();
        return {applied_op{.op = op, .magnitude = magnitude, .stage = stage}};
    }

    /// Applies the given operations in turn to `image`, in place, with this step's warp options.
    template <class T>
    void apply(const std::vector<applied_op>& ops, image_view<T> image) const {
        check_image(image);
        for (const applied_op& step : ops) apply_op(step.op, image, step.magnitude, options);
    }
};

namespace detail {

/// How many plain augmenters `A` holds: a chain its links (nested chains flattened), anything else 1.
template <class A>
inline constexpr int augmenter_links = [] {
    if constexpr (requires { A::link_count; }) return A::link_count;
    else return 1;
}();

}  // namespace detail

/// Augmenters run in turn as one augmenter (make one with chain()). draw() asks each link in order
/// and marks its operations with applied_op::link (the link's index, nested chains flattened);
/// apply() hands each link the operations it drew, link after link, so operations given in drawn
/// order run in that order. Memory: nothing beyond what the links need.
template <augmenter... Links>
class augment_chain {
public:
    static_assert(sizeof...(Links) >= 1, "resizemix::chain needs at least one augmenter");
    static constexpr const char* name = "chain";
    /// The number of plain augmenters in this chain, nested chains flattened.
    static constexpr int link_count = (detail::augmenter_links<Links> + ...);
    static_assert(link_count <= 255, "resizemix::chain holds at most 255 augmenters (applied_op::link is 8 bits)");

    explicit augment_chain(Links... links) : links_(std::move(links)...) {}

    /// Validates every link, in order.
    void validate() const {
        std::apply([](const auto&... link) { (validate_mixer(link), ...); }, links_);
    }

    /// Runs the check_image of every link that has one.
    template <class T>
    void check_image(const image_view<T>& image) const {
        std::apply([&](const auto&... link) { (check_link_image(link, image), ...); }, links_);
    }

    /// Every link's draws for a height x width image, link after link, marked `stage`.
    [[nodiscard]] std::vector<applied_op> draw(rng& random, index_t height, index_t width,
                                               augment_stage stage = augment_stage::output) const {
        std::vector<applied_op> drawn;
        int offset = 0;
        std::apply(
            [&](const auto&... link) {
                const auto draw_link = [&](const auto& one) {
                    for (applied_op step : one.draw(random, height, width, stage)) {
                        step.link = static_cast<std::uint8_t>(step.link + offset);
                        drawn.push_back(step);
                    }
                    offset += detail::augmenter_links<std::remove_cvref_t<decltype(one)>>;
                };
                (draw_link(link), ...);
            },
            links_);
        return drawn;
    }

    /// Applies drawn operations in place: each link gets those it drew (link fields relative to it).
    template <class T>
    void apply(const std::vector<applied_op>& ops, image_view<T> image) const {
        for (const applied_op& step : ops) {
            if (step.link >= link_count) {
                detail::fail(name, "an operation names link ", static_cast<int>(step.link), " of a chain of ",
                             link_count);
            }
        }
        int offset = 0;
        std::apply(
            [&](const auto&... link) {
                const auto apply_link = [&](const auto& one) {
                    const int links = detail::augmenter_links<std::remove_cvref_t<decltype(one)>>;
                    std::vector<applied_op> own;
                    for (applied_op step : ops) {
                        if (step.link < offset || step.link >= offset + links) continue;
                        step.link = static_cast<std::uint8_t>(step.link - offset);
                        own.push_back(step);
                    }
                    if (!own.empty()) one.apply(own, image);
                    offset += links;
                };
                (apply_link(link), ...);
            },
            links_);
    }

    /// Draws and applies every link's operations to `image`, in place; returns them as they ran.
    template <class T>
    std::vector<applied_op> operator()(image_view<T> image, rng& random) const {
        validate();
        check_image(image);
        std::vector<applied_op> drawn = draw(random, image.height(), image.width());
        apply(drawn, image);
        return drawn;
    }

private:
    template <class Link, class T>
    static void check_link_image(const Link& link, const image_view<T>& image) {
        if constexpr (requires { link.check_image(image); }) link.check_image(image);
    }

    std::tuple<Links...> links_;
};

/// Runs `links` one after another as one augmenter: augment_after(resize_mix{}, chain(rand_augment{}, ...)).
template <augmenter... Links>
[[nodiscard]] augment_chain<Links...> chain(Links... links) {
    return augment_chain<Links...>(std::move(links)...);
}

}  // namespace resizemix
