// fuzz/stb_implementation.cpp: stb_image and stb_image_write compiled into the
// fuzz targets, from the same Debian headers the CLI uses, with the fuzzers'
// coverage and sanitizer instrumentation (Debian's libstb.so has neither, so
// neither libFuzzer nor AddressSanitizer could see inside it). This is the only
// place the implementation macros are defined; nothing here links libstb.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image.h>
#include <stb_image_write.h>
