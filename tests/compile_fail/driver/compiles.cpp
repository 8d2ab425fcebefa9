// expect: statix: this file compiles
// Valid code: the compile-failure driver must report this test as failed.
#include <statix/base/macros.hpp>

STATIX_HD inline int answer() {
  return 42;
}
