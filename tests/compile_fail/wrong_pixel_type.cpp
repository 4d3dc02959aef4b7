// expect: image_view<T>: T must be std::uint8_t or float
#include <resizemix/view.hpp>

int main() {
    int pixels[12] = {};
    auto view = resizemix::from_hwc(pixels, 2, 2, 3);  // int pixels are not supported
    return static_cast<int>(view.width());
}
