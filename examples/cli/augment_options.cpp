// examples/cli/augment_options.cpp: see augment_options.hpp.
#include "augment_options.hpp"

#include <cmath>
#include <string>

#include "cli_common.hpp"

namespace resizemix_cli {

namespace {

constexpr int magnitude_bins = resizemix::rand_augment{}.num_magnitude_bins;
/// Far above any useful N; keeps a typo from running for hours.
constexpr int max_num_ops = 100;

const char* image_name(resizemix::augment_stage stage) {
    switch (stage) {
        case resizemix::augment_stage::source: return "source";
        case resizemix::augment_stage::target: return "target";
        case resizemix::augment_stage::mix: return "mix";
        case resizemix::augment_stage::output: break;
    }
    return "mixed";
}

}  // namespace

void add_augment_options(CLI::App& command, augment_options& options) {
    options.randaugment_option =
        command
            .add_option_function<std::vector<std::string>>(
                "--randaugment",
                [&options](const std::vector<std::string>& values) {
                    options.num_ops = static_cast<int>(parse_signed("--randaugment", values[0], 0, max_num_ops));
                    options.magnitude = static_cast<int>(parse_signed("--randaugment", values[1], 0, 1000000));
                },
                "RandAugment (torchvision's 14 ops): N ops per image at magnitude bin M of 31 (the paper: 2 9)")
            ->expected(2)
            ->type_name("N M");
    options.order_option =
        command
            .add_option("--augment-order", options.order,
                        "With --randaugment: after (mix, then augment the mixed image: ResizeMix+) or before "
                        "(augment each image, then mix)")
            ->check(CLI::IsMember({"after", "before"}))
            ->capture_default_str();
}

void check_augment_options(const augment_options& options) {
    if (options.order_option != nullptr && options.order_option->count() > 0 && !options.enabled()) {
        throw usage_error("--augment-order does not apply without --randaugment N M");
    }
    if (!options.enabled()) return;
    if (options.magnitude >= magnitude_bins) {
        throw resizemix::error("--randaugment " + std::to_string(options.num_ops) + " " +
                               std::to_string(options.magnitude) + ": the magnitude M must be a bin in [0, " +
                               std::to_string(magnitude_bins - 1) + "]");
    }
}

void check_augment_channels(const augment_options& options, resizemix::index_t channels, const std::string& what) {
    if (!options.enabled() || channels == 1 || channels == 3) return;
    throw resizemix::error("--randaugment needs gray or RGB images (1 or 3 channels), got " +
                           std::to_string(channels) + " channels in " + what);
}

resizemix::any_mixer with_augmentation(resizemix::any_mixer mixer, const augment_options& options) {
    if (!options.enabled()) return mixer;
    if (options.order == "before") return resizemix::augment_before(std::move(mixer), options.policy());
    return resizemix::augment_after(std::move(mixer), options.policy());
}

nlohmann::ordered_json augment_summary_json(const augment_options& options) {
    nlohmann::ordered_json summary;
    summary["num_ops"] = options.num_ops;
    summary["magnitude"] = options.magnitude;
    summary["num_magnitude_bins"] = magnitude_bins;
    summary["order"] = options.order;
    return summary;
}

nlohmann::ordered_json augmentations_json(const std::vector<resizemix::applied_op>& ops) {
    auto list = nlohmann::ordered_json::array();
    for (const resizemix::applied_op& step : ops) {
        nlohmann::ordered_json entry;
        entry["op"] = std::string(resizemix::to_string(step.op));
        entry["magnitude"] = step.magnitude;
        // The sign is its own field: bin 0 of a negated op has magnitude -0, which JSON readers lose.
        if (resizemix::is_signed(step.op)) entry["sign"] = std::signbit(step.magnitude) ? -1 : 1;
        entry["image"] = image_name(step.stage);
        list.push_back(std::move(entry));
    }
    return list;
}

}  // namespace resizemix_cli
