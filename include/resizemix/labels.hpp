// resizemix/labels.hpp: soft labels from mix_info, with label smoothing (Eigen).
//
// A mixed image carries the source class with weight lambda (its pixel share)
// and the target class with weight 1 - lambda. Label smoothing eps then gives
// (1 - eps) * mixed + eps / K, so every row still sums to 1. Targets that are
// already rows (one-hot, soft, multi-hot) are mixed with the same weights and
// nothing else: see mix_target_rows.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

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

/// The same check for element `index` of a span of classes named `argument`.
inline void check_class(const char* function, const char* argument, std::size_t index, std::int64_t label,
                        index_t num_classes) {
    if (label < 0 || label >= num_classes) {
        fail(function, argument, "[", index, "] = ", label, " is outside [0, ", num_classes, ")");
    }
}

/// Dense targets must have `rows` rows, at least one column and only finite values.
template <class Derived>
void check_targets(const char* function, const Eigen::MatrixBase<Derived>& targets, Eigen::Index rows) {
    if (targets.rows() != rows) {
        fail(function, "targets has ", targets.rows(), " rows but the batch has ", rows, " samples");
    }
    if (targets.cols() < 1) fail(function, "targets must have at least one column");
    for (Eigen::Index i = 0; i < targets.rows(); ++i)
        for (Eigen::Index k = 0; k < targets.cols(); ++k)
            if (!std::isfinite(static_cast<double>(targets(i, k)))) {
                fail(function, "targets(", i, ", ", k, ") is ", static_cast<double>(targets(i, k)), ", not finite");
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
        detail::check_class("soft_labels", "source_classes", i, source_classes[i], num_classes);
        detail::check_class("soft_labels", "target_classes", i, target_classes[i], num_classes);
        if (!(infos[i].lambda >= 0.0 && infos[i].lambda <= 1.0)) {
            detail::fail("soft_labels", "infos[", i, "].lambda must be in [0, 1], got ", infos[i].lambda);
        }
        detail::fill_soft_label(labels.row(static_cast<Eigen::Index>(i)), infos[i].lambda, source_classes[i],
                                target_classes[i], num_classes, smoothing);
    }
    return labels;
}

/// Mixes dense target rows: row i of the result is infos[i].lambda * targets.row(partners[i])
/// + (1 - infos[i].lambda) * targets.row(i), computed in double. Nothing is renormalised or
/// smoothed, so one-hot rows give the soft labels of the index form without smoothing, soft rows
/// stay distributions, and multi-hot rows (binary cross-entropy) keep a class that both images
/// have at 1 (as timm and torchvision mix them). Targets must be finite, one row per sample.
template <class Derived>
[[nodiscard]] Eigen::MatrixXf mix_target_rows(std::span<const mix_info> infos, std::span<const index_t> partners,
                                              const Eigen::MatrixBase<Derived>& targets) {
    const auto count = static_cast<Eigen::Index>(infos.size());
    if (static_cast<Eigen::Index>(partners.size()) != count) {
        detail::fail("mix_target_rows", "infos and partners must have the same length, got ", infos.size(), " and ",
                     partners.size());
    }
    detail::check_targets("mix_target_rows", targets, count);
    Eigen::MatrixXf mixed(count, targets.cols());
    for (Eigen::Index i = 0; i < count; ++i) {
        const auto& info = infos[static_cast<std::size_t>(i)];
        const index_t partner = partners[static_cast<std::size_t>(i)];
        if (partner < 0 || partner >= count) {
            detail::fail("mix_target_rows", "partners[", i, "] = ", partner, " is outside [0, ", count, ")");
        }
        if (!(info.lambda >= 0.0 && info.lambda <= 1.0)) {
            detail::fail("mix_target_rows", "infos[", i, "].lambda must be in [0, 1], got ", info.lambda);
        }
        for (Eigen::Index k = 0; k < targets.cols(); ++k) {
            mixed(i, k) = static_cast<float>(info.lambda * static_cast<double>(targets(partner, k)) +
                                             (1.0 - info.lambda) * static_cast<double>(targets(i, k)));
        }
    }
    return mixed;
}

}  // namespace resizemix
