// resizemix/contrast_saliency.hpp: a saliency map computed from the image itself.
//
// The saliency-guided policies (region::salient, region::non_salient) need a
// map; in training it comes from the network (grad_cam). To try them without
// a network or map files, contrast_saliency() gives the classic hand-made one:
// local contrast of the luminance weighted by a centre prior. It is what the
// CLI's `--saliency contrast` and `grid` use. Eigen-free.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "error.hpp"
#include "saliency_map.hpp"
#include "view.hpp"

namespace resizemix {

/// The local-contrast saliency of `image` (any channels; 3 or 4 are read as RGB(A),
/// 1 or 2 as gray (+ alpha)): the Sobel gradient magnitude of the luminance,
/// averaged over square cells of side max(1, min(width, height) / 20), then over
/// each cell's 3x3 neighbourhood of cells, times a centre prior (a Gaussian of
/// sigma = a third of each side). The map has one value per cell (ceil(width /
/// cell) x ceil(height / cell)); higher means more salient. Borders are extended.
template <class T>
[[nodiscard]] saliency_map contrast_saliency(image_view<const T> image) {
    if (image.empty()) detail::fail("contrast_saliency", "image must be a non-empty view");
    const index_t width = image.width();
    const index_t height = image.height();
    const bool colour = image.channels() >= 3;
    std::vector<float> luminance(static_cast<std::size_t>(width * height));
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            const float r = static_cast<float>(image(0, y, x));
            luminance[static_cast<std::size_t>(y * width + x)] =
                colour ? 0.299f * r + 0.587f * static_cast<float>(image(1, y, x)) +
                             0.114f * static_cast<float>(image(2, y, x))
                       : r;
        }
    const auto at = [&](index_t x, index_t y) {
        x = std::clamp<index_t>(x, 0, width - 1);
        y = std::clamp<index_t>(y, 0, height - 1);
        return luminance[static_cast<std::size_t>(y * width + x)];
    };
    const index_t cell = std::max<index_t>(1, std::min(width, height) / 20);
    const index_t map_width = (width + cell - 1) / cell;
    const index_t map_height = (height + cell - 1) / cell;
    std::vector<double> sums(static_cast<std::size_t>(map_width * map_height), 0.0);
    std::vector<double> counts(sums.size(), 0.0);
    for (index_t y = 0; y < height; ++y)
        for (index_t x = 0; x < width; ++x) {
            const float gx = (at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1)) -
                             (at(x - 1, y - 1) + 2 * at(x - 1, y) + at(x - 1, y + 1));
            const float gy = (at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1)) -
                             (at(x - 1, y - 1) + 2 * at(x, y - 1) + at(x + 1, y - 1));
            const auto k = static_cast<std::size_t>((y / cell) * map_width + x / cell);
            sums[k] += std::sqrt(static_cast<double>(gx) * gx + static_cast<double>(gy) * gy);
            counts[k] += 1.0;
        }
    saliency_map map(map_height, map_width);
    for (index_t my = 0; my < map_height; ++my)
        for (index_t mx = 0; mx < map_width; ++mx) {
            double total = 0.0;
            double cells = 0.0;
            for (index_t dy = -1; dy <= 1; ++dy)
                for (index_t dx = -1; dx <= 1; ++dx) {
                    const index_t nx = mx + dx;
                    const index_t ny = my + dy;
                    if (nx < 0 || ny < 0 || nx >= map_width || ny >= map_height) continue;
                    const auto k = static_cast<std::size_t>(ny * map_width + nx);
                    total += sums[k] / counts[k];
                    cells += 1.0;
                }
            // Objects tend to be photographed near the middle.
            const double dx = ((static_cast<double>(mx) + 0.5) / static_cast<double>(map_width) - 0.5) * 3.0;
            const double dy = ((static_cast<double>(my) + 0.5) / static_cast<double>(map_height) - 0.5) * 3.0;
            map(my, mx) = static_cast<float>(total / cells * std::exp(-0.5 * (dx * dx + dy * dy)));
        }
    return map;
}

/// contrast_saliency of a mutable view.
template <class T>
    requires(!std::is_const_v<T>)
[[nodiscard]] saliency_map contrast_saliency(image_view<T> image) {
    return contrast_saliency(image_view<const T>(image));
}

}  // namespace resizemix
