// tests/torchvision/augment_dump.cpp: runs RandAugment operations on raw images for compare_augment.py.
//
// Reads a manifest, one case a line:
//   op <name> <magnitude> <u8|f32> <nearest|bilinear> <fill|-> <C> <H> <W> <input.raw> <output.raw>
//   policy <num_ops> <magnitude> <bins> <seed> <u8|f32> <C> <H> <W> <input.raw> <output.raw> <ops.txt>
//   auto <imagenet|cifar10|svhn> <sub-policy> <run0> <run1> <negative0> <negative1> <u8|f32> <C> <H> <W> <input.raw> <output.raw> <ops.txt>
//   trivial <name> <bin> <negative> <u8|f32> <C> <H> <W> <input.raw> <output.raw> <ops.txt>
//   tables <output.txt>   (AutoAugment's tables: "<policy> <sub-policy> <Name> <probability> <bin|None>" a line)
// Images are raw planar CHW (uint8 or float32, native byte order). The op case runs the operation
// through the strided, interleaved layout (the Catch2 tests show every layout gives the same bytes);
// the policy case writes the ops it drew, "<Name> <magnitude>" a line, so Python can replay them.
// The auto (AutoAugment) and trivial (TrivialAugmentWide) cases run one sub-policy or operation with
// the choices that are random in torchvision given on the line, and write the ops the same way.
#include <array>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <resizemix/augment/auto_augment.hpp>
#include <resizemix/augment/rand_augment.hpp>
#include <resizemix/augment/trivial_augment.hpp>
#include <resizemix/image.hpp>

namespace {

using resizemix::index_t;

template <class T>
std::vector<T> read_raw(const std::string& path, std::size_t count) {
    std::vector<T> values(count);
    std::ifstream file(path, std::ios::binary);
    file.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(count * sizeof(T)));
    if (!file) throw std::runtime_error("cannot read " + path);
    return values;
}

template <class T>
void write_raw(const std::string& path, resizemix::image_view<const T> view) {
    std::vector<T> values;
    values.reserve(static_cast<std::size_t>(view.size()));
    for (index_t c = 0; c < view.channels(); ++c)
        for (index_t y = 0; y < view.height(); ++y)
            for (index_t x = 0; x < view.width(); ++x) values.push_back(view(c, y, x));
    std::ofstream file(path, std::ios::binary);
    file.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(T)));
    if (!file) throw std::runtime_error("cannot write " + path);
}

resizemix::augment_op op_named(const std::string& name) {
    for (int k = 0; k < resizemix::augment_op_value_count; ++k) {
        const auto op = static_cast<resizemix::augment_op>(k);
        if (resizemix::to_string(op) == name) return op;
    }
    throw std::runtime_error("unknown op " + name);
}

template <class T>
void run_op(std::istringstream& fields) {
    std::string name, interpolation, fill, input, output;
    double magnitude = 0.0;
    index_t channels = 0, height = 0, width = 0;
    fields >> name >> magnitude;
    std::string dtype;
    fields >> dtype >> interpolation >> fill >> channels >> height >> width >> input >> output;
    resizemix::warp_options options;
    options.interpolation = interpolation == "bilinear" ? resizemix::interpolation::bilinear
                                                        : resizemix::interpolation::nearest;
    if (fill != "-") {
        std::istringstream values(fill);
        std::string value;
        while (std::getline(values, value, ',')) options.fill.push_back(std::stod(value));
    }
    const std::vector<T> pixels = read_raw<T>(input, static_cast<std::size_t>(channels * height * width));
    const auto planar = resizemix::from_chw(pixels.data(), channels, height, width);
    // Interleaved rows with two spare pixels each: a strided view that is neither dense HWC nor CHW.
    const index_t row = (width + 2) * channels;
    std::vector<T> storage(static_cast<std::size_t>(row * height));
    const auto strided = resizemix::from_strides(storage.data(), channels, height, width, 1, row, channels);
    resizemix::apply_op(op_named(name), planar, strided, magnitude, options);
    write_raw<T>(output, strided);
}

void write_ops(const std::string& path, const std::vector<resizemix::applied_op>& applied) {
    std::ofstream ops(path);
    ops << std::setprecision(17);
    for (const auto& step : applied) ops << resizemix::to_string(step.op) << ' ' << step.magnitude << '\n';
}

template <class T>
void run_policy(std::istringstream& fields) {
    resizemix::rand_augment policy;
    std::uint64_t seed = 0;
    std::string dtype, input, output, record;
    index_t channels = 0, height = 0, width = 0;
    fields >> policy.num_ops >> policy.magnitude >> policy.num_magnitude_bins >> seed >> dtype >> channels >> height >>
        width >> input >> output >> record;
    const std::vector<T> pixels = read_raw<T>(input, static_cast<std::size_t>(channels * height * width));
    resizemix::image<T> result(channels, height, width);
    resizemix::rng random(seed);
    const auto applied = policy(resizemix::from_chw(pixels.data(), channels, height, width), result.view(), random);
    write_raw<T>(output, result.const_view());
    write_ops(record, applied);
}

template <class T>
void run_auto(std::istringstream& fields) {
    std::string policy_name, dtype, input, output, record;
    int index = 0;
    std::array<int, 4> choices{};
    index_t channels = 0, height = 0, width = 0;
    fields >> policy_name >> index >> choices[0] >> choices[1] >> choices[2] >> choices[3] >> dtype >> channels >> height >>
        width >> input >> output >> record;
    resizemix::auto_augment augmentation;
    augmentation.policy = policy_name == "imagenet"  ? resizemix::auto_augment_policy::imagenet
                          : policy_name == "cifar10" ? resizemix::auto_augment_policy::cifar10
                                                     : resizemix::auto_augment_policy::svhn;
    std::vector<T> pixels = read_raw<T>(input, static_cast<std::size_t>(channels * height * width));
    const auto applied = augmentation.subpolicy_ops(index, {choices[0] == 1, choices[1] == 1},
                                                    {choices[2] == 1, choices[3] == 1}, height, width);
    const auto image = resizemix::from_chw(pixels.data(), channels, height, width);
    augmentation.apply(applied, image);
    write_raw<T>(output, image);
    write_ops(record, applied);
}

template <class T>
void run_trivial(std::istringstream& fields) {
    std::string name, dtype, input, output, record;
    int bin = 0, negative = 0;
    index_t channels = 0, height = 0, width = 0;
    fields >> name >> bin >> negative >> dtype >> channels >> height >> width >> input >> output >> record;
    const resizemix::trivial_augment_wide augmentation;
    const auto op = op_named(name);
    double magnitude = augmentation.magnitude_of(op, bin, height, width);
    if (resizemix::is_signed(op) && negative == 1) magnitude = -magnitude;
    std::vector<T> pixels = read_raw<T>(input, static_cast<std::size_t>(channels * height * width));
    const std::vector<resizemix::applied_op> applied{{op, magnitude}};
    const auto image = resizemix::from_chw(pixels.data(), channels, height, width);
    augmentation.apply(applied, image);
    write_raw<T>(output, image);
    write_ops(record, applied);
}

void write_tables(const std::string& path) {
    std::ofstream tables(path);
    tables << std::setprecision(17);
    for (const auto policy : {resizemix::auto_augment_policy::imagenet, resizemix::auto_augment_policy::cifar10,
                              resizemix::auto_augment_policy::svhn}) {
        int index = 0;
        for (const auto& steps : resizemix::auto_augment_subpolicies(policy)) {
            for (const auto& step : steps) {
                tables << resizemix::to_string(policy) << ' ' << index << ' ' << resizemix::to_string(step.op) << ' '
                       << step.probability << ' ';
                if (step.magnitude_bin < 0) {
                    tables << "None\n";
                } else {
                    tables << step.magnitude_bin << '\n';
                }
            }
            ++index;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: augment_dump <manifest>\n";
        return 2;
    }
    try {
        std::ifstream manifest(argv[1]);
        std::string line;
        while (std::getline(manifest, line)) {
            std::istringstream fields(line);
            std::string kind;
            fields >> kind;
            const bool is_float = line.find(" f32 ") != std::string::npos;
            if (kind == "op") {
                is_float ? run_op<float>(fields) : run_op<std::uint8_t>(fields);
            } else if (kind == "policy") {
                is_float ? run_policy<float>(fields) : run_policy<std::uint8_t>(fields);
            } else if (kind == "tables") {
                std::string path;
                fields >> path;
                write_tables(path);
            } else if (kind == "auto") {
                is_float ? run_auto<float>(fields) : run_auto<std::uint8_t>(fields);
            } else if (kind == "trivial") {
                is_float ? run_trivial<float>(fields) : run_trivial<std::uint8_t>(fields);
            } else if (!kind.empty()) {
                throw std::runtime_error("unknown case kind " + kind);
            }
        }
    } catch (const std::exception& failure) {
        std::cerr << "augment_dump: " << failure.what() << '\n';
        return 1;
    }
    return 0;
}
