// examples/cli/batch_output.hpp: where `resizemix batch` may write, and what it writes there.
//
// The output folder O must not exist, or be empty, and its parent must exist;
// --overwrite replaces a non-empty O only when an earlier `resizemix batch`
// wrote it (its labels.json says so). The folder itself is written as a
// staged_output (io/staged_output.hpp). The two label files describe every
// sample: labels.csv for spreadsheets and data loaders, labels.json with the
// options too.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <resizemix/batch.hpp>

#include "labels_csv.hpp"

namespace resizemix_cli {

inline constexpr const char* labels_csv_name = "labels.csv";
inline constexpr const char* labels_json_name = "labels.json";
/// labels.json's "generator": what --overwrite looks for before replacing a folder.
inline constexpr const char* generator_name = "resizemix batch";

/// Where the output goes and what is there now.
struct output_plan {
    std::filesystem::path folder;  ///< O as given, without trailing slashes
    bool replace = false;          ///< O exists and is not empty (an earlier batch output, with --overwrite)
};

/// Checks --output-dir `given` against the rules above; throws file_error naming the folder.
[[nodiscard]] output_plan plan_output(const std::string& given, bool overwrite);

/// The folder copy `copy` >= 1 of a --repeat batch is written to: "repeat-<copy>".
[[nodiscard]] std::string repeat_folder_name(resizemix::index_t copy);

/// Where output sample `k` goes, relative to O: input name k % N for copy 0, else in copy k / N's folder.
[[nodiscard]] std::string output_file_name(const std::vector<std::string>& names, resizemix::index_t k);

/// labels.csv: a header, then per output sample (`names` are the input's; see output_file_name; the box is
/// the paste box when `augmented`) `filename,method,partner,lambda,box_x,box_y,box_width,box_height`
/// and, with `labels`, `label,partner_label,class_0..class_{K-1}`.
[[nodiscard]] std::string labels_csv(const std::vector<std::string>& names, const resizemix::batch_result& result,
                                     const label_table* labels, bool augmented = false);

/// labels.json's "images": per output sample file, method, partner, lambda, tau (resizemix), box,
/// source_box, with `labels` label, partner_label, soft_label, and when `augmented` the augmentations.
[[nodiscard]] nlohmann::ordered_json sample_records(const std::vector<std::string>& names,
                                                    const resizemix::batch_result& result, const label_table* labels,
                                                    bool augmented = false);

}  // namespace resizemix_cli
