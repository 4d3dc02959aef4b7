// Instantiates the main paths of every mixer, the combinators and mix_batch for both
// pixel types, so that resizemix_header_check compiles their template bodies under
// the strict flags users may have (-Wconversion -Wsign-conversion -Wshadow -Werror).
#include <resizemix/resizemix.hpp>
#include <vector>

namespace {

template <class T>
void instantiate() {
    std::vector<T> pixels(4 * 3 * 16 * 16);
    auto batch = resizemix::from_nhwc(pixels.data(), 4, 16, 16, 3);
    const std::vector<std::int64_t> labels = {0, 1, 2, 3};
    resizemix::batch_options options;
    options.num_classes = 4;
    options.threads = 2;
    for (const auto method : {resizemix::interpolation::bilinear, resizemix::interpolation::nearest,
                              resizemix::interpolation::area}) {
        (void)resizemix::mix_batch(resizemix::one_of(resizemix::weighted{resizemix::resize_mix{.interpolation = method}, 1.0},
                                                     resizemix::weighted{resizemix::cut_mix{}, 1.0},
                                                     resizemix::weighted{resizemix::mixup{}, 1.0}),
                                   batch, labels, batch, options);
    }
    (void)resizemix::mix_batch(resizemix::one_of({{resizemix::resize_mix{}, 1.0}, {resizemix::cut_mix{}, 1.0}}), batch,
                               labels, batch, options);
    (void)resizemix::mix_batch(resizemix::one_of(resizemix::weighted{resizemix::saliency_mix{}, 1.0},
                                                 resizemix::weighted{resizemix::fmix{}, 1.0}),
                               batch, labels, batch, options);
    (void)resizemix::fine_grained_saliency(batch[0]);
    (void)resizemix::mix_batch(
        resizemix::sometimes(resizemix::cut_mix{.source_region = resizemix::region::salient}, 0.5), batch,
        Eigen::MatrixXf::Identity(4, 4), batch, {},
        [](const resizemix::saliency_query& query) { return resizemix::saliency_map(query.height, query.width); });
    (void)resizemix::mix_batch(resizemix::cutout{.holes = 2}, batch, labels, batch, options);
    (void)resizemix::mix_batch(resizemix::augment_after(resizemix::cut_mix{}, resizemix::auto_augment{}), batch, labels,
                               batch, options);
    (void)resizemix::mix_batch(resizemix::augment_before(resizemix::cutout{}, resizemix::trivial_augment_wide{}), batch,
                               labels, batch, options);
    (void)resizemix::mix_batch(resizemix::augment_after(resizemix::mixup{}, resizemix::cutout{.length_fraction = 0.5}),
                               batch, labels, batch, options);
}

}  // namespace

void instantiate_every_pixel_type() {
    instantiate<std::uint8_t>();
    instantiate<float>();
}
