// 010: views over memory you already have. One image_view type covers
// interleaved (HWC) and planar (CHW) pixels and crops of either, without copying.
#include <cstdint>
#include <cstdio>
#include <resizemix/view.hpp>
#include <vector>

int main() {
    // A 4x6 RGB image, interleaved as stb_image and OpenCV store it.
    std::vector<std::uint8_t> pixels(4 * 6 * 3);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i);
    const auto hwc = resizemix::from_hwc(pixels.data(), 4, 6, 3);

    // The same bytes read as planar would be a different image; planar data gets from_chw.
    std::vector<float> planar(3 * 4 * 6, 0.5f);
    const auto chw = resizemix::from_chw(planar.data(), 3, 4, 6);

    // Logical order is always (channel, y, x); strides say where the bytes are.
    std::printf("hwc: %td channels, %tdx%td, strides (%td, %td, %td)\n", hwc.channels(), hwc.width(), hwc.height(),
                hwc.stride(0), hwc.stride(1), hwc.stride(2));
    std::printf("chw: strides (%td, %td, %td)\n", chw.stride(0), chw.stride(1), chw.stride(2));

    // A crop shares memory with its parent.
    const auto crop = hwc.subview({.x = 2, .y = 1, .width = 3, .height = 2});
    crop(0, 0, 0) = 255;
    const bool shared = pixels[(1 * 6 + 2) * 3] == 255;

    // Read-only views come from mutable ones, never the other way round.
    const resizemix::image_view<const std::uint8_t> read_only = crop;
    std::printf("crop %tdx%td, shares memory: %s, first pixel %d\n", read_only.width(), read_only.height(),
                shared ? "yes" : "no", read_only(0, 0, 0));
    return shared && chw(2, 3, 5) == 0.5f ? 0 : 1;
}
