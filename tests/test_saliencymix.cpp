// Tests of resizemix/mixers/saliencymix.hpp: the box against the authors' saliency_bbox
// (written out below from their train.py) on our fine-grained map, on square and
// non-square images; every output pixel; lambda the exact share; a source of another
// size; composition, mix_batch in place and on threads; bad parameters.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/batch.hpp>
#include <resizemix/compose.hpp>
#include <resizemix/fine_grained_saliency.hpp>
#include <resizemix/mixers/resizemix.hpp>
#include <resizemix/mixers/saliencymix.hpp>
#include <resizemix/resize.hpp>

#include "support.hpp"

using namespace resizemix;
using Catch::Contains;

namespace {

/// The authors' saliency_bbox(img, lam) for a C x H x W tensor, with their names: "W" is
/// size[1] (the rows), x the row of np.argmax over (map * 255).astype("uint8"), the box
/// np.clip-ped; returned as a resizemix box (columns first).
box authors_saliency_bbox(const saliency_map& map, double lam) {
    const index_t W = map.height();  // img.size()[1]
    const index_t H = map.width();   // img.size()[2]
    const double cut_rat = std::sqrt(1.0 - lam);
    const auto cut_w = static_cast<index_t>(static_cast<double>(W) * cut_rat);  // np.int
    const auto cut_h = static_cast<index_t>(static_cast<double>(H) * cut_rat);
    std::vector<std::uint8_t> quantised(map.values().size());
    for (std::size_t k = 0; k < quantised.size(); ++k)
        quantised[k] = static_cast<std::uint8_t>(map.values()[k] * 255.0f);  // astype truncates
    const auto flat = static_cast<index_t>(std::max_element(quantised.begin(), quantised.end()) - quantised.begin());
    const index_t x = flat / map.width();  // np.unravel_index: (row, column)
    const index_t y = flat % map.width();
    const index_t bbx1 = std::clamp<index_t>(x - cut_w / 2, 0, W);
    const index_t bby1 = std::clamp<index_t>(y - cut_h / 2, 0, H);
    const index_t bbx2 = std::clamp<index_t>(x + cut_w / 2, 0, W);
    const index_t bby2 = std::clamp<index_t>(y + cut_h / 2, 0, H);
    // input[:, :, bbx1:bbx2, bby1:bby2]: rows bbx, columns bby.
    return {bby1, bbx1, bby2 - bby1, bbx2 - bbx1};
}

/// A picture with a bright blob somewhere, over noise, so the peak moves with the seed.
image<std::uint8_t> blob_picture(index_t height, index_t width, std::uint64_t seed) {
    image<std::uint8_t> picture = test_support::noise_image<std::uint8_t>(3, height, width, seed);
    test_support::fixture_random random(seed + 100);
    const index_t cx = random.between(0, width - 1);
    const index_t cy = random.between(0, height - 1);
    for (index_t c = 0; c < 3; ++c)
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x) {
                const bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < 30;
                picture(c, y, x) = static_cast<std::uint8_t>(inside ? 255 : picture(c, y, x) / 4);
            }
    return picture;
}

}  // namespace

TEST_CASE("saliency_mix cuts the box of the authors' saliency_bbox, square or not", "[saliency_mix]") {
    for (const auto& [height, width] : std::vector<std::pair<index_t, index_t>>{{40, 40}, {36, 57}, {61, 29}}) {
        for (std::uint64_t seed = 0; seed < 12; ++seed) {
            const image<std::uint8_t> source = blob_picture(height, width, seed);
            const image<std::uint8_t> target = test_support::noise_image<std::uint8_t>(3, height, width, seed + 7);
            for (const float alpha : {0.5f, 1.0f, 3.0f}) {
                rng random(seed * 31 + 5);
                rng replay = random;
                const double lam = replay.beta(alpha);
                const box expected = authors_saliency_bbox(fine_grained_saliency(source.const_view()), lam);
                const mix_info info = saliency_mix{.alpha = alpha}.plan(source.const_view(), target.const_view(),
                                                                        random, no_saliency{});
                CAPTURE(height, width, seed, alpha, lam);
                CHECK(random.position() == replay.position());  // one Beta draw, nothing else
                if (expected.empty()) {
                    CHECK(info.box.empty());
                    CHECK(info.lambda == 0.0);
                    continue;
                }
                CHECK(info.box == expected);
                CHECK(info.source_box == expected);
                CHECK(info.method == std::string_view("saliencymix"));
                // The authors' label weight is 1 - the box's share; ours is the share.
                CHECK(info.lambda == static_cast<double>(expected.area()) / static_cast<double>(height * width));
            }
        }
    }
}

TEMPLATE_TEST_CASE("saliency_mix: the source inside the box, the target outside, in place too", "[saliency_mix]",
                   std::uint8_t, float) {
    const image<std::uint8_t> bytes = blob_picture(33, 45, 4);
    image<TestType> source(3, 33, 45, memory_layout::chw);
    for (index_t c = 0; c < 3; ++c)
        for (index_t y = 0; y < 33; ++y)
            for (index_t x = 0; x < 45; ++x) source(c, y, x) = test_support::level<TestType>(bytes(c, y, x));
    const image<TestType> target = test_support::noise_image<TestType>(3, 33, 45, 9);
    image<TestType> out(3, 33, 45);
    rng random(2);
    const mix_info info = saliency_mix{}(source, target, out, random);
    REQUIRE_FALSE(info.box.empty());
    for (index_t c = 0; c < 3; ++c)
        for (index_t y = 0; y < 33; ++y)
            for (index_t x = 0; x < 45; ++x)
                CHECK(out(c, y, x) == (info.box.contains(x, y) ? source(c, y, x) : target(c, y, x)));
    image<TestType> in_place = target;
    rng again(2);
    saliency_mix{}(source, in_place, in_place, again);
    CHECK(test_support::same_values(in_place.const_view(), out.const_view()));
}

TEST_CASE("saliency_mix: a source of another size is read, map included, as resized to the target", "[saliency_mix]") {
    const image<std::uint8_t> source = blob_picture(50, 70, 3);
    const image<std::uint8_t> target = test_support::noise_image<std::uint8_t>(3, 30, 40, 1);
    image<std::uint8_t> resized(3, 30, 40);
    resize(source.const_view(), resized.view(), interpolation::bilinear);
    image<std::uint8_t> direct(3, 30, 40), via_resized(3, 30, 40);
    rng first(8), second(8);
    const mix_info a = saliency_mix{}(source, target, direct, first);
    const mix_info b = saliency_mix{}(resized, target, via_resized, second);
    CHECK(a.box == b.box);
    CHECK(test_support::same_values(direct.const_view(), via_resized.const_view()));
}

TEST_CASE("saliency_mix in mix_batch: in place, out of place, 1/2/4 threads, through one_of", "[saliency_mix][batch]") {
    const index_t count = 7, height = 24, width = 32;
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(count * height * width * 3));
    test_support::fixture_random random(12);
    for (auto& p : pixels) p = static_cast<std::uint8_t>(random.between(0, 255));
    const auto mixer = one_of({{saliency_mix{}, 2.0}, {resize_mix{}, 1.0}});
    CHECK(patch_may_alias_target(mixer));
    batch_options options;
    options.seed = 5;
    options.num_classes = 3;
    const std::vector<std::int64_t> labels{0, 1, 2, 0, 1, 2, 0};
    std::vector<std::uint8_t> reference(pixels.size());
    const auto expected = mix_batch(mixer, from_nhwc<const std::uint8_t>(pixels.data(), count, height, width, 3), labels,
                                    from_nhwc(reference.data(), count, height, width, 3), options);
    CHECK(reference != pixels);
    for (const unsigned threads : {1U, 2U, 4U}) {
        options.threads = threads;
        std::vector<std::uint8_t> copy = pixels;
        const auto view = from_nhwc(copy.data(), count, height, width, 3);
        const auto result = mix_batch(mixer, view, labels, view, options);
        CHECK(copy == reference);
        CHECK(result.labels.isApprox(expected.labels));
    }
}

TEST_CASE("saliency_mix refuses a bad alpha", "[saliency_mix]") {
    const image<std::uint8_t> picture = test_support::noise_image<std::uint8_t>(3, 8, 8, 1);
    image<std::uint8_t> out(3, 8, 8);
    rng random(0);
    for (const float alpha : {0.0f, -1.0f, std::nanf("")})
        CHECK_THROWS_WITH(saliency_mix{.alpha = alpha}(picture, picture, out, random),
                          Contains("saliencymix") && Contains("alpha must be finite and > 0"));
}
