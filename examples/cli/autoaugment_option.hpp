// examples/cli/autoaugment_option.hpp: --autoaugment imagenet|cifar10|svhn, shared by mix and batch.
//
// add_autoaugment_option declares it; with_autoaugment wraps the chosen mixer in augment_after with
// resizemix::auto_augment of that policy (torchvision 0.14's tables, nearest sampling), so AutoAugment
// runs on the mixed image; autoaugment_ops_json lists what ran on one sample.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <resizemix/augment/augment_op.hpp>
#include <resizemix/compose.hpp>

namespace resizemix_cli {

/// What --autoaugment holds after parsing.
struct autoaugment_options {
    std::string policy;                    ///< "imagenet", "cifar10" or "svhn"; empty when not given
    CLI::Option* option = nullptr;

    /// True when --autoaugment was given.
    [[nodiscard]] bool enabled() const { return option != nullptr && option->count() > 0; }
};

/// Declares --autoaugment POLICY on `command`, read into `options`.
void add_autoaugment_option(CLI::App& command, autoaugment_options& options);

/// `mixer` followed by AutoAugment of the chosen policy on the mixed image; `mixer` itself without --autoaugment.
[[nodiscard]] resizemix::any_mixer with_autoaugment(resizemix::any_mixer mixer, const autoaugment_options& options);

/// Refuses (resizemix::error naming --autoaugment and `what`) images that are not gray or RGB.
void check_autoaugment_channels(const autoaugment_options& options, resizemix::index_t channels, const std::string& what);

/// The operations AutoAugment ran, in order: {"op" (torchvision's name), "magnitude" (signed, apply_op's
/// units)}; the records of other stages (Cutout's holes) are left out.
[[nodiscard]] nlohmann::ordered_json autoaugment_ops_json(const std::vector<resizemix::applied_op>& ops);

}  // namespace resizemix_cli
