// examples/cli/io/jpeg_markers.hpp: the one walk over a JPEG's marker segments.
//
// stb_image 2.27 reads a JPEG segment by segment (each by its length field),
// skips fill bytes and junk between segments, and walks scan data byte by
// byte. The size probe and the Huffman-table guard both need to see the file
// exactly as it does, so both are written on this one walker.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace resizemix_cli::jpeg {

/// One marker segment, as stb_image meets it.
struct segment {
    std::uint8_t marker = 0;  ///< the byte after 0xFF (0xC0 for SOF0, 0xC4 for DHT, 0xDA for SOS, ...)
    std::size_t at = 0;       ///< offset of the segment's 2-byte length field, just after the marker
    std::size_t length = 0;   ///< the length field (it counts its own two bytes); bytes past the end read as 0
};

/// The byte at `offset`, or 0 past the end (what stb_image reads there).
[[nodiscard]] inline std::uint32_t byte_at(std::span<const std::uint8_t> bytes, std::size_t offset) noexcept {
    return offset < bytes.size() ? bytes[offset] : 0;
}

/// Calls visit(segment) for every marker with a length field after SOI, in file
/// order, as stb_image walks them: fill bytes (0xFF 0xFF) and bytes that are not
/// a marker (junk, scan data) are skipped, stuffing (0xFF 0x00), TEM, RSTn and
/// SOI markers have no length field. Stops at EOI, at the end of `bytes`, or
/// when visit returns false; returns true only when it stopped at EOI.
bool walk_segments(std::span<const std::uint8_t> bytes, const std::function<bool(const segment&)>& visit);

/// Whether `marker` starts a frame header (SOF0-SOF15 except DHT, JPG and DAC).
[[nodiscard]] constexpr bool is_frame_header(std::uint8_t marker) noexcept {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

}  // namespace resizemix_cli::jpeg
