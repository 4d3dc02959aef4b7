// resizemix grid: a contact sheet comparing CutMix, saliency-guided CutMix, ResizeMix and the baselines.
//
//   resizemix grid --images A B [C ...] --out SHEET.png
//      [--seed N] [--pairs cycle|chain]
//      [--columns source target cutmix salient-cutmix resizemix resizemix+ cutout autoaugment saliencymix fmix saliency]
//      [--tile-size W H] [--scale-range MIN MAX] [--alpha A] [--box-sampling clip|inside] [--decay-power D]
//      [--cutout-length L | --cutout-fraction F] [--cutout-holes N] [--cutout-fill V]
//      [--max-pixels N]
//
// ROWS
//   One row per (source, target) pair: with --pairs cycle (default) image i is
//   pasted into image i + 1 and the last into the first (n rows for n images);
//   with --pairs chain the last row is left out (n - 1 rows, so two images give
//   one row).
//
// COLUMNS (--columns, in the order given; default: source target cutmix salient-cutmix resizemix)
//   source, target   the two images of the row, captioned with their file names
//   cutmix           CutMix: random box (--box-sampling: clip, the default, or
//                    inside), pasted at the corresponding place
//   salient-cutmix   CutMix whose box is cut around the source's most salient
//                    point and pasted at the corresponding place (the ResizeMix
//                    paper's "salient -> corresponding" variant, as in SaliencyMix)
//   resizemix        ResizeMix: the whole source shrunk by tau, pasted at random
//   resizemix+       ResizeMix+: the resizemix column's mix (the same draws), then
//                    RandAugment(2, 9) on the mixed tile (augment_after with
//                    rand_augment{}); its report lists the operations
//   cutout           Cutout on the target (--cutout-*, as `mix --method cutout`)
//   autoaugment      AutoAugment's ImageNet policy on the target (captioned with
//                    the operations that ran; "none" when neither step ran)
//   saliencymix      SaliencyMix: a CutMix box centred on the peak of the
//                    source's fine-grained saliency (resizemix::fine_grained_saliency)
//   fmix             FMix: a low-frequency Fourier-noise mask (--decay-power, --alpha)
//   saliency         the source's saliency map (white = most salient)
//   Mixed tiles are captioned "λ=0.372": the source's pixel share, the weight
//   of the source label.
//
// SALIENCY
//   No network is involved: the map is resizemix::contrast_saliency of the tile
//   (the local contrast of its luminance: Sobel gradient magnitude averaged
//   over cells of about 1/20 of the tile's shorter side, then over each cell's
//   3x3 neighbourhood, weighted by a centre prior), as `mix --saliency
//   contrast` computes it. The box is centred on a cell of the map's maximum,
//   as the paper's Appendix A says, and shifted inside the image.
//
// TILES AND RANDOMNESS
//   Every image is read as RGB (alpha dropped, gray expanded), centre-cropped to
//   the tile's aspect ratio and resized to --tile-size (default 240 x 160; area
//   filter when shrinking, bilinear when enlarging). Every tile of row r starts
//   from the stream rng::for_sample(N, 0, r), so both CutMix columns of a row
//   cut boxes of the same size, and the same arguments give the same sheet.
//
// LAYOUT
//   A margin and gap of 8 pixels, a 24-pixel band of column titles on top and a
//   24-pixel caption band under each tile, on white:
//     width  = 8 + columns * (W + 8)
//     height = 8 + 24 + rows * (H + 24 + 8)
//   Written PNG or JPEG by the extension of --out, via a temporary file renamed
//   into place. stdout gets one JSON object: "out", "width", "height",
//   "tile_width", "tile_height", "seed", "columns", "box_sampling" (with a
//   CutMix column), and "rows", each with
//   "source", "target" and "tiles": {"column", "lambda", "box", "source_box",
//   "tau" (resizemix, resizemix+), "holes" (cutout), and for resizemix+
//   "augmentations" as `mix` lists them} for every mixed column ("box" is where
//   the source was pasted), and {"column", "augmentations"} for autoaugment.
//
// ERRORS
//   As `mix`: one line on stderr; exit 2 for a bad command line (fewer than two
//   images, an unknown column, an extension other than png/jpg/jpeg, an option
//   no column uses), 1 for bad values and unreadable or unwritable files. The
//   sheet is written last; on any error an existing file at --out is untouched.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include <resizemix/resizemix.hpp>

#include <resizemix/contrast_saliency.hpp>

#include "augment_options.hpp"
#include "autoaugment_option.hpp"
#include "bitmap_font.hpp"
#include "cli_common.hpp"
#include "grid_command.hpp"
#include "io/image_io.hpp"
#include "mixer_options.hpp"

namespace resizemix_cli {
namespace {

using resizemix::index_t;

constexpr index_t sheet_gap = 8;
constexpr index_t band_height = 24;
constexpr index_t text_scale = 2;
constexpr std::array<std::uint8_t, 3> background{255, 255, 255};
constexpr std::array<std::uint8_t, 3> ink{28, 28, 28};
constexpr index_t min_tile_side = 8;
constexpr index_t max_tile_side = 4096;

struct grid_options {
    std::vector<std::string> images;
    std::string out;
    std::uint64_t seed = 0;
    std::string pairs = "cycle";
    std::vector<std::string> columns{"source", "target", "cutmix", "salient-cutmix", "resizemix"};
    std::pair<index_t, index_t> tile_size{240, 160};
    mixer_options mixing;
};

/// The methods the columns run, as check_options_apply wants them.
std::vector<std::string> column_methods(const std::vector<std::string>& columns) {
    std::vector<std::string> methods;
    for (const std::string& column : columns) {
        if (column == "cutmix" || column == "salient-cutmix") methods.emplace_back("cutmix");
        if (column == "resizemix" || column == "resizemix+") methods.emplace_back("resizemix");
        if (column == "cutout") methods.emplace_back("cutout");
        if (column == "saliencymix" || column == "fmix") methods.push_back(column);
    }
    return methods;
}

[[nodiscard]] std::string column_title(const std::string& column) {
    if (column == "source") return "source";
    if (column == "target") return "target";
    if (column == "cutmix") return "CutMix";
    if (column == "salient-cutmix") return "salient CutMix";
    if (column == "resizemix") return "ResizeMix";
    if (column == "resizemix+") return "ResizeMix+";
    if (column == "cutout") return "Cutout";
    if (column == "autoaugment") return "AutoAugment";
    if (column == "saliencymix") return "SaliencyMix";
    if (column == "fmix") return "FMix";
    return "source saliency";
}

/// The image centre-cropped to the tile's aspect ratio and resized to the tile.
resizemix::image<std::uint8_t> make_tile(const decoded_image& photo, index_t tile_width, index_t tile_height) {
    const index_t width = photo.width;
    const index_t height = photo.height;
    resizemix::box crop{0, 0, width, height};
    if (width * tile_height > height * tile_width) {  // wider than the tile: trim the sides
        crop.width = std::clamp<index_t>(std::lround(static_cast<double>(height) * static_cast<double>(tile_width) /
                                                     static_cast<double>(tile_height)),
                                         1, width);
        crop.x = (width - crop.width) / 2;
    } else {  // taller: trim top and bottom
        crop.height = std::clamp<index_t>(std::lround(static_cast<double>(width) * static_cast<double>(tile_height) /
                                                      static_cast<double>(tile_width)),
                                          1, height);
        crop.y = (height - crop.height) / 2;
    }
    resizemix::image<std::uint8_t> tile(photo.channels, tile_height, tile_width);
    const resizemix::image_view<const std::uint8_t> whole = photo.view();
    const bool shrinking = crop.width > tile_width || crop.height > tile_height;
    resizemix::resize(whole.subview(crop), tile.view(),
                      shrinking ? resizemix::interpolation::area : resizemix::interpolation::bilinear);
    return tile;
}

/// The map stretched over a tile (nearest), scaled so its maximum is white.
resizemix::image<std::uint8_t> render_map(const resizemix::saliency_map& map, index_t channels, index_t width,
                                          index_t height) {
    float highest = 0.0f;
    for (const float value : map.values()) highest = std::max(highest, value);
    resizemix::image<std::uint8_t> tile(channels, height, width);
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            const float value = map(y * map.height() / height, x * map.width() / width);
            const auto level = static_cast<std::uint8_t>(highest > 0.0f ? std::lround(255.0f * value / highest) : 0);
            for (index_t c = 0; c < channels; ++c) tile(c, y, x) = level;
        }
    return tile;
}

std::string file_name(const std::string& path) {
    const std::string name = std::filesystem::path(path).filename().string();
    return name.empty() ? path : name;
}

/// "λ=0.372".
std::string lambda_caption(double lambda) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", lambda);
    return std::string("\u03BB=") + text;
}

void draw_centred(resizemix::image_view<std::uint8_t> canvas, index_t left, index_t top, index_t width,
                  const std::string& text) {
    const std::string fitted = font::fit_text(text, width, text_scale);
    const index_t text_left = left + (width - font::text_width(fitted, text_scale)) / 2;
    const index_t text_top = top + (band_height - font::line_height * text_scale) / 2 + 1;
    font::draw_text(canvas, text_left, text_top, fitted, ink, text_scale);
}

void check_grid_options(const grid_options& options) {
    if (!format_from_extension(options.out)) {
        throw usage_error("--out " + options.out + ": unsupported extension (use .png, .jpg or .jpeg)");
    }
    check_options_apply(options.mixing, column_methods(options.columns), "--columns");
    const auto [tile_width, tile_height] = options.tile_size;
    if (tile_width < min_tile_side || tile_height < min_tile_side || tile_width > max_tile_side ||
        tile_height > max_tile_side) {
        throw resizemix::error("--tile-size must be between " + std::to_string(min_tile_side) + " and " +
                               std::to_string(max_tile_side) + " pixels a side, got " + std::to_string(tile_width) +
                               " " + std::to_string(tile_height));
    }
}

void run_grid(const grid_options& options) {
    check_grid_options(options);
    const auto format = *format_from_extension(options.out);
    mixer_options salient = options.mixing;
    salient.source_region = "salient";
    salient.paste_region = "corresponding";
    const resizemix::any_mixer cut_mix = make_mixer("cutmix", options.mixing);
    const resizemix::any_mixer salient_cut_mix = make_mixer("cutmix", salient);
    const resizemix::any_mixer resize_mix = make_mixer("resizemix", options.mixing);
    const resizemix::any_mixer resize_mix_plus = resizemix::augment_after(resize_mix, resizemix::rand_augment{});
    const resizemix::any_mixer cutout = make_mixer("cutout", options.mixing);
    const resizemix::auto_augment autoaugment{.policy = resizemix::auto_augment_policy::imagenet};

    // Plain variables, not a structured binding: clang 14 cannot capture those in lambdas.
    const index_t tile_width = options.tile_size.first;
    const index_t tile_height = options.tile_size.second;
    const auto image_count = static_cast<index_t>(options.images.size());
    const index_t rows = options.pairs == "chain" ? image_count - 1 : image_count;
    const auto columns = static_cast<index_t>(options.columns.size());
    const index_t sheet_width = sheet_gap + columns * (tile_width + sheet_gap);
    const index_t sheet_height = sheet_gap + band_height + rows * (tile_height + band_height + sheet_gap);
    if (static_cast<std::uint64_t>(sheet_width) * static_cast<std::uint64_t>(sheet_height) > options.mixing.max_pixels) {
        throw resizemix::error("the sheet would be " + std::to_string(sheet_width) + "x" + std::to_string(sheet_height) +
                               " pixels, above the limit of " + std::to_string(options.mixing.max_pixels) +
                               " (use fewer images or columns, a smaller --tile-size, or raise --max-pixels)");
    }
    if (format == output_format::jpeg && (sheet_width > jpeg_max_side || sheet_height > jpeg_max_side)) {
        throw file_error("cannot write output '" + options.out + "' as JPEG: the sheet is " +
                         std::to_string(sheet_width) + "x" + std::to_string(sheet_height) +
                         ", above JPEG's 65535 limit per side (write .png instead)");
    }

    // Every image once: decoded as RGB, brought to the tile, and its saliency map.
    std::vector<resizemix::image<std::uint8_t>> tiles;
    std::vector<resizemix::saliency_map> maps;
    for (const std::string& path : options.images) {
        const decoded_image photo = load_image(path, "image", 3, options.mixing.max_pixels);
        tiles.push_back(make_tile(photo, tile_width, tile_height));
        maps.push_back(resizemix::contrast_saliency(tiles.back().const_view()));
    }

    resizemix::image<std::uint8_t> sheet(3, sheet_height, sheet_width);
    auto canvas = sheet.view();
    for (index_t y = 0; y < sheet_height; ++y)
        for (index_t x = 0; x < sheet_width; ++x)
            for (index_t c = 0; c < 3; ++c) canvas(c, y, x) = background[static_cast<std::size_t>(c)];
    const auto column_left = [&](index_t column) { return sheet_gap + column * (tile_width + sheet_gap); };
    for (index_t column = 0; column < columns; ++column) {
        draw_centred(canvas, column_left(column), sheet_gap, tile_width,
                     column_title(options.columns[static_cast<std::size_t>(column)]));
    }

    nlohmann::ordered_json report;
    report["out"] = options.out;
    report["width"] = sheet_width;
    report["height"] = sheet_height;
    report["tile_width"] = tile_width;
    report["tile_height"] = tile_height;
    report["seed"] = options.mixing.seed;
    report["columns"] = options.columns;
    const auto columns_methods = column_methods(options.columns);
    if (std::find(columns_methods.begin(), columns_methods.end(), "cutmix") != columns_methods.end()) {
        report["box_sampling"] = options.mixing.box_sampling;
    }
    auto& row_reports = report["rows"] = nlohmann::ordered_json::array();

    for (index_t row = 0; row < rows; ++row) {
        const auto source_index = static_cast<std::size_t>(row);
        const auto target_index = static_cast<std::size_t>((row + 1) % image_count);
        const auto source = tiles[source_index].const_view();
        const auto target = tiles[target_index].const_view();
        const resizemix::pair_saliency saliency{maps[source_index], maps[target_index]};
        const index_t top = sheet_gap + band_height + row * (tile_height + band_height + sheet_gap);
        nlohmann::ordered_json row_report;
        row_report["source"] = options.images[source_index];
        row_report["target"] = options.images[target_index];
        auto& tile_reports = row_report["tiles"] = nlohmann::ordered_json::array();

        for (index_t column = 0; column < columns; ++column) {
            const std::string& name = options.columns[static_cast<std::size_t>(column)];
            auto cell = canvas.subview({column_left(column), top, tile_width, tile_height});
            std::string caption;
            if (name == "source" || name == "target") {
                resizemix::copy(name == "source" ? source : target, cell);
                caption = file_name(options.images[name == "source" ? source_index : target_index]);
            } else if (name == "saliency") {
                const auto map_tile = render_map(maps[source_index], 3, tile_width, tile_height);
                resizemix::copy(map_tile.const_view(), cell);
                caption = "local contrast";
            } else if (name == "autoaugment") {
                resizemix::rng random = resizemix::rng::for_sample(options.mixing.seed, 0, static_cast<std::uint64_t>(row));
                const auto ops = autoaugment(target, cell, random);
                for (const resizemix::applied_op& step : ops)
                    caption += (caption.empty() ? "" : "+") + std::string(resizemix::to_string(step.op));
                if (caption.empty()) caption = "none";
                nlohmann::ordered_json tile_report;
                tile_report["column"] = name;
                tile_report["augmentations"] = autoaugment_ops_json(ops);
                tile_reports.push_back(std::move(tile_report));
            } else {
                resizemix::rng random = resizemix::rng::for_sample(options.mixing.seed, 0, static_cast<std::uint64_t>(row));
                resizemix::copy(target, cell);
                const resizemix::mix_info info =
                    name == "cutmix"           ? cut_mix(source, target, cell, random)
                    : name == "salient-cutmix" ? salient_cut_mix(source, target, cell, random, saliency)
                    : name == "resizemix+"     ? resize_mix_plus(source, target, cell, random)
                    : name == "cutout"         ? cutout(source, target, cell, random)
                    : name == "resizemix"      ? resize_mix(source, target, cell, random)
                                               : make_mixer(name, options.mixing)(source, target, cell, random);
                caption = lambda_caption(info.lambda);
                nlohmann::ordered_json tile_report;
                tile_report["column"] = name;
                tile_report["lambda"] = info.lambda;
                if (name == "resizemix" || name == "resizemix+") tile_report["tau"] = info.tau;
                tile_report["box"] = box_json(name == "resizemix+" ? info.paste_box : info.box);
                tile_report["source_box"] = box_json(info.source_box);
                if (name == "resizemix+") tile_report["augmentations"] = augmentations_json(info.augmentations);
                if (name == "cutout") {
                    auto& holes = tile_report["holes"] = nlohmann::ordered_json::array();
                    for (const resizemix::applied_op& hole : info.augmentations) holes.push_back(box_json(hole.region));
                }
                tile_reports.push_back(std::move(tile_report));
            }
            draw_centred(canvas, column_left(column), top + tile_height, tile_width, caption);
        }
        row_reports.push_back(std::move(row_report));
    }

    write_image_atomically(options.out, format, sheet.data(), static_cast<int>(sheet_width),
                           static_cast<int>(sheet_height), 3);
    std::cout << report.dump() << '\n' << std::flush;
    if (!std::cout) throw file_error("wrote '" + options.out + "' but could not print the report");
}

}  // namespace

subcommand add_grid_command(CLI::App& parent) {
    auto options = std::make_shared<grid_options>();
    CLI::App* grid = parent.add_subcommand(
        "grid", "Write a contact sheet comparing CutMix, saliency-guided CutMix and ResizeMix on --images");
    grid->add_option("--images", options->images, "Two or more images (PNG or JPEG)")
        ->required()
        ->expected(2, CLI::detail::expected_max_vector_size)
        ->type_name("FILE");
    grid->add_option("--out", options->out, "The sheet, .png or .jpg/.jpeg")->required()->type_name("FILE");
    grid->add_option("--pairs", options->pairs,
                     "Rows: cycle (image i into image i+1, the last into the first) or chain (no last row)")
        ->check(CLI::IsMember({"cycle", "chain"}))
        ->capture_default_str();
    grid->add_option("--columns", options->columns, "Columns, in order")
        ->check(CLI::IsMember({"source", "target", "cutmix", "salient-cutmix", "resizemix", "resizemix+", "cutout",
                               "autoaugment", "saliencymix", "fmix", "saliency"}))
        ->delimiter(',')
        ->expected(1, CLI::detail::expected_max_vector_size)
        ->default_str("source target cutmix salient-cutmix resizemix");
    grid->add_option_function<std::vector<std::string>>(
            "--tile-size",
            [options](const std::vector<std::string>& sides) {
                options->tile_size = {parse_signed("--tile-size", sides[0], 0, max_tile_side * 1024),
                                      parse_signed("--tile-size", sides[1], 0, max_tile_side * 1024)};
            },
            "Width and height of each tile in pixels")
        ->expected(2)
        ->type_name("W H")
        ->default_str("240 160");
    add_mixer_options(*grid, options->mixing, {});
    return {grid, [options] { run_grid(*options); }};
}

}  // namespace resizemix_cli
