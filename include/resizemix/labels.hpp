// resizemix/labels.hpp: soft labels from mix_info, with label smoothing (Eigen).
//
// A mixed image carries the source class with weight lambda (its pixel share)
// and the target class with weight 1 - lambda. Label smoothing eps then gives
// (1 - eps) * mixed + eps / K, so every row still sums to 1.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <span>

#include "error.hpp"
#include "mix_info.hpp"

namespace resizemix {

namespace detail {

inline void check_label_arguments(const char* function, index_t num_classes, float smoothing) {
    if (num_classes < 1) fail(function, "num_classes must be at least 1, got ", num_classes);
    if (!std::isfinite(smoothing) || smoothing < 0.0f || smoothing >= 1.0f) {
        fail(function, "smoothing must be in [0, 1), got ", smoothing);
    }
}

inline void check_class(const char* function, const char* argument, std::int64_t label, index_t num_classes) {
    if (label < 0 || label >= num_classes) {
        fail(function, argument, " ", label, " is outside [0, ", num_classes, ")");
    }
}

template <class Row>
void fill_soft_label(Row&& row, double lambda, std::int64_t source_class, std::int64_t target_class,
                     index_t num_classes, float smoothing) {
    const double keep = 1.0 - static_cast<double>(smoothing);
    const double spread = static_cast<double>(smoothing) / static_cast<double>(num_classes);
    row.setConstant(static_cast<float>(spread));
    // Accumulate in double so source == target gives exactly 1 - eps + eps/K.
    double source_weight = spread + keep * lambda;
    double target_weight = spread + keep * (1.0 - lambda);
    if (source_class == target_class) source_weight = target_weight = spread + keep;
    row(static_cast<Eigen::Index>(source_class)) = static_cast<float>(source_weight);
    row(static_cast<Eigen::Index>(target_class)) = static_cast<float>(target_weight);
}

}  // namespace detail

/// The soft label of one mixed image: a row of `num_classes` weights summing to 1.
/// Classes must lie in [0, num_classes); smoothing in [0, 1).
[[nodiscard]] inline Eigen::RowVectorXf soft_label(const mix_info& info, std::int64_t source_class,
                                                   std::int64_t target_class, index_t num_classes,
                                                   float smoothing = 0.0f) {
    detail::check_label_arguments("soft_label", num_classes, smoothing);
    detail::check_class("soft_label", "source_class", source_class, num_classes);
    detail::check_class("soft_label", "target_class", target_class, num_classes);
    if (!(info.lambda >= 0.0 && info.lambda <= 1.0)) {
        detail::fail("soft_label", "info.lambda must be in [0, 1], got ", info.lambda);
    }
    Eigen::RowVectorXf row(num_classes);
    detail::fill_soft_label(row, info.lambda, source_class, target_class, num_classes, smoothing);
    return row;
}

/// Soft labels of a batch: row i mixes source_classes[i] (weight infos[i].lambda)
/// with target_classes[i]. All three spans must have the same length.
[[nodiscard]] inline Eigen::MatrixXf soft_labels(std::span<const mix_info> infos,
                                                 std::span<const std::int64_t> source_classes,
                                                 std::span<const std::int64_t> target_classes,
                                                 index_t num_classes, float smoothing = 0.0f) {
    detail::check_label_arguments("soft_labels", num_classes, smoothing);
    if (source_classes.size() != infos.size() || target_classes.size() != infos.size()) {
        detail::fail("soft_labels", "infos, source_classes and target_classes must have the same length, got ",
                     infos.size(), ", ", source_classes.size(), " and ", target_classes.size());
    }
    Eigen::MatrixXf labels(static_cast<Eigen::Index>(infos.size()), num_classes);
    for (std::size_t i = 0; i < infos.size(); ++i) {
        detail::check_class("soft_labels", "source_classes[i]", source_classes[i], num_classes);
        detail::check_class("soft_labels", "target_classes[i]", target_classes[i], num_classes);
        if (!(infos[i].lambda >= 0.0 && infos[i].lambda <= 1.0)) {
            detail::fail("soft_labels", "infos[", i, "].lambda must be in [0, 1], got ", infos[i].lambda);
        }
        detail::fill_soft_label(labels.row(static_cast<Eigen::Index>(i)), infos[i].lambda, source_classes[i],
                                target_classes[i], num_classes, smoothing);
    }
    return labels;
}

}  // namespace resizemix
