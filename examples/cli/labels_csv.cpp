// examples/cli/labels_csv.cpp: see labels_csv.hpp.
#include "labels_csv.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>

#include "cli_common.hpp"
#include "io/image_io.hpp"

namespace resizemix_cli {
namespace {

std::string_view trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

/// A line of the user's file, shortened for an error message.
std::string excerpt(std::string_view line) {
    constexpr std::size_t longest = 80;
    return "'" + std::string(line.substr(0, longest)) + (line.size() > longest ? "...'" : "'");
}

/// The fields of one line, trimmed and unquoted; nullopt when a double quote is
/// not closed or text follows the closing one.
std::optional<std::vector<std::string>> split_fields(std::string_view line) {
    constexpr auto npos = std::string_view::npos;
    std::vector<std::string> fields;
    std::size_t at = 0;
    for (;;) {
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
        std::string field;
        std::size_t comma = npos;
        if (at < line.size() && line[at] == '"') {
            std::size_t k = at + 1;
            for (;;) {
                if (k >= line.size()) return std::nullopt;
                if (line[k] == '"') {
                    if (k + 1 < line.size() && line[k + 1] == '"') {  // "" is one "
                        field += '"';
                        k += 2;
                        continue;
                    }
                    break;
                }
                field += line[k++];
            }
            comma = line.find(',', k + 1);
            if (!trim(line.substr(k + 1, comma == npos ? npos : comma - (k + 1))).empty()) return std::nullopt;
        } else {
            comma = line.find(',', at);
            field = std::string(trim(line.substr(at, comma == npos ? npos : comma - at)));
        }
        fields.push_back(std::move(field));
        if (comma == npos) return fields;
        at = comma + 1;
    }
}

}  // namespace

label_table read_labels(const std::filesystem::path& path, const std::vector<std::string>& names,
                        const std::filesystem::path& input_dir, resizemix::index_t num_classes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error("cannot open labels " + quoted(path.string()) + ": " + std::strerror(errno));
    const std::string where = "labels " + quoted(path.string());

    std::map<std::string, std::size_t> index_of;
    for (std::size_t i = 0; i < names.size(); ++i) index_of.emplace(names[i], i);
    std::vector<std::int64_t> classes(names.size(), 0);
    std::vector<std::size_t> line_of(names.size(), 0);  // 0: no label yet
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
        const std::optional<std::vector<std::string>> fields = split_fields(text);
        if (!fields) {
            throw file_error(at_line + "a double quote is not closed, or text follows it: " + excerpt(text));
        }
        if (!header_seen) {
            if (fields->size() != 2 || lower((*fields)[0]) != "filename" || lower((*fields)[1]) != "label") {
                throw file_error(at_line + "expected the header line 'filename,label', got " + excerpt(text));
            }
            header_seen = true;
            continue;
        }
        if (fields->size() == 1) throw file_error(at_line + "expected 'filename,label', got " + excerpt(text));
        if (fields->size() > 2) {
            throw file_error(at_line + "expected 2 fields 'filename,label', got " + std::to_string(fields->size()) +
                             " in " + excerpt(text) + " (put a file name that holds a comma in double quotes)");
        }
        const std::string& name = (*fields)[0];
        const std::string& label_text = (*fields)[1];
        if (name.empty()) throw file_error(at_line + "expected 'filename,label', got " + excerpt(text) + " (no file name)");
        std::int64_t label = 0;
        const auto [end, status] = std::from_chars(label_text.data(), label_text.data() + label_text.size(), label);
        if (status != std::errc{} || end != label_text.data() + label_text.size()) {
            throw file_error(at_line + "the label of '" + name + "' is " + excerpt(label_text) + ", not an integer class");
        }
        const auto found = index_of.find(name);
        if (found == index_of.end()) {
            throw file_error(at_line + "'" + name + "' is not an image in input directory " + quoted(input_dir.string()));
        }
        const std::size_t i = found->second;
        if (line_of[i] != 0) {
            throw file_error(at_line + "'" + name + "' is listed twice (also on line " + std::to_string(line_of[i]) + ")");
        }
        if (label < 0 || (num_classes > 0 && label >= num_classes)) {
            throw file_error(at_line + "label " + std::to_string(label) + " of '" + name + "' is outside [0, " +
                             (num_classes > 0 ? std::to_string(num_classes) + ") (--num-classes " +
                                                    std::to_string(num_classes) + ")"
                                              : "K)"));
        }
        if (label >= max_num_classes) {
            throw file_error(at_line + "label " + std::to_string(label) + " of '" + name +
                             "' is above the largest supported class, " + std::to_string(max_num_classes - 1));
        }
        classes[i] = label;
        line_of[i] = line_number;
        largest = std::max(largest, label);
    }
    if (in.bad()) throw file_error("cannot read " + where + ": " + std::strerror(errno));
    if (!header_seen) throw file_error(where + " is empty: expected the header line 'filename,label'");
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (line_of[i] == 0) {
            throw file_error(where + " has no label for image '" + names[i] + "' of input directory " +
                             quoted(input_dir.string()));
        }
    }
    return {std::move(classes), num_classes > 0 ? num_classes : static_cast<resizemix::index_t>(largest + 1)};
}

}  // namespace resizemix_cli
