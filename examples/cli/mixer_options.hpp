// examples/cli/mixer_options.hpp: the mixing options the subcommands share, and
// the one factory that turns a method name and those options into a mixer.
//
// mix, batch and grid declare --seed, --max-pixels, --scale-range, --alpha (and,
// where they apply, the region and saliency options) through add_mixer_options,
// read them into one mixer_options, refuse options no chosen method reads
// with check_options_apply, and build every mixer with make_mixer. Bad values
// are refused with the flag the user typed, before the library sees them.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <resizemix/compose.hpp>
#include <resizemix/saliency_map.hpp>

#include "io/image_io.hpp"

namespace resizemix_cli {

/// The method names, as the CLI spells them in options, errors and reports.
inline const std::vector<std::string> method_names{"resizemix", "cutmix", "mixup", "cutout", "saliencymix", "fmix"};

/// What the shared options hold after parsing, and which of them the user gave.
struct mixer_options {
    std::uint64_t seed = 0;
    std::uint64_t max_pixels = default_max_pixels;
    std::pair<float, float> scale_range{0.1f, 0.8f};
    float alpha = 1.0f;
    std::string source_region = "random";
    std::string paste_region;  ///< empty: the method's default (random for resizemix, corresponding for cutmix)
    float decay_power = 3.0f;  ///< fmix: the spectrum's decay power
    std::string saliency;      ///< "contrast" or "fine-grained": maps computed from the images; empty: none
    std::string box_sampling = "clip";  ///< cutmix's random boxes: "clip" (CutMix paper, timm) or "inside"
    std::int64_t cutout_length = 16;    ///< cutout: the hole's side in pixels
    double cutout_fraction = 0.0;       ///< cutout: when given, the side as a share of the shorter image side
    std::int64_t cutout_holes = 1;      ///< cutout: holes per image
    double cutout_fill = 0.0;           ///< cutout: the fill level, 0-255

    CLI::Option* scale_range_option = nullptr;
    CLI::Option* alpha_option = nullptr;
    CLI::Option* decay_power_option = nullptr;
    CLI::Option* source_region_option = nullptr;  ///< null where the subcommand does not offer it
    CLI::Option* paste_region_option = nullptr;
    CLI::Option* saliency_option = nullptr;
    CLI::Option* box_sampling_option = nullptr;
    CLI::Option* cutout_length_option = nullptr;
    CLI::Option* cutout_fraction_option = nullptr;
    CLI::Option* cutout_holes_option = nullptr;
    CLI::Option* cutout_fill_option = nullptr;
};

/// Which of the optional shared options a subcommand offers.
struct offered_options {
    bool regions = false;   ///< --source-region, --paste-region
    bool saliency = false;  ///< --saliency contrast|fine-grained
};

/// Declares the shared options on `command`, read into `options`: --seed, --max-pixels,
/// --scale-range, --alpha, --box-sampling, the --cutout-* options, and what `offered` adds.
void add_mixer_options(CLI::App& command, mixer_options& options, offered_options offered);

/// Refuses (usage_error) `given` when none of `methods` is among `readers`, the
/// methods that read it; `chosen_by` names where the methods came from ("--method").
void refuse_unless_read(const CLI::Option* given, std::initializer_list<std::string_view> readers,
                        std::span<const std::string> methods, const std::string& chosen_by);

/// Refuses --max-pixels 0, and every shared option none of `methods` reads.
void check_options_apply(const mixer_options& options, std::span<const std::string> methods,
                         const std::string& chosen_by);

/// The region policy named on the command line ("non-salient" for region::non_salient).
[[nodiscard]] resizemix::region parse_region(const std::string& name);

/// The source and paste regions `method` uses with these options (its defaults where none was given).
[[nodiscard]] std::pair<resizemix::region, resizemix::region> regions_of(const std::string& method,
                                                                         const mixer_options& options);

/// The map `--saliency KIND` computes from an image: "contrast" (contrast_saliency) or
/// "fine-grained" (fine_grained_saliency, SaliencyMix's map).
[[nodiscard]] resizemix::saliency_map computed_saliency(const std::string& kind,
                                                       resizemix::image_view<const std::uint8_t> image);

/// The mixer for `method` (one of method_names) with the options'
/// parameters. Values the method cannot use are refused as resizemix::error naming
/// the flag (--scale-range, --alpha, --decay-power, --paste-region, --cutout-*).
[[nodiscard]] resizemix::any_mixer make_mixer(const std::string& method, const mixer_options& options);

}  // namespace resizemix_cli
