// resizemix/augment/augment.hpp: everything for augmentation beyond mixing, in one include.
//
// The RandAugment operations and policy (torchvision 0.14's semantics), AutoAugment,
// TrivialAugmentWide and Cutout, the pipelines that put augmentation before or after a mix, and
// batch augmentation (ResizeMix+ needs RandAugment, the pipelines and batch augmentation).
#pragma once

#include "augment_op.hpp"
#include "auto_augment.hpp"
#include "batch_augmentation.hpp"
#include "chain.hpp"
#include "color.hpp"
#include "cutout.hpp"
#include "geometric.hpp"
#include "pipeline.hpp"
#include "rand_augment.hpp"
#include "trivial_augment.hpp"
