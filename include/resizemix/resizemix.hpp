// resizemix/resizemix.hpp: the umbrella header; include this and you have it all.
//
// ResizeMix (Qin et al., "ResizeMix: Mixing Data with Preserved Object
// Information and True Labels"): resize the whole source image by
// tau ~ U(0.1, 0.8), paste it into the target at a random place, and weight the
// source label by its share of the output pixels. CutMix (all the paper's
// saliency variants), Mixup and the baselines SaliencyMix and FMix come with
// it, with soft labels and Grad-CAM.
#pragma once

#include "augment/augment.hpp"
#include "batch.hpp"
#include "compose.hpp"
#include "contrast_saliency.hpp"
#include "error.hpp"
#include "fine_grained_saliency.hpp"
#include "geometry.hpp"
#include "grad_cam.hpp"
#include "image.hpp"
#include "labels.hpp"
#include "mix_info.hpp"
#include "mixer.hpp"
#include "mixers/cutmix.hpp"
#include "mixers/fmix.hpp"
#include "mixers/mixup.hpp"
#include "mixers/resizemix.hpp"
#include "mixers/saliencymix.hpp"
#include "random.hpp"
#include "resize.hpp"
#include "saliency.hpp"
#include "saliency_map.hpp"
#include "view.hpp"
