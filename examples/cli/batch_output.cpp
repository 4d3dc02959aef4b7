// examples/cli/batch_output.cpp: see batch_output.hpp.
#include "batch_output.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include "augment_options.hpp"
#include "autoaugment_option.hpp"
#include "cli_common.hpp"
#include "io/image_io.hpp"

namespace resizemix_cli {

namespace fs = std::filesystem;
using resizemix::index_t;

namespace {

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

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted_text = "\"";
    for (const char c : text) {
        quoted_text += c;
        if (c == '"') quoted_text += '"';
    }
    return quoted_text + "\"";
}

}  // namespace

output_plan plan_output(const std::string& given, bool overwrite) {
    std::string text = given;
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    output_plan plan;
    plan.folder = fs::path(text);
    const std::string name = plan.folder.filename().string();
    if (text.empty() || name.empty() || name == "." || name == ".." || text == "/") {
        throw file_error("--output-dir " + quoted(given) + " must name a folder to create, such as out/batch");
    }
    fs::path parent = plan.folder.parent_path();
    if (parent.empty()) parent = ".";
    std::error_code error;
    if (!fs::is_directory(parent, error)) {
        throw file_error("cannot create output directory " + quoted(plan.folder.string()) + ": its parent " +
                         quoted(parent.string()) + " does not exist or is not a directory");
    }
    const fs::file_status status = fs::symlink_status(plan.folder, error);
    if (!fs::exists(status)) return plan;
    if (!fs::is_directory(status)) {
        throw file_error("output directory " + quoted(plan.folder.string()) + " exists and is not a directory");
    }
    const bool empty = fs::is_empty(plan.folder, error);
    if (error) throw file_error("cannot read output directory " + quoted(plan.folder.string()) + ": " + error.message());
    if (empty) return plan;
    if (!overwrite) {
        throw file_error("output directory " + quoted(plan.folder.string()) +
                         " already exists and is not empty; choose a new one, or pass --overwrite to replace an "
                         "earlier resizemix batch output");
    }
    if (!is_batch_output(plan.folder)) {
        throw file_error("--overwrite refuses to replace " + quoted(plan.folder.string()) +
                         ": it is not an earlier resizemix batch output (no labels.json written by it)");
    }
    plan.replace = true;
    return plan;
}

std::string repeat_folder_name(index_t copy) { return "repeat-" + std::to_string(copy); }

std::string output_file_name(const std::vector<std::string>& names, index_t k) {
    const auto count = static_cast<index_t>(names.size());
    const std::string& name = names[static_cast<std::size_t>(k % count)];
    return k < count ? name : repeat_folder_name(k / count) + "/" + name;
}

std::string labels_csv(const std::vector<std::string>& names, const resizemix::batch_result& result,
                       const label_table* labels, bool augmented) {
    std::ostringstream csv;
    csv << "filename,method,partner,lambda,box_x,box_y,box_width,box_height";
    if (labels != nullptr) {
        csv << ",label,partner_label";
        for (index_t k = 0; k < labels->num_classes; ++k) csv << ",class_" << k;
    }
    csv << '\n';
    for (std::size_t k = 0; k < result.samples.size(); ++k) {
        const resizemix::sample_record& record = result.samples[k];
        const std::size_t i = k % names.size();
        const auto partner = static_cast<std::size_t>(record.partner);
        const resizemix::box& b = augmented ? record.info.paste_box : record.info.box;
        csv << csv_field(output_file_name(names, static_cast<index_t>(k))) << ',' << record.info.method << ',' << csv_field(names[partner]) << ','
            << shortest_text(record.info.lambda) << ',' << b.x << ',' << b.y << ',' << b.width << ',' << b.height;
        if (labels != nullptr) {
            csv << ',' << labels->classes[i] << ',' << labels->classes[partner];
            const auto row = result.labels.row(static_cast<Eigen::Index>(k));
            for (Eigen::Index c = 0; c < row.size(); ++c) csv << ',' << shortest_text(row(c));
        }
        csv << '\n';
    }
    return csv.str();
}

nlohmann::ordered_json sample_records(const std::vector<std::string>& names, const resizemix::batch_result& result,
                                      const label_table* labels, bool augmented) {
    auto records = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < result.samples.size(); ++k) {
        const resizemix::sample_record& record = result.samples[k];
        const std::size_t i = k % names.size();
        const auto partner = static_cast<std::size_t>(record.partner);
        nlohmann::ordered_json entry;
        entry["file"] = output_file_name(names, static_cast<index_t>(k));
        entry["method"] = std::string(record.info.method);
        entry["partner"] = names[partner];
        entry["lambda"] = record.info.lambda;
        if (record.info.method == "resizemix") entry["tau"] = record.info.tau;
        entry["box"] = box_json(augmented ? record.info.paste_box : record.info.box);
        entry["source_box"] = box_json(record.info.source_box);
        if (!record.info.paste_box.empty()) entry["paste_box"] = box_json(record.info.paste_box);
        // --randaugment lists every op with its sign and image; --autoaugment (never both) the mixed image's.
        const nlohmann::ordered_json augmentations = augmented ? augmentations_json(record.info.augmentations)
                                                               : autoaugment_ops_json(record.info.augmentations);
        if (augmented || !augmentations.empty()) entry["augmentations"] = augmentations;
        if (record.info.method == "cutout") {
            auto& holes = entry["holes"] = nlohmann::ordered_json::array();
            for (const resizemix::applied_op& hole : record.info.augmentations)
                if (hole.op == resizemix::augment_op::cutout) holes.push_back(box_json(hole.region));
        }
        if (labels != nullptr) {
            entry["label"] = labels->classes[i];
            entry["partner_label"] = labels->classes[partner];
            auto& weights = entry["soft_label"] = nlohmann::ordered_json::array();
            const auto row = result.labels.row(static_cast<Eigen::Index>(k));
            for (Eigen::Index c = 0; c < row.size(); ++c) weights.push_back(float_for_json(row(c)));
        }
        records.push_back(std::move(entry));
    }
    return records;
}

}  // namespace resizemix_cli
