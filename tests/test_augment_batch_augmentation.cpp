// Tests for resizemix/augment/batch_augmentation.hpp: copy 0 is mix_batch itself, copy r is
// mix_batch with repeat_seed(seed, r), copies differ, label rows follow their samples, thread
// counts agree, bad shapes are refused, and the README's RandAugment snippet runs.
#include <cstdint>
#include <set>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/augment/batch_augmentation.hpp>
#include <resizemix/augment/pipeline.hpp>
#include <resizemix/mixers/resizemix.hpp>

#include "support.hpp"

using namespace resizemix;
using Catch::Contains;

TEMPLATE_TEST_CASE("mix_batch_repeated: copy r is mix_batch with repeat_seed(seed, r)", "[augment][batch_augmentation]",
                   std::uint8_t, float) {
    const index_t count = 5;
    const index_t repeats = 3;
    const index_t plane = 3 * 16 * 20;
    std::vector<TestType> input(static_cast<std::size_t>(count * plane));
    test_support::fixture_random fixture(4);
    for (auto& p : input) p = test_support::level<TestType>(static_cast<double>(fixture.between(0, 255)));
    const auto input_view = batch_view<const TestType>(from_nhwc(input.data(), count, 16, 20, 3));
    const std::vector<std::int64_t> labels{0, 1, 2, 1, 0};
    const auto mixer = augment_after(resize_mix{}, rand_augment{});
    batch_options options;
    options.seed = 21;
    options.num_classes = 3;

    std::vector<TestType> output(static_cast<std::size_t>(repeats * count * plane));
    const auto result = mix_batch_repeated(mixer, input_view, labels, from_nhwc(output.data(), repeats * count, 16, 20, 3),
                                           repeats, options);
    REQUIRE(result.samples.size() == static_cast<std::size_t>(repeats * count));
    REQUIRE(result.labels.rows() == repeats * count);
    CHECK(repeat_seed(21, 0) == 21);
    std::set<std::uint64_t> seeds;
    for (index_t copy = 0; copy < repeats; ++copy) {
        seeds.insert(repeat_seed(options.seed, static_cast<std::uint64_t>(copy)));
        batch_options copy_options = options;
        copy_options.seed = repeat_seed(options.seed, static_cast<std::uint64_t>(copy));
        std::vector<TestType> expected(static_cast<std::size_t>(count * plane));
        const auto alone = mix_batch(mixer, input_view, labels, from_nhwc(expected.data(), count, 16, 20, 3), copy_options);
        CHECK(std::equal(expected.begin(), expected.end(), output.begin() + copy * count * plane));
        CHECK(result.labels.middleRows(copy * count, count) == alone.labels);
        for (index_t i = 0; i < count; ++i) {
            CHECK(result.samples[static_cast<std::size_t>(copy * count + i)].partner == alone.samples[i].partner);
            CHECK(result.samples[static_cast<std::size_t>(copy * count + i)].info.augmentations == alone.samples[i].info.augmentations);
        }
    }
    CHECK(seeds.size() == static_cast<std::size_t>(repeats));
    CHECK(!std::equal(output.begin(), output.begin() + count * plane, output.begin() + count * plane));

    options.threads = 4;
    std::vector<TestType> threaded(output.size());
    (void)mix_batch_repeated(mixer, input_view, labels, from_nhwc(threaded.data(), repeats * count, 16, 20, 3), repeats, options);
    CHECK(threaded == output);
}

TEST_CASE("mix_batch_repeated dense targets: one-hot rows give the index form's labels bit for bit",
          "[augment][batch_augmentation][labels]") {
    const index_t count = 4;
    const index_t repeats = 2;
    std::vector<float> input(static_cast<std::size_t>(count * 3 * 12 * 10));
    test_support::fixture_random fixture(9);
    for (auto& p : input) p = static_cast<float>(fixture.between(0, 255)) / 255.0f;
    const auto input_view = batch_view<const float>(from_nhwc(input.data(), count, 12, 10, 3));
    const std::vector<std::int64_t> labels{2, 0, 1, 2};
    Eigen::MatrixXf one_hot = Eigen::MatrixXf::Zero(count, 3);
    for (index_t i = 0; i < count; ++i) one_hot(i, labels[static_cast<std::size_t>(i)]) = 1.0f;
    const auto mixer = augment_after(resize_mix{}, rand_augment{});
    batch_options options;
    options.seed = 5;
    options.num_classes = 3;

    std::vector<float> indexed_pixels(static_cast<std::size_t>(repeats) * input.size());
    std::vector<float> dense_pixels(indexed_pixels.size());
    const auto indexed = mix_batch_repeated(mixer, input_view, labels,
                                            from_nhwc(indexed_pixels.data(), repeats * count, 12, 10, 3), repeats, options);
    const auto dense = mix_batch_repeated(mixer, input_view, one_hot,
                                          from_nhwc(dense_pixels.data(), repeats * count, 12, 10, 3), repeats, options);
    CHECK(dense_pixels == indexed_pixels);
    REQUIRE(dense.labels.rows() == repeats * count);
    REQUIRE(dense.labels.cols() == 3);
    CHECK(dense.labels == indexed.labels);  // bit for bit
    for (std::size_t k = 0; k < dense.samples.size(); ++k) {
        CHECK(dense.samples[k].partner == indexed.samples[k].partner);
        CHECK(dense.samples[k].info.augmentations == indexed.samples[k].info.augmentations);
    }
    // Copy 1's rows are its own: mixed from its partners, not a second copy of copy 0.
    CHECK(dense.labels.bottomRows(count) != dense.labels.topRows(count));

    const Eigen::MatrixXf too_few = Eigen::MatrixXf::Zero(count - 1, 3);
    CHECK_THROWS_WITH(mix_batch_repeated(mixer, input_view, too_few,
                                         from_nhwc(dense_pixels.data(), repeats * count, 12, 10, 3), repeats, options),
                      Contains("targets"));
}

TEST_CASE("mix_batch_repeated refuses bad repeats and output sizes", "[augment][batch_augmentation]") {
    std::vector<std::uint8_t> input(static_cast<std::size_t>(4 * 3 * 8 * 8));
    std::vector<std::uint8_t> output(static_cast<std::size_t>(7 * 3 * 8 * 8));
    const auto in = batch_view<const std::uint8_t>(from_nhwc(input.data(), 4, 8, 8, 3));
    CHECK_THROWS_WITH(mix_batch_repeated(resize_mix{}, in, {}, from_nhwc(output.data(), 7, 8, 8, 3), 2),
                      Contains("output has 7 samples but repeats x count = 2 x 4 = 8"));
    CHECK_THROWS_WITH(mix_batch_repeated(resize_mix{}, in, {}, from_nhwc(output.data(), 4, 8, 8, 3), 0),
                      Contains("repeats must be at least 1, got 0"));
}

TEST_CASE("README: the RandAugment snippet", "[augment][pipeline]") {
    const std::uint64_t seed = 7;
    auto photo = test_support::load_photo("chelsea.png");
    const auto original = photo;
    std::vector<std::uint8_t> input_pixels(static_cast<std::size_t>(4 * 3 * 24 * 32), 0);
    std::vector<std::uint8_t> output_pixels(2 * input_pixels.size(), 0);
    test_support::fixture_random fixture(seed);
    for (auto& p : input_pixels) p = static_cast<std::uint8_t>(fixture.between(0, 255));
    const auto input = batch_view<const std::uint8_t>(from_nhwc(input_pixels.data(), 4, 24, 32, 3));
    const auto output = from_nhwc(output_pixels.data(), 8, 24, 32, 3);
    const std::vector<std::int64_t> labels{0, 1, 1, 0};
    batch_options options;
    options.num_classes = 2;

    // --- the README's lines ---
    resizemix::rng random(seed);
    const auto ops = resizemix::rand_augment{}(photo.view(), random);  // 2 ops at bin 9 of 31, in place
    resizemix::rotate(photo.view(), 15.0);                             // any op alone, explicit magnitude
    const auto resizemix_plus = resizemix::augment_after(resizemix::resize_mix{}, resizemix::rand_augment{});
    const auto result = resizemix::mix_batch_repeated(resizemix_plus, input, labels, output, 2, options);
    // ---

    CHECK(ops.size() == 2);
    CHECK(!test_support::same_values(photo.const_view(), original.const_view()));
    REQUIRE(result.samples.size() == 8);
    for (const auto& sample : result.samples) CHECK(sample.info.augmentations.size() == 2);
    CHECK(result.labels.rows() == 8);
}
