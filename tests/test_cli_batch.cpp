// End-to-end tests of `resizemix batch` (examples/cli):
// run the built program on small generated folders and on the bundled photos;
// check the labels CSV / JSON against each other, against the definitions of
// lambda and the soft label, and against the written pixels; check that the
// bytes do not depend on the thread count; and that every error is one line on
// stderr with exit status 1 or 2 that leaves no output folder, no staging
// folder, and an existing output exactly as it was.
#include <catch2/catch.hpp>

#ifdef RESIZEMIX_CLI_PATH

#include <stb_image.h>
#include <stb_image_write.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <resizemix/contrast_saliency.hpp>
#include <resizemix/resizemix.hpp>

#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace cli_support;
using resizemix::index_t;

/// A fresh folder per test case: `root` holds the input folder, labels and outputs.
struct scratch : scratch_folder {
    explicit scratch(const std::string& name) : scratch_folder("cli-batch", name) {}
};


/// A smooth pattern plus noise, different for every seed, written as PNG.
void write_pattern(const fs::path& path, int width, int height, int channels, unsigned seed) {
    pixels image{width, height, channels, std::vector<std::uint8_t>(static_cast<std::size_t>(width * height * channels))};
    unsigned state = seed * 2654435761U + 12345U;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c) {
                state = state * 1664525U + 1013904223U;
                const int smooth = static_cast<int>((x * 7 + y * 5) * (c + 1) + seed * 40) % 200;
                image.values[static_cast<std::size_t>((y * width + x) * channels + c)] =
                    static_cast<std::uint8_t>(smooth + static_cast<int>(state >> 27U));
            }
    save_png(path.string(), image);
}

/// A folder of `names` (all width x height x channels), and a labels file giving name i class classes[i].
void make_folder(const scratch& dir, const strings& names, int width, int height, int channels = 3) {
    fs::create_directories(dir.root / "in");
    unsigned seed = 1;
    for (const auto& name : names) write_pattern(dir.root / "in" / name, width, height, channels, seed++);
}

void write_labels(const scratch& dir, const std::map<std::string, int>& classes, const std::string& name = "labels.csv") {
    std::string text = "filename,label\n";
    for (const auto& [file, label] : classes) text += file + "," + std::to_string(label) + "\n";
    write_text(dir.root / name, text);
}

/// A parsed CSV: the header and the rows, as text fields (no quoting needed for these names).
struct csv_table {
    strings header;
    std::vector<strings> rows;

    [[nodiscard]] std::size_t column(const std::string& name) const {
        const auto found = std::find(header.begin(), header.end(), name);
        REQUIRE(found != header.end());
        return static_cast<std::size_t>(found - header.begin());
    }
};

strings split(const std::string& line) {
    strings fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
}

csv_table read_csv(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in);
    csv_table table;
    std::string line;
    REQUIRE(std::getline(in, line));
    table.header = split(line);
    while (std::getline(in, line)) {
        table.rows.push_back(split(line));
        REQUIRE(table.rows.back().size() == table.header.size());
    }
    return table;
}

/// Every file under `folder`, by relative name, with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& folder) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        if (entry.is_regular_file()) files[fs::relative(entry.path(), folder).string()] = read_text(entry.path());
    }
    return files;
}

/// `target` with `patch` written over `where`.
pixels pasted(pixels target, resizemix::image_view<const std::uint8_t> patch, const resizemix::box& where) {
    for (index_t y = 0; y < where.height; ++y)
        for (index_t x = 0; x < where.width; ++x)
            for (index_t c = 0; c < target.channels; ++c)
                target.values[static_cast<std::size_t>(((where.y + y) * target.width + where.x + x) * target.channels + c)] =
                    patch(c, y, x);
    return target;
}

resizemix::box box_of_row(const csv_table& table, const strings& row) {
    return {std::stol(row[table.column("box_x")]), std::stol(row[table.column("box_y")]),
            std::stol(row[table.column("box_width")]), std::stol(row[table.column("box_height")])};
}

strings batch_arguments(const scratch& dir, const std::string& output, const strings& methods) {
    return strings{"batch", "--input-dir", dir.path("in"), "--output-dir", dir.path(output), "--method"} + methods;
}

const strings six_images{"a.png", "b.png", "c.png", "d.png", "e.png", "f.png"};
const std::map<std::string, int> six_labels{{"a.png", 0}, {"b.png", 1}, {"c.png", 2},
                                            {"d.png", 3}, {"e.png", 1}, {"f.png", 0}};

/// A failed batch run: the error, no output folder, nothing new beside it.
void expect_batch_failure(const scratch& dir, const strings& arguments, int status, const std::string& part) {
    const auto before = dir.listing();
    expect_error(run_cli(dir, arguments), status, part);
    CHECK(dir.listing() == before);
}

}  // namespace

TEST_CASE("cli batch: mixes a folder; labels CSV and JSON agree with lambda, the box and the pixels", "[cli][batch]") {
    const scratch dir("happy-path");
    make_folder(dir, six_images, 40, 30);
    write_labels(dir, six_labels);
    const json report = parse_report(run_cli(
        dir, batch_arguments(dir, "out", {"resizemix"}) +
                 strings{"--labels", dir.path("labels.csv"), "--label-smoothing", "0.1", "--seed", "3"}));
    CHECK(report.at("count") == 6);
    CHECK(report.at("width") == 40);
    CHECK(report.at("height") == 30);
    CHECK(report.at("channels") == 3);
    CHECK(report.at("output_dir") == dir.path("out"));

    // Exactly the images and the two label files; no staging folder left beside it.
    std::set<std::string> written;
    for (const auto& entry : fs::directory_iterator(dir.root / "out")) written.insert(entry.path().filename().string());
    CHECK(written == std::set<std::string>{"a.png", "b.png", "c.png", "d.png", "e.png", "f.png", "labels.csv",
                                           "labels.json"});
    CHECK(dir.listing() == std::set<std::string>{"capture", "in", "labels.csv", "out"});

    const csv_table table = read_csv(dir.root / "out" / "labels.csv");
    CHECK(table.header == strings{"filename", "method", "partner", "lambda", "box_x", "box_y", "box_width",
                                  "box_height", "label", "partner_label", "class_0", "class_1", "class_2",
                                  "class_3"});
    REQUIRE(table.rows.size() == 6);
    const json summary = json::parse(read_text(dir.root / "out" / "labels.json"));
    CHECK(summary.at("generator") == "resizemix batch");
    CHECK(summary.at("num_classes") == 4);  // largest label + 1
    REQUIRE(summary.at("images").size() == 6);

    double lambda_sum = 0.0;
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const strings& row = table.rows[i];
        const std::string& name = row[table.column("filename")];
        const std::string& partner = row[table.column("partner")];
        INFO("row " << i << ": " << name);
        CHECK(name == six_images[i]);  // batch order is name order
        CHECK(row[table.column("method")] == "resizemix");
        const double lambda = std::stod(row[table.column("lambda")]);
        lambda_sum += lambda;
        const resizemix::box b = box_of_row(table, row);
        CHECK(b.inside(40, 30));
        CHECK(lambda == Approx(static_cast<double>(b.area()) / (40.0 * 30.0)).margin(1e-12).epsilon(0));

        // Soft label: (1 - e) * mix + e / K, every row summing to 1.
        const int own = six_labels.at(name);
        const int other = six_labels.at(partner);
        CHECK(std::stoi(row[table.column("label")]) == own);
        CHECK(std::stoi(row[table.column("partner_label")]) == other);
        double sum = 0.0;
        for (int k = 0; k < 4; ++k) {
            const double weight = std::stod(row[table.column("class_" + std::to_string(k))]);
            sum += weight;
            const double expected = 0.9 * ((k == own ? 1.0 - lambda : 0.0) + (k == other ? lambda : 0.0)) + 0.1 / 4;
            CHECK(weight == Approx(expected).margin(1e-6));
        }
        CHECK(sum == Approx(1.0).margin(1e-6));

        // The JSON says the same.
        const json& entry = summary.at("images").at(i);
        CHECK(entry.at("file") == name);
        CHECK(entry.at("partner") == partner);
        CHECK(entry.at("lambda").get<double>() == lambda);
        CHECK(box_of(entry.at("box")) == b);
        CHECK(entry.at("tau").get<double>() >= 0.1 - 1e-7);
        for (int k = 0; k < 4; ++k) {
            CHECK(entry.at("soft_label").at(static_cast<std::size_t>(k)).get<double>() ==
                  Approx(std::stod(row[table.column("class_" + std::to_string(k))])).margin(1e-7));
        }

        // The pixels: the target outside the box, the whole partner resized into it.
        const pixels target = load(dir.path("in/" + name));
        const pixels source = load(dir.path("in/" + partner));
        resizemix::image<std::uint8_t> patch(3, b.height, b.width);
        resizemix::resize(source.view(), patch.view());
        const pixels expected = pasted(target, patch.const_view(), b);
        CHECK(load(dir.path("out/" + name)).values == expected.values);
    }
    CHECK(report.at("mean_lambda").get<double>() == Approx(lambda_sum / 6).margin(1e-12));
}

TEST_CASE("cli batch: the same seed gives the same bytes, whatever --threads", "[cli][batch]") {
    const scratch dir("determinism");
    make_folder(dir, six_images, 36, 28);
    write_labels(dir, six_labels);
    const auto run = [&](const std::string& out, const strings& extra) {
        (void)parse_report(run_cli(dir, batch_arguments(dir, out, {"resizemix", "cutmix", "mixup"}) +
                                            strings{"--labels", dir.path("labels.csv"), "--seed", "9"} + extra));
        return snapshot(dir.root / out);
    };
    const auto one = run("threads-1", {"--threads", "1"});
    const auto two = run("threads-2", {"--threads", "2"});
    const auto all = run("threads-0", {"--threads", "0"});
    const auto again = run("again", {"--threads", "1"});
    REQUIRE(one.size() == 8);
    CHECK(one == two);
    CHECK(one == all);
    CHECK(one == again);
    // Another seed or another epoch: another mix.
    const auto other_seed = [&] {
        (void)parse_report(run_cli(dir, batch_arguments(dir, "seed-10", {"resizemix", "cutmix", "mixup"}) +
                                            strings{"--labels", dir.path("labels.csv"), "--seed", "10"}));
        return snapshot(dir.root / "seed-10");
    }();
    const auto other_epoch = run("epoch-1", {"--epoch", "1"});
    CHECK(other_seed.at("labels.csv") != one.at("labels.csv"));
    CHECK(other_epoch.at("labels.csv") != one.at("labels.csv"));
}

TEST_CASE("cli batch: cutmix and mixup pixels, flip pairing, no labels", "[cli][batch]") {
    const scratch dir("cutmix-mixup");
    make_folder(dir, {"p1.png", "p2.png", "p3.png", "p4.png", "p5.png"}, 32, 24);
    SECTION("cutmix: the partner's pixels at the same place") {
        (void)parse_report(run_cli(dir, batch_arguments(dir, "out", {"cutmix"}) +
                                            strings{"--pairing", "flip", "--alpha", "2", "--seed", "4"}));
        const csv_table table = read_csv(dir.root / "out" / "labels.csv");
        CHECK(table.header.size() == 8);  // no label columns without --labels
        const json summary = json::parse(read_text(dir.root / "out" / "labels.json"));
        for (std::size_t i = 0; i < 5; ++i) {
            const strings& row = table.rows[i];
            CHECK(row[table.column("partner")] == "p" + std::to_string(5 - i) + ".png");  // flip: N - 1 - i
            const resizemix::box b = box_of_row(table, row);
            CHECK(box_of(summary.at("images").at(i).at("source_box")) == b);
            CHECK(std::stod(row[table.column("lambda")]) ==
                  Approx(static_cast<double>(b.area()) / (32.0 * 24.0)).margin(1e-12).epsilon(0));
            const pixels target = load(dir.path("in/" + row[0]));
            const pixels source = load(dir.path("in/" + row[table.column("partner")]));
            CHECK(load(dir.path("out/" + row[0])).values == pasted(target, source.view().subview(b), b).values);
        }
    }
    SECTION("mixup: every pixel blended with lambda") {
        (void)parse_report(run_cli(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--seed", "2"}));
        const csv_table table = read_csv(dir.root / "out" / "labels.csv");
        for (const strings& row : table.rows) {
            CHECK(box_of_row(table, row) == resizemix::box{0, 0, 32, 24});
            const double lambda = std::stod(row[table.column("lambda")]);
            const pixels target = load(dir.path("in/" + row[0]));
            const pixels source = load(dir.path("in/" + row[table.column("partner")]));
            const pixels output = load(dir.path("out/" + row[0]));
            double worst = 0.0;
            for (std::size_t k = 0; k < output.values.size(); ++k) {
                worst = std::max(worst, std::abs(output.values[k] - (lambda * source.values[k] +
                                                                     (1 - lambda) * target.values[k])));
            }
            CHECK(worst <= 0.5 + 1e-3);
        }
    }
}

TEST_CASE("cli batch: several methods pick one per image; --probability 0 leaves every image as it was", "[cli][batch]") {
    const scratch dir("compose");
    strings names;
    std::map<std::string, int> labels;
    for (int i = 0; i < 12; ++i) {
        names.push_back("img" + std::to_string(10 + i) + ".png");
        labels[names.back()] = i % 3;
    }
    make_folder(dir, names, 24, 16);
    write_labels(dir, labels);
    (void)parse_report(run_cli(dir, batch_arguments(dir, "both", {"resizemix", "cutmix"}) +
                                        strings{"--weights", "1,1", "--seed", "5"}));
    std::set<std::string> methods;
    for (const strings& row : read_csv(dir.root / "both" / "labels.csv").rows) methods.insert(row[1]);
    CHECK(methods == std::set<std::string>{"cutmix", "resizemix"});

    (void)parse_report(run_cli(dir, batch_arguments(dir, "none", {"resizemix"}) +
                                        strings{"--probability", "0", "--labels", dir.path("labels.csv")}));
    const csv_table table = read_csv(dir.root / "none" / "labels.csv");
    for (const strings& row : table.rows) {
        INFO(row[0]);
        CHECK(row[table.column("method")] == "none");
        CHECK(std::stod(row[table.column("lambda")]) == 0.0);
        const int own = labels.at(row[0]);
        for (int k = 0; k < 3; ++k) CHECK(std::stod(row[table.column("class_" + std::to_string(k))]) == (k == own ? 1.0 : 0.0));
        CHECK(load(dir.path("none/" + row[0])).values == load(dir.path("in/" + row[0])).values);
    }
}

TEST_CASE("cli batch: labels file errors name the file or the line, exit 1, and write nothing", "[cli][batch][errors]") {
    const scratch dir("labels-errors");
    make_folder(dir, {"a.png", "b.png", "c.png"}, 20, 16);
    const auto with_labels = [&](const std::string& text) {
        write_text(dir.root / "labels.csv", text);
        return batch_arguments(dir, "out", {"resizemix"}) + strings{"--labels", dir.path("labels.csv")};
    };
    const std::string missing = dir.path("no-such-labels.csv");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"resizemix"}) + strings{"--labels", missing}, 1, missing);
    expect_batch_failure(dir, with_labels("filename,label\na.png,0\nzz.png,1\nc.png,0\n"), 1,
                         "line 3: 'zz.png' is not an image in input directory");
    expect_batch_failure(dir, with_labels("filename,label\na.png,0\nb.png,4\nc.png,0\n") + strings{"--num-classes", "4"},
                         1, "line 3: label 4 of 'b.png' is outside [0, 4)");
    expect_batch_failure(dir, with_labels("filename,label\na.png,-1\nb.png,0\nc.png,0\n"), 1,
                         "line 2: label -1 of 'a.png' is outside [0, K)");
    expect_batch_failure(dir, with_labels("filename,label\na.png 0\nb.png,0\nc.png,0\n"), 1,
                         "line 2: expected 'filename,label', got 'a.png 0'");
    expect_batch_failure(dir, with_labels("filename,label\na.png,zero\nb.png,0\nc.png,0\n"), 1,
                         "line 2: the label of 'a.png' is 'zero', not an integer class");
    expect_batch_failure(dir, with_labels("a.png,0\nb.png,0\nc.png,0\n"), 1,
                         "line 1: expected the header line 'filename,label'");
    expect_batch_failure(dir, with_labels("filename,label\na.png,0\nb.png,1\na.png,1\nc.png,0\n"), 1,
                         "line 4: 'a.png' is listed twice (also on line 2)");
    expect_batch_failure(dir, with_labels("filename,label\na.png,0\nc.png,0\n"), 1, "has no label for image 'b.png'");
    expect_batch_failure(dir, with_labels(""), 1, "is empty");
    // A well-formed file with CRLF line ends, a byte order mark, spaces and blank lines is fine.
    (void)parse_report(run_cli(dir, with_labels("\xEF\xBB\xBF" "filename, label\r\n\r\na.png, 2\r\n\"b.png\",0\r\nc.png,1\r\n")));
    const json summary = json::parse(read_text(dir.root / "out" / "labels.json"));
    CHECK(summary.at("num_classes") == 3);
    CHECK(summary.at("images").at(0).at("label") == 2);
}

TEST_CASE("cli batch: images of another size or channel count are refused, naming the first such file", "[cli][batch][errors]") {
    const scratch dir("mismatch");
    make_folder(dir, {"a.png", "b.png"}, 40, 30);
    write_pattern(dir.root / "in" / "c.png", 38, 30, 3, 7);  // the first mismatch in name order
    write_pattern(dir.root / "in" / "d.png", 20, 20, 3, 8);
    expect_batch_failure(dir, batch_arguments(dir, "out", {"cutmix"}), 1,
                         "c.png' is 38x30 with 3 channels but the first image, '" + dir.path("in/a.png") +
                             "', is 40x30 with 3 channels");
    fs::remove(dir.root / "in" / "c.png");
    fs::remove(dir.root / "in" / "d.png");

    write_pattern(dir.root / "in" / "gray.png", 40, 30, 1, 9);
    expect_batch_failure(dir, batch_arguments(dir, "out", {"cutmix"}), 1, "gray.png' is 40x30 with 1 channel");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"cutmix"}), 1, "--channels 3");
    // --channels converts every image as it is read.
    (void)parse_report(run_cli(dir, batch_arguments(dir, "out", {"cutmix"}) + strings{"--channels", "3"}));
    CHECK(load(dir.path("out/gray.png")).channels == 3);

    // Not an image at all, and a folder with no images.
    write_text(dir.root / "in" / "broken.png", "not a PNG");
    expect_batch_failure(dir, batch_arguments(dir, "out2", {"cutmix"}), 1, "broken.png");
    fs::create_directories(dir.root / "empty");
    expect_batch_failure(dir, strings{"batch", "--input-dir", dir.path("empty"), "--output-dir", dir.path("out3"),
                                      "--method", "mixup"},
                         1, "holds no .png, .jpg or .jpeg files");
    expect_batch_failure(dir, strings{"batch", "--input-dir", dir.path("absent"), "--output-dir", dir.path("out3"),
                                      "--method", "mixup"},
                         1, "does not exist");
}

TEST_CASE("cli batch: an existing output folder is never clobbered by a failed run", "[cli][batch][errors]") {
    const scratch dir("output-dir");
    make_folder(dir, {"a.png", "b.png", "c.png"}, 20, 16);
    write_labels(dir, {{"a.png", 0}, {"b.png", 1}, {"c.png", 1}});
    const strings base = batch_arguments(dir, "out", {"resizemix"}) + strings{"--labels", dir.path("labels.csv")};

    SECTION("a folder of the user's is refused, even with --overwrite") {
        fs::create_directories(dir.root / "out");
        write_text(dir.root / "out" / "precious.txt", "keep me");
        expect_batch_failure(dir, base, 1, "already exists and is not empty");
        expect_batch_failure(dir, base + strings{"--overwrite"}, 1, "not an earlier resizemix batch output");
        CHECK(snapshot(dir.root / "out") == std::map<std::string, std::string>{{"precious.txt", "keep me"}});
    }
    SECTION("an empty folder is filled") {
        fs::create_directories(dir.root / "out");
        (void)parse_report(run_cli(dir, base));
        CHECK(snapshot(dir.root / "out").size() == 5);
    }
    SECTION("an earlier output survives a failed --overwrite run whole, and is replaced by a good one") {
        (void)parse_report(run_cli(dir, base + strings{"--seed", "1"}));
        const auto earlier = snapshot(dir.root / "out");
        const auto before = dir.listing();
        write_text(dir.root / "in" / "b.png", "truncated");
        expect_batch_failure(dir, base + strings{"--overwrite", "--seed", "2"}, 1, "b.png");
        CHECK(snapshot(dir.root / "out") == earlier);
        write_pattern(dir.root / "in" / "b.png", 20, 16, 3, 2);  // as make_folder wrote it
        expect_batch_failure(dir, base + strings{"--seed", "2"}, 1, "already exists");  // no --overwrite
        CHECK(snapshot(dir.root / "out") == earlier);

        (void)parse_report(run_cli(dir, base + strings{"--overwrite", "--seed", "2"}));
        const auto replaced = snapshot(dir.root / "out");
        CHECK(replaced.size() == 5);
        CHECK(replaced.at("labels.json") != earlier.at("labels.json"));
        CHECK(dir.listing() == before);  // nothing left aside
    }
    SECTION("a missing parent, a file in the way, or no folder name") {
        expect_batch_failure(dir, batch_arguments(dir, "no-such-parent/out", {"resizemix"}), 1,
                             "its parent '" + dir.path("no-such-parent") + "' does not exist");
        write_text(dir.root / "a-file", "x");
        expect_batch_failure(dir, batch_arguments(dir, "a-file", {"resizemix"}), 1, "exists and is not a directory");
        CHECK(read_text(dir.root / "a-file") == "x");
        expect_batch_failure(dir, strings{"batch", "--input-dir", dir.path("in"), "--output-dir", ".", "--method",
                                          "resizemix"},
                             1, "must name a folder to create");
    }
}

TEST_CASE("cli batch: bad command lines exit 2, bad values exit 1, before anything is read", "[cli][batch][errors]") {
    const scratch dir("usage");
    make_folder(dir, {"a.png", "b.png"}, 20, 16);
    expect_batch_failure(dir, batch_arguments(dir, "out", {"puzzlemix"}), 2, "puzzlemix");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"resizemix"}) + strings{"--alpha", "0.5"}, 2, "--alpha");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--scale-range", "0.2", "0.3"}, 2,
                         "--scale-range");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--label-smoothing", "0.1"}, 2,
                         "--labels");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup", "cutmix"}) + strings{"--weights", "1"}, 2,
                         "one weight per method");
    expect_batch_failure(dir, strings{"batch", "--output-dir", dir.path("out"), "--method", "mixup"}, 2,
                         "--input-dir");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--threads", "-1"}, 2, "--threads");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"resizemix"}) + strings{"--scale-range", "0.8", "0.2"}, 1,
                         "scale range");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"cutmix"}) + strings{"--alpha", "0"}, 1, "alpha");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"cutmix", "mixup"}) + strings{"--weights", "0,0"}, 1,
                         "weights");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"cutmix"}) + strings{"--probability", "1.5"}, 1,
                         "--probability must be in [0, 1], got 1.5");
}

TEST_CASE("cli batch: a progress bar on stderr only when it is a terminal", "[cli][batch]") {
    const scratch dir("progress");
    make_folder(dir, {"a.png", "b.png", "c.png"}, 20, 16);
    // Not a terminal: nothing on stderr (run_cli redirects it to a file).
    CHECK(run_cli(dir, batch_arguments(dir, "quiet", {"resizemix"})).err.empty());
    // A terminal: script(1) gives the program a pseudo-terminal and copies what it prints.
    if (!fs::exists("/usr/bin/script")) {
        WARN("script(1) not found; the terminal case is not tested");
        return;
    }
    const std::string inner = command_line(batch_arguments(dir, "loud", {"resizemix"})) + " >/dev/null";
    const fs::path typescript = dir.root / "capture" / "terminal";
    std::string command = "script -qec ";
    command += shell_quote(inner) + " /dev/null >" + shell_quote(typescript.string()) + " 2>&1 </dev/null";
    const int status = std::system(command.c_str());
    if (status != 0) {
        WARN("script(1) could not run the command (status " << status << "); the terminal case is not tested");
        return;
    }
    const std::string shown = read_text(typescript);
    CHECK(shown.find("resizemix batch: reading [") != std::string::npos);
    CHECK(shown.find("resizemix batch: writing [") != std::string::npos);
    CHECK(shown.find("3/3") != std::string::npos);
    CHECK(fs::exists(dir.root / "loud" / "labels.csv"));
}

TEST_CASE("cli batch: a labels line with an extra column or an open quote says so", "[cli][batch][errors]") {
    const scratch dir("labels-columns");
    make_folder(dir, {"a.png", "b.png"}, 20, 16);
    const auto with_labels = [&](const std::string& text) {
        write_text(dir.root / "labels.csv", text);
        return batch_arguments(dir, "out", {"mixup"}) + strings{"--labels", dir.path("labels.csv")};
    };
    expect_batch_failure(dir, with_labels("filename,label\na.png,0,extra\nb.png,1\n"), 1,
                         "line 2: expected 2 fields 'filename,label', got 3 in 'a.png,0,extra'");
    expect_batch_failure(dir, with_labels("filename,label,weight\na.png,0\nb.png,1\n"), 1,
                         "line 1: expected the header line 'filename,label'");
    expect_batch_failure(dir, with_labels("filename,label\n\"a.png,0\nb.png,1\n"), 1, "line 2: a double quote is not closed");
    // A name holding a comma is fine in quotes.
    fs::rename(dir.root / "in" / "b.png", dir.root / "in" / "b,c.png");
    (void)parse_report(run_cli(dir, with_labels("filename,label\na.png,0\n\"b,c.png\",1\n")));
    const json summary = json::parse(read_text(dir.root / "out" / "labels.json"));
    CHECK(summary.at("images").at(1).at("file") == "b,c.png");
    CHECK(summary.at("images").at(1).at("label") == 1);
}

TEST_CASE("cli batch: errors name the flag; integers are decimal digits that fit", "[cli][batch][errors]") {
    const scratch dir("flags");
    make_folder(dir, {"a.png", "b.png"}, 20, 16);
    write_labels(dir, {{"a.png", 0}, {"b.png", 1}});
    expect_batch_failure(dir, batch_arguments(dir, "out", {"cutmix", "mixup"}) + strings{"--weights", "0,0"}, 1,
                         "--weights must be finite and not negative, and not all 0, got 0,0");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--labels", dir.path("labels.csv"),
                                                                                "--label-smoothing", "1.5"},
                         1, "--label-smoothing must be in [0, 1), got 1.5");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"resizemix"}) + strings{"--scale-range", "0", "0.5"}, 1,
                         "--scale-range 0 0.5");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"cutmix"}) + strings{"--source-region", "salient"}, 1,
                         "--source-region salient needs a saliency map of every image: pass --saliency contrast");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--saliency", "contrast"}, 2,
                         "--saliency does not apply");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--threads", "1e3"}, 2,
                         "--threads 1e3 is not an integer");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--epoch", "18446744073709551616"}, 2,
                         "--epoch 18446744073709551616 is too large");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--channels", "5"}, 2,
                         "--channels 5 is outside [1, 4]");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--labels", dir.path("labels.csv"),
                                                                                "--num-classes", "0"},
                         2, "--num-classes 0 is outside [1, 1000000]");
}

TEST_CASE("cli batch: --saliency contrast cuts every box around the partner's most salient cell", "[cli][batch]") {
    const scratch dir("saliency");
    make_folder(dir, {"a.png", "b.png", "c.png", "d.png"}, 64, 48);
    (void)parse_report(run_cli(dir, batch_arguments(dir, "out", {"cutmix"}) +
                                        strings{"--source-region", "salient", "--saliency", "contrast", "--seed", "3"}));
    const json summary = json::parse(read_text(dir.root / "out" / "labels.json"));
    CHECK(summary.at("saliency") == "contrast");
    for (const json& entry : summary.at("images")) {
        const pixels partner = load(dir.path("in/" + entry.at("partner").get<std::string>()));
        const resizemix::saliency_map map = resizemix::contrast_saliency(partner.view());
        const auto b = box_of(entry.at("source_box"));
        INFO(entry.dump());
        // The box is centred on some cell at the map's maximum, shifted inside the image.
        bool centred = false;
        for (const auto& [mx, my] : resizemix::extreme_pixels(map, resizemix::region::salient)) {
            const auto cx = static_cast<index_t>((static_cast<double>(mx) + 0.5) * 64 / static_cast<double>(map.width()));
            const auto cy = static_cast<index_t>((static_cast<double>(my) + 0.5) * 48 / static_cast<double>(map.height()));
            centred = centred || (b.x == std::clamp<index_t>(cx - b.width / 2, 0, 64 - b.width) &&
                                  b.y == std::clamp<index_t>(cy - b.height / 2, 0, 48 - b.height));
        }
        CHECK(centred);
    }
}

/// 48 photos of 192 x 144: a batch run of them on one thread takes longer than 0.3 s.
void make_slow_folder(const scratch& dir) {
    strings names;
    for (int i = 0; i < 48; ++i) names.push_back("img" + std::to_string(100 + i) + ".png");
    make_folder(dir, names, 192, 144);
}

const std::string with_default_sigint = "env --default-signal=INT ";

/// Runs `command` in the background under sh, sends it SIGINT after 0.3 s, then once more after
/// each of `more_after` (seconds, as sleep(1) reads them), and returns how it ended (128 + N:
/// ended by signal N). A guard kills it after 10 s so that a process the signals failed to stop
/// cannot hang the test. A shell starts background jobs with SIGINT ignored (and the CLI keeps an
/// ignored signal ignored), so `command` begins with `with_default_sigint` unless that is the test.
int interrupt(const std::string& command, const strings& more_after, const fs::path& status_file) {
    std::string script = command + " & p=$!; (sleep 10; kill -KILL $p) >/dev/null 2>&1 & guard=$!; sleep 0.3; "
                                   "kill -INT $p 2>/dev/null; ";
    for (const auto& pause : more_after) script += "sleep " + pause + "; kill -INT $p 2>/dev/null; ";
    script += "wait $p; echo $? >" + shell_quote(status_file.string()) + "; kill $guard 2>/dev/null";
    const int raw = std::system(("sh -c " + shell_quote(script)).c_str());
    REQUIRE(raw != -1);
    return std::stoi(read_text(status_file));
}

TEST_CASE("cli batch: SIGINT mid-run leaves neither the output nor the staging folder", "[cli][batch][errors]") {
    const scratch dir("interrupt");
    make_slow_folder(dir);
    const auto before = dir.listing();
    // The run takes longer than 0.3 s on one thread, so it is interrupted while reading, mixing or
    // writing. The signal comes twice at once, as from timeout(1), which signals the child and then
    // its process group: one event, not a request to stop without cleaning up.
    const std::string command = with_default_sigint +
                                command_line(batch_arguments(dir, "out", {"resizemix"}) + strings{"--threads", "1"}) +
                                " >/dev/null 2>" + shell_quote(dir.path("capture/stderr")) + " </dev/null";
    const int status = interrupt(command, {"0"}, dir.root / "capture" / "status");
    if (status == 0) {
        WARN("the batch finished within 0.3 s; the interrupt was not exercised");
        CHECK(fs::exists(dir.root / "out" / "labels.json"));
        return;
    }
    CHECK(status == 128 + SIGINT);  // ended by the signal, as if it had not been caught
    CHECK(dir.listing() == before);  // no out, no out.tmp-<pid>
}

TEST_CASE("cli batch: an ignored SIGINT stays ignored (nohup, a shell's background job)", "[cli][batch][errors]") {
    const scratch dir("interrupt-ignored");
    make_slow_folder(dir);
    // Without with_default_sigint: sh starts the job with SIGINT ignored, so both signals are
    // lost on it and the batch runs to the end.
    const std::string command = command_line(batch_arguments(dir, "out", {"resizemix"}) + strings{"--threads", "1"}) +
                                " >/dev/null 2>" + shell_quote(dir.path("capture/stderr")) + " </dev/null";
    CHECK(interrupt(command, {"0"}, dir.root / "capture" / "status") == 0);
    CHECK(fs::exists(dir.root / "out" / "labels.json"));
}

TEST_CASE("cli: SIGINT ends a run blocked on its input (a FIFO no one writes)", "[cli][errors]") {
    const scratch dir("interrupt-blocked");
    // Opening a FIFO that no one writes blocks; the signal makes open() fail with EINTR, and the
    // CLI ends by the signal rather than report that failure or wait for a second signal.
    const fs::path fifo = dir.root / "source.png";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string command = with_default_sigint +
                                command_line({"mix", "--method", "resizemix", "--source", fifo.string(), "--target",
                                              data_file("coffee.png"), "--out", dir.path("out.png")}) +
                                " >/dev/null 2>" + shell_quote(dir.path("capture/stderr")) + " </dev/null";
    CHECK(interrupt(command, {}, dir.root / "capture" / "status") == 128 + SIGINT);  // not 137: the guard's SIGKILL
    CHECK(read_text(dir.root / "capture" / "stderr").empty());
    CHECK_FALSE(fs::exists(dir.root / "out.png"));
}

TEST_CASE("cli batch: --step and --rank give every batch and rank its own draws; the same values reproduce",
          "[cli][batch]") {
    const scratch dir("step-rank");
    make_folder(dir, six_images, 36, 28);
    const auto run = [&](const std::string& out, const strings& extra) {
        const json report = parse_report(run_cli(dir, batch_arguments(dir, out, {"cutmix"}) + strings{"--seed", "9"} + extra));
        return std::pair{report, snapshot(dir.root / out)};
    };
    const auto [first_report, first] = run("step-0", {});
    const auto [second_report, second] = run("step-1", {"--step", "1"});
    const auto [again_report, again] = run("step-1-again", {"--step", "1", "--threads", "2"});
    const auto [rank_report, rank] = run("rank-1", {"--rank", "1"});
    CHECK(first_report.at("step") == 0);
    CHECK(second_report.at("step") == 1);
    CHECK(rank_report.at("rank") == 1);
    CHECK(second.at("labels.csv") != first.at("labels.csv"));
    CHECK(rank.at("labels.csv") != first.at("labels.csv"));
    CHECK(rank.at("labels.csv") != second.at("labels.csv"));
    CHECK(again == second);
    const json summary = json::parse(second.at("labels.json"));
    CHECK(summary.at("step") == 1);
    CHECK(summary.at("rank") == 0);
    CHECK(summary.at("box_sampling") == "clip");
    const auto [inside_report, inside] = run("inside", {"--box-sampling", "inside"});
    CHECK(json::parse(inside.at("labels.json")).at("box_sampling") == "inside");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--box-sampling", "inside"}, 2,
                         "--box-sampling does not apply");
    expect_batch_failure(dir, batch_arguments(dir, "out", {"mixup"}) + strings{"--step", "-1"}, 2,
                         "--step -1 must not be negative");
}

TEST_CASE("cli batch: --randaugment and --repeat write the library's mix_batch_repeated bytes, labels and ops",
          "[cli][batch][augment]") {
    const scratch dir("randaugment-repeat");
    const strings names{"a.png", "b.png", "c.png", "d.png"};
    make_folder(dir, names, 32, 24);
    const std::map<std::string, int> classes{{"a.png", 0}, {"b.png", 1}, {"c.png", 2}, {"d.png", 1}};
    write_labels(dir, classes);
    const auto run = [&](const std::string& out, const strings& extra) {
        return parse_report(run_cli(dir, batch_arguments(dir, out, {"resizemix"}) +
                                             strings{"--labels", dir.path("labels.csv"), "--seed", "6"} + extra));
    };
    const json report = run("plus", {"--randaugment", "2", "9", "--repeat", "2", "--threads", "2"});
    CHECK(report.at("count") == 8);
    CHECK(report.at("repeat") == 2);

    // The library on the same pixels: ResizeMix+, two copies.
    std::vector<std::uint8_t> input;
    for (const auto& name : names) {
        const pixels image = load(dir.path("in/" + name));
        input.insert(input.end(), image.values.begin(), image.values.end());
    }
    const std::vector<std::int64_t> labels{0, 1, 2, 1};
    std::vector<std::uint8_t> output(2 * input.size());
    resizemix::batch_options options;
    options.seed = 6;
    options.num_classes = 3;
    const auto pipeline = resizemix::augment_after(resizemix::resize_mix{}, resizemix::rand_augment{});
    const auto expected = resizemix::mix_batch_repeated(
        pipeline, resizemix::batch_view<const std::uint8_t>(resizemix::from_nhwc(input.data(), 4, 24, 32, 3)), labels,
        resizemix::from_nhwc(output.data(), 8, 24, 32, 3), 2, options);

    const json summary = json::parse(read_text(dir.root / "plus" / "labels.json"));
    CHECK(summary.at("repeat") == 2);
    CHECK(summary.at("count") == 8);
    CHECK(summary.at("randaugment").at("order") == "after");
    REQUIRE(summary.at("images").size() == 8);
    const csv_table table = read_csv(dir.root / "plus" / "labels.csv");
    REQUIRE(table.rows.size() == 8);
    const std::size_t plane = 24 * 32 * 3;
    for (std::size_t k = 0; k < 8; ++k) {
        const std::string file = (k < 4 ? "" : "repeat-1/") + names[k % 4];
        INFO("sample " << k << ": " << file);
        const resizemix::sample_record& record = expected.samples[k];
        const json& entry = summary.at("images").at(k);
        CHECK(entry.at("file") == file);
        CHECK(table.rows[k][table.column("filename")] == file);
        CHECK(entry.at("partner") == names[static_cast<std::size_t>(record.partner)]);
        CHECK(entry.at("label") == classes.at(names[k % 4]));
        CHECK(entry.at("lambda").get<double>() == record.info.lambda);
        CHECK(box_of(entry.at("box")) == record.info.paste_box);
        CHECK(box_of_row(table, table.rows[k]) == record.info.paste_box);
        const json& ops = entry.at("augmentations");
        REQUIRE(ops.size() == record.info.augmentations.size());
        for (std::size_t j = 0; j < ops.size(); ++j) {
            CHECK(ops.at(j).at("op") == std::string(resizemix::to_string(record.info.augmentations[j].op)));
            CHECK(ops.at(j).at("magnitude").get<double>() == record.info.augmentations[j].magnitude);
            CHECK(ops.at(j).at("image") == "mixed");
        }
        for (int c = 0; c < 3; ++c) {
            CHECK(entry.at("soft_label").at(static_cast<std::size_t>(c)).get<double>() ==
                  Approx(expected.labels(static_cast<Eigen::Index>(k), c)).margin(1e-7));
        }
        const pixels written = load(dir.path("plus/" + file));
        CHECK(std::equal(written.values.begin(), written.values.end(), output.begin() + static_cast<std::ptrdiff_t>(k * plane)));
    }

    // Copy 0 is the run without --repeat; --threads changes nothing.
    (void)run("plus-once", {"--randaugment", "2", "9", "--threads", "1"});
    const auto once = snapshot(dir.root / "plus-once");
    const auto twice = snapshot(dir.root / "plus");
    for (const auto& name : names) CHECK(once.at(name) == twice.at(name));
    CHECK(twice.size() == 10);  // 8 images and the two label files

    // Before the mix: each sample's ops for its partner ("source") and itself ("target").
    (void)run("before", {"--randaugment", "1", "5", "--augment-order", "before", "--repeat", "3"});
    const json before = json::parse(read_text(dir.root / "before" / "labels.json"));
    REQUIRE(before.at("images").size() == 12);
    const json& first_ops = before.at("images").at(0).at("augmentations");
    REQUIRE(first_ops.size() == 2);
    CHECK(first_ops.at(0).at("image") == "source");
    CHECK(first_ops.at(1).at("image") == "target");
    CHECK(fs::exists(dir.root / "before" / "repeat-2" / "d.png"));
}

TEST_CASE("cli batch: --randaugment, --augment-order and --repeat errors name the flag and write nothing",
          "[cli][batch][errors][augment]") {
    const scratch dir("randaugment-errors");
    make_folder(dir, {"a.png", "b.png"}, 16, 12, 4);
    const auto arguments = batch_arguments(dir, "out", {"mixup"});
    expect_batch_failure(dir, arguments + strings{"--repeat", "0"}, 2, "--repeat");
    expect_batch_failure(dir, arguments + strings{"--repeat", "65"}, 2, "--repeat");
    expect_batch_failure(dir, arguments + strings{"--augment-order", "after"}, 2, "--augment-order does not apply");
    expect_batch_failure(dir, arguments + strings{"--randaugment", "2", "40"}, 1, "--randaugment 2 40");
    expect_batch_failure(dir, arguments + strings{"--randaugment", "2", "9"}, 1,
                         "--randaugment needs gray or RGB images (1 or 3 channels), got 4 channels in the images of --input-dir");
    (void)parse_report(run_cli(dir, arguments + strings{"--randaugment", "2", "9", "--channels", "3"}));
}

TEST_CASE("cli batch: saliencymix and fmix, one per sample, give mix_batch's bytes and labels", "[cli][batch]") {
    const scratch dir("saliencymix-fmix");
    const strings names{"p1.png", "p2.png", "p3.png", "p4.png"};
    make_folder(dir, names, 32, 24);
    const json report = parse_report(run_cli(dir, batch_arguments(dir, "out", {"saliencymix", "fmix"}) +
                                                      strings{"--pairing", "flip", "--seed", "5", "--decay-power", "2"}));
    CHECK(report.at("count") == 4);
    const json summary = json::parse(read_text(dir.root / "out" / "labels.json"));
    CHECK(summary.at("decay_power").get<double>() == 2.0);
    // The same batch mixed by the library.
    std::vector<std::uint8_t> pixels_in;
    for (const std::string& name : names) {
        const pixels image = load(dir.path("in/" + name), 3);
        pixels_in.insert(pixels_in.end(), image.values.begin(), image.values.end());
    }
    resizemix::batch_options options;
    options.seed = 5;
    options.pairing = resizemix::pairing::flip;
    const auto mixer = resizemix::one_of({{resizemix::saliency_mix{}, 1.0}, {resizemix::fmix{.decay_power = 2.0f}, 1.0}});
    const auto view = resizemix::from_nhwc(pixels_in.data(), 4, 24, 32, 3);
    const auto result = resizemix::mix_batch(mixer, view, {}, view, options);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const json& record = summary.at("images").at(i);
        CHECK(record.at("method") == std::string(result.samples[i].info.method));
        CHECK(record.at("lambda").get<double>() == result.samples[i].info.lambda);
        const pixels output = load(dir.path("out/" + names[i]), 3);
        CHECK(std::equal(output.values.begin(), output.values.end(),
                         pixels_in.begin() + static_cast<std::ptrdiff_t>(i * 24 * 32 * 3)));
    }
}

#endif  // RESIZEMIX_CLI_PATH
