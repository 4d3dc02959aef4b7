// resizemix/mix_info.hpp: what a mixer reports about one mix.
//
// Every mixer returns a mix_info: where the source pixels sit in the output,
// which source region they came from, and the source's share of the output
// pixels (lambda), which is the weight of the source label. Mask-based mixers
// (FMix) add which pixels of the box take the source.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string_view>
#include <utility>
#include <vector>

#include "augment/augment_op.hpp"
#include "error.hpp"
#include "geometry.hpp"

namespace resizemix {

/// A binary mask over a mix's box, row-major: 1 where the output takes the source pixel,
/// 0 where it keeps the target's. Immutable once made, so mix_infos share it across threads.
class mix_mask {
public:
    /// Takes width * height values, each 0 or 1 (else resizemix::error).
    mix_mask(index_t width, index_t height, std::vector<std::uint8_t> values)
        : width_(width), height_(height), values_(std::move(values)) {
        if (width < 1 || height < 1 || static_cast<index_t>(values_.size()) != width * height) {
            detail::fail("mix_mask", "expected ", width, "x", height, " values (both sides at least 1), got ",
                         values_.size());
        }
        for (const std::uint8_t value : values_) {
            if (value > 1) detail::fail("mix_mask", "values must be 0 or 1, got ", static_cast<int>(value));
            set_ += value;
        }
    }

    [[nodiscard]] index_t width() const noexcept { return width_; }
    [[nodiscard]] index_t height() const noexcept { return height_; }
    /// Whether box pixel (x, y) (relative to the box) takes the source.
    [[nodiscard]] bool operator()(index_t y, index_t x) const noexcept {
        return values_[static_cast<std::size_t>(y * width_ + x)] != 0;
    }
    /// The number of pixels that take the source.
    [[nodiscard]] index_t count() const noexcept { return set_; }
    [[nodiscard]] const std::vector<std::uint8_t>& values() const noexcept { return values_; }

private:
    index_t width_;
    index_t height_;
    std::vector<std::uint8_t> values_;
    index_t set_ = 0;
};

/// The result of one mix. For ResizeMix, CutMix and SaliencyMix, `box` holds the source
/// pixels in the output and lambda = box.area() / (output width * height)
/// exactly; for Mixup both boxes are the whole image and lambda is the blend
/// weight of the source; for FMix `mask` says which pixels of `box` (its bounding
/// box) take the source and lambda = mask->count() / (output width * height)
/// exactly. lambda == 0 means the output is the target unchanged.
struct mix_info {
    resizemix::box box{};         ///< where source pixels sit in the output
    resizemix::box source_box{};  ///< the source region used (the whole source for ResizeMix)
    double lambda = 0.0;          ///< the source label weight, in [0, 1]
    double tau = 0.0;             ///< ResizeMix scale factor; 0 for the other mixers
    std::string_view method = "none";  ///< which mixer ran: "resizemix", "cutmix", "mixup", "cutout", ... or "none"
    int choice = -1;                  ///< for one_of: index of the (outermost) branch that ran; -1 otherwise
    std::uint64_t branch_path = 0;    ///< for nested one_of: the branch taken at each level, one byte per level
    /// Augmentation pipelines (augment/pipeline.hpp): the operations that ran, in order, each with the
    /// image it ran on; `box` is then the whole image and `paste_box` the inner mixer's box.
    std::vector<applied_op> augmentations{};
    resizemix::box paste_box{};  ///< augmentation pipelines: where the inner mixer put the source pixels
    /// Mask-based mixers (FMix): which pixels of `box` take the source, the others keeping the
    /// target's; null for every other mixer (the whole box takes the source). Shared, never changed.
    std::shared_ptr<const mix_mask> mask{};

    /// Whether output pixel (x, y) comes from the source (for Mixup: is blended with it; in an
    /// augmentation pipeline: was put there by the inner mixer, from the augmented source).
    [[nodiscard]] bool from_source(index_t x, index_t y) const noexcept {
        const resizemix::box& mixed = augmentations.empty() && paste_box.empty() ? box : paste_box;
        if (!mixed.contains(x, y)) return false;
        return mask == nullptr || (*mask)(y - mixed.y, x - mixed.x);
    }
};

inline std::ostream& operator<<(std::ostream& os, const mix_info& info) {
    os << "mix_info{box=" << info.box << ", source_box=" << info.source_box << ", lambda=" << info.lambda
       << ", tau=" << info.tau << ", method=" << info.method << ", choice=" << info.choice;
    if (info.mask) os << ", mask=" << info.mask->count() << " of " << info.box.area();
    return os << "}";
}

}  // namespace resizemix
