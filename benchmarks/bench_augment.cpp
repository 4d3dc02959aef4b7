// benchmarks/bench_augment.cpp: the RandAugment operations (and Cutout, AutoAugment, TrivialAugmentWide) against memcpy and OpenCV, in one run.
//
// Workloads as bench_mix.cpp: W1 = batch 256 of 32x32x3, W2 = batch 64 of 224x224x3, uint8 HWC
// and float CHW. Every operation of resizemix/augment at RandAugment(2, 9)'s magnitude, and a whole
// rand_augment{} per image, out of place over the batch (so are cutout{.length_fraction = 0.5},
// auto_augment{} with the ImageNet policy and trivial_augment_wide{}); read each figure as a ratio to "memcpy"
// of the same batch (benchmarks/report.py reads the JSON). OpenCV peers (uint8 HWC only) where
// OpenCV has the operation: warpAffine (translate, rotate), LUT (posterize, solarize),
// convertScaleAbs (brightness), equalizeHist (equalize). Before timing, main() checks the peers
// whose arithmetic is torchvision's (translate, posterize, solarize) against resizemix byte for
// byte and exits 1 on a difference; the others round differently and are timed only.
// Names: <workload>/<pixels>/<op>/<implementation>, e.g. W2/u8hwc/Rotate/resizemix.
// --workload_dir=DIR writes each input batch to DIR/<workload>-<pixels>.bin (raw, native byte
// order) before timing, so benchmarks/bench_torchvision_ops.py times torchvision on the same images.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <resizemix/augment/auto_augment.hpp>
#include <resizemix/augment/cutout.hpp>
#include <resizemix/augment/rand_augment.hpp>
#include <resizemix/augment/trivial_augment.hpp>
#include <resizemix/random.hpp>

#if RESIZEMIX_BENCH_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace {

using resizemix::augment_op;
using resizemix::index_t;

struct workload {
    std::string name;
    index_t count;
    index_t side;
};

template <class T>
struct batch {
    index_t count = 0;
    index_t side = 0;
    bool interleaved = true;
    std::vector<T> pixels;

    batch(index_t n, index_t s, bool hwc) : count(n), side(s), interleaved(hwc), pixels(static_cast<std::size_t>(n * 3 * s * s)) {}
    [[nodiscard]] resizemix::image_view<T> operator[](index_t i) {
        T* data = pixels.data() + i * 3 * side * side;
        return interleaved ? resizemix::from_hwc(data, side, side, 3) : resizemix::from_chw(data, 3, side, side);
    }
};

template <class T>
batch<T> noise_batch(index_t count, index_t side, bool interleaved) {
    batch<T> result(count, side, interleaved);
    resizemix::rng random(2024);
    for (auto& p : result.pixels) {
        const auto level = random.integer(0, 255);
        p = std::is_same_v<T, std::uint8_t> ? static_cast<T>(level) : static_cast<T>(static_cast<float>(level) / 255.0f);
    }
    return result;
}

template <class T>
void run_op(augment_op op, batch<T>& input, batch<T>& output) {
    const resizemix::rand_augment policy;
    const double magnitude = policy.magnitude_of(op, input.side, input.side);
    for (index_t i = 0; i < input.count; ++i) {
        resizemix::apply_op(op, resizemix::image_view<const T>(input[i]), output[i], magnitude);
    }
}

/// `policy` (any augmenter) on every image, out of place, each with its own stream of round `round`.
template <class Policy, class T>
void run_policy(const Policy& policy, batch<T>& input, batch<T>& output, std::uint64_t& round) {
    for (index_t i = 0; i < input.count; ++i) {
        resizemix::rng random = resizemix::rng::for_sample(1, round, static_cast<std::uint64_t>(i));
        (void)policy(resizemix::image_view<const T>(input[i]), output[i], random);
    }
    ++round;
}

void set_counters(benchmark::State& state, std::size_t bytes) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
}

#if RESIZEMIX_BENCH_WITH_OPENCV
using cv_op = std::function<void(const cv::Mat&, cv::Mat&)>;

/// OpenCV's equivalent of `op` at RandAugment(2, 9)'s magnitude, or an empty function.
cv_op opencv_peer(augment_op op, index_t side) {
    const resizemix::rand_augment policy;
    const double magnitude = policy.magnitude_of(op, side, side);
    switch (op) {
        case augment_op::translate_x:
        case augment_op::translate_y: {
            const double shift = std::trunc(magnitude);
            const cv::Matx23d matrix(1, 0, op == augment_op::translate_x ? shift : 0, 0, 1, op == augment_op::translate_y ? shift : 0);
            return [matrix](const cv::Mat& in, cv::Mat& out) {
                cv::warpAffine(in, out, matrix, in.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar::all(0));
            };
        }
        case augment_op::rotate: {
            const double centre = 0.5 * static_cast<double>(side) - 0.5;
            const cv::Mat matrix = cv::getRotationMatrix2D(cv::Point2f(static_cast<float>(centre), static_cast<float>(centre)), magnitude, 1.0);
            return [matrix](const cv::Mat& in, cv::Mat& out) {
                cv::warpAffine(in, out, matrix, in.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar::all(0));
            };
        }
        case augment_op::posterize:
        case augment_op::solarize: {
            cv::Mat table(1, 256, CV_8U);
            for (int level = 0; level < 256; ++level) {
                table.at<std::uint8_t>(level) = static_cast<std::uint8_t>(
                    op == augment_op::posterize ? (level & -(1 << (8 - static_cast<int>(magnitude))))
                                                : (static_cast<float>(level) >= static_cast<float>(magnitude) ? 255 - level : level));
            }
            return [table](const cv::Mat& in, cv::Mat& out) { cv::LUT(in, table, out); };
        }
        case augment_op::brightness:
            return [magnitude](const cv::Mat& in, cv::Mat& out) { in.convertTo(out, CV_8U, 1.0 + magnitude); };
        case augment_op::equalize:
            return [](const cv::Mat& in, cv::Mat& out) {
                cv::Mat planes[3];
                cv::split(in, planes);
                for (auto& plane : planes) cv::equalizeHist(plane, plane);
                cv::merge(planes, 3, out);
            };
        default: return {};
    }
}

bool same_pixels_as_torchvision(augment_op op) {
    return op == augment_op::translate_x || op == augment_op::translate_y || op == augment_op::posterize ||
           op == augment_op::solarize;
}
#endif

/// Writes the batch's pixels to `path` as they lie in memory; false if that fails.
template <class T>
bool write_batch(const std::string& path, const batch<T>& pixels) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(pixels.pixels.data()),
              static_cast<std::streamsize>(pixels.pixels.size() * sizeof(T)));
    return static_cast<bool>(out);
}

template <class T>
bool register_workload(const workload& w, const std::string& workload_dir) {
    const bool interleaved = std::is_same_v<T, std::uint8_t>;
    const std::string prefix = w.name + (interleaved ? "/u8hwc/" : "/f32chw/");
    auto input = std::make_shared<batch<T>>(noise_batch<T>(w.count, w.side, interleaved));
    if (!workload_dir.empty()) {
        const std::string path = workload_dir + "/" + w.name + (interleaved ? "-u8hwc.bin" : "-f32chw.bin");
        if (!write_batch(path, *input)) {
            std::fprintf(stderr, "bench_augment: cannot write %s\n", path.c_str());
            return false;
        }
    }
    auto output = std::make_shared<batch<T>>(w.count, w.side, interleaved);
    const std::size_t bytes = input->pixels.size() * sizeof(T);
    bool agreed = true;

    benchmark::RegisterBenchmark((prefix + "memcpy/memcpy").c_str(), [input, output, bytes](benchmark::State& state) {
        for (auto _ : state) {
            std::memcpy(output->pixels.data(), input->pixels.data(), bytes);
            benchmark::ClobberMemory();
        }
        set_counters(state, bytes);
    })->UseRealTime();
    for (int k = 0; k < resizemix::augment_op_count; ++k) {
        const auto op = static_cast<augment_op>(k);
        const std::string name(resizemix::to_string(op));
        benchmark::RegisterBenchmark((prefix + name + "/resizemix").c_str(), [input, output, bytes, op](benchmark::State& state) {
            for (auto _ : state) {
                run_op(op, *input, *output);
                benchmark::ClobberMemory();
            }
            set_counters(state, bytes);
        })->UseRealTime();
#if RESIZEMIX_BENCH_WITH_OPENCV
        const cv_op peer = opencv_peer(op, w.side);
        if (!interleaved || !peer) continue;
        const auto mat_of = [w](batch<T>& b, index_t i) { return cv::Mat(static_cast<int>(w.side), static_cast<int>(w.side), CV_8UC3, b[i].data_handle()); };
        if (same_pixels_as_torchvision(op)) {
            run_op(op, *input, *output);
            batch<T> theirs(w.count, w.side, true);
            for (index_t i = 0; i < w.count; ++i) {
                cv::Mat out = mat_of(theirs, i);
                peer(mat_of(*input, i), out);
            }
            if (theirs.pixels != output->pixels) {
                std::fprintf(stderr, "bench_augment: OpenCV %s differs from resizemix on %s\n", name.c_str(), w.name.c_str());
                agreed = false;
            }
        }
        benchmark::RegisterBenchmark((prefix + name + "/opencv").c_str(), [input, output, bytes, peer, mat_of, count = w.count](benchmark::State& state) {
            for (auto _ : state) {
                for (index_t i = 0; i < count; ++i) {
                    cv::Mat out = mat_of(*output, i);
                    peer(mat_of(*input, i), out);
                }
                benchmark::ClobberMemory();
            }
            set_counters(state, bytes);
        })->UseRealTime();
#endif
    }
    benchmark::RegisterBenchmark((prefix + "RandAugment(2,9)/resizemix").c_str(), [input, output, bytes](benchmark::State& state) {
        std::uint64_t round = 0;
        for (auto _ : state) {
            run_policy(resizemix::rand_augment{}, *input, *output, round);
            benchmark::ClobberMemory();
        }
        set_counters(state, bytes);
    })->UseRealTime();
    const auto register_augmenter = [&](const std::string& name, const auto& policy) {
        benchmark::RegisterBenchmark((prefix + name + "/resizemix").c_str(), [input, output, bytes, policy](benchmark::State& state) {
            std::uint64_t round = 0;
            for (auto _ : state) {
                run_policy(policy, *input, *output, round);
                benchmark::ClobberMemory();
            }
            set_counters(state, bytes);
        })->UseRealTime();
    };
    register_augmenter("Cutout(1/2)", resizemix::cutout{.length_fraction = 0.5});
    register_augmenter("AutoAugment(imagenet)", resizemix::auto_augment{});
    register_augmenter("TrivialAugmentWide", resizemix::trivial_augment_wide{});
    return agreed;
}

}  // namespace

int main(int argc, char** argv) {
#if RESIZEMIX_BENCH_WITH_OPENCV
    cv::setNumThreads(1);
#endif
    // Our own flag, taken out before Google Benchmark reads the rest.
    std::string workload_dir;
    const std::string flag = "--workload_dir=";
    int kept = 1;
    for (int k = 1; k < argc; ++k) {
        const std::string argument = argv[k];
        if (argument.rfind(flag, 0) == 0) {
            workload_dir = argument.substr(flag.size());
        } else {
            argv[kept++] = argv[k];
        }
    }
    argc = kept;
    bool agreed = true;
    for (const workload& w : {workload{"W1", 256, 32}, workload{"W2", 64, 224}}) {
        agreed = register_workload<std::uint8_t>(w, workload_dir) && agreed;
        agreed = register_workload<float>(w, workload_dir) && agreed;
    }
    if (!agreed) return 1;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
