// examples/cli/grid_command.hpp: the `resizemix grid` subcommand (contact sheets); see grid_command.cpp.
#pragma once

#include <CLI/CLI.hpp>

#include "cli_common.hpp"

namespace resizemix_cli {

/// Adds `grid` to `parent`; the returned run() writes the sheet and prints its JSON report.
subcommand add_grid_command(CLI::App& parent);

}  // namespace resizemix_cli
