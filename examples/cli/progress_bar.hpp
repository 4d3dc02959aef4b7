// examples/cli/progress_bar.hpp: the progress bar `resizemix batch` draws on stderr.
//
// "resizemix batch: reading [##########----------]  20/40", redrawn in place,
// only when stderr is a terminal (so logs and tests see nothing), and erased
// when done or destroyed, so stderr otherwise holds only a one-line error.
#pragma once

#include <mutex>
#include <string>

#include <resizemix/geometry.hpp>

namespace resizemix_cli {

/// A one-line progress bar on stderr; advance() may be called from any thread.
class progress_bar {
public:
    progress_bar();
    progress_bar(const progress_bar&) = delete;
    progress_bar& operator=(const progress_bar&) = delete;
    ~progress_bar();

    /// Starts a stage of `total` items, drawn as "<stage> [...] 0/<total>".
    void start(const std::string& stage, resizemix::index_t total);
    /// One more item done.
    void advance();
    /// Removes the bar from the terminal.
    void erase();

private:
    void draw();

    bool enabled_;
    bool shown_ = false;
    std::mutex mutex_;
    std::string stage_;
    resizemix::index_t total_ = 0;
    resizemix::index_t done_ = 0;
    resizemix::index_t drawn_ = -1;
};

}  // namespace resizemix_cli
