// examples/cli/batch_command.hpp: the `resizemix batch` subcommand (a folder in, mixed folder and soft labels out); see batch_command.cpp.
#pragma once

#include <CLI/CLI.hpp>

#include "cli_common.hpp"

namespace resizemix_cli {

/// Adds `batch` to `parent`; the returned run() mixes the folder and prints a one-line JSON summary.
subcommand add_batch_command(CLI::App& parent);

}  // namespace resizemix_cli
