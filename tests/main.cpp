// The Catch2 main, compiled once (resizemix_catch_main) and linked into every test program.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
