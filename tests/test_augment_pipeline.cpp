// Tests for resizemix/augment/pipeline.hpp: augment_after equals "mix, then rand_augment the mixed
// image" and augment_before equals "rand_augment each image, then mix", both replayed by hand from
// copies of the stream; the record; mix_batch in place, out of place and on 1/2/4 threads; typed
// and run-time composition; bad uses.
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/augment/pipeline.hpp>
#include <resizemix/batch.hpp>
#include <resizemix/compose.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/mixers/mixup.hpp>
#include <resizemix/mixers/resizemix.hpp>

#include "support.hpp"

using namespace resizemix;
using Catch::Contains;

namespace {

std::vector<applied_op> ops_on(const mix_info& info, augment_stage stage) {
    std::vector<applied_op> ops;
    for (const auto& step : info.augmentations)
        if (step.stage == stage) ops.push_back(step);
    return ops;
}

}  // namespace

TEMPLATE_TEST_CASE("augment_after: mix with the mixer's own draws, then augment the mixed image", "[augment][pipeline]",
                   std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 24, 30, 1);
    const auto target = test_support::noise_image<TestType>(3, 24, 30, 2);
    const rand_augment augmentation{.num_ops = 3, .magnitude = 15};
    const auto pipeline = augment_after(resize_mix{}, augmentation);
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        rng random(seed);
        rng replay = random;
        image<TestType> out(3, 24, 30);
        const mix_info info = pipeline(source.const_view(), target.const_view(), out.view(), random);

        image<TestType> expected(3, 24, 30);
        const mix_info plain = resize_mix{}(source.const_view(), target.const_view(), expected.view(), replay);
        const std::vector<applied_op> ops = augmentation.draw(replay, 24, 30, augment_stage::output);
        augmentation.apply(ops, expected.view());

        CHECK(info.paste_box == plain.box);
        CHECK(info.box == box{0, 0, 30, 24});
        CHECK(info.lambda == plain.lambda);
        CHECK(info.method == plain.method);
        CHECK(info.augmentations == ops);
        CHECK(replay.position() == random.position());
        CHECK(test_support::same_values(out.const_view(), expected.const_view()));
    }
}

TEMPLATE_TEST_CASE("augment_before: augment source, then target, each on its own, then mix", "[augment][pipeline]",
                   std::uint8_t, float) {
    const auto source = test_support::noise_image<TestType>(3, 20, 26, 3);
    const auto target = test_support::noise_image<TestType>(3, 20, 26, 4);
    const rand_augment augmentation{.num_ops = 2, .magnitude = 20, .interpolation = interpolation::bilinear};
    const auto pipeline = augment_before(cut_mix{}, augmentation);
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        rng random(seed);
        rng replay = random;
        image<TestType> out(3, 20, 26);
        const mix_info info = pipeline(source.const_view(), target.const_view(), out.view(), random);

        const mix_info plain = cut_mix{}.plan(source.const_view(), target.const_view(), replay, no_saliency{});
        const auto source_ops = augmentation.draw(replay, 20, 26, augment_stage::source);
        const auto target_ops = augmentation.draw(replay, 20, 26, augment_stage::target);
        CHECK(ops_on(info, augment_stage::source) == source_ops);
        CHECK(ops_on(info, augment_stage::target) == target_ops);
        CHECK(info.augmentations.size() == 4);
        CHECK(info.paste_box == plain.box);

        image<TestType> augmented_source = source;
        image<TestType> expected = target;
        augmentation.apply(source_ops, augmented_source.view());
        augmentation.apply(target_ops, expected.view());
        const image<TestType> augmented_target = expected;
        if (!plain.box.empty()) {
            cut_mix{}.render(plain, augmented_source.const_view(), augmented_target.const_view(),
                             expected.view().subview(plain.box));
        }
        CHECK(test_support::same_values(out.const_view(), expected.const_view()));
    }
}

TEMPLATE_TEST_CASE("pipelines in mix_batch: in place, out of place and 1/2/4 threads give the same bytes",
                   "[augment][pipeline]", std::uint8_t, float) {
    const index_t count = 7;
    std::vector<TestType> pixels(static_cast<std::size_t>(count * 3 * 18 * 22));
    test_support::fixture_random fixture(9);
    for (auto& p : pixels) p = test_support::level<TestType>(static_cast<double>(fixture.between(0, 255)));
    // uint8 interleaved, float planar: the two layouts mix_batch is used with.
    const auto view_of = [&](std::vector<TestType>& data) {
        return std::is_same_v<TestType, std::uint8_t> ? from_nhwc(data.data(), count, 18, 22, 3)
                                                      : from_nchw(data.data(), count, 3, 18, 22);
    };
    const auto mixer = one_of({{augment_after(resize_mix{}, rand_augment{}), 1.0},
                               {augment_before(mixup{}, rand_augment{.num_ops = 1}), 1.0},
                               {cut_mix{}, 1.0}});
    batch_options options;
    options.seed = 5;
    options.epoch = 3;
    options.num_classes = 4;
    const std::vector<std::int64_t> labels{0, 1, 2, 3, 0, 1, 2};

    std::vector<TestType> reference(pixels.size());
    const auto reference_result = mix_batch(mixer, batch_view<const TestType>(view_of(pixels)), labels, view_of(reference), options);
    for (const unsigned threads : {1U, 2U, 4U}) {
        options.threads = threads;
        std::vector<TestType> out_of_place(pixels.size());
        const auto result = mix_batch(mixer, batch_view<const TestType>(view_of(pixels)), labels, view_of(out_of_place), options);
        CHECK(out_of_place == reference);
        std::vector<TestType> in_place = pixels;
        (void)mix_batch(mixer, view_of(in_place), labels, view_of(in_place), options);
        CHECK(in_place == reference);
        CHECK(result.labels == reference_result.labels);
        for (index_t i = 0; i < count; ++i) CHECK(result.samples[i].info.augmentations == reference_result.samples[i].info.augmentations);
    }
    // Sample i's record is the pipeline's plan on its own stream.
    const auto partners = partners_for(options, count);
    for (index_t i = 0; i < count; ++i) {
        rng random = sample_stream(options, i);
        const auto batch = batch_view<const TestType>(view_of(pixels));
        const mix_info alone = mixer.plan(batch[partners[i]], batch[i], random, no_saliency{});
        CHECK(reference_result.samples[i].info.augmentations == alone.augmentations);
        CHECK(reference_result.samples[i].info.lambda == alone.lambda);
    }
}

TEST_CASE("pipelines refuse nesting and unsupported images before writing", "[augment][pipeline]") {
    const auto rgb = test_support::noise_image<std::uint8_t>(3, 8, 8, 1);
    image<std::uint8_t> out(3, 8, 8);
    rng random(0);
    const auto nested = augment_after(augment_after(resize_mix{}, rand_augment{}), rand_augment{});
    CHECK_THROWS_WITH(nested(rgb.const_view(), rgb.const_view(), out.view(), random),
                      Contains("augment_after") && Contains("pipelines do not nest"));
    const auto four = test_support::noise_image<std::uint8_t>(4, 8, 8, 1);
    image<std::uint8_t> four_out(4, 8, 8);
    rng fresh(0);
    CHECK_THROWS_WITH(augment_before(mixup{}, rand_augment{})(four.const_view(), four.const_view(), four_out.view(), fresh),
                      Contains("needs 1 or 3 channels (grayscale or RGB), got 4"));
    CHECK(fresh.position() == 0);
    CHECK_THROWS_WITH(augment_after(mixup{}, rand_augment{.magnitude = 40})(rgb.const_view(), rgb.const_view(), out.view(), fresh),
                      Contains("magnitude must be in [0, num_magnitude_bins)"));
}
