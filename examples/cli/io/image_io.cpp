// examples/cli/io/image_io.cpp: see image_io.hpp.
#include "image_io.hpp"

#include <fcntl.h>
#include <stb_image_write.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "image_checks.hpp"
#include "staged_output.hpp"

namespace resizemix_cli {

namespace {

/// A file descriptor opened for reading, closed on scope exit.
class input_file {
public:
    input_file(const std::string& path, const std::string& role) : descriptor_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (descriptor_ < 0) {
            throw file_error("cannot open " + role + " " + quoted(path) + ": " + std::strerror(errno));
        }
    }
    input_file(const input_file&) = delete;
    input_file& operator=(const input_file&) = delete;
    ~input_file() { ::close(descriptor_); }
    [[nodiscard]] int get() const noexcept { return descriptor_; }

private:
    int descriptor_;
};

extern "C" void append_to_vector(void* context, void* data, int size) {
    if (size <= 0) return;
    auto* bytes = static_cast<std::vector<std::uint8_t>*>(context);
    const auto* begin = static_cast<const std::uint8_t*>(data);
    bytes->insert(bytes->end(), begin, begin + size);
}

}  // namespace

input_format sniff_format(std::span<const std::uint8_t> bytes) noexcept {
    static constexpr std::uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (bytes.size() >= 8 && std::equal(png_signature, png_signature + 8, bytes.begin())) return input_format::png;
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return input_format::jpeg;
    return input_format::unknown;
}

std::string quoted(const std::string& path) { return "'" + path + "'"; }

std::vector<std::uint8_t> read_file(const std::string& path, const std::string& role, std::uint64_t max_bytes) {
    const input_file file(path, role);
    const auto too_big = [&] {
        return file_error(role + " " + quoted(path) + " is larger than " + std::to_string(max_bytes) +
                          " bytes, more than any PNG or JPEG within the pixel limit needs (raise it with --max-pixels)");
    };
    struct stat status {};
    if (::fstat(file.get(), &status) != 0) {
        throw file_error("cannot read " + role + " " + quoted(path) + ": " + std::strerror(errno));
    }
    if (S_ISDIR(status.st_mode)) throw file_error("cannot read " + role + " " + quoted(path) + ": it is a directory");
    std::vector<std::uint8_t> bytes;
    if (S_ISREG(status.st_mode)) {
        if (static_cast<std::uint64_t>(status.st_size) > max_bytes) throw too_big();
        bytes.reserve(static_cast<std::size_t>(status.st_size));
    }
    std::uint8_t chunk[1U << 16U];
    for (;;) {
        const ::ssize_t got = ::read(file.get(), chunk, sizeof chunk);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw file_error("cannot read " + role + " " + quoted(path) + ": " + std::strerror(errno));
        }
        if (got == 0) break;
        if (bytes.size() + static_cast<std::uint64_t>(got) > max_bytes) throw too_big();
        bytes.insert(bytes.end(), chunk, chunk + got);
    }
    return bytes;
}

decoded_image decode_image(std::span<const std::uint8_t> bytes, const std::string& described, int channels,
                           std::uint64_t max_pixels) {
    if (channels < 0 || channels > 4) throw file_error("decode_image: channels must be 0 to 4, got " + std::to_string(channels));
    detail::probe(bytes, described, max_pixels);
    decoded_image result;
    int channels_in_file = 0;
    result.pixels.reset(stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &result.width,
                                              &result.height, &channels_in_file, channels));
    if (!result.pixels) throw detail::decode_failure(bytes, described);
    result.channels = channels != 0 ? channels : channels_in_file;
    return result;
}

resizemix::saliency_map decode_saliency(std::span<const std::uint8_t> bytes, const std::string& described,
                                        std::uint64_t max_pixels) {
    detail::probe(bytes, described, max_pixels);
    const int size = static_cast<int>(bytes.size());
    int width = 0;
    int height = 0;
    int channels_in_file = 0;
    if (stbi_is_16_bit_from_memory(bytes.data(), size) != 0) {
        const std::unique_ptr<stbi_us, stb_deleter> pixels(
            stbi_load_16_from_memory(bytes.data(), size, &width, &height, &channels_in_file, 1));
        if (!pixels) throw detail::decode_failure(bytes, described);
        const auto count = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
        return resizemix::saliency_map(height, width, std::vector<float>(pixels.get(), pixels.get() + count));
    }
    decoded_image map;
    map.pixels.reset(stbi_load_from_memory(bytes.data(), size, &map.width, &map.height, &channels_in_file, 1));
    if (!map.pixels) throw detail::decode_failure(bytes, described);
    map.channels = 1;
    return resizemix::saliency_from_image(map.view());
}

decoded_image load_image(const std::string& path, const std::string& role, int channels,
                         std::uint64_t max_pixels) {
    const std::vector<std::uint8_t> bytes = read_file(path, role, max_file_bytes(max_pixels));
    return decode_image(bytes, role + " " + quoted(path), channels, max_pixels);
}

resizemix::saliency_map load_saliency(const std::string& path, const std::string& role,
                                      std::uint64_t max_pixels) {
    const std::vector<std::uint8_t> bytes = read_file(path, role, max_file_bytes(max_pixels));
    return decode_saliency(bytes, role + " " + quoted(path), max_pixels);
}

std::optional<output_format> format_from_extension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    const auto slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
    std::string extension = path.substr(dot + 1);
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == "png") return output_format::png;
    if (extension == "jpg" || extension == "jpeg") return output_format::jpeg;
    return std::nullopt;
}

std::vector<std::uint8_t> encode_image(output_format format, const std::uint8_t* pixels, int width, int height,
                                       int channels, const std::string& path) {
    std::vector<std::uint8_t> bytes;
    const int encoded =
        format == output_format::png
            ? stbi_write_png_to_func(append_to_vector, &bytes, width, height, channels, pixels, width * channels)
            : stbi_write_jpg_to_func(append_to_vector, &bytes, width, height, channels, pixels, jpeg_quality);
    if (encoded == 0) throw file_error("cannot write " + quoted(path) + ": stb_image_write could not encode the image");
    return bytes;
}

void write_image_atomically(const std::string& path, output_format format, const std::uint8_t* pixels, int width,
                            int height, int channels) {
    staged_output::file(path, encode_image(format, pixels, width, height, channels, path)).commit();
}

}  // namespace resizemix_cli
