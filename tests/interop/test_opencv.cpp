// Tests for resizemix/interop/opencv.hpp: zero-copy views of cv::Mat (ROIs and
// non-continuous Mats, uint8 and float), Mat headers over views, clear errors
// for other depths, and agreement of our bilinear resize with cv::resize(INTER_LINEAR).
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>
#include <resizemix/interop/opencv.hpp>
#include <resizemix/resizemix.hpp>

using namespace resizemix;
using Catch::Contains;

TEST_CASE("as_view maps a cv::Mat, an ROI of it, and writes through", "[opencv]") {
    cv::Mat mat(20, 30, CV_8UC3);
    cv::randu(mat, 0, 256);
    const cv::Mat roi = mat(cv::Rect(5, 4, 10, 7));  // not continuous: the parent's row step
    REQUIRE_FALSE(roi.isContinuous());
    cv::Mat roi_header = roi;
    const auto view = as_view<std::uint8_t>(roi_header);
    CHECK(view.channels() == 3);
    CHECK(view.height() == 7);
    CHECK(view.width() == 10);
    CHECK(view.stride(1) == 30 * 3);
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 10; ++x)
            for (int c = 0; c < 3; ++c) CHECK(view(c, y, x) == roi.at<cv::Vec3b>(y, x)[c]);
    view(1, 2, 3) = 77;
    CHECK(mat.at<cv::Vec3b>(4 + 2, 5 + 3)[1] == 77);

    const cv::Mat& read_only = mat;
    const image_view<const std::uint8_t> const_view = as_view<const std::uint8_t>(read_only);
    CHECK(const_view.data_handle() == mat.data);
}

TEST_CASE("as_view refuses other depths and shapes with a clear message", "[opencv]") {
    cv::Mat doubles(4, 4, CV_64FC1);
    CHECK_THROWS_WITH(as_view<float>(doubles), Contains("depth CV_64F but the view wants CV_32F"));
    cv::Mat bytes(4, 4, CV_8UC1);
    CHECK_THROWS_AS(as_view<float>(bytes), resizemix::error);
    cv::Mat empty;
    CHECK_THROWS_WITH(as_view<std::uint8_t>(empty), Contains("empty"));
    const int sizes[] = {2, 3, 4};
    cv::Mat cube(3, sizes, CV_32FC1);
    CHECK_THROWS_WITH(as_view<float>(cube), Contains("3 dimensions"));
}

TEST_CASE("as_mat wraps interleaved views and refuses planar ones", "[opencv]") {
    image<float> interleaved(3, 6, 8);
    interleaved(2, 5, 7) = 0.25f;
    const cv::Mat header = as_mat(interleaved.view());
    CHECK(header.type() == CV_32FC3);
    CHECK(header.data == reinterpret_cast<uchar*>(interleaved.data()));
    CHECK(header.at<cv::Vec3f>(5, 7)[2] == 0.25f);
    const cv::Mat crop = as_mat(interleaved.view().subview({2, 1, 4, 3}));
    CHECK(crop.step[0] == 8 * 3 * sizeof(float));

    image<float> planar(3, 6, 8, memory_layout::chw);
    CHECK_THROWS_WITH(as_mat(planar.view()), Contains("interleaved rows"));
}

TEMPLATE_TEST_CASE("our bilinear resize agrees with cv::resize(INTER_LINEAR)", "[opencv]", std::uint8_t, float) {
    const int depth = std::is_same_v<TestType, std::uint8_t> ? CV_8UC3 : CV_32FC3;
    cv::Mat source(37, 53, depth);
    cv::randu(source, 0, std::is_same_v<TestType, std::uint8_t> ? 256 : 1);
    for (const cv::Size size : {cv::Size(20, 11), cv::Size(53, 37), cv::Size(90, 61), cv::Size(7, 30)}) {
        cv::Mat expected;
        cv::resize(source, expected, size, 0, 0, cv::INTER_LINEAR);
        image<TestType> ours(3, size.height, size.width);
        resize(as_view<const TestType>(source), ours.view());
        double worst = 0.0;
        for (int y = 0; y < size.height; ++y)
            for (int x = 0; x < size.width; ++x)
                for (int c = 0; c < 3; ++c) {
                    const double theirs = std::is_same_v<TestType, std::uint8_t>
                                              ? expected.at<cv::Vec3b>(y, x)[c]
                                              : expected.at<cv::Vec3f>(y, x)[c];
                    worst = std::max(worst, std::abs(theirs - static_cast<double>(ours(c, y, x))));
                }
        // OpenCV rounds uint8 through 11-bit fixed-point weights; float agrees to rounding.
        CHECK(worst <= (std::is_same_v<TestType, std::uint8_t> ? 1.0 : 1e-5));
    }
}

TEST_CASE("ResizeMix mixes cv::Mat images in place through views", "[opencv]") {
    cv::Mat source(48, 64, CV_8UC3, cv::Scalar(10, 20, 30));
    cv::Mat target(40, 60, CV_8UC3, cv::Scalar(200, 100, 0));
    rng random(3);
    const auto info = resize_mix{}(as_view<std::uint8_t>(source), as_view<std::uint8_t>(target),
                                   as_view<std::uint8_t>(target), random);
    const cv::Vec3b inside = target.at<cv::Vec3b>(static_cast<int>(info.box.y), static_cast<int>(info.box.x));
    CHECK(inside == cv::Vec3b(10, 20, 30));
    CHECK(cv::countNonZero(target.reshape(1) == 10) == info.box.area());
}
