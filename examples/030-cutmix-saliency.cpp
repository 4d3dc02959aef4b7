// 030: saliency-guided CutMix (the ResizeMix paper, Table 1). The box is cut
// around the source's most salient pixel and pasted over the target's least
// salient one. Maps come from a callback; here a toy map, in training Grad-CAM.
#include <cstdio>
#include <resizemix/resizemix.hpp>

int main() {
    resizemix::image<float> source(3, 64, 64), target(3, 64, 64);

    // A 8x8 map whose maximum is at map pixel (6, 1): image centre ((6.5) * 8, (1.5) * 8) = (52, 12).
    resizemix::saliency_map source_map(8, 8);
    source_map(1, 6) = 1.0f;
    resizemix::saliency_map target_map(8, 8, std::vector<float>(64, 1.0f));
    target_map(7, 0) = 0.0f;  // the target's least salient pixel: bottom-left

    const resizemix::cut_mix mixer{.alpha = 1.0f,
                                   .source_region = resizemix::region::salient,
                                   .paste_region = resizemix::region::non_salient};
    resizemix::rng random(7);
    const auto info = mixer(source.view(), target.view(), target.view(), random,
                            resizemix::pair_saliency{source_map, target_map});
    std::printf("cut %tdx%td from (%td, %td), pasted at (%td, %td), lambda %.4f\n", info.source_box.width,
                info.source_box.height, info.source_box.x, info.source_box.y, info.box.x, info.box.y, info.lambda);

    // Without a map, a saliency policy is an error, never a silent fallback.
    try {
        (void)mixer(source.view(), target.view(), target.view(), random);
        return 1;
    } catch (const resizemix::error& e) {
        std::printf("as expected: %s\n", e.what());
    }
    return info.source_box.contains(52, 12) || info.source_box.width > 52 ? 0 : 1;
}
