// benchmarks/bench_patch_cost.cpp: what one image costs mix_batch, by patch size.
//
// ResizeMix in place, one thread, uint8 HWC (3 channels), with tau fixed per
// run, over a grid of image sizes and taus: the cost per image must grow with
// the patch's pixels, not with the image's. Prints one line per cell (image
// size, tau, patch pixels, nanoseconds per image: the best of --reps runs of
// --calls calls). benchmarks/patch_cost.py runs it, also under callgrind for
// instructions per image, and draws the plot.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <resizemix/batch.hpp>
#include <resizemix/mixers/resizemix.hpp>

namespace {

std::vector<long> parse_list(const char* text) {
    std::vector<long> values;
    for (const char* p = text; *p != '\0';) {
        char* end = nullptr;
        values.push_back(std::strtol(p, &end, 10));
        p = *end == ',' ? end + 1 : end;
        if (end == p && *p != '\0') break;
    }
    return values;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<long> sizes = {32, 64, 128, 224, 320};
    std::vector<long> tau_percent = {10, 25, 50, 80};
    int calls = 3;
    int reps = 7;
    for (int k = 1; k + 1 < argc; k += 2) {
        const std::string option = argv[k];
        if (option == "--sizes") {
            sizes = parse_list(argv[k + 1]);
        } else if (option == "--tau-percent") {
            tau_percent = parse_list(argv[k + 1]);
        } else if (option == "--calls") {
            calls = std::max(1, std::atoi(argv[k + 1]));
        } else if (option == "--reps") {
            reps = std::max(1, std::atoi(argv[k + 1]));
        } else {
            std::fprintf(stderr, "usage: %s [--sizes 32,64] [--tau-percent 10,50] [--calls N] [--reps N]\n", argv[0]);
            return 2;
        }
    }
    std::printf("# size tau patch_pixels ns_per_image images\n");
    for (const long size : sizes) {
        // About 2 MB of pixels per batch (at least 4 images): cache-resident, like W1 and W2 at this scale.
        const long count = std::max(4L, (2L << 20) / (size * size * 3));
        std::vector<std::uint8_t> pixels(static_cast<std::size_t>(count * size * size * 3));
        std::uint64_t state = 12345;
        for (auto& p : pixels) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            p = static_cast<std::uint8_t>(state >> 56U);
        }
        const auto batch = resizemix::from_nhwc(pixels.data(), count, size, size, 3);
        for (const long percent : tau_percent) {
            const float tau = static_cast<float>(percent) / 100.0f;
            const resizemix::resize_mix mixer{.scale_min = tau, .scale_max = tau};
            resizemix::batch_options options;
            options.seed = 2024;
            const auto patch = resizemix::mix_batch(mixer, batch, {}, batch, options).samples.front().info.box;
            double best = 1e30;
            for (int r = 0; r < reps; ++r) {
                const auto start = std::chrono::steady_clock::now();
                for (int c = 0; c < calls; ++c) (void)resizemix::mix_batch(mixer, batch, {}, batch, options);
                const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
                best = std::min(best, took.count());
            }
            std::printf("%ld %.2f %ld %.1f %ld\n", size, static_cast<double>(tau),
                        static_cast<long>(patch.width * patch.height), best * 1e9 / static_cast<double>(calls * count),
                        count);
        }
    }
    return 0;
}
