// resizemix/grad_cam.hpp: Grad-CAM heatmaps from a layer's activations and gradients (Eigen).
//
// The map that the saliency-guided policies read in training: ReLU of the
// activations weighted by their global-average-pooled gradients. Kept apart
// from saliency_map.hpp so that only code that computes maps pays for Eigen.
#pragma once

#include <Eigen/Core>
#include <cmath>

#include "error.hpp"
#include "saliency_map.hpp"
#include "view.hpp"

namespace resizemix {

/// Grad-CAM (Selvaraju et al.): ReLU(sum_k mean(gradients_k) * activations_k).
/// `activations` and `gradients` are the K x h x w feature maps of one layer and
/// the gradients of the class score with respect to them, as CHW views (any strides).
/// Never negative; NaN where the sum is NaN (a non-finite input), never hidden as 0.
[[nodiscard]] inline saliency_map grad_cam(image_view<const float> activations,
                                           image_view<const float> gradients) {
    if (activations.empty() || gradients.empty()) detail::fail("grad_cam", "activations or gradients view is empty");
    if (activations.channels() != gradients.channels() || activations.height() != gradients.height() ||
        activations.width() != gradients.width()) {
        detail::fail("grad_cam", "activations are ", activations.channels(), "x", activations.height(), "x",
                     activations.width(), " but gradients are ", gradients.channels(), "x",
                     gradients.height(), "x", gradients.width(), " (K x h x w must match)");
    }
    using row_major = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using strided = Eigen::Map<const row_major, Eigen::Unaligned, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;
    const index_t height = activations.height();
    const index_t width = activations.width();
    auto plane = [&](const image_view<const float>& view, index_t k) {
        return strided(&view(k, 0, 0), height, width,
                       Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>(view.stride(1), view.stride(2)));
    };
    row_major weighted = row_major::Zero(height, width);
    for (index_t k = 0; k < activations.channels(); ++k) {
        const float channel_weight = plane(gradients, k).mean();  // global-average-pooled gradient
        weighted += channel_weight * plane(activations, k);
    }
    saliency_map map(height, width);
    // ReLU that keeps NaN (cwiseMax's answer for NaN depends on the SIMD path): a
    // non-finite activation or gradient shows as a non-finite map value, which
    // extreme_pixels ignores, rather than as a silent 0.
    Eigen::Map<row_major>(map.data(), height, width) =
        weighted.unaryExpr([](float value) { return value > 0.0f || std::isnan(value) ? value : 0.0f; });
    return map;
}

}  // namespace resizemix
