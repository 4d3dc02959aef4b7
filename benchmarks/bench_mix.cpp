// benchmarks/bench_mix.cpp: resizemix against memcpy and its peers, in one run.
//
// Workloads (issue 4): W1 = batch 256 of 32x32x3, W2 = batch 64 of 224x224x3,
// and a size sweep S32..S512 (batch 16); uint8 HWC and float CHW; ResizeMix
// (random tau in [0.1, 0.8] per sample) and CutMix; in place and out of place;
// resizemix on 1 and 2 threads (mix_batch options.threads), peers on one.
// Every figure is meant to be read as a ratio to "memcpy" of the same batch in
// the same run (benchmarks/report.py does that from the JSON output).
//
// Before anything is timed, main() renders every workload with every
// implementation and checks the pixels: resizemix in place, and on 2 threads,
// must equal resizemix out of place byte for byte; every peer must agree with
// resizemix within 1 level (uint8) or 1e-4 (float). A failed check exits with
// status 1 and says which. Benchmark names are
//   <workload>/<pixels>/<method>/<mode>/t<threads>/<implementation>
// e.g. W2/u8hwc/resizemix/inplace/t1/resizemix, W2/u8hwc/memcpy/-/t1/memcpy.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <resizemix/batch.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/mixers/resizemix.hpp>

#if RESIZEMIX_BENCH_WITH_OPENCV
#include <opencv2/core/utility.hpp>
#endif
#if RESIZEMIX_BENCH_WITH_TORCH
#include <ATen/Parallel.h>
#endif

#include "workload.hpp"

namespace bench {
namespace {

constexpr std::uint64_t plan_seed = 2024;

struct shape {
    std::string name;
    index_t count;
    index_t size;  // height = width
};

/// A dense batch of one pixel kind, owning its pixels.
struct batch_buffer {
    pixel_kind kind = pixel_kind::u8_hwc;
    index_t count = 0, channels = 0, height = 0, width = 0;
    std::vector<std::uint8_t> bytes;
    std::vector<float> floats;

    batch_buffer() = default;
    batch_buffer(pixel_kind k, index_t n, index_t c, index_t h, index_t w)
        : kind(k), count(n), channels(c), height(h), width(w) {
        const auto elements = static_cast<std::size_t>(n * c * h * w);
        if (k == pixel_kind::u8_hwc) {
            bytes.assign(elements, 0);
        } else {
            floats.assign(elements, 0.0f);
        }
    }
    [[nodiscard]] void* data() { return kind == pixel_kind::u8_hwc ? static_cast<void*>(bytes.data()) : floats.data(); }
    [[nodiscard]] std::size_t size_bytes() const {
        return kind == pixel_kind::u8_hwc ? bytes.size() : floats.size() * sizeof(float);
    }
    [[nodiscard]] resizemix::batch_view<std::uint8_t> u8() {
        return resizemix::from_nhwc(bytes.data(), count, height, width, channels);
    }
    [[nodiscard]] resizemix::batch_view<float> f32() {
        return resizemix::from_nchw(floats.data(), count, channels, height, width);
    }
};

/// Fixture noise (not resizemix::rng, so the data cannot follow the library's stream).
void fill_noise(batch_buffer& batch, std::uint64_t seed) {
    std::uint64_t state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(state >> 33U);
    };
    for (auto& b : batch.bytes) b = static_cast<std::uint8_t>(next() >> 23U);
    for (auto& f : batch.floats) f = static_cast<float>(next()) / 2147483648.0f;
}

resizemix::batch_options options_for(unsigned threads) {
    resizemix::batch_options options;
    options.seed = plan_seed;
    options.threads = threads;
    return options;
}

/// resizemix's own run: the whole public mix_batch call.
void run_resizemix(method m, batch_buffer& input, batch_buffer& output, unsigned threads) {
    const auto options = options_for(threads);
    auto call = [&](const auto& mixer) {
        if (input.kind == pixel_kind::u8_hwc) {
            (void)resizemix::mix_batch(mixer, input.u8(), {}, output.u8(), options);
        } else {
            (void)resizemix::mix_batch(mixer, input.f32(), {}, output.f32(), options);
        }
    };
    switch (m) {
        case method::resizemix: call(resizemix::resize_mix{}); break;
        case method::resizemix_area: call(resizemix::resize_mix{.interpolation = resizemix::interpolation::area}); break;
        case method::cutmix: call(resizemix::cut_mix{}); break;
    }
}

/// The plan mix_batch follows (its records), and its out-of-place pixels: the reference.
mix_plan make_plan(method m, batch_buffer& input, batch_buffer& reference) {
    const auto options = options_for(1);
    resizemix::batch_result result;
    auto call = [&](const auto& mixer) {
        result = input.kind == pixel_kind::u8_hwc ? resizemix::mix_batch(mixer, input.u8(), {}, reference.u8(), options)
                                                  : resizemix::mix_batch(mixer, input.f32(), {}, reference.f32(), options);
    };
    switch (m) {
        case method::resizemix: call(resizemix::resize_mix{}); break;
        case method::resizemix_area: call(resizemix::resize_mix{.interpolation = resizemix::interpolation::area}); break;
        case method::cutmix: call(resizemix::cut_mix{}); break;
    }
    mix_plan plan;
    plan.kind = m;
    plan.count = input.count;
    plan.channels = input.channels;
    plan.height = input.height;
    plan.width = input.width;
    for (const auto& record : result.samples) {
        plan.partner.push_back(record.partner);
        plan.target_box.push_back(record.info.box);
        plan.source_box.push_back(record.info.source_box);
    }
    return plan;
}

/// Largest difference between two batches, and where (flat element index).
struct difference {
    double largest = 0.0;
    std::size_t where = 0;
};
difference compare(const batch_buffer& a, const batch_buffer& b) {
    difference d;
    const std::size_t n = a.kind == pixel_kind::u8_hwc ? a.bytes.size() : a.floats.size();
    for (std::size_t k = 0; k < n; ++k) {
        const double delta = a.kind == pixel_kind::u8_hwc
                                 ? std::abs(static_cast<double>(a.bytes[k]) - static_cast<double>(b.bytes[k]))
                                 : std::abs(static_cast<double>(a.floats[k]) - static_cast<double>(b.floats[k]));
        if (!(delta <= d.largest)) d = {delta, k};  // NaN counts as a difference
    }
    return d;
}

int failures = 0;
void report_check(const std::string& what, const difference& d, double tolerance) {
    const bool ok = d.largest <= tolerance;
    std::fprintf(stderr, "check %-58s max |diff| %-10.3g (tolerance %g) %s\n", what.c_str(), d.largest, tolerance,
                 ok ? "ok" : "FAILED");
    if (!ok) {
        std::fprintf(stderr, "  first largest difference at element %zu\n", d.where);
        ++failures;
    }
}

/// Everything one (shape, pixel kind) needs: input, reference outputs and plans per method.
struct workload_state {
    shape geometry;
    pixel_kind kind;
    batch_buffer input;
    batch_buffer scratch;  // output of out-of-place runs
    batch_buffer work;     // mixed in place, again and again
    std::map<method, mix_plan> plans;
    std::map<method, batch_buffer> references;
};

std::string bench_name(const workload_state& w, const std::string& m, const std::string& mode, unsigned threads,
                       const std::string& implementation) {
    return w.geometry.name + "/" + to_string(w.kind) + "/" + m + "/" + mode + "/t" + std::to_string(threads) + "/" +
           implementation;
}

void set_counters(benchmark::State& state, const workload_state& w) {
    state.counters["images"] = static_cast<double>(w.geometry.count);
    state.counters["size"] = static_cast<double>(w.geometry.size);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(w.input.size_bytes()));
}

void check_and_register(workload_state& w, const peer_list& peers, bool sweep) {
    const std::vector<method> methods =
        sweep ? std::vector<method>{method::resizemix, method::resizemix_area}
              : std::vector<method>{method::resizemix, method::resizemix_area, method::cutmix};
    for (const method m : methods) {
        w.references.emplace(m, batch_buffer(w.kind, w.input.count, w.input.channels, w.input.height, w.input.width));
        w.plans.emplace(m, make_plan(m, w.input, w.references.at(m)));
    }
    const double tolerance = w.kind == pixel_kind::u8_hwc ? 1.0 : 1e-4;
    const std::string prefix = w.geometry.name + "/" + to_string(w.kind) + "/";

    // resizemix against itself: in place and on 2 threads, byte for byte.
    for (const method m : methods) {
        for (const unsigned threads : {1U, 2U}) {
            w.work = w.input;
            run_resizemix(m, w.work, w.work, threads);
            report_check(prefix + to_string(m) + " resizemix inplace t" + std::to_string(threads) + " == out of place",
                         compare(w.work, w.references.at(m)), 0.0);
            run_resizemix(m, w.input, w.scratch, threads);
            report_check(prefix + to_string(m) + " resizemix outofplace t" + std::to_string(threads) + " == t1",
                         compare(w.scratch, w.references.at(m)), 0.0);
        }
    }
    // Each peer, both modes, against resizemix.
    for (const auto& p : peers) {
        for (const method m : methods) {
            if (!p->supports(m, w.kind)) continue;
            for (const bool in_place : {false, true}) {
                p->prepare(w.plans.at(m), w.kind, in_place);
                batch_buffer& out = in_place ? w.work : w.scratch;
                if (in_place) w.work = w.input;
                p->run(w.plans.at(m), w.kind, w.input.data(), in_place ? w.work.data() : w.scratch.data());
                report_check(prefix + to_string(m) + " " + p->name() + (in_place ? " inplace" : " outofplace"),
                             compare(out, w.references.at(m)), tolerance);
            }
        }
    }

    // Registration. The unit: one memcpy of the batch.
    benchmark::RegisterBenchmark(bench_name(w, "memcpy", "-", 1, "memcpy").c_str(), [&w](benchmark::State& state) {
        for (auto _ : state) {
            std::memcpy(w.scratch.data(), w.input.data(), w.input.size_bytes());
            benchmark::ClobberMemory();
        }
        set_counters(state, w);
    })->UseRealTime();

    for (const method m : methods) {
        const std::vector<unsigned> thread_counts = sweep ? std::vector<unsigned>{1U} : std::vector<unsigned>{1U, 2U};
        const std::vector<bool> modes = sweep ? std::vector<bool>{true} : std::vector<bool>{true, false};
        for (const bool in_place : modes) {
            for (const unsigned threads : thread_counts) {
                if (m == method::resizemix_area && threads != 1) continue;
                benchmark::RegisterBenchmark(
                    bench_name(w, to_string(m), in_place ? "inplace" : "outofplace", threads, "resizemix").c_str(),
                    [&w, m, in_place, threads](benchmark::State& state) {
                        if (in_place) w.work = w.input;
                        for (auto _ : state) {
                            if (in_place) {
                                run_resizemix(m, w.work, w.work, threads);
                            } else {
                                run_resizemix(m, w.input, w.scratch, threads);
                            }
                            benchmark::ClobberMemory();
                        }
                        set_counters(state, w);
                    })
                    ->UseRealTime();
            }
            for (const auto& p : peers) {
                if (!p->supports(m, w.kind)) continue;
                peer* raw = p.get();
                benchmark::RegisterBenchmark(
                    bench_name(w, to_string(m), in_place ? "inplace" : "outofplace", 1, raw->name()).c_str(),
                    [&w, m, in_place, raw](benchmark::State& state) {
                        const mix_plan& plan = w.plans.at(m);
                        raw->prepare(plan, w.kind, in_place);
                        if (in_place) w.work = w.input;
                        void* output = in_place ? w.work.data() : w.scratch.data();
                        const void* input = in_place ? w.work.data() : w.input.data();
                        for (auto _ : state) {
                            raw->run(plan, w.kind, input, output);
                            benchmark::ClobberMemory();
                        }
                        set_counters(state, w);
                    })
                    ->UseRealTime();
            }
        }
    }
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
    using namespace bench;
    bool check_only = false;
    bool no_sweep = false;
    std::vector<char*> arguments;
    for (int k = 0; k < argc; ++k) {
        if (std::strcmp(argv[k], "--check_only") == 0) {
            check_only = true;
        } else if (std::strcmp(argv[k], "--no_sweep") == 0) {
            no_sweep = true;
        } else {
            arguments.push_back(argv[k]);
        }
    }
    int argument_count = static_cast<int>(arguments.size());
    benchmark::Initialize(&argument_count, arguments.data());
    if (benchmark::ReportUnrecognizedArguments(argument_count, arguments.data())) return 2;

    peer_list peers;
#if RESIZEMIX_BENCH_WITH_OPENCV
    cv::setNumThreads(1);
    add_opencv_peers(peers);
#endif
#if RESIZEMIX_BENCH_WITH_STB
    add_stb_peers(peers);
#endif
#if RESIZEMIX_BENCH_WITH_TORCH
    at::set_num_threads(1);
    add_torch_peers(peers);
#endif
    std::fprintf(stderr, "peers:");
    for (const auto& p : peers) std::fprintf(stderr, " %s", p->name().c_str());
    std::fprintf(stderr, "%s\n", peers.empty() ? " none found" : "");

    std::vector<std::pair<shape, bool>> shapes = {{{"W1", 256, 32}, false}, {{"W2", 64, 224}, false}};
    if (!no_sweep) {
        for (const index_t size : {32, 64, 96, 128, 192, 256, 384, 512}) {
            std::string name = "S";  // not "S" + ...: g++ 12 -Wrestrict false positive (GCC PR 105329)
            name += std::to_string(size);
            shapes.push_back({{name, 16, size}, true});
        }
    }
    // Workloads live until the end: the registered benchmarks hold references.
    std::vector<std::unique_ptr<workload_state>> workloads;
    std::uint64_t seed = 1;
    for (const auto& [geometry, sweep] : shapes) {
        for (const pixel_kind kind : {pixel_kind::u8_hwc, pixel_kind::f32_chw}) {
            auto w = std::make_unique<workload_state>();
            w->geometry = geometry;
            w->kind = kind;
            w->input = batch_buffer(kind, geometry.count, 3, geometry.size, geometry.size);
            fill_noise(w->input, seed++);
            w->scratch = w->input;
            w->work = w->input;
            check_and_register(*w, peers, sweep);
            workloads.push_back(std::move(w));
        }
    }
    if (failures > 0) {
        std::fprintf(stderr, "%d pixel check(s) FAILED: implementations do not agree, nothing timed\n", failures);
        return 1;
    }
    std::fprintf(stderr, "all pixel checks passed\n");
    if (check_only) return 0;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
