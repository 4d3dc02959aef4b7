// End-to-end tests of the resizemix CLI (examples/cli): run the built program on
// the bundled photos and check the JSON report against the written image, the
// output pixels against the library's own resize / copy, and that every error
// is one line on stderr with exit status 1 or 2, leaves an existing output file
// byte-identical and no temporary file behind.
#include <catch2/catch.hpp>

#ifdef RESIZEMIX_CLI_PATH

#include <stb_image.h>
#include <stb_image_write.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <resizemix/contrast_saliency.hpp>
#include <resizemix/resizemix.hpp>

#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace cli_support;
using json = nlohmann::json;

/// A fresh, empty folder per test case, so ctest may run test cases in parallel.
/// Captured stdout/stderr live in `capture`, outputs in `out`.
struct scratch {
    fs::path root;
    fs::path out;
    fs::path capture;

    explicit scratch(const std::string& name)
        : root(fs::path(RESIZEMIX_TMP_DIR) / "cli" / name), out(root / "out"), capture(root / "capture") {
        fs::remove_all(root);
        fs::create_directories(out);
        fs::create_directories(capture);
    }
    [[nodiscard]] std::string file(const std::string& name) const { return (out / name).string(); }

    /// Names in the output folder (to spot leftover temporary files).
    [[nodiscard]] std::set<std::string> listing() const {
        std::set<std::string> names;
        for (const auto& entry : fs::directory_iterator(out)) names.insert(entry.path().filename().string());
        return names;
    }
};

/// Runs the CLI with `arguments`, capturing stdout and stderr in files.
run_result run_cli(const scratch& dir, const std::vector<std::string>& arguments) {
    return cli_support::run_cli(dir.capture, arguments);
}

std::vector<std::string> mix_arguments(const std::string& method, const std::string& source,
                                       const std::string& target, const std::string& out) {
    return {"mix", "--method", method, "--source", source, "--target", target, "--out", out};
}

/// The photo with every value inverted: a same-size partner that differs everywhere.
pixels inverted(pixels image) {
    for (auto& value : image.values) value = static_cast<std::uint8_t>(255 - value);
    return image;
}

/// Counts pixels of `output` that differ from `expected`; reports the first one.
std::size_t mismatches(const pixels& output, const pixels& expected) {
    REQUIRE(output.width == expected.width);
    REQUIRE(output.height == expected.height);
    REQUIRE(output.channels == expected.channels);
    std::size_t count = 0;
    for (std::size_t i = 0; i < output.values.size(); ++i) {
        if (output.values[i] != expected.values[i]) {
            if (count == 0) {
                const auto pixel = static_cast<int>(i) / output.channels;
                WARN("first mismatch at x=" << pixel % output.width << " y=" << pixel / output.width << ": "
                                            << int(output.values[i]) << " != " << int(expected.values[i]));
            }
            ++count;
        }
    }
    return count;
}

/// `target` with `patch` written over `where`.
pixels pasted(pixels target, resizemix::image_view<const std::uint8_t> patch, const resizemix::box& where) {
    REQUIRE(patch.width() == where.width);
    REQUIRE(patch.height() == where.height);
    for (resizemix::index_t y = 0; y < where.height; ++y)
        for (resizemix::index_t x = 0; x < where.width; ++x)
            for (resizemix::index_t c = 0; c < target.channels; ++c)
                target.values[static_cast<std::size_t>(((where.y + y) * target.width + where.x + x) * target.channels + c)] =
                    patch(c, y, x);
    return target;
}

/// The library's bilinear resize of a whole image to width x height.
resizemix::image<std::uint8_t> resized(const pixels& image, resizemix::index_t width, resizemix::index_t height) {
    resizemix::image<std::uint8_t> result(image.channels, height, width);
    resizemix::resize(image.view(), result.view());
    return result;
}

void check_lambda_is_box_share(const json& report, int width, int height) {
    const auto b = box_of(report.at("box"));
    CHECK(b.inside(width, height));
    CHECK(report.at("lambda").get<double>() ==
          Approx(static_cast<double>(b.width * b.height) / (static_cast<double>(width) * height)).margin(1e-12).epsilon(0));
}

/// A map (1 channel) of `fill` everywhere except `value` at (x, y).
std::string write_map(const scratch& dir, const std::string& name, int width, int height, int x, int y,
                      std::uint8_t fill, std::uint8_t value) {
    pixels map{width, height, 1, std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), fill)};
    map.values[static_cast<std::size_t>(y * width + x)] = value;
    const std::string path = (dir.root / name).string();
    save_png(path, map);
    return path;
}

/// The box a saliency policy should give: centred on map pixel (x, y) scaled to the image, shifted inside.
resizemix::box expected_centred_box(int map_x, int map_y, int map_width, int map_height, resizemix::index_t width,
                                    resizemix::index_t height, int image_width, int image_height) {
    const auto centre_x = static_cast<resizemix::index_t>((map_x + 0.5) * image_width / map_width);
    const auto centre_y = static_cast<resizemix::index_t>((map_y + 0.5) * image_height / map_height);
    return {std::clamp<resizemix::index_t>(centre_x - width / 2, 0, image_width - width),
            std::clamp<resizemix::index_t>(centre_y - height / 2, 0, image_height - height), width, height};
}

/// Runs a command that must fail: exit `status`, exactly one line on stderr
/// naming the problem, nothing on stdout, the existing output untouched and no
/// temporary file left beside it.
void expect_failure(const scratch& dir, const std::vector<std::string>& arguments_before_out, const std::string& out_name,
                    const std::vector<std::string>& arguments_after_out, int status, const std::string& message_part) {
    const std::string out = dir.file(out_name);
    const std::string precious = read_text(data_file("chelsea.png"));  // a real image already sitting there
    write_text(out, precious);
    const auto before = dir.listing();

    std::vector<std::string> arguments = arguments_before_out;
    arguments.push_back("--out");
    arguments.push_back(out);
    const run_result result = run_cli(dir, arguments + arguments_after_out);
    INFO("stderr: " << result.err);
    CHECK(result.status == status);
    CHECK(count_lines(result.err) == 1);
    CHECK(result.err.rfind("resizemix: error: ", 0) == 0);
    CHECK(result.err.find(message_part) != std::string::npos);
    CHECK(result.out.empty());
    CHECK(read_text(out) == precious);
    CHECK(dir.listing() == before);
}

/// The photo and its inversion written as source.png and target.png: a same-size pair that differs everywhere.
std::pair<std::string, std::string> same_size_pair(const scratch& dir, const pixels& photo) {
    const std::string source = (dir.root / "source.png").string();
    save_png(source, photo);
    const std::string target = (dir.root / "target.png").string();
    save_png(target, inverted(photo));
    return {source, target};
}

std::vector<std::string> mix_without_out(const std::string& method, const std::string& source, const std::string& target) {
    return {"mix", "--method", method, "--source", source, "--target", target};
}

}  // namespace

TEST_CASE("cli: resizemix writes the target's size and a box of round(tau * W) x round(tau * H)", "[cli]") {
    const scratch dir("resizemix-report");
    const std::string out = dir.file("mixed.png");
    const json report = parse_report(run_cli(
        dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"), out) + std::vector<std::string>{"--seed", "3"}));

    int width = 0, height = 0, channels = 0;
    REQUIRE(stbi_info(out.c_str(), &width, &height, &channels) != 0);
    CHECK(width == 600);
    CHECK(height == 400);
    CHECK(channels == 3);

    CHECK(report.at("method") == "resizemix");
    CHECK(report.at("seed") == 3);
    CHECK_FALSE(report.contains("label"));
    const double tau = report.at("tau").get<double>();
    CHECK(tau >= 0.1 - 1e-7);
    CHECK(tau <= 0.8 + 1e-7);
    const auto b = box_of(report.at("box"));
    CHECK(b.width == std::lround(tau * 600));
    CHECK(b.height == std::lround(tau * 400));
    CHECK(box_of(report.at("source_box")) == resizemix::box{0, 0, 451, 300});
    check_lambda_is_box_share(report, 600, 400);
}

TEST_CASE("cli: resizemix output is the target outside the box and the library's resize of the source inside", "[cli]") {
    const scratch dir("resizemix-pixels");
    const std::string out = dir.file("mixed.png");
    const json report = parse_report(
        run_cli(dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"), out) +
                         std::vector<std::string>{"--seed", "11"}));
    const auto b = box_of(report.at("box"));
    const pixels target = load(data_file("coffee.png"));
    const pixels source = load(data_file("chelsea.png"), target.channels);
    const auto patch = resized(source, b.width, b.height);
    CHECK(mismatches(load(out), pasted(target, patch.const_view(), b)) == 0);
}

TEST_CASE("cli: --scale-range bounds tau; MIN == MAX fixes the patch size", "[cli]") {
    const scratch dir("resizemix-scale-range");
    const std::string out = dir.file("mixed.png");
    const json fixed = parse_report(run_cli(
        dir, mix_arguments("resizemix", data_file("astronaut.png"), data_file("coffee.png"), out) +
                 std::vector<std::string>{"--scale-range", "0.5", "0.5"}));
    CHECK(fixed.at("tau").get<double>() == Approx(0.5).margin(1e-7));
    CHECK(box_of(fixed.at("box")).width == 300);
    CHECK(box_of(fixed.at("box")).height == 200);
    CHECK(fixed.at("lambda").get<double>() == Approx(0.25).margin(1e-12));

    for (const char* seed : {"1", "2", "3", "4", "5"}) {
        const json report = parse_report(run_cli(
            dir, mix_arguments("resizemix", data_file("astronaut.png"), data_file("coffee.png"), out) +
                     std::vector<std::string>{"--scale-range", "0.3", "0.4", "--seed", seed}));
        const double tau = report.at("tau").get<double>();
        CHECK(tau >= 0.3 - 1e-7);
        CHECK(tau <= 0.4 + 1e-7);
        check_lambda_is_box_share(report, 600, 400);
    }
}

TEST_CASE("cli: cutmix pastes the source's source_box pixels at the corresponding place", "[cli]") {
    const scratch dir("cutmix-same-size");
    const pixels target = load(data_file("astronaut.png"));
    const pixels source = inverted(target);
    const std::string source_path = (dir.root / "inverted.png").string();
    save_png(source_path, source);
    const std::string out = dir.file("mixed.png");
    const json report = parse_report(run_cli(dir, mix_arguments("cutmix", source_path, data_file("astronaut.png"), out) +
                                                      std::vector<std::string>{"--seed", "4"}));
    CHECK(report.at("method") == "cutmix");
    CHECK_FALSE(report.contains("tau"));
    const auto b = box_of(report.at("box"));
    const auto cut = box_of(report.at("source_box"));
    CHECK(b == cut);
    check_lambda_is_box_share(report, 512, 512);
    REQUIRE_FALSE(b.empty());
    CHECK(mismatches(load(out), pasted(target, source.view().subview(cut), b)) == 0);
}

TEST_CASE("cli: cutmix with a random paste region and a source of another size", "[cli]") {
    const scratch dir("cutmix-other-size");
    const std::string out = dir.file("mixed.png");
    const json report = parse_report(
        run_cli(dir, mix_arguments("cutmix", data_file("chelsea.png"), data_file("coffee.png"), out) +
                         std::vector<std::string>{"--seed", "9", "--paste-region", "random", "--alpha", "2"}));
    const auto b = box_of(report.at("box"));
    const auto cut = box_of(report.at("source_box"));
    check_lambda_is_box_share(report, 600, 400);
    CHECK(cut.inside(600, 400));
    CHECK(cut.width == b.width);
    CHECK(cut.height == b.height);
    REQUIRE_FALSE(b.empty());
    // The source is first brought to the target's size with the library's bilinear resize.
    const pixels target = load(data_file("coffee.png"));
    const auto source = resized(load(data_file("chelsea.png"), 3), 600, 400);
    CHECK(mismatches(load(out), pasted(target, source.const_view().subview(cut), b)) == 0);
}

TEST_CASE("cli: mixup blends every pixel with the reported lambda", "[cli]") {
    const scratch dir("mixup");
    const pixels target = load(data_file("astronaut.png"));
    const pixels source = inverted(target);
    const std::string source_path = (dir.root / "inverted.png").string();
    save_png(source_path, source);
    const std::string out = dir.file("mixed.png");
    const json report = parse_report(run_cli(dir, mix_arguments("mixup", source_path, data_file("astronaut.png"), out) +
                                                      std::vector<std::string>{"--seed", "2", "--alpha", "0.4"}));
    CHECK(report.at("method") == "mixup");
    CHECK_FALSE(report.contains("box"));
    CHECK_FALSE(report.contains("source_box"));
    CHECK_FALSE(report.contains("tau"));
    const double lambda = report.at("lambda").get<double>();
    CHECK(lambda > 0.0);
    CHECK(lambda < 1.0);
    const pixels output = load(out);
    REQUIRE(output.values.size() == target.values.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < output.values.size(); ++i) {
        const double expected = lambda * source.values[i] + (1.0 - lambda) * target.values[i];
        worst = std::max(worst, std::abs(output.values[i] - expected));
    }
    CHECK(worst <= 0.5 + 1e-3);  // rounded to nearest (the library blends in float)
}

TEST_CASE("cli: the same seed gives identical bytes, another seed another mix", "[cli]") {
    const scratch dir("determinism");
    for (const std::string method : {"resizemix", "cutmix", "mixup"}) {
        const auto args = [&](const std::string& out, const std::string& seed) {
            return mix_arguments(method, data_file("chelsea.png"), data_file("coffee.png"), dir.file(out)) +
                   std::vector<std::string>{"--seed", seed};
        };
        const run_result first = run_cli(dir, args(method + "-a.png", "12345"));
        const run_result second = run_cli(dir, args(method + "-b.png", "12345"));
        const run_result other = run_cli(dir, args(method + "-c.png", "12346"));
        INFO(method);
        REQUIRE(first.status == 0);
        REQUIRE(second.status == 0);
        REQUIRE(other.status == 0);
        CHECK(first.out == second.out);
        CHECK(read_text(dir.file(method + "-a.png")) == read_text(dir.file(method + "-b.png")));
        CHECK(first.out != other.out);
        CHECK(read_text(dir.file(method + "-a.png")) != read_text(dir.file(method + "-c.png")));
    }
}

TEST_CASE("cli: soft labels sum to 1 and equal (1 - e) * mix + e / K", "[cli]") {
    const scratch dir("labels");
    for (const std::string method : {"resizemix", "cutmix", "mixup"}) {
        for (const double smoothing : {0.0, 0.1}) {
            const json report = parse_report(run_cli(
                dir, mix_arguments(method, data_file("chelsea.png"), data_file("coffee.png"), dir.file("mixed.png")) +
                         std::vector<std::string>{"--source-label", "3", "--target-label", "1", "--num-classes", "5",
                                                  "--label-smoothing", smoothing == 0.0 ? "0" : "0.1"}));
            INFO(method << " smoothing " << smoothing);
            const double lambda = report.at("lambda").get<double>();
            const auto label = report.at("label").get<std::vector<double>>();
            REQUIRE(label.size() == 5);
            double sum = 0;
            for (const double weight : label) sum += weight;
            CHECK(sum == Approx(1.0).margin(1e-6));
            const double spread = smoothing / 5;
            CHECK(label[0] == Approx(spread).margin(1e-6));
            CHECK(label[1] == Approx((1 - smoothing) * (1 - lambda) + spread).margin(1e-6));
            CHECK(label[2] == Approx(spread).margin(1e-6));
            CHECK(label[3] == Approx((1 - smoothing) * lambda + spread).margin(1e-6));
            CHECK(label[4] == Approx(spread).margin(1e-6));
        }
    }
    // One class for both images: all the weight stays on it.
    const json same = parse_report(run_cli(
        dir, mix_arguments("cutmix", data_file("chelsea.png"), data_file("coffee.png"), dir.file("mixed.png")) +
                 std::vector<std::string>{"--source-label", "0", "--target-label", "0", "--num-classes", "2"}));
    CHECK(same.at("label") == json::array({1.0, 0.0}));
}

TEST_CASE("cli: a salient source region centres the box on the map's brightest pixel", "[cli]") {
    const scratch dir("salient-source");
    // A 64 x 32 map of one bright pixel: maps of any size are stretched over the image.
    const std::string map = write_map(dir, "map.png", 64, 32, 50, 5, 0, 255);
    for (const char* seed : {"1", "2", "3"}) {
        const json report = parse_report(run_cli(
            dir, mix_arguments("cutmix", data_file("chelsea.png"), data_file("astronaut.png"), dir.file("mixed.png")) +
                     std::vector<std::string>{"--seed", seed, "--source-region", "salient", "--source-saliency", map}));
        const auto cut = box_of(report.at("source_box"));
        INFO("seed " << seed << " source_box " << cut);
        REQUIRE_FALSE(cut.empty());
        CHECK(cut == expected_centred_box(50, 5, 64, 32, cut.width, cut.height, 512, 512));
        CHECK(cut.contains(404, 88));  // the bright pixel's centre in image coordinates
        CHECK(box_of(report.at("box")) == cut);  // pasted at the corresponding place
    }
}

TEST_CASE("cli: salient and non-salient paste regions follow the target's map", "[cli]") {
    const scratch dir("salient-paste");
    SECTION("resizemix, salient") {
        const std::string map = write_map(dir, "map.png", 30, 20, 2, 17, 10, 200);
        const json report = parse_report(run_cli(
            dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"), dir.file("mixed.png")) +
                     std::vector<std::string>{"--paste-region", "salient", "--target-saliency", map, "--seed", "8"}));
        const auto b = box_of(report.at("box"));
        CHECK(b == expected_centred_box(2, 17, 30, 20, b.width, b.height, 600, 400));
        check_lambda_is_box_share(report, 600, 400);
    }
    SECTION("cutmix, non-salient") {
        const std::string map = write_map(dir, "map.png", 7, 9, 6, 0, 200, 3);
        const json report = parse_report(run_cli(
            dir, mix_arguments("cutmix", data_file("chelsea.png"), data_file("coffee.png"), dir.file("mixed.png")) +
                     std::vector<std::string>{"--paste-region", "non-salient", "--target-saliency", map, "--seed", "8"}));
        const auto b = box_of(report.at("box"));
        REQUIRE_FALSE(b.empty());
        CHECK(b == expected_centred_box(6, 0, 7, 9, b.width, b.height, 600, 400));
    }
}

TEST_CASE("cli: JPEG output by extension, any case", "[cli]") {
    const scratch dir("jpeg");
    for (const std::string name : {"mixed.jpg", "mixed.JPEG"}) {
        const std::string out = dir.file(name);
        (void)parse_report(run_cli(dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"), out)));
        const std::string bytes = read_text(out);
        REQUIRE(bytes.size() > 2);
        CHECK(static_cast<unsigned char>(bytes[0]) == 0xFF);
        CHECK(static_cast<unsigned char>(bytes[1]) == 0xD8);
        int width = 0, height = 0, channels = 0;
        REQUIRE(stbi_info(out.c_str(), &width, &height, &channels) != 0);
        CHECK(width == 600);
        CHECK(height == 400);
        CHECK(channels == 3);
    }
    CHECK(dir.listing() == std::set<std::string>{"mixed.jpg", "mixed.JPEG"});
}

TEST_CASE("cli: the output has the target's channels; the source is converted", "[cli]") {
    const scratch dir("channels");
    pixels gray = load(data_file("coffee.png"), 1);
    const std::string gray_path = (dir.root / "gray.png").string();
    save_png(gray_path, gray);
    const std::string out = dir.file("mixed.png");
    const json report = parse_report(run_cli(dir, mix_arguments("resizemix", data_file("chelsea.png"), gray_path, out)));
    const pixels output = load(out);
    CHECK(output.channels == 1);
    const auto b = box_of(report.at("box"));
    const auto patch = resized(load(data_file("chelsea.png"), 1), b.width, b.height);
    CHECK(mismatches(output, pasted(gray, patch.const_view(), b)) == 0);
}

TEST_CASE("cli: --help prints usage and exits 0; no subcommand is a usage error", "[cli]") {
    const scratch dir("help");
    const run_result help = run_cli(dir, {"mix", "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("--scale-range") != std::string::npos);
    CHECK(help.err.empty());
    const run_result bare = run_cli(dir, {});
    CHECK(bare.status == 2);
    CHECK(count_lines(bare.err) == 1);
}

TEST_CASE("cli: a missing input file fails with exit 1 and names the file", "[cli][errors]") {
    const scratch dir("missing-file");
    const std::string missing = (dir.root / "no-such-image.png").string();
    expect_failure(dir, mix_without_out("resizemix", missing, data_file("coffee.png")), "mixed.png", {}, 1, missing);
    expect_failure(dir, mix_without_out("cutmix", data_file("chelsea.png"), missing), "mixed.png", {}, 1, missing);
    expect_failure(dir, mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--paste-region", "salient", "--target-saliency", missing}, 1, missing);
}

TEST_CASE("cli: a truncated PNG fails with exit 1 and names the file", "[cli][errors]") {
    const scratch dir("truncated");
    const std::string truncated = (dir.root / "truncated.png").string();
    write_text(truncated, read_text(data_file("chelsea.png")).substr(0, 100));
    expect_failure(dir, mix_without_out("resizemix", truncated, data_file("coffee.png")), "mixed.png", {}, 1, truncated);
    expect_failure(dir, mix_without_out("mixup", data_file("coffee.png"), truncated), "mixed.png", {}, 1, truncated);
}

TEST_CASE("cli: a file that is not an image fails with exit 1 and names the file", "[cli][errors]") {
    const scratch dir("not-an-image");
    const std::string text = (dir.root / "notes.png").string();
    write_text(text, "this is a text file, not a picture\n");
    expect_failure(dir, mix_without_out("cutmix", text, data_file("coffee.png")), "mixed.png", {}, 1, text);
}

TEST_CASE("cli: an image above --max-pixels is refused before decoding", "[cli][errors]") {
    const scratch dir("max-pixels");
    expect_failure(dir, mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--max-pixels", "200000"}, 1, "--max-pixels");
    // A tiny file whose header claims 12000 x 12000: refused from the header, without decoding.
    const std::string bomb = (dir.root / "bomb.png").string();
    save_png(bomb, pixels{1, 1, 3, {0, 0, 0}});
    std::string bytes = read_text(bomb);
    REQUIRE(bytes.substr(12, 4) == "IHDR");
    for (const int offset : {16, 20}) {  // big-endian width, then height (stb_image skips the CRC)
        bytes[offset + 0] = 0;
        bytes[offset + 1] = 0;
        bytes[offset + 2] = static_cast<char>(12000 >> 8);
        bytes[offset + 3] = static_cast<char>(12000 & 0xFF);
    }
    write_text(bomb, bytes);
    expect_failure(dir, mix_without_out("cutmix", bomb, data_file("astronaut.png")), "mixed.png", {}, 1,
                   "12000x12000 = 144000000 pixels");
    // Exactly at the limit is fine.
    (void)parse_report(run_cli(dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"),
                                                  dir.file("ok.png")) +
                                        std::vector<std::string>{"--max-pixels", "240000"}));
}

TEST_CASE("cli: a bad scale range fails with exit 1", "[cli][errors]") {
    const scratch dir("scale-range");
    const auto base = mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png"));
    expect_failure(dir, base, "mixed.png", {"--scale-range", "0.8", "0.2"}, 1, "scale range");
    expect_failure(dir, base, "mixed.png", {"--scale-range", "0", "0.5"}, 1, "scale range");
    expect_failure(dir, base, "mixed.png", {"--scale-range", "0.5", "1.5"}, 1, "scale range");
    expect_failure(dir, base, "mixed.png", {"--scale-range", "nan", "0.5"}, 1, "nan");
    // Not two numbers: a command-line error.
    expect_failure(dir, base, "mixed.png", {"--scale-range", "0.5"}, 2, "--scale-range");
}

TEST_CASE("cli: an unknown method or option fails with exit 2", "[cli][errors]") {
    const scratch dir("unknown-method");
    expect_failure(dir, mix_without_out("puzzlemix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png", {},
                   2, "puzzlemix");
    expect_failure(dir, mix_without_out("cutmix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--no-such-option", "1"}, 2, "--no-such-option");
    expect_failure(dir, mix_without_out("cutmix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--seed", "-1"}, 2, "--seed");
    // An option the method does not read is refused, not ignored.
    expect_failure(dir, mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--alpha", "0.5"}, 2, "--alpha");
    expect_failure(dir, mix_without_out("mixup", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--scale-range", "0.2", "0.3"}, 2, "--scale-range");
}

TEST_CASE("cli: bad labels fail before anything is written", "[cli][errors]") {
    const scratch dir("labels-bad");
    const auto base = mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png"));
    expect_failure(dir, base, "mixed.png", {"--source-label", "5", "--target-label", "0", "--num-classes", "5"}, 1,
                   "--source-label 5 is outside [0, 5)");
    expect_failure(dir, base, "mixed.png", {"--source-label", "0", "--target-label", "-1", "--num-classes", "5"}, 1,
                   "--target-label -1 is outside [0, 5)");
    expect_failure(dir, base, "mixed.png",
                   {"--source-label", "0", "--target-label", "1", "--num-classes", "2", "--label-smoothing", "1"}, 1,
                   "smoothing");
    // --source-label without --target-label / --num-classes: a command-line error.
    expect_failure(dir, base, "mixed.png", {"--source-label", "0"}, 2, "--source-label");
}

TEST_CASE("cli: a saliency policy without a map fails with exit 1", "[cli][errors]") {
    const scratch dir("saliency-missing");
    expect_failure(dir, mix_without_out("cutmix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--source-region", "salient"}, 1, "saliency map");
    expect_failure(dir, mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--paste-region", "non-salient"}, 1, "saliency map");
}

TEST_CASE("cli: bad alpha and meaningless regions fail with exit 1", "[cli][errors]") {
    const scratch dir("alpha-regions");
    expect_failure(dir, mix_without_out("cutmix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--alpha", "0"}, 1, "alpha");
    expect_failure(dir, mix_without_out("mixup", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--alpha", "-1"}, 1, "alpha");
    expect_failure(dir, mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png")), "mixed.png",
                   {"--paste-region", "corresponding"}, 1, "corresponding");
}

TEST_CASE("cli: an unwritable output path fails with exit 1 and leaves nothing", "[cli][errors]") {
    const scratch dir("unwritable");
    const std::string out = (dir.out / "no-such-folder" / "mixed.png").string();
    const run_result result =
        run_cli(dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"), out));
    INFO("stderr: " << result.err);
    CHECK(result.status == 1);
    CHECK(count_lines(result.err) == 1);
    CHECK(result.err.find(out) != std::string::npos);
    CHECK(result.out.empty());
    CHECK(dir.listing().empty());

    // An existing directory where the file should go: the rename fails, the temporary file is removed.
    fs::create_directories(dir.out / "taken.png");
    const run_result onto_directory = run_cli(
        dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"), dir.file("taken.png")));
    CHECK(onto_directory.status == 1);
    CHECK(count_lines(onto_directory.err) == 1);
    CHECK(dir.listing() == std::set<std::string>{"taken.png"});
    CHECK(fs::is_directory(dir.out / "taken.png"));
}

TEST_CASE("cli: an unsupported output extension fails before any work", "[cli][errors]") {
    const scratch dir("extension");
    const auto base = mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png"));
    expect_failure(dir, base, "mixed.bmp", {}, 2, "mixed.bmp");
    expect_failure(dir, base, "mixed", {}, 2, "extension");
    // Even with a missing source, the extension is what is reported: nothing was read.
    expect_failure(dir, mix_without_out("resizemix", (dir.root / "absent.png").string(), data_file("coffee.png")),
                   "mixed.tiff", {}, 2, "extension");
}

TEST_CASE("cli: every error names the flag the user typed, never a library parameter", "[cli][errors]") {
    const scratch dir("flag-names");
    const auto resizemix_pair = mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png"));
    const auto cutmix_pair = mix_without_out("cutmix", data_file("chelsea.png"), data_file("coffee.png"));
    const auto labels = [](const std::string& source, const std::string& target) {
        return std::vector<std::string>{"--source-label", source, "--target-label", target, "--num-classes", "5"};
    };
    struct bad_input {
        std::vector<std::string> base;
        std::vector<std::string> extra;
        int status;
        std::vector<std::string> says;
    };
    const std::vector<bad_input> cases{
        {resizemix_pair, {"--scale-range", "0.8", "0.2"}, 1, {"--scale-range 0.8 0.2", "0 < MIN <= MAX <= 1"}},
        {cutmix_pair, {"--alpha", "0"}, 1, {"--alpha", "got 0"}},
        {resizemix_pair, labels("12", "0"), 1, {"--source-label 12 is outside [0, 5)", "--num-classes 5"}},
        {resizemix_pair, labels("0", "-1"), 1, {"--target-label -1 is outside [0, 5)"}},
        {resizemix_pair, labels("0", "1") + std::vector<std::string>{"--label-smoothing", "1"}, 1, {"--label-smoothing", "got 1"}},
        {cutmix_pair, {"--source-region", "salient"}, 1, {"--source-region salient", "--source-saliency", "--saliency contrast"}},
        {resizemix_pair, {"--paste-region", "non-salient"}, 1, {"--paste-region non-salient", "--target-saliency"}},
        {resizemix_pair, {"--paste-region", "corresponding"}, 1, {"--paste-region corresponding", "resizemix"}},
        {resizemix_pair, {"--alpha", "2"}, 2, {"--alpha does not apply", "cutmix, mixup, saliencymix or fmix"}},
        {mix_without_out("mixup", data_file("chelsea.png"), data_file("coffee.png")), {"--source-saliency", data_file("coffee.png")}, 2, {"--source-saliency does not apply"}},
    };
    for (const bad_input& input : cases) {
        for (const std::string& part : input.says) expect_failure(dir, input.base, "mixed.png", input.extra, input.status, part);
        const run_result result = run_cli(dir, input.base + std::vector<std::string>{"--out", dir.file("mixed.png")} + input.extra);
        INFO(result.err);
        for (const char* library_name : {"resize_mix", "cut_mix", "soft_label", "source_class", "target_class", "scale_min"}) {
            CHECK(result.err.find(library_name) == std::string::npos);
        }
    }
}

TEST_CASE("cli: integers are decimal digits that fit; anything else is refused, saying why", "[cli][errors]") {
    const scratch dir("integers");
    const auto base = mix_without_out("resizemix", data_file("chelsea.png"), data_file("coffee.png"));
    expect_failure(dir, base, "mixed.png", {"--max-pixels", "18446744073709551616"}, 2,
                   "--max-pixels 18446744073709551616 is too large");
    expect_failure(dir, base, "mixed.png", {"--max-pixels", "99999999999999999999999"}, 2, "too large");
    expect_failure(dir, base, "mixed.png", {"--max-pixels", "1e9"}, 2, "--max-pixels 1e9 is not an integer");
    expect_failure(dir, base, "mixed.png", {"--max-pixels", "1e9"}, 2, "1000000000");
    expect_failure(dir, base, "mixed.png", {"--max-pixels", "0"}, 2, "--max-pixels 0 is outside [1, ");
    expect_failure(dir, base, "mixed.png", {"--seed", "2.5"}, 2, "--seed 2.5 is not an integer");
    expect_failure(dir, base, "mixed.png", {"--seed", "0x10"}, 2, "--seed 0x10 is not an integer");
    expect_failure(dir, base, "mixed.png", {"--seed", "-3"}, 2, "--seed -3 must not be negative");
    expect_failure(dir, base, "mixed.png", {"--source-label", "9223372036854775808", "--target-label", "0", "--num-classes", "2"},
                   2, "--source-label 9223372036854775808 is too large");
    expect_failure(dir, base, "mixed.png", {"--source-label", "0", "--target-label", "1", "--num-classes", "1000001"}, 2,
                   "--num-classes 1000001 is outside [1, 1000000]");
    // The largest seed is a seed like any other.
    const json report = parse_report(run_cli(dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"),
                                                                dir.file("mixed.png")) +
                                                      std::vector<std::string>{"--seed", "18446744073709551615"}));
    CHECK(report.at("seed").get<std::uint64_t>() == 18446744073709551615ULL);
}

TEST_CASE("cli: a truncated JPEG is called truncated", "[cli][errors]") {
    const scratch dir("truncated-jpeg");
    const std::string full = (dir.root / "full.jpg").string();
    const pixels photo = load(data_file("chelsea.png"));
    REQUIRE(stbi_write_jpg(full.c_str(), photo.width, photo.height, photo.channels, photo.values.data(), 90) != 0);
    const std::string bytes = read_text(full);
    for (const std::size_t size : {std::size_t{100}, std::size_t{2000}, bytes.size() / 2, bytes.size() - 2}) {
        const std::string cut = (dir.root / ("cut-" + std::to_string(size) + ".jpg")).string();
        write_text(cut, bytes.substr(0, size));
        INFO(size << " of " << bytes.size() << " bytes");
        expect_failure(dir, mix_without_out("mixup", cut, data_file("coffee.png")), "mixed.png", {}, 1, "truncated JPEG");
        expect_failure(dir, mix_without_out("mixup", cut, data_file("coffee.png")), "mixed.png", {}, 1,
                       std::to_string(size) + " bytes end before");
    }
}

TEST_CASE("cli: --help states the same-size rule that cutmix and mixup follow", "[cli]") {
    const scratch dir("help-same-size");
    const run_result help = run_cli(dir, {"mix", "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("cutmix and mixup first resize a source of another size to the target's size") != std::string::npos);
    CHECK(help.out.find("--saliency") != std::string::npos);
}

TEST_CASE("cli: --saliency contrast centres the box on the contrast map's maximum, no map file needed", "[cli]") {
    const scratch dir("saliency-contrast");
    const pixels chelsea = load(data_file("chelsea.png"));
    const auto files = same_size_pair(dir, chelsea);  // not a structured binding: clang 14 cannot capture those
    const std::string& source = files.first;
    const std::string& target = files.second;
    const json report = parse_report(run_cli(dir, mix_arguments("cutmix", source, target, dir.file("mixed.png")) +
                                                      std::vector<std::string>{"--source-region", "salient", "--saliency",
                                                                               "contrast", "--seed", "4"}));
    const resizemix::saliency_map map = resizemix::contrast_saliency(chelsea.view());
    const auto peaks = resizemix::extreme_pixels(map, resizemix::region::salient);
    REQUIRE(peaks.size() == 1);
    const auto b = box_of(report.at("source_box"));
    CHECK(b == expected_centred_box(static_cast<int>(peaks[0].first), static_cast<int>(peaks[0].second),
                                    static_cast<int>(map.width()), static_cast<int>(map.height()), b.width, b.height,
                                    chelsea.width, chelsea.height));
    // A map from a file and a computed one cannot both be asked for.
    expect_failure(dir, mix_without_out("cutmix", source, target), "other.png",
                   {"--source-region", "salient", "--saliency", "contrast", "--source-saliency", source}, 2, "--saliency");
    // Mixup reads no saliency.
    expect_failure(dir, mix_without_out("mixup", source, target), "other.png", {"--saliency", "contrast"}, 2,
                   "--saliency does not apply");
}

TEST_CASE("cli: --box-sampling inside keeps CutMix's whole box; clip (the default) clips it at the border", "[cli]") {
    const scratch dir("box-sampling");
    const pixels chelsea = load(data_file("chelsea.png"));
    const auto files = same_size_pair(dir, chelsea);  // not a structured binding: clang 14 cannot capture those
    const std::string& source = files.first;
    const std::string& target = files.second;
    const double width = chelsea.width;
    const double height = chelsea.height;
    // A whole box keeps the image's aspect ratio (up to rounding); a clipped one usually does not.
    const auto aspect_gap = [&](const resizemix::box& b) { return std::abs(b.width / width - b.height / height); };
    int clipped = 0;
    for (int seed = 0; seed < 24; ++seed) {
        const auto run = [&](const std::vector<std::string>& extra) {
            return parse_report(run_cli(dir, mix_arguments("cutmix", source, target, dir.file("mixed.png")) +
                                                 std::vector<std::string>{"--seed", std::to_string(seed)} + extra));
        };
        const json inside = run({"--box-sampling", "inside"});
        CHECK(inside.at("box_sampling") == "inside");
        check_lambda_is_box_share(inside, chelsea.width, chelsea.height);
        CHECK(aspect_gap(box_of(inside.at("box"))) <= 2.0 / height);
        const json clip = run({});
        CHECK(clip.at("box_sampling") == "clip");
        check_lambda_is_box_share(clip, chelsea.width, chelsea.height);
        CHECK(box_of(clip.at("source_box")) == box_of(clip.at("box")));
        if (aspect_gap(box_of(clip.at("box"))) > 0.05) ++clipped;
    }
    CHECK(clipped > 0);
    expect_failure(dir, mix_without_out("resizemix", source, target), "mixed.png", {"--box-sampling", "inside"}, 2,
                   "--box-sampling does not apply");
    expect_failure(dir, mix_without_out("cutmix", source, target), "mixed.png", {"--box-sampling", "edge"}, 2,
                   "--box-sampling");
}

namespace {

/// The report's "augmentations" against the library's record: name, signed magnitude, sign, image.
void check_augmentations_json(const json& listed, const std::vector<resizemix::applied_op>& ops) {
    REQUIRE(listed.size() == ops.size());
    for (std::size_t k = 0; k < ops.size(); ++k) {
        INFO("operation " << k);
        const json& entry = listed.at(k);
        CHECK(entry.at("op") == std::string(resizemix::to_string(ops[k].op)));
        CHECK(entry.at("magnitude").get<double>() == ops[k].magnitude);
        if (resizemix::is_signed(ops[k].op)) {
            CHECK(entry.at("sign") == (std::signbit(ops[k].magnitude) ? -1 : 1));
        } else {
            CHECK(!entry.contains("sign"));
        }
        const char* image = ops[k].stage == resizemix::augment_stage::source   ? "source"
                            : ops[k].stage == resizemix::augment_stage::target ? "target"
                                                                               : "mixed";
        CHECK(entry.at("image") == image);
    }
}

}  // namespace

TEST_CASE("cli: --randaugment writes the library's augment_after / augment_before bytes and lists every op",
          "[cli][augment]") {
    const scratch dir("randaugment");
    const pixels source = load(data_file("chelsea.png"), 3);
    const pixels target = load(data_file("coffee.png"), 3);
    for (const std::string order : {"after", "before"}) {
        const std::string seed = order == "after" ? "3" : "4";
        const std::string out = dir.file(order + "-" + seed + ".png");
        const json report = parse_report(run_cli(
            dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"), out) +
                     std::vector<std::string>{"--seed", seed, "--randaugment", "3", "12", "--augment-order", order}));
        INFO(order << ", seed " << seed);

        // The library, called as a user would, on the same pixels with the same seed.
        const resizemix::rand_augment policy{.num_ops = 3, .magnitude = 12};
        resizemix::image<std::uint8_t> expected(target.view());
        resizemix::rng random(std::stoull(seed));
        const resizemix::any_mixer pipeline =
            order == "after" ? resizemix::any_mixer(resizemix::augment_after(resizemix::resize_mix{}, policy))
                             : resizemix::any_mixer(resizemix::augment_before(resizemix::resize_mix{}, policy));
        const resizemix::mix_info info = pipeline(source.view(), expected.const_view(), expected.view(), random);
        const pixels written = load(out);
        CHECK(std::equal(written.values.begin(), written.values.end(), expected.data()));

        CHECK(report.at("lambda").get<double>() == info.lambda);
        CHECK(report.at("tau").get<double>() == Approx(info.tau).margin(1e-7));
        CHECK(box_of(report.at("box")) == info.paste_box);  // where the source went, before augmenting
        CHECK(report.at("randaugment") ==
              json::parse(R"({"num_ops": 3, "magnitude": 12, "num_magnitude_bins": 31, "order": ")" + order + "\"}"));
        check_augmentations_json(report.at("augmentations"), info.augmentations);
        CHECK(report.at("augmentations").size() == (order == "after" ? 3U : 6U));
    }
    // Without --randaugment nothing changes: no augmentation keys, the plain mix.
    const json plain = parse_report(
        run_cli(dir, mix_arguments("resizemix", data_file("chelsea.png"), data_file("coffee.png"), dir.file("plain.png"))));
    CHECK(!plain.contains("augmentations"));
    CHECK(!plain.contains("randaugment"));
}

TEST_CASE("cli: --randaugment and --augment-order errors name the flag and write nothing", "[cli][errors][augment]") {
    const scratch dir("randaugment-errors");
    const auto mix = mix_without_out("cutmix", data_file("chelsea.png"), data_file("coffee.png"));
    expect_failure(dir, mix, "out.png", {"--augment-order", "before"}, 2, "--augment-order does not apply");
    expect_failure(dir, mix, "out.png", {"--randaugment", "2", "--augment-order", "after"}, 2, "--randaugment");
    expect_failure(dir, mix, "out.png", {"--randaugment", "-1", "9"}, 2, "--randaugment");
    expect_failure(dir, mix, "out.png", {"--randaugment", "2", "9x"}, 2, "--randaugment");
    expect_failure(dir, mix, "out.png", {"--randaugment", "2", "9", "--augment-order", "during"}, 2, "--augment-order");
    expect_failure(dir, mix, "out.png", {"--randaugment", "2", "31"}, 1, "--randaugment 2 31: the magnitude M must be a bin in [0, 30]");
    expect_failure(dir, mix, "out.png", {"--randaugment", "2", "9", "--autoaugment", "imagenet"}, 2,
                   "--randaugment and --autoaugment do not go together");
    pixels rgba = load(data_file("coffee.png"), 4);
    const std::string rgba_path = (dir.root / "rgba.png").string();
    save_png(rgba_path, rgba);
    expect_failure(dir, mix_without_out("resizemix", data_file("chelsea.png"), rgba_path), "out.png",
                   {"--randaugment", "2", "9"}, 1,
                   "--randaugment needs gray or RGB images (1 or 3 channels), got 4 channels in the target");
}

TEST_CASE("cli: saliencymix and fmix give the library's bytes, box and lambda", "[cli]") {
    const scratch dir("baselines-mix");
    const pixels chelsea = load(data_file("chelsea.png"));
    const auto files = same_size_pair(dir, chelsea);  // not a structured binding: clang 14 cannot capture those
    const std::string& source = files.first;
    const std::string& target = files.second;
    const pixels source_pixels = load(source);
    const pixels target_pixels = load(target);
    const auto expected = [&](const auto& mixer, resizemix::mix_info& info) {
        std::vector<std::uint8_t> out = target_pixels.values;
        resizemix::rng random(6);
        info = mixer(source_pixels.view(), target_pixels.view(),
                     resizemix::from_hwc(out.data(), target_pixels.height, target_pixels.width, 3), random);
        return out;
    };
    resizemix::mix_info info;

    const std::string saliency_out = dir.file("saliencymix.png");
    const json saliency_report = parse_report(run_cli(dir, mix_arguments("saliencymix", source, target, saliency_out) +
                                                             std::vector<std::string>{"--seed", "6", "--alpha", "2"}));
    CHECK(load(saliency_out).values == expected(resizemix::saliency_mix{.alpha = 2.0f}, info));
    CHECK(saliency_report.at("method") == "saliencymix");
    CHECK(box_of(saliency_report.at("box")) == info.box);
    CHECK(saliency_report.at("lambda").get<double>() == info.lambda);

    const std::string fmix_out = dir.file("fmix.png");
    const json fmix_report = parse_report(run_cli(dir, mix_arguments("fmix", source, target, fmix_out) +
                                                         std::vector<std::string>{"--seed", "6", "--decay-power", "2.5"}));
    CHECK(load(fmix_out).values == expected(resizemix::fmix{.decay_power = 2.5f}, info));
    CHECK(fmix_report.at("decay_power").get<double>() == 2.5);
    CHECK(fmix_report.at("mask_pixels").get<long>() == info.mask->count());
    CHECK(fmix_report.at("lambda").get<double>() ==
          static_cast<double>(info.mask->count()) / (chelsea.width * chelsea.height));

    expect_failure(dir, mix_without_out("fmix", source, target), "mixed.png", {"--decay-power", "0"}, 1,
                   "--decay-power must be finite and above 0");
    expect_failure(dir, mix_without_out("cutmix", source, target), "mixed.png", {"--decay-power", "2"}, 2,
                   "--decay-power does not apply");
}

TEST_CASE("cli: --saliency fine-grained gives salient CutMix the fine-grained map", "[cli]") {
    const scratch dir("saliency-fine-grained");
    const pixels chelsea = load(data_file("chelsea.png"));
    const auto files = same_size_pair(dir, chelsea);
    const pixels source_pixels = load(files.first);
    const json report = parse_report(run_cli(dir, mix_arguments("cutmix", files.first, files.second, dir.file("mixed.png")) +
                                                      std::vector<std::string>{"--source-region", "salient", "--saliency",
                                                                               "fine-grained", "--seed", "3"}));
    resizemix::pair_saliency maps;
    maps.source = resizemix::fine_grained_saliency(source_pixels.view());
    const pixels target_pixels = load(files.second);
    std::vector<std::uint8_t> out = target_pixels.values;
    resizemix::rng random(3);
    const resizemix::mix_info info = resizemix::cut_mix{.source_region = resizemix::region::salient}(
        source_pixels.view(), target_pixels.view(), resizemix::from_hwc(out.data(), target_pixels.height, target_pixels.width, 3),
        random, maps);
    CHECK(box_of(report.at("source_box")) == info.source_box);
}

#endif  // RESIZEMIX_CLI_PATH
