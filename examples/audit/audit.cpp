// resizemix-audit: the ResizeMix paper's Section 3.3 argument as numbers, no training.
//
// Over many random pairs of Fashion-MNIST garments it runs the library's own
// mixers and measures, with the object mask = the garment's ink (pixels above a
// threshold), how often CutMix gives the source label weight while its patch
// holds almost none of the source object (label misallocation), how much of the
// source object the patch keeps against the weight it is given (object
// information missing), and how small ResizeMix makes the pasted garment. Both on
// the 28x28 images and on the canvas task of resizemix-train (each garment resized
// to G px at a random place on a C x C canvas). Same seed => same bytes.
//
//   resizemix-audit --mixes 100000 --markdown audit.md --png failures.png
#include <stb_image_write.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <resizemix/resizemix.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fashion_mnist.hpp"

namespace {

struct settings {
    std::int64_t mixes = 100000;
    std::uint64_t seed = 0;
    int ink_threshold = 25;  // a pixel is object ink when its 8-bit value is above this
    std::int64_t garment_size = 20;
    std::int64_t canvas_size = 48;
    std::int64_t map_cell = 4;  // the saliency proxy's cell side in pixels (28 / 4 = 7, Grad-CAM's 7x7)
    double misallocation_share = 0.10;
    std::int64_t small_object_px = 8;
    std::string data_dir = fashion_mnist::default_directory;
    std::string markdown;
    std::string png;
};

/// The command line, parsed with CLI11 (the CLI's parser); exits on --help or a bad argument.
settings parse(int argc, char** argv) {
    settings s;
    CLI::App app{"resizemix-audit: label misallocation and object information of CutMix and ResizeMix on "
                 "Fashion-MNIST, at 28x28 and on the canvas task"};
    app.add_option("--mixes", s.mixes, "random (source, target) pairs per task and method")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}))
        ->capture_default_str();
    app.add_option("--seed", s.seed, "seeds the pairs, the canvas positions and every mixer draw")->capture_default_str();
    app.add_option("--ink-threshold", s.ink_threshold, "object mask: pixels whose 8-bit value is above this")
        ->check(CLI::Range(0, 254))
        ->capture_default_str();
    app.add_option("--garment-size", s.garment_size, "canvas task: each garment resized to G x G px")
        ->check(CLI::Range(std::int64_t{4}, std::int64_t{1024}))
        ->capture_default_str();
    app.add_option("--canvas-size", s.canvas_size, "canvas task: on a C x C canvas")
        ->check(CLI::Range(std::int64_t{4}, std::int64_t{4096}))
        ->capture_default_str();
    app.add_option("--data-dir", s.data_dir, "the IDX files")->capture_default_str();
    app.add_option("--markdown", s.markdown, "write the tables there too (they always go to stdout)");
    app.add_option("--png", s.png, "a picture of typical failures");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        std::exit(app.exit(e));
    }
    if (s.garment_size > s.canvas_size) {
        std::cerr << "resizemix-audit: --garment-size " << s.garment_size << " is larger than --canvas-size "
                  << s.canvas_size << '\n';
        std::exit(2);
    }
    return s;
}

/// One grey image of a task, float in [0, 1], side x side.
struct sample {
    std::vector<float> pixels;
    std::int64_t side = 0;
    resizemix::image_view<float> view() { return resizemix::from_chw(pixels.data(), 1, side, side); }
};

/// Garment `index` as the task shows it: the 28x28 image itself, or (canvas > 0) resized to
/// garment px with the library's bilinear resize and put at a random place on a zero canvas.
sample make_sample(const fashion_mnist::split& data, std::int64_t index, std::int64_t garment, std::int64_t canvas,
                   resizemix::rng& random) {
    const std::int64_t side = data.height;
    std::vector<float> original(static_cast<std::size_t>(side * side));
    for (std::size_t p = 0; p < original.size(); ++p) {
        original[p] = data.pixels[static_cast<std::size_t>(index * side * side) + p] / 255.0f;
    }
    if (canvas == 0) return {std::move(original), side};
    std::vector<float> small(static_cast<std::size_t>(garment * garment));
    resizemix::resize(resizemix::from_chw(static_cast<const float*>(original.data()), 1, side, side),
                      resizemix::from_chw(small.data(), 1, garment, garment));
    sample out{std::vector<float>(static_cast<std::size_t>(canvas * canvas), 0.0f), canvas};
    const std::int64_t x0 = random.integer(0, canvas - garment);
    const std::int64_t y0 = random.integer(0, canvas - garment);
    for (std::int64_t y = 0; y < garment; ++y) {
        for (std::int64_t x = 0; x < garment; ++x) {
            out.pixels[static_cast<std::size_t>((y0 + y) * canvas + x0 + x)] = small[static_cast<std::size_t>(y * garment + x)];
        }
    }
    return out;
}

bool is_ink(float value, int threshold) { return value * 255.0f > static_cast<float>(threshold) + 0.5f; }

/// Ink pixels of `image` inside `region` (clipped to the image).
std::int64_t ink_in(const sample& image, const resizemix::box& region, int threshold) {
    std::int64_t count = 0;
    const std::int64_t x1 = std::min(region.x + region.width, image.side);
    const std::int64_t y1 = std::min(region.y + region.height, image.side);
    for (std::int64_t y = std::max<std::int64_t>(region.y, 0); y < y1; ++y) {
        for (std::int64_t x = std::max<std::int64_t>(region.x, 0); x < x1; ++x) {
            count += is_ink(image.pixels[static_cast<std::size_t>(y * image.side + x)], threshold) ? 1 : 0;
        }
    }
    return count;
}

/// The bounding box of the ink (empty when there is none).
resizemix::box ink_bounds(const sample& image, int threshold) {
    std::int64_t x0 = image.side, y0 = image.side, x1 = -1, y1 = -1;
    for (std::int64_t y = 0; y < image.side; ++y) {
        for (std::int64_t x = 0; x < image.side; ++x) {
            if (!is_ink(image.pixels[static_cast<std::size_t>(y * image.side + x)], threshold)) continue;
            x0 = std::min(x0, x);
            y0 = std::min(y0, y);
            x1 = std::max(x1, x);
            y1 = std::max(y1, y);
        }
    }
    if (x1 < 0) return {};
    return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

/// The saliency proxy for salient-source CutMix (no trained network here): the share of ink
/// pixels in each cell x cell block, the resolution Grad-CAM has on the 28x28 network (7x7).
resizemix::saliency_map ink_map(const sample& image, std::int64_t cell, int threshold) {
    const std::int64_t n = (image.side + cell - 1) / cell;
    resizemix::saliency_map map(n, n);
    for (std::int64_t y = 0; y < n; ++y) {
        for (std::int64_t x = 0; x < n; ++x) {
            map(y, x) = static_cast<float>(ink_in(image, {x * cell, y * cell, cell, cell}, threshold));
        }
    }
    return map;
}

struct method {
    std::string name;
    std::function<resizemix::mix_info(sample&, sample&, sample&, resizemix::rng&, const resizemix::pair_saliency&)> mix;
    bool needs_map = false;
};

std::vector<method> methods() {
    using resizemix::region;
    auto wrap = [](auto mixer) {
        return [mixer](sample& source, sample& target, sample& out, resizemix::rng& random,
                       const resizemix::pair_saliency& maps) {
            return mixer(source.view(), target.view(), out.view(), random, maps);
        };
    };
    return {
        {"cutmix (reference, clipped boxes)", wrap(resizemix::cut_mix{.alpha = 1.0f}), false},
        {"cutmix-inside", wrap(resizemix::cut_mix{.alpha = 1.0f, .box_sampling = resizemix::box_sampling::inside}), false},
        {"cutmix-salient-source", wrap(resizemix::cut_mix{.alpha = 1.0f, .source_region = region::salient, .paste_region = region::random}), true},
        {"cutmix-random (random to random)", wrap(resizemix::cut_mix{.alpha = 1.0f, .source_region = region::random, .paste_region = region::random}), false},
        {"resizemix (tau 0.1-0.8)", wrap(resizemix::resize_mix{.scale_min = 0.1f, .scale_max = 0.8f}), false},
    };
}

/// What one task and method measured over all mixes.
struct tally {
    std::int64_t mixes = 0;
    std::int64_t misallocated = 0;       // lambda > 0 while the patch holds < 10% of the source ink
    double lambda_sum = 0.0;
    double share_sum = 0.0;              // the share of the source object's ink the patch holds
    double missing_sum = 0.0;            // lambda - share: label weight not backed by object
    double misallocated_lambda_sum = 0.0;
    double covered_sum = 0.0;            // the share of the target's ink the pasted patch hides
    std::array<std::int64_t, 10> share_histogram{};  // deciles of the share, [0, 0.1) ... [0.9, 1]
    std::vector<double> shares;
    std::vector<double> object_px;       // ResizeMix: the pasted object's longer side in px
};

/// A few mixes worth drawing: the mixed image with the source box.
struct example {
    sample mixed;
    resizemix::box box;
    double lambda = 0.0;
    double share = 0.0;
};

double quantile(std::vector<double> values, double q) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(std::floor(q * static_cast<double>(values.size() - 1)));
    return values[at];
}

/// An RGB picture made of tiles.
struct picture {
    int width;
    int height;
    std::vector<std::uint8_t> rgb;
    picture(int w, int h) : width(w), height(h), rgb(static_cast<std::size_t>(w * h * 3), 255) {}
    void set(int x, int y, std::array<std::uint8_t, 3> colour) {
        if (x < 0 || y < 0 || x >= width || y >= height) return;
        std::copy(colour.begin(), colour.end(), rgb.begin() + (y * width + x) * 3);
    }
    void tile(const example& e, int x0, int y0, int scale) {
        for (std::int64_t y = 0; y < e.mixed.side * scale; ++y) {
            for (std::int64_t x = 0; x < e.mixed.side * scale; ++x) {
                const float v = e.mixed.pixels[static_cast<std::size_t>((y / scale) * e.mixed.side + x / scale)];
                const auto g = static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
                const std::int64_t bx = x / scale, by = y / scale;
                const bool inside = e.box.contains(bx, by);
                const bool edge = inside && (x < e.box.x * scale + 1 || x >= (e.box.x + e.box.width) * scale - 1 ||
                                             y < e.box.y * scale + 1 || y >= (e.box.y + e.box.height) * scale - 1);
                set(x0 + static_cast<int>(x), y0 + static_cast<int>(y), edge ? std::array<std::uint8_t, 3>{230, 30, 30}
                                                                             : std::array<std::uint8_t, 3>{g, g, g});
            }
        }
    }
};

}  // namespace

int main(int argc, char** argv) {
    const settings s = parse(argc, argv);
    try {
        const fashion_mnist::split data = fashion_mnist::load(s.data_dir, "train");
        const std::vector<method> all = methods();
        struct task {
            std::string name;
            std::int64_t canvas;
        };
        const std::vector<task> tasks = {
            {"28x28", 0},
            {"canvas " + std::to_string(s.garment_size) + " px on " + std::to_string(s.canvas_size) + "x" +
                 std::to_string(s.canvas_size), s.canvas_size}};
        constexpr std::size_t examples_per_row = 8;

        std::ostringstream table;
        table << "Label misallocation and object information, " << s.mixes << " random pairs of Fashion-MNIST training "
              << "images per row (seed " << s.seed << "; object = ink, pixels above " << s.ink_threshold
              << "/255; misallocated = lambda > 0 while the patch holds < 10% of the source's ink; share = the "
                 "source's ink inside the patch / all its ink; ResizeMix pastes the whole source, share 1; target ink "
                 "hidden = the target's ink under the pasted patch / all its ink, mean; pasted object px = the longer "
                 "side of the source's ink bounding box after resizing)\n\n";
        table << "| task | method | mean lambda | mean share | share p10 / p50 / p90 | mean lambda - share | "
                 "misallocated (%) | mean lambda when misallocated | target ink hidden | pasted object px mean / p10 / % under "
              << s.small_object_px << " |\n";
        table << "|---|---|---|---|---|---|---|---|---|---|\n";
        std::ostringstream histogram;
        histogram << "\nShare of the source's ink in the patch, % of mixes per decile [0, 0.1), ..., [0.9, 1]:\n\n"
                  << "| task | method | 0 | 0.1 | 0.2 | 0.3 | 0.4 | 0.5 | 0.6 | 0.7 | 0.8 | 0.9 |\n"
                  << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";

        std::vector<std::vector<example>> failures(tasks.size() * 2);  // per task: CutMix misallocations, small ResizeMix
        for (std::size_t t = 0; t < tasks.size(); ++t) {
            std::vector<tally> tallies(all.size());
            resizemix::rng pairs(s.seed, /*stream=*/100 + t);
            for (std::int64_t m = 0; m < s.mixes; ++m) {
                const std::int64_t source_index = pairs.integer(0, data.count - 1);
                std::int64_t target_index = pairs.integer(0, data.count - 2);
                if (target_index >= source_index) ++target_index;
                sample source = make_sample(data, source_index, s.garment_size, tasks[t].canvas, pairs);
                sample target = make_sample(data, target_index, s.garment_size, tasks[t].canvas, pairs);
                const std::int64_t source_ink = ink_in(source, {0, 0, source.side, source.side}, s.ink_threshold);
                const std::int64_t target_ink = ink_in(target, {0, 0, target.side, target.side}, s.ink_threshold);
                if (source_ink == 0 || target_ink == 0) continue;  // no object to lose (not at the default threshold)
                const resizemix::box object = ink_bounds(source, s.ink_threshold);
                resizemix::pair_saliency maps;
                for (std::size_t k = 0; k < all.size(); ++k) {
                    if (all[k].needs_map && maps.source.empty()) maps.source = ink_map(source, s.map_cell, s.ink_threshold);
                    // The same stream for every method at this pair: the methods differ only in what they do with it.
                    resizemix::rng random = resizemix::rng::for_sample(s.seed, 1 + t, static_cast<std::uint64_t>(m));
                    sample out{target.pixels, target.side};
                    const resizemix::mix_info info = all[k].mix(source, target, out, random, maps);
                    tally& tl = tallies[k];
                    const bool resized = info.tau > 0.0;
                    const double share =
                        resized ? 1.0 : static_cast<double>(ink_in(source, info.source_box, s.ink_threshold)) / static_cast<double>(source_ink);
                    ++tl.mixes;
                    tl.lambda_sum += info.lambda;
                    tl.share_sum += share;
                    tl.shares.push_back(share);
                    tl.covered_sum += static_cast<double>(ink_in(target, info.box, s.ink_threshold)) / static_cast<double>(target_ink);
                    tl.missing_sum += info.lambda - share;
                    tl.share_histogram[static_cast<std::size_t>(std::min(9.0, std::floor(share * 10.0)))]++;
                    const bool misallocated = info.lambda > 0.0 && share < s.misallocation_share;
                    if (misallocated) {
                        ++tl.misallocated;
                        tl.misallocated_lambda_sum += info.lambda;
                    }
                    double object_px = 0.0;
                    if (resized) {
                        const double scale = static_cast<double>(info.box.width) / static_cast<double>(source.side);
                        object_px = scale * static_cast<double>(std::max(object.width, object.height));
                        tl.object_px.push_back(object_px);
                    }
                    // Typical failures: reference CutMix giving >= 0.3 of the label to a patch of background,
                    // ResizeMix pasting a garment smaller than small_object_px.
                    std::vector<example>& cut = failures[2 * t];
                    std::vector<example>& small = failures[2 * t + 1];
                    if (k == 0 && misallocated && info.lambda >= 0.3 && cut.size() < examples_per_row) {
                        cut.push_back({out, info.box, info.lambda, share});
                    }
                    if (resized && object_px < static_cast<double>(s.small_object_px) && small.size() < examples_per_row) {
                        small.push_back({out, info.box, info.lambda, share});
                    }
                }
            }
            for (std::size_t k = 0; k < all.size(); ++k) {
                const tally& tl = tallies[k];
                const auto n = static_cast<double>(std::max<std::int64_t>(tl.mixes, 1));
                table << "| " << tasks[t].name << " | " << all[k].name << std::fixed << std::setprecision(3) << " | "
                      << tl.lambda_sum / n << " | " << tl.share_sum / n << " | ";
                table << quantile(tl.shares, 0.1) << " / " << quantile(tl.shares, 0.5) << " / "
                      << quantile(tl.shares, 0.9) << " | " << std::showpos << tl.missing_sum / n << std::noshowpos << " | "
                      << std::setprecision(1) << 100.0 * static_cast<double>(tl.misallocated) / n << " | "
                      << std::setprecision(3)
                      << (tl.misallocated > 0 ? tl.misallocated_lambda_sum / static_cast<double>(tl.misallocated) : 0.0)
                      << " | " << tl.covered_sum / n << " | ";
                if (tl.object_px.empty()) {
                    table << " |\n";
                } else {
                    double sum = 0.0;
                    std::int64_t under = 0;
                    for (const double px : tl.object_px) {
                        sum += px;
                        under += px < static_cast<double>(s.small_object_px) ? 1 : 0;
                    }
                    const auto count = static_cast<double>(tl.object_px.size());
                    table << std::setprecision(1) << sum / count << " / " << quantile(tl.object_px, 0.1) << " / "
                          << 100.0 * static_cast<double>(under) / count << " |\n";
                }
                histogram << "| " << tasks[t].name << " | " << all[k].name;
                for (const std::int64_t c : tl.share_histogram) {
                    histogram << " | " << std::fixed << std::setprecision(1) << 100.0 * static_cast<double>(c) / n;
                }
                histogram << " |\n";
            }
        }
        std::cout << table.str() << histogram.str();
        if (!s.markdown.empty()) {
            std::ofstream file(s.markdown);
            file << table.str() << histogram.str();
            if (!file.flush()) throw std::runtime_error("cannot write " + s.markdown);
        }
        if (!s.png.empty()) {
            constexpr int scale = 3;
            constexpr int gap = 6;
            const int cell = static_cast<int>(std::max<std::int64_t>(s.canvas_size, 28)) * scale + gap;
            picture out(static_cast<int>(examples_per_row) * cell + gap, static_cast<int>(failures.size()) * cell + gap);
            for (std::size_t row = 0; row < failures.size(); ++row) {
                for (std::size_t col = 0; col < failures[row].size(); ++col) {
                    out.tile(failures[row][col], gap + static_cast<int>(col) * cell, gap + static_cast<int>(row) * cell, scale);
                }
            }
            const std::string temporary = s.png + ".tmp";
            if (stbi_write_png(temporary.c_str(), out.width, out.height, 3, out.rgb.data(), out.width * 3) == 0) {
                std::filesystem::remove(temporary);
                throw std::runtime_error("cannot write " + s.png);
            }
            std::filesystem::rename(temporary, s.png);
        }
    } catch (const std::exception& e) {
        std::cerr << "resizemix-audit: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
