// examples/cli/labels_csv.hpp: the class labels `resizemix batch --labels` reads.
//
// A CSV file: the header line "filename,label", then one "name,class" line per
// image of the batch. Fields follow RFC 4180 quoting (a name in double quotes
// may hold commas; "" inside quotes is one "), spaces around fields are
// ignored, blank lines skipped, a UTF-8 byte order mark and CRLF line ends
// accepted. Every mistake is a file_error naming the file and the line, and
// saying what is wrong in words.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <resizemix/geometry.hpp>

namespace resizemix_cli {

/// The class of every image (in batch order) and the number of classes.
struct label_table {
    std::vector<std::int64_t> classes;
    resizemix::index_t num_classes = 0;
};

/// Reads the labels file at `path` for the images `names` (file names in batch
/// order, found in `input_dir`, named in messages). `num_classes` is
/// --num-classes, or 0 to use the largest class + 1.
[[nodiscard]] label_table read_labels(const std::filesystem::path& path, const std::vector<std::string>& names,
                                      const std::filesystem::path& input_dir, resizemix::index_t num_classes);

}  // namespace resizemix_cli
