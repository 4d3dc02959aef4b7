// examples/cli/batch_input.hpp: the folder `resizemix batch` reads, as one batch in memory.
//
// The batch is every .png / .jpg / .jpeg file directly in the folder (names
// starting with '.' skipped), in byte order of the names, decoded on the CLI's
// threads into one N x H x W x C buffer. Every image must have the first
// one's size and channels; the first that differs (in name order) is named.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <resizemix/batch.hpp>

#include "progress_bar.hpp"

namespace resizemix_cli {

/// The whole batch, interleaved (N x H x W x C).
struct loaded_batch {
    std::vector<std::uint8_t> pixels;
    resizemix::index_t count = 0;
    resizemix::index_t height = 0;
    resizemix::index_t width = 0;
    resizemix::index_t channels = 0;

    [[nodiscard]] resizemix::batch_view<std::uint8_t> view() {
        return resizemix::from_nhwc(pixels.data(), count, height, width, channels);
    }
    [[nodiscard]] const std::uint8_t* sample(resizemix::index_t i) const {
        return pixels.data() + static_cast<std::size_t>(i * height * width * channels);
    }
};

/// The names of the image files directly in `folder`, sorted; throws file_error when there are none.
[[nodiscard]] std::vector<std::string> list_images(const std::filesystem::path& folder);

/// Decodes `names` (in `folder`) with `channels` channels (0: as in the first file), refusing images above
/// `max_pixels` and any whose shape differs from the first's; runs on `run`, advancing `progress`.
[[nodiscard]] loaded_batch load_batch(const std::filesystem::path& folder, const std::vector<std::string>& names,
                                      int channels, std::uint64_t max_pixels, const resizemix::executor& run,
                                      progress_bar& progress);

}  // namespace resizemix_cli
