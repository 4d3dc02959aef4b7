// resizemix mix: mix two images with ResizeMix, CutMix, Mixup, SaliencyMix or FMix (or cut holes with Cutout).
//
//   resizemix mix --method resizemix|cutmix|mixup|saliencymix|fmix|cutout --source S --target T --out O
//      [--seed N] [--scale-range MIN MAX] [--alpha A] [--box-sampling clip|inside] [--decay-power D]
//      [--cutout-length L | --cutout-fraction F] [--cutout-holes N] [--cutout-fill V]
//      [--source-region random|salient|non-salient]
//      [--paste-region corresponding|random|salient|non-salient]
//      [--source-saliency MAP] [--target-saliency MAP] [--saliency contrast|fine-grained]
//      [--source-label I --target-label J --num-classes K [--label-smoothing E]]
//      [--autoaugment imagenet|cifar10|svhn]
//      [--randaugment N M [--augment-order after|before]] [--max-pixels N]
//
// WHAT IT DOES
//   Reads S and T (PNG or JPEG), mixes S into T with the library's mixer seeded
//   by N (default 0), writes O with T's size and channel count (S is converted
//   to T's channels), and prints one JSON object on one line of stdout:
//     {"method", "seed", "lambda", "tau" (resizemix), "box", "source_box"
//      (not for mixup; each {"x","y","width","height"}), "label" (K numbers,
//      when labels are given)}
//   lambda is the source's share of the output: the weight of the source label.
//   The same arguments give the same JSON and the same output bytes.
//   For cutmix the JSON also says "box_sampling"; for cutout, "holes": each
//   hole as filled (clipped to the image; a box), "box" being their bounding box;
//   for fmix "decay_power" and "mask_pixels" (how many pixels of "box", the
//   mask's bounding box, take the source).
//
// AUTOAUGMENT
//   --autoaugment P runs AutoAugment (Cubuk et al. 2019, torchvision 0.14's
//   policy searched on P: imagenet, cifar10 or svhn; resizemix::auto_augment)
//   on the mixed image after the mix. The mixer draws first, exactly as without
//   it, then AutoAugment's sub-policy: lambda and the boxes are those of the
//   mix alone ("box" is where the source was pasted). The JSON adds
//   "autoaugment" (P) and "augmentations": the operations that ran, in order,
//   {"op" (torchvision's name), "magnitude" (signed)}. Images must be gray or RGB.
//
// RANDAUGMENT (ResizeMix+)
//   --randaugment N M runs RandAugment (torchvision 0.14's 14 operations, N per
//   image at magnitude bin M of 31, nearest sampling, resizemix::rand_augment)
//   after the mix on the mixed image (--augment-order after, the default: the
//   paper's ResizeMix+ and Table 7's "After"), or on the source and on the
//   target each before the mix (--augment-order before). The mixer draws first,
//   exactly as without --randaugment, then the operations: lambda, tau and the
//   boxes are those of the mix alone ("box" is where the source was pasted,
//   before any geometric operation moved it). The JSON adds "randaugment"
//   {"num_ops", "magnitude", "num_magnitude_bins", "order"} and
//   "augmentations": every operation in the order it ran, {"op" (torchvision's
//   name), "magnitude" (signed; shear factor, pixels, degrees, factor - 1, bits
//   or the 0-255 threshold), "sign" (+1 / -1, signed operations only), "image"
//   ("mixed", "source" or "target")}. Images must be gray or RGB.
//
// METHODS AND THEIR OPTIONS (an option that does not apply is an error)
//   resizemix  the whole source, resized by tau ~ U(MIN, MAX) (default 0.1 0.8)
//              to round(tau*W) x round(tau*H), pasted at --paste-region
//              (random, default; salient / non-salient need a target map).
//   cutmix     a box from Beta(A, A) (default A = 1), cut at --source-region
//              (random, default; salient / non-salient need a source map)
//              and pasted at --paste-region (corresponding, default; random,
//              salient, non-salient). Random boxes follow --box-sampling:
//              clip (default; centre uniform over the image, box clipped at
//              the border, lambda its exact share: the CutMix paper, timm,
//              torchvision) or inside (the whole box, placed where it fits).
//   mixup      per-pixel blend with weight lambda ~ Beta(A, A).
//   saliencymix  SaliencyMix: a CutMix box from Beta(A, A) centred on the
//              peak of the source's fine-grained saliency map (the map the
//              authors take from OpenCV), clipped at the border, pasted at the
//              same place.
//   fmix       FMix: low-frequency Fourier noise (spectrum ~ 1 / f^D, --decay-power
//              D, default 3) thresholded so its brightest lambda ~ Beta(A, A)
//              share of the pixels take the source.
//   cutout     Cutout (DeVries and Taylor 2017): --cutout-holes squares (default
//              1) of side --cutout-length pixels (default 16; or a share F of
//              the target's shorter side, --cutout-fraction) filled with level
//              --cutout-fill (default 0), each centred uniformly over the target
//              and clipped at its border. The source is read but not used:
//              lambda is 0 and the label is the target's.
//
// SAME SIZE
//   ResizeMix takes a source of any size. The other methods mix same-size
//   images: a source of another size is first resized (bilinear, the library's
//   resize) to the target's size, and source_box is then in those resized
//   coordinates.
//
// SALIENCY
//   Maps come from files (--source-saliency, --target-saliency: grayscale
//   images of any size, stretched over the image) or, with --saliency contrast
//   or fine-grained, are computed from the images (resizemix::contrast_saliency
//   or resizemix::fine_grained_saliency; for CutMix from the source after resizing). The box is centred on a pixel at the map's
//   maximum (minimum), shifted inside.
//
// LABELS
//   Soft label (1 - E) * mix + E / K, where mix puts lambda on I and 1 - lambda on J.
//
// OUTPUT FILES
//   PNG or JPEG (quality 95) by O's extension: .png, .jpg, .jpeg, any case.
//   Written to "O.tmp-<pid>" beside O and renamed over O when complete, so O
//   is either the whole new image or, after any error or interrupt, exactly
//   what it was.
//
// LIMITS
//   Images (and maps) above --max-pixels (default 100000000) are refused from
//   their header, before decoding. Images are mixed at 8 bits per channel
//   (16-bit files are reduced); saliency maps keep 16 bits. --num-classes at
//   most 1000000. Integers are decimal digits (1e9 is refused: write 1000000000).
//
// EXIT STATUS (every error is one line on stderr: "resizemix: error: ...", naming the flag or file)
//   0  success (and for --help, --version)
//   1  bad values (scale range, alpha, labels, missing saliency map, ...) or
//      files that cannot be read, decoded or written
//   2  bad command line (unknown option or method, missing option, an option
//      the method does not use, an output extension other than png/jpg/jpeg,
//      an integer that is not one or does not fit)
#include "mix_command.hpp"

#include <cstdint>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <resizemix/labels.hpp>
#include <resizemix/resize.hpp>

#include "augment_options.hpp"
#include "autoaugment_option.hpp"
#include "io/image_io.hpp"
#include "mixer_options.hpp"

namespace resizemix_cli {
namespace {

using resizemix::index_t;

/// Everything `mix` reads from the command line.
struct mix_options {
    std::string method;
    std::string source;
    std::string target;
    std::string out;
    mixer_options mixing;
    autoaugment_options autoaugmenting;
    augment_options augmenting;
    std::string source_saliency;
    std::string target_saliency;
    std::int64_t source_label = 0;
    std::int64_t target_label = 0;
    index_t num_classes = 0;
    float label_smoothing = 0.0f;

    CLI::Option* source_saliency_option = nullptr;
    CLI::Option* target_saliency_option = nullptr;
    CLI::Option* source_label_option = nullptr;
};

void check_labels(const mix_options& options) {
    check_label_smoothing(options.label_smoothing);
    const auto check = [&](const char* flag, std::int64_t label) {
        if (label < 0 || label >= options.num_classes) {
            throw resizemix::error(std::string(flag) + " " + std::to_string(label) + " is outside [0, " +
                                   std::to_string(options.num_classes) + ") (--num-classes " +
                                   std::to_string(options.num_classes) + ")");
        }
    };
    check("--source-label", options.source_label);
    check("--target-label", options.target_label);
}

/// Refuses a salient / non-salient region without a map to find it in.
void check_maps_available(const mix_options& options) {
    const auto [source_region, paste_region] = regions_of(options.method, options.mixing);
    const bool computed = !options.mixing.saliency.empty();
    const auto check = [&](resizemix::region policy, const char* flag, const char* image, const std::string& file,
                           const char* file_flag) {
        if (resizemix::needs_saliency(policy) && file.empty() && !computed) {
            throw resizemix::error(std::string(flag) + " " + resizemix::to_string(policy) + " needs a saliency map of the " +
                                   image + ": give " + file_flag + " MAP or --saliency contrast");
        }
    };
    check(source_region, "--source-region", "source", options.source_saliency, "--source-saliency");
    check(paste_region, "--paste-region", "target", options.target_saliency, "--target-saliency");
}

/// Runs `mix` once the command line has parsed. Throws on any failure; writes
/// the output file last, all or nothing, and prints the JSON after it.
void run_mix(const mix_options& options) {
    // Every value is checked before any file is touched.
    const std::vector<std::string> methods{options.method};
    check_options_apply(options.mixing, methods, "--method " + options.method);
    refuse_unless_read(options.source_saliency_option, {"cutmix"}, methods, "--method " + options.method);
    refuse_unless_read(options.target_saliency_option, {"resizemix", "cutmix"}, methods, "--method " + options.method);
    const auto format = format_from_extension(options.out);
    if (!format) throw usage_error("--out " + options.out + ": unsupported extension (use .png, .jpg or .jpeg)");
    check_augment_options(options.augmenting);
    if (options.augmenting.enabled() && options.autoaugmenting.enabled()) {
        throw usage_error("--randaugment and --autoaugment do not go together: choose one");
    }
    const resizemix::any_mixer mixer = with_augmentation(
        with_autoaugment(make_mixer(options.method, options.mixing), options.autoaugmenting), options.augmenting);
    const bool labels_given = options.source_label_option->count() > 0;
    if (labels_given) check_labels(options);
    check_maps_available(options);
    const std::uint64_t max_pixels = options.mixing.max_pixels;

    decoded_image target = load_image(options.target, "target image", 0, max_pixels);
    if (*format == output_format::jpeg && (target.width > jpeg_max_side || target.height > jpeg_max_side)) {
        throw file_error("cannot write output '" + options.out + "' as JPEG: the target is " +
                         std::to_string(target.width) + "x" + std::to_string(target.height) +
                         ", above JPEG's 65535 limit per side (write .png instead)");
    }
    check_autoaugment_channels(options.autoaugmenting, target.channels, "the target '" + options.target + "'");
    check_augment_channels(options.augmenting, target.channels, "the target '" + options.target + "'");
    const decoded_image source = load_image(options.source, "source image", target.channels, max_pixels);
    resizemix::pair_saliency maps;
    if (!options.source_saliency.empty()) maps.source = load_saliency(options.source_saliency, "source saliency map", max_pixels);
    if (!options.target_saliency.empty()) maps.target = load_saliency(options.target_saliency, "target saliency map", max_pixels);

    // CutMix and Mixup take same-size pairs: bring the source to the target's size first.
    resizemix::image<std::uint8_t> resized_source;
    resizemix::image_view<const std::uint8_t> source_pixels = source.view();
    const bool reads_source = options.method != "cutout";
    if (reads_source && options.method != "resizemix" && (source.width != target.width || source.height != target.height)) {
        resized_source = resizemix::image<std::uint8_t>(target.channels, target.height, target.width);
        resizemix::resize(source_pixels, resized_source.view());
        source_pixels = resized_source.const_view();
    }
    const resizemix::image_view<const std::uint8_t> target_pixels = target.view();
    if (!options.mixing.saliency.empty()) {
        const auto [source_region, paste_region] = regions_of(options.method, options.mixing);
        const std::string& kind = options.mixing.saliency;
        if (resizemix::needs_saliency(source_region)) maps.source = computed_saliency(kind, source_pixels);
        if (resizemix::needs_saliency(paste_region)) maps.target = computed_saliency(kind, target_pixels);
    }

    resizemix::rng random(options.mixing.seed);
    const resizemix::mix_info info = mixer(source_pixels, target_pixels, target.view(), random, maps);  // in place

    nlohmann::ordered_json report;
    report["method"] = options.method;
    report["seed"] = options.mixing.seed;
    report["lambda"] = info.lambda;
    if (options.method == "resizemix") report["tau"] = info.tau;
    if (options.method == "cutmix") report["box_sampling"] = options.mixing.box_sampling;
    if (options.method == "fmix") {
        report["decay_power"] = float_for_json(options.mixing.decay_power);
        report["mask_pixels"] = info.mask ? info.mask->count() : 0;
    }
    if (options.method != "mixup") {
        report["box"] = box_json(options.autoaugmenting.enabled() || options.augmenting.enabled() ? info.paste_box : info.box);
        report["source_box"] = box_json(info.source_box);
    }
    if (options.method == "cutout") {
        auto& holes = report["holes"] = nlohmann::ordered_json::array();
        for (const resizemix::applied_op& hole : info.augmentations)
            if (hole.op == resizemix::augment_op::cutout) holes.push_back(box_json(hole.region));
    }
    if (options.autoaugmenting.enabled()) {
        report["autoaugment"] = options.autoaugmenting.policy;
        report["augmentations"] = autoaugment_ops_json(info.augmentations);
    }
    if (options.augmenting.enabled()) {
        report["randaugment"] = augment_summary_json(options.augmenting);
        report["augmentations"] = augmentations_json(info.augmentations);
    }
    if (labels_given) {
        const Eigen::RowVectorXf label = resizemix::soft_label(info, options.source_label, options.target_label,
                                                               options.num_classes, options.label_smoothing);
        auto& weights = report["label"] = nlohmann::ordered_json::array();
        for (Eigen::Index k = 0; k < label.size(); ++k) weights.push_back(float_for_json(label(k)));
    }

    write_image_atomically(options.out, *format, target.pixels.get(), target.width, target.height, target.channels);
    std::cout << report.dump() << '\n' << std::flush;
    if (!std::cout) throw file_error("wrote '" + options.out + "' but could not print the report");
}

}  // namespace

subcommand add_mix_command(CLI::App& parent) {
    auto options = std::make_shared<mix_options>();
    CLI::App* mix = parent.add_subcommand("mix", "Mix --source into --target and write --out");
    mix->footer(
        "Same size: resizemix takes a source of any size; cutmix and mixup first resize a source of another size "
        "to the target's size (bilinear), and source_box is then in those resized coordinates. The output has the "
        "target's size and channels.");
    mix->add_option("--method", options->method, "Mixing method")->required()->check(CLI::IsMember(method_names));
    mix->add_option("--source", options->source, "Source image (its pixels or label go into the target)")
        ->required()
        ->type_name("FILE");
    mix->add_option("--target", options->target, "Target image (sets the output's size and channels)")
        ->required()
        ->type_name("FILE");
    mix->add_option("--out", options->out, "Output image, .png or .jpg/.jpeg")->required()->type_name("FILE");
    add_mixer_options(*mix, options->mixing, {.regions = true, .saliency = true});
    add_autoaugment_option(*mix, options->autoaugmenting);
    add_augment_options(*mix, options->augmenting);
    options->source_saliency_option =
        mix->add_option("--source-saliency", options->source_saliency, "cutmix: grayscale saliency map of the source, any size")
            ->type_name("MAP")
            ->excludes(options->mixing.saliency_option);
    options->target_saliency_option =
        mix->add_option("--target-saliency", options->target_saliency, "Grayscale saliency map of the target, any size")
            ->type_name("MAP")
            ->excludes(options->mixing.saliency_option);
    CLI::Option* source_label = add_integer_option(*mix, "--source-label", options->source_label, "Class of the source");
    CLI::Option* target_label = add_integer_option(*mix, "--target-label", options->target_label, "Class of the target");
    CLI::Option* num_classes = add_integer_option(*mix, "--num-classes", options->num_classes, "Number of classes K",
                                                  index_t{1}, max_num_classes)
                                   ->default_str("");
    CLI::Option* smoothing =
        mix->add_option("--label-smoothing", options->label_smoothing, "Label smoothing E in [0, 1)")->capture_default_str();
    source_label->needs(target_label, num_classes);
    target_label->needs(source_label, num_classes);
    num_classes->needs(source_label, target_label);
    smoothing->needs(num_classes);
    options->source_label_option = source_label;
    return {mix, [options] { run_mix(*options); }};
}

}  // namespace resizemix_cli
