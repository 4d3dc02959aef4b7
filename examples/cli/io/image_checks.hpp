// examples/cli/io/image_checks.hpp: what image_io.cpp checks before and after
// stb_image decodes a file (internal to the image IO library).
//
// probe() refuses, from the header and before any large allocation, files that
// are not PNG or JPEG, images above the pixel limit, PNG zlib bombs and chunks
// that overrun the file, and the JPEG Huffman tables stb_image 2.27 mishandles.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "image_io.hpp"

namespace resizemix_cli::detail {

/// stb_image's last failure reason, printable ASCII on one line.
std::string stb_reason();

/// Refuses (file_error) anything decode_image must not hand to stb_image; see the top of this file.
void probe(std::span<const std::uint8_t> bytes, const std::string& described, std::uint64_t max_pixels);

/// The error for a file stb_image could not decode, saying in words what is wrong where that is known
/// (a truncated JPEG), else giving stb_image's reason.
file_error decode_failure(std::span<const std::uint8_t> bytes, const std::string& described);

}  // namespace resizemix_cli::detail
