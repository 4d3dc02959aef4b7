// End-to-end tests of `resizemix grid` (examples/cli): the contact sheet's size
// and layout against the documented formulas, lambda against every reported
// box, captions drawn where they belong, the same bytes for the same seed, the
// README's pictures made again byte for byte, and one-line errors that leave an
// existing sheet untouched.
#include <catch2/catch.hpp>

#ifdef RESIZEMIX_CLI_PATH

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace cli_support;

/// A fresh folder per test case.
struct scratch : scratch_folder {
    explicit scratch(const std::string& name) : scratch_folder("cli-grid", name) {}
};

}  // namespace

TEST_CASE("cli grid: a contact sheet of the expected size, with lambda reported for every mixed tile", "[cli][grid]") {
    const scratch dir("grid");
    const strings photos{data_file("chelsea.png"), data_file("coffee.png"), data_file("astronaut.png")};
    const std::string sheet = dir.path("sheet.png");
    const json report = parse_report(run_cli(dir, strings{"grid", "--images"} + photos + strings{"--out", sheet, "--seed", "1"}));

    // Default: 5 columns (source, target, cutmix, salient-cutmix, resizemix) of 240 x 160 tiles,
    // 3 rows (cycle), an 8-pixel gap, a 24-pixel title band and a 24-pixel caption band per row.
    const int width = 8 + 5 * (240 + 8);
    const int height = 8 + 24 + 3 * (160 + 24 + 8);
    const pixels image = load(sheet);
    CHECK(image.width == width);
    CHECK(image.height == height);
    CHECK(image.channels == 3);
    CHECK(report.at("width") == width);
    CHECK(report.at("height") == height);
    REQUIRE(report.at("rows").size() == 3);
    CHECK(report.at("rows").at(2).at("source") == photos[2]);
    CHECK(report.at("rows").at(2).at("target") == photos[0]);  // the last image into the first
    for (const json& row : report.at("rows")) {
        REQUIRE(row.at("tiles").size() == 3);
        for (const json& tile : row.at("tiles")) {
            const auto b = box_of(tile.at("box"));
            CHECK(b.inside(240, 160));
            CHECK(tile.at("lambda").get<double>() ==
                  Approx(static_cast<double>(b.area()) / (240.0 * 160.0)).margin(1e-12).epsilon(0));
        }
        // Both CutMix columns start from the row's stream, so they draw the same lambda_cut: the
        // clipped box (sides at most 2 * floor(s / 2)) is never larger than the salient one (round(s)).
        CHECK(row.at("tiles").at(0).at("box").at("width") <= row.at("tiles").at(1).at("box").at("width"));
        CHECK(row.at("tiles").at(0).at("box").at("height") <= row.at("tiles").at(1).at("box").at("height"));
    }
    // Captions are drawn: dark pixels in the title band and under the first mixed tile, none in the margin.
    const auto dark_pixels = [&](int left, int top, int w, int h) {
        int count = 0;
        for (int y = top; y < top + h; ++y)
            for (int x = left; x < left + w; ++x)
                if (image.values[static_cast<std::size_t>((y * image.width + x) * 3)] < 100) ++count;
        return count;
    };
    CHECK(dark_pixels(8 + 2 * 248, 8, 240, 24) > 20);         // "CutMix"
    CHECK(dark_pixels(8 + 2 * 248, 8 + 24 + 160, 240, 24) > 20);  // "λ=0.243"
    CHECK(dark_pixels(0, 0, width, 8) == 0);

    // Same seed, same bytes; another seed, another sheet.
    (void)parse_report(run_cli(dir, strings{"grid", "--images"} + photos + strings{"--out", dir.path("again.png"), "--seed", "1"}));
    CHECK(read_text(dir.path("again.png")) == read_text(sheet));
    (void)parse_report(run_cli(dir, strings{"grid", "--images"} + photos + strings{"--out", dir.path("other.png"), "--seed", "2"}));
    CHECK(read_text(dir.path("other.png")) != read_text(sheet));
}

TEST_CASE("cli grid: --pairs chain, --columns and --tile-size set the layout", "[cli][grid]") {
    const scratch dir("grid-layout");
    const json report = parse_report(run_cli(
        dir, strings{"grid", "--images", data_file("chelsea.png"), data_file("coffee.png"), "--pairs", "chain",
                     "--columns", "cutmix,resizemix", "--tile-size", "100", "80", "--out", dir.path("pair.png")}));
    const pixels image = load(dir.path("pair.png"));
    CHECK(image.width == 8 + 2 * (100 + 8));
    CHECK(image.height == 8 + 24 + 1 * (80 + 24 + 8));
    REQUIRE(report.at("rows").size() == 1);
    CHECK(report.at("rows").at(0).at("tiles").at(1).at("column") == "resizemix");
    CHECK(report.at("box_sampling") == "clip");
    const double tau = report.at("rows").at(0).at("tiles").at(1).at("tau").get<double>();
    const auto b = box_of(report.at("rows").at(0).at("tiles").at(1).at("box"));
    CHECK(b.width == std::lround(tau * 100));
    CHECK(b.height == std::lround(tau * 80));
}

TEST_CASE("cli grid: bad input is one line, exit 1 or 2, and the sheet untouched", "[cli][grid][errors]") {
    const scratch dir("grid-errors");
    const std::string out = dir.path("sheet.png");
    const std::string precious = read_text(data_file("coffee.png"));
    write_text(out, precious);
    const auto grid = [&](const strings& images, const strings& extra) {
        return strings{"grid", "--images"} + images + strings{"--out", out} + extra;
    };
    const strings two{data_file("chelsea.png"), data_file("coffee.png")};
    expect_error(run_cli(dir, grid({data_file("chelsea.png")}, {})), 2, "--images");
    expect_error(run_cli(dir, grid(two, {"--columns", "puzzlemix"})), 2, "puzzlemix");
    expect_error(run_cli(dir, grid(two, {"--columns", "source,target", "--alpha", "2"})), 2, "--alpha");
    expect_error(run_cli(dir, grid(two, {"--columns", "resizemix", "--box-sampling", "inside"})), 2,
                 "--box-sampling does not apply");
    expect_error(run_cli(dir, grid(two, {"--tile-size", "4", "4"})), 1, "--tile-size");
    expect_error(run_cli(dir, grid(two, {"--scale-range", "0", "0.5"})), 1, "scale range");
    const std::string missing = dir.path("missing.png");
    expect_error(run_cli(dir, grid({data_file("chelsea.png"), missing}, {})), 1, missing);
    expect_error(run_cli(dir, strings{"grid", "--images"} + two + strings{"--out", dir.path("sheet.bmp")}), 2, "extension");
    CHECK(read_text(out) == precious);
    CHECK(dir.listing() == std::set<std::string>{"capture", "sheet.png"});
}

TEST_CASE("cli grid: the resizemix+ column is the resizemix column's mix, then RandAugment(2, 9)", "[cli][grid][augment]") {
    const scratch dir("grid-plus");
    const json report = parse_report(run_cli(
        dir, strings{"grid", "--images", data_file("chelsea.png"), data_file("coffee.png"), "--columns",
                     "resizemix,resizemix+", "--tile-size", "96", "64", "--seed", "4", "--out", dir.path("plus.png")}));
    REQUIRE(report.at("rows").size() == 2);
    bool some_tile_changed = false;
    const pixels sheet = load(dir.path("plus.png"));
    for (std::size_t row = 0; row < 2; ++row) {
        const json& plain = report.at("rows").at(row).at("tiles").at(0);
        const json& plus = report.at("rows").at(row).at("tiles").at(1);
        CHECK(plus.at("column") == "resizemix+");
        // The same stream: the same tau, lambda and paste box; then two operations of the 14.
        CHECK(plus.at("tau") == plain.at("tau"));
        CHECK(plus.at("lambda") == plain.at("lambda"));
        CHECK(plus.at("box") == plain.at("box"));
        CHECK(!plain.contains("augmentations"));
        REQUIRE(plus.at("augmentations").size() == 2);
        for (const json& op : plus.at("augmentations")) CHECK(op.at("image") == "mixed");
        // The two tiles differ unless both operations leave the tile as it was.
        const int top = 8 + 24 + static_cast<int>(row) * (64 + 24 + 8);
        for (int y = top; y < top + 64; ++y)
            for (int x = 0; x < 96; ++x)
                for (int c = 0; c < 3; ++c) some_tile_changed |= sheet.at(c, y, 8 + x) != sheet.at(c, y, 8 + 104 + x);
    }
    CHECK(some_tile_changed);
    expect_error(run_cli(dir, strings{"grid", "--images", data_file("chelsea.png"), data_file("coffee.png"),
                                      "--columns", "resizemix+", "--alpha", "2", "--out", dir.path("bad.png")}),
                 2, "--alpha does not apply");
}

#endif  // RESIZEMIX_CLI_PATH
