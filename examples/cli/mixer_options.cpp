// examples/cli/mixer_options.cpp: see mixer_options.hpp.
#include "mixer_options.hpp"

#include <algorithm>
#include <cmath>

#include <resizemix/augment/cutout.hpp>
#include <resizemix/contrast_saliency.hpp>
#include <resizemix/fine_grained_saliency.hpp>
#include <resizemix/mixers/cutmix.hpp>
#include <resizemix/mixers/fmix.hpp>
#include <resizemix/mixers/mixup.hpp>
#include <resizemix/mixers/resizemix.hpp>
#include <resizemix/mixers/saliencymix.hpp>

#include "cli_common.hpp"

namespace resizemix_cli {

using resizemix::region;

void add_mixer_options(CLI::App& command, mixer_options& options, offered_options offered) {
    add_integer_option(command, "--seed", options.seed, "Random seed");
    add_integer_option(command, "--max-pixels", options.max_pixels,
                       "Refuse images (and maps) with more pixels than this", std::uint64_t{1});
    options.scale_range_option =
        command.add_option("--scale-range", options.scale_range, "resizemix: tau ~ U(MIN, MAX), 0 < MIN <= MAX <= 1")
            ->type_name("MIN MAX")
            ->default_str("0.1 0.8");
    options.alpha_option =
        command.add_option("--alpha", options.alpha, "cutmix, mixup, saliencymix, fmix: Beta(A, A) parameter, > 0")
            ->capture_default_str();
    options.decay_power_option =
        command
            .add_option("--decay-power", options.decay_power,
                        "fmix: the Fourier noise's spectrum falls as 1 / frequency^D, D > 0 (higher: smoother masks)")
            ->type_name("D")
            ->capture_default_str();
    options.box_sampling_option =
        command
            .add_option("--box-sampling", options.box_sampling,
                        "cutmix, random boxes: clip (centre uniform over the image, box clipped at the border, as the "
                        "CutMix paper, timm and torchvision do) or inside (the whole box, placed where it fits)")
            ->check(CLI::IsMember({"clip", "inside"}))
            ->capture_default_str();
    options.cutout_length_option = add_integer_option(command, "--cutout-length", options.cutout_length,
                                                      "cutout: side of each square hole in pixels (default 16)",
                                                      std::int64_t{0}, std::int64_t{1} << 30);
    options.cutout_fraction_option =
        command
            .add_option("--cutout-fraction", options.cutout_fraction,
                        "cutout: side of each hole as a share of the shorter image side, in (0, 1] (instead of "
                        "--cutout-length)")
            ->excludes(options.cutout_length_option);
    options.cutout_holes_option = add_integer_option(command, "--cutout-holes", options.cutout_holes,
                                                     "cutout: holes per image (default 1)", std::int64_t{0},
                                                     std::int64_t{1} << 20);
    options.cutout_fill_option =
        command.add_option("--cutout-fill", options.cutout_fill, "cutout: fill level of the holes, 0-255")
            ->capture_default_str();
    if (offered.regions) {
        options.source_region_option =
            command.add_option("--source-region", options.source_region, "cutmix: where the box is cut from the source")
                ->check(CLI::IsMember({"random", "salient", "non-salient"}))
                ->capture_default_str();
        options.paste_region_option =
            command
                .add_option("--paste-region", options.paste_region,
                            "Where the patch goes in the target (default: random for resizemix, corresponding for "
                            "cutmix)")
                ->check(CLI::IsMember({"corresponding", "random", "salient", "non-salient"}));
    }
    if (offered.saliency) {
        options.saliency_option =
            command
                .add_option("--saliency", options.saliency,
                            "Saliency maps for salient / non-salient regions, computed from each image (no map "
                            "files needed): contrast = local contrast of the luminance with a centre prior; "
                            "fine-grained = the fine-grained static saliency SaliencyMix uses (OpenCV's)")
                ->check(CLI::IsMember({"contrast", "fine-grained"}));
    }
}

void refuse_unless_read(const CLI::Option* given, std::initializer_list<std::string_view> readers,
                        std::span<const std::string> methods, const std::string& chosen_by) {
    if (given == nullptr || given->count() == 0) return;
    const bool read = std::any_of(methods.begin(), methods.end(), [&](const std::string& method) {
        return std::find(readers.begin(), readers.end(), method) != readers.end();
    });
    if (read) return;
    std::string names;
    for (const std::string_view reader : readers) {
        if (!names.empty()) names += reader == *(readers.end() - 1) ? " or " : ", ";
        names += reader;
    }
    throw usage_error(given->get_name() + " does not apply: it is read by " + names + " only, and " + chosen_by +
                      " chose none of them");
}

void check_options_apply(const mixer_options& options, std::span<const std::string> methods,
                         const std::string& chosen_by) {
    refuse_unless_read(options.scale_range_option, {"resizemix"}, methods, chosen_by);
    refuse_unless_read(options.alpha_option, {"cutmix", "mixup", "saliencymix", "fmix"}, methods, chosen_by);
    refuse_unless_read(options.decay_power_option, {"fmix"}, methods, chosen_by);
    refuse_unless_read(options.box_sampling_option, {"cutmix"}, methods, chosen_by);
    refuse_unless_read(options.source_region_option, {"cutmix"}, methods, chosen_by);
    refuse_unless_read(options.paste_region_option, {"resizemix", "cutmix"}, methods, chosen_by);
    refuse_unless_read(options.saliency_option, {"resizemix", "cutmix"}, methods, chosen_by);
    for (const CLI::Option* cutout_option : {options.cutout_length_option, options.cutout_fraction_option,
                                             options.cutout_holes_option, options.cutout_fill_option}) {
        refuse_unless_read(cutout_option, {"cutout"}, methods, chosen_by);
    }
}

region parse_region(const std::string& name) {
    if (name == "random") return region::random;
    if (name == "corresponding") return region::corresponding;
    if (name == "salient") return region::salient;
    return region::non_salient;  // CLI::IsMember admitted nothing else
}

std::pair<region, region> regions_of(const std::string& method, const mixer_options& options) {
    const bool paste_given = !options.paste_region.empty();
    if (method == "resizemix") return {region::random, paste_given ? parse_region(options.paste_region) : region::random};
    if (method == "cutmix") {
        return {parse_region(options.source_region),
                paste_given ? parse_region(options.paste_region) : region::corresponding};
    }
    return {region::random, region::random};
}

resizemix::saliency_map computed_saliency(const std::string& kind, resizemix::image_view<const std::uint8_t> image) {
    return kind == "fine-grained" ? resizemix::fine_grained_saliency(image) : resizemix::contrast_saliency(image);
}

resizemix::any_mixer make_mixer(const std::string& method, const mixer_options& options) {
    const auto [source_region, paste_region] = regions_of(method, options);
    if (method == "cutout") {
        const bool fraction_given = options.cutout_fraction_option != nullptr && options.cutout_fraction_option->count() > 0;
        if (fraction_given && !(options.cutout_fraction > 0.0 && options.cutout_fraction <= 1.0)) {
            throw resizemix::error("--cutout-fraction must be in (0, 1], got " + shortest_text(options.cutout_fraction));
        }
        if (!(options.cutout_fill >= 0.0 && options.cutout_fill <= 255.0)) {
            throw resizemix::error("--cutout-fill must be a level in [0, 255], got " + shortest_text(options.cutout_fill));
        }
        return resizemix::cutout{.length = fraction_given ? 0 : options.cutout_length,
                                 .length_fraction = fraction_given ? options.cutout_fraction : 0.0,
                                 .holes = static_cast<int>(options.cutout_holes),
                                 .fill = {options.cutout_fill}};
    }
    if (method == "resizemix") {
        const auto [scale_min, scale_max] = options.scale_range;
        if (!(scale_min > 0.0f && scale_min <= scale_max && scale_max <= 1.0f)) {
            throw resizemix::error("--scale-range " + shortest_text(scale_min) + " " + shortest_text(scale_max) +
                                   " is not a scale range: tau ~ U(MIN, MAX) needs 0 < MIN <= MAX <= 1");
        }
        if (paste_region == region::corresponding) {
            throw resizemix::error("--paste-region corresponding does not apply to resizemix: the whole source is "
                                   "pasted, so no place in the target corresponds to it (use random, salient or "
                                   "non-salient)");
        }
        return resizemix::resize_mix{.scale_min = scale_min, .scale_max = scale_max, .paste_region = paste_region};
    }
    if (!(std::isfinite(options.alpha) && options.alpha > 0.0f)) {
        throw resizemix::error("--alpha must be finite and above 0 (the Beta(A, A) parameter), got " +
                               shortest_text(options.alpha));
    }
    if (method == "cutmix") {
        return resizemix::cut_mix{.alpha = options.alpha,
                                  .source_region = source_region,
                                  .paste_region = paste_region,
                                  .box_sampling = options.box_sampling == "inside" ? resizemix::box_sampling::inside
                                                                                   : resizemix::box_sampling::clip};
    }
    if (method == "saliencymix") return resizemix::saliency_mix{.alpha = options.alpha};
    if (method == "fmix") {
        if (!(std::isfinite(options.decay_power) && options.decay_power > 0.0f)) {
            throw resizemix::error("--decay-power must be finite and above 0 (the spectrum's 1 / frequency^D), got " +
                                   shortest_text(options.decay_power));
        }
        return resizemix::fmix{.alpha = options.alpha, .decay_power = options.decay_power};
    }
    return resizemix::mixup{.alpha = options.alpha};
}

}  // namespace resizemix_cli
