// examples/cli/io/image_checks.cpp: the checks a file passes before stb_image
// decodes it (signature, declared size against the pixel limit, PNG zlib bombs
// and overrunning chunks, the JPEG Huffman tables stb_image 2.27 mishandles),
// and failure messages that say in words what is wrong.
#include "image_checks.hpp"

#include <stb_image.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "jpeg_markers.hpp"

namespace resizemix_cli::detail {

/// stb_image's last failure reason, printable: its "unknown chunk" reason embeds the
/// chunk type's raw bytes (a newline or control codes, from a hostile file), so
/// anything outside printable ASCII becomes '?' and the message stays one line.
std::string stb_reason() {
    const char* reason = stbi_failure_reason();
    std::string text = reason != nullptr && *reason != '\0' ? reason : "unknown reason";
    for (char& c : text) {
        if (c < 0x20 || c > 0x7E) c = '?';
    }
    return text;
}

namespace {

std::uint32_t big_endian_32(const std::uint8_t* p) noexcept {
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
png_layout read_png_layout(std::span<const std::uint8_t> bytes) {
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
constexpr std::uint64_t deflate_max_ratio = 1040;
/// Inflating up to this much is harmless whatever the declared size; above it, PNG data is checked.
constexpr std::uint64_t zlib_check_floor = std::uint64_t{64} << 20U;

/// Refuses a PNG whose IDAT stream inflates to more than its declared size needs,
/// or one with a chunk running past the end of the file. stb_image inflates into a
/// buffer it doubles as needed, so without this a 1 MB file declaring 1 x 1 pixels
/// could make it allocate about 1 GB; and it grows its IDAT buffer to a chunk's
/// declared length before reading it, so a 60-byte file could make it allocate 1 GB
/// (found by fuzz/fuzz_decode_mix).
void check_png_inflation(std::span<const std::uint8_t> bytes, const std::string& described) {
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
std::optional<std::pair<std::uint64_t, std::uint64_t>> declared_size(std::span<const std::uint8_t> bytes,
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
    std::optional<std::pair<std::uint64_t, std::uint64_t>> size;
    jpeg::walk_segments(bytes, [&](const jpeg::segment& segment) {
        if (segment.marker == 0xDA) return false;  // SOS before any SOF
        if (!jpeg::is_frame_header(segment.marker)) return true;
        if (segment.at + 7 <= bytes.size()) {  // length, precision, height, width
            const std::uint64_t height = (std::uint64_t{bytes[segment.at + 3]} << 8U) | bytes[segment.at + 4];
            const std::uint64_t width = (std::uint64_t{bytes[segment.at + 5]} << 8U) | bytes[segment.at + 6];
            size.emplace(width, height);
        }
        return false;
    });
    return size;
}

void check_pixel_limit(std::uint64_t width, std::uint64_t height, const std::string& described,
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
void check_jpeg_huffman_tables(std::span<const std::uint8_t> bytes, const std::string& described) {
    const auto byte_at = [&](std::size_t i) { return jpeg::byte_at(bytes, i); };
    bool seen_frame = false;
    bool progressive = false;
    bool dc_defined[4] = {};
    bool ac_defined[4] = {};
    jpeg::walk_segments(bytes, [&](const jpeg::segment& segment) {
        const std::size_t at = segment.at;
        const std::uint8_t marker = segment.marker;
        const std::size_t length = segment.length;
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
        return true;
    });
}

}  // namespace

/// Reads the header only: size and channels, and refuses images above `max_pixels`
/// before anything big is allocated (a tiny PNG can claim to be gigapixels).
void probe(std::span<const std::uint8_t> bytes, const std::string& described, std::uint64_t max_pixels) {
    const input_format format = sniff_format(bytes);
    if (format == input_format::unknown) {
        throw file_error(described + " is not a PNG or JPEG file (it does not start with a PNG or JPEG signature)");
    }
    const auto declared = declared_size(bytes, format);
    if (!declared) {
        if (format == input_format::jpeg && !jpeg::walk_segments(bytes, [](const jpeg::segment&) { return true; })) {
            throw file_error(described + " is a truncated JPEG: its " + std::to_string(bytes.size()) +
                             " bytes end before the frame header (SOF marker) that gives its size");
        }
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

file_error decode_failure(std::span<const std::uint8_t> bytes, const std::string& described) {
    std::string reason = stb_reason();
    if (reason == "too large") reason = "too large: stb_image stops at 16777216 pixels a side and 1 GiB of pixels";
    if (sniff_format(bytes) == input_format::jpeg &&
        !jpeg::walk_segments(bytes, [](const jpeg::segment&) { return true; })) {
        return file_error("cannot decode " + described + ": it is a truncated JPEG (its " + std::to_string(bytes.size()) +
                          " bytes end before the end-of-image marker)");
    }
    return file_error("cannot decode " + described + " (" + reason + ")");
}

}  // namespace resizemix_cli::detail
