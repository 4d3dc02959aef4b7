// resizemix/augment/augment_op.hpp: the names of the augmentation operations and the record of one that ran.
//
// Kept apart from the operations themselves so that mix_info can record which augmentations
// ran on a sample without pulling in any pixel code.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string_view>

#include "../geometry.hpp"

namespace resizemix {

/// The operations of torchvision's RandAugment augmentation space, in its order (the first 14), then
/// AutoAugment's Invert and Cutout's hole (DeVries and Taylor 2017).
enum class augment_op : std::uint8_t {
    identity, shear_x, shear_y, translate_x, translate_y, rotate, brightness,
    color, contrast, sharpness, posterize, solarize, auto_contrast, equalize,
    invert, cutout,
};

/// How many operations RandAugment (and TrivialAugmentWide) chooses from: the first 14 values.
inline constexpr int augment_op_count = 14;

/// How many augment_op values there are in all.
inline constexpr int augment_op_value_count = 16;

/// torchvision's name of an operation ("ShearX", "AutoContrast", ...); "Cutout" for a Cutout hole.
[[nodiscard]] constexpr std::string_view to_string(augment_op op) noexcept {
    constexpr std::array<std::string_view, augment_op_value_count> names{
        "Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color",
        "Contrast", "Sharpness", "Posterize", "Solarize", "AutoContrast", "Equalize", "Invert", "Cutout"};
    const auto index = static_cast<std::size_t>(op);
    return index < names.size() ? names[index] : std::string_view("unknown");
}

inline std::ostream& operator<<(std::ostream& os, augment_op op) { return os << to_string(op); }

/// True for the operations whose magnitude RandAugment negates with probability 1/2.
[[nodiscard]] constexpr bool is_signed(augment_op op) noexcept {
    return op != augment_op::identity && op != augment_op::posterize && op != augment_op::solarize &&
           op != augment_op::auto_contrast && op != augment_op::equalize && op != augment_op::invert &&
           op != augment_op::cutout;
}

/// Which image of a mix an augmentation pipeline ran an operation on.
enum class augment_stage : std::uint8_t {
    output,  ///< the image given to rand_augment; in augment_after, the mixed image
    source,  ///< augment_before: the source, before mixing
    target,  ///< augment_before: the target, before mixing
    mix,     ///< the mixer's own work (Cutout run as a mixer), not a pipeline's
};

/// One operation as it ran: which, with which (signed) magnitude, on which image.
struct applied_op {
    augment_op op = augment_op::identity;
    double magnitude = 0.0;  ///< in apply_op's units for `op`; for Cutout the side length in pixels
    augment_stage stage = augment_stage::output;
    resizemix::box region{};  ///< Cutout: the hole as filled, clipped to the image (may be empty); else empty
    std::uint8_t link = 0;  ///< in a chain (chain.hpp), which of its augmenters drew it; 0 elsewhere
    friend bool operator==(const applied_op&, const applied_op&) = default;
};

}  // namespace resizemix
