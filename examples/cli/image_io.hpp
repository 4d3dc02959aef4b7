// examples/cli/image_io.hpp: reading and writing image files for the resizemix CLI.
//
// stb_image reads (PNG, JPEG, and whatever else it knows), stb_image_write
// writes PNG or JPEG. Files are probed before decoding so oversized images are
// refused cheaply, and output goes to a temporary file beside the destination
// that is renamed into place only when it is complete.
#pragma once

#include <fcntl.h>
#include <stb_image.h>
#include <stb_image_write.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <resizemix/saliency.hpp>
#include <resizemix/view.hpp>

namespace resizemix_cli {

/// A file that cannot be opened, read, decoded or written; the message names the file.
class file_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Frees what stb_image allocated.
struct stb_deleter {
    void operator()(void* pixels) const noexcept { stbi_image_free(pixels); }
};

/// 8-bit interleaved pixels decoded by stb_image.
struct decoded_image {
    std::unique_ptr<std::uint8_t, stb_deleter> pixels;
    int width = 0;
    int height = 0;
    int channels = 0;

    [[nodiscard]] resizemix::image_view<std::uint8_t> view() const {
        return resizemix::from_hwc(pixels.get(), height, width, channels);
    }
};

namespace detail {

inline std::string quoted(const std::string& path) { return "'" + path + "'"; }

/// A FILE* opened for reading, closed on scope exit.
class input_file {
public:
    input_file(const std::string& path, const std::string& role) : file_(std::fopen(path.c_str(), "rb")) {
        if (file_ == nullptr) {
            throw file_error("cannot open " + role + " " + quoted(path) + ": " + std::strerror(errno));
        }
    }
    input_file(const input_file&) = delete;
    input_file& operator=(const input_file&) = delete;
    ~input_file() { std::fclose(file_); }
    [[nodiscard]] FILE* get() const noexcept { return file_; }

private:
    FILE* file_;
};

inline std::string stb_reason() {
    const char* reason = stbi_failure_reason();
    return reason != nullptr ? reason : "unknown reason";
}

/// Reads the header only: size and channels, and refuses images above `max_pixels`
/// before anything big is allocated (a tiny PNG can claim to be gigapixels).
inline void probe(const input_file& file, const std::string& path, const std::string& role,
                  std::uint64_t max_pixels) {
    int width = 0;
    int height = 0;
    int channels = 0;
    if (stbi_info_from_file(file.get(), &width, &height, &channels) == 0) {
        throw file_error(role + " " + quoted(path) + " is not an image stb_image can read (" + stb_reason() + ")");
    }
    const auto pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
    if (pixels > max_pixels) {
        throw file_error(role + " " + quoted(path) + " is " + std::to_string(width) + "x" + std::to_string(height) +
                         " = " + std::to_string(pixels) + " pixels, above the limit of " + std::to_string(max_pixels) +
                         " (raise it with --max-pixels)");
    }
}

}  // namespace detail

/// Decodes an image file to 8 bits per channel. `channels` 0 keeps the file's
/// channel count; 1-4 converts (gray, gray+alpha, RGB, RGBA) as stb_image does.
inline decoded_image load_image(const std::string& path, const std::string& role, int channels,
                                std::uint64_t max_pixels) {
    const detail::input_file file(path, role);
    detail::probe(file, path, role, max_pixels);
    decoded_image result;
    int channels_in_file = 0;
    result.pixels.reset(stbi_load_from_file(file.get(), &result.width, &result.height, &channels_in_file, channels));
    if (!result.pixels) {
        throw file_error("cannot decode " + role + " " + detail::quoted(path) + " (" + detail::stb_reason() + ")");
    }
    result.channels = channels != 0 ? channels : channels_in_file;
    return result;
}

/// Reads a saliency map: a grayscale image of any size (colour is converted to
/// luminance). 16-bit files keep their 16 bits, so ties at the maximum are not
/// created by rounding.
inline resizemix::saliency_map load_saliency(const std::string& path, const std::string& role,
                                             std::uint64_t max_pixels) {
    const detail::input_file file(path, role);
    detail::probe(file, path, role, max_pixels);
    int width = 0;
    int height = 0;
    int channels_in_file = 0;
    if (stbi_is_16_bit_from_file(file.get()) != 0) {
        const std::unique_ptr<stbi_us, stb_deleter> pixels(
            stbi_load_from_file_16(file.get(), &width, &height, &channels_in_file, 1));
        if (!pixels) {
            throw file_error("cannot decode " + role + " " + detail::quoted(path) + " (" + detail::stb_reason() + ")");
        }
        const auto count = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
        return resizemix::saliency_map(height, width, std::vector<float>(pixels.get(), pixels.get() + count));
    }
    decoded_image map;
    map.pixels.reset(stbi_load_from_file(file.get(), &map.width, &map.height, &channels_in_file, 1));
    if (!map.pixels) {
        throw file_error("cannot decode " + role + " " + detail::quoted(path) + " (" + detail::stb_reason() + ")");
    }
    map.channels = 1;
    return resizemix::saliency_from_image(map.view());
}

/// The file formats the CLI writes.
enum class output_format { png, jpeg };

/// The format named by the path's extension (.png, .jpg, .jpeg, any case), if any.
inline std::optional<output_format> format_from_extension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    const auto slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
    std::string extension = path.substr(dot + 1);
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == "png") return output_format::png;
    if (extension == "jpg" || extension == "jpeg") return output_format::jpeg;
    return std::nullopt;
}

/// JPEG quality used for .jpg / .jpeg output.
inline constexpr int jpeg_quality = 95;
/// The largest width or height a JPEG header can hold.
inline constexpr int jpeg_max_side = 65535;

namespace detail {

// The temporary file being written, so a signal handler can remove it. A fixed
// buffer, because the handler may only call async-signal-safe functions.
inline char pending_temporary[4096] = {};
inline volatile std::sig_atomic_t has_pending_temporary = 0;

extern "C" inline void remove_temporary_and_reraise(int signal_number) {
    if (has_pending_temporary != 0) ::unlink(pending_temporary);
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

struct write_context {
    FILE* file = nullptr;
    int error_number = 0;
};

extern "C" inline void write_to_file(void* context, void* data, int size) {
    auto* target = static_cast<write_context*>(context);
    if (target->error_number != 0 || size <= 0) return;
    if (std::fwrite(data, 1, static_cast<std::size_t>(size), target->file) != static_cast<std::size_t>(size)) {
        target->error_number = errno != 0 ? errno : EIO;
    }
}

}  // namespace detail

/// Writes `pixels` (interleaved, dense) to `path` as PNG or JPEG, all or nothing:
/// the bytes go to "<path>.tmp-<pid>" beside it, which is renamed over `path`
/// only once complete. On any failure the temporary file is removed and an
/// existing file at `path` is left untouched.
inline void write_image_atomically(const std::string& path, output_format format, const std::uint8_t* pixels,
                                   int width, int height, int channels) {
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    if (temporary.size() >= sizeof(detail::pending_temporary)) {
        throw file_error("output path " + detail::quoted(path) + " is too long");
    }
    // Exclusive creation: never follow or reuse something already at the temporary name.
    const int descriptor = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (descriptor < 0) {
        throw file_error("cannot write output " + detail::quoted(path) + ": cannot create " +
                         detail::quoted(temporary) + ": " + std::strerror(errno));
    }
    std::memcpy(detail::pending_temporary, temporary.c_str(), temporary.size() + 1);
    detail::has_pending_temporary = 1;
    const auto fail = [&](const std::string& why) {
        ::unlink(temporary.c_str());
        detail::has_pending_temporary = 0;
        throw file_error("cannot write output " + detail::quoted(path) + ": " + why);
    };

    detail::write_context context{::fdopen(descriptor, "wb"), 0};
    if (context.file == nullptr) {
        const int error_number = errno;
        ::close(descriptor);
        fail(std::strerror(error_number));
    }
    const int encoded =
        format == output_format::png
            ? stbi_write_png_to_func(detail::write_to_file, &context, width, height, channels, pixels, width * channels)
            : stbi_write_jpg_to_func(detail::write_to_file, &context, width, height, channels, pixels, jpeg_quality);
    if (context.error_number == 0 && std::fflush(context.file) != 0) context.error_number = errno;
    if (std::fclose(context.file) != 0 && context.error_number == 0) context.error_number = errno;
    if (encoded == 0) fail("stb_image_write could not encode the image");
    if (context.error_number != 0) fail(std::strerror(context.error_number));
    if (std::rename(temporary.c_str(), path.c_str()) != 0) fail(std::strerror(errno));
    detail::has_pending_temporary = 0;
}

/// Removes a half-written temporary output when the process is interrupted.
inline void remove_temporary_on_signals() {
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
        std::signal(signal_number, detail::remove_temporary_and_reraise);
    }
}

}  // namespace resizemix_cli
