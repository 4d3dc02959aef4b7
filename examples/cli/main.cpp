// resizemix: mix images with ResizeMix, CutMix or Mixup from the command line.
//
//   resizemix mix     two images          (this file)
//   resizemix batch   a folder, soft labels out   (batch_command.cpp, documented there)
//   resizemix grid    a contact sheet             (grid_command.cpp, documented there)
//
//   resizemix mix --method resizemix|cutmix|mixup --source S --target T --out O
//      [--seed N] [--scale-range MIN MAX] [--alpha A]
//      [--source-region random|salient|non-salient]
//      [--paste-region corresponding|random|salient|non-salient]
//      [--source-saliency MAP] [--target-saliency MAP]
//      [--source-label I --target-label J --num-classes K [--label-smoothing E]]
//      [--max-pixels N]
//
// WHAT IT DOES
//   Reads S and T (PNG, JPEG or anything else stb_image reads), mixes S into T
//   with the library's mixer seeded by N (default 0), writes O with T's size
//   and channel count (S is converted to T's channels), and prints one JSON
//   object on one line of stdout:
//     {"method", "seed", "lambda", "tau" (resizemix), "box", "source_box"
//      (not for mixup; each {"x","y","width","height"}), "label" (K numbers,
//      when labels are given)}
//   lambda is the source's share of the output: the weight of the source label.
//   The same arguments give the same JSON and the same output bytes.
//
// METHODS AND THEIR OPTIONS (an option that does not apply is an error)
//   resizemix  the whole source, resized by tau ~ U(MIN, MAX) (default 0.1 0.8)
//              to round(tau*W) x round(tau*H), pasted at --paste-region
//              (random, default; salient / non-salient need --target-saliency).
//   cutmix     a box from Beta(A, A) (default A = 1), cut at --source-region
//              (random, default; salient / non-salient need --source-saliency)
//              and pasted at --paste-region (corresponding, default; random,
//              salient, non-salient).
//   mixup      per-pixel blend with weight lambda ~ Beta(A, A).
//   CutMix and Mixup need same-size images: a source of another size is first
//   resized (bilinear, the library's resize) to the target's size, and
//   source_box is then in those resized coordinates.
//   Saliency maps are grayscale images of any size, stretched over the image;
//   the box is centred on a pixel at the map's maximum (minimum), shifted inside.
//   Labels: soft label (1 - E) * mix + E / K, where mix puts lambda on I and
//   1 - lambda on J.
//
// OUTPUT FILES
//   PNG or JPEG (quality 95) by O's extension: .png, .jpg, .jpeg, any case.
//   Written to "O.tmp-<pid>" beside O and renamed over O when complete, so O
//   is either the whole new image or, after any error, exactly what it was.
//
// LIMITS
//   Images (and maps) above --max-pixels (default 100000000) are refused from
//   their header, before decoding. Images are mixed at 8 bits per channel
//   (16-bit files are reduced); saliency maps keep 16 bits. --num-classes at
//   most 1000000.
//
// EXIT STATUS (every error is one line on stderr: "resizemix: error: ...")
//   0  success (and for --help, --version)
//   1  bad values (scale range, alpha, labels, missing saliency map, ...) or
//      files that cannot be read, decoded or written
//   2  bad command line (unknown option or method, missing option, an option
//      the method does not use, an output extension other than png/jpg/jpeg)
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <exception>
#include <iostream>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <resizemix/resizemix.hpp>

#include "batch_command.hpp"
#include "cli_common.hpp"
#include "grid_command.hpp"
#include "image_io.hpp"

namespace {

using resizemix::index_t;
using resizemix::region;
using resizemix_cli::box_json;
using resizemix_cli::exit_bad_usage;
using resizemix_cli::exit_bad_value;
using resizemix_cli::float_for_json;
using resizemix_cli::program_name;
using resizemix_cli::usage_error;

constexpr index_t max_num_classes = 1'000'000;

/// Everything `mix` reads from the command line.
struct mix_options {
    std::string method;
    std::string source;
    std::string target;
    std::string out;
    std::uint64_t seed = 0;
    std::pair<float, float> scale_range{0.1f, 0.8f};
    float alpha = 1.0f;
    std::string source_region = "random";
    std::string paste_region;  // empty: the method's default
    std::string source_saliency;
    std::string target_saliency;
    std::int64_t source_label = 0;
    std::int64_t target_label = 0;
    index_t num_classes = 0;
    float label_smoothing = 0.0f;
    std::uint64_t max_pixels = 100'000'000;
};

/// Options whose presence depends on the method.
struct method_specific_options {
    CLI::Option* scale_range = nullptr;
    CLI::Option* alpha = nullptr;
    CLI::Option* source_region = nullptr;
    CLI::Option* paste_region = nullptr;
    CLI::Option* source_saliency = nullptr;
    CLI::Option* target_saliency = nullptr;
    CLI::Option* num_classes = nullptr;
};

region parse_region(const std::string& name) {
    if (name == "random") return region::random;
    if (name == "corresponding") return region::corresponding;
    if (name == "salient") return region::salient;
    return region::non_salient;  // CLI::IsMember admitted nothing else
}

/// Prints the one-line error and returns the exit status.
int report(const std::string& message, int status) {
    std::string line = message;
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    std::cerr << program_name << ": error: " << line << '\n';
    return status;
}

/// Rejects options the chosen method never reads (so a typo is not silently ignored) and a zero pixel limit.
void check_method_options(const std::string& method, const method_specific_options& given,
                          std::uint64_t max_pixels) {
    if (max_pixels == 0) throw usage_error("--max-pixels must be at least 1");
    const auto refuse = [&](const CLI::Option* option) {
        if (option->count() > 0) {
            throw usage_error(option->get_name() + " does not apply to --method " + method);
        }
    };
    if (method == "resizemix") {
        refuse(given.alpha);
        refuse(given.source_region);
        refuse(given.source_saliency);
    } else if (method == "cutmix") {
        refuse(given.scale_range);
    } else {
        refuse(given.scale_range);
        refuse(given.source_region);
        refuse(given.paste_region);
        refuse(given.source_saliency);
        refuse(given.target_saliency);
    }
}

/// The mixer of the chosen method, as one callable over (source, target-as-out, rng, maps).
struct chosen_mixer {
    std::string method;
    resizemix::resize_mix resize_mix;
    resizemix::cut_mix cut_mix;
    resizemix::mixup mixup;

    void validate() const {
        if (method == "resizemix") resize_mix.validate();
        else if (method == "cutmix") cut_mix.validate();
        else mixup.validate();
    }
    [[nodiscard]] bool needs_same_size() const { return method != "resizemix"; }

    resizemix::mix_info operator()(resizemix::image_view<const std::uint8_t> source,
                                   resizemix::image_view<std::uint8_t> target, resizemix::rng& random,
                                   const resizemix::pair_saliency& maps) const {
        const resizemix::image_view<const std::uint8_t> target_pixels = target;
        if (method == "resizemix") return resize_mix(source, target_pixels, target, random, maps);
        if (method == "cutmix") return cut_mix(source, target_pixels, target, random, maps);
        return mixup(source, target_pixels, target, random, maps);
    }
};

chosen_mixer make_mixer(const mix_options& options) {
    chosen_mixer mixer;
    mixer.method = options.method;
    const bool paste_given = !options.paste_region.empty();
    mixer.resize_mix = {.scale_min = options.scale_range.first,
                        .scale_max = options.scale_range.second,
                        .paste_region = paste_given ? parse_region(options.paste_region) : region::random};
    mixer.cut_mix = {.alpha = options.alpha,
                     .source_region = parse_region(options.source_region),
                     .paste_region = paste_given ? parse_region(options.paste_region) : region::corresponding};
    mixer.mixup = {.alpha = options.alpha};
    return mixer;
}

/// Runs `mix` once the command line has parsed. Throws on any failure; writes
/// the output file last, all or nothing, and prints the JSON after it.
void run_mix(const mix_options& options, bool labels_given) {
    // Every value is checked before any file is touched.
    const auto format = resizemix_cli::format_from_extension(options.out);
    if (!format) throw usage_error("--out " + options.out + ": unsupported extension (use .png, .jpg or .jpeg)");
    const chosen_mixer mixer = make_mixer(options);
    mixer.validate();
    if (labels_given) {
        (void)resizemix::soft_label(resizemix::mix_info{}, options.source_label, options.target_label,
                                    options.num_classes, options.label_smoothing);
    }

    resizemix_cli::decoded_image target =
        resizemix_cli::load_image(options.target, "target image", 0, options.max_pixels);
    if (*format == resizemix_cli::output_format::jpeg &&
        (target.width > resizemix_cli::jpeg_max_side || target.height > resizemix_cli::jpeg_max_side)) {
        throw resizemix_cli::file_error("cannot write output '" + options.out + "' as JPEG: the target is " +
                                        std::to_string(target.width) + "x" + std::to_string(target.height) +
                                        ", above JPEG's 65535 limit per side (write .png instead)");
    }
    const resizemix_cli::decoded_image source =
        resizemix_cli::load_image(options.source, "source image", target.channels, options.max_pixels);
    resizemix::pair_saliency maps;
    if (!options.source_saliency.empty()) {
        maps.source = resizemix_cli::load_saliency(options.source_saliency, "source saliency map", options.max_pixels);
    }
    if (!options.target_saliency.empty()) {
        maps.target = resizemix_cli::load_saliency(options.target_saliency, "target saliency map", options.max_pixels);
    }

    // CutMix and Mixup take same-size pairs: bring the source to the target's size first.
    resizemix::image<std::uint8_t> resized_source;
    resizemix::image_view<const std::uint8_t> source_pixels = source.view();
    if (mixer.needs_same_size() && (source.width != target.width || source.height != target.height)) {
        resized_source = resizemix::image<std::uint8_t>(target.channels, target.height, target.width);
        resizemix::resize(source_pixels, resized_source.view());
        source_pixels = resized_source.const_view();
    }

    resizemix::rng random(options.seed);
    const resizemix::mix_info info = mixer(source_pixels, target.view(), random, maps);  // in place, into target

    nlohmann::ordered_json report_json;
    report_json["method"] = options.method;
    report_json["seed"] = options.seed;
    report_json["lambda"] = info.lambda;
    if (options.method == "resizemix") report_json["tau"] = info.tau;
    if (options.method != "mixup") {
        report_json["box"] = box_json(info.box);
        report_json["source_box"] = box_json(info.source_box);
    }
    if (labels_given) {
        const Eigen::RowVectorXf label = resizemix::soft_label(info, options.source_label, options.target_label,
                                                               options.num_classes, options.label_smoothing);
        auto& weights = report_json["label"] = nlohmann::ordered_json::array();
        for (Eigen::Index k = 0; k < label.size(); ++k) weights.push_back(float_for_json(label(k)));
    }

    resizemix_cli::write_image_atomically(options.out, *format, target.pixels.get(), target.width, target.height,
                                          target.channels);
    std::cout << report_json.dump() << '\n' << std::flush;
    if (!std::cout) throw resizemix_cli::file_error("wrote '" + options.out + "' but could not print the report");
}

}  // namespace

int main(int argc, char** argv) {
    resizemix_cli::remove_temporary_on_signals();

    CLI::App app{"Mix images with ResizeMix, CutMix or Mixup: two images (mix), a folder (batch) or a contact "
                 "sheet (grid); prints what was done as JSON.",
                 program_name};
    app.set_version_flag("--version", "resizemix 0.1.0");
    app.require_subcommand(1);

    mix_options options;
    method_specific_options given;
    CLI::App* mix = app.add_subcommand("mix", "Mix --source into --target and write --out");
    mix->add_option("--method", options.method, "Mixing method")
        ->required()
        ->check(CLI::IsMember({"resizemix", "cutmix", "mixup"}));
    mix->add_option("--source", options.source, "Source image (its pixels or label go into the target)")
        ->required()
        ->type_name("FILE");
    mix->add_option("--target", options.target, "Target image (sets the output's size and channels)")
        ->required()
        ->type_name("FILE");
    mix->add_option("--out", options.out, "Output image, .png or .jpg/.jpeg")->required()->type_name("FILE");
    const CLI::Validator not_negative = resizemix_cli::not_negative();
    mix->add_option("--seed", options.seed, "Random seed")->check(not_negative)->capture_default_str();
    given.scale_range = mix->add_option("--scale-range", options.scale_range,
                                        "resizemix: tau ~ U(MIN, MAX), 0 < MIN <= MAX <= 1")
                            ->type_name("MIN MAX")
                            ->default_str("0.1 0.8");
    given.alpha = mix->add_option("--alpha", options.alpha, "cutmix, mixup: Beta(A, A) parameter, > 0")
                      ->capture_default_str();
    given.source_region = mix->add_option("--source-region", options.source_region,
                                          "cutmix: where the box is cut from the source")
                              ->check(CLI::IsMember({"random", "salient", "non-salient"}))
                              ->capture_default_str();
    given.paste_region = mix->add_option("--paste-region", options.paste_region,
                                         "Where the patch goes in the target (default: random for "
                                         "resizemix, corresponding for cutmix)")
                             ->check(CLI::IsMember({"corresponding", "random", "salient", "non-salient"}));
    given.source_saliency = mix->add_option("--source-saliency", options.source_saliency,
                                            "cutmix: grayscale saliency map of the source, any size")
                                ->type_name("MAP");
    given.target_saliency = mix->add_option("--target-saliency", options.target_saliency,
                                            "Grayscale saliency map of the target, any size")
                                ->type_name("MAP");
    CLI::Option* source_label = mix->add_option("--source-label", options.source_label, "Class of the source");
    CLI::Option* target_label = mix->add_option("--target-label", options.target_label, "Class of the target");
    given.num_classes = mix->add_option("--num-classes", options.num_classes, "Number of classes K")
                            ->check(CLI::Range(index_t{1}, max_num_classes));
    CLI::Option* smoothing = mix->add_option("--label-smoothing", options.label_smoothing,
                                             "Label smoothing E in [0, 1)")
                                 ->capture_default_str();
    mix->add_option("--max-pixels", options.max_pixels, "Refuse images with more pixels than this")
        ->check(not_negative)
        ->capture_default_str();
    source_label->needs(target_label, given.num_classes);
    target_label->needs(source_label, given.num_classes);
    given.num_classes->needs(source_label, target_label);
    smoothing->needs(given.num_classes);

    const resizemix_cli::subcommand batch = resizemix_cli::add_batch_command(app);
    const resizemix_cli::subcommand grid = resizemix_cli::add_grid_command(app);

    // "(see 'resizemix batch --help')": the help of the subcommand being run, if one was named.
    const auto help_hint = [&] {
        const auto named = app.get_subcommands();
        return " (see '" + std::string(program_name) + (named.empty() ? "" : " " + named.front()->get_name()) +
               " --help')";
    };

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return report(std::string(e.what()) + help_hint(), exit_bad_usage);
    }

    try {
        if (batch.app->parsed()) {
            batch.run();
        } else if (grid.app->parsed()) {
            grid.run();
        } else {
            check_method_options(options.method, given, options.max_pixels);
            run_mix(options, source_label->count() > 0);
        }
    } catch (const usage_error& e) {
        return report(std::string(e.what()) + help_hint(), exit_bad_usage);
    } catch (const resizemix::error& e) {
        return report(e.what(), exit_bad_value);
    } catch (const resizemix_cli::file_error& e) {
        return report(e.what(), exit_bad_value);
    } catch (const std::bad_alloc&) {
        return report("out of memory", exit_bad_value);
    } catch (const std::exception& e) {
        return report(e.what(), exit_bad_value);
    }
    return 0;
}
