// resizemix/interop/torch.hpp: zero-copy views of libtorch tensors, and soft labels back as a tensor.
//
// A tensor's logical order is already PyTorch's (N, C, H, W) and its strides
// say how it lies in memory, so NCHW and channels-last tensors (and slices of
// either) map onto batch_view without copying. Only CPU tensors of dtype uint8
// or float32 are accepted. Uses the narrow ATen headers (Debian's libtorch
// umbrella headers fail under clang 14 in C++20). Dense targets (N x K float
// tensors) map onto Eigen for mix_batch. Include only where libtorch is available.
#pragma once

#include <ATen/core/Tensor.h>
#include <ATen/EmptyTensor.h>
#include <Eigen/Core>
#include <sstream>
#include <type_traits>

#include "../error.hpp"
#include "../view.hpp"

namespace resizemix {

namespace detail {

template <class T>
constexpr c10::ScalarType torch_dtype() {
    return std::is_same_v<std::remove_const_t<T>, std::uint8_t> ? c10::ScalarType::Byte : c10::ScalarType::Float;
}

template <class T>
T* tensor_data(const at::Tensor& tensor, const char* function, int64_t rank) {
    static_assert(pixel_type<T>, "resizemix tensor views: T must be std::uint8_t or float (optionally const)");
    if (!tensor.defined()) fail(function, "the tensor is undefined");
    if (!tensor.device().is_cpu()) {
        std::ostringstream device;
        device << tensor.device();
        fail(function, "the tensor is on ", device.str(), "; resizemix mixes on the CPU: call .cpu() first");
    }
    if (tensor.scalar_type() != torch_dtype<T>()) {
        fail(function, "the tensor has dtype ", c10::toString(tensor.scalar_type()), " but the view wants ",
             c10::toString(torch_dtype<T>()));
    }
    if (tensor.dim() != rank) {
        fail(function, "the tensor has ", tensor.dim(), " dimensions, expected ", rank,
             rank == 4 ? " (N, C, H, W)" : rank == 3 ? " (C, H, W)" : " (N, K)");
    }
    return static_cast<T*>(tensor.data_ptr());
}

}  // namespace detail

/// A view of a 4-D CPU tensor (N, C, H, W in PyTorch's logical order; NCHW or
/// channels-last memory, or any slice). The tensor keeps owning the pixels.
template <class T>
[[nodiscard]] batch_view<T> as_batch_view(const at::Tensor& tensor) {
    T* data = detail::tensor_data<T>(tensor, "as_batch_view", 4);
    const auto sizes = tensor.sizes();
    const auto strides = tensor.strides();
    return batch_view<T>(data, sizes[0], sizes[1], sizes[2], sizes[3], strides[0], strides[1], strides[2], strides[3]);
}

/// A view of a 3-D CPU tensor (C, H, W).
template <class T>
[[nodiscard]] image_view<T> as_image_view(const at::Tensor& tensor) {
    T* data = detail::tensor_data<T>(tensor, "as_image_view", 3);
    const auto sizes = tensor.sizes();
    const auto strides = tensor.strides();
    return image_view<T>(data, sizes[0], sizes[1], sizes[2], strides[0], strides[1], strides[2]);
}

/// Dense targets of a batch (a 2-D float32 CPU tensor, N x K: one-hot, soft or multi-hot)
/// as an Eigen map for mix_batch, without copying; any strides. The tensor keeps owning them.
[[nodiscard]] inline Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0,
                                Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>
as_target_matrix(const at::Tensor& tensor) {
    const float* data = detail::tensor_data<const float>(tensor, "as_target_matrix", 2);
    return {data, tensor.size(0), tensor.size(1),
            Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>(tensor.stride(0), tensor.stride(1))};
}

/// Soft labels (one row per sample) as a new float32 CPU tensor of shape (rows, cols).
[[nodiscard]] inline at::Tensor to_tensor(const Eigen::MatrixXf& labels) {
    // at::detail::empty_cpu rather than at::empty: <ATen/ops/empty.h> fails under clang 14 in C++20.
    at::Tensor tensor = at::detail::empty_cpu({labels.rows(), labels.cols()}, c10::ScalarType::Float);
    using row_major = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<row_major>(tensor.data_ptr<float>(), labels.rows(), labels.cols()) = labels;
    return tensor;
}

}  // namespace resizemix
