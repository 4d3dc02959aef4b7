// resizemix batch: mix a folder of images as one batch, with soft labels.
//
//   resizemix batch --input-dir D --output-dir O --method resizemix|cutmix|mixup [M ...]
//      [--labels L.csv [--num-classes K] [--label-smoothing E]]
//      [--seed N] [--epoch E] [--threads T] [--pairing shuffle|flip] [--per-batch]
//      [--scale-range MIN MAX] [--alpha A] [--weights W ...] [--probability P]
//      [--channels C] [--overwrite] [--max-pixels N]
//
// INPUT
//   The batch is every file directly in D whose name ends in .png, .jpg or .jpeg
//   (any case) and does not start with '.', in byte order of the names: sample
//   i is the i-th name. Other files and subfolders are ignored. Every image
//   must have the first image's width, height and channel count; the first
//   (in name order) that differs is named in the error. Nothing is resized:
//   resize the folder first if its sizes differ. --channels C converts every
//   image to C channels as it is read (1 gray, 2 gray + alpha, 3 RGB, 4 RGBA),
//   for folders that mix gray and colour files. The whole batch is held in
//   memory once (N x H x W x C bytes) and mixed in place.
//
// MIXING
//   resizemix::mix_batch: sample i is the target, its partner the source
//   (--pairing shuffle, a seeded permutation per epoch, the default; or flip,
//   sample N-1-i); sample i draws from rng::for_sample(N, E, i), so the output
//   bytes do not depend on --threads (default 0: every core). --per-batch
//   draws one set of parameters for all samples. Several methods make a
//   one_of(): each sample picks one, with probability proportional to
//   --weights (default equal). --probability P (default 1) mixes each sample
//   with probability P and leaves the others untouched (method "none",
//   lambda 0). --scale-range applies to resizemix, --alpha to cutmix and mixup,
//   as in `resizemix mix`; an option no chosen method reads is an error.
//
// LABELS
//   L.csv: a header line "filename,label", then one line "name,class" for every
//   image of the batch (blank lines skipped, a UTF-8 byte order mark and CRLF
//   line ends accepted, the class is the text after the last comma, a name
//   may be in double quotes). A line without a comma or with a non-integer
//   class, a name that is not an image of D or that comes twice, a class
//   outside [0, K), and an image without a line are errors naming the line or
//   the file. K is --num-classes, else the largest class + 1. The soft label of
//   sample i is (1 - E) * mix + E / K, where mix puts lambda on the partner's
//   class and 1 - lambda on i's own.
//
// OUTPUT
//   O/<name>     each mixed image, under its own name and in its own format
//                (PNG, or JPEG at quality 95)
//   O/labels.csv a header, then per image in batch order: filename, method,
//                partner (file name), lambda, box_x, box_y, box_width,
//                box_height, and with --labels: label, partner_label,
//                class_0 ... class_{K-1} (the soft label; each row sums to 1)
//   O/labels.json {"generator": "resizemix batch", the options, "count",
//                "width", "height", "channels", "images": [{"file", "method",
//                "partner", "lambda", "tau" (resizemix), "box", "source_box",
//                and with --labels "label", "partner_label", "soft_label"}]}
//   lambda is the partner's share of the output pixels, box where its pixels
//   sit (the whole image for mixup; empty when nothing was mixed). stdout gets
//   one JSON line: "output_dir", "count", "width", "height", "channels",
//   "methods", "seed", "epoch", "mean_lambda".
//
// ALL OR NOTHING
//   O must not exist, or be an empty folder; its parent must exist. Everything
//   is written into "O.tmp-<pid>" beside O, which is renamed to O only when
//   complete. On any error, or on SIGINT / SIGTERM / SIGHUP, that folder is
//   removed and O is left as it was. --overwrite replaces a non-empty O, but
//   only one that an earlier `resizemix batch` wrote (it holds its
//   labels.json): the old O is renamed aside, the new one renamed in, and the
//   old one deleted, so a failed run leaves the old output whole.
//
// PROGRESS
//   A progress bar on stderr while reading and writing, only when stderr is a
//   terminal; it is erased before the command ends, so stderr otherwise holds
//   nothing but a one-line error.
//
// ERRORS (one line on stderr, "resizemix: error: ...")
//   2  bad command line: unknown option or method, a missing option, an option
//      no chosen method reads, --weights not one per method
//   1  bad values (scale range, alpha, weights, probability, smoothing),
//      unreadable or undecodable images, images of another size, a bad labels
//      file, an output folder that exists or cannot be written
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <resizemix/resizemix.hpp>

#include "batch_command.hpp"
#include "cli_common.hpp"
#include "image_io.hpp"

namespace resizemix_cli {

namespace batch_detail {

/// The first interrupting signal (SIGINT, SIGTERM, SIGHUP) seen during `batch`, else 0.
inline volatile std::sig_atomic_t interrupt_signal = 0;

}  // namespace batch_detail

/// Notes the signal so the work loops stop and clean up; a second one ends the process at once.
extern "C" inline void resizemix_batch_note_interrupt(int signal_number) {
    if (batch_detail::interrupt_signal != 0) {
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
        return;
    }
    batch_detail::interrupt_signal = signal_number;
}

/// Appends what stb_image_write produces to a std::vector<std::uint8_t>.
extern "C" inline void resizemix_batch_append_bytes(void* context, void* data, int size) {
    if (size <= 0) return;
    auto* bytes = static_cast<std::vector<std::uint8_t>*>(context);
    const auto* begin = static_cast<const std::uint8_t*>(data);
    bytes->insert(bytes->end(), begin, begin + size);
}

namespace {

namespace fs = std::filesystem;
using resizemix::index_t;

constexpr const char* labels_csv_name = "labels.csv";
constexpr const char* labels_json_name = "labels.json";
constexpr const char* generator_name = "resizemix batch";
constexpr index_t max_num_classes = 1'000'000;

struct batch_cli_options {
    std::string input_dir;
    std::string output_dir;
    std::vector<std::string> methods;
    std::string labels;
    index_t num_classes = 0;
    float label_smoothing = 0.0f;
    std::uint64_t seed = 0;
    std::uint64_t epoch = 0;
    unsigned threads = 0;
    std::string pairing = "shuffle";
    bool per_batch = false;
    std::pair<float, float> scale_range{0.1f, 0.8f};
    float alpha = 1.0f;
    std::vector<double> weights;
    double probability = 1.0;
    int channels = 0;
    bool overwrite = false;
    std::uint64_t max_pixels = default_max_pixels;

    CLI::Option* scale_range_option = nullptr;
    CLI::Option* alpha_option = nullptr;
    CLI::Option* weights_option = nullptr;
    CLI::Option* probability_option = nullptr;
    CLI::Option* num_classes_option = nullptr;
};

/// Thrown by the work loops once a signal has been noted.
struct interrupted {};

/// Routes SIGINT, SIGTERM and SIGHUP to resizemix_batch_note_interrupt while alive.
class interrupt_scope {
public:
    interrupt_scope() {
        batch_detail::interrupt_signal = 0;
        for (std::size_t k = 0; k < signals_.size(); ++k) {
            previous_[k] = std::signal(signals_[k], resizemix_batch_note_interrupt);
        }
    }
    interrupt_scope(const interrupt_scope&) = delete;
    interrupt_scope& operator=(const interrupt_scope&) = delete;
    ~interrupt_scope() {
        for (std::size_t k = 0; k < signals_.size(); ++k) std::signal(signals_[k], previous_[k]);
    }
    static void check() {
        if (batch_detail::interrupt_signal != 0) throw interrupted{};
    }
    /// Ends the process by the noted signal, as if it had not been caught (the staging folder is gone by now).
    [[noreturn]] static void reraise() {
        const int signal_number = batch_detail::interrupt_signal;
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
        throw file_error("interrupted by signal " + std::to_string(signal_number));
    }

private:
    static constexpr std::array<int, 3> signals_{SIGINT, SIGTERM, SIGHUP};
    std::array<void (*)(int), 3> previous_{};
};

std::string quote_path(const fs::path& path) { return "'" + path.string() + "'"; }

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string_view trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

/// A line of a user's file, shortened for an error message.
std::string excerpt(std::string_view line) {
    constexpr std::size_t longest = 80;
    return "'" + std::string(line.substr(0, longest)) + (line.size() > longest ? "...'" : "'");
}

// --- Progress ------------------------------------------------------------------

/// "resizemix batch: reading [##########----------]  20/40" on stderr, redrawn in
/// place, only when stderr is a terminal; erased when done or destroyed.
class progress_bar {
public:
    progress_bar() : enabled_(::isatty(STDERR_FILENO) == 1) {}
    progress_bar(const progress_bar&) = delete;
    progress_bar& operator=(const progress_bar&) = delete;
    ~progress_bar() { erase(); }

    void start(const std::string& stage, index_t total) {
        const std::lock_guard lock(mutex_);
        stage_ = stage;
        total_ = total;
        done_ = 0;
        drawn_ = -1;
        draw();
    }
    /// One more item done (thread-safe).
    void advance() {
        const std::lock_guard lock(mutex_);
        ++done_;
        draw();
    }
    void erase() {
        const std::lock_guard lock(mutex_);
        if (enabled_ && shown_) std::cerr << "\r\033[K" << std::flush;
        shown_ = false;
    }

private:
    void draw() {
        if (!enabled_) return;
        constexpr index_t width = 30;
        const index_t filled = total_ > 0 ? done_ * width / total_ : width;
        if (filled == drawn_ && done_ != total_) return;  // redraw only when the bar moves
        drawn_ = filled;
        std::string bar = "\r\033[K" + std::string(program_name) + " batch: " + stage_ + " [";
        bar += std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-');
        bar += "] " + std::to_string(done_) + "/" + std::to_string(total_);
        std::cerr << bar << std::flush;
        shown_ = true;
    }

    bool enabled_;
    bool shown_ = false;
    std::mutex mutex_;
    std::string stage_;
    index_t total_ = 0;
    index_t done_ = 0;
    index_t drawn_ = -1;
};

// --- Work on threads -------------------------------------------------------------

/// Runs task(i) for i in [0, count) on `threads` threads (0 = every core), taking
/// indices in order. Rethrows the failure of the lowest failing index (indices
/// above a known failure are skipped), so which error is reported does not
/// depend on timing.
void for_each_index(index_t count, unsigned threads, const std::function<void(index_t)>& task) {
    if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::clamp<index_t>(static_cast<index_t>(threads), 1, std::max<index_t>(count, 1)));
    std::atomic<index_t> next{0};
    std::atomic<index_t> first_failure{count};
    std::vector<std::exception_ptr> failures(static_cast<std::size_t>(count));
    const auto work = [&] {
        for (;;) {
            const index_t i = next.fetch_add(1);
            if (i >= count || i > first_failure.load()) return;
            try {
                task(i);
            } catch (...) {
                failures[static_cast<std::size_t>(i)] = std::current_exception();
                index_t known = first_failure.load();
                while (i < known && !first_failure.compare_exchange_weak(known, i)) {
                }
            }
        }
    };
    if (threads == 1) {
        work();
    } else {
        std::vector<std::thread> workers;
        workers.reserve(threads);
        for (unsigned w = 0; w < threads; ++w) workers.emplace_back(work);
        for (auto& worker : workers) worker.join();
    }
    if (first_failure.load() < count) std::rethrow_exception(failures[static_cast<std::size_t>(first_failure.load())]);
}

// --- Input folder and labels -------------------------------------------------------

struct input_image {
    std::string name;  ///< file name inside the input folder
    fs::path path;
};

/// The batch: image files directly in `folder`, sorted by name.
std::vector<input_image> list_images(const fs::path& folder) {
    std::error_code error;
    const fs::file_status status = fs::status(folder, error);
    if (!fs::exists(status)) throw file_error("input directory " + quote_path(folder) + " does not exist");
    if (!fs::is_directory(status)) throw file_error("input directory " + quote_path(folder) + " is not a directory");
    std::vector<input_image> images;
    fs::directory_iterator entries(folder, error);
    if (error) throw file_error("cannot read input directory " + quote_path(folder) + ": " + error.message());
    for (const fs::directory_entry& entry : entries) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.front() == '.') continue;
        const std::string extension = lower(entry.path().extension().string());
        if (extension != ".png" && extension != ".jpg" && extension != ".jpeg") continue;
        std::error_code kind_error;
        if (!entry.is_regular_file(kind_error)) continue;
        images.push_back({name, entry.path()});
    }
    if (images.empty()) {
        throw file_error("input directory " + quote_path(folder) + " holds no .png, .jpg or .jpeg files");
    }
    std::sort(images.begin(), images.end(), [](const input_image& a, const input_image& b) { return a.name < b.name; });
    return images;
}

/// The class of every image (in batch order) and the number of classes.
struct label_table {
    std::vector<std::int64_t> classes;
    index_t num_classes = 0;
};

/// Reads `path` ("filename,label" CSV) for `images`; see LABELS at the top.
label_table read_labels(const fs::path& path, const std::vector<input_image>& images, const fs::path& input_dir,
                        index_t num_classes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error("cannot open labels " + quote_path(path) + ": " + std::strerror(errno));
    const std::string where = "labels " + quote_path(path);

    std::map<std::string, std::size_t> index_of;
    for (std::size_t i = 0; i < images.size(); ++i) index_of.emplace(images[i].name, i);
    std::vector<std::int64_t> classes(images.size(), 0);
    std::vector<std::size_t> line_of(images.size(), 0);  // 0: no label yet
    std::int64_t largest = -1;

    std::string line;
    std::size_t line_number = 0;
    bool header_seen = false;
    while (std::getline(in, line)) {
        ++line_number;
        std::string_view text = line;
        if (line_number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
        text = trim(text);
        if (text.empty()) continue;
        const std::string at_line = where + " line " + std::to_string(line_number) + ": ";
        const std::size_t comma = text.rfind(',');
        if (!header_seen) {
            const bool is_header = comma != std::string_view::npos &&
                                   lower(std::string(trim(text.substr(0, comma)))) == "filename" &&
                                   lower(std::string(trim(text.substr(comma + 1)))) == "label";
            if (!is_header) {
                throw file_error(at_line + "expected the header line 'filename,label', got " + excerpt(text));
            }
            header_seen = true;
            continue;
        }
        if (comma == std::string_view::npos) {
            throw file_error(at_line + "expected 'filename,label', got " + excerpt(text));
        }
        std::string_view name = trim(text.substr(0, comma));
        std::string unquoted;
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            for (std::size_t k = 1; k + 1 < name.size(); ++k) {
                unquoted += name[k];
                if (name[k] == '"' && k + 2 < name.size() && name[k + 1] == '"') ++k;  // "" is one "
            }
            name = unquoted;
        }
        if (name.empty()) throw file_error(at_line + "expected 'filename,label', got " + excerpt(text) + " (no file name)");
        const std::string_view label_text = trim(text.substr(comma + 1));
        std::int64_t label = 0;
        const auto [end, status] = std::from_chars(label_text.data(), label_text.data() + label_text.size(), label);
        if (status != std::errc{} || end != label_text.data() + label_text.size()) {
            throw file_error(at_line + "the label of '" + std::string(name) + "' is " + excerpt(label_text) +
                             ", not an integer class");
        }
        const auto found = index_of.find(std::string(name));
        if (found == index_of.end()) {
            throw file_error(at_line + "'" + std::string(name) + "' is not an image in input directory " +
                             quote_path(input_dir));
        }
        const std::size_t i = found->second;
        if (line_of[i] != 0) {
            throw file_error(at_line + "'" + std::string(name) + "' is listed twice (also on line " +
                             std::to_string(line_of[i]) + ")");
        }
        if (label < 0 || (num_classes > 0 && label >= num_classes)) {
            throw file_error(at_line + "label " + std::to_string(label) + " of '" + std::string(name) +
                             "' is outside [0, " +
                             (num_classes > 0 ? std::to_string(num_classes) + ") (--num-classes " +
                                                    std::to_string(num_classes) + ")"
                                              : "K)"));
        }
        if (label >= max_num_classes) {
            throw file_error(at_line + "label " + std::to_string(label) + " of '" + std::string(name) +
                             "' is above the largest supported class, " + std::to_string(max_num_classes - 1));
        }
        classes[i] = label;
        line_of[i] = line_number;
        largest = std::max(largest, label);
    }
    if (in.bad()) throw file_error("cannot read " + where + ": " + std::strerror(errno));
    if (!header_seen) throw file_error(where + " is empty: expected the header line 'filename,label'");
    for (std::size_t i = 0; i < images.size(); ++i) {
        if (line_of[i] == 0) {
            throw file_error(where + " has no label for image '" + images[i].name + "' of input directory " +
                             quote_path(input_dir));
        }
    }
    return {std::move(classes), num_classes > 0 ? num_classes : static_cast<index_t>(largest + 1)};
}

// --- Images ------------------------------------------------------------------------

/// The whole batch, interleaved (N x H x W x C).
struct loaded_batch {
    std::vector<std::uint8_t> pixels;
    index_t count = 0;
    index_t height = 0;
    index_t width = 0;
    index_t channels = 0;

    [[nodiscard]] resizemix::batch_view<std::uint8_t> view() {
        return resizemix::from_nhwc(pixels.data(), count, height, width, channels);
    }
    [[nodiscard]] const std::uint8_t* sample(index_t i) const {
        return pixels.data() + static_cast<std::size_t>(i * height * width * channels);
    }
};

std::string describe_shape(index_t width, index_t height, index_t channels) {
    return std::to_string(width) + "x" + std::to_string(height) + " with " + std::to_string(channels) +
           (channels == 1 ? " channel" : " channels");
}

loaded_batch load_batch(const std::vector<input_image>& images, const batch_cli_options& options,
                        progress_bar& progress) {
    progress.start("reading", static_cast<index_t>(images.size()));
    const decoded_image first = load_image(images[0].path.string(), "image", options.channels, options.max_pixels);
    loaded_batch batch;
    batch.count = static_cast<index_t>(images.size());
    batch.height = first.height;
    batch.width = first.width;
    batch.channels = first.channels;
    const auto sample_bytes = static_cast<std::size_t>(batch.height * batch.width * batch.channels);
    if (sample_bytes != 0 && images.size() > batch.pixels.max_size() / sample_bytes) {
        throw file_error("the batch of " + std::to_string(images.size()) + " images of " +
                         describe_shape(batch.width, batch.height, batch.channels) + " is too big to hold in memory");
    }
    batch.pixels.resize(sample_bytes * images.size());
    std::memcpy(batch.pixels.data(), first.pixels.get(), sample_bytes);
    progress.advance();

    for_each_index(batch.count - 1, options.threads, [&](index_t k) {
        interrupt_scope::check();
        const index_t i = k + 1;
        const input_image& input = images[static_cast<std::size_t>(i)];
        const decoded_image image = load_image(input.path.string(), "image", options.channels, options.max_pixels);
        if (image.width != batch.width || image.height != batch.height || image.channels != batch.channels) {
            const bool channels_only = image.width == batch.width && image.height == batch.height;
            throw file_error("image " + quote_path(input.path) + " is " +
                             describe_shape(image.width, image.height, image.channels) + " but the first image, " +
                             quote_path(images[0].path) + ", is " +
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

std::vector<std::uint8_t> encode(output_format format, const std::uint8_t* pixels, index_t width, index_t height,
                                 index_t channels, const fs::path& path) {
    std::vector<std::uint8_t> bytes;
    const int w = static_cast<int>(width);
    const int h = static_cast<int>(height);
    const int c = static_cast<int>(channels);
    const int encoded = format == output_format::png
                            ? stbi_write_png_to_func(resizemix_batch_append_bytes, &bytes, w, h, c, pixels, w * c)
                            : stbi_write_jpg_to_func(resizemix_batch_append_bytes, &bytes, w, h, c, pixels, jpeg_quality);
    if (encoded == 0) throw file_error("cannot write " + quote_path(path) + ": stb_image_write could not encode the image");
    return bytes;
}

/// Writes a new file (it must not exist yet); the staging folder makes it all or nothing.
void write_new_file(const fs::path& path, const void* data, std::size_t size) {
    const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (descriptor < 0) throw file_error("cannot write " + quote_path(path) + ": " + std::strerror(errno));
    const auto* at = static_cast<const char*>(data);
    std::size_t left = size;
    while (left > 0) {
        const ::ssize_t written = ::write(descriptor, at, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            const int error_number = errno;
            ::close(descriptor);
            throw file_error("cannot write " + quote_path(path) + ": " + std::strerror(error_number));
        }
        at += written;
        left -= static_cast<std::size_t>(written);
    }
    if (::close(descriptor) != 0) throw file_error("cannot write " + quote_path(path) + ": " + std::strerror(errno));
}

void write_new_file(const fs::path& path, const std::string& text) { write_new_file(path, text.data(), text.size()); }

// --- Output folder -------------------------------------------------------------------

/// Where the output goes and what is there now.
struct output_plan {
    fs::path folder;    ///< O as given, without trailing slashes
    fs::path staging;   ///< O.tmp-<pid>, beside O
    bool replace = false;  ///< O exists (empty, or an earlier batch output with --overwrite)
};

/// True when `folder` holds a labels.json that `resizemix batch` wrote.
bool is_batch_output(const fs::path& folder) {
    std::ifstream in(folder / labels_json_name, std::ios::binary);
    if (!in) return false;
    try {
        const nlohmann::json summary = nlohmann::json::parse(in);
        return summary.is_object() && summary.value("generator", std::string()) == generator_name;
    } catch (const nlohmann::json::exception&) {
        return false;
    }
}

output_plan plan_output(const std::string& given, bool overwrite) {
    std::string text = given;
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    output_plan plan;
    plan.folder = fs::path(text);
    const std::string name = plan.folder.filename().string();
    if (text.empty() || name.empty() || name == "." || name == ".." || text == "/") {
        throw file_error("--output-dir " + quote_path(given) + " must name a folder to create, such as out/batch");
    }
    fs::path parent = plan.folder.parent_path();
    if (parent.empty()) parent = ".";
    std::error_code error;
    if (!fs::is_directory(parent, error)) {
        throw file_error("cannot create output directory " + quote_path(plan.folder) + ": its parent " + quote_path(parent) +
                         " does not exist or is not a directory");
    }
    const fs::file_status status = fs::symlink_status(plan.folder, error);
    if (fs::exists(status)) {
        if (!fs::is_directory(status)) {
            throw file_error("output directory " + quote_path(plan.folder) + " exists and is not a directory");
        }
        const bool empty = fs::is_empty(plan.folder, error);
        if (error) throw file_error("cannot read output directory " + quote_path(plan.folder) + ": " + error.message());
        if (!empty) {
            if (!overwrite) {
                throw file_error("output directory " + quote_path(plan.folder) +
                                 " already exists and is not empty; choose a new one, or pass --overwrite to "
                                 "replace an earlier resizemix batch output");
            }
            if (!is_batch_output(plan.folder)) {
                throw file_error("--overwrite refuses to replace " + quote_path(plan.folder) +
                                 ": it is not an earlier resizemix batch output (no labels.json written by it)");
            }
        }
        plan.replace = true;
    }
    plan.staging = plan.folder;
    plan.staging += ".tmp-" + std::to_string(::getpid());
    return plan;
}

/// The staging folder, removed with everything in it unless committed.
class staging_folder {
public:
    explicit staging_folder(fs::path path) : path_(std::move(path)) {
        if (::mkdir(path_.c_str(), 0777) != 0) {
            throw file_error("cannot create staging directory " + quote_path(path_) + ": " + std::strerror(errno));
        }
    }
    staging_folder(const staging_folder&) = delete;
    staging_folder& operator=(const staging_folder&) = delete;
    ~staging_folder() {
        if (committed_) return;
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    [[nodiscard]] const fs::path& path() const noexcept { return path_; }

    /// Renames the staging folder to `plan.folder`; see ALL OR NOTHING.
    void commit(const output_plan& plan) {
        std::error_code error;
        const bool occupied = plan.replace && !fs::is_empty(plan.folder, error) && !error;
        if (occupied) {
            fs::path aside = plan.folder;
            aside += ".old-" + std::to_string(::getpid());
            if (std::rename(plan.folder.c_str(), aside.c_str()) != 0) {
                throw file_error("cannot move the old output directory " + quote_path(plan.folder) + " aside: " +
                                 std::strerror(errno));
            }
            if (std::rename(path_.c_str(), plan.folder.c_str()) != 0) {
                const int error_number = errno;
                std::rename(aside.c_str(), plan.folder.c_str());  // put the old output back
                throw file_error("cannot rename " + quote_path(path_) + " to " + quote_path(plan.folder) + ": " +
                                 std::strerror(error_number));
            }
            committed_ = true;
            std::error_code ignored;
            fs::remove_all(aside, ignored);
            return;
        }
        // rename() replaces an empty folder and refuses a non-empty one (one created meanwhile).
        if (std::rename(path_.c_str(), plan.folder.c_str()) != 0) {
            throw file_error("cannot rename " + quote_path(path_) + " to " + quote_path(plan.folder) + ": " +
                             std::strerror(errno));
        }
        committed_ = true;
    }

private:
    fs::path path_;
    bool committed_ = false;
};

// --- Mixer -----------------------------------------------------------------------------

bool uses(const batch_cli_options& options, std::initializer_list<const char*> methods) {
    return std::any_of(options.methods.begin(), options.methods.end(), [&](const std::string& method) {
        return std::any_of(methods.begin(), methods.end(), [&](const char* name) { return method == name; });
    });
}

void check_usage(const batch_cli_options& options) {
    if (options.max_pixels == 0) throw usage_error("--max-pixels must be at least 1");
    if (options.scale_range_option->count() > 0 && !uses(options, {"resizemix"})) {
        throw usage_error("--scale-range does not apply: no --method resizemix");
    }
    if (options.alpha_option->count() > 0 && !uses(options, {"cutmix", "mixup"})) {
        throw usage_error("--alpha does not apply: no --method cutmix or mixup");
    }
    if (options.weights_option->count() > 0 && options.weights.size() != options.methods.size()) {
        throw usage_error("--weights needs one weight per method: " + std::to_string(options.methods.size()) +
                          " methods, " + std::to_string(options.weights.size()) + " weights");
    }
}

resizemix::any_mixer single_mixer(const std::string& method, const batch_cli_options& options) {
    if (method == "resizemix") {
        return resizemix::resize_mix{.scale_min = options.scale_range.first, .scale_max = options.scale_range.second};
    }
    if (method == "cutmix") return resizemix::cut_mix{.alpha = options.alpha};
    return resizemix::mixup{.alpha = options.alpha};
}

/// The method, a one_of() of several, wrapped in sometimes() when --probability is below 1; validated.
resizemix::any_mixer make_mixer(const batch_cli_options& options) {
    std::optional<resizemix::any_mixer> chosen;
    if (options.methods.size() == 1) {
        chosen = single_mixer(options.methods.front(), options);
    } else {
        std::vector<resizemix::weighted<resizemix::any_mixer>> branches;
        for (std::size_t k = 0; k < options.methods.size(); ++k) {
            branches.push_back({single_mixer(options.methods[k], options),
                                options.weights.empty() ? 1.0 : options.weights[k]});
        }
        chosen = resizemix::one_of_any(std::move(branches));
    }
    if (!(options.probability >= 0.0 && options.probability <= 1.0)) {
        throw resizemix::error("--probability must be in [0, 1], got " + shortest_text(options.probability));
    }
    if (options.probability != 1.0) chosen = resizemix::sometimes(*chosen, options.probability);
    chosen->validate();
    return *chosen;
}

// --- Reports -----------------------------------------------------------------------------

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted_text = "\"";
    for (const char c : text) {
        quoted_text += c;
        if (c == '"') quoted_text += '"';
    }
    return quoted_text + "\"";
}

std::string labels_csv(const std::vector<input_image>& images, const resizemix::batch_result& result,
                       const label_table* labels) {
    std::ostringstream csv;
    csv << "filename,method,partner,lambda,box_x,box_y,box_width,box_height";
    if (labels != nullptr) {
        csv << ",label,partner_label";
        for (index_t k = 0; k < labels->num_classes; ++k) csv << ",class_" << k;
    }
    csv << '\n';
    for (std::size_t i = 0; i < images.size(); ++i) {
        const resizemix::sample_record& record = result.samples[i];
        const auto partner = static_cast<std::size_t>(record.partner);
        const resizemix::box& b = record.info.box;
        csv << csv_field(images[i].name) << ',' << record.info.method << ',' << csv_field(images[partner].name) << ','
            << shortest_text(record.info.lambda) << ',' << b.x << ',' << b.y << ',' << b.width << ',' << b.height;
        if (labels != nullptr) {
            csv << ',' << labels->classes[i] << ',' << labels->classes[partner];
            const auto row = result.labels.row(static_cast<Eigen::Index>(i));
            for (Eigen::Index k = 0; k < row.size(); ++k) csv << ',' << shortest_text(row(k));
        }
        csv << '\n';
    }
    return csv.str();
}

nlohmann::ordered_json labels_json(const std::vector<input_image>& images, const resizemix::batch_result& result,
                                   const label_table* labels, const loaded_batch& batch,
                                   const batch_cli_options& options) {
    nlohmann::ordered_json summary;
    summary["generator"] = generator_name;
    summary["methods"] = options.methods;
    if (options.methods.size() > 1) {
        summary["weights"] = options.weights.empty() ? std::vector<double>(options.methods.size(), 1.0) : options.weights;
    }
    summary["probability"] = options.probability;
    summary["seed"] = options.seed;
    summary["epoch"] = options.epoch;
    summary["pairing"] = options.pairing;
    summary["per_batch"] = options.per_batch;
    if (uses(options, {"resizemix"})) {
        summary["scale_range"] = {float_for_json(options.scale_range.first), float_for_json(options.scale_range.second)};
    }
    if (uses(options, {"cutmix", "mixup"})) summary["alpha"] = float_for_json(options.alpha);
    if (labels != nullptr) {
        summary["num_classes"] = labels->num_classes;
        summary["label_smoothing"] = float_for_json(options.label_smoothing);
    }
    summary["count"] = batch.count;
    summary["width"] = batch.width;
    summary["height"] = batch.height;
    summary["channels"] = batch.channels;
    auto& records = summary["images"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < images.size(); ++i) {
        const resizemix::sample_record& record = result.samples[i];
        const auto partner = static_cast<std::size_t>(record.partner);
        nlohmann::ordered_json entry;
        entry["file"] = images[i].name;
        entry["method"] = std::string(record.info.method);
        entry["partner"] = images[partner].name;
        entry["lambda"] = record.info.lambda;
        if (record.info.method == "resizemix") entry["tau"] = record.info.tau;
        entry["box"] = box_json(record.info.box);
        entry["source_box"] = box_json(record.info.source_box);
        if (labels != nullptr) {
            entry["label"] = labels->classes[i];
            entry["partner_label"] = labels->classes[partner];
            auto& weights = entry["soft_label"] = nlohmann::ordered_json::array();
            const auto row = result.labels.row(static_cast<Eigen::Index>(i));
            for (Eigen::Index k = 0; k < row.size(); ++k) weights.push_back(float_for_json(row(k)));
        }
        records.push_back(std::move(entry));
    }
    return summary;
}

// --- The command ---------------------------------------------------------------------------

void run_batch_steps(const batch_cli_options& options) {
    // Every value is checked before any image is read or anything created.
    check_usage(options);
    const resizemix::any_mixer mixer = make_mixer(options);
    if (!options.labels.empty()) {
        (void)resizemix::soft_label(resizemix::mix_info{}, 0, 0, std::max<index_t>(options.num_classes, 1),
                                    options.label_smoothing);
    }
    const output_plan plan = plan_output(options.output_dir, options.overwrite);
    const fs::path input_dir(options.input_dir);
    const std::vector<input_image> images = list_images(input_dir);
    std::optional<label_table> labels;
    if (!options.labels.empty()) labels = read_labels(options.labels, images, input_dir, options.num_classes);

    progress_bar progress;
    loaded_batch batch = load_batch(images, options, progress);
    interrupt_scope::check();

    resizemix::batch_options mixing;
    mixing.seed = options.seed;
    mixing.epoch = options.epoch;
    mixing.pairing = options.pairing == "flip" ? resizemix::pairing::flip : resizemix::pairing::shuffle;
    mixing.parameters = options.per_batch ? resizemix::parameter_sharing::per_batch
                                          : resizemix::parameter_sharing::per_sample;
    mixing.threads = options.threads;
    std::span<const std::int64_t> classes;
    if (labels) {
        mixing.num_classes = labels->num_classes;
        mixing.label_smoothing = options.label_smoothing;
        classes = labels->classes;
    }
    const resizemix::batch_result result = resizemix::mix_batch(mixer, batch.view(), classes, batch.view(), mixing);
    interrupt_scope::check();

    staging_folder staging(plan.staging);
    progress.start("writing", batch.count);
    for_each_index(batch.count, options.threads, [&](index_t i) {
        interrupt_scope::check();
        const input_image& input = images[static_cast<std::size_t>(i)];
        const fs::path path = staging.path() / input.name;
        const output_format format = format_from_extension(input.name).value_or(output_format::png);
        const std::vector<std::uint8_t> bytes =
            encode(format, batch.sample(i), batch.width, batch.height, batch.channels, path);
        write_new_file(path, bytes.data(), bytes.size());
        progress.advance();
    });
    progress.erase();
    const label_table* label_pointer = labels ? &*labels : nullptr;
    write_new_file(staging.path() / labels_csv_name, labels_csv(images, result, label_pointer));
    write_new_file(staging.path() / labels_json_name,
                   labels_json(images, result, label_pointer, batch, options).dump() + "\n");
    interrupt_scope::check();
    staging.commit(plan);

    double lambda_sum = 0.0;
    for (const auto& record : result.samples) lambda_sum += record.info.lambda;
    nlohmann::ordered_json report;
    report["output_dir"] = plan.folder.string();
    report["count"] = batch.count;
    report["width"] = batch.width;
    report["height"] = batch.height;
    report["channels"] = batch.channels;
    report["methods"] = options.methods;
    report["seed"] = options.seed;
    report["epoch"] = options.epoch;
    report["mean_lambda"] = lambda_sum / static_cast<double>(batch.count);
    std::cout << report.dump() << '\n' << std::flush;
    if (!std::cout) throw file_error("wrote " + quote_path(plan.folder) + " but could not print the report");
}

void run_batch(const batch_cli_options& options) {
    const interrupt_scope interrupts;
    try {
        run_batch_steps(options);
    } catch (const interrupted&) {
        interrupt_scope::reraise();
    }
}

}  // namespace

subcommand add_batch_command(CLI::App& parent) {
    auto options = std::make_shared<batch_cli_options>();
    CLI::App* batch = parent.add_subcommand(
        "batch", "Mix every image of --input-dir as one batch; write the mixed images and soft labels to --output-dir");
    batch->add_option("--input-dir", options->input_dir, "Folder of same-size PNG / JPEG images")
        ->required()
        ->type_name("DIR");
    batch->add_option("--output-dir", options->output_dir, "Folder to create (must not exist, or be empty)")
        ->required()
        ->type_name("DIR");
    batch->add_option("--method", options->methods, "Mixing method; several: one per sample, by --weights")
        ->required()
        ->check(CLI::IsMember({"resizemix", "cutmix", "mixup"}))
        ->delimiter(',');
    CLI::Option* labels = batch->add_option("--labels", options->labels, "CSV of 'filename,label' lines, with that header")
                              ->type_name("CSV");
    options->num_classes_option =
        batch->add_option("--num-classes", options->num_classes, "Number of classes K (default: largest label + 1)")
            ->check(CLI::Range(index_t{1}, max_num_classes))
            ->needs(labels);
    batch->add_option("--label-smoothing", options->label_smoothing, "Label smoothing E in [0, 1)")
        ->capture_default_str()
        ->needs(labels);
    batch->add_option("--seed", options->seed, "Random seed")->check(not_negative())->capture_default_str();
    batch->add_option("--epoch", options->epoch, "Epoch (changes the pairing and every draw)")
        ->check(not_negative())
        ->capture_default_str();
    batch->add_option("--threads", options->threads, "Threads, 0 = every core (the output does not depend on it)")
        ->check(not_negative())
        ->capture_default_str();
    batch->add_option("--pairing", options->pairing, "Partner of each sample: shuffle (seeded) or flip (N-1-i)")
        ->check(CLI::IsMember({"shuffle", "flip"}))
        ->capture_default_str();
    batch->add_flag("--per-batch", options->per_batch, "One set of random parameters for the whole batch");
    options->scale_range_option =
        batch->add_option("--scale-range", options->scale_range, "resizemix: tau ~ U(MIN, MAX), 0 < MIN <= MAX <= 1")
            ->type_name("MIN MAX")
            ->default_str("0.1 0.8");
    options->alpha_option =
        batch->add_option("--alpha", options->alpha, "cutmix, mixup: Beta(A, A) parameter, > 0")->capture_default_str();
    options->weights_option =
        batch->add_option("--weights", options->weights, "Weight of each --method (default: equal)")
            ->delimiter(',')
            ->type_name("W");
    options->probability_option =
        batch->add_option("--probability", options->probability, "Mix each sample with this probability")
            ->capture_default_str();
    batch->add_option("--channels", options->channels, "Convert every image to C channels (1-4) as it is read")
        ->check(CLI::Range(1, 4))
        ->type_name("C");
    batch->add_flag("--overwrite", options->overwrite, "Replace an earlier resizemix batch output at --output-dir");
    batch->add_option("--max-pixels", options->max_pixels, "Refuse images with more pixels than this")
        ->check(not_negative())
        ->capture_default_str();
    return {batch, [options] { run_batch(*options); }};
}

}  // namespace resizemix_cli
