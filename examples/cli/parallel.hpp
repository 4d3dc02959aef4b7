// examples/cli/parallel.hpp: the CLI's one pool of threads, as a resizemix::executor.
//
// `batch` reads and writes images on it and hands the same executor to
// mix_batch (batch_options::executor), so decoding, mixing and encoding share
// one --threads setting and one implementation.
#pragma once

#include <resizemix/batch.hpp>

namespace resizemix_cli {

/// Runs task(i) for i in [0, count) on `threads` threads (0 = every core), the
/// indices taken in order. If tasks fail, indices above the lowest known failure
/// are skipped and the failure of the lowest index is rethrown once every thread
/// has stopped, so which error is reported does not depend on timing.
[[nodiscard]] resizemix::executor make_executor(unsigned threads);

}  // namespace resizemix_cli
