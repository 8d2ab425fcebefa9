// Placeholder until the eight schools example is written: it only checks that
// the umbrella header compiles.
#include <statix/statix.hpp>

#include <iostream>

int main() {
  std::cout << "eight_schools: placeholder, the eight schools model is not written yet\n";
  return 0;
}
