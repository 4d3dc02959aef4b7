// examples/cli/io/image_io.hpp: reading and writing image files for the resizemix
// CLI, its tests and its fuzzers (the resizemix_image_io library).
//
// Files are read into memory (at most max_file_bytes(max_pixels) bytes) and
// decoded from there by stb_image: only PNG and JPEG are accepted (by their
// signature), the header is probed so images above the pixel limit are refused
// before anything big is allocated, and a PNG whose compressed data would
// inflate beyond what its declared size needs (a zlib bomb) is refused before
// stb_image inflates it. decode_image() and decode_saliency() are the in-memory
// entry points (the fuzzers call them). Output is encoded in memory and written
// through staged_output (staged_output.hpp), so it appears whole or not at all.
#pragma once

#include <stb_image.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <resizemix/saliency_map.hpp>
#include <resizemix/view.hpp>

namespace resizemix_cli {

/// A file that cannot be opened, read, decoded or written; the message names the file.
class file_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Frees what stb_image allocated.
struct stb_deleter {
    void operator()(void* pixels) const noexcept { stbi_image_free(pixels); }
};

/// 8-bit interleaved pixels decoded by stb_image.
struct decoded_image {
    std::unique_ptr<std::uint8_t, stb_deleter> pixels;
    int width = 0;
    int height = 0;
    int channels = 0;

    [[nodiscard]] resizemix::image_view<std::uint8_t> view() const {
        return resizemix::from_hwc(pixels.get(), height, width, channels);
    }
};

/// The pixel limit the CLI uses unless --max-pixels says otherwise.
inline constexpr std::uint64_t default_max_pixels = 100'000'000;

/// The largest file read for an image of at most `max_pixels` pixels: 8 bytes a
/// pixel (16-bit RGBA, stored uncompressed) plus 16 MiB for metadata. Nothing
/// bigger can be a sane PNG or JPEG of that size.
[[nodiscard]] constexpr std::uint64_t max_file_bytes(std::uint64_t max_pixels) noexcept {
    constexpr std::uint64_t metadata = std::uint64_t{16} << 20U;
    constexpr std::uint64_t ceiling = std::numeric_limits<std::uint64_t>::max() / 2;
    return max_pixels > (ceiling - metadata) / 8 ? ceiling : max_pixels * 8 + metadata;
}

/// The image file formats the CLI reads, recognised by their first bytes.
enum class input_format { png, jpeg, unknown };

/// PNG (the 8-byte signature) or JPEG (FF D8 FF), else unknown.
[[nodiscard]] input_format sniff_format(std::span<const std::uint8_t> bytes) noexcept;

/// "'path'", as messages quote file names.
[[nodiscard]] std::string quoted(const std::string& path);

/// The whole file, refusing anything above `max_bytes` (a regular file is refused
/// from its size, before reading; a pipe as soon as it passes the limit). `role`
/// names it in messages ("labels", "source image").
[[nodiscard]] std::vector<std::uint8_t> read_file(const std::string& path, const std::string& role,
                                                  std::uint64_t max_bytes);

/// Decodes a PNG or JPEG held in memory to 8 bits per channel. `described` names
/// it in messages (for example "source image 'a.png'"). `channels` 0 keeps the
/// file's channel count; 1-4 converts (gray, gray+alpha, RGB, RGBA) as stb_image
/// does. Throws file_error, before any large allocation, for anything that is
/// not a PNG or JPEG, above `max_pixels`, or a PNG zlib bomb.
[[nodiscard]] decoded_image decode_image(std::span<const std::uint8_t> bytes, const std::string& described,
                                         int channels, std::uint64_t max_pixels);

/// Decodes a saliency map held in memory: a grayscale image of any size (colour
/// is converted to luminance). 16-bit files keep their 16 bits, so ties at the
/// maximum are not created by rounding. Same checks as decode_image.
[[nodiscard]] resizemix::saliency_map decode_saliency(std::span<const std::uint8_t> bytes,
                                                      const std::string& described, std::uint64_t max_pixels);

/// Decodes an image file to 8 bits per channel (see decode_image). `role` names
/// it in messages ("source image"). Files above max_file_bytes(max_pixels) are
/// refused without being read.
[[nodiscard]] decoded_image load_image(const std::string& path, const std::string& role, int channels,
                                       std::uint64_t max_pixels);

/// Reads a saliency map file (see decode_saliency).
[[nodiscard]] resizemix::saliency_map load_saliency(const std::string& path, const std::string& role,
                                                    std::uint64_t max_pixels);

/// The file formats the CLI writes.
enum class output_format { png, jpeg };

/// The format named by the path's extension (.png, .jpg, .jpeg, any case), if any.
[[nodiscard]] std::optional<output_format> format_from_extension(const std::string& path);

/// JPEG quality used for .jpg / .jpeg output.
inline constexpr int jpeg_quality = 95;
/// The largest width or height a JPEG header can hold.
inline constexpr int jpeg_max_side = 65535;

/// `pixels` (interleaved, dense) encoded as PNG or JPEG in memory. `path` names
/// the destination in the error thrown when stb_image_write fails.
[[nodiscard]] std::vector<std::uint8_t> encode_image(output_format format, const std::uint8_t* pixels, int width,
                                                     int height, int channels, const std::string& path);

/// Encodes `pixels` and writes them to `path` all or nothing (a staged_output
/// file renamed over `path` once complete): on any failure or interrupt an
/// existing file at `path` is left untouched and nothing is left beside it.
void write_image_atomically(const std::string& path, output_format format, const std::uint8_t* pixels, int width,
                            int height, int channels);

}  // namespace resizemix_cli
