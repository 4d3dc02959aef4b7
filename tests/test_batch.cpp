// Tests for resizemix/batch.hpp: pairing, per-sample and per-batch parameters,
// in place == out of place, thread counts, equality with mixing sample by
// sample, soft-label rows, scratch memory, the saliency callback's indices,
// custom executors, and validation before any write.
#include <algorithm>
#include <cstdint>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/batch.hpp>
#include <resizemix/compose.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/mixers/mixup.hpp>
#include <resizemix/mixers/resizemix.hpp>

#include "support.hpp"

using namespace resizemix;
using Catch::Contains;

namespace {

/// A batch with owning storage, NHWC or NCHW, filled with fixture noise.
template <class T>
struct test_batch {
    index_t count, channels, height, width;
    bool interleaved;
    std::vector<T> pixels;

    test_batch(index_t n, index_t c, index_t h, index_t w, bool nhwc, std::uint64_t seed)
        : count(n), channels(c), height(h), width(w), interleaved(nhwc), pixels(static_cast<std::size_t>(n * c * h * w)) {
        test_support::fixture_random random(seed);
        for (auto& p : pixels) p = test_support::level<T>(static_cast<double>(random.between(0, 255)));
    }
    batch_view<T> view() {
        return interleaved ? from_nhwc(pixels.data(), count, height, width, channels)
                           : from_nchw(pixels.data(), count, channels, height, width);
    }
};

template <class T, class Mixer>
std::vector<T> mix_out_of_place(const Mixer& mixer, test_batch<T>& input, const batch_options& options) {
    test_batch<T> output = input;
    std::fill(output.pixels.begin(), output.pixels.end(), T{});
    (void)mix_batch(mixer, batch_view<const T>(input.view()), {}, output.view(), options);
    return output.pixels;
}

template <class T, class Mixer>
std::vector<T> mix_in_place(const Mixer& mixer, const test_batch<T>& input, const batch_options& options) {
    test_batch<T> copy = input;
    (void)mix_batch(mixer, copy.view(), {}, copy.view(), options);
    return copy.pixels;
}

}  // namespace

TEMPLATE_TEST_CASE("mix_batch: in place, out of place and 1/2/4 threads give the same bytes", "[batch]",
                   std::uint8_t, float) {
    // uint8 as NHWC (stb/OpenCV), float as NCHW (PyTorch): the two layouts the issue names.
    const bool interleaved = std::is_same_v<TestType, std::uint8_t>;
    test_batch<TestType> input(12, 3, 23, 31, interleaved, 5);
    const auto mixer = one_of({{resize_mix{}, 1.0}, {cut_mix{}, 1.0}, {mixup{}, 0.5}});
    batch_options options;
    options.seed = 77;
    options.epoch = 2;
    const std::vector<TestType> reference = mix_out_of_place(mixer, input, options);
    CHECK(reference != input.pixels);
    for (const unsigned threads : {1U, 2U, 4U}) {
        options.threads = threads;
        CHECK(mix_out_of_place(mixer, input, options) == reference);
        CHECK(mix_in_place(mixer, input, options) == reference);
    }
}

TEMPLATE_TEST_CASE("mix_batch equals mixing sample by sample with the streams of (seed, epoch, index)", "[batch]",
                   std::uint8_t, float) {
    test_batch<TestType> input(9, 3, 20, 16, true, 8);
    batch_options options;
    options.seed = 3;
    options.epoch = 11;
    options.threads = 2;
    test_batch<TestType> output = input;
    const auto result = mix_batch(resize_mix{}, batch_view<const TestType>(input.view()), {}, output.view(), options);

    test_batch<TestType> expected = input;
    const std::vector<index_t> partners = partners_for(options, input.count);
    for (index_t i = 0; i < input.count; ++i) {
        rng random = rng::for_sample(options.seed, options.epoch, static_cast<std::uint64_t>(i));
        const mix_info info = resize_mix{}(image_view<const TestType>(input.view()[partners[i]]),
                                           image_view<const TestType>(input.view()[i]), expected.view()[i], random);
        CHECK(result.samples[i].partner == partners[i]);
        CHECK(result.samples[i].info.box == info.box);
        CHECK(result.samples[i].info.tau == info.tau);
    }
    CHECK(output.pixels == expected.pixels);
}

TEST_CASE("mix_batch pairing: seeded shuffle, flip, given partners", "[batch]") {
    batch_options options;
    options.seed = 10;
    const auto shuffled = partners_for(options, 50);
    std::vector<index_t> sorted = shuffled;
    std::sort(sorted.begin(), sorted.end());
    for (index_t i = 0; i < 50; ++i) CHECK(sorted[i] == i);  // a permutation
    CHECK(partners_for(options, 50) == shuffled);            // reproducible
    options.epoch = 1;
    CHECK(partners_for(options, 50) != shuffled);  // a new epoch, a new pairing

    options.pairing = pairing::flip;
    const auto flipped = partners_for(options, 5);
    CHECK(flipped == std::vector<index_t>{4, 3, 2, 1, 0});

    options.pairing = pairing::given;
    options.partners = {1, 0, 0};
    CHECK(partners_for(options, 3) == std::vector<index_t>{1, 0, 0});
    CHECK_THROWS_WITH(partners_for(options, 4), Contains("options.partners has 3 entries"));
    options.partners = {1, 0, 3};
    CHECK_THROWS_AS(partners_for(options, 3), resizemix::error);
    CHECK_THROWS_WITH(partners_for(options, 3), Contains("options.partners[2] = 3 is outside [0, 3)"));
}

TEST_CASE("mix_batch per-batch parameters: one tau and one box for every sample", "[batch]") {
    test_batch<std::uint8_t> input(6, 3, 40, 40, true, 2);
    batch_options options;
    options.seed = 4;
    options.parameters = parameter_sharing::per_batch;
    const auto result = mix_batch(resize_mix{}, input.view(), {}, input.view(), options);
    for (const auto& record : result.samples) {
        CHECK(record.info.tau == result.samples[0].info.tau);
        CHECK(record.info.box == result.samples[0].info.box);
    }
    options.parameters = parameter_sharing::per_sample;
    const auto per_sample = mix_batch(resize_mix{}, input.view(), {}, input.view(), options);
    std::set<double> taus;
    for (const auto& record : per_sample.samples) taus.insert(record.info.tau);
    CHECK(taus.size() == per_sample.samples.size());
}

TEST_CASE("mix_batch soft labels: row i mixes the partner's class (lambda) with its own", "[batch]") {
    test_batch<float> input(10, 3, 16, 16, false, 3);
    const std::vector<std::int64_t> labels = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};
    batch_options options;
    options.seed = 6;
    options.num_classes = 5;
    options.label_smoothing = 0.2f;
    const auto result = mix_batch(cut_mix{}, input.view(), labels, input.view(), options);
    REQUIRE(result.labels.rows() == 10);
    REQUIRE(result.labels.cols() == 5);
    for (index_t i = 0; i < 10; ++i) {
        const auto& record = result.samples[i];
        const Eigen::RowVectorXf expected =
            soft_label(record.info, labels[record.partner], labels[i], 5, options.label_smoothing);
        CHECK(result.labels.row(i).isApprox(expected));
        CHECK(result.labels.row(i).sum() == Approx(1.0f));
    }
}

TEST_CASE("mix_batch validates labels and shapes before writing anything", "[batch]") {
    test_batch<std::uint8_t> input(4, 3, 8, 8, true, 1);
    const std::vector<std::uint8_t> before = input.pixels;
    batch_options options;
    options.num_classes = 3;
    const std::vector<std::int64_t> bad = {0, 1, 3, 2};
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), bad, input.view(), options),
                      Contains("labels[2] = 3 is outside [0, 3)"));
    const std::vector<std::int64_t> short_labels = {0, 1};
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), short_labels, input.view(), options),
                      Contains("labels has 2 entries but the batch has 4 samples"));
    options.num_classes = 0;
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), short_labels, input.view(), options),
                      Contains("num_classes is 0"));
    // A policy that needs a map and gets none fails in planning, before any pixel moves.
    CHECK_THROWS_WITH(mix_batch(cut_mix{.source_region = region::salient}, input.view(), {}, input.view(), options),
                      Contains("needs a saliency map"));
    CHECK_THROWS_WITH(mix_batch(resize_mix{.scale_min = 0.9f, .scale_max = 0.2f}, input.view(), {}, input.view(),
                                options),
                      Contains("scale range"));
    CHECK(input.pixels == before);

    test_batch<std::uint8_t> smaller(4, 3, 8, 7, true, 1);
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), {}, smaller.view(), options), Contains("output is"));
    // Output shifted by one sample overlaps the input without being it.
    std::vector<std::uint8_t> shared(5 * 8 * 8 * 3);
    const auto first = from_nhwc(shared.data(), 4, 8, 8, 3);
    const auto shifted = from_nhwc(shared.data() + 8 * 8 * 3, 4, 8, 8, 3);
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, first, {}, shifted, options), Contains("overlaps input"));
}

TEST_CASE("mix_batch in place buffers only the patches", "[batch]") {
    test_batch<std::uint8_t> input(16, 3, 64, 64, true, 4);
    batch_options options;
    options.seed = 12;
    const auto result = mix_batch(resize_mix{}, input.view(), {}, input.view(), options);
    std::size_t patch_elements = 0;
    for (const auto& record : result.samples) patch_elements += static_cast<std::size_t>(record.info.box.area() * 3);
    // With a shuffle and a built-in mixer only run ends are buffered (one patch per partner
    // cycle and per chunk of a thread; the rest go straight into place): never more than all patches.
    CHECK(result.scratch_elements <= patch_elements);
    // tau <= 0.8 so every patch is at most 0.8^2 (+ rounding) of its image: never a copy of the batch.
    CHECK(result.scratch_elements < input.pixels.size() * 7 / 10);

    test_batch<std::uint8_t> output = input;
    const auto out_of_place = mix_batch(resize_mix{}, batch_view<const std::uint8_t>(input.view()), {}, output.view(), options);
    CHECK(out_of_place.scratch_elements == 0);
}

TEST_CASE("mix_batch asks the saliency callback with batch indices, on the calling thread, in order", "[batch]") {
    test_batch<float> input(6, 3, 24, 24, false, 9);
    std::vector<saliency_map> maps;
    for (index_t i = 0; i < 6; ++i) {
        saliency_map map(6, 6);
        map(i % 6, (i * 5) % 6) = 1.0f;  // a distinct maximum per sample
        maps.push_back(map);
    }
    std::vector<saliency_query> queries;
    const auto caller = std::this_thread::get_id();
    bool same_thread = true;
    auto callback = [&](const saliency_query& query) -> const saliency_map& {
        queries.push_back(query);
        same_thread = same_thread && std::this_thread::get_id() == caller;
        return maps.at(static_cast<std::size_t>(query.image_index));
    };
    batch_options options;
    options.seed = 21;
    options.threads = 2;
    const auto result = mix_batch(cut_mix{.source_region = region::salient, .paste_region = region::non_salient},
                                  input.view(), {}, input.view(), options, callback);
    REQUIRE(queries.size() == 12);
    CHECK(same_thread);
    for (index_t i = 0; i < 6; ++i) {
        CHECK(queries[2 * i].role == image_role::source);
        CHECK(queries[2 * i].image_index == result.samples[i].partner);
        CHECK(queries[2 * i + 1].role == image_role::target);
        CHECK(queries[2 * i + 1].image_index == i);
        // The cut box contains the image pixel of the partner's map maximum (scaled by 24 / 6 = 4).
        const index_t partner = result.samples[i].partner;
        const index_t centre_x = ((partner * 5) % 6) * 4 + 2;
        const index_t centre_y = (partner % 6) * 4 + 2;
        CHECK(result.samples[i].info.source_box.contains(centre_x, centre_y));
    }
}

TEST_CASE("mix_batch runs on a user-supplied executor with the same result", "[batch]") {
    test_batch<std::uint8_t> input(8, 3, 16, 16, true, 13);
    batch_options options;
    options.seed = 1;
    const auto reference = mix_out_of_place(resize_mix{}, input, options);
    int calls = 0;
    options.executor = [&calls](index_t count, const std::function<void(index_t)>& task) {
        ++calls;
        for (index_t k = count; k-- > 0;) task(k);  // backwards, to show order does not matter
    };
    CHECK(mix_out_of_place(resize_mix{}, input, options) == reference);
    CHECK(mix_in_place(resize_mix{}, input, options) == reference);
    CHECK(calls == 1 + 2);  // out of place: one pass; in place: render, then paste
}

TEST_CASE("mix_batch rethrows an error raised on a worker thread", "[batch]") {
    test_batch<std::uint8_t> input(8, 3, 16, 16, true, 13);
    batch_options options;
    options.threads = 2;
    options.executor = [](index_t, const std::function<void(index_t)>&) { throw std::runtime_error("pool is gone"); };
    CHECK_THROWS_WITH(mix_batch(resize_mix{}, input.view(), {}, input.view(), options), "pool is gone");
}
