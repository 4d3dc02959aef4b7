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

/// labels.csv: a header, then per sample `filename,method,partner,lambda,box_x,box_y,box_width,box_height`
/// and, with `labels`, `label,partner_label,class_0..class_{K-1}`.
[[nodiscard]] std::string labels_csv(const std::vector<std::string>& names, const resizemix::batch_result& result,
                                     const label_table* labels);

/// labels.json's "images": per sample file, method, partner, lambda, tau (resizemix), box, source_box and,
/// with `labels`, label, partner_label, soft_label.
[[nodiscard]] nlohmann::ordered_json sample_records(const std::vector<std::string>& names,
                                                    const resizemix::batch_result& result, const label_table* labels);

}  // namespace resizemix_cli
