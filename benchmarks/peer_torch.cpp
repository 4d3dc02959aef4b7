// benchmarks/peer_torch.cpp: libtorch as a peer, two ways.
//
// "torch-mmpretrain" does what mmpretrain's ResizeMix / CutMix do on a batch
// tensor: gather the partner batch (batch[index], a copy), then for every
// sample F.interpolate(bilinear, align_corners=False) of its partner to the
// box size, pasted with a slice assignment (out of place: clone the batch
// first). With per-sample boxes that is one interpolate per sample. PyTorch
// 1.13 has no uint8 bilinear on the CPU, so uint8 batches are converted to
// float after the gather and rounded before the paste, as user code must.
// "torch-prealloc" is the best libtorch can do: every buffer preallocated in
// prepare(), no gather, upsample_bilinear2d_out into preallocated patches, then
// pasted. One ATen thread (main() calls at::set_num_threads(1)).
//
// Needs g++: <ATen/Functions.h> does not compile under clang 14 in C++20.
#include <ATen/Functions.h>

#include "workload.hpp"

namespace bench {
namespace {

at::Tensor wrap(const mix_plan& plan, pixel_kind kind, const void* data) {
    const std::int64_t n = plan.count;
    const std::int64_t c = plan.channels;
    const std::int64_t h = plan.height;
    const std::int64_t w = plan.width;
    void* pointer = const_cast<void*>(data);  // NOLINT: from_blob wants void*; inputs are never written
    if (kind == pixel_kind::u8_hwc) {
        return at::from_blob(pointer, {n, c, h, w}, {h * w * c, 1, w * c, c}, at::TensorOptions().dtype(at::kByte));
    }
    return at::from_blob(pointer, {n, c, h, w}, at::TensorOptions().dtype(at::kFloat));
}

at::Tensor region(const at::Tensor& batch, std::int64_t i, const box& b) {
    return batch.narrow(0, i, 1).narrow(2, b.y, b.height).narrow(3, b.x, b.width);
}

class torch_peer final : public peer {
public:
    explicit torch_peer(bool preallocated) : preallocated_(preallocated) {}

    [[nodiscard]] std::string name() const override { return preallocated_ ? "torch-prealloc" : "torch-mmpretrain"; }
    [[nodiscard]] bool supports(method m, pixel_kind) const override {
        return m == method::resizemix || (m == method::cutmix && !preallocated_);
    }

    void prepare(const mix_plan& plan, pixel_kind kind, bool /*in_place*/) override {
        index_.assign(plan.partner.begin(), plan.partner.end());
        patches_.clear();
        float_input_ = at::Tensor();
        if (!preallocated_) return;
        const auto format = kind == pixel_kind::u8_hwc ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
        if (kind == pixel_kind::u8_hwc) {
            float_input_ = at::empty({plan.count, plan.channels, plan.height, plan.width},
                                     at::TensorOptions().dtype(at::kFloat).memory_format(format));
        }
        for (index_t i = 0; i < plan.count; ++i) {
            const box& b = plan.target_box[static_cast<std::size_t>(i)];
            patches_.push_back(b.empty() ? at::Tensor()
                                         : at::empty({1, plan.channels, b.height, b.width},
                                                     at::TensorOptions().dtype(at::kFloat).memory_format(format)));
        }
    }

    void run(const mix_plan& plan, pixel_kind kind, const void* input, void* output) override {
        const at::Tensor in = wrap(plan, kind, input);
        at::Tensor out = wrap(plan, kind, output);
        const bool in_place = input == output;
        const bool bytes = kind == pixel_kind::u8_hwc;
        if (preallocated_) {
            const at::Tensor source = bytes ? float_input_.copy_(in) : in;
            for (std::int64_t i = 0; i < plan.count; ++i) {
                at::Tensor& patch = patches_[static_cast<std::size_t>(i)];
                if (!patch.defined()) continue;
                at::upsample_bilinear2d_out(patch, source.narrow(0, plan.partner[static_cast<std::size_t>(i)], 1),
                                            {patch.size(2), patch.size(3)}, false, c10::nullopt, c10::nullopt);
                if (bytes) patch.round_();
            }
            if (!in_place) out.copy_(in);
            for (std::int64_t i = 0; i < plan.count; ++i) {
                const at::Tensor& patch = patches_[static_cast<std::size_t>(i)];
                if (patch.defined()) region(out, i, plan.target_box[static_cast<std::size_t>(i)]).copy_(patch);
            }
            return;
        }
        // mmpretrain: batch_inputs[index], then a slice assignment per sample.
        if (!in_place) out.copy_(in);  // the clone of the batch that out-of-place mixing needs
        const at::Tensor index = at::from_blob(index_.data(), {plan.count}, at::TensorOptions().dtype(at::kLong));
        at::Tensor gathered = in.index_select(0, index);
        if (plan.kind == method::cutmix) {
            for (std::int64_t i = 0; i < plan.count; ++i) {
                const box& b = plan.target_box[static_cast<std::size_t>(i)];
                if (b.empty()) continue;
                region(out, i, b).copy_(region(gathered, i, plan.source_box[static_cast<std::size_t>(i)]));
            }
            return;
        }
        if (bytes) gathered = gathered.to(at::kFloat);
        for (std::int64_t i = 0; i < plan.count; ++i) {
            const box& b = plan.target_box[static_cast<std::size_t>(i)];
            if (b.empty()) continue;
            at::Tensor resized =
                at::upsample_bilinear2d(gathered.narrow(0, i, 1), {b.height, b.width}, false, c10::nullopt, c10::nullopt);
            if (bytes) resized = resized.round();
            region(out, i, b).copy_(resized);
        }
    }

private:
    bool preallocated_;
    std::vector<std::int64_t> index_;
    std::vector<at::Tensor> patches_;
    at::Tensor float_input_;
};

}  // namespace

void add_torch_peers(peer_list& peers) {
    peers.push_back(std::make_unique<torch_peer>(false));
    peers.push_back(std::make_unique<torch_peer>(true));
}

}  // namespace bench
