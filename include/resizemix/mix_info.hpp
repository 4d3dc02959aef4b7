// resizemix/mix_info.hpp: what a mixer reports about one mix.
//
// Every mixer returns a mix_info: where the source pixels sit in the output,
// which source region they came from, and the source's share of the output
// pixels (lambda), which is the weight of the source label.
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>
#include <vector>

#include "augment/augment_op.hpp"
#include "geometry.hpp"

namespace resizemix {

/// The result of one mix. For ResizeMix and CutMix, `box` holds the source
/// pixels in the output and lambda = box.area() / (output width * height)
/// exactly; for Mixup both boxes are the whole image and lambda is the blend
/// weight of the source. lambda == 0 means the output is the target unchanged.
struct mix_info {
    resizemix::box box{};         ///< where source pixels sit in the output
    resizemix::box source_box{};  ///< the source region used (the whole source for ResizeMix)
    double lambda = 0.0;          ///< the source label weight, in [0, 1]
    double tau = 0.0;             ///< ResizeMix scale factor; 0 for the other mixers
    std::string_view method = "none";  ///< which mixer ran: "resizemix", "cutmix", "mixup", "cutout" or "none"
    int choice = -1;                  ///< for one_of: index of the (outermost) branch that ran; -1 otherwise
    std::uint64_t branch_path = 0;    ///< for nested one_of: the branch taken at each level, one byte per level
    /// Augmentation pipelines (augment/pipeline.hpp): the operations that ran, in order, each with the
    /// image it ran on; `box` is then the whole image and `paste_box` the inner mixer's box.
    std::vector<applied_op> augmentations{};
    resizemix::box paste_box{};  ///< augmentation pipelines: where the inner mixer put the source pixels
};

inline std::ostream& operator<<(std::ostream& os, const mix_info& info) {
    return os << "mix_info{box=" << info.box << ", source_box=" << info.source_box
              << ", lambda=" << info.lambda << ", tau=" << info.tau << ", method=" << info.method
              << ", choice=" << info.choice << "}";
}

}  // namespace resizemix
