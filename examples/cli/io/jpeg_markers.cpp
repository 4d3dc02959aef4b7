// examples/cli/io/jpeg_markers.cpp: see jpeg_markers.hpp.
#include "jpeg_markers.hpp"

namespace resizemix_cli::jpeg {

bool walk_segments(std::span<const std::uint8_t> bytes, const std::function<bool(const segment&)>& visit) {
    std::size_t at = 2;  // after SOI
    while (at < bytes.size()) {
        if (bytes[at] != 0xFF) {  // scan data, or junk stb_image skips
            ++at;
            continue;
        }
        std::size_t next = at + 1;
        while (next < bytes.size() && bytes[next] == 0xFF) ++next;  // fill bytes
        if (next >= bytes.size()) return false;
        const std::uint8_t marker = bytes[next];
        at = next + 1;
        if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;
        if (marker == 0xD9) return true;  // EOI: stb_image reads no further
        const std::size_t length = (byte_at(bytes, at) << 8U) | byte_at(bytes, at + 1);
        if (!visit(segment{marker, at, length})) return false;
        at += length;  // after SOS the scan data follows and is walked byte by byte
    }
    return false;
}

}  // namespace resizemix_cli::jpeg
