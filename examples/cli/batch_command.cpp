// resizemix batch: mix a folder of images as one batch, with soft labels.
//
//   resizemix batch --input-dir D --output-dir O --method resizemix|cutmix|mixup|cutout|saliencymix|fmix [M ...]
//      [--labels L.csv [--num-classes K] [--label-smoothing E]]
//      [--seed N] [--epoch E] [--step S] [--rank R] [--threads T]
//      [--pairing shuffle|flip] [--per-batch]
//      [--scale-range MIN MAX] [--alpha A] [--box-sampling clip|inside]
//      [--cutout-length L | --cutout-fraction F] [--cutout-holes N] [--cutout-fill V]
//      [--weights W ...] [--probability P]
//      [--source-region R] [--paste-region R] [--saliency contrast|fine-grained] [--decay-power D]
//      [--autoaugment imagenet|cifar10|svhn]
//      [--randaugment N M [--augment-order after|before]] [--repeat m]
//      [--channels C] [--overwrite] [--max-pixels N]
//
// INPUT
//   The batch is every file directly in D whose name ends in .png, .jpg or .jpeg
//   (any case) and does not start with '.', in byte order of the names: sample
//   i is the i-th name. Other files and subfolders are ignored. Every image
//   must have the first image's width, height and channel count; the first
//   (in name order) that differs is named in the error. Nothing is resized:
//   resize the folder first if its sizes differ. --channels C converts every
//   image to C channels as it is read (1 gray, 2 gray + alpha, 3 RGB, 4 RGBA),
//   for folders that mix gray and colour files. The whole batch is held in
//   memory once (N x H x W x C bytes) and mixed in place.
//
// MIXING
//   resizemix::mix_batch: sample i is the target, its partner the source
//   (--pairing shuffle, a seeded permutation, the default; or flip, sample
//   N-1-i). The pairing and every draw derive from (--seed, --epoch, --step,
//   --rank, i), as batch_options::seed / epoch / step / rank say: a training
//   loop passes its batch counter as --step (else every batch of an epoch gets
//   the same partners and boxes) and its data-parallel rank as --rank. The
//   output bytes do not depend on --threads (default 0: every core; reading, mixing
//   and writing share those threads). --per-batch draws one set of parameters
//   for all samples. Several methods make a one_of(): each sample picks one,
//   with probability proportional to --weights (default equal). --probability
//   P (default 1) mixes each sample with probability P and leaves the others
//   untouched (method "none", lambda 0). cutout cuts holes in the sample and
//   keeps its label (lambda 0; labels.json lists its "holes"). --scale-range,
//   --alpha, the --cutout-* and the region
//   options apply as in `resizemix mix`; an option no chosen method reads is an
//   error. Salient and non-salient regions need --saliency contrast (or
//   fine-grained): each image's map is computed from its own pixels
//   (resizemix::contrast_saliency, resizemix::fine_grained_saliency).
//   --autoaugment P runs AutoAugment with policy P on every mixed image, after
//   its mix, as `resizemix mix --autoaugment` does; labels.json then says
//   "autoaugment" and gives each image its "augmentations" and "paste_box"
//   (the mix's box; "box" is the whole image, every pixel of which may change).
//
// RANDAUGMENT AND BATCH AUGMENTATION (ResizeMix+)
//   --randaugment N M augments every sample with RandAugment, N operations at
//   magnitude bin M of 31, after the mix (--augment-order after, the default;
//   the paper's ResizeMix+) or on the sample and its partner before it
//   (--augment-order before), as `resizemix mix` does; each sample draws its
//   own operations from its own stream, and --probability leaves RandAugment on
//   every sample (an unmixed one is augmented too). Images must be gray or RGB
//   (--channels 3 converts). --repeat m (batch augmentation, "Augment your
//   batch"; the paper's ResizeMix+ uses 2) writes m x N samples:
//   resizemix::mix_batch_repeated, copy r mixed with seed repeat_seed(--seed, r)
//   so each copy has its own partners and draws, copy 0 being exactly the
//   output without --repeat. Copy 0 keeps the names; copy r >= 1 goes to
//   O/repeat-<r>/<name>. Memory: the input batch plus m x N output images.
//
// LABELS (labels_csv.hpp)
//   L.csv: a header line "filename,label", then one line "name,class" for every
//   image of the batch. A line with more or fewer than two fields, a
//   non-integer class, a name that is not an image of D or that comes twice, a
//   class outside [0, K), and an image without a line are errors naming the
//   line or the file. K is --num-classes, else the largest class + 1. The soft
//   label of sample i is (1 - E) * mix + E / K, where mix puts lambda on the
//   partner's class and 1 - lambda on i's own.
//
// OUTPUT (batch_output.hpp)
//   O/<name>     each mixed image, under its own name and in its own format
//                (PNG, or JPEG at quality 95)
//   O/labels.csv a header, then per image in batch order: filename, method,
//                partner (file name), lambda, box_x, box_y, box_width,
//                box_height, and with --labels: label, partner_label,
//                class_0 ... class_{K-1} (the soft label; each row sums to 1)
//   O/labels.json {"generator": "resizemix batch", the options, "count",
//                "width", "height", "channels", "images": [{"file", "method",
//                "partner", "lambda", "tau" (resizemix), "box", "source_box",
//                and with --labels "label", "partner_label", "soft_label";
//                with --randaugment "augmentations", listed as `mix` lists them}]}
//   lambda is the partner's share of the output pixels, box where its pixels
//   sit (the whole image for mixup; for fmix the bounding box of its mask, of
//   which only the lambda share takes the partner; empty when nothing was mixed).
//   The options in labels.json include "step", "rank", "repeat", with cutmix
//   "box_sampling" and with --randaugment "randaugment". "count" counts the
//   samples written (m x N); "box" is where the partner was pasted, before any
//   augmentation.
//   stdout gets one JSON line: "output_dir", "count", "width", "height",
//   "channels", "methods", "seed", "epoch", "step", "rank", "repeat", "mean_lambda".
//
// ALL OR NOTHING
//   O must not exist, or be an empty folder; its parent must exist. Everything
//   is written into "O.tmp-<pid>" beside O, which is renamed to O only when
//   complete. On any error, or on SIGINT / SIGTERM / SIGHUP, that folder is
//   removed and O is left as it was. --overwrite replaces a non-empty O, but
//   only one that an earlier `resizemix batch` wrote (it holds its
//   labels.json): the old O is renamed aside, the new one renamed in, and the
//   old one deleted, so a failed run leaves the old output whole.
//
// PROGRESS
//   A progress bar on stderr while reading and writing, only when stderr is a
//   terminal; it is erased before the command ends.
//
// ERRORS (one line on stderr, "resizemix: error: ...", naming the flag, file or line)
//   2  bad command line: unknown option or method, a missing option, an option
//      no chosen method reads, --weights not one per method, a bad integer
//   1  bad values (scale range, alpha, weights, probability, smoothing),
//      unreadable or undecodable images, images of another size, a bad labels
//      file, an output folder that exists or cannot be written
#include "batch_command.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <resizemix/augment/batch_augmentation.hpp>
#include <resizemix/batch.hpp>
#include <resizemix/labels.hpp>

#include "augment_options.hpp"
#include "autoaugment_option.hpp"
#include "batch_input.hpp"
#include "batch_output.hpp"
#include "io/image_io.hpp"
#include "io/interrupts.hpp"
#include "io/staged_output.hpp"
#include "labels_csv.hpp"
#include "mixer_options.hpp"
#include "parallel.hpp"
#include "progress_bar.hpp"

namespace resizemix_cli {
namespace {

namespace fs = std::filesystem;
using resizemix::index_t;

/// Far above the paper's 2; keeps a typo from filling the disk.
constexpr index_t max_repeat = 64;

struct batch_cli_options {
    std::string input_dir;
    std::string output_dir;
    std::vector<std::string> methods;
    std::string labels;
    index_t num_classes = 0;
    float label_smoothing = 0.0f;
    mixer_options mixing;
    autoaugment_options autoaugmenting;
    augment_options augmenting;
    index_t repeat = 1;
    std::uint64_t epoch = 0;
    std::uint64_t step = 0;
    std::uint64_t rank = 0;
    unsigned threads = 0;
    std::string pairing = "shuffle";
    bool per_batch = false;
    std::vector<double> weights;
    double probability = 1.0;
    int channels = 0;
    bool overwrite = false;

    CLI::Option* weights_option = nullptr;
};

/// The method, a one_of() of several, wrapped in sometimes() when --probability is below 1.
resizemix::any_mixer batch_mixer(const batch_cli_options& options) {
    if (options.weights_option->count() > 0 && options.weights.size() != options.methods.size()) {
        throw usage_error("--weights needs one weight per method: " + std::to_string(options.methods.size()) +
                          " methods, " + std::to_string(options.weights.size()) + " weights");
    }
    const bool weights_usable =
        std::all_of(options.weights.begin(), options.weights.end(), [](double w) { return std::isfinite(w) && w >= 0; }) &&
        (options.weights.empty() || std::any_of(options.weights.begin(), options.weights.end(), [](double w) { return w > 0; }));
    if (!weights_usable) {
        std::string given;
        for (const double w : options.weights) given += (given.empty() ? "" : ",") + shortest_text(w);
        throw resizemix::error("--weights must be finite and not negative, and not all 0, got " + given);
    }
    if (!(options.probability >= 0.0 && options.probability <= 1.0)) {
        throw resizemix::error("--probability must be in [0, 1], got " + shortest_text(options.probability));
    }
    std::optional<resizemix::any_mixer> chosen;
    if (options.methods.size() == 1) {
        chosen = make_mixer(options.methods.front(), options.mixing);
    } else {
        std::vector<resizemix::weighted<resizemix::any_mixer>> branches;
        for (std::size_t k = 0; k < options.methods.size(); ++k) {
            branches.push_back({make_mixer(options.methods[k], options.mixing),
                                options.weights.empty() ? 1.0 : options.weights[k]});
        }
        chosen = resizemix::one_of_any(std::move(branches));
    }
    if (options.probability != 1.0) chosen = resizemix::sometimes(*chosen, options.probability);
    const resizemix::any_mixer augmented = with_augmentation(*chosen, options.augmenting);
    augmented.validate();
    return augmented;
}

/// Refuses a salient / non-salient region when no map will be computed.
void check_saliency_given(const batch_cli_options& options) {
    if (!options.mixing.saliency.empty()) return;
    for (const std::string& method : options.methods) {
        const auto [source_region, paste_region] = regions_of(method, options.mixing);
        for (const auto& [flag, policy] : {std::pair{"--source-region", source_region}, std::pair{"--paste-region", paste_region}}) {
            if (resizemix::needs_saliency(policy)) {
                throw resizemix::error(std::string(flag) + " " + resizemix::to_string(policy) +
                                       " needs a saliency map of every image: pass --saliency contrast");
            }
        }
    }
}

nlohmann::ordered_json summary_json(const std::vector<std::string>& names, const resizemix::batch_result& result,
                                    const label_table* labels, const loaded_batch& batch,
                                    const batch_cli_options& options) {
    const auto uses = [&](const char* method) {
        return std::find(options.methods.begin(), options.methods.end(), method) != options.methods.end();
    };
    nlohmann::ordered_json summary;
    summary["generator"] = generator_name;
    summary["methods"] = options.methods;
    if (options.methods.size() > 1) {
        summary["weights"] = options.weights.empty() ? std::vector<double>(options.methods.size(), 1.0) : options.weights;
    }
    summary["probability"] = options.probability;
    summary["seed"] = options.mixing.seed;
    summary["epoch"] = options.epoch;
    summary["step"] = options.step;
    summary["rank"] = options.rank;
    summary["pairing"] = options.pairing;
    summary["per_batch"] = options.per_batch;
    summary["repeat"] = options.repeat;
    if (options.augmenting.enabled()) summary["randaugment"] = augment_summary_json(options.augmenting);
    if (uses("resizemix")) {
        summary["scale_range"] = {float_for_json(options.mixing.scale_range.first),
                                  float_for_json(options.mixing.scale_range.second)};
    }
    if (uses("cutmix") || uses("mixup") || uses("saliencymix") || uses("fmix")) {
        summary["alpha"] = float_for_json(options.mixing.alpha);
    }
    if (uses("fmix")) summary["decay_power"] = float_for_json(options.mixing.decay_power);
    if (uses("cutmix")) summary["box_sampling"] = options.mixing.box_sampling;
    if (options.autoaugmenting.enabled()) summary["autoaugment"] = options.autoaugmenting.policy;
    if (uses("cutout")) {
        nlohmann::ordered_json cutout;
        if (options.mixing.cutout_fraction_option->count() > 0) {
            cutout["fraction"] = options.mixing.cutout_fraction;
        } else {
            cutout["length"] = options.mixing.cutout_length;
        }
        cutout["holes"] = options.mixing.cutout_holes;
        cutout["fill"] = options.mixing.cutout_fill;
        summary["cutout"] = std::move(cutout);
    }
    if (!options.mixing.saliency.empty()) summary["saliency"] = options.mixing.saliency;
    if (labels != nullptr) {
        summary["num_classes"] = labels->num_classes;
        summary["label_smoothing"] = float_for_json(options.label_smoothing);
    }
    summary["count"] = batch.count * options.repeat;
    summary["width"] = batch.width;
    summary["height"] = batch.height;
    summary["channels"] = batch.channels;
    summary["images"] = sample_records(names, result, labels, options.augmenting.enabled());
    return summary;
}

void run_batch(const batch_cli_options& options) {
    // Every value is checked before any image is read or anything created.
    check_options_apply(options.mixing, options.methods, "--method");
    check_augment_options(options.augmenting);
    if (options.augmenting.enabled() && options.autoaugmenting.enabled()) {
        throw usage_error("--randaugment and --autoaugment do not go together: choose one");
    }
    const resizemix::any_mixer mixer = with_autoaugment(batch_mixer(options), options.autoaugmenting);
    check_saliency_given(options);
    if (!options.labels.empty()) check_label_smoothing(options.label_smoothing);
    const output_plan plan = plan_output(options.output_dir, options.overwrite);
    const fs::path input_dir(options.input_dir);
    const std::vector<std::string> names = list_images(input_dir);
    std::optional<label_table> labels;
    if (!options.labels.empty()) labels = read_labels(options.labels, names, input_dir, options.num_classes);

    const resizemix::executor run = make_executor(options.threads);
    progress_bar progress;
    loaded_batch batch = load_batch(input_dir, names, options.channels, options.mixing.max_pixels, run, progress);
    check_autoaugment_channels(options.autoaugmenting, batch.channels, "the batch");
    check_augment_channels(options.augmenting, batch.channels,
                           "the images of --input-dir (--channels 3 converts them)");
    check_interrupt();

    resizemix::batch_options mixing;
    mixing.seed = options.mixing.seed;
    mixing.epoch = options.epoch;
    mixing.step = options.step;
    mixing.rank = options.rank;
    mixing.pairing = options.pairing == "flip" ? resizemix::pairing::flip : resizemix::pairing::shuffle;
    mixing.parameters = options.per_batch ? resizemix::parameter_sharing::per_batch
                                          : resizemix::parameter_sharing::per_sample;
    mixing.executor = run;
    std::span<const std::int64_t> classes;
    if (labels) {
        mixing.num_classes = labels->num_classes;
        mixing.label_smoothing = options.label_smoothing;
        classes = labels->classes;
    }
    // Maps are asked for on this thread, in sample order, before any pixel is written.
    std::vector<std::optional<resizemix::saliency_map>> maps(static_cast<std::size_t>(batch.count));
    const auto contrast_maps = [&](const resizemix::saliency_query& query) -> const resizemix::saliency_map& {
        auto& map = maps[static_cast<std::size_t>(query.image_index)];
        if (!map) map = computed_saliency(options.mixing.saliency, batch.view()[query.image_index]);
        return *map;
    };
    const bool own_saliency = !options.mixing.saliency.empty();
    // One copy is mixed in place; --repeat m writes m x N samples into a buffer of their own.
    std::vector<std::uint8_t> repeated;
    resizemix::batch_result result;
    if (options.repeat == 1) {
        result = own_saliency ? resizemix::mix_batch(mixer, batch.view(), classes, batch.view(), mixing, contrast_maps)
                          : resizemix::mix_batch(mixer, batch.view(), classes, batch.view(), mixing);
    } else {
        repeated.resize(batch.pixels.size() * static_cast<std::size_t>(options.repeat));
        const auto input = resizemix::batch_view<const std::uint8_t>(batch.view());
        const auto output = resizemix::from_nhwc(repeated.data(), batch.count * options.repeat, batch.height,
                                                 batch.width, batch.channels);
        result = own_saliency ? resizemix::mix_batch_repeated(mixer, input, classes, output, options.repeat, mixing,
                                                          contrast_maps)
                          : resizemix::mix_batch_repeated(mixer, input, classes, output, options.repeat, mixing);
    }
    check_interrupt();
    const index_t samples = batch.count * options.repeat;
    const std::size_t sample_bytes = static_cast<std::size_t>(batch.height * batch.width * batch.channels);
    const auto sample_pixels = [&](index_t k) {
        return options.repeat == 1 ? batch.sample(k) : repeated.data() + static_cast<std::size_t>(k) * sample_bytes;
    };

    staged_output staging = staged_output::folder(plan.folder);
    for (index_t copy = 1; copy < options.repeat; ++copy) {
        fs::create_directory(staging.path() / repeat_folder_name(copy));
    }
    progress.start("writing", samples);
    run(samples, [&](index_t k) {
        check_interrupt();
        const std::string file = output_file_name(names, k);
        const fs::path path = staging.path() / file;
        const output_format format = format_from_extension(file).value_or(output_format::png);
        write_new_file(path, encode_image(format, sample_pixels(k), static_cast<int>(batch.width),
                                          static_cast<int>(batch.height), static_cast<int>(batch.channels),
                                          path.string()));
        progress.advance();
    });
    progress.erase();
    const label_table* label_pointer = labels ? &*labels : nullptr;
    const auto text_bytes = [](const std::string& text) {
        return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    };
    write_new_file(staging.path() / labels_csv_name,
                   text_bytes(labels_csv(names, result, label_pointer, options.augmenting.enabled())));
    write_new_file(staging.path() / labels_json_name,
                   text_bytes(summary_json(names, result, label_pointer, batch, options).dump() + "\n"));
    staging.commit(plan.replace);

    double lambda_sum = 0.0;
    for (const auto& record : result.samples) lambda_sum += record.info.lambda;
    nlohmann::ordered_json report;
    report["output_dir"] = plan.folder.string();
    report["count"] = samples;
    report["width"] = batch.width;
    report["height"] = batch.height;
    report["channels"] = batch.channels;
    report["methods"] = options.methods;
    report["seed"] = options.mixing.seed;
    report["epoch"] = options.epoch;
    report["step"] = options.step;
    report["rank"] = options.rank;
    report["repeat"] = options.repeat;
    report["mean_lambda"] = lambda_sum / static_cast<double>(samples);
    std::cout << report.dump() << '\n' << std::flush;
    if (!std::cout) throw file_error("wrote " + quoted(plan.folder.string()) + " but could not print the report");
}

}  // namespace

subcommand add_batch_command(CLI::App& parent) {
    auto options = std::make_shared<batch_cli_options>();
    CLI::App* batch = parent.add_subcommand(
        "batch", "Mix every image of --input-dir as one batch; write the mixed images and soft labels to --output-dir");
    batch->footer(
        "Same size: every image must have the first image's width, height and channels (nothing is resized; "
        "--channels converts channels as images are read).");
    batch->add_option("--input-dir", options->input_dir, "Folder of same-size PNG / JPEG images")
        ->required()
        ->type_name("DIR");
    batch->add_option("--output-dir", options->output_dir, "Folder to create (must not exist, or be empty)")
        ->required()
        ->type_name("DIR");
    batch->add_option("--method", options->methods, "Mixing method; several: one per sample, by --weights")
        ->required()
        ->check(CLI::IsMember(method_names))
        ->delimiter(',');
    CLI::Option* labels =
        batch->add_option("--labels", options->labels, "CSV of 'filename,label' lines, with that header")->type_name("CSV");
    add_integer_option(*batch, "--num-classes", options->num_classes, "Number of classes K (default: largest label + 1)",
                       index_t{1}, max_num_classes)
        ->default_str("")
        ->needs(labels);
    batch->add_option("--label-smoothing", options->label_smoothing, "Label smoothing E in [0, 1)")
        ->capture_default_str()
        ->needs(labels);
    add_mixer_options(*batch, options->mixing, {.regions = true, .saliency = true});
    add_autoaugment_option(*batch, options->autoaugmenting);
    add_augment_options(*batch, options->augmenting);
    add_integer_option(*batch, "--repeat", options->repeat,
                       "Batch augmentation: write m x N samples, each copy with its own partners and draws",
                       index_t{1}, max_repeat)
        ->type_name("m");
    add_integer_option(*batch, "--epoch", options->epoch, "Epoch (changes the pairing and every draw)");
    add_integer_option(*batch, "--step", options->step,
                       "Batch counter within the epoch, or the global step (changes the pairing and every draw)");
    add_integer_option(*batch, "--rank", options->rank, "Data-parallel rank (each rank draws its own)");
    add_integer_option(*batch, "--threads", options->threads, "Threads, 0 = every core (the output does not depend on it)");
    batch->add_option("--pairing", options->pairing, "Partner of each sample: shuffle (seeded) or flip (N-1-i)")
        ->check(CLI::IsMember({"shuffle", "flip"}))
        ->capture_default_str();
    batch->add_flag("--per-batch", options->per_batch, "One set of random parameters for the whole batch");
    options->weights_option = batch->add_option("--weights", options->weights, "Weight of each --method (default: equal)")
                                  ->delimiter(',')
                                  ->type_name("W");
    batch->add_option("--probability", options->probability, "Mix each sample with this probability")
        ->capture_default_str();
    add_integer_option(*batch, "--channels", options->channels, "Convert every image to C channels (1-4) as it is read",
                       1, 4)
        ->type_name("C")
        ->default_str("");
    batch->add_flag("--overwrite", options->overwrite, "Replace an earlier resizemix batch output at --output-dir");
    return {batch, [options] { run_batch(*options); }};
}

}  // namespace resizemix_cli
