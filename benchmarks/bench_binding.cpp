// benchmarks/bench_binding.cpp: the C++ side of benchmarks/bench_python.py.
//
// Times resizemix::mix_batch called directly from C++ on one workload (W1 or W2,
// uint8 HWC or float CHW, ResizeMix, CutMix or ResizeMix+ = augment_after(resize_mix{},
// rand_augment{}), in place, 1 thread) with the
// same options the Python script passes to resizemix.mix_batch, so the ratio of
// the two is the binding's overhead. Prints the median seconds per call of
// `--calls` calls (after 3 untimed ones). The Python script runs this program
// and its own loop in alternation, so both see the same machine load.
//   resizemix_bench_binding --workload W1|W2 --pixels u8hwc|f32chw --method resizemix|cutmix|resizemix_plus --calls K
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <resizemix/augment/pipeline.hpp>
#include <resizemix/augment/rand_augment.hpp>
#include <resizemix/batch.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/mixers/resizemix.hpp>

namespace {

template <class T, class Mixer>
double median_seconds(const Mixer& mixer, resizemix::batch_view<T> batch, int calls) {
    resizemix::batch_options options;
    options.seed = 2024;
    options.num_classes = 10;
    std::vector<std::int64_t> labels(static_cast<std::size_t>(batch.count()));
    for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<std::int64_t>(i % 10);
    std::vector<double> seconds;
    for (int k = 0; k < calls + 3; ++k) {
        const auto start = std::chrono::steady_clock::now();
        const auto result = resizemix::mix_batch(mixer, resizemix::batch_view<const T>(batch), labels, batch, options);
        const auto stop = std::chrono::steady_clock::now();
        if (result.samples.empty()) return -1.0;
        if (k >= 3) seconds.push_back(std::chrono::duration<double>(stop - start).count());
    }
    std::nth_element(seconds.begin(), seconds.begin() + static_cast<std::ptrdiff_t>(seconds.size() / 2), seconds.end());
    return seconds[seconds.size() / 2];
}

template <class Mixer>
double run(const std::string& workload, const std::string& pixels, const Mixer& mixer, int calls) {
    const resizemix::index_t count = workload == "W1" ? 256 : 64;
    const resizemix::index_t size = workload == "W1" ? 32 : 224;
    const auto elements = static_cast<std::size_t>(count * 3 * size * size);
    std::uint64_t state = 1;
    auto next = [&state] { return (state = state * 6364136223846793005ULL + 1442695040888963407ULL) >> 56U; };
    if (pixels == "u8hwc") {
        std::vector<std::uint8_t> data(elements);
        for (auto& v : data) v = static_cast<std::uint8_t>(next());
        return median_seconds(mixer, resizemix::from_nhwc(data.data(), count, size, size, 3), calls);
    }
    std::vector<float> data(elements);
    for (auto& v : data) v = static_cast<float>(next()) / 255.0f;
    return median_seconds(mixer, resizemix::from_nchw(data.data(), count, 3, size, size), calls);
}

}  // namespace

int main(int argc, char** argv) {
    std::string workload = "W2";
    std::string pixels = "u8hwc";
    std::string method = "resizemix";
    int calls = 20;
    for (int k = 1; k + 1 < argc; k += 2) {
        if (std::strcmp(argv[k], "--workload") == 0) workload = argv[k + 1];
        else if (std::strcmp(argv[k], "--pixels") == 0) pixels = argv[k + 1];
        else if (std::strcmp(argv[k], "--method") == 0) method = argv[k + 1];
        else if (std::strcmp(argv[k], "--calls") == 0) calls = std::max(1, std::atoi(argv[k + 1]));
    }
    double seconds = 0.0;
    if (method == "cutmix") {
        seconds = run(workload, pixels, resizemix::cut_mix{}, calls);
    } else if (method == "resizemix_plus") {
        seconds = run(workload, pixels, resizemix::augment_after(resizemix::resize_mix{}, resizemix::rand_augment{}), calls);
    } else {
        seconds = run(workload, pixels, resizemix::resize_mix{}, calls);
    }
    std::printf("%.9g\n", seconds);
    return seconds > 0.0 ? 0 : 1;
}
