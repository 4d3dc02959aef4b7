// examples/cli/mix_command.hpp: the `resizemix mix` subcommand (two images in, one mixed image out); see mix_command.cpp.
#pragma once

#include <CLI/CLI.hpp>

#include "cli_common.hpp"

namespace resizemix_cli {

/// Adds `mix` to `parent`; the returned run() writes the mixed image and prints its JSON report.
subcommand add_mix_command(CLI::App& parent);

}  // namespace resizemix_cli
