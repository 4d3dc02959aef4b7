// resizemix/saliency.hpp: everything about saliency in one include.
//
// saliency_map.hpp holds maps, region policies and box placement (Eigen-free,
// what the mixers need); grad_cam.hpp computes maps from a network (Eigen);
// contrast_saliency.hpp and fine_grained_saliency.hpp compute them from the image.
#pragma once

#include "contrast_saliency.hpp"
#include "fine_grained_saliency.hpp"
#include "grad_cam.hpp"
#include "saliency_map.hpp"
