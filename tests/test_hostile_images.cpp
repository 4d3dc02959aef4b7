// Hostile and unusual image files, through the CLI's image IO library and the CLI
// itself: declared sizes that overflow, a tiny PNG declaring 30000 x 30000, a
// zlib bomb, chunks running past the end of the file, a JPEG Huffman table
// stb_image 2.27 would overflow, 16-bit / gray + alpha / palette / interlaced
// PNGs, CMYK and progressive JPEGs, other formats, truncations at every byte.
// Each either decodes correctly or is refused with one clear line naming the
// file, before any large allocation: the CLI runs under a 1 GiB address-space
// limit (or, under AddressSanitizer, with allocations above 256 MiB failing),
// so a refusal that came only after a big allocation would read differently.
// PNGs are written byte by byte here (tests/support/png_craft.hpp); the two JPEGs are
// fixtures in tests/data, written by fuzz/make_seeds.cpp with libjpeg.
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "io/image_io.hpp"
#include "png_craft.hpp"

namespace {

namespace fs = std::filesystem;
using bytes = std::vector<std::uint8_t>;
using Catch::Contains;
using png_craft::header;
using resizemix_cli::decode_image;
using resizemix_cli::decode_saliency;
using resizemix_cli::file_error;

constexpr std::uint64_t default_limit = resizemix_cli::default_max_pixels;

bytes read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

fs::path fixture(const std::string& name) { return fs::path(RESIZEMIX_DATA_DIR).parent_path().parent_path() / "tests" / "data" / name; }

/// The message decode_image throws for `data`, or "" when it decodes.
std::string refusal(const bytes& data, std::uint64_t limit = default_limit, int channels = 0) {
    try {
        (void)decode_image(data, "source image 'x.png'", channels, limit);
    } catch (const file_error& e) {
        return e.what();
    }
    return "";
}

bool one_line(const std::string& text) {
    return !text.empty() && std::none_of(text.begin(), text.end(), [](char c) { return c < 0x20 || c > 0x7E; });
}

/// Gray 8-bit samples 0, 1, 2, ... for a width x height PNG.
std::vector<std::uint16_t> ramp(std::size_t count, unsigned modulo = 256) {
    std::vector<std::uint16_t> values(count);
    for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<std::uint16_t>(i * 37U % modulo);
    return values;
}

/// A PNG header declaring width x height (8-bit RGB) with a tiny, valid zlib stream.
bytes declaring(std::uint32_t width, std::uint32_t height) {
    return png_craft::file(header{width, height, 8, 2, 0}, png_craft::zlib_zeros(64));
}

/// A minimal baseline JPEG header (SOI, SOF0 of the given size, EOI): enough for
/// stb_image's header probe.
bytes jpeg_declaring(std::uint16_t width, std::uint16_t height) {
    return {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, static_cast<std::uint8_t>(height >> 8U), static_cast<std::uint8_t>(height),
            static_cast<std::uint8_t>(width >> 8U), static_cast<std::uint8_t>(width), 0x03, 0x01, 0x11, 0x00, 0x02, 0x11,
            0x00, 0x03, 0x11, 0x00, 0xFF, 0xD9};
}

}  // namespace

TEST_CASE("hostile: a tiny PNG declaring 30000 x 30000 is refused from its header", "[hostile][image_io]") {
    const bytes bomb = declaring(30000, 30000);
    REQUIRE(bomb.size() < 200);
    CHECK(refusal(bomb) == "source image 'x.png' is 30000x30000 = 900000000 pixels, above the limit of 100000000 "
                           "(raise it with --max-pixels)");
    // Raising the limit hands it to stb_image, which refuses more than 1 GiB of pixels itself.
    const std::string raised = refusal(bomb, 2'000'000'000);
    CHECK(raised == "cannot decode source image 'x.png' (too large: stb_image stops at 16777216 pixels a side and "
                    "1 GiB of pixels)");
}

TEST_CASE("hostile: declared sizes that overflow 32 or 64 bits are refused with the numbers", "[hostile][image_io]") {
    CHECK_THAT(refusal(declaring(0xFFFFFFFFU, 0xFFFFFFFFU)),
               Contains("is 4294967295x4294967295 = 18446744065119617025 pixels, above the limit of 100000000"));
    CHECK_THAT(refusal(declaring(0x80000000U, 2)), Contains("is 2147483648x2 = 4294967296 pixels"));
    CHECK_THAT(refusal(declaring(65536, 65536)), Contains("is 65536x65536 = 4294967296 pixels"));
    // Even with no limit at all: stb_image's own limits, said clearly.
    const std::string unlimited = refusal(declaring(0xFFFFFFFFU, 0xFFFFFFFFU), ~std::uint64_t{0});
    CHECK_THAT(unlimited, Contains("(too large: stb_image stops at 16777216 pixels a side"));
    // JPEG sides are 16 bits: 65535 x 65535 is 4.3 gigapixels.
    CHECK_THAT(refusal(jpeg_declaring(65535, 65535)), Contains("is 65535x65535 = 4294836225 pixels, above the limit"));
    // Zero-sized images are corrupt, not empty; a header cut short has no size at all.
    CHECK(refusal(declaring(0, 16)) == "source image 'x.png' declares a 0x16 image: no pixels");
    CHECK(refusal(jpeg_declaring(640, 0)) == "source image 'x.png' declares a 640x0 image: no pixels");
    const bytes cut = declaring(8, 8);
    CHECK_THAT(refusal(bytes(cut.begin(), cut.begin() + 20)), Contains("(no IHDR chunk after the PNG signature)"));
    CHECK_THAT(refusal({0xFF, 0xD8, 0xFF, 0xD9}), Contains("(no frame header (SOF marker) before the image data)"));
}

TEST_CASE("hostile: a zlib bomb (a small PNG whose data inflates to 200 MB) is refused before inflating",
          "[hostile][image_io]") {
    const bytes bomb = png_craft::file(header{16, 16, 8, 0, 0}, png_craft::zlib_zeros(200'000'000));
    REQUIRE(bomb.size() < 1'400'000);
    CHECK_THAT(refusal(bomb), Contains("is a PNG whose compressed data inflates to more than the 272 bytes its declared "
                                       "size needs (a decompression bomb?)"));
    // The same stream inflating to what the header needs is a normal image (zlib_zeros is a valid encoder).
    const bytes honest = png_craft::file(header{16, 16, 8, 0, 0}, png_craft::zlib_zeros(16 * 17));
    CHECK(refusal(honest).empty());
    // Highly compressible but honest: a 2048 x 2048 black image (4 MB of scanlines in 25 KB) decodes.
    const bytes flat = png_craft::file(header{2048, 2048, 8, 0, 0}, png_craft::zlib_zeros(2048 * 2049));
    const auto decoded = decode_image(flat, "flat", 0, default_limit);
    CHECK(decoded.width == 2048);
    CHECK(decoded.pixels.get()[2048 * 2048 - 1] == 0);
}

TEST_CASE("hostile: a chunk running past the end of the file is refused before stb_image allocates for it",
          "[hostile][image_io]") {
    bytes png = png_craft::image(header{4, 4, 8, 0, 0}, ramp(16));
    // The IDAT length field (after the signature and the 25-byte IHDR chunk) now says 2 GiB - 16.
    const std::size_t idat = 8 + 25;
    REQUIRE(std::string(png.begin() + idat + 4, png.begin() + idat + 8) == "IDAT");
    png[idat] = 0x7F;
    png[idat + 1] = 0xFF;
    png[idat + 2] = 0xFF;
    png[idat + 3] = 0xF0;
    CHECK_THAT(refusal(png), Contains("is a truncated or corrupt PNG: its IDAT chunk declares 2147483632 bytes but only"));
}

TEST_CASE("hostile: a JPEG Huffman table with more than 256 codes is refused (stb_image 2.27 overflows on it)",
          "[hostile][image_io]") {
    bytes jpeg = read_bytes(fixture("progressive.jpg"));
    REQUIRE(!jpeg.empty());
    // Find the first DHT segment and make its first table declare 16 * 255 codes.
    std::size_t at = 2;
    while (at + 4 < jpeg.size() && !(jpeg[at] == 0xFF && jpeg[at + 1] == 0xC4)) at += 2 + (jpeg[at + 2] << 8U) + jpeg[at + 3];
    REQUIRE(at + 21 < jpeg.size());
    for (std::size_t i = 0; i < 16; ++i) jpeg[at + 5 + i] = 0xFF;
    CHECK_THAT(refusal(jpeg), Contains("is a JPEG with a Huffman table of 4080 codes (at most 256 exist)"));
}

TEST_CASE("hostile: a JPEG scan using a Huffman table no DHT defines is refused (stb_image 2.27 reads "
          "uninitialised memory)",
          "[hostile][image_io]") {
    bytes jpeg = read_bytes(fixture("cmyk.jpg"));
    REQUIRE(decode_image(jpeg, "cmyk", 0, default_limit).width == 12);
    // The SOS segment's first component: DC table 0 (defined), AC table 3 (never defined).
    std::size_t at = 2;
    while (at + 4 < jpeg.size() && !(jpeg[at] == 0xFF && jpeg[at + 1] == 0xDA)) at += 2 + (jpeg[at + 2] << 8U) + jpeg[at + 3];
    REQUIRE(at + 6 < jpeg.size());
    jpeg[at + 6] = 0x03;
    CHECK(refusal(jpeg) == "source image 'x.png' is a JPEG whose scan uses Huffman table AC 3, which no DHT segment "
                           "defines; refused: stb_image 2.27 would decode with uninitialised memory");
    // Progressive scans name tables they do not use (a DC scan's AC table): those are not refused.
    CHECK(decode_image(read_bytes(fixture("progressive.jpg")), "progressive", 0, default_limit).width == 12);
}

TEST_CASE("hostile: 16-bit PNGs decode to 8 bits for mixing and keep 16 bits as saliency maps", "[hostile][image_io]") {
    std::vector<std::uint16_t> samples;
    for (int i = 0; i < 5 * 3 * 3; ++i) samples.push_back(static_cast<std::uint16_t>(i * 1400 + 7));
    for (const std::uint8_t interlace : {std::uint8_t{0}, std::uint8_t{1}}) {
        const bytes png = png_craft::image(header{5, 3, 16, 2, interlace}, samples);
        const auto image = decode_image(png, "rgb16", 0, default_limit);
        REQUIRE(image.channels == 3);
        for (std::size_t i = 0; i < samples.size(); ++i) CHECK(image.pixels.get()[i] == samples[i] >> 8U);
    }
    std::vector<std::uint16_t> gray(4 * 2);
    for (std::size_t i = 0; i < gray.size(); ++i) gray[i] = static_cast<std::uint16_t>(65535 - i);  // differ in the low byte only
    const auto map = decode_saliency(png_craft::image(header{4, 2, 16, 0, 0}, gray), "map16", default_limit);
    REQUIRE(map.width() == 4);
    for (std::size_t i = 0; i < gray.size(); ++i) CHECK(map.values()[i] == static_cast<float>(gray[i]));
}

TEST_CASE("hostile: gray + alpha, palettes with transparency and low bit depths decode as stb_image converts them",
          "[hostile][image_io]") {
    std::vector<std::uint16_t> gray_alpha;
    for (int i = 0; i < 3 * 2; ++i) {
        gray_alpha.push_back(static_cast<std::uint16_t>(40 * i));
        gray_alpha.push_back(static_cast<std::uint16_t>(255 - 40 * i));
    }
    const bytes ga = png_craft::image(header{3, 2, 8, 4, 0}, gray_alpha);
    const auto two = decode_image(ga, "ga", 0, default_limit);
    REQUIRE(two.channels == 2);
    CHECK(std::equal(gray_alpha.begin(), gray_alpha.end(), two.pixels.get()));
    const auto rgb = decode_image(ga, "ga", 3, default_limit);  // as a source mixed into an RGB target
    REQUIRE(rgb.channels == 3);
    CHECK(rgb.pixels.get()[3 * 5 + 0] == 200);
    CHECK(rgb.pixels.get()[3 * 5 + 2] == 200);

    const bytes palette_entries{255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9};
    const std::vector<std::uint16_t> indices = ramp(9 * 7, 4);
    for (const std::uint8_t depth : {std::uint8_t{2}, std::uint8_t{4}, std::uint8_t{8}}) {
        const bytes with_alpha = png_craft::image(header{9, 7, depth, 3, 0}, indices,
                                                  {png_craft::chunk("PLTE", palette_entries), png_craft::chunk("tRNS", {255, 128})});
        const auto rgba = decode_image(with_alpha, "palette", 0, default_limit);
        REQUIRE(rgba.channels == 4);
        for (std::size_t i = 0; i < indices.size(); ++i) {
            const std::size_t entry = indices[i];
            CHECK(rgba.pixels.get()[4 * i] == palette_entries[3 * entry]);
            CHECK(rgba.pixels.get()[4 * i + 3] == (entry == 0 ? 255 : entry == 1 ? 128 : 255));
        }
        const bytes opaque = png_craft::image(header{9, 7, depth, 3, 1}, indices, {png_craft::chunk("PLTE", palette_entries)});
        CHECK(decode_image(opaque, "palette", 0, default_limit).channels == 3);
    }
    // A palette index beyond the palette, and a palette PNG with no PLTE: refused, one line.
    const bytes beyond = png_craft::image(header{2, 1, 8, 3, 0}, {0, 200}, {png_craft::chunk("PLTE", palette_entries)});
    const std::string beyond_message = refusal(beyond);
    if (!beyond_message.empty()) CHECK(one_line(beyond_message));
    const std::string no_palette = refusal(png_craft::image(header{2, 1, 8, 3, 0}, {0, 1}));
    CHECK(no_palette == "cannot decode source image 'x.png' (no PLTE)");
}

TEST_CASE("hostile: CMYK and progressive JPEGs decode to RGB", "[hostile][image_io]") {
    const auto cmyk = decode_image(read_bytes(fixture("cmyk.jpg")), "cmyk", 0, default_limit);
    const auto progressive = decode_image(read_bytes(fixture("progressive.jpg")), "progressive", 0, default_limit);
    REQUIRE(cmyk.width == 12);
    REQUIRE(cmyk.height == 8);
    REQUIRE(cmyk.channels == 3);
    REQUIRE(progressive.width == 12);
    REQUIRE(progressive.channels == 3);
    // Both were written by libjpeg from the same 12 x 8 thumbnail of chelsea.png.
    double difference = 0.0;
    for (int i = 0; i < 12 * 8 * 3; ++i) difference += std::abs(cmyk.pixels.get()[i] - progressive.pixels.get()[i]);
    CHECK(difference / (12 * 8 * 3) < 16.0);
}

TEST_CASE("hostile: formats other than PNG and JPEG are refused by their first bytes", "[hostile][image_io]") {
    const bytes gif{'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, ';'};
    CHECK(refusal(gif) == "source image 'x.png' is not a PNG or JPEG file (it does not start with a PNG or JPEG signature)");
    CHECK_THAT(refusal({'B', 'M', 0, 0}), Contains("is not a PNG or JPEG file"));
    CHECK_THAT(refusal({}), Contains("is not a PNG or JPEG file"));
    CHECK_THAT(refusal({0xFF, 0xD8}), Contains("is not a PNG or JPEG file"));
}

TEST_CASE("hostile: an unknown critical chunk's raw type bytes never reach the message", "[hostile][image_io]") {
    // stb_image builds "XXXX PNG chunk not known" from the chunk type; make it a newline and control codes.
    bytes png = png_craft::image(header{2, 2, 8, 0, 0}, ramp(4));
    const bytes bad = png_craft::chunk(std::string("\n\x13\x14\x01", 4), {1, 2, 3});
    png.insert(png.begin() + 8 + 25, bad.begin(), bad.end());
    const std::string message = refusal(png);
    CHECK_THAT(message, Contains("cannot decode source image 'x.png'"));
    CHECK(one_line(message));
}

TEST_CASE("hostile: every truncation of every kind of file decodes or is refused in one line", "[hostile][image_io]") {
    std::vector<bytes> files{
        png_craft::image(header{5, 3, 16, 2, 1}, ramp(45, 65536)),
        png_craft::image(header{9, 7, 2, 3, 0}, ramp(63, 4),
                         {png_craft::chunk("PLTE", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), png_craft::chunk("tRNS", {0})}),
        read_bytes(fixture("cmyk.jpg")),
        read_bytes(fixture("progressive.jpg")),
    };
    for (const bytes& whole : files) {
        REQUIRE(whole.size() > 20);
        for (std::size_t size = 0; size <= whole.size(); ++size) {
            const bytes prefix(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(size));
            try {
                const auto image = decode_image(prefix, "cut", 0, default_limit);
                CHECK(image.width >= 1);
            } catch (const file_error& e) {
                CHECK(one_line(e.what()));
            }
        }
    }
}

TEST_CASE("hostile: files above what the pixel limit can need are refused unread; folders are refused",
          "[hostile][image_io]") {
    CHECK(resizemix_cli::max_file_bytes(1) == 8 + (16U << 20U));
    CHECK(resizemix_cli::max_file_bytes(~std::uint64_t{0}) == ~std::uint64_t{0} / 2);
    const fs::path dir = fs::path(RESIZEMIX_TMP_DIR) / "hostile";
    fs::create_directories(dir);
    const fs::path big = dir / "sparse.png";
    { std::ofstream(big) << "\x89PNG"; }
    fs::resize_file(big, resizemix_cli::max_file_bytes(1) + 1);  // sparse: nothing is written or read
    CHECK_THROWS_WITH(resizemix_cli::load_image(big.string(), "source image", 0, 1),
                      Contains("source image '" + big.string() + "' is larger than 16777224 bytes"));
    CHECK_THROWS_WITH(resizemix_cli::load_image(dir.string(), "target image", 0, default_limit), Contains("is a directory"));
    fs::remove(big);
}

#ifdef RESIZEMIX_CLI_PATH

namespace {

void write_bytes(const fs::path& path, const bytes& data) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool under_asan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool under_asan = true;
#else
constexpr bool under_asan = false;
#endif
#else
constexpr bool under_asan = false;
#endif

struct cli_result {
    int status = -1;
    std::string err;
    std::string out;
};

std::string quote(const std::string& word) {
    std::string quoted = "'";
    for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

/// Runs the CLI with a memory ceiling: 1 GiB of address space, or under ASan
/// (which reserves terabytes of shadow) allocations above 256 MiB fail.
cli_result run_limited(const fs::path& dir, const std::vector<std::string>& arguments) {
    std::string command = under_asan ? "ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}max_allocation_size_mb=256:"
                                       "allocator_may_return_null=1\" "
                                     : "ulimit -v 1048576 && ";
    command += quote(RESIZEMIX_CLI_PATH);
    for (const auto& argument : arguments) command += " " + quote(argument);
    command += " >" + quote((dir / "stdout").string()) + " 2>" + quote((dir / "stderr").string()) + " </dev/null";
    const int raw = std::system(("sh -c " + quote(command)).c_str());
    cli_result result;
    result.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    const auto text = [](const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    };
    result.err = text(dir / "stderr");
    result.out = text(dir / "stdout");
    return result;
}

}  // namespace

TEST_CASE("hostile: the CLI refuses bombs and broken files in one line, under a memory ceiling, and mixes the odd ones",
          "[hostile][cli]") {
    const fs::path dir = fs::path(RESIZEMIX_TMP_DIR) / "hostile-cli";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string target = std::string(RESIZEMIX_DATA_DIR) + "/coffee.png";
    const fs::path small_target = dir / "small-target.png";
    write_bytes(small_target, png_craft::image(header{8, 8, 8, 0, 0}, ramp(64)));
    const auto mix = [&](const fs::path& source, const std::vector<std::string>& extra = {}) {
        // A small target, so that a low --max-pixels refuses the source, not the target.
        std::vector<std::string> arguments{"mix", "--method", "resizemix", "--source", source.string(), "--target",
                                           small_target.string(), "--out", (dir / "out.png").string()};
        arguments.insert(arguments.end(), extra.begin(), extra.end());
        return run_limited(dir, arguments);
    };
    const auto refused = [&](const std::string& name, const bytes& data, const std::string& message,
                             const std::vector<std::string>& extra = {}) {
        const fs::path path = dir / name;
        write_bytes(path, data);
        const cli_result result = mix(path, extra);
        INFO(name << ": " << result.err);
        CHECK(result.status == 1);
        CHECK(result.out.empty());
        CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
        CHECK_THAT(result.err, Contains("resizemix: error: source image '" + path.string() + "'"));
        CHECK_THAT(result.err, Contains(message));
        CHECK(!fs::exists(dir / "out.png"));
    };
    refused("bomb.png", declaring(30000, 30000), "is 30000x30000 = 900000000 pixels, above the limit of 100000000");
    refused("just-above.png", declaring(10001, 10000), "is 10001x10000 = 100010000 pixels, above the limit of 100000000");
    refused("overflow.png", declaring(0xFFFFFFFFU, 0xFFFFFFFFU), "= 18446744065119617025 pixels");
    refused("zlib-bomb.png", png_craft::file(header{16, 16, 8, 0, 0}, png_craft::zlib_zeros(400'000'000)),
            "a decompression bomb?");
    refused("huge-jpeg.jpg", jpeg_declaring(65535, 65535), "is 65535x65535 = 4294836225 pixels");
    refused("limit.png", declaring(100, 100), "is 100x100 = 10000 pixels, above the limit of 9999", {"--max-pixels", "9999"});
    refused("not-an-image.gif", {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0}, "is not a PNG or JPEG file");

    // The odd but valid ones mix: JSON on stdout, an output file of the target's size.
    std::vector<std::pair<std::string, bytes>> valid{
        {"rgb16.png", png_craft::image(header{5, 3, 16, 2, 0}, ramp(45, 65536))},
        {"gray-alpha.png", png_craft::image(header{3, 2, 8, 4, 1}, ramp(12))},
        {"palette.png", png_craft::image(header{9, 7, 4, 3, 0}, ramp(63, 4),
                                         {png_craft::chunk("PLTE", {255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9}),
                                          png_craft::chunk("tRNS", {255, 128})})},
        {"cmyk.jpg", read_bytes(fixture("cmyk.jpg"))},
        {"progressive.jpg", read_bytes(fixture("progressive.jpg"))},
    };
    for (const auto& [name, data] : valid) {
        const fs::path path = dir / name;
        write_bytes(path, data);
        for (const std::string method : {"resizemix", "cutmix", "mixup"}) {
            // As source (converted to the target's channels), and as target (the output takes its channels).
            for (const bool as_target : {false, true}) {
                const cli_result result = run_limited(
                    dir, {"mix", "--method", method, "--source", as_target ? target : path.string(), "--target",
                          as_target ? path.string() : target, "--out", (dir / "ok.png").string()});
                INFO(name << " " << method << (as_target ? " as target: " : " as source: ") << result.err);
                CHECK(result.status == 0);
                CHECK(result.err.empty());
                CHECK_THAT(result.out, Contains("\"lambda\""));
                int width = 0;
                int height = 0;
                int channels = 0;
                REQUIRE(stbi_info((dir / "ok.png").string().c_str(), &width, &height, &channels) == 1);
                if (as_target) {
                    const auto decoded = decode_image(data, name, 0, default_limit);
                    CHECK(width == decoded.width);
                    CHECK(channels == decoded.channels);
                } else {
                    int target_width = 0;
                    int target_height = 0;
                    int target_channels = 0;
                    REQUIRE(stbi_info(target.c_str(), &target_width, &target_height, &target_channels) == 1);
                    CHECK(width == target_width);
                    CHECK(height == target_height);
                }
                fs::remove(dir / "ok.png");
            }
        }
    }
}

TEST_CASE("hostile: --max-pixels must be a positive number", "[hostile][cli]") {
    const fs::path dir = fs::path(RESIZEMIX_TMP_DIR) / "hostile-max-pixels";
    fs::create_directories(dir);
    const std::string photo = std::string(RESIZEMIX_DATA_DIR) + "/coffee.png";
    for (const std::string bad : {"0", "-5", "lots"}) {
        const cli_result result = run_limited(dir, {"mix", "--method", "cutmix", "--source", photo, "--target", photo,
                                                    "--out", (dir / "o.png").string(), "--max-pixels", bad});
        INFO(bad << ": " << result.err);
        CHECK(result.status == 2);
        CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
        CHECK_THAT(result.err, Contains("--max-pixels"));
    }
}

#endif  // RESIZEMIX_CLI_PATH
