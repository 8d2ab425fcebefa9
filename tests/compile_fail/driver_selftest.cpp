// expect: static.assert.*statix: driver self test
// Checks the compile-failure driver itself: a static_assert that fires only
// when the template is instantiated, as Statix's own diagnostics do.
#include <statix/base/macros.hpp>

template <class T>
inline constexpr bool false_v = false;

template <class T>
void reject() {
  static_assert(false_v<T>, "statix: driver self test");
}

template void reject<int>();
