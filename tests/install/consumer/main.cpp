// Built by the install tests against an installed Statix (find_package) and
// against the source tree (add_subdirectory).
#include <statix/statix.hpp>

#include <iostream>

int main() {
  // When the model API is in place, build a small model here and evaluate its
  // log density, so that this test proves a real model compiles and runs
  // against the installed headers.
  std::cout << "statix " << STATIX_CONSUMER_STATIX_VERSION
            << ": <statix/statix.hpp> compiled and linked\n";
  return 0;
}
