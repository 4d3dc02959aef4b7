// benchmarks/bench_baselines.cpp: SaliencyMix and FMix against memcpy and their references, in one run.
//
// Workloads as bench_mix.cpp: W1 = batch 256 of 32x32x3, W2 = batch 64 of 224x224x3, uint8 HWC.
// Timed: a memcpy of the batch (the unit); mix_batch with saliency_mix and with fmix, in place, on
// 1 and 2 threads; the fine-grained saliency map of every image (resizemix::fine_grained_saliency)
// and, where OpenCV's contrib module is found, cv::saliency::StaticSaliencyFineGrained on the same
// images; FMix's masks alone (fmix::plan per image) and, where /usr/bin/python3 imports numpy, the
// authors' NumPy sample_mask (benchmarks/fmix_numpy.py, which times itself in its own process and
// is reported here as manual time). Before timing, main() checks OpenCV's maps against ours on
// the first images and exits 1 on a difference.
// Names: <workload>/u8hwc/<what>/<mode>/t<threads>/<implementation>, as bench_mix.cpp.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <resizemix/batch.hpp>
#include <resizemix/compose.hpp>
#include <resizemix/fine_grained_saliency.hpp>
#include <resizemix/mixers/fmix.hpp>
#include <resizemix/mixers/saliencymix.hpp>

#if RESIZEMIX_BENCH_WITH_OPENCV_SALIENCY
#include <opencv2/core.hpp>
#include <opencv2/saliency.hpp>
#endif

#ifndef RESIZEMIX_BENCH_SOURCE_DIR
#define RESIZEMIX_BENCH_SOURCE_DIR "."
#endif

namespace {

using resizemix::index_t;

struct workload {
    std::string name;
    index_t count;
    index_t side;
    std::vector<std::uint8_t> input;
    std::vector<std::uint8_t> work;

    workload(std::string label, index_t images, index_t size) : name(std::move(label)), count(images), side(size) {
        input.resize(static_cast<std::size_t>(count * side * side * 3));
        std::uint64_t state = 12345;
        for (auto& value : input) {  // smooth gradients plus noise: a map with structure
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            value = static_cast<std::uint8_t>(state >> 58U);
        }
        for (index_t i = 0; i < count; ++i)
            for (index_t y = 0; y < side; ++y)
                for (index_t x = 0; x < side; ++x)
                    for (index_t c = 0; c < 3; ++c) {
                        auto& value = input[static_cast<std::size_t>(((i * side + y) * side + x) * 3 + c)];
                        value = static_cast<std::uint8_t>(value + (x * 97 + y * 61 + i * 13 + c * 40) % 192);
                    }
        work = input;
    }
    [[nodiscard]] resizemix::batch_view<std::uint8_t> view(std::vector<std::uint8_t>& pixels) {
        return resizemix::from_nhwc(pixels.data(), count, side, side, 3);
    }
    [[nodiscard]] std::string prefix() const { return name + "/u8hwc/"; }
    void counters(benchmark::State& state) const {
        state.counters["images"] = static_cast<double>(count);
        state.counters["size"] = static_cast<double>(side);
        state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(input.size()));
    }
};

/// The NumPy reference's seconds per batch, or a negative value when it cannot run.
double numpy_seconds_per_batch(const workload& w) {
    const std::string command = "/usr/bin/python3 " RESIZEMIX_BENCH_SOURCE_DIR "/benchmarks/fmix_numpy.py " +
                                std::to_string(w.count) + " " + std::to_string(w.side) + " " + std::to_string(w.side) +
                                " 3 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) return -1.0;
    char line[512] = {};
    if (std::fgets(line, sizeof line, pipe.get()) == nullptr) return -1.0;
    const char* key = std::strstr(line, "\"seconds_per_batch\": ");
    return key == nullptr ? -1.0 : std::strtod(key + std::strlen("\"seconds_per_batch\": "), nullptr);
}

int failures = 0;

void register_workload(workload& w) {
    benchmark::RegisterBenchmark((w.prefix() + "memcpy/-/t1/memcpy").c_str(), [&w](benchmark::State& state) {
        for (auto _ : state) {
            std::memcpy(w.work.data(), w.input.data(), w.input.size());
            benchmark::ClobberMemory();
        }
        w.counters(state);
    })->UseRealTime();

    const auto register_mix = [&w](const char* label, const resizemix::any_mixer& mixer) {
        for (const unsigned threads : {1U, 2U}) {
            benchmark::RegisterBenchmark(
                (w.prefix() + label + "/inplace/t" + std::to_string(threads) + "/resizemix").c_str(),
                [&w, mixer, threads](benchmark::State& state) {
                    resizemix::batch_options options;
                    options.threads = threads;
                    w.work = w.input;
                    for (auto _ : state) {
                        (void)resizemix::mix_batch(mixer, w.view(w.work), {}, w.view(w.work), options);
                        ++options.step;
                        benchmark::ClobberMemory();
                    }
                    w.counters(state);
                })
                ->UseRealTime();
        }
    };
    register_mix("saliencymix", resizemix::saliency_mix{});
    register_mix("fmix", resizemix::fmix{});

    benchmark::RegisterBenchmark((w.prefix() + "fine-grained-saliency/-/t1/resizemix").c_str(), [&w](benchmark::State& state) {
        for (auto _ : state) {
            for (index_t i = 0; i < w.count; ++i) {
                auto levels = resizemix::fine_grained_saliency_levels(
                    resizemix::batch_view<const std::uint8_t>(w.view(w.input))[i]);
                benchmark::DoNotOptimize(levels.data());
            }
        }
        w.counters(state);
    })->UseRealTime();

#if RESIZEMIX_BENCH_WITH_OPENCV_SALIENCY
    const auto opencv_image = [&w](index_t i) {
        return cv::Mat(static_cast<int>(w.side), static_cast<int>(w.side), CV_8UC3,
                       w.input.data() + static_cast<std::size_t>(i * w.side * w.side * 3));
    };
    // Check first: OpenCV reads the pixels as BGR, so ours gets the channels reversed.
    for (index_t i = 0; i < std::min<index_t>(w.count, 4); ++i) {
        cv::Mat reference;
        cv::saliency::StaticSaliencyFineGrained::create()->computeSaliency(opencv_image(i), reference);
        const auto bgr = resizemix::from_hwc<const std::uint8_t>(w.input.data() + static_cast<std::size_t>(i * w.side * w.side * 3),
                                                                  w.side, w.side, 3);
        const auto rgb = resizemix::image_view<const std::uint8_t>(bgr.data_handle() + 2, 3, w.side, w.side, -1, bgr.stride(1), bgr.stride(2));
        const auto ours = resizemix::fine_grained_saliency_levels(rgb);
        for (index_t k = 0; k < w.side * w.side; ++k) {
            const auto theirs = static_cast<int>(reference.at<float>(static_cast<int>(k)) * 255.0f + 0.5f);
            if (theirs != ours[static_cast<std::size_t>(k)]) {
                std::fprintf(stderr, "bench_baselines: OpenCV's saliency differs from ours on %s image %td pixel %td\n",
                             w.name.c_str(), i, k);
                ++failures;
                break;
            }
        }
    }
    benchmark::RegisterBenchmark((w.prefix() + "fine-grained-saliency/-/t1/opencv").c_str(), [&w, opencv_image](benchmark::State& state) {
        const auto detector = cv::saliency::StaticSaliencyFineGrained::create();
        cv::Mat map;
        for (auto _ : state) {
            for (index_t i = 0; i < w.count; ++i) {
                detector->computeSaliency(opencv_image(i), map);
                benchmark::DoNotOptimize(map.data);
            }
        }
        w.counters(state);
    })->UseRealTime();
#endif

    benchmark::RegisterBenchmark((w.prefix() + "fmix-masks/-/t1/resizemix").c_str(), [&w](benchmark::State& state) {
        const auto images = resizemix::batch_view<const std::uint8_t>(w.view(w.input));
        std::uint64_t round = 0;
        for (auto _ : state) {
            for (index_t i = 0; i < w.count; ++i) {
                resizemix::rng random = resizemix::rng::for_sample(0, round, static_cast<std::uint64_t>(i));
                auto info = resizemix::fmix{}.plan(images[i], images[i], random, resizemix::no_saliency{});
                benchmark::DoNotOptimize(info.lambda);
            }
            ++round;
        }
        w.counters(state);
    })->UseRealTime();

    const double numpy = numpy_seconds_per_batch(w);
    if (numpy > 0.0) {
        benchmark::RegisterBenchmark((w.prefix() + "fmix-masks/-/t1/numpy").c_str(), [&w, numpy](benchmark::State& state) {
            for (auto _ : state) state.SetIterationTime(numpy);
            w.counters(state);
        })->UseManualTime()->Iterations(1);
    } else {
        std::fprintf(stderr, "bench_baselines: /usr/bin/python3 with numpy not found, the NumPy FMix reference is skipped\n");
    }
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
#if RESIZEMIX_BENCH_WITH_OPENCV_SALIENCY
    cv::setNumThreads(1);
#endif
    std::vector<std::unique_ptr<workload>> workloads;
    workloads.push_back(std::make_unique<workload>("W1", 256, 32));
    workloads.push_back(std::make_unique<workload>("W2", 64, 224));
    for (auto& w : workloads) register_workload(*w);
    if (failures != 0) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
