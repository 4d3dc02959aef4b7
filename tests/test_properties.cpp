// Property tests over random shapes, strides and parameters (Catch2 generators;
// fixed seeds, so every run checks the same cases). Every buffer is guarded:
// sentinel elements before and after it and in every gap its strides leave
// (tests/support/fuzz_support.hpp's strided_buffer, shared with the fuzz targets), checked
// after each call. Properties: nothing outside the output view is written;
// outside info.box the output is the target; inside it, the right pixels;
// lambda is in [0, 1] and equals the pixel share; soft labels sum to 1; the
// inputs are untouched; mix_batch gives the same bytes with 1, 2 or 4 threads,
// in place or out of place, and equals mixing sample by sample.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include <resizemix/resizemix.hpp>

#include "fuzz_support.hpp"
#include "support.hpp"

namespace {

using fuzz::image_buffer;
using fuzz::layout;
using fuzz::strided_buffer;
using resizemix::box;
using resizemix::image_view;
using resizemix::index_t;
using resizemix::mix_info;
using resizemix::region;
using test_support::fixture_random;
using test_support::fill_noise;

/// Adapts fixture_random to std::shuffle.
struct random_engine {
    fixture_random* random;
    using result_type = std::uint32_t;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return 0x7FFFFFFF; }
    result_type operator()() { return random->next(); }
};

/// A layout of rank R: row-major or interleaved, sometimes any axis order,
/// padding after some axes, some axes reversed (negative strides).
template <std::size_t Rank>
layout<Rank> random_layout(fixture_random& random) {
    layout<Rank> result;
    for (std::size_t r = 0; r < Rank; ++r) result.order[r] = Rank - 1 - r;
    if (random.between(0, 1) == 1) {
        result.order[0] = Rank - 3;
        result.order[1] = Rank - 1;
        result.order[2] = Rank - 2;
        if constexpr (Rank == 4) result.order[3] = 0;
    }
    if (random.between(0, 3) == 0) std::shuffle(result.order.begin(), result.order.end(), random_engine{&random});
    for (std::size_t r = 0; r < Rank; ++r) {
        result.padding[r] = random.between(0, 3) == 0 ? random.between(1, 3) : 0;
        result.reversed[r] = random.between(0, 3) == 0;
    }
    return result;
}

/// A side of 1 to 40 pixels, 1 and 2 often.
index_t random_side(fixture_random& random) {
    switch (random.between(0, 3)) {
        case 0: return 1;
        case 1: return random.between(1, 3);
        default: return random.between(1, 40);
    }
}

/// Equal within one level (uint8) or 1e-5 (float, values in [0, 1]).
template <class T>
bool close(T a, T b) {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        return std::abs(int{a} - int{b}) <= 1;
    } else {
        return std::fabs(a - b) <= 1e-5f;
    }
}

enum class method { resize_mix, cut_mix, mixup };

/// A mixer with valid random parameters (regions random, so no maps are needed).
struct random_mixer {
    method kind;
    resizemix::resize_mix resize_mix;
    resizemix::cut_mix cut_mix;
    resizemix::mixup mixup;

    explicit random_mixer(method which, fixture_random& random) : kind(which) {
        const auto scale = [&] { return static_cast<float>(random.between(1, 100)) / 100.0f; };
        resize_mix.scale_min = scale();
        resize_mix.scale_max = std::max(resize_mix.scale_min, scale());
        resize_mix.interpolation = static_cast<resizemix::interpolation>(random.between(0, 2));
        const float alphas[] = {0.01f, 0.5f, 1.0f, 4.0f};
        cut_mix.alpha = mixup.alpha = alphas[random.between(0, 3)];
        cut_mix.paste_region = random.between(0, 1) == 0 ? region::corresponding : region::random;
    }

    [[nodiscard]] resizemix::any_mixer erased() const {
        if (kind == method::resize_mix) return resize_mix;
        if (kind == method::cut_mix) return cut_mix;
        return mixup;
    }
};

template <class T>
bool same_pixels(image_view<const T> a, image_view<const T> b) {
    for (index_t c = 0; c < a.channels(); ++c)
        for (index_t y = 0; y < a.height(); ++y)
            for (index_t x = 0; x < a.width(); ++x)
                if (!fuzz::same_bits(a(c, y, x), b(c, y, x))) return false;
    return true;
}

template <class T>
struct batch_buffer {
    strided_buffer<T, 4> memory;
    resizemix::batch_view<T> view;

    batch_buffer(const std::array<index_t, 4>& extents, const layout<4>& how)
        : memory(extents, how),
          view(memory.origin(), extents[0], extents[1], extents[2], extents[3], memory.strides()[0],
               memory.strides()[1], memory.strides()[2], memory.strides()[3]) {}
};

}  // namespace

TEMPLATE_TEST_CASE("properties: a mixer writes only its output view, the target outside info.box, the right "
                   "pixels inside, and lambda is the pixel share",
                   "[properties]", std::uint8_t, float) {
    using T = TestType;
    const auto which = GENERATE(method::resize_mix, method::cut_mix, method::mixup);
    const bool in_place = GENERATE(false, true);
    const auto seed = GENERATE(take(25, random(0U, 1U << 30U)));
    fixture_random random(seed);
    const random_mixer mixer(which, random);
    const index_t channels = random.between(1, 4);
    const index_t width = random_side(random);
    const index_t height = random_side(random);
    const bool same_size = which != method::resize_mix || random.between(0, 3) == 0;
    const index_t source_width = same_size ? width : random_side(random);
    const index_t source_height = same_size ? height : random_side(random);
    CAPTURE(seed, channels, width, height, source_width, source_height, in_place);

    image_buffer<T> source(channels, source_height, source_width, random_layout<3>(random));
    image_buffer<T> target(channels, height, width, random_layout<3>(random));
    std::optional<image_buffer<T>> separate_out;
    fill_noise(source.view, random);
    fill_noise(target.view, random);
    image_view<T> out = target.view;
    if (!in_place) {
        separate_out.emplace(channels, height, width, random_layout<3>(random));
        fill_noise(separate_out->view, random);
        out = separate_out->view;
    }
    const auto source_storage = source.memory.storage();
    const resizemix::image<T> target_before{image_view<const T>(target.view)};

    resizemix::rng stream(seed);
    mix_info info;
    const image_view<const T> source_view = source.view;
    const image_view<const T> target_view = target.view;
    switch (which) {
        case method::resize_mix: info = mixer.resize_mix(source_view, target_view, out, stream); break;
        case method::cut_mix: info = mixer.cut_mix(source_view, target_view, out, stream); break;
        case method::mixup: info = mixer.mixup(source_view, target_view, out, stream); break;
    }
    CAPTURE(info);

    // Nothing outside any view, and nothing of the inputs, was written.
    CHECK(source.memory.outside_untouched());
    CHECK(target.memory.outside_untouched());
    CHECK(fuzz::same_storage(source.memory.storage(), source_storage));
    if (separate_out) {
        CHECK(separate_out->memory.outside_untouched());
        CHECK(same_pixels<T>(target.view, target_before.const_view()));
    }

    // lambda: in [0, 1], the box's pixel share (Mixup: the blend weight, box = whole image).
    REQUIRE(info.lambda >= 0.0);
    REQUIRE(info.lambda <= 1.0);
    if (which == method::mixup) {
        CHECK(info.box == (box{0, 0, width, height}));
    } else {
        CHECK(info.lambda == static_cast<double>(info.box.area()) / static_cast<double>(width * height));
        CHECK((info.box.empty() || info.box.inside(width, height)));
    }
    const Eigen::RowVectorXf label = resizemix::soft_label(info, 0, 1 % 3, 3, 0.1f);
    CHECK(label.sum() == Approx(1.0f).margin(1e-6));
    CHECK(label.minCoeff() >= 0.0f);

    // Outside the box: the target, bit for bit.
    std::size_t outside_changed = 0;
    for (index_t c = 0; c < channels; ++c)
        for (index_t y = 0; y < height; ++y)
            for (index_t x = 0; x < width; ++x)
                if (!info.box.contains(x, y) && !fuzz::same_bits(out(c, y, x), target_before(c, y, x))) ++outside_changed;
    CHECK(outside_changed == 0);

    // Inside: what each method puts there.
    std::size_t inside_wrong = 0;
    if (which == method::resize_mix && !info.box.empty()) {
        CHECK(info.source_box == (box{0, 0, source_width, source_height}));
        resizemix::image<T> expected(channels, info.box.height, info.box.width, resizemix::memory_layout::chw);
        resizemix::resize(image_view<const T>(resizemix::image<T>(source_view).view()), expected.view(),
                          mixer.resize_mix.interpolation);
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < info.box.height; ++y)
                for (index_t x = 0; x < info.box.width; ++x)
                    if (!close(out(c, info.box.y + y, info.box.x + x), expected(c, y, x))) ++inside_wrong;
    } else if (which == method::cut_mix && !info.box.empty()) {
        CHECK(info.source_box.inside(source_width, source_height));
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < info.box.height; ++y)
                for (index_t x = 0; x < info.box.width; ++x)
                    if (!fuzz::same_bits(out(c, info.box.y + y, info.box.x + x),
                                         source.view(c, info.source_box.y + y, info.source_box.x + x)))
                        ++inside_wrong;
    } else if (which == method::mixup) {
        const auto w = static_cast<float>(info.lambda);
        for (index_t c = 0; c < channels; ++c)
            for (index_t y = 0; y < height; ++y)
                for (index_t x = 0; x < width; ++x) {
                    const float blend = w * static_cast<float>(source.view(c, y, x)) +
                                        (1.0f - w) * static_cast<float>(target_before(c, y, x));
                    const T expected = std::is_same_v<T, std::uint8_t>
                                           ? static_cast<T>(std::clamp(std::floor(blend + 0.5f), 0.0f, 255.0f))
                                           : static_cast<T>(blend);
                    if (!close(out(c, y, x), expected)) ++inside_wrong;
                }
    }
    CHECK(inside_wrong == 0);
}

TEMPLATE_TEST_CASE("properties: mix_batch gives the same bytes with 1, 2 or 4 threads, in place or out of place, "
                   "as mixing sample by sample; soft labels sum to 1",
                   "[properties][batch]", std::uint8_t, float) {
    using T = TestType;
    const auto which = GENERATE(method::resize_mix, method::cut_mix, method::mixup);
    const auto seed = GENERATE(take(10, random(0U, 1U << 30U)));
    fixture_random random(seed);
    const random_mixer drawn(which, random);
    resizemix::any_mixer mixer = drawn.erased();
    if (random.between(0, 3) == 0) mixer = resizemix::sometimes(mixer, 0.5);
    const index_t count = random.between(1, 8);
    const index_t channels = random.between(1, 4);
    const index_t width = random_side(random);
    const index_t height = random_side(random);
    const std::array<index_t, 4> extents{count, channels, height, width};
    const layout<4> how = random_layout<4>(random);

    resizemix::batch_options options;
    options.seed = seed;
    options.epoch = static_cast<std::uint64_t>(random.between(0, 5));
    options.step = static_cast<std::uint64_t>(random.between(0, 1000));
    options.rank = static_cast<std::uint64_t>(random.between(0, 3));
    options.pairing = static_cast<resizemix::pairing>(random.between(0, 1));
    options.parameters = random.between(0, 1) == 0 ? resizemix::parameter_sharing::per_sample
                                                   : resizemix::parameter_sharing::per_batch;
    options.num_classes = random.between(1, 10);
    options.label_smoothing = static_cast<float>(random.between(0, 3)) / 10.0f;
    std::vector<std::int64_t> labels;
    for (index_t i = 0; i < count; ++i) labels.push_back(random.between(0, options.num_classes - 1));
    CAPTURE(seed, count, channels, width, height, options.parameters == resizemix::parameter_sharing::per_batch);

    batch_buffer<T> input(extents, how);
    for (index_t i = 0; i < count; ++i) fill_noise(input.view[i], random);
    const auto input_storage = input.memory.storage();

    std::optional<batch_buffer<T>> reference;
    std::optional<resizemix::batch_result> reference_result;
    for (const bool in_place : {false, true}) {
        for (const unsigned threads : {1U, 2U, 4U}) {
            CAPTURE(in_place, threads);
            batch_buffer<T> output(extents, how);
            if (in_place) {
                output.memory.storage() = input.memory.storage();
            } else {
                for (index_t i = 0; i < count; ++i) fill_noise(output.view[i], random);
            }
            options.threads = threads;
            const resizemix::batch_view<const T> from = in_place ? output.view : input.view;
            const resizemix::batch_result result = resizemix::mix_batch(mixer, from, labels, output.view, options);
            CHECK(output.memory.outside_untouched());
            CHECK(input.memory.outside_untouched());
            CHECK(fuzz::same_storage(input.memory.storage(), input_storage));
            REQUIRE(result.labels.rows() == count);
            for (index_t i = 0; i < count; ++i) {
                CHECK(result.labels.row(i).sum() == Approx(1.0f).margin(1e-5));
                CHECK(result.labels.row(i).minCoeff() >= 0.0f);
                const auto& info = result.samples[static_cast<std::size_t>(i)].info;
                CHECK(info.lambda >= 0.0);
                CHECK(info.lambda <= 1.0);
            }
            if (!reference) {
                reference.emplace(std::move(output));
                reference_result = result;
                continue;
            }
            bool same = true;
            for (index_t i = 0; i < count; ++i) same = same && same_pixels<T>(output.view[i], reference->view[i]);
            CHECK(same);
            CHECK(result.labels == reference_result->labels);
            for (index_t i = 0; i < count; ++i) {
                const auto& a = result.samples[static_cast<std::size_t>(i)];
                const auto& b = reference_result->samples[static_cast<std::size_t>(i)];
                CHECK(a.partner == b.partner);
                CHECK(a.info.box == b.info.box);
                CHECK(a.info.lambda == b.info.lambda);
            }
        }
    }

    // Sample by sample, each from its own stream (seed, epoch, index): the same bytes.
    for (index_t i = 0; i < count; ++i) {
        const auto& record = reference_result->samples[static_cast<std::size_t>(i)];
        batch_buffer<T> single({1, channels, height, width}, how);
        resizemix::rng stream =
            options.parameters == resizemix::parameter_sharing::per_batch
                ? resizemix::rng::for_sample(options.seed, options.epoch, options.step, options.rank, resizemix::batch_stream_index)
                : resizemix::rng::for_sample(options.seed, options.epoch, options.step, options.rank, static_cast<std::uint64_t>(i));
        const mix_info alone = mixer(image_view<const T>(input.view[record.partner]), image_view<const T>(input.view[i]),
                                     single.view[0], stream);
        CHECK(alone.box == record.info.box);
        CHECK(alone.lambda == record.info.lambda);
        CHECK(same_pixels<T>(single.view[0], reference->view[i]));
        CHECK(single.memory.outside_untouched());
    }
}
