// examples/cli/autoaugment_option.cpp: see autoaugment_option.hpp.
#include "autoaugment_option.hpp"

#include <resizemix/augment/auto_augment.hpp>
#include <resizemix/augment/pipeline.hpp>
#include <resizemix/error.hpp>

namespace resizemix_cli {

void add_autoaugment_option(CLI::App& command, autoaugment_options& options) {
    options.option = command
                         .add_option("--autoaugment", options.policy,
                                     "AutoAugment after the mix, with the policy searched on imagenet, cifar10 or svhn "
                                     "(torchvision 0.14's tables)")
                         ->check(CLI::IsMember({"imagenet", "cifar10", "svhn"}))
                         ->type_name("POLICY");
}

resizemix::any_mixer with_autoaugment(resizemix::any_mixer mixer, const autoaugment_options& options) {
    if (!options.enabled()) return mixer;
    const auto policy = options.policy == "imagenet" ? resizemix::auto_augment_policy::imagenet
                        : options.policy == "cifar10" ? resizemix::auto_augment_policy::cifar10
                                                      : resizemix::auto_augment_policy::svhn;
    return resizemix::augment_after(std::move(mixer), resizemix::auto_augment{.policy = policy});
}

void check_autoaugment_channels(const autoaugment_options& options, resizemix::index_t channels, const std::string& what) {
    if (options.enabled() && channels != 1 && channels != 3) {
        throw resizemix::error("--autoaugment needs gray or RGB images, but " + what + " has " +
                               std::to_string(channels) + " channels");
    }
}

nlohmann::ordered_json autoaugment_ops_json(const std::vector<resizemix::applied_op>& ops) {
    auto list = nlohmann::ordered_json::array();
    for (const resizemix::applied_op& step : ops) {
        if (step.stage != resizemix::augment_stage::output) continue;
        nlohmann::ordered_json entry;
        entry["op"] = std::string(resizemix::to_string(step.op));
        entry["magnitude"] = step.magnitude;
        list.push_back(std::move(entry));
    }
    return list;
}

}  // namespace resizemix_cli
