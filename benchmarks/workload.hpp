// benchmarks/workload.hpp: what the benchmark binary and its peers share.
//
// A workload is a batch (uint8 NHWC or float NCHW, dense) and a plan: the
// partner and boxes of every sample, made once by resizemix's own mix_batch.
// Every implementation (resizemix and each peer: OpenCV, stb_image_resize,
// libtorch) renders exactly that plan, so they all do the same mixes, and
// main() checks their pixels against resizemix's before anything is timed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <resizemix/geometry.hpp>

namespace bench {

using resizemix::box;
using resizemix::index_t;

/// How a batch lies in memory: the two layouts the issue measures.
enum class pixel_kind {
    u8_hwc,   ///< std::uint8_t, count x height x width x channels (stb, OpenCV, channels-last tensors)
    f32_chw,  ///< float, count x channels x height x width (PyTorch NCHW)
};

/// Which operation is rendered.
enum class method {
    resizemix,       ///< the whole partner resized bilinearly into the box (resizemix::resize_mix)
    resizemix_area,  ///< the same with the box (area) filter: the like-for-like of stb_image_resize
    cutmix,          ///< the partner's box copied into the same box (resizemix::cut_mix, corresponding)
};

[[nodiscard]] inline const char* to_string(pixel_kind kind) { return kind == pixel_kind::u8_hwc ? "u8hwc" : "f32chw"; }
[[nodiscard]] inline const char* to_string(method m) {
    switch (m) {
        case method::resizemix: return "resizemix";
        case method::resizemix_area: return "resizemix-area";
        case method::cutmix: return "cutmix";
    }
    return "?";
}

/// Every sample i of the batch receives pixels of sample partner[i]: for the
/// resize methods the whole partner resized into box[i]; for CutMix the
/// partner's source_box[i] copied into box[i] (the same rectangle). An empty
/// box leaves the sample untouched.
struct mix_plan {
    method kind = method::resizemix;
    index_t count = 0;
    index_t channels = 0;
    index_t height = 0;
    index_t width = 0;
    std::vector<index_t> partner;
    std::vector<box> target_box;
    std::vector<box> source_box;

    [[nodiscard]] std::size_t image_elements() const noexcept {
        return static_cast<std::size_t>(channels * height * width);
    }
    [[nodiscard]] std::size_t batch_elements() const noexcept {
        return image_elements() * static_cast<std::size_t>(count);
    }
};

/// One implementation other than resizemix. run() renders `plan` from `input`
/// into `output` (both dense batches of `kind`); output == input means in
/// place, and then every patch must still come from the original pixels.
/// prepare() is called once per (plan, kind, in_place) before run() is timed,
/// so a peer may allocate its buffers there ("every buffer preallocated").
class peer {
public:
    peer() = default;
    peer(const peer&) = delete;
    peer& operator=(const peer&) = delete;
    virtual ~peer() = default;

    [[nodiscard]] virtual std::string name() const = 0;
    [[nodiscard]] virtual bool supports(method m, pixel_kind kind) const = 0;
    virtual void prepare(const mix_plan& /*plan*/, pixel_kind /*kind*/, bool /*in_place*/) {}
    virtual void run(const mix_plan& plan, pixel_kind kind, const void* input, void* output) = 0;
};

using peer_list = std::vector<std::unique_ptr<peer>>;

// Each defined in its own translation unit, compiled only when its library was found.
void add_opencv_peers(peer_list& peers);
void add_stb_peers(peer_list& peers);
void add_torch_peers(peer_list& peers);

}  // namespace bench
