// resizemix: mix images with ResizeMix, CutMix or Mixup from the command line.
//
//   resizemix mix     two images                     (mix_command.cpp)
//   resizemix batch   a folder, soft labels out      (batch_command.cpp)
//   resizemix grid    a contact sheet                (grid_command.cpp)
//
// Each subcommand's file documents its options, output and errors. This file
// parses the command line, runs the chosen subcommand inside one
// interrupt_scope (SIGINT / SIGTERM / SIGHUP: the staged output is removed and
// the process ends by the signal), and turns every failure into one line on
// stderr, "resizemix: error: ...", with exit status 2 for a bad command line
// and 1 for bad values or files.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>
#include <string>

#include <resizemix/error.hpp>

#include "batch_command.hpp"
#include "cli_common.hpp"
#include "grid_command.hpp"
#include "io/image_io.hpp"
#include "io/interrupts.hpp"
#include "mix_command.hpp"

namespace {

using resizemix_cli::exit_bad_usage;
using resizemix_cli::exit_bad_value;
using resizemix_cli::program_name;

/// Prints the one-line error and returns the exit status.
int report(const std::string& message, int status) {
    std::string line = message;
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    std::cerr << program_name << ": error: " << line << '\n';
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Mix images with ResizeMix, CutMix or Mixup: two images (mix), a folder (batch) or a contact "
                 "sheet (grid); prints what was done as JSON.",
                 program_name};
    app.set_version_flag("--version", "resizemix 0.1.0");
    app.require_subcommand(1);
    const resizemix_cli::subcommand commands[] = {resizemix_cli::add_mix_command(app),
                                                  resizemix_cli::add_batch_command(app),
                                                  resizemix_cli::add_grid_command(app)};

    // "(see 'resizemix batch --help')": the help of the subcommand being run, if one was named.
    const auto help_hint = [&] {
        const auto named = app.get_subcommands();
        return " (see '" + std::string(program_name) + (named.empty() ? "" : " " + named.front()->get_name()) +
               " --help')";
    };

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return report(std::string(e.what()) + help_hint(), exit_bad_usage);
    }

    // A signal may end the run through an error (a read that returned EINTR): the signal wins.
    const auto report_error = [&](const std::string& message, int status) {
        if (const int signal_number = resizemix_cli::noted_interrupt()) resizemix_cli::die_of(signal_number);
        return report(message, status);
    };
    try {
        const resizemix_cli::interrupt_scope interrupts;
        for (const auto& command : commands) {
            if (command.app->parsed()) command.run();
        }
    } catch (const resizemix_cli::interrupted& signal) {
        resizemix_cli::die_of(signal.signal_number);
    } catch (const resizemix_cli::usage_error& e) {
        return report_error(std::string(e.what()) + help_hint(), exit_bad_usage);
    } catch (const resizemix::error& e) {
        return report_error(e.what(), exit_bad_value);
    } catch (const resizemix_cli::file_error& e) {
        return report_error(e.what(), exit_bad_value);
    } catch (const std::bad_alloc&) {
        return report_error("out of memory", exit_bad_value);
    } catch (const std::exception& e) {
        return report_error(e.what(), exit_bad_value);
    }
    return 0;
}
