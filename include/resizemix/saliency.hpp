// resizemix/saliency.hpp: everything about saliency in one include.
//
// saliency_map.hpp holds maps, region policies and box placement (Eigen-free,
// what the mixers need); grad_cam.hpp computes maps from a network (Eigen).
#pragma once

#include "grad_cam.hpp"
#include "saliency_map.hpp"
