// examples/cli/bitmap_font.hpp: a tiny built-in 5x9 bitmap font for captions in `resizemix grid`.
//
// Printable ASCII plus a few symbols the contact sheet needs (λ, →, ×), each a
// 5-pixel-wide glyph: rows 0-6 hold capitals, digits and ascenders, rows 7-8
// descenders (g, j, p, q, y, ','). Text is UTF-8; a code point without a glyph
// is drawn as an empty box. No dependency beyond the library's views.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <resizemix/view.hpp>

namespace resizemix_cli::font {

using resizemix::index_t;

inline constexpr index_t glyph_width = 5;
inline constexpr index_t glyph_height = 9;
inline constexpr index_t advance = glyph_width + 1;     ///< pixels from one glyph to the next, at scale 1
inline constexpr index_t line_height = glyph_height + 1;  ///< pixels from one line to the next, at scale 1

/// One glyph: rows top to bottom, bit 4 the leftmost pixel.
struct glyph {
    char32_t code = 0;
    std::array<std::uint8_t, glyph_height> rows{};
};

// clang-format off
inline constexpr glyph glyphs[] = {
    {U' ', {0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {U'!', {0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0, 0b00100, 0, 0}},
    {U'"', {0b01010, 0b01010, 0b01010, 0, 0, 0, 0, 0, 0}},
    {U'#', {0b01010, 0b01010, 0b11111, 0b01010, 0b11111, 0b01010, 0b01010, 0, 0}},
    {U'$', {0b00100, 0b01111, 0b10100, 0b01110, 0b00101, 0b11110, 0b00100, 0, 0}},
    {U'%', {0b11000, 0b11001, 0b00010, 0b00100, 0b01000, 0b10011, 0b00011, 0, 0}},
    {U'&', {0b01100, 0b10010, 0b10100, 0b01000, 0b10101, 0b10010, 0b01101, 0, 0}},
    {U'\'', {0b00100, 0b00100, 0b01000, 0, 0, 0, 0, 0, 0}},
    {U'(', {0b00010, 0b00100, 0b01000, 0b01000, 0b01000, 0b00100, 0b00010, 0, 0}},
    {U')', {0b01000, 0b00100, 0b00010, 0b00010, 0b00010, 0b00100, 0b01000, 0, 0}},
    {U'*', {0, 0b00100, 0b10101, 0b01110, 0b10101, 0b00100, 0, 0, 0}},
    {U'+', {0, 0b00100, 0b00100, 0b11111, 0b00100, 0b00100, 0, 0, 0}},
    {U',', {0, 0, 0, 0, 0, 0b01100, 0b00100, 0b01000, 0}},
    {U'-', {0, 0, 0, 0b11111, 0, 0, 0, 0, 0}},
    {U'.', {0, 0, 0, 0, 0, 0b01100, 0b01100, 0, 0}},
    {U'/', {0, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0, 0, 0}},
    {U'0', {0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110, 0, 0}},
    {U'1', {0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110, 0, 0}},
    {U'2', {0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111, 0, 0}},
    {U'3', {0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110, 0, 0}},
    {U'4', {0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010, 0, 0}},
    {U'5', {0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110, 0, 0}},
    {U'6', {0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110, 0, 0}},
    {U'7', {0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000, 0, 0}},
    {U'8', {0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110, 0, 0}},
    {U'9', {0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100, 0, 0}},
    {U':', {0, 0b01100, 0b01100, 0, 0b01100, 0b01100, 0, 0, 0}},
    {U';', {0, 0b01100, 0b01100, 0, 0b01100, 0b00100, 0b01000, 0, 0}},
    {U'<', {0b00010, 0b00100, 0b01000, 0b10000, 0b01000, 0b00100, 0b00010, 0, 0}},
    {U'=', {0, 0, 0b11111, 0, 0b11111, 0, 0, 0, 0}},
    {U'>', {0b01000, 0b00100, 0b00010, 0b00001, 0b00010, 0b00100, 0b01000, 0, 0}},
    {U'?', {0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0, 0b00100, 0, 0}},
    {U'@', {0b01110, 0b10001, 0b00001, 0b01101, 0b10101, 0b10101, 0b01110, 0, 0}},
    {U'A', {0b01110, 0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0, 0}},
    {U'B', {0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110, 0, 0}},
    {U'C', {0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110, 0, 0}},
    {U'D', {0b11100, 0b10010, 0b10001, 0b10001, 0b10001, 0b10010, 0b11100, 0, 0}},
    {U'E', {0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111, 0, 0}},
    {U'F', {0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000, 0, 0}},
    {U'G', {0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111, 0, 0}},
    {U'H', {0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001, 0, 0}},
    {U'I', {0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110, 0, 0}},
    {U'J', {0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100, 0, 0}},
    {U'K', {0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001, 0, 0}},
    {U'L', {0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111, 0, 0}},
    {U'M', {0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001, 0, 0}},
    {U'N', {0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001, 0, 0}},
    {U'O', {0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110, 0, 0}},
    {U'P', {0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000, 0, 0}},
    {U'Q', {0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101, 0, 0}},
    {U'R', {0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001, 0, 0}},
    {U'S', {0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110, 0, 0}},
    {U'T', {0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0, 0}},
    {U'U', {0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110, 0, 0}},
    {U'V', {0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100, 0, 0}},
    {U'W', {0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010, 0, 0}},
    {U'X', {0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001, 0, 0}},
    {U'Y', {0b10001, 0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100, 0, 0}},
    {U'Z', {0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111, 0, 0}},
    {U'[', {0b01110, 0b01000, 0b01000, 0b01000, 0b01000, 0b01000, 0b01110, 0, 0}},
    {U'\\', {0, 0b10000, 0b01000, 0b00100, 0b00010, 0b00001, 0, 0, 0}},
    {U']', {0b01110, 0b00010, 0b00010, 0b00010, 0b00010, 0b00010, 0b01110, 0, 0}},
    {U'^', {0b00100, 0b01010, 0b10001, 0, 0, 0, 0, 0, 0}},
    {U'_', {0, 0, 0, 0, 0, 0, 0, 0b11111, 0}},
    {U'`', {0b01000, 0b00100, 0b00010, 0, 0, 0, 0, 0, 0}},
    {U'a', {0, 0, 0b01110, 0b00001, 0b01111, 0b10001, 0b01111, 0, 0}},
    {U'b', {0b10000, 0b10000, 0b10110, 0b11001, 0b10001, 0b10001, 0b11110, 0, 0}},
    {U'c', {0, 0, 0b01110, 0b10000, 0b10000, 0b10001, 0b01110, 0, 0}},
    {U'd', {0b00001, 0b00001, 0b01101, 0b10011, 0b10001, 0b10001, 0b01111, 0, 0}},
    {U'e', {0, 0, 0b01110, 0b10001, 0b11111, 0b10000, 0b01110, 0, 0}},
    {U'f', {0b00110, 0b01001, 0b01000, 0b11100, 0b01000, 0b01000, 0b01000, 0, 0}},
    {U'g', {0, 0, 0b01111, 0b10001, 0b10001, 0b10001, 0b01111, 0b00001, 0b01110}},
    {U'h', {0b10000, 0b10000, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001, 0, 0}},
    {U'i', {0b00100, 0, 0b01100, 0b00100, 0b00100, 0b00100, 0b01110, 0, 0}},
    {U'j', {0b00010, 0, 0b00110, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100}},
    {U'k', {0b10000, 0b10000, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0, 0}},
    {U'l', {0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110, 0, 0}},
    {U'm', {0, 0, 0b11010, 0b10101, 0b10101, 0b10101, 0b10101, 0, 0}},
    {U'n', {0, 0, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001, 0, 0}},
    {U'o', {0, 0, 0b01110, 0b10001, 0b10001, 0b10001, 0b01110, 0, 0}},
    {U'p', {0, 0, 0b11110, 0b10001, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000}},
    {U'q', {0, 0, 0b01111, 0b10001, 0b10001, 0b10001, 0b01111, 0b00001, 0b00001}},
    {U'r', {0, 0, 0b10110, 0b11001, 0b10000, 0b10000, 0b10000, 0, 0}},
    {U's', {0, 0, 0b01111, 0b10000, 0b01110, 0b00001, 0b11110, 0, 0}},
    {U't', {0b01000, 0b01000, 0b11100, 0b01000, 0b01000, 0b01001, 0b00110, 0, 0}},
    {U'u', {0, 0, 0b10001, 0b10001, 0b10001, 0b10011, 0b01101, 0, 0}},
    {U'v', {0, 0, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100, 0, 0}},
    {U'w', {0, 0, 0b10001, 0b10001, 0b10101, 0b10101, 0b01010, 0, 0}},
    {U'x', {0, 0, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0, 0}},
    {U'y', {0, 0, 0b10001, 0b10001, 0b10001, 0b10001, 0b01111, 0b00001, 0b01110}},
    {U'z', {0, 0, 0b11111, 0b00010, 0b00100, 0b01000, 0b11111, 0, 0}},
    {U'{', {0b00010, 0b00100, 0b00100, 0b01000, 0b00100, 0b00100, 0b00010, 0, 0}},
    {U'|', {0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0, 0}},
    {U'}', {0b01000, 0b00100, 0b00100, 0b00010, 0b00100, 0b00100, 0b01000, 0, 0}},
    {U'~', {0, 0, 0b01000, 0b10101, 0b00010, 0, 0, 0, 0}},
    {U'\u00D7', {0, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0, 0, 0}},          // ×
    {U'\u03BB', {0b01000, 0b00100, 0b00100, 0b01010, 0b01010, 0b10001, 0b10001, 0, 0}},  // λ
    {U'\u2192', {0, 0b00100, 0b00010, 0b11111, 0b00010, 0b00100, 0, 0, 0}},          // →
};
// clang-format on

/// Drawn for a code point without a glyph: an empty box.
inline constexpr glyph missing_glyph{0, {0b11111, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11111, 0, 0}};

/// The glyph of `code`, or missing_glyph.
[[nodiscard]] inline const glyph& find_glyph(char32_t code) noexcept {
    for (const glyph& g : glyphs)
        if (g.code == code) return g;
    return missing_glyph;
}

/// Decodes UTF-8; a malformed sequence becomes U+FFFD (which has no glyph).
[[nodiscard]] inline std::u32string decode_utf8(std::string_view text) {
    std::u32string codes;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : (lead >> 5U) == 0x6 ? 2 : (lead >> 4U) == 0xE ? 3 : (lead >> 3U) == 0x1E ? 4 : 0;
        if (length == 0 || i + length > text.size()) {
            codes.push_back(U'\uFFFD');
            ++i;
            continue;
        }
        char32_t code = length == 1 ? lead : lead & (0x7FU >> length);
        bool valid = true;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next >> 6U) != 0x2) valid = false;
            code = (code << 6U) | (next & 0x3FU);
        }
        codes.push_back(valid ? code : U'\uFFFD');
        i += valid ? length : 1;
    }
    return codes;
}

/// Width in pixels of `text` drawn at `scale` (no trailing gap).
[[nodiscard]] inline index_t text_width(std::string_view text, index_t scale) {
    const auto count = static_cast<index_t>(decode_utf8(text).size());
    return count == 0 ? 0 : (count * advance - 1) * scale;
}

/// `text`, shortened with ".." at the end until it is at most `max_width` pixels wide at `scale`.
[[nodiscard]] inline std::string fit_text(std::string_view text, index_t max_width, index_t scale) {
    if (text_width(text, scale) <= max_width) return std::string(text);
    std::u32string codes = decode_utf8(text);
    std::string fitted;
    while (!codes.empty()) {
        codes.pop_back();
        fitted.clear();
        for (const char32_t code : codes) {  // back to UTF-8
            if (code < 0x80) {
                fitted += static_cast<char>(code);
            } else if (code < 0x800) {
                fitted += static_cast<char>(0xC0 | (code >> 6U));
                fitted += static_cast<char>(0x80 | (code & 0x3FU));
            } else if (code < 0x10000) {
                fitted += static_cast<char>(0xE0 | (code >> 12U));
                fitted += static_cast<char>(0x80 | ((code >> 6U) & 0x3FU));
                fitted += static_cast<char>(0x80 | (code & 0x3FU));
            } else {
                fitted += static_cast<char>(0xF0 | (code >> 18U));
                fitted += static_cast<char>(0x80 | ((code >> 12U) & 0x3FU));
                fitted += static_cast<char>(0x80 | ((code >> 6U) & 0x3FU));
                fitted += static_cast<char>(0x80 | (code & 0x3FU));
            }
        }
        fitted += "..";
        if (text_width(fitted, scale) <= max_width) return fitted;
    }
    return {};
}

/// Draws `text` with its top-left corner at (x, y), each font pixel a
/// scale x scale square of `colour` (one value per channel of `canvas`).
/// Pixels outside the canvas are skipped.
template <class Colour>
void draw_text(resizemix::image_view<std::uint8_t> canvas, index_t x, index_t y, std::string_view text,
               const Colour& colour, index_t scale) {
    for (const char32_t code : decode_utf8(text)) {
        const glyph& g = find_glyph(code);
        for (index_t row = 0; row < glyph_height; ++row)
            for (index_t column = 0; column < glyph_width; ++column) {
                if (((g.rows[static_cast<std::size_t>(row)] >> (glyph_width - 1 - column)) & 1U) == 0) continue;
                for (index_t dy = 0; dy < scale; ++dy)
                    for (index_t dx = 0; dx < scale; ++dx) {
                        const index_t px = x + column * scale + dx;
                        const index_t py = y + row * scale + dy;
                        if (px < 0 || py < 0 || px >= canvas.width() || py >= canvas.height()) continue;
                        for (index_t c = 0; c < canvas.channels(); ++c) {
                            canvas(c, py, px) = colour[static_cast<std::size_t>(c)];
                        }
                    }
            }
        x += advance * scale;
    }
}

}  // namespace resizemix_cli::font
