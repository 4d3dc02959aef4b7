// expect: image<T>: T must be std::uint8_t or float \(not const\)
#include <resizemix/image.hpp>

int main() {
    resizemix::image<const float> owned(3, 4, 4);  // an owning image of const pixels
    return static_cast<int>(owned.width());
}
