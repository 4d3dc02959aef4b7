// Tests for resizemix/geometry.hpp: box predicates, clipping, and the
// centre-and-shift-inside rule of the paper's Appendix A.
#include <algorithm>
#include <limits>
#include <sstream>

#include <catch2/catch.hpp>

#include <resizemix/geometry.hpp>

using resizemix::box;
using resizemix::centred_box_inside;
using resizemix::index_t;
using Catch::Contains;

static_assert(box{1, 2, 3, 4}.area() == 12);
static_assert(resizemix::clip(box{-2, 1, 5, 3}, 10, 10) == box{0, 1, 3, 3});

TEST_CASE("box area, emptiness, inside and contains", "[geometry]") {
    const box b{2, 3, 4, 5};  // columns 2..5, rows 3..7
    CHECK(b.area() == 20);
    CHECK_FALSE(b.empty());
    CHECK(box{0, 0, 0, 5}.empty());
    CHECK(box{0, 0, 5, 0}.empty());
    CHECK(box{0, 0, -1, 5}.empty());
    CHECK(box{}.area() == 0);

    CHECK(b.inside(6, 8));       // touches the right and bottom edges exactly
    CHECK_FALSE(b.inside(5, 8));  // one column short
    CHECK_FALSE(b.inside(6, 7));  // one row short
    CHECK_FALSE(box{-1, 0, 2, 2}.inside(10, 10));
    CHECK_FALSE(box{0, -1, 2, 2}.inside(10, 10));
    CHECK(box{0, 0, 10, 10}.inside(10, 10));

    // Half-open: the first column/row are in, the one past the end is out.
    CHECK(b.contains(2, 3));
    CHECK(b.contains(5, 7));
    CHECK_FALSE(b.contains(6, 7));
    CHECK_FALSE(b.contains(5, 8));
    CHECK_FALSE(b.contains(1, 3));
    CHECK_FALSE(b.contains(2, 2));
    int covered = 0;
    for (index_t y = 0; y < 12; ++y)
        for (index_t x = 0; x < 12; ++x) covered += b.contains(x, y) ? 1 : 0;
    CHECK(covered == b.area());

    CHECK(b == box{2, 3, 4, 5});
    CHECK(b != box{2, 3, 4, 6});
    std::ostringstream text;
    text << b;
    CHECK(text.str() == "box{x=2, y=3, width=4, height=5}");
}

TEST_CASE("clip keeps the part of a box inside the image", "[geometry]") {
    CHECK(resizemix::clip(box{1, 1, 3, 3}, 10, 8) == box{1, 1, 3, 3});   // already inside
    CHECK(resizemix::clip(box{8, 6, 5, 5}, 10, 8) == box{8, 6, 2, 2});   // sticks out right and down
    CHECK(resizemix::clip(box{-3, -2, 5, 4}, 10, 8) == box{0, 0, 2, 2}); // sticks out left and up
    CHECK(resizemix::clip(box{-5, -5, 30, 30}, 10, 8) == box{0, 0, 10, 8});
    CHECK(resizemix::clip(box{12, 2, 3, 3}, 10, 8).empty());              // entirely to the right
    CHECK(resizemix::clip(box{-6, 2, 3, 3}, 10, 8).area() == 0);          // entirely to the left
    CHECK(resizemix::clip(box{2, 9, 3, 3}, 10, 8).empty());               // entirely below
    // Clipping is idempotent and the result is always inside.
    for (index_t x = -6; x <= 12; x += 3)
        for (index_t w = 0; w <= 14; w += 2) {
            const box clipped = resizemix::clip(box{x, x / 2, w, w + 1}, 10, 8);
            CHECK(clipped.inside(10, 8));
            CHECK(resizemix::clip(clipped, 10, 8) == clipped);
        }
}

TEST_CASE("centred_box_inside centres the box on the pixel when it fits", "[geometry]") {
    // Odd sizes: the centre pixel is the middle one.
    CHECK(centred_box_inside(10, 8, 5, 3, 20, 16) == box{8, 7, 5, 3});
    // Even sizes: the centre pixel sits just right of / below the middle.
    CHECK(centred_box_inside(10, 8, 4, 6, 20, 16) == box{8, 5, 4, 6});
    // A 1x1 box is the pixel itself.
    CHECK(centred_box_inside(7, 3, 1, 1, 20, 16) == box{7, 3, 1, 1});
}

TEST_CASE("centred_box_inside shifts the box back inside at every edge", "[geometry]") {
    constexpr index_t image_width = 20, image_height = 16;
    // Left and top edges: the box starts at 0.
    CHECK(centred_box_inside(0, 0, 6, 5, image_width, image_height) == box{0, 0, 6, 5});
    CHECK(centred_box_inside(2, 1, 6, 5, image_width, image_height) == box{0, 0, 6, 5});
    CHECK(centred_box_inside(3, 2, 6, 5, image_width, image_height) == box{0, 0, 6, 5});  // exactly at the edge
    CHECK(centred_box_inside(4, 3, 6, 5, image_width, image_height) == box{1, 1, 6, 5});
    // Right and bottom edges: the box ends at the border.
    CHECK(centred_box_inside(19, 15, 6, 5, image_width, image_height) == box{14, 11, 6, 5});
    CHECK(centred_box_inside(17, 13, 6, 5, image_width, image_height) == box{14, 11, 6, 5});
    CHECK(centred_box_inside(16, 12, 6, 5, image_width, image_height) == box{13, 10, 6, 5});
    // Corners mix both rules.
    CHECK(centred_box_inside(19, 0, 7, 7, image_width, image_height) == box{13, 0, 7, 7});
    CHECK(centred_box_inside(0, 15, 7, 7, image_width, image_height) == box{0, 9, 7, 7});
    // Exact fit: the only position is the origin, wherever the centre is.
    for (index_t c = 0; c < image_width; ++c) {
        CHECK(centred_box_inside(c, c % image_height, image_width, image_height, image_width, image_height) ==
              box{0, 0, image_width, image_height});
    }
}

TEST_CASE("centred_box_inside matches clamp(c - size / 2, 0, extent - size) everywhere", "[geometry]") {
    // An independent statement of the rule, checked on every small case: start at
    // c - floor(size / 2); move right if it starts before 0; move left if it ends past the border.
    const auto expected_start = [](index_t centre, index_t size, index_t extent) {
        index_t start = centre - size / 2;
        if (start < 0) start = 0;
        if (start + size > extent) start = extent - size;
        return start;
    };
    for (index_t extent = 1; extent <= 9; ++extent)
        for (index_t size = 1; size <= extent; ++size)
            for (index_t centre = 0; centre < extent; ++centre) {
                const box b = centred_box_inside(centre, extent - 1 - centre, size, size, extent, extent);
                CAPTURE(extent, size, centre);
                REQUIRE(b.x == expected_start(centre, size, extent));
                REQUIRE(b.y == expected_start(extent - 1 - centre, size, extent));
                REQUIRE(b.width == size);
                REQUIRE(b.height == size);
                REQUIRE(b.inside(extent, extent));
                // The centre pixel is always covered: shifting never loses the object.
                REQUIRE(b.contains(centre, extent - 1 - centre));
            }
}

TEST_CASE("centred_box_inside treats a centre outside the image as the nearest pixel inside", "[geometry]") {
    CHECK(centred_box_inside(-5, 100, 4, 4, 20, 16) == centred_box_inside(0, 15, 4, 4, 20, 16));
    CHECK(centred_box_inside(-5, 100, 4, 4, 20, 16) == box{0, 12, 4, 4});
    // Extreme centres neither overflow nor escape the image.
    constexpr index_t most = std::numeric_limits<index_t>::max();
    constexpr index_t least = std::numeric_limits<index_t>::min();
    CHECK(centred_box_inside(most, least, 3, 3, 20, 16) == box{17, 0, 3, 3});
    CHECK(centred_box_inside(least, most, 3, 3, 20, 16) == box{0, 13, 3, 3});
}

TEST_CASE("centred_box_inside refuses a box that does not fit", "[geometry]") {
    CHECK_THROWS_AS(centred_box_inside(0, 0, 11, 5, 10, 10), resizemix::error);
    CHECK_THROWS_WITH(centred_box_inside(0, 0, 11, 5, 10, 10),
                      Contains("centred_box_inside") && Contains("a 11x5 box does not fit an image of 10x10"));
    CHECK_THROWS_WITH(centred_box_inside(0, 0, 5, 12, 10, 10), Contains("5x12 box does not fit"));
    CHECK_THROWS_AS(centred_box_inside(0, 0, 0, 5, 10, 10), resizemix::error);
    CHECK_THROWS_AS(centred_box_inside(0, 0, 5, -1, 10, 10), resizemix::error);
}
