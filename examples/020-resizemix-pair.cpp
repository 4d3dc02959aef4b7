// 020: ResizeMix on two photos. The whole source is resized by tau ~ U(0.1, 0.8)
// and pasted into the target; lambda, the source label weight, is its pixel share.
#include <cstdio>
#include <resizemix/resizemix.hpp>
#include <stb_image.h>
#include <stb_image_write.h>
#include <string>

int main() {
    const std::string data = RESIZEMIX_DATA_DIR;
    int sw = 0, sh = 0, tw = 0, th = 0, channels = 0;
    unsigned char* source = stbi_load((data + "/chelsea.png").c_str(), &sw, &sh, &channels, 3);
    unsigned char* target = stbi_load((data + "/coffee.png").c_str(), &tw, &th, &channels, 3);
    if (source == nullptr || target == nullptr) return 1;

    const auto source_view = resizemix::from_hwc<const unsigned char>(source, sh, sw, 3);
    const auto target_view = resizemix::from_hwc(target, th, tw, 3);

    resizemix::rng random(2024);
    const resizemix::resize_mix mixer{.scale_min = 0.1f, .scale_max = 0.8f};
    // out may be the target itself: the mix happens in place.
    const resizemix::mix_info info = mixer(source_view, target_view, target_view, random);

    const Eigen::RowVectorXf label = resizemix::soft_label(info, /*source_class=*/0, /*target_class=*/1, 2);
    std::printf("tau %.3f, patch %tdx%td at (%td, %td), lambda %.4f, label [%.4f, %.4f]\n", info.tau,
                info.box.width, info.box.height, info.box.x, info.box.y, info.lambda, label(0), label(1));
    const bool written = stbi_write_png("020-resizemix-pair.png", tw, th, 3, target, tw * 3) != 0;
    stbi_image_free(source);
    stbi_image_free(target);
    return written && info.lambda == double(info.box.area()) / (tw * th) ? 0 : 1;
}
