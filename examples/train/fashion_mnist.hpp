// fashion_mnist.hpp: reads Fashion-MNIST from its IDX files (gzipped or not).
//
// Debian's dataset-fashion-mnist package puts train-images-idx3-ubyte.gz,
// train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
// t10k-labels-idx1-ubyte.gz under /usr/share/datasets/fashion-mnist. zlib's
// gzread reads gzipped and plain files alike, so unpacked copies work too.
#pragma once

#include <zlib.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fashion_mnist {

inline constexpr const char* default_directory = "/usr/share/datasets/fashion-mnist";
inline constexpr int num_classes = 10;
inline constexpr std::array<const char*, 10> class_names = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

/// One split: `count` grayscale height x width images, row-major uint8, and their classes.
struct split {
    std::int64_t count = 0;
    std::int64_t height = 0;
    std::int64_t width = 0;
    std::vector<std::uint8_t> pixels;  ///< count * height * width bytes
    std::vector<std::int64_t> labels;  ///< count classes in [0, 10)
};

namespace detail {

struct gz_closer {
    void operator()(gzFile file) const noexcept { gzclose(file); }
};
using gz_file = std::unique_ptr<std::remove_pointer_t<gzFile>, gz_closer>;

/// Opens `directory/name.gz`, else `directory/name`; throws with the fix when neither exists.
inline gz_file open(const std::filesystem::path& directory, const std::string& name) {
    for (const auto& candidate : {directory / (name + ".gz"), directory / name}) {
        if (!std::filesystem::is_regular_file(candidate)) continue;
        gz_file file(gzopen(candidate.c_str(), "rb"));
        if (file) return file;
        throw std::runtime_error("fashion-mnist: cannot open " + candidate.string());
    }
    throw std::runtime_error("fashion-mnist: " + (directory / (name + ".gz")).string() +
                             " not found; install Debian's dataset-fashion-mnist package "
                             "(apt-get install dataset-fashion-mnist) or pass --data-dir DIR");
}

inline void read_exactly(gzFile file, void* data, std::size_t size, const std::string& name) {
    auto* bytes = static_cast<unsigned char*>(data);
    while (size > 0) {
        const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size, 1U << 30));
        const int got = gzread(file, bytes, chunk);
        if (got <= 0) throw std::runtime_error("fashion-mnist: " + name + " is truncated or corrupt");
        bytes += got;
        size -= static_cast<std::size_t>(got);
    }
}

inline std::uint32_t read_big_endian(gzFile file, const std::string& name) {
    std::array<unsigned char, 4> b{};
    read_exactly(file, b.data(), b.size(), name);
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

}  // namespace detail

/// Reads the "train" or "t10k" split from `directory`; throws std::runtime_error on any problem.
inline split load(const std::filesystem::path& directory, const std::string& prefix) {
    split result;
    {
        const std::string name = prefix + "-images-idx3-ubyte";
        const auto file = detail::open(directory, name);
        if (detail::read_big_endian(file.get(), name) != 0x00000803U) {
            throw std::runtime_error("fashion-mnist: " + name + " is not an IDX image file (bad magic number)");
        }
        result.count = detail::read_big_endian(file.get(), name);
        result.height = detail::read_big_endian(file.get(), name);
        result.width = detail::read_big_endian(file.get(), name);
        if (result.count < 1 || result.height < 1 || result.width < 1 || result.height > 4096 || result.width > 4096) {
            throw std::runtime_error("fashion-mnist: " + name + " has an implausible shape");
        }
        result.pixels.resize(static_cast<std::size_t>(result.count * result.height * result.width));
        detail::read_exactly(file.get(), result.pixels.data(), result.pixels.size(), name);
    }
    {
        const std::string name = prefix + "-labels-idx1-ubyte";
        const auto file = detail::open(directory, name);
        if (detail::read_big_endian(file.get(), name) != 0x00000801U) {
            throw std::runtime_error("fashion-mnist: " + name + " is not an IDX label file (bad magic number)");
        }
        if (detail::read_big_endian(file.get(), name) != static_cast<std::uint32_t>(result.count)) {
            throw std::runtime_error("fashion-mnist: " + name + " does not have one label per image");
        }
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(result.count));
        detail::read_exactly(file.get(), bytes.data(), bytes.size(), name);
        result.labels.assign(bytes.begin(), bytes.end());
        for (const auto label : result.labels) {
            if (label >= num_classes) throw std::runtime_error("fashion-mnist: " + name + " has a label above 9");
        }
    }
    return result;
}

}  // namespace fashion_mnist
