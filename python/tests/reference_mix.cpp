// python/tests/reference_mix.cpp: the C++ side of the binding's byte-identity tests.
//
// Mixes a raw batch with the C++ library directly (concrete mixer types, no
// binding code) and writes the output pixels, the soft labels and one record
// line per sample, so test_identity.py can compare them with what the Python
// module produced for the same options. Usage (every option is required unless noted):
//   resizemix_python_reference --mixer resizemix|cutmix|mixup|one_of|sometimes
//     --dtype u8|f32 --layout nchw|nhwc --shape N C H W --input FILE --output FILE
//     --records FILE [--labels FILE --num-classes K --soft-labels FILE [--smoothing E]]
//     [--targets FILE --columns K --soft-labels FILE]  (dense float32 N x K targets instead)
//     [--seed S] [--epoch E] [--step S] [--rank R] [--sample-ids I ...] [--threads T]
//     [--pairing shuffle|flip] [--per-batch] [--box-sampling clip|inside]
//     [--scale-min A --scale-max B] [--alpha A] [--paste-region R] [--source-region R]
//     [--interpolation I] [--pair STREAM] [--repeats R]
//     [--augment after|before] [--num-ops N] [--magnitude M] [--bins B]
//     [--warp-interpolation nearest|bilinear] [--fill V ...]
//   resizemix_python_reference --op NAME --value M ... (the pixel and warp options above)
//   resizemix_python_reference --rand-augment ... (the pixel, policy and warp options above)
// --pair STREAM mixes sample 0 (source) into sample 1 (target) with rng(seed, STREAM)
// and writes that one image. one_of is one_of(weighted{resize_mix, 0.5},
// weighted{cut_mix, 0.5}) and sometimes is sometimes(resize_mix, 0.5), both
// with the parameters given. --augment after is augment_after(resize_mix, rand_augment)
// (ResizeMix+), --augment before is augment_before(cut_mix, rand_augment), each with
// the --mixer (resizemix, cutmix) and policy options given; --repeats R > 1 runs
// mix_batch_repeated into R x N samples. --op applies one operation (by its
// torchvision name) to every sample; --rand-augment augments sample i with
// rng(seed, i) and writes its ops as records. Records of pipelines end with
// "paste X Y W H" and one "OP:MAGNITUDE:STAGE" (enumerator values) per operation.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <resizemix/resizemix.hpp>

namespace {

using arguments = std::map<std::string, std::vector<std::string>>;

arguments parse(int argc, char** argv) {
    arguments parsed;
    std::string key;
    for (int k = 1; k < argc; ++k) {
        const std::string word = argv[k];
        if (word.rfind("--", 0) == 0) {
            key = word.substr(2);
            parsed[key];
        } else {
            parsed[key].push_back(word);
        }
    }
    return parsed;
}

std::string text(const arguments& args, const std::string& key, const std::string& fallback = "") {
    const auto found = args.find(key);
    if (found == args.end() || found->second.empty()) {
        if (fallback.empty()) throw std::runtime_error("missing --" + key);
        return fallback;
    }
    return found->second.front();
}

resizemix::region region_of(const std::string& name) {
    if (name == "random") return resizemix::region::random;
    if (name == "corresponding") return resizemix::region::corresponding;
    if (name == "salient") return resizemix::region::salient;
    return resizemix::region::non_salient;
}

resizemix::interpolation interpolation_of(const std::string& name) {
    if (name == "nearest") return resizemix::interpolation::nearest;
    if (name == "area") return resizemix::interpolation::area;
    return resizemix::interpolation::bilinear;
}

std::vector<char> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const void* data, std::size_t bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
}

void write_ops(std::FILE* file, const std::vector<resizemix::applied_op>& ops) {
    for (const auto& step : ops) {
        std::fprintf(file, " %d:%.17g:%d", static_cast<int>(step.op), step.magnitude, static_cast<int>(step.stage));
    }
}

void write_record(std::FILE* file, resizemix::index_t partner, const resizemix::mix_info& info) {
    std::fprintf(file, "%td %.17g %.17g %td %td %td %td %td %td %td %td %s %d", partner, info.lambda, info.tau,
                 info.box.x, info.box.y, info.box.width, info.box.height, info.source_box.x, info.source_box.y,
                 info.source_box.width, info.source_box.height, std::string(info.method).c_str(), info.choice);
    if (!info.paste_box.empty() || !info.augmentations.empty()) {
        std::fprintf(file, " paste %td %td %td %td", info.paste_box.x, info.paste_box.y, info.paste_box.width,
                     info.paste_box.height);
        write_ops(file, info.augmentations);
    }
    std::fprintf(file, "\n");
}

resizemix::warp_options warp_of(const arguments& args) {
    resizemix::warp_options options;
    options.interpolation = text(args, "warp-interpolation", "nearest") == "bilinear"
                                ? resizemix::interpolation::bilinear
                                : resizemix::interpolation::nearest;
    if (args.count("fill")) {
        for (const auto& value : args.at("fill")) options.fill.push_back(std::stod(value));
    }
    return options;
}

resizemix::rand_augment policy_of(const arguments& args) {
    const resizemix::warp_options warp = warp_of(args);
    return resizemix::rand_augment{.num_ops = std::stoi(text(args, "num-ops", "2")),
                                   .magnitude = std::stoi(text(args, "magnitude", "9")),
                                   .num_magnitude_bins = std::stoi(text(args, "bins", "31")),
                                   .interpolation = warp.interpolation,
                                   .fill = warp.fill};
}

resizemix::augment_op op_of(const std::string& name) {
    for (int k = 0; k < resizemix::augment_op_count; ++k) {
        const auto op = static_cast<resizemix::augment_op>(k);
        if (resizemix::to_string(op) == name) return op;
    }
    throw std::runtime_error("unknown --op " + name);
}

template <class T, class Mixer>
void run(const arguments& args, const Mixer& mixer) {
    const auto& shape = args.at("shape");
    const auto count = std::stol(shape.at(0));
    const auto channels = std::stol(shape.at(1));
    const auto height = std::stol(shape.at(2));
    const auto width = std::stol(shape.at(3));
    const bool last = text(args, "layout") == "nhwc";
    const std::vector<char> raw = read_file(text(args, "input"));
    std::vector<T> input(raw.size() / sizeof(T));
    std::memcpy(input.data(), raw.data(), input.size() * sizeof(T));
    std::vector<T> output(input.size());
    auto view = [&](auto* data) {
        return last ? resizemix::from_nhwc(data, count, height, width, channels)
                    : resizemix::from_nchw(data, count, channels, height, width);
    };
    std::FILE* records = std::fopen(text(args, "records").c_str(), "w");
    const std::uint64_t seed = std::stoull(text(args, "seed", "0"));
    if (args.count("op") || args.count("rand-augment")) {
        const auto input_batch = resizemix::batch_view<const T>(view(input.data()));
        const auto output_batch = view(output.data());
        const resizemix::rand_augment policy = policy_of(args);
        for (long i = 0; i < count; ++i) {
            if (args.count("op")) {
                resizemix::apply_op(op_of(text(args, "op")), input_batch[i], output_batch[i],
                                    std::stod(text(args, "value")), warp_of(args));
            } else {
                resizemix::rng random(seed, static_cast<std::uint64_t>(i));
                write_ops(records, policy(input_batch[i], output_batch[i], random));
                std::fprintf(records, "\n");
            }
        }
        std::fclose(records);
        write_file(text(args, "output"), output.data(), output.size() * sizeof(T));
        return;
    }
    if (args.count("pair")) {
        resizemix::rng random(seed, std::stoull(text(args, "pair")));
        const auto batch = view(input.data());
        const auto info = mixer(resizemix::image_view<const T>(batch[0]), resizemix::image_view<const T>(batch[1]),
                                view(output.data())[1], random);
        write_record(records, 0, info);
        const auto image_size = output.size() / static_cast<std::size_t>(count);
        write_file(text(args, "output"), output.data() + image_size, image_size * sizeof(T));
        std::fclose(records);
        return;
    }
    resizemix::batch_options options;
    options.seed = seed;
    options.epoch = std::stoull(text(args, "epoch", "0"));
    options.step = std::stoull(text(args, "step", "0"));
    options.rank = std::stoull(text(args, "rank", "0"));
    if (args.count("sample-ids")) {
        for (const auto& id : args.at("sample-ids")) options.sample_ids.push_back(std::stoull(id));
    }
    options.threads = static_cast<unsigned>(std::stoul(text(args, "threads", "1")));
    options.pairing = text(args, "pairing", "shuffle") == "flip" ? resizemix::pairing::flip : resizemix::pairing::shuffle;
    if (args.count("per-batch")) options.parameters = resizemix::parameter_sharing::per_batch;
    std::vector<std::int64_t> labels;
    if (args.count("labels")) {
        const std::vector<char> label_bytes = read_file(text(args, "labels"));
        labels.resize(label_bytes.size() / sizeof(std::int64_t));
        std::memcpy(labels.data(), label_bytes.data(), label_bytes.size());
        options.num_classes = std::stol(text(args, "num-classes"));
        options.label_smoothing = std::stof(text(args, "smoothing", "0"));
    }
    const auto input_view = resizemix::batch_view<const T>(view(input.data()));
    resizemix::batch_result result;
    const long repeats = std::stol(text(args, "repeats", "1"));
    if (repeats > 1) {
        output.resize(input.size() * static_cast<std::size_t>(repeats));
        const auto repeated = last ? resizemix::from_nhwc(output.data(), repeats * count, height, width, channels)
                                   : resizemix::from_nchw(output.data(), repeats * count, channels, height, width);
        result = resizemix::mix_batch_repeated(mixer, input_view, std::span<const std::int64_t>(labels), repeated,
                                               repeats, options);
    } else if (args.count("targets")) {
        const std::vector<char> target_bytes = read_file(text(args, "targets"));
        std::vector<float> targets(target_bytes.size() / sizeof(float));
        std::memcpy(targets.data(), target_bytes.data(), target_bytes.size());
        using rows = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        const Eigen::Map<const rows> matrix(targets.data(), count, std::stol(text(args, "columns")));
        result = resizemix::mix_batch(mixer, input_view, matrix, view(output.data()), options);
    } else {
        result = resizemix::mix_batch(mixer, input_view, labels, view(output.data()), options);
    }
    for (const auto& record : result.samples) write_record(records, record.partner, record.info);
    std::fclose(records);
    write_file(text(args, "output"), output.data(), output.size() * sizeof(T));
    if (result.labels.size() > 0) {
        const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = result.labels;
        write_file(text(args, "soft-labels"), rows.data(), static_cast<std::size_t>(rows.size()) * sizeof(float));
    }
}

template <class T>
void dispatch(const arguments& args) {
    const resizemix::resize_mix resize{.scale_min = std::stof(text(args, "scale-min", "0.1")),
                                       .scale_max = std::stof(text(args, "scale-max", "0.8")),
                                       .paste_region = region_of(text(args, "paste-region", "random")),
                                       .interpolation = interpolation_of(text(args, "interpolation", "bilinear"))};
    const resizemix::cut_mix cut{.alpha = std::stof(text(args, "alpha", "1")),
                                 .source_region = region_of(text(args, "source-region", "random")),
                                 .paste_region = region_of(text(args, "cut-paste-region", "corresponding")),
                                 .box_sampling = text(args, "box-sampling", "clip") == "inside"
                                                     ? resizemix::box_sampling::inside
                                                     : resizemix::box_sampling::clip};
    const std::string method = text(args, "mixer", "resizemix");
    if (args.count("augment")) {  // one pipeline type per order: each costs seconds of compile time
        const bool after = text(args, "augment") == "after";
        if (after && method == "resizemix") return run<T>(args, resizemix::augment_after(resize, policy_of(args)));
        if (!after && method == "cutmix") return run<T>(args, resizemix::augment_before(cut, policy_of(args)));
        throw std::runtime_error("--augment after takes --mixer resizemix, --augment before --mixer cutmix");
    }
    if (method == "resizemix") return run<T>(args, resize);
    if (method == "cutmix") return run<T>(args, cut);
    if (method == "mixup") return run<T>(args, resizemix::mixup{.alpha = std::stof(text(args, "alpha", "1"))});
    if (method == "one_of") {
        return run<T>(args, resizemix::one_of(resizemix::weighted{resize, 0.5}, resizemix::weighted{cut, 0.5}));
    }
    if (method == "sometimes") return run<T>(args, resizemix::sometimes(resize, 0.5));
    throw std::runtime_error("unknown --mixer " + method);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const arguments args = parse(argc, argv);
        if (text(args, "dtype") == "u8") {
            dispatch<std::uint8_t>(args);
        } else {
            dispatch<float>(args);
        }
    } catch (const std::exception& e) {
        std::cerr << "resizemix_python_reference: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
