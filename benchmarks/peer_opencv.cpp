// benchmarks/peer_opencv.cpp: OpenCV as a peer, the way an OpenCV user writes it.
//
// ResizeMix: cv::resize(partner, out(box), box size, INTER_LINEAR) straight
// into the target's region (per channel plane for planar float). CutMix:
// partner(box).copyTo(out(box)). Out of place, the target is first copied
// whole into the output (Mat::copyTo); in place, every patch is first rendered
// into a preallocated scratch Mat, then pasted, so patches come from the
// original pixels. One OpenCV thread (main() calls cv::setNumThreads(1)).
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "workload.hpp"

namespace bench {
namespace {

class opencv_peer final : public peer {
public:
    [[nodiscard]] std::string name() const override { return "opencv"; }
    [[nodiscard]] bool supports(method m, pixel_kind) const override {
        return m == method::resizemix || m == method::cutmix;
    }

    void prepare(const mix_plan& plan, pixel_kind kind, bool in_place) override {
        scratch_.clear();
        if (!in_place) return;
        for (index_t i = 0; i < plan.count; ++i) {
            const box& b = plan.target_box[static_cast<std::size_t>(i)];
            const int rows = static_cast<int>(b.height);
            const int cols = static_cast<int>(b.width);
            const int channels = static_cast<int>(plan.channels);
            if (kind == pixel_kind::u8_hwc) {
                scratch_.emplace_back(std::max(rows, 1), std::max(cols, 1), CV_8UC(channels));
            } else {
                scratch_.emplace_back(std::max(rows * channels, 1), std::max(cols, 1), CV_32FC1);
            }
        }
    }

    void run(const mix_plan& plan, pixel_kind kind, const void* input, void* output) override {
        const bool in_place = input == output;
        if (kind == pixel_kind::u8_hwc) {
            run_typed<std::uint8_t>(plan, static_cast<const std::uint8_t*>(input), static_cast<std::uint8_t*>(output),
                                    in_place);
        } else {
            run_typed<float>(plan, static_cast<const float*>(input), static_cast<float*>(output), in_place);
        }
    }

private:
    // Planes of image i: for HWC one Mat of C channels; for CHW C Mats of one channel.
    template <class T>
    static std::vector<cv::Mat> planes(const mix_plan& plan, const T* data, index_t i) {
        const int rows = static_cast<int>(plan.height);
        const int cols = static_cast<int>(plan.width);
        auto* base = const_cast<T*>(data) + static_cast<std::size_t>(i) * plan.image_elements();  // NOLINT: cv::Mat wants T*
        std::vector<cv::Mat> result;
        if constexpr (std::is_same_v<T, std::uint8_t>) {
            result.emplace_back(rows, cols, CV_8UC(static_cast<int>(plan.channels)), base);
        } else {
            for (index_t c = 0; c < plan.channels; ++c)
                result.emplace_back(rows, cols, CV_32FC1, base + static_cast<std::size_t>(c * plan.height * plan.width));
        }
        return result;
    }

    static cv::Rect rect(const box& b) {
        return {static_cast<int>(b.x), static_cast<int>(b.y), static_cast<int>(b.width), static_cast<int>(b.height)};
    }

    // Renders sample i's patch from its partner into `destination` planes (box-sized).
    static void render(const mix_plan& plan, const std::vector<cv::Mat>& partner, std::vector<cv::Mat>& destination,
                       index_t i) {
        const box& source_box = plan.source_box[static_cast<std::size_t>(i)];
        for (std::size_t p = 0; p < partner.size(); ++p) {
            if (plan.kind == method::cutmix) {
                partner[p](rect(source_box)).copyTo(destination[p]);
            } else {
                cv::resize(partner[p], destination[p], destination[p].size(), 0.0, 0.0, cv::INTER_LINEAR);
            }
        }
    }

    template <class T>
    void run_typed(const mix_plan& plan, const T* input, T* output, bool in_place) {
        if (!in_place) {
            for (index_t i = 0; i < plan.count; ++i) {
                const box& b = plan.target_box[static_cast<std::size_t>(i)];
                auto target = planes(plan, input, i);
                auto out = planes(plan, static_cast<const T*>(output), i);
                for (std::size_t p = 0; p < out.size(); ++p) target[p].copyTo(out[p]);
                if (b.empty()) continue;
                std::vector<cv::Mat> roi;
                for (auto& plane : out) roi.push_back(plane(rect(b)));
                render(plan, planes(plan, input, plan.partner[static_cast<std::size_t>(i)]), roi, i);
            }
            return;
        }
        // In place: every patch from the untouched batch first, then paste.
        std::vector<std::vector<cv::Mat>> patches(static_cast<std::size_t>(plan.count));
        for (index_t i = 0; i < plan.count; ++i) {
            const box& b = plan.target_box[static_cast<std::size_t>(i)];
            if (b.empty()) continue;
            cv::Mat& buffer = scratch_[static_cast<std::size_t>(i)];
            auto& patch = patches[static_cast<std::size_t>(i)];
            if constexpr (std::is_same_v<T, std::uint8_t>) {
                patch.push_back(buffer);
            } else {
                for (index_t c = 0; c < plan.channels; ++c)
                    patch.push_back(buffer.rowRange(static_cast<int>(c * b.height), static_cast<int>((c + 1) * b.height)));
            }
            render(plan, planes(plan, input, plan.partner[static_cast<std::size_t>(i)]), patch, i);
        }
        for (index_t i = 0; i < plan.count; ++i) {
            const box& b = plan.target_box[static_cast<std::size_t>(i)];
            if (b.empty()) continue;
            auto out = planes(plan, static_cast<const T*>(output), i);
            auto& patch = patches[static_cast<std::size_t>(i)];
            for (std::size_t p = 0; p < out.size(); ++p) {
                cv::Mat roi = out[p](rect(b));
                patch[p].copyTo(roi);
            }
        }
    }

    std::vector<cv::Mat> scratch_;
};

}  // namespace

void add_opencv_peers(peer_list& peers) { peers.push_back(std::make_unique<opencv_peer>()); }

}  // namespace bench
