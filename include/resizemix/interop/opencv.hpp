// resizemix/interop/opencv.hpp: zero-copy views of cv::Mat, and cv::Mat headers over views.
//
// A cv::Mat stores interleaved pixels (HWC) with a row step in bytes, which
// covers ROIs and non-continuous Mats too: as_view() describes that memory
// with strides, without copying. Only 2-D Mats of CV_8U (std::uint8_t) or
// CV_32F (float) depth are accepted; anything else is a clear error.
// Include only where OpenCV is available.
#pragma once

#include <opencv2/core.hpp>
#include <type_traits>

#include "../error.hpp"
#include "../view.hpp"

namespace resizemix {

namespace detail {

template <class T>
constexpr int opencv_depth() {
    return std::is_same_v<std::remove_const_t<T>, std::uint8_t> ? CV_8U : CV_32F;
}

inline const char* opencv_depth_name(int depth) {
    switch (depth) {
        case CV_8U: return "CV_8U";
        case CV_8S: return "CV_8S";
        case CV_16U: return "CV_16U";
        case CV_16S: return "CV_16S";
        case CV_32S: return "CV_32S";
        case CV_32F: return "CV_32F";
        case CV_64F: return "CV_64F";
        default: return "an unknown depth";
    }
}

template <class T, class Mat>
image_view<T> view_of_mat(Mat& mat) {
    static_assert(pixel_type<T>, "resizemix::as_view<T>: T must be std::uint8_t or float");
    if (mat.empty()) fail("as_view", "the cv::Mat is empty");
    if (mat.dims != 2) fail("as_view", "the cv::Mat has ", mat.dims, " dimensions; only 2-D images are supported");
    if (mat.depth() != opencv_depth<T>()) {
        fail("as_view", "the cv::Mat has depth ", opencv_depth_name(mat.depth()), " but the view wants ",
             opencv_depth_name(opencv_depth<T>()), "; convert it with Mat::convertTo first");
    }
    const auto row_step = static_cast<index_t>(mat.step[0]);
    if (row_step % static_cast<index_t>(sizeof(T)) != 0) {
        fail("as_view", "the cv::Mat row step of ", row_step, " bytes is not a whole number of pixels");
    }
    using element = std::conditional_t<std::is_const_v<Mat>, const std::remove_const_t<T>, T>;
    auto* data = reinterpret_cast<element*>(const_cast<std::conditional_t<std::is_const_v<Mat>, const uchar*, uchar*>>(mat.data));
    return image_view<T>(data, mat.channels(), mat.rows, mat.cols, 1, row_step / static_cast<index_t>(sizeof(T)),
                         mat.channels());
}

}  // namespace detail

/// A view of a cv::Mat's pixels (ROIs and non-continuous Mats included). T must
/// match the Mat's depth. The Mat keeps owning the pixels.
template <class T>
[[nodiscard]] image_view<T> as_view(cv::Mat& mat) {
    return detail::view_of_mat<T>(mat);
}

/// A read-only view of a const cv::Mat.
template <class T>
    requires std::is_const_v<T>
[[nodiscard]] image_view<T> as_view(const cv::Mat& mat) {
    return detail::view_of_mat<T>(mat);
}

/// A cv::Mat header over a view's pixels (no copy). The view must be interleaved
/// (channel stride 1, column stride = channels) with a positive row stride,
/// and at most CV_CN_MAX channels. The Mat does not own the pixels.
template <class T>
[[nodiscard]] cv::Mat as_mat(image_view<T> view) {
    if (view.empty()) detail::fail("as_mat", "the view is empty");
    if (!view.has_hwc_rows() || view.stride(1) < view.width() * view.channels()) {
        detail::fail("as_mat", "cv::Mat needs interleaved rows (channel stride 1, column stride = channels, row "
                               "stride >= width * channels); copy the view into an HWC image first");
    }
    if (view.channels() > CV_CN_MAX) {
        detail::fail("as_mat", "the view has ", view.channels(), " channels; cv::Mat holds at most ", CV_CN_MAX);
    }
    using value = std::remove_const_t<T>;
    const int type = CV_MAKETYPE(detail::opencv_depth<T>(), static_cast<int>(view.channels()));
    return cv::Mat(static_cast<int>(view.height()), static_cast<int>(view.width()), type,
                   const_cast<value*>(view.data_handle()), static_cast<std::size_t>(view.stride(1)) * sizeof(value));
}

}  // namespace resizemix
