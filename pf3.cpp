#include <statix/statix.hpp>
#include <statix/infer/pathfinder.hpp>
#include "conjugate_models.hpp"
#include <cstdio>
#include <algorithm>
#include <vector>
namespace sx = statix;
int main(){
  const conjugate::gamma_poisson c; const auto model = c.model();
  int bad = 0; std::vector<double> ks;
  for (unsigned s = 1; s <= 60; ++s) {
    const auto pf = sx::pathfinder(model, {.paths = 4, .draws = 10000, .seed = s, .draws_per_path = 10000});
    ks.push_back(pf.pareto_k()); if (pf.pareto_k() >= 0.5) { ++bad; std::printf("seed %u k %.3f\n", s, pf.pareto_k()); }
  }
  std::sort(ks.begin(), ks.end());
  std::printf("k >= 0.5 in %d of 60; median %.3f\n", bad, ks[30]);
}
