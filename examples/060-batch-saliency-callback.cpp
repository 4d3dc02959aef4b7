// 060: saliency in a training loop. After the forward/backward pass the loop
// holds one Grad-CAM map per sample; the callback hands mix_batch the map of
// the image it asks for (query.image_index is that image's index in the batch).
#include <cstdio>
#include <resizemix/resizemix.hpp>
#include <vector>

int main() {
    using namespace resizemix;
    constexpr int count = 4, channels = 8, feature_size = 7, image_size = 56;

    // Stand-ins for one layer's activations and gradients per sample (K x 7 x 7).
    std::vector<saliency_map> maps;
    for (int i = 0; i < count; ++i) {
        std::vector<float> activations(channels * feature_size * feature_size, 0.1f);
        std::vector<float> gradients(activations.size(), 0.01f);
        activations[static_cast<std::size_t>(i * 8)] = 5.0f;  // sample i is hottest at feature pixel (i, i)
        maps.push_back(grad_cam(from_chw<const float>(activations.data(), channels, feature_size, feature_size),
                                from_chw<const float>(gradients.data(), channels, feature_size, feature_size)));
    }

    std::vector<float> batch(count * 3 * image_size * image_size, 0.5f);
    auto view = from_nchw(batch.data(), count, 3, image_size, image_size);
    int asked = 0;
    auto from_last_backward_pass = [&](const saliency_query& query) -> const saliency_map& {
        ++asked;
        return maps.at(static_cast<std::size_t>(query.image_index));
    };
    batch_options options;
    options.seed = 9;
    const auto result = mix_batch(cut_mix{.source_region = region::salient}, view, {}, view, options,
                                  from_last_backward_pass);
    for (const auto& r : result.samples)
        std::printf("source %td: box cut at (%td, %td)\n", r.partner, r.info.source_box.x, r.info.source_box.y);
    return asked == count ? 0 : 1;
}
