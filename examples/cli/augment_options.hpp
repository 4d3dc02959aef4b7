// examples/cli/augment_options.hpp: --randaugment N M and --augment-order, shared by mix and batch.
//
// add_augment_options declares them; with_augmentation wraps the chosen mixer in augment_after
// or augment_before (resizemix/augment/pipeline.hpp) with rand_augment{N, M} (31 bins, nearest);
// augmentations_json is the list of operations a report shows for one sample. Bad values are
// refused naming the flag, before any file is read.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <resizemix/augment/pipeline.hpp>
#include <resizemix/compose.hpp>

namespace resizemix_cli {

/// What --randaugment and --augment-order hold after parsing.
struct augment_options {
    int num_ops = 2;           ///< N: operations per image
    int magnitude = 9;         ///< M: the magnitude bin, in [0, 31)
    std::string order = "after";

    CLI::Option* randaugment_option = nullptr;
    CLI::Option* order_option = nullptr;

    /// True when --randaugment was given.
    [[nodiscard]] bool enabled() const { return randaugment_option != nullptr && randaugment_option->count() > 0; }
    /// rand_augment{N, M}.
    [[nodiscard]] resizemix::rand_augment policy() const {
        return resizemix::rand_augment{.num_ops = num_ops, .magnitude = magnitude};
    }
};

/// Declares --randaugment N M and --augment-order after|before on `command`, read into `options`.
void add_augment_options(CLI::App& command, augment_options& options);

/// Refuses --augment-order without --randaugment (usage_error) and N or M out of range (resizemix::error).
void check_augment_options(const augment_options& options);

/// Refuses (resizemix::error naming --randaugment and `what`) images that are not gray or RGB.
void check_augment_channels(const augment_options& options, resizemix::index_t channels, const std::string& what);

/// `mixer` inside augment_after / augment_before with rand_augment{N, M}; `mixer` itself without --randaugment.
[[nodiscard]] resizemix::any_mixer with_augmentation(resizemix::any_mixer mixer, const augment_options& options);

/// {"num_ops", "magnitude", "num_magnitude_bins", "order"}.
[[nodiscard]] nlohmann::ordered_json augment_summary_json(const augment_options& options);

/// One entry per operation, in the order they ran: {"op" (torchvision's name), "magnitude" (signed,
/// apply_op's units), "sign" (+1 or -1, signed operations only), "image" ("mixed", "source" or "target")}.
[[nodiscard]] nlohmann::ordered_json augmentations_json(const std::vector<resizemix::applied_op>& ops);

}  // namespace resizemix_cli
