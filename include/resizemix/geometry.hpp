// resizemix/geometry.hpp: boxes in pixel coordinates and the rules that place them.
//
// A box is a half-open rectangle [x, x + width) x [y, y + height). Mixers place
// boxes either uniformly over every position where they fit, or centred on a
// chosen pixel and shifted back inside the image (the ResizeMix paper,
// Appendix A, eq. 10-14).
#pragma once

#include <algorithm>
#include <cstddef>
#include <ostream>

#include "error.hpp"

namespace resizemix {

/// Signed index type used for every extent, stride and coordinate.
using index_t = std::ptrdiff_t;

/// An axis-aligned rectangle of pixels: columns [x, x + width), rows [y, y + height).
struct box {
    index_t x = 0;
    index_t y = 0;
    index_t width = 0;
    index_t height = 0;

    /// Number of pixels covered.
    [[nodiscard]] constexpr index_t area() const noexcept { return width * height; }
    [[nodiscard]] constexpr bool empty() const noexcept { return width <= 0 || height <= 0; }
    /// True when the box lies entirely inside an image of the given size.
    [[nodiscard]] constexpr bool inside(index_t image_width, index_t image_height) const noexcept {
        return x >= 0 && y >= 0 && width >= 0 && height >= 0 && x + width <= image_width &&
               y + height <= image_height;
    }
    [[nodiscard]] constexpr bool contains(index_t px, index_t py) const noexcept {
        return px >= x && px < x + width && py >= y && py < y + height;
    }
    friend constexpr bool operator==(const box&, const box&) = default;
};

inline std::ostream& operator<<(std::ostream& os, const box& b) {
    return os << "box{x=" << b.x << ", y=" << b.y << ", width=" << b.width
              << ", height=" << b.height << "}";
}

/// The part of `b` that lies inside an image of the given size (possibly empty).
[[nodiscard]] constexpr box clip(const box& b, index_t image_width, index_t image_height) noexcept {
    const index_t x0 = std::clamp<index_t>(b.x, 0, image_width);
    const index_t y0 = std::clamp<index_t>(b.y, 0, image_height);
    const index_t x1 = std::clamp<index_t>(b.x + b.width, 0, image_width);
    const index_t y1 = std::clamp<index_t>(b.y + b.height, 0, image_height);
    return {x0, y0, std::max<index_t>(0, x1 - x0), std::max<index_t>(0, y1 - y0)};
}

/// A width x height box centred on pixel (centre_x, centre_y), shifted back
/// inside the image where it sticks out (paper Appendix A, eq. 10-14): the box
/// keeps its size, so the label weight stays exactly its area.
/// Precondition: 1 <= width <= image_width and 1 <= height <= image_height
/// (else resizemix::error). Any centre is accepted: one outside the image acts
/// as the nearest pixel inside it.
[[nodiscard]] inline box centred_box_inside(index_t centre_x, index_t centre_y, index_t width,
                                            index_t height, index_t image_width,
                                            index_t image_height) {
    if (width < 1 || height < 1 || width > image_width || height > image_height) {
        detail::fail("centred_box_inside", "a ", width, "x", height,
                     " box does not fit an image of ", image_width, "x", image_height);
    }
    // A centre outside the image gives the same box as the nearest pixel inside it;
    // clamping first also keeps centre - size / 2 from overflowing for any centre.
    centre_x = std::clamp<index_t>(centre_x, 0, image_width - 1);
    centre_y = std::clamp<index_t>(centre_y, 0, image_height - 1);
    // For even sizes the centre pixel sits just right of / below the middle.
    const index_t x = std::clamp<index_t>(centre_x - width / 2, 0, image_width - width);
    const index_t y = std::clamp<index_t>(centre_y - height / 2, 0, image_height - height);
    return {x, y, width, height};
}

}  // namespace resizemix
