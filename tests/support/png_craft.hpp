// tests/support/png_craft.hpp: writes PNG files byte by byte, hostile ones included
// (not a test file itself; used by tests/test_hostile_images.cpp and fuzz/make_seeds.cpp).
//
// Every field is the caller's choice: declared size, bit depth, colour type,
// interlacing, palette and transparency, the exact scanline bytes, and the
// compressed stream itself (stored deflate blocks, or a fixed-Huffman stream
// that inflates a few bytes into any number of zeros: a zlib bomb). CRCs and
// Adler-32 are computed here (the textbook bitwise forms), so no zlib is needed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace png_craft {

using bytes = std::vector<std::uint8_t>;

/// CRC-32 (ISO 3309 / ITU-T V.42, as PNG uses), bit by bit.
inline std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0) {
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1U) ^ (0xEDB88320U & (0U - (crc & 1U)));
    }
    return ~crc;
}

inline std::uint32_t adler32(const bytes& data) {
    std::uint32_t a = 1;
    std::uint32_t b = 0;
    for (const std::uint8_t byte : data) {
        a = (a + byte) % 65521U;
        b = (b + a) % 65521U;
    }
    return (b << 16U) | a;
}

inline void put_32(bytes& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

/// A zlib stream holding `data` in stored (uncompressed) deflate blocks.
inline bytes zlib_stored(const bytes& data) {
    bytes out{0x78, 0x01};
    std::size_t at = 0;
    do {
        const std::size_t n = std::min<std::size_t>(65535, data.size() - at);
        const bool last = at + n == data.size();
        out.push_back(last ? 1 : 0);
        out.push_back(static_cast<std::uint8_t>(n));
        out.push_back(static_cast<std::uint8_t>(n >> 8U));
        out.push_back(static_cast<std::uint8_t>(~n));
        out.push_back(static_cast<std::uint8_t>(~n >> 8U));
        out.insert(out.end(), data.begin() + static_cast<std::ptrdiff_t>(at),
                   data.begin() + static_cast<std::ptrdiff_t>(at + n));
        at += n;
    } while (at < data.size());
    put_32(out, adler32(data));
    return out;
}

/// A zlib stream that inflates to `count` zero bytes (count >= 1): one literal
/// 0, then matches of length 258 at distance 1, in one fixed-Huffman block
/// (13 bits per 258 bytes, about 160:1).
inline bytes zlib_zeros(std::uint64_t count) {
    bytes out{0x78, 0x01};
    std::uint32_t buffer = 0;
    int filled = 0;
    const auto put_bits = [&](std::uint32_t value, int n) {  // LSB first
        buffer |= value << filled;
        filled += n;
        while (filled >= 8) {
            out.push_back(static_cast<std::uint8_t>(buffer));
            buffer >>= 8U;
            filled -= 8;
        }
    };
    const auto put_code = [&](std::uint32_t code, int n) {  // Huffman codes go MSB first
        std::uint32_t reversed = 0;
        for (int i = 0; i < n; ++i) reversed |= ((code >> i) & 1U) << (n - 1 - i);
        put_bits(reversed, n);
    };
    put_bits(1, 1);         // BFINAL
    put_bits(1, 2);         // BTYPE 01: fixed Huffman
    put_code(0x30, 8);      // literal 0
    std::uint64_t left = count - 1;
    for (; left >= 258; left -= 258) {
        put_code(0xC5, 8);  // length code 285: 258
        put_code(0, 5);     // distance code 0: 1
    }
    for (; left > 0; --left) put_code(0x30, 8);
    put_code(0, 7);         // end of block (256)
    if (filled > 0) put_bits(0, 8 - filled);
    // Adler-32 of `count` zeros: a = 1, b = count (mod 65521).
    put_32(out, static_cast<std::uint32_t>((count % 65521U) << 16U) | 1U);
    return out;
}

/// One chunk: length, type, data, CRC of type and data.
inline bytes chunk(const std::string& type, const bytes& data) {
    bytes out;
    put_32(out, static_cast<std::uint32_t>(data.size()));
    bytes typed(type.begin(), type.end());
    typed.insert(typed.end(), data.begin(), data.end());
    out.insert(out.end(), typed.begin(), typed.end());
    put_32(out, crc32(typed.data(), typed.size()));
    return out;
}

/// The IHDR fields.
struct header {
    std::uint32_t width = 1;
    std::uint32_t height = 1;
    std::uint8_t bit_depth = 8;
    std::uint8_t colour_type = 2;  ///< 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA
    std::uint8_t interlace = 0;    ///< 0 none, 1 Adam7
};

inline int samples_per_pixel(std::uint8_t colour_type) {
    switch (colour_type) {
        case 0: return 1;
        case 2: return 3;
        case 3: return 1;
        case 4: return 2;
        case 6: return 4;
        default: return 0;
    }
}

/// Scanlines (filter byte 0 + packed samples) for the pixels in [y][x][sample]
/// order, at the header's depth, one pass or the seven Adam7 passes.
inline bytes scanlines(const header& h, const std::vector<std::uint16_t>& samples) {
    const int n = samples_per_pixel(h.colour_type);
    const auto sample = [&](std::uint32_t x, std::uint32_t y, int s) {
        return samples[(static_cast<std::size_t>(y) * h.width + x) * static_cast<std::size_t>(n) + static_cast<std::size_t>(s)];
    };
    bytes out;
    const auto pass = [&](std::uint32_t x0, std::uint32_t y0, std::uint32_t dx, std::uint32_t dy) {
        if (x0 >= h.width || y0 >= h.height) return;
        for (std::uint32_t y = y0; y < h.height; y += dy) {
            out.push_back(0);
            std::uint32_t bits = 0;
            int used = 0;
            for (std::uint32_t x = x0; x < h.width; x += dx) {
                for (int s = 0; s < n; ++s) {
                    const std::uint16_t v = sample(x, y, s);
                    if (h.bit_depth == 16) {
                        out.push_back(static_cast<std::uint8_t>(v >> 8U));
                        out.push_back(static_cast<std::uint8_t>(v));
                    } else if (h.bit_depth == 8) {
                        out.push_back(static_cast<std::uint8_t>(v));
                    } else {
                        bits = (bits << h.bit_depth) | (v & ((1U << h.bit_depth) - 1U));
                        used += h.bit_depth;
                        if (used == 8) {
                            out.push_back(static_cast<std::uint8_t>(bits));
                            bits = 0;
                            used = 0;
                        }
                    }
                }
            }
            if (used > 0) out.push_back(static_cast<std::uint8_t>(bits << (8 - used)));
        }
    };
    if (h.interlace == 0) {
        pass(0, 0, 1, 1);
    } else {
        pass(0, 0, 8, 8);
        pass(4, 0, 8, 8);
        pass(0, 4, 4, 8);
        pass(2, 0, 4, 4);
        pass(0, 2, 2, 4);
        pass(1, 0, 2, 2);
        pass(0, 1, 1, 2);
    }
    return out;
}

inline bytes ihdr_data(const header& h) {
    bytes data;
    put_32(data, h.width);
    put_32(data, h.height);
    data.insert(data.end(), {h.bit_depth, h.colour_type, 0, 0, h.interlace});
    return data;
}

/// A whole PNG: signature, IHDR, the optional chunks (PLTE, tRNS, ...) given in
/// order, the compressed stream in one IDAT, IEND.
inline bytes file(const header& h, const bytes& compressed, const std::vector<bytes>& extra_chunks = {}) {
    bytes out{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    const auto append = [&](const bytes& b) { out.insert(out.end(), b.begin(), b.end()); };
    append(chunk("IHDR", ihdr_data(h)));
    for (const auto& c : extra_chunks) append(c);
    append(chunk("IDAT", compressed));
    append(chunk("IEND", {}));
    return out;
}

/// A PNG of the given samples, stored uncompressed.
inline bytes image(const header& h, const std::vector<std::uint16_t>& samples, const std::vector<bytes>& extra_chunks = {}) {
    return file(h, zlib_stored(scanlines(h, samples)), extra_chunks);
}

}  // namespace png_craft
