// fuzz/make_seeds.cpp: writes the committed seed corpora (fuzz/corpus/<target>/)
// and the JPEG fixtures of the hostile-image tests (tests/data/*.jpg).
//
// Not part of any build; the outputs are committed. To regenerate, from the repository root:
//   g++ -std=c++20 -O2 -Itests/support -I/usr/include/stb fuzz/make_seeds.cpp -lstb -ljpeg -o /tmp/make_seeds && /tmp/make_seeds
// Seeds are tiny on purpose (thumbnails of the bundled photos, 24 x 16 and
// smaller), so each fuzz run is fast; the whole corpus stays under 300 KB.
#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include <cstdio>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "png_craft.hpp"

namespace {

namespace fs = std::filesystem;
using bytes = std::vector<std::uint8_t>;

struct thumbnail {
    int width = 0;
    int height = 0;
    int channels = 0;
    bytes pixels;
};

thumbnail load_thumbnail(const std::string& name, int width, int height, int channels) {
    int w = 0;
    int h = 0;
    int c = 0;
    stbi_uc* full = stbi_load(("examples/data/" + name).c_str(), &w, &h, &c, channels);
    if (full == nullptr) {
        std::fprintf(stderr, "make_seeds: cannot read examples/data/%s (run from the repository root)\n", name.c_str());
        std::exit(1);
    }
    thumbnail t{width, height, channels, bytes(static_cast<std::size_t>(width * height * channels))};
    stbir_resize_uint8(full, w, h, 0, t.pixels.data(), width, height, 0, channels);
    stbi_image_free(full);
    return t;
}

void append_bytes(void* context, void* data, int size) {
    auto* out = static_cast<bytes*>(context);
    const auto* p = static_cast<const std::uint8_t*>(data);
    out->insert(out->end(), p, p + size);
}

bytes png_of(const thumbnail& t) {
    bytes out;
    stbi_write_png_to_func(append_bytes, &out, t.width, t.height, t.channels, t.pixels.data(), t.width * t.channels);
    return out;
}

bytes stb_jpeg_of(const thumbnail& t, int quality) {
    bytes out;
    stbi_write_jpg_to_func(append_bytes, &out, t.width, t.height, t.channels, t.pixels.data(), quality);
    return out;
}

/// A JPEG written by libjpeg: progressive, CMYK (Adobe marker, inverted as Photoshop
/// writes it), grayscale, or with restart markers.
enum class jpeg_kind { progressive, cmyk, gray, restarts };

bytes libjpeg_of(const thumbnail& rgb, jpeg_kind kind) {
    jpeg_compress_struct info{};
    jpeg_error_mgr errors{};
    info.err = jpeg_std_error(&errors);
    jpeg_create_compress(&info);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = static_cast<JDIMENSION>(rgb.width);
    info.image_height = static_cast<JDIMENSION>(rgb.height);
    bytes pixels;
    if (kind == jpeg_kind::cmyk) {
        info.input_components = 4;
        info.in_color_space = JCS_CMYK;
        for (std::size_t i = 0; i < rgb.pixels.size(); i += 3) {
            const int r = rgb.pixels[i];
            const int g = rgb.pixels[i + 1];
            const int b = rgb.pixels[i + 2];
            const int k = 255 - std::max({r, g, b});
            const auto ink = [&](int v) { return k == 255 ? 0 : (255 - v - k) * 255 / (255 - k); };
            // Adobe CMYK JPEGs store inverted values.
            for (const int v : {ink(r), ink(g), ink(b), k}) pixels.push_back(static_cast<std::uint8_t>(255 - v));
        }
    } else if (kind == jpeg_kind::gray) {
        info.input_components = 1;
        info.in_color_space = JCS_GRAYSCALE;
        for (std::size_t i = 0; i < rgb.pixels.size(); i += 3) pixels.push_back(rgb.pixels[i + 1]);
    } else {
        info.input_components = 3;
        info.in_color_space = JCS_RGB;
        pixels = rgb.pixels;
    }
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, 85, TRUE);
    if (kind == jpeg_kind::cmyk) jpeg_set_colorspace(&info, JCS_CMYK);  // writes the Adobe APP14 marker
    if (kind == jpeg_kind::progressive) jpeg_simple_progression(&info);
    if (kind == jpeg_kind::restarts) info.restart_interval = 1;
    jpeg_start_compress(&info, TRUE);
    const int row = rgb.width * info.input_components;
    while (info.next_scanline < info.image_height) {
        JSAMPROW line = pixels.data() + static_cast<std::size_t>(info.next_scanline) * static_cast<std::size_t>(row);
        jpeg_write_scanlines(&info, &line, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    bytes out(buffer, buffer + size);
    std::free(buffer);
    return out;
}

void write_file(const fs::path& path, const bytes& data) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    std::printf("%-48s %6zu bytes\n", path.string().c_str(), data.size());
}

/// A decode_mix input: 8 parameter bytes, the source length, source, target.
bytes decode_mix_input(const bytes& parameters, const bytes& source, const bytes& target) {
    bytes out = parameters;
    out.resize(8, 0);
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(source.size() >> shift));
    out.insert(out.end(), source.begin(), source.end());
    out.insert(out.end(), target.begin(), target.end());
    return out;
}

/// Sample values for a crafted PNG from a thumbnail's channels, scaled to `depth` bits.
std::vector<std::uint16_t> samples_of(const thumbnail& t, int samples, int depth) {
    std::vector<std::uint16_t> out;
    const unsigned top = (1U << depth) - 1U;
    for (int i = 0; i < t.width * t.height; ++i)
        for (int s = 0; s < samples; ++s) {
            const std::uint8_t v = t.pixels[static_cast<std::size_t>(i * t.channels + std::min(s, t.channels - 1))];
            out.push_back(static_cast<std::uint16_t>(v * top / 255U));
        }
    return out;
}

}  // namespace

int main() {
    const thumbnail chelsea = load_thumbnail("chelsea.png", 24, 16, 3);
    const thumbnail coffee = load_thumbnail("coffee.png", 24, 16, 3);
    const thumbnail astronaut = load_thumbnail("astronaut.png", 16, 16, 3);
    const thumbnail chelsea_small = load_thumbnail("chelsea.png", 12, 8, 3);
    const thumbnail astronaut_gray = load_thumbnail("astronaut.png", 16, 16, 1);
    const thumbnail coffee_rgba = load_thumbnail("coffee.png", 12, 8, 4);

    // The hostile-image tests' JPEG fixtures (libjpeg writes what stb_image_write cannot).
    write_file("tests/data/cmyk.jpg", libjpeg_of(chelsea_small, jpeg_kind::cmyk));
    write_file("tests/data/progressive.jpg", libjpeg_of(chelsea_small, jpeg_kind::progressive));

    // Crafted PNGs: depths, colour types, palette + transparency, interlacing, 1-pixel sides.
    using png_craft::header;
    const auto png16 = png_craft::image(header{12, 8, 16, 2, 0}, samples_of(chelsea_small, 3, 16));
    const auto gray_alpha = png_craft::image(header{12, 8, 8, 4, 0}, samples_of(coffee_rgba, 2, 8));
    const auto adam7 = png_craft::image(header{12, 8, 8, 6, 1}, samples_of(coffee_rgba, 4, 8));
    std::vector<std::uint16_t> indices;
    for (int i = 0; i < 12 * 8; ++i) indices.push_back(static_cast<std::uint16_t>(chelsea_small.pixels[static_cast<std::size_t>(i * 3)] / 64));
    const auto palette = png_craft::image(header{12, 8, 2, 3, 0}, indices,
                                          {png_craft::chunk("PLTE", {200, 30, 30, 30, 200, 30, 30, 30, 200, 250, 250, 250}),
                                           png_craft::chunk("tRNS", {255, 128, 0})});
    const auto gray16_map = png_craft::image(header{8, 8, 16, 0, 0}, samples_of(load_thumbnail("astronaut.png", 8, 8, 1), 1, 16));
    const auto one_by_one = png_craft::image(header{1, 1, 8, 2, 0}, {10, 20, 30});
    const auto wide = png_craft::image(header{64, 1, 8, 0, 0}, samples_of(load_thumbnail("coffee.png", 64, 1, 1), 1, 8));
    const auto tall = png_craft::image(header{1, 64, 1, 0, 1}, samples_of(load_thumbnail("coffee.png", 1, 64, 1), 1, 1));
    const auto declares_huge = png_craft::file(header{30000, 30000, 8, 2, 0}, png_craft::zlib_zeros(64));
    const auto zeros = png_craft::file(header{16, 16, 8, 0, 0}, png_craft::zlib_zeros(16 * 17));

    const fs::path decode_mix = "fuzz/corpus/decode_mix";
    const bytes resizemix_params{0, 7, 0, 16, 26, 205, 0, 0};
    const bytes cutmix_params{1, 3, 0, 16, 0, 0, 1, 0};
    const bytes cutmix_salient{1, 5, 0x0B, 16, 0, 0, 0, 0};  // salient source, salient paste: maps decoded too
    const bytes mixup_params{2, 9, 0, 8, 0, 0, 1, 0};
    write_file(decode_mix / "png-png-resizemix", decode_mix_input(resizemix_params, png_of(chelsea), png_of(coffee)));
    write_file(decode_mix / "jpeg-png-cutmix", decode_mix_input(cutmix_params, stb_jpeg_of(coffee, 90), png_of(astronaut)));
    write_file(decode_mix / "png-jpeg-mixup", decode_mix_input(mixup_params, png_of(astronaut_gray), stb_jpeg_of(chelsea, 60)));
    write_file(decode_mix / "progressive-cmyk", decode_mix_input(resizemix_params, libjpeg_of(chelsea_small, jpeg_kind::progressive),
                                                                 libjpeg_of(chelsea_small, jpeg_kind::cmyk)));
    write_file(decode_mix / "gray-restarts", decode_mix_input(cutmix_salient, libjpeg_of(chelsea_small, jpeg_kind::gray),
                                                              libjpeg_of(chelsea_small, jpeg_kind::restarts)));
    write_file(decode_mix / "png16-grayalpha", decode_mix_input(mixup_params, png16, gray_alpha));
    write_file(decode_mix / "palette-adam7", decode_mix_input(cutmix_salient, palette, adam7));
    write_file(decode_mix / "map16-rgba", decode_mix_input(cutmix_salient, gray16_map, png_of(coffee_rgba)));
    write_file(decode_mix / "1x1-wide", decode_mix_input(resizemix_params, one_by_one, wide));
    write_file(decode_mix / "tall-1x1", decode_mix_input(cutmix_params, tall, one_by_one));
    write_file(decode_mix / "bomb-header", decode_mix_input(resizemix_params, declares_huge, png_of(chelsea_small)));
    write_file(decode_mix / "zeros-png", decode_mix_input(mixup_params, zeros, zeros));

    // mixers / saliency: a few parameter bytes, then pixel bytes from a photo.
    const auto with_pixels = [](bytes parameters, const thumbnail& t) {
        parameters.insert(parameters.end(), t.pixels.begin(), t.pixels.end());
        return parameters;
    };
    const fs::path mixers = "fuzz/corpus/mixers";
    write_file(mixers / "pair-u8-resizemix", with_pixels({0, 0, 0, 1, 0, 0, 1, 2, 3, 23, 3, 15, 1, 0, 1}, chelsea));
    write_file(mixers / "pair-float-cutmix", with_pixels({1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 2, 3, 15, 3, 15, 2, 1, 9}, coffee));
    write_file(mixers / "pair-u8-mixup-hwc", with_pixels({0, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 3, 2, 3, 63, 3, 63, 1, 0, 1}, astronaut));
    // Kind bytes 193 and 194: CutMix and Mixup promoted to SaliencyMix and FMix.
    write_file(mixers / "pair-float-saliencymix", with_pixels({1, 193, 0, 0, 1, 0, 1, 0, 0, 1, 0, 2, 3, 15, 3, 15, 2, 1, 9}, coffee));
    write_file(mixers / "pair-u8-fmix-hwc", with_pixels({0, 194, 0, 0, 0, 0, 0, 0, 1, 0, 0, 3, 2, 3, 63, 3, 63, 1, 0, 1}, astronaut));
    write_file(mixers / "batch-u8", with_pixels({2, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 3, 2, 2, 7, 2, 7, 1, 0}, chelsea));
    write_file(mixers / "batch-float-cutmix", with_pixels({3, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 3, 0, 2, 15, 2, 15, 9, 1}, coffee));

    const fs::path saliency = "fuzz/corpus/saliency";
    write_file(saliency / "map-photo", with_pixels({0, 3, 31, 47, 6}, astronaut_gray));
    write_file(saliency / "map-nan", {0, 3, 7, 7, 1, 1, 3, 3, 0, 0, 1, 1, 2, 100, 3, 100, 1, 3, 42});
    write_file(saliency / "centred", {1, 2, 200, 2, 100, 1, 50, 1, 40, 0, 0, 0, 0, 0, 0, 0, 128, 0, 0, 0, 0, 0, 0, 0, 128});
    write_file(saliency / "grad-cam", with_pixels({2, 3, 7, 7, 1, 5, 1, 0, 1}, astronaut));
    write_file(saliency / "cutmix-map", with_pixels({3, 3, 15, 15, 6, 0}, astronaut_gray));
    return 0;
}
