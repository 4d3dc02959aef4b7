// Tests for resizemix/interop/torch.hpp: zero-copy views of NCHW and
// channels-last CPU tensors (uint8 and float), clear errors for other dtypes,
// ranks and devices, soft labels as a tensor, dense target tensors for mix_batch,
// mix_batch in place on a tensor,
// and (with GNU compilers, where the ATen operator headers build) agreement of
// our bilinear resize with PyTorch's upsample_bilinear2d(align_corners=False).
#include <ATen/EmptyTensor.h>
#include <ATen/core/Tensor.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <resizemix/interop/torch.hpp>
#include <resizemix/resizemix.hpp>

#if !defined(__clang__)
#include <ATen/ATen.h>  // operators and functions: fail under clang 14 in C++20 (Debian's libtorch 1.13)
#endif

using namespace resizemix;
using Catch::Contains;

namespace {

at::Tensor filled(std::vector<int64_t> sizes, c10::ScalarType dtype) {
    at::Tensor t = at::detail::empty_cpu(sizes, dtype);
    const int64_t n = t.numel();
    if (dtype == c10::ScalarType::Byte) {
        auto* p = t.data_ptr<std::uint8_t>();
        for (int64_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>((i * 37 + 11) % 256);
    } else {
        auto* p = t.data_ptr<float>();
        for (int64_t i = 0; i < n; ++i) p[i] = static_cast<float>((i * 37 + 11) % 256) / 255.0f;
    }
    return t;
}

}  // namespace

TEST_CASE("as_batch_view maps NCHW and channels-last tensors without copying", "[torch]") {
    const at::Tensor nchw = filled({2, 3, 4, 5}, c10::ScalarType::Float);
    const auto view = as_batch_view<float>(nchw);
    CHECK(view.data_handle() == nchw.data_ptr<float>());
    CHECK(view.count() == 2);
    CHECK(view.stride(1) == 20);
    CHECK(view[1](2, 3, 4) == nchw.data_ptr<float>()[1 * 60 + 2 * 20 + 3 * 5 + 4]);

    // channels-last: logical NCHW, memory NHWC
    const at::Tensor nhwc_memory = filled({2, 4, 5, 3}, c10::ScalarType::Byte);
    const at::Tensor channels_last = nhwc_memory.permute({0, 3, 1, 2});
    const auto cl = as_batch_view<std::uint8_t>(channels_last);
    CHECK(cl.channels() == 3);
    CHECK(cl[0].has_hwc_rows());
    CHECK(cl[1](2, 3, 4) == nhwc_memory.data_ptr<std::uint8_t>()[1 * 60 + (3 * 5 + 4) * 3 + 2]);

    const at::Tensor image = filled({3, 4, 5}, c10::ScalarType::Float);
    CHECK(as_image_view<float>(image)(1, 2, 3) == image.data_ptr<float>()[20 + 10 + 3]);
}

TEST_CASE("tensor views refuse wrong dtypes and ranks with a clear message", "[torch]") {
    const at::Tensor bytes = filled({1, 3, 4, 4}, c10::ScalarType::Byte);
    CHECK_THROWS_WITH(as_batch_view<float>(bytes), Contains("dtype Byte but the view wants Float"));
    const at::Tensor doubles = at::detail::empty_cpu({1, 3, 4, 4}, c10::ScalarType::Double);
    CHECK_THROWS_AS(as_batch_view<float>(doubles), resizemix::error);
    CHECK_THROWS_WITH(as_image_view<std::uint8_t>(bytes), Contains("4 dimensions, expected 3"));
    CHECK_THROWS_WITH(as_batch_view<float>(at::Tensor()), Contains("undefined"));
}

TEST_CASE("to_tensor returns the soft labels row by row", "[torch]") {
    Eigen::MatrixXf labels(2, 3);
    labels << 0.1f, 0.2f, 0.7f, 0.5f, 0.5f, 0.0f;
    const at::Tensor t = to_tensor(labels);
    REQUIRE(t.dim() == 2);
    CHECK(t.size(0) == 2);
    CHECK(t.size(1) == 3);
    CHECK(t.data_ptr<float>()[2] == 0.7f);
    CHECK(t.data_ptr<float>()[3] == 0.5f);
}

TEST_CASE("mix_batch mixes a tensor in place, the same as out of place", "[torch]") {
    const at::Tensor original = filled({6, 3, 16, 16}, c10::ScalarType::Float);
    at::Tensor in_place = original.clone();
    at::Tensor output = at::detail::empty_cpu({6, 3, 16, 16}, c10::ScalarType::Float);
    batch_options options;
    options.seed = 5;
    auto view = as_batch_view<float>(in_place);
    (void)mix_batch(resize_mix{}, view, {}, view, options);
    (void)mix_batch(resize_mix{}, batch_view<const float>(as_batch_view<float>(original)), {},
                    as_batch_view<float>(output), options);
    CHECK(std::equal(in_place.data_ptr<float>(), in_place.data_ptr<float>() + in_place.numel(),
                     output.data_ptr<float>()));
}

TEST_CASE("as_target_matrix gives mix_batch a float target tensor, strided or not, without copying", "[torch]") {
    at::Tensor images = filled({4, 3, 12, 12}, c10::ScalarType::Float);
    // K x N storage read transposed: a strided N x K view of multi-hot rows.
    at::Tensor storage = at::detail::empty_cpu({3, 4}, c10::ScalarType::Float);
    const float values[3][4] = {{1, 0, 0, 1}, {0, 1, 0, 1}, {1, 1, 1, 0}};
    for (int k = 0; k < 3; ++k)
        for (int n = 0; n < 4; ++n) storage.data_ptr<float>()[k * 4 + n] = values[k][n];
    const at::Tensor targets = storage.t();  // 4 x 3, strides (1, 4)
    const auto matrix = as_target_matrix(targets);
    CHECK(matrix.data() == storage.data_ptr<float>());
    REQUIRE(matrix.rows() == 4);
    REQUIRE(matrix.cols() == 3);
    CHECK(matrix(3, 0) == 1.0f);
    CHECK(matrix(3, 2) == 0.0f);
    batch_options options;
    options.seed = 2;
    auto view = as_batch_view<float>(images);
    const auto mixed = mix_batch(cut_mix{}, view, matrix, view, options);
    const at::Tensor soft = to_tensor(mixed.labels);
    for (int64_t i = 0; i < 4; ++i) {
        const double lambda = mixed.samples[static_cast<std::size_t>(i)].info.lambda;
        const index_t partner = mixed.samples[static_cast<std::size_t>(i)].partner;
        for (int64_t k = 0; k < 3; ++k) {
            const double expected = lambda * matrix(partner, k) + (1.0 - lambda) * matrix(i, k);
            CHECK(soft.data_ptr<float>()[i * 3 + k] == static_cast<float>(expected));
        }
    }
    CHECK_THROWS_WITH(as_target_matrix(images), Contains("the tensor has 4 dimensions, expected 2 (N, K)"));
    CHECK_THROWS_WITH(as_target_matrix(filled({4, 3}, c10::ScalarType::Byte)), Contains("dtype"));
}

#if !defined(__clang__)
TEST_CASE("bilinear resize agrees with PyTorch upsample_bilinear2d(align_corners=False)", "[torch]") {
    const at::Tensor source = filled({1, 3, 29, 41}, c10::ScalarType::Float);
    for (const auto& [height, width] : std::vector<std::pair<int64_t, int64_t>>{{7, 9}, {29, 41}, {60, 33}, {2, 90}, {1, 1}}) {
        const at::Tensor expected = at::upsample_bilinear2d(source, {height, width}, /*align_corners=*/false);
        image<float> ours(3, height, width, memory_layout::chw);
        resize(as_image_view<const float>(source[0]), ours.view());
        const at::Tensor ours_tensor = at::from_blob(ours.data(), {1, 3, height, width});
        CHECK((ours_tensor - expected).abs().max().item<float>() <= 1e-4f);

        // uint8: PyTorch 1.13 resizes bytes through float; we round to nearest, within 1 level.
        const at::Tensor bytes = (source * 255.0).round().to(c10::ScalarType::Byte);
        const at::Tensor expected_bytes =
            at::upsample_bilinear2d(bytes.to(c10::ScalarType::Float), {height, width}, false).round();
        image<std::uint8_t> ours_bytes(3, height, width, memory_layout::chw);
        resize(as_image_view<const std::uint8_t>(bytes[0]), ours_bytes.view());
        const at::Tensor ours_bytes_tensor =
            at::from_blob(ours_bytes.data(), {1, 3, height, width}, c10::ScalarType::Byte).to(c10::ScalarType::Float);
        CHECK((ours_bytes_tensor - expected_bytes).abs().max().item<float>() <= 1.0f);
    }
}
#endif
