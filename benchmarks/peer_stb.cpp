// benchmarks/peer_stb.cpp: stb_image_resize (v1, Debian's libstb) as a peer.
//
// stb has no plain (non-antialiased) bilinear when it downscales: its
// "triangle" filter widens with the scale (PyTorch's antialias=True), so its
// pixels could never agree with a bilinear ResizeMix within one level. Its box
// filter, though, is exactly an area average, which is resizemix's
// interpolation::area; so stb renders method::resizemix_area and is checked
// against resizemix's area filter. stb writes with an output stride, so out of
// place it resizes straight into the target's region (after copying the target
// whole); in place it resizes every patch into a scratch buffer first, then
// copies it in. Planar float goes one channel plane at a time.
#include <cstring>
#include <stdexcept>

#include <stb_image_resize.h>

#include "workload.hpp"

namespace bench {
namespace {

class stb_peer final : public peer {
public:
    [[nodiscard]] std::string name() const override { return "stb"; }
    [[nodiscard]] bool supports(method m, pixel_kind) const override { return m == method::resizemix_area; }

    void prepare(const mix_plan& plan, pixel_kind kind, bool in_place) override {
        scratch_offsets_.assign(static_cast<std::size_t>(plan.count) + 1, 0);
        for (index_t i = 0; i < plan.count; ++i) {
            scratch_offsets_[static_cast<std::size_t>(i) + 1] =
                scratch_offsets_[static_cast<std::size_t>(i)] +
                static_cast<std::size_t>(plan.target_box[static_cast<std::size_t>(i)].area() * plan.channels) *
                    (kind == pixel_kind::u8_hwc ? 1 : sizeof(float));
        }
        scratch_.assign(in_place ? scratch_offsets_.back() : 0, 0);
    }

    void run(const mix_plan& plan, pixel_kind kind, const void* input, void* output) override {
        const auto* in = static_cast<const unsigned char*>(input);
        auto* out = static_cast<unsigned char*>(output);
        const std::size_t element = kind == pixel_kind::u8_hwc ? 1 : sizeof(float);
        const std::size_t image_bytes = plan.image_elements() * element;
        const bool in_place = input == output;
        const int width = static_cast<int>(plan.width);
        const int height = static_cast<int>(plan.height);
        const int channels = static_cast<int>(plan.channels);

        // Resizes image `source` into a box-sized region starting at `destination`
        // whose rows are `row_bytes` apart (planes `plane_bytes` apart for CHW).
        auto resize_into = [&](const unsigned char* source, unsigned char* destination, const box& b,
                               std::size_t row_bytes, std::size_t plane_bytes) {
            int ok = 1;
            if (kind == pixel_kind::u8_hwc) {
                ok = stbir_resize_uint8_generic(source, width, height, width * channels, destination,
                                                static_cast<int>(b.width), static_cast<int>(b.height),
                                                static_cast<int>(row_bytes), channels, STBIR_ALPHA_CHANNEL_NONE, 0,
                                                STBIR_EDGE_CLAMP, STBIR_FILTER_BOX, STBIR_COLORSPACE_LINEAR, nullptr);
            } else {
                for (int c = 0; c < channels && ok; ++c) {
                    ok = stbir_resize_float_generic(
                        reinterpret_cast<const float*>(source + static_cast<std::size_t>(c) * width * height * sizeof(float)),
                        width, height, width * static_cast<int>(sizeof(float)),
                        reinterpret_cast<float*>(destination + static_cast<std::size_t>(c) * plane_bytes),
                        static_cast<int>(b.width), static_cast<int>(b.height), static_cast<int>(row_bytes), 1,
                        STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_FILTER_BOX, STBIR_COLORSPACE_LINEAR,
                        nullptr);
                }
            }
            if (!ok) throw std::runtime_error("stb_image_resize failed");
        };
        // Where pixel (0, y, x) of image i starts, and the row / plane pitch of the layout.
        const std::size_t row_bytes = kind == pixel_kind::u8_hwc ? static_cast<std::size_t>(width * channels)
                                                                 : static_cast<std::size_t>(width) * sizeof(float);
        const std::size_t plane_bytes = static_cast<std::size_t>(width * height) * element;
        auto at = [&](unsigned char* image, const box& b) {
            const auto offset = static_cast<std::size_t>(b.y) * row_bytes +
                                static_cast<std::size_t>(b.x) * (kind == pixel_kind::u8_hwc ? plan.channels : 1) * element;
            return image + offset;
        };

        for (index_t i = 0; i < plan.count; ++i) {
            const box& b = plan.target_box[static_cast<std::size_t>(i)];
            const unsigned char* partner = in + static_cast<std::size_t>(plan.partner[static_cast<std::size_t>(i)]) * image_bytes;
            unsigned char* target = out + static_cast<std::size_t>(i) * image_bytes;
            if (!in_place) std::memcpy(target, in + static_cast<std::size_t>(i) * image_bytes, image_bytes);
            if (b.empty()) continue;
            if (!in_place) {
                resize_into(partner, at(target, b), b, row_bytes, plane_bytes);
            } else {
                unsigned char* patch = scratch_.data() + scratch_offsets_[static_cast<std::size_t>(i)];
                const std::size_t patch_row = static_cast<std::size_t>(b.width) *
                                              (kind == pixel_kind::u8_hwc ? plan.channels : 1) * element;
                resize_into(partner, patch, b, patch_row, patch_row * static_cast<std::size_t>(b.height));
            }
        }
        if (!in_place) return;
        for (index_t i = 0; i < plan.count; ++i) {
            const box& b = plan.target_box[static_cast<std::size_t>(i)];
            if (b.empty()) continue;
            const unsigned char* patch = scratch_.data() + scratch_offsets_[static_cast<std::size_t>(i)];
            unsigned char* target = out + static_cast<std::size_t>(i) * image_bytes;
            const std::size_t planes = kind == pixel_kind::u8_hwc ? 1 : static_cast<std::size_t>(channels);
            const std::size_t patch_row = static_cast<std::size_t>(b.width) *
                                          (kind == pixel_kind::u8_hwc ? plan.channels : 1) * element;
            for (std::size_t c = 0; c < planes; ++c)
                for (index_t y = 0; y < b.height; ++y)
                    std::memcpy(at(target + c * plane_bytes, b) + static_cast<std::size_t>(y) * row_bytes,
                                patch + (c * static_cast<std::size_t>(b.height) + static_cast<std::size_t>(y)) * patch_row,
                                patch_row);
        }
    }

private:
    std::vector<std::size_t> scratch_offsets_;
    std::vector<unsigned char> scratch_;
};

}  // namespace

void add_stb_peers(peer_list& peers) { peers.push_back(std::make_unique<stb_peer>()); }

}  // namespace bench
