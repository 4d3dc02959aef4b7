// resizemix/detail/cpu_isa.hpp: which instruction set the resampling kernels use.
//
// The library is header-only and users compile it with default flags, so the
// vector kernels are compiled for their instruction set with target attributes
// and one of them is chosen once per process from the CPU's features. Every
// path yields the same bytes; RESIZEMIX_ISA=portable|sse2|avx2 forces one (for
// tests and CI, and to rule the kernels out when hunting a problem).
// Not for direct inclusion: use <resizemix/resize.hpp>.
#pragma once

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "../error.hpp"

#if defined(__x86_64__) || defined(__i386__)
#define RESIZEMIX_X86_KERNELS 1
#else
#define RESIZEMIX_X86_KERNELS 0
#endif

namespace resizemix::detail {

/// A family of row kernels, from the plainest to the widest.
enum class isa { portable, sse2, avx2 };

inline constexpr isa all_isas[] = {isa::portable, isa::sse2, isa::avx2};

constexpr const char* name_of(isa path) noexcept {
    switch (path) {
        case isa::portable: return "portable";
        case isa::sse2: return "sse2";
        case isa::avx2: return "avx2";
    }
    return "?";
}

/// Whether this CPU (and this build) can run `path`.
inline bool cpu_supports(isa path) noexcept {
    switch (path) {
        case isa::portable: return true;
#if RESIZEMIX_X86_KERNELS && (defined(__GNUC__) || defined(__clang__))
        case isa::sse2: __builtin_cpu_init(); return __builtin_cpu_supports("sse2");
        case isa::avx2: __builtin_cpu_init(); return __builtin_cpu_supports("avx2");
#else
        case isa::sse2:
        case isa::avx2: return false;
#endif
    }
    return false;
}

/// The widest path this CPU supports.
inline isa best_isa() noexcept {
    isa best = isa::portable;
    for (isa path : all_isas)
        if (cpu_supports(path)) best = path;
    return best;
}

/// The path named by RESIZEMIX_ISA (unset or empty: the best one); an unknown
/// name or one this CPU cannot run is an error rather than a silent fallback,
/// so a CI stage that forces a path really runs it.
inline isa isa_from_environment() {
    const char* requested = std::getenv("RESIZEMIX_ISA");  // NOLINT(concurrency-mt-unsafe): read once
    if (requested == nullptr || *requested == '\0') return best_isa();
    for (isa path : all_isas) {
        if (std::string_view(requested) != name_of(path)) continue;
        if (!cpu_supports(path)) fail("RESIZEMIX_ISA", "this CPU cannot run the requested path ", requested);
        return path;
    }
    fail("RESIZEMIX_ISA", "unknown kernel path ", requested, " (expected portable, sse2 or avx2)");
}

/// The path every resize of this process uses, decided on first use.
inline isa active_isa() {
    static const isa chosen = isa_from_environment();
    return chosen;
}

}  // namespace resizemix::detail
