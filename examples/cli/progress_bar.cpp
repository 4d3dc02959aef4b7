// examples/cli/progress_bar.cpp: see progress_bar.hpp.
#include "progress_bar.hpp"

#include <unistd.h>

#include <iostream>

#include "cli_common.hpp"

namespace resizemix_cli {

using resizemix::index_t;

progress_bar::progress_bar() : enabled_(::isatty(STDERR_FILENO) == 1) {}

progress_bar::~progress_bar() { erase(); }

void progress_bar::start(const std::string& stage, index_t total) {
    const std::lock_guard lock(mutex_);
    stage_ = stage;
    total_ = total;
    done_ = 0;
    drawn_ = -1;
    draw();
}

void progress_bar::advance() {
    const std::lock_guard lock(mutex_);
    ++done_;
    draw();
}

void progress_bar::erase() {
    const std::lock_guard lock(mutex_);
    if (enabled_ && shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
}

void progress_bar::draw() {
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

}  // namespace resizemix_cli
