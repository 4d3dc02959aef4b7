// resizemix::fine_grained_saliency against OpenCV's own cv::saliency::StaticSaliencyFineGrained
// (Debian's libopencv-contrib-dev), on the bundled photos and on noise, colour and gray, and
// SaliencyMix's box choice with the authors' saliency_bbox run on OpenCV's map.
//
// Tolerance: the maps are equal level for level wherever OpenCV's float integral image is exact
// (every partial sum below 2^24: images up to about 65 000 pixels of white, and all of the noise
// and photos below except coffee.png). Above that, OpenCV's SIMD integral rebuilds the tail of each
// row from already rounded sums, so its rounding depends on the machine's vector width; we round
// each sum once. There we allow a difference of at most 2 levels on at most 0.5% of the pixels.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/saliency.hpp>
#include <resizemix/fine_grained_saliency.hpp>
#include <resizemix/mixers/saliencymix.hpp>

namespace {

struct comparison {
    long differing = 0;
    int largest = 0;
    long pixels = 0;
};

/// OpenCV's map of a BGR (or gray) Mat, as levels 0-255.
cv::Mat opencv_levels(const cv::Mat& bgr) {
    cv::Mat map;
    REQUIRE(cv::saliency::StaticSaliencyFineGrained::create()->computeSaliency(bgr, map));
    cv::Mat levels;
    if (map.type() == CV_32F) {
        map.convertTo(levels, CV_8U, 255.0);  // the module's 4.x output is level / 255
    } else {
        levels = map;
    }
    return levels;
}

/// Ours on the same picture (an RGB copy for colour, as resizemix reads channels).
std::vector<std::uint8_t> our_levels(const cv::Mat& bgr) {
    cv::Mat rgb;
    if (bgr.channels() == 3) {
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    } else {
        rgb = bgr.clone();
    }
    const auto view = resizemix::from_hwc<const std::uint8_t>(rgb.data, rgb.rows, rgb.cols, rgb.channels());
    return resizemix::fine_grained_saliency_levels(view);
}

comparison compare(const cv::Mat& bgr) {
    const cv::Mat reference = opencv_levels(bgr);
    const std::vector<std::uint8_t> ours = our_levels(bgr);
    comparison result;
    result.pixels = static_cast<long>(ours.size());
    for (int y = 0; y < bgr.rows; ++y)
        for (int x = 0; x < bgr.cols; ++x) {
            const int difference = std::abs(reference.at<std::uint8_t>(y, x) - ours[static_cast<std::size_t>(y * bgr.cols + x)]);
            if (difference != 0) ++result.differing;
            result.largest = std::max(result.largest, difference);
        }
    return result;
}

cv::Mat noise(int height, int width, int type, std::uint64_t seed) {
    cv::Mat picture(height, width, type);
    cv::RNG random(seed);
    random.fill(picture, cv::RNG::UNIFORM, 0, 256);
    return picture;
}

cv::Mat photo(const std::string& name, int flags = cv::IMREAD_COLOR) {
    cv::Mat picture = cv::imread(std::string(RESIZEMIX_DATA_DIR) + "/" + name, flags);
    REQUIRE_FALSE(picture.empty());
    return picture;
}

}  // namespace

TEST_CASE("fine_grained_saliency equals OpenCV's level for level on noise, colour and gray", "[fine_grained_saliency]") {
    for (const auto& [height, width] : std::vector<std::pair<int, int>>{{1, 1}, {2, 3}, {13, 17}, {48, 64}, {37, 100}, {260, 300}}) {
        for (const int type : {CV_8UC3, CV_8UC1}) {
            cv::Mat picture = noise(height, width, type, static_cast<std::uint64_t>(height * 1000 + width));
            CAPTURE(height, width, type);
            CHECK(compare(picture).differing == 0);
            cv::Mat smooth;  // low contrast, where the stretching steps matter
            cv::GaussianBlur(picture, smooth, cv::Size(9, 9), 3.0);
            CHECK(compare(smooth).differing == 0);
        }
    }
}

TEST_CASE("fine_grained_saliency equals OpenCV's on the bundled photos", "[fine_grained_saliency]") {
    for (const char* name : {"astronaut.png", "chelsea.png"}) {
        CAPTURE(name);
        CHECK(compare(photo(name)).differing == 0);
        CHECK(compare(photo(name, cv::IMREAD_GRAYSCALE)).differing == 0);
    }
    // 600 x 400: the integral passes 2^24, where OpenCV's own rounding depends on the machine.
    const comparison coffee = compare(photo("coffee.png"));
    CHECK(coffee.largest <= 2);
    CHECK(static_cast<double>(coffee.differing) <= 0.005 * static_cast<double>(coffee.pixels));
}

TEST_CASE("saliency_mix cuts the box the authors' saliency_bbox finds on OpenCV's map", "[saliency_mix]") {
    for (const char* name : {"astronaut.png", "chelsea.png"}) {
        cv::Mat bgr;
        cv::resize(photo(name), bgr, cv::Size(96, 64), 0, 0, cv::INTER_AREA);
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        const auto source = resizemix::from_hwc<const std::uint8_t>(rgb.data, rgb.rows, rgb.cols, 3);
        // The authors' saliency_bbox(img, lam) for a CHW tensor: "W" = size[1] is the row count,
        // x the row of the argmax; saliencyMap = (map * 255).astype("uint8").
        cv::Mat map;
        REQUIRE(cv::saliency::StaticSaliencyFineGrained::create()->computeSaliency(bgr, map));
        REQUIRE(map.type() == CV_32F);
        cv::Mat quantised(map.size(), CV_8U);
        for (int y = 0; y < map.rows; ++y)
            for (int x = 0; x < map.cols; ++x)
                quantised.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(map.at<float>(y, x) * 255.0f);
        double top = 0;
        cv::Point at;
        cv::minMaxLoc(quantised, nullptr, &top, nullptr, &at);  // the first maximum in row-major order, as np.argmax
        const int row = at.y, column = at.x;
        for (std::uint64_t seed = 0; seed < 40; ++seed) {
            resizemix::rng random(seed);
            resizemix::rng replay = random;
            const double lam = replay.beta(1.0);
            const double cut_rat = std::sqrt(1.0 - lam);
            const int rows = rgb.rows, columns = rgb.cols;
            const int cut_w = static_cast<int>(rows * cut_rat), cut_h = static_cast<int>(columns * cut_rat);
            const int bbx1 = std::clamp(row - cut_w / 2, 0, rows), bbx2 = std::clamp(row + cut_w / 2, 0, rows);
            const int bby1 = std::clamp(column - cut_h / 2, 0, columns), bby2 = std::clamp(column + cut_h / 2, 0, columns);
            const resizemix::mix_info info = resizemix::saliency_mix{}.plan(source, source, random, resizemix::no_saliency{});
            CAPTURE(name, seed, lam);
            if (bbx2 - bbx1 == 0 || bby2 - bby1 == 0) {
                CHECK(info.box.empty());
                continue;
            }
            CHECK(info.box == resizemix::box{bby1, bbx1, bby2 - bby1, bbx2 - bbx1});
        }
    }
}
