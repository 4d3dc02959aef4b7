// examples/cli/batch_input.cpp: see batch_input.hpp.
#include "batch_input.hpp"

#include <algorithm>
#include <cstring>
#include <system_error>

#include "io/image_io.hpp"
#include "io/interrupts.hpp"

namespace resizemix_cli {

namespace fs = std::filesystem;
using resizemix::index_t;

namespace {

std::string describe_shape(index_t width, index_t height, index_t channels) {
    return std::to_string(width) + "x" + std::to_string(height) + " with " + std::to_string(channels) +
           (channels == 1 ? " channel" : " channels");
}

}  // namespace

std::vector<std::string> list_images(const fs::path& folder) {
    const std::string where = "input directory " + quoted(folder.string());
    std::error_code error;
    const fs::file_status status = fs::status(folder, error);
    if (!fs::exists(status)) throw file_error(where + " does not exist");
    if (!fs::is_directory(status)) throw file_error(where + " is not a directory");
    std::vector<std::string> names;
    fs::directory_iterator entries(folder, error);
    if (error) throw file_error("cannot read " + where + ": " + error.message());
    for (const fs::directory_entry& entry : entries) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.front() == '.' || !format_from_extension(name)) continue;
        std::error_code kind_error;
        if (entry.is_regular_file(kind_error)) names.push_back(name);
    }
    if (names.empty()) throw file_error(where + " holds no .png, .jpg or .jpeg files");
    std::sort(names.begin(), names.end());
    return names;
}

loaded_batch load_batch(const fs::path& input_dir, const std::vector<std::string>& names, int channels,
                        std::uint64_t max_pixels, const resizemix::executor& run, progress_bar& progress) {
    const std::string first_path = (input_dir / names[0]).string();
    progress.start("reading", static_cast<index_t>(names.size()));
    const decoded_image first = load_image(first_path, "image", channels, max_pixels);
    loaded_batch batch;
    batch.count = static_cast<index_t>(names.size());
    batch.height = first.height;
    batch.width = first.width;
    batch.channels = first.channels;
    const auto sample_bytes = static_cast<std::size_t>(batch.height * batch.width * batch.channels);
    if (sample_bytes != 0 && names.size() > batch.pixels.max_size() / sample_bytes) {
        throw file_error("the batch of " + std::to_string(names.size()) + " images of " +
                         describe_shape(batch.width, batch.height, batch.channels) + " is too big to hold in memory");
    }
    batch.pixels.resize(sample_bytes * names.size());
    std::memcpy(batch.pixels.data(), first.pixels.get(), sample_bytes);
    progress.advance();

    run(batch.count - 1, [&](index_t k) {
        check_interrupt();
        const index_t i = k + 1;
        const std::string path = (input_dir / names[static_cast<std::size_t>(i)]).string();
        const decoded_image image = load_image(path, "image", channels, max_pixels);
        if (image.width != batch.width || image.height != batch.height || image.channels != batch.channels) {
            const bool channels_only = image.width == batch.width && image.height == batch.height;
            throw file_error("image " + quoted(path) + " is " + describe_shape(image.width, image.height, image.channels) +
                             " but the first image, " + quoted(first_path) + ", is " +
                             describe_shape(batch.width, batch.height, batch.channels) +
                             ": every image of a batch must have the same size and channels" +
                             (channels_only ? " (pass --channels " + std::to_string(batch.channels) +
                                                  " to convert them as they are read)"
                                            : " (resize them first)"));
        }
        std::memcpy(batch.pixels.data() + static_cast<std::size_t>(i) * sample_bytes, image.pixels.get(), sample_bytes);
        progress.advance();
    });
    progress.erase();
    return batch;
}

}  // namespace resizemix_cli
