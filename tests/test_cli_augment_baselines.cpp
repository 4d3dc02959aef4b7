// End-to-end tests of the CLI's Cutout and AutoAugment paths (issue 17): `mix --method cutout`
// and `mix --autoaugment` give the library's bytes for the same seed, `batch` records holes and
// operations per image, `grid` draws cutout and autoaugment columns, and bad values are one line
// naming the flag.
#include <catch2/catch.hpp>

#ifdef RESIZEMIX_CLI_PATH

#include <stb_image.h>
#include <stb_image_write.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <resizemix/augment/auto_augment.hpp>
#include <resizemix/augment/cutout.hpp>
#include <resizemix/augment/pipeline.hpp>
#include <resizemix/mixers/resizemix.hpp>

#include "cli_support.hpp"

namespace {

using namespace cli_support;
using json = nlohmann::json;

struct scratch : scratch_folder {
    explicit scratch(const std::string& name) : scratch_folder("cli-augment-baselines", name) {}
};

/// The left w x h corner of a photo, saved as `name` in the folder.
std::string corner(const scratch& dir, const std::string& photo, const std::string& name, int width, int height) {
    const pixels whole = load(data_file(photo), 3);
    pixels part{width, height, 3, {}};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width * 3; ++x) part.values.push_back(whole.values[static_cast<std::size_t>(y * whole.width * 3 + x)]);
    const std::string path = dir.path(name);
    save_png(path, part);
    return path;
}

bool same_bytes(const pixels& output, resizemix::image_view<const std::uint8_t> expected) {
    for (int c = 0; c < output.channels; ++c)
        for (int y = 0; y < output.height; ++y)
            for (int x = 0; x < output.width; ++x)
                if (output.at(c, y, x) != expected(c, y, x)) return false;
    return true;
}

}  // namespace

TEST_CASE("cli: mix --method cutout cuts the library's holes and keeps the target's label", "[cli][cutout]") {
    const scratch dir("mix-cutout");
    const std::string target = corner(dir, "astronaut.png", "target.png", 64, 48);
    const pixels target_pixels = load(target);
    for (const int seed : {0, 7}) {
        const std::string out = dir.path("out.png");
        const json report = parse_report(run_cli(dir, strings{"mix", "--method", "cutout", "--source", data_file("chelsea.png"),
                                                              "--target", target, "--out", out, "--seed", std::to_string(seed),
                                                              "--cutout-length", "20", "--cutout-holes", "3", "--cutout-fill",
                                                              "128", "--source-label", "1", "--target-label", "0",
                                                              "--num-classes", "2"}));
        CHECK(report.at("method") == "cutout");
        CHECK(report.at("lambda") == 0.0);
        CHECK(report.at("label") == json::array({1.0, 0.0}));
        resizemix::image<std::uint8_t> expected(target_pixels.view());
        resizemix::rng random(static_cast<std::uint64_t>(seed));
        const auto holes = resizemix::cutout{.length = 20, .holes = 3, .fill = {128.0}}(expected.view(), random);
        REQUIRE(report.at("holes").size() == 3);
        for (std::size_t k = 0; k < holes.size(); ++k) CHECK(box_of(report.at("holes")[k]) == holes[k].region);
        CHECK(same_bytes(load(out), expected.const_view()));
    }
    // A share of the shorter side: 0.5 of 48 is 24, so holes of at most 24 x 24.
    const json fraction = parse_report(run_cli(dir, strings{"mix", "--method", "cutout", "--source", target, "--target", target,
                                                            "--out", dir.path("fraction.png"), "--cutout-fraction", "0.5"}));
    const auto hole = box_of(fraction.at("holes")[0]);
    CHECK(hole.width <= 24);
    CHECK(hole.height <= 24);
    CHECK(hole.inside(64, 48));
    const strings base{"mix", "--source", target, "--target", target, "--out", dir.path("bad.png")};
    expect_error(run_cli(dir, base + strings{"--method", "cutmix", "--cutout-holes", "2"}), 2, "--cutout-holes does not apply");
    expect_error(run_cli(dir, base + strings{"--method", "cutout", "--cutout-fraction", "0"}), 1, "--cutout-fraction must be in (0, 1], got 0");
    expect_error(run_cli(dir, base + strings{"--method", "cutout", "--cutout-fill", "300"}), 1, "--cutout-fill must be a level in [0, 255], got 300");
    expect_error(run_cli(dir, base + strings{"--method", "cutout", "--cutout-length", "4", "--cutout-fraction", "0.2"}), 2,
                 "--cutout-length");
    CHECK_FALSE(std::filesystem::exists(dir.path("bad.png")));
}

TEST_CASE("cli: mix --autoaugment runs the library's AutoAugment after the mix", "[cli][autoaugment]") {
    const scratch dir("mix-autoaugment");
    const std::string source = corner(dir, "chelsea.png", "source.png", 56, 40);
    const std::string target = corner(dir, "coffee.png", "target.png", 56, 40);
    const pixels source_pixels = load(source);
    const pixels target_pixels = load(target);
    int operations = 0;
    for (const int seed : {1, 2, 3, 4}) {
        const std::string out = dir.path("out.png");
        const json report = parse_report(run_cli(dir, strings{"mix", "--method", "resizemix", "--source", source, "--target", target,
                                                              "--out", out, "--seed", std::to_string(seed), "--autoaugment",
                                                              "cifar10"}));
        CHECK(report.at("autoaugment") == "cifar10");
        resizemix::image<std::uint8_t> expected(3, 40, 56);
        resizemix::rng random(static_cast<std::uint64_t>(seed));
        const auto info = resizemix::augment_after(resizemix::resize_mix{}, resizemix::auto_augment{.policy = resizemix::auto_augment_policy::cifar10})(
            source_pixels.view(), target_pixels.view(), expected.view(), random);
        CHECK(report.at("lambda") == info.lambda);
        CHECK(box_of(report.at("box")) == info.paste_box);
        REQUIRE(report.at("augmentations").size() == info.augmentations.size());
        for (std::size_t k = 0; k < info.augmentations.size(); ++k) {
            CHECK(report.at("augmentations")[k].at("op") == std::string(resizemix::to_string(info.augmentations[k].op)));
            CHECK(report.at("augmentations")[k].at("magnitude") == info.augmentations[k].magnitude);
        }
        operations += static_cast<int>(info.augmentations.size());
        CHECK(same_bytes(load(out), expected.const_view()));
    }
    CHECK(operations > 0);
    expect_error(run_cli(dir, strings{"mix", "--method", "mixup", "--source", source, "--target", target, "--out",
                                      dir.path("bad.png"), "--autoaugment", "mnist"}),
                 2, "--autoaugment");
}

TEST_CASE("cli: batch --method cutout --autoaugment records holes and operations per image", "[cli][cutout][autoaugment]") {
    const scratch dir("batch");
    std::filesystem::create_directories(dir.root / "in");
    const std::vector<std::string> photos{"astronaut.png", "chelsea.png", "coffee.png"};
    for (std::size_t k = 0; k < photos.size(); ++k) corner(dir, photos[k], "in/" + std::to_string(k) + ".png", 40, 32);
    const json report = parse_report(run_cli(dir, strings{"batch", "--input-dir", dir.path("in"), "--output-dir", dir.path("out"),
                                                          "--method", "cutout", "--cutout-holes", "2", "--cutout-length", "8",
                                                          "--autoaugment", "svhn", "--seed", "5", "--threads", "1"}));
    CHECK(report.at("mean_lambda") == 0.0);
    const json labels = json::parse(read_text(dir.root / "out" / "labels.json"));
    CHECK(labels.at("autoaugment") == "svhn");
    CHECK(labels.at("cutout").at("holes") == 2);
    CHECK(labels.at("cutout").at("length") == 8);
    REQUIRE(labels.at("images").size() == 3);
    for (const json& image : labels.at("images")) {
        CHECK(image.at("method") == "cutout");
        CHECK(image.at("holes").size() == 2);
        for (const json& hole : image.at("holes")) CHECK(box_of(hole).inside(40, 32));
    }
    expect_error(run_cli(dir, strings{"batch", "--input-dir", dir.path("in"), "--output-dir", dir.path("out2"), "--method",
                                      "mixup", "--cutout-fill", "3"}),
                 2, "--cutout-fill does not apply");
}

TEST_CASE("cli: grid draws cutout and autoaugment columns", "[cli][grid][cutout][autoaugment]") {
    const scratch dir("grid");
    const json report = parse_report(run_cli(dir, strings{"grid", "--images", data_file("chelsea.png"), data_file("coffee.png"),
                                                          "--out", dir.path("sheet.png"), "--columns", "target", "cutout",
                                                          "autoaugment", "--tile-size", "64", "48", "--cutout-holes", "2"}));
    REQUIRE(report.at("rows").size() == 2);
    for (const json& row : report.at("rows")) {
        REQUIRE(row.at("tiles").size() == 2);
        CHECK(row.at("tiles")[0].at("column") == "cutout");
        CHECK(row.at("tiles")[0].at("lambda") == 0.0);
        CHECK(row.at("tiles")[0].at("holes").size() == 2);
        CHECK(row.at("tiles")[1].at("column") == "autoaugment");
        CHECK(row.at("tiles")[1].at("augmentations").is_array());
    }
    CHECK(load(dir.path("sheet.png")).width == 8 + 3 * (64 + 8));
}

#endif  // RESIZEMIX_CLI_PATH
