// examples/cli/image_io.hpp: reading and writing image files for the resizemix CLI.
//
// Files are read into memory (at most max_file_bytes(max_pixels) bytes) and
// decoded from there by stb_image: only PNG and JPEG are accepted (by their
// signature), the header is probed so images above the pixel limit are refused
// before anything big is allocated, and a PNG whose compressed data would
// inflate beyond what its declared size needs (a zlib bomb) is refused before
// stb_image inflates it. Output goes to a temporary file beside the destination
// that is renamed into place only when it is complete. decode_image() and
// decode_saliency() are the in-memory entry points (the fuzzers call them).
#pragma once

#include <fcntl.h>
#include <stb_image.h>
#include <stb_image_write.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <resizemix/saliency.hpp>
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
[[nodiscard]] inline input_format sniff_format(std::span<const std::uint8_t> bytes) noexcept {
    static constexpr std::uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (bytes.size() >= 8 && std::equal(png_signature, png_signature + 8, bytes.begin())) return input_format::png;
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return input_format::jpeg;
    return input_format::unknown;
}

namespace detail {

inline std::string quoted(const std::string& path) { return "'" + path + "'"; }

/// stb_image's last failure reason, printable: its "unknown chunk" reason embeds the
/// chunk type's raw bytes (a newline or control codes, from a hostile file), so
/// anything outside printable ASCII becomes '?' and the message stays one line.
inline std::string stb_reason() {
    const char* reason = stbi_failure_reason();
    std::string text = reason != nullptr && *reason != '\0' ? reason : "unknown reason";
    for (char& c : text) {
        if (c < 0x20 || c > 0x7E) c = '?';
    }
    return text;
}

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

/// The whole file, refusing anything above `max_bytes` (a regular file is
/// refused from its size, before reading; a pipe as soon as it passes the limit).
inline std::vector<std::uint8_t> read_file(const std::string& path, const std::string& role, std::uint64_t max_bytes) {
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

inline std::uint32_t big_endian_32(const std::uint8_t* p) noexcept {
    return (std::uint32_t{p[0]} << 24U) | (std::uint32_t{p[1]} << 16U) | (std::uint32_t{p[2]} << 8U) | p[3];
}

/// What a PNG's chunks say, as far as the zlib-bomb check needs it.
struct png_layout {
    bool complete = false;            ///< IHDR first (after an optional CgBI), IEND reached, chunks inside the file
    bool headerless_zlib = false;     ///< Apple's CgBI variant: raw deflate, no zlib header
    std::uint64_t inflated_bytes = 0;  ///< what the declared size, depth, colour type and interlacing need
    std::vector<std::span<const std::uint8_t>> image_data;  ///< the IDAT payloads, in order
    std::uint64_t compressed_bytes = 0;
    std::string overrun;              ///< a chunk whose data runs past the end of the file: its type and sizes
};

/// Walks the chunks up to IEND as stb_image does. An incomplete or odd layout
/// is left for stb_image to refuse (it reads the same chunks and fails before inflating).
inline png_layout read_png_layout(std::span<const std::uint8_t> bytes) {
    png_layout layout;
    std::size_t at = 8;
    bool seen_header = false;
    std::uint64_t width = 0;
    std::uint64_t height = 0;
    std::uint64_t bits_per_pixel = 0;
    bool interlaced = false;
    constexpr auto tag = [](const char (&name)[5]) {
        return (std::uint32_t(std::uint8_t(name[0])) << 24U) | (std::uint32_t(std::uint8_t(name[1])) << 16U) |
               (std::uint32_t(std::uint8_t(name[2])) << 8U) | std::uint32_t(std::uint8_t(name[3]));
    };
    while (at + 8 <= bytes.size()) {  // stb_image reads a chunk's CRC only after its data, and not IEND's
        const std::uint32_t length = big_endian_32(&bytes[at]);
        const std::uint32_t type = big_endian_32(&bytes[at + 4]);
        if (length > bytes.size() - at - 8 && type != tag("IEND")) {
            // stb_image would fail on it, but only after allocating for an IDAT this long.
            const char name[5] = {char(bytes[at + 4]), char(bytes[at + 5]), char(bytes[at + 6]), char(bytes[at + 7]), 0};
            for (const char c : std::string_view(name, 4)) {
                if (std::isalpha(static_cast<unsigned char>(c)) == 0) return layout;  // not a chunk: stb_image refuses it
            }
            layout.overrun = std::string("its ") + name + " chunk declares " + std::to_string(length) + " bytes but only " +
                             std::to_string(bytes.size() - at - 8) + " are left in the file";
            return layout;
        }
        const std::uint8_t* data = &bytes[at + 8];
        at += 12 + std::size_t{length};
        if (type == tag("CgBI")) {
            layout.headerless_zlib = true;
        } else if (type == tag("IHDR")) {
            if (seen_header || length != 13) return layout;
            seen_header = true;
            width = big_endian_32(data);
            height = big_endian_32(data + 4);
            const std::uint64_t depth = data[8];
            const std::uint8_t colour = data[9];
            const std::uint64_t samples = colour == 0 ? 1 : colour == 2 ? 3 : colour == 3 ? 1 : colour == 4 ? 2 : colour == 6 ? 4 : 0;
            if (samples == 0 || depth == 0 || depth > 16 || width == 0 || height == 0) return layout;
            bits_per_pixel = samples * depth;
            interlaced = data[12] != 0;
        } else if (!seen_header) {
            return layout;  // stb_image wants IHDR first
        } else if (type == tag("IDAT")) {
            layout.image_data.emplace_back(data, length);
            layout.compressed_bytes += length;
        } else if (type == tag("IEND")) {
            const auto row_bytes = [&](std::uint64_t pixels) { return (pixels * bits_per_pixel + 7) / 8; };
            if (!interlaced) {
                layout.inflated_bytes = height * (1 + row_bytes(width));
            } else {  // Adam7: seven passes, each row with its filter byte
                static constexpr std::uint64_t x_origin[7] = {0, 4, 0, 2, 0, 1, 0};
                static constexpr std::uint64_t y_origin[7] = {0, 0, 4, 0, 2, 0, 1};
                static constexpr std::uint64_t x_step[7] = {8, 8, 4, 4, 2, 2, 1};
                static constexpr std::uint64_t y_step[7] = {8, 8, 8, 4, 4, 2, 2};
                for (int pass = 0; pass < 7; ++pass) {
                    const std::uint64_t pass_width = (width + x_step[pass] - 1 - x_origin[pass]) / x_step[pass];
                    const std::uint64_t pass_height = (height + y_step[pass] - 1 - y_origin[pass]) / y_step[pass];
                    if (pass_width > 0 && pass_height > 0) layout.inflated_bytes += pass_height * (1 + row_bytes(pass_width));
                }
            }
            layout.complete = true;
            return layout;
        }
    }
    return layout;
}

/// The most a deflate stream can expand (a length-258 match coded in one bit, one
/// bit for the distance: 258 * 8 / 2 = 1032), with a margin.
inline constexpr std::uint64_t deflate_max_ratio = 1040;
/// Inflating up to this much is harmless whatever the declared size; above it, PNG data is checked.
inline constexpr std::uint64_t zlib_check_floor = std::uint64_t{64} << 20U;

/// Refuses a PNG whose IDAT stream inflates to more than its declared size needs,
/// or one with a chunk running past the end of the file. stb_image inflates into a
/// buffer it doubles as needed, so without this a 1 MB file declaring 1 x 1 pixels
/// could make it allocate about 1 GB; and it grows its IDAT buffer to a chunk's
/// declared length before reading it, so a 60-byte file could make it allocate 1 GB
/// (found by fuzz/fuzz_decode_mix).
inline void check_png_inflation(std::span<const std::uint8_t> bytes, const std::string& described) {
    const png_layout layout = read_png_layout(bytes);
    if (!layout.overrun.empty()) throw file_error(described + " is a truncated or corrupt PNG: " + layout.overrun);
    if (!layout.complete || layout.image_data.empty()) return;
    // Slack for encoders that add a little: stb_image accepts trailing data.
    const std::uint64_t allowed = layout.inflated_bytes + layout.inflated_bytes / 8 + 4096;
    if (layout.compressed_bytes * deflate_max_ratio <= std::max(allowed, zlib_check_floor)) return;  // cannot be a bomb
    constexpr auto int_max = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
    if (allowed > int_max || layout.compressed_bytes > int_max) return;  // stb_image refuses these sizes itself
    std::vector<char> compressed;
    compressed.reserve(static_cast<std::size_t>(layout.compressed_bytes));
    for (const auto& part : layout.image_data) compressed.insert(compressed.end(), part.begin(), part.end());
    std::vector<char> inflated(static_cast<std::size_t>(allowed));
    const int got = layout.headerless_zlib
                        ? stbi_zlib_decode_noheader_buffer(inflated.data(), static_cast<int>(allowed), compressed.data(),
                                                           static_cast<int>(compressed.size()))
                        : stbi_zlib_decode_buffer(inflated.data(), static_cast<int>(allowed), compressed.data(),
                                                  static_cast<int>(compressed.size()));
    if (got < 0 && stb_reason() == std::string("output buffer limit")) {
        throw file_error(described + " is a PNG whose compressed data inflates to more than the " +
                         std::to_string(layout.inflated_bytes) +
                         " bytes its declared size needs (a decompression bomb?); refused before decoding");
    }
    // Other failures (corrupt data) are left for stb_image to report.
}

/// The width and height a PNG's IHDR or a JPEG's first SOF marker declares, read
/// without stb_image (whose header probe answers only "unknown image type" when it
/// refuses a size); nullopt when there is no such header. The JPEG markers are
/// walked as stb_image walks them: segments by their length, junk between them skipped.
inline std::optional<std::pair<std::uint64_t, std::uint64_t>> declared_size(std::span<const std::uint8_t> bytes,
                                                                            input_format format) {
    if (format == input_format::png) {
        std::size_t at = 8;  // the first chunk: IHDR, or Apple's CgBI then IHDR
        if (bytes.size() >= at + 8 && std::memcmp(&bytes[at + 4], "CgBI", 4) == 0) {
            at += 12 + std::size_t{big_endian_32(&bytes[at])};
        }
        if (at > bytes.size() || bytes.size() - at < 16 || std::memcmp(&bytes[at + 4], "IHDR", 4) != 0) return std::nullopt;
        return std::pair<std::uint64_t, std::uint64_t>{big_endian_32(&bytes[at + 8]), big_endian_32(&bytes[at + 12])};
    }
    if (format != input_format::jpeg) return std::nullopt;
    std::size_t at = 2;  // after SOI
    while (at + 4 <= bytes.size()) {
        if (bytes[at] != 0xFF) {  // junk between segments: stb_image skips it
            ++at;
            continue;
        }
        const std::uint8_t marker = bytes[at + 1];
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length field
            at += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // EOI or SOS before any SOF
        const std::size_t length = (std::size_t{bytes[at + 2]} << 8U) | bytes[at + 3];
        const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            if (at + 9 > bytes.size()) return std::nullopt;
            const std::uint64_t height = (std::uint64_t{bytes[at + 5]} << 8U) | bytes[at + 6];
            const std::uint64_t width = (std::uint64_t{bytes[at + 7]} << 8U) | bytes[at + 8];
            return std::pair<std::uint64_t, std::uint64_t>{width, height};
        }
        at += 2 + length;
    }
    return std::nullopt;
}

inline void check_pixel_limit(std::uint64_t width, std::uint64_t height, const std::string& described,
                              std::uint64_t max_pixels) {
    // Both are below 2^32, so the product cannot overflow.
    const std::uint64_t pixels = width * height;
    if (pixels > max_pixels) {
        throw file_error(described + " is " + std::to_string(width) + "x" + std::to_string(height) + " = " +
                         std::to_string(pixels) + " pixels, above the limit of " + std::to_string(max_pixels) +
                         " (raise it with --max-pixels)");
    }
}

/// Two stb_image 2.27 (Debian 12's libstb) bugs on hostile JPEGs, both found by
/// fuzz/fuzz_decode_mix, are kept away by refusing the files that trigger them
/// before stb_image reads them:
///  - a DHT table declaring more than 256 codes: stbi__build_huffman fills its
///    size[257] array with up to 4080 entries, over the rest of the decoder state;
///  - a scan using a Huffman table no DHT defined: stb_image decodes with the
///    uninitialised heap memory of that table and reads values[c] far out of bounds.
/// (Upstream 2.28 checks both.) The markers are walked as stb_image walks them
/// (segments by their length, scan data byte by byte, fill bytes skipped), so
/// every DHT and SOS it could act on is seen.
inline void check_jpeg_huffman_tables(std::span<const std::uint8_t> bytes, const std::string& described) {
    const auto byte_at = [&](std::size_t i) -> std::uint32_t { return i < bytes.size() ? bytes[i] : 0; };  // stb reads 0 past the end
    bool seen_frame = false;
    bool progressive = false;
    bool dc_defined[4] = {};
    bool ac_defined[4] = {};
    std::size_t at = 2;  // after SOI
    while (at < bytes.size()) {
        if (bytes[at] != 0xFF) {  // scan data, or junk stb_image skips
            ++at;
            continue;
        }
        std::size_t next = at + 1;
        while (next < bytes.size() && bytes[next] == 0xFF) ++next;  // fill bytes
        if (next >= bytes.size()) return;
        const std::uint8_t marker = bytes[next];
        at = next + 1;
        if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // stuffing, TEM, RSTn, SOI
        if (marker == 0xD9) return;  // EOI: stb_image reads no further
        const std::size_t length = (byte_at(at) << 8U) | byte_at(at + 1);
        if (marker == 0xC4) {
            // As stbi__process_marker does: tables until the segment's length is used up.
            std::int64_t left = static_cast<std::int64_t>(length) - 2;
            std::size_t table = at + 2;
            while (left > 0) {
                const std::uint32_t kind = byte_at(table) >> 4U;
                const std::uint32_t slot = byte_at(table) & 15U;
                if (kind > 1 || slot > 3) break;  // stb_image refuses the segment here
                std::uint32_t codes = 0;
                for (std::size_t i = 1; i <= 16; ++i) codes += byte_at(table + i);
                if (codes > 256) {
                    throw file_error(described + " is a JPEG with a Huffman table of " + std::to_string(codes) +
                                     " codes (at most 256 exist); refused: stb_image 2.27 would write past its tables");
                }
                (kind == 0 ? dc_defined : ac_defined)[slot] = true;
                table += 17 + codes;
                left -= 17 + static_cast<std::int64_t>(codes);
            }
        } else if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
            if (!seen_frame) progressive = marker == 0xC2;  // stb_image decodes by the first frame header
            seen_frame = true;
        } else if (marker == 0xDA) {
            // Which tables the scan decodes with, as stb_image uses them: sequential scans
            // use both; progressive DC scans the DC table (first pass only), AC scans the AC table.
            const std::uint32_t components = std::min<std::uint32_t>(byte_at(at + 2), 4);
            const std::size_t after = at + 3 + 2 * std::size_t{byte_at(at + 2)};
            const bool dc_scan = byte_at(after) == 0;
            const bool first_pass = (byte_at(after + 2) >> 4U) == 0;
            for (std::uint32_t i = 0; i < components; ++i) {
                const std::uint32_t dc = byte_at(at + 4 + 2 * i) >> 4U;
                const std::uint32_t ac = byte_at(at + 4 + 2 * i) & 15U;
                if (dc > 3 || ac > 3) continue;  // stb_image refuses these itself
                const bool uses_dc = !progressive || (dc_scan && first_pass);
                const bool uses_ac = !progressive || !dc_scan;
                if ((uses_dc && !dc_defined[dc]) || (uses_ac && !ac_defined[ac])) {
                    throw file_error(described + " is a JPEG whose scan uses Huffman table " +
                                     (uses_dc && !dc_defined[dc] ? "DC " + std::to_string(dc) : "AC " + std::to_string(ac)) +
                                     ", which no DHT segment defines; refused: stb_image 2.27 would decode with "
                                     "uninitialised memory");
                }
            }
        }
        at += length;  // the segment; after SOS the scan data follows and is walked byte by byte
    }
}

/// Reads the header only: size and channels, and refuses images above `max_pixels`
/// before anything big is allocated (a tiny PNG can claim to be gigapixels).
inline void probe(std::span<const std::uint8_t> bytes, const std::string& described, std::uint64_t max_pixels) {
    const input_format format = sniff_format(bytes);
    if (format == input_format::unknown) {
        throw file_error(described + " is not a PNG or JPEG file (it does not start with a PNG or JPEG signature)");
    }
    const auto declared = declared_size(bytes, format);
    if (!declared) {
        throw file_error(described + " is not an image stb_image can read (" +
                         (format == input_format::png ? "no IHDR chunk after the PNG signature"
                                                      : "no frame header (SOF marker) before the image data") +
                         ")");
    }
    const auto [declared_width, declared_height] = *declared;
    check_pixel_limit(declared_width, declared_height, described, max_pixels);
    if (declared_width == 0 || declared_height == 0) {
        throw file_error(described + " declares a " + std::to_string(declared_width) + "x" +
                         std::to_string(declared_height) + " image: no pixels");
    }
    if (format == input_format::jpeg) check_jpeg_huffman_tables(bytes, described);
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        throw file_error(described + " is larger than 2 GiB, more than stb_image can decode");
    }
    int width = 0;
    int height = 0;
    int channels = 0;
    // When stb_image's probe refuses the header, decoding is left to say why (the
    // probe's reason is only "unknown image type"): the declared size is within the
    // limit, and stb_image reads the same header, so nothing larger is allocated.
    if (stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &channels) != 0) {
        check_pixel_limit(static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(height), described, max_pixels);
    }
    if (format == input_format::png) check_png_inflation(bytes, described);
}

/// "cannot decode <described> (<stb_image's reason>)", its "too large" explained.
inline file_error decode_failure(const std::string& described) {
    std::string reason = stb_reason();
    if (reason == "too large") reason = "too large: stb_image stops at 16777216 pixels a side and 1 GiB of pixels";
    return file_error("cannot decode " + described + " (" + reason + ")");
}

}  // namespace detail

/// Decodes a PNG or JPEG held in memory to 8 bits per channel. `described` names
/// it in messages (for example "source image 'a.png'"). `channels` 0 keeps the
/// file's channel count; 1-4 converts (gray, gray+alpha, RGB, RGBA) as stb_image
/// does. Throws file_error, before any large allocation, for anything that is
/// not a PNG or JPEG, above `max_pixels`, or a PNG zlib bomb.
inline decoded_image decode_image(std::span<const std::uint8_t> bytes, const std::string& described, int channels,
                                  std::uint64_t max_pixels) {
    if (channels < 0 || channels > 4) throw file_error("decode_image: channels must be 0 to 4, got " + std::to_string(channels));
    detail::probe(bytes, described, max_pixels);
    decoded_image result;
    int channels_in_file = 0;
    result.pixels.reset(stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &result.width,
                                              &result.height, &channels_in_file, channels));
    if (!result.pixels) throw detail::decode_failure(described);
    result.channels = channels != 0 ? channels : channels_in_file;
    return result;
}

/// Decodes a saliency map held in memory: a grayscale image of any size (colour
/// is converted to luminance). 16-bit files keep their 16 bits, so ties at the
/// maximum are not created by rounding. Same checks as decode_image.
inline resizemix::saliency_map decode_saliency(std::span<const std::uint8_t> bytes, const std::string& described,
                                               std::uint64_t max_pixels) {
    detail::probe(bytes, described, max_pixels);
    const int size = static_cast<int>(bytes.size());
    int width = 0;
    int height = 0;
    int channels_in_file = 0;
    if (stbi_is_16_bit_from_memory(bytes.data(), size) != 0) {
        const std::unique_ptr<stbi_us, stb_deleter> pixels(
            stbi_load_16_from_memory(bytes.data(), size, &width, &height, &channels_in_file, 1));
        if (!pixels) throw detail::decode_failure(described);
        const auto count = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
        return resizemix::saliency_map(height, width, std::vector<float>(pixels.get(), pixels.get() + count));
    }
    decoded_image map;
    map.pixels.reset(stbi_load_from_memory(bytes.data(), size, &map.width, &map.height, &channels_in_file, 1));
    if (!map.pixels) throw detail::decode_failure(described);
    map.channels = 1;
    return resizemix::saliency_from_image(map.view());
}

/// Decodes an image file to 8 bits per channel (see decode_image). `role` names
/// it in messages ("source image"). Files above max_file_bytes(max_pixels) are
/// refused without being read.
inline decoded_image load_image(const std::string& path, const std::string& role, int channels,
                                std::uint64_t max_pixels) {
    const std::vector<std::uint8_t> bytes = detail::read_file(path, role, max_file_bytes(max_pixels));
    return decode_image(bytes, role + " " + detail::quoted(path), channels, max_pixels);
}

/// Reads a saliency map file (see decode_saliency).
inline resizemix::saliency_map load_saliency(const std::string& path, const std::string& role,
                                             std::uint64_t max_pixels) {
    const std::vector<std::uint8_t> bytes = detail::read_file(path, role, max_file_bytes(max_pixels));
    return decode_saliency(bytes, role + " " + detail::quoted(path), max_pixels);
}

/// The file formats the CLI writes.
enum class output_format { png, jpeg };

/// The format named by the path's extension (.png, .jpg, .jpeg, any case), if any.
inline std::optional<output_format> format_from_extension(const std::string& path) {
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

/// JPEG quality used for .jpg / .jpeg output.
inline constexpr int jpeg_quality = 95;
/// The largest width or height a JPEG header can hold.
inline constexpr int jpeg_max_side = 65535;

namespace detail {

// The temporary file being written, so a signal handler can remove it. A fixed
// buffer, because the handler may only call async-signal-safe functions.
inline char pending_temporary[4096] = {};
inline volatile std::sig_atomic_t has_pending_temporary = 0;

extern "C" inline void remove_temporary_and_reraise(int signal_number) {
    if (has_pending_temporary != 0) ::unlink(pending_temporary);
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

struct write_context {
    FILE* file = nullptr;
    int error_number = 0;
};

extern "C" inline void write_to_file(void* context, void* data, int size) {
    auto* target = static_cast<write_context*>(context);
    if (target->error_number != 0 || size <= 0) return;
    if (std::fwrite(data, 1, static_cast<std::size_t>(size), target->file) != static_cast<std::size_t>(size)) {
        target->error_number = errno != 0 ? errno : EIO;
    }
}

}  // namespace detail

/// Writes `pixels` (interleaved, dense) to `path` as PNG or JPEG, all or nothing:
/// the bytes go to "<path>.tmp-<pid>" beside it, which is renamed over `path`
/// only once complete. On any failure the temporary file is removed and an
/// existing file at `path` is left untouched.
inline void write_image_atomically(const std::string& path, output_format format, const std::uint8_t* pixels,
                                   int width, int height, int channels) {
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    if (temporary.size() >= sizeof(detail::pending_temporary)) {
        throw file_error("output path " + detail::quoted(path) + " is too long");
    }
    // Exclusive creation: never follow or reuse something already at the temporary name.
    const int descriptor = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (descriptor < 0) {
        throw file_error("cannot write output " + detail::quoted(path) + ": cannot create " +
                         detail::quoted(temporary) + ": " + std::strerror(errno));
    }
    std::memcpy(detail::pending_temporary, temporary.c_str(), temporary.size() + 1);
    detail::has_pending_temporary = 1;
    const auto fail = [&](const std::string& why) {
        ::unlink(temporary.c_str());
        detail::has_pending_temporary = 0;
        throw file_error("cannot write output " + detail::quoted(path) + ": " + why);
    };

    detail::write_context context{::fdopen(descriptor, "wb"), 0};
    if (context.file == nullptr) {
        const int error_number = errno;
        ::close(descriptor);
        fail(std::strerror(error_number));
    }
    const int encoded =
        format == output_format::png
            ? stbi_write_png_to_func(detail::write_to_file, &context, width, height, channels, pixels, width * channels)
            : stbi_write_jpg_to_func(detail::write_to_file, &context, width, height, channels, pixels, jpeg_quality);
    if (context.error_number == 0 && std::fflush(context.file) != 0) context.error_number = errno;
    if (std::fclose(context.file) != 0 && context.error_number == 0) context.error_number = errno;
    if (encoded == 0) fail("stb_image_write could not encode the image");
    if (context.error_number != 0) fail(std::strerror(context.error_number));
    if (std::rename(temporary.c_str(), path.c_str()) != 0) fail(std::strerror(errno));
    detail::has_pending_temporary = 0;
}

/// Removes a half-written temporary output when the process is interrupted.
inline void remove_temporary_on_signals() {
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
        std::signal(signal_number, detail::remove_temporary_and_reraise);
    }
}

}  // namespace resizemix_cli
