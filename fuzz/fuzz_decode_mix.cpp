// fuzz/fuzz_decode_mix.cpp: the CLI's decode-and-mix path on arbitrary bytes.
//
// Input: 8 parameter bytes, a 4-byte little-endian source length, the source
// file's bytes, then the target file's bytes (see fuzz/README.md). As `resizemix
// mix` does: decode the target (its channels), decode the source converted to
// them, decode saliency maps from the same bytes when a region policy needs
// them, bring the source to the target's size for CutMix and Mixup, mix in
// place into the target, and (one run in four) encode the result as PNG or JPEG
// (into memory).
// Only resizemix::error and resizemix_cli::file_error may escape the library;
// allocations above libFuzzer's -malloc_limit_mb (set in scripts/fuzz.sh) are
// crashes, so the pixel limit and the zlib-bomb check are exercised too.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include <resizemix/resizemix.hpp>

#include "fuzz_support.hpp"
#include "io/image_io.hpp"

namespace {

using fuzz::byte_reader;
using resizemix::region;

/// Small, so each run is quick and a bomb stands out: 128 x 128 pixels.
constexpr std::uint64_t fuzz_max_pixels = 128 * 128;

void mix_and_encode(byte_reader& in, std::span<const std::uint8_t> source_bytes, std::span<const std::uint8_t> target_bytes) {
    const std::uint8_t choice = in.u8();
    const std::uint64_t seed = in.u8();
    const std::uint8_t regions = in.u8();
    const float alpha = 0.1f + static_cast<float>(in.u8()) / 16.0f;
    const float scale_min = static_cast<float>(1 + in.u8()) / 256.0f;
    const float scale_max = std::max(scale_min, static_cast<float>(1 + in.u8()) / 256.0f);
    const std::uint8_t output = in.u8();  // bit 0: JPEG or PNG; bits 1-2: encode only 1 run in 4 (it is slow)
    const bool jpeg_output = (output & 1U) != 0;
    const bool encode = (output & 6U) == 0;

    resizemix_cli::decoded_image target = resizemix_cli::decode_image(target_bytes, "target image", 0, fuzz_max_pixels);
    RESIZEMIX_FUZZ_CHECK(target.width >= 1 && target.height >= 1 && target.channels >= 1 && target.channels <= 4);
    const resizemix_cli::decoded_image source =
        resizemix_cli::decode_image(source_bytes, "source image", target.channels, fuzz_max_pixels);
    RESIZEMIX_FUZZ_CHECK(source.channels == target.channels);
    RESIZEMIX_FUZZ_CHECK(static_cast<std::uint64_t>(source.width) * static_cast<std::uint64_t>(source.height) <= fuzz_max_pixels);

    const auto method = choice % 3U;
    const region source_region = static_cast<region>((regions & 1U) != 0 ? 2 + ((regions >> 1U) & 1U) : 0);
    const region paste_region = static_cast<region>((regions >> 2U) % 4U);
    resizemix::pair_saliency maps;
    if (resizemix::needs_saliency(source_region)) maps.source = resizemix_cli::decode_saliency(source_bytes, "source saliency map", fuzz_max_pixels);
    if (resizemix::needs_saliency(paste_region)) maps.target = resizemix_cli::decode_saliency(target_bytes, "target saliency map", fuzz_max_pixels);

    resizemix::image<std::uint8_t> resized_source;
    resizemix::image_view<const std::uint8_t> source_pixels = source.view();
    if (method != 0 && (source.width != target.width || source.height != target.height)) {
        resized_source = resizemix::image<std::uint8_t>(target.channels, target.height, target.width);
        resizemix::resize(source_pixels, resized_source.view());
        source_pixels = resized_source.const_view();
    }
    const resizemix::image_view<const std::uint8_t> target_pixels = target.view();
    resizemix::rng random(seed);
    resizemix::mix_info info;
    switch (method) {
        case 0:
            info = resizemix::resize_mix{.scale_min = scale_min, .scale_max = scale_max,
                                         .paste_region = paste_region == region::corresponding ? region::random : paste_region}(
                source_pixels, target_pixels, target.view(), random, maps);
            break;
        case 1:
            info = resizemix::cut_mix{.alpha = alpha, .source_region = source_region, .paste_region = paste_region}(
                source_pixels, target_pixels, target.view(), random, maps);
            break;
        default: info = resizemix::mixup{.alpha = alpha}(source_pixels, target_pixels, target.view(), random, maps); break;
    }
    RESIZEMIX_FUZZ_CHECK(info.lambda >= 0.0 && info.lambda <= 1.0);
    RESIZEMIX_FUZZ_CHECK(info.box.empty() || info.box.inside(target.width, target.height));

    if (!encode) return;
    const std::vector<std::uint8_t> encoded = resizemix_cli::encode_image(
        jpeg_output ? resizemix_cli::output_format::jpeg : resizemix_cli::output_format::png, target.pixels.get(),
        target.width, target.height, target.channels, "fuzz output");
    RESIZEMIX_FUZZ_CHECK(!encoded.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 12) return 0;
    const std::span<const std::uint8_t> bytes(data, size);
    byte_reader parameters(bytes.first(8));
    byte_reader files(bytes.subspan(8));
    const std::size_t source_size = files.u32();
    const auto source_bytes = files.take(source_size);
    const auto target_bytes = files.rest();
    try {
        mix_and_encode(parameters, source_bytes, target_bytes);
    } catch (const resizemix_cli::file_error& e) {
        // A refusal must be one clear line.
        const std::string message = e.what();
        fuzz::note("refused", e.what());
        RESIZEMIX_FUZZ_CHECK(!message.empty() && message.find('\n') == std::string::npos);
    } catch (const resizemix::error&) {
    }
    return 0;
}
