#pragma once

// Central finite differences of a model's log density, the oracle for every
// gradient test: step h = 1e-6 * max(1, |x_i|), error O(h^2 f''') relative to
// the truncation, so gradients are compared at a relative 1e-6 with an
// absolute floor scaled by the density's size.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

namespace statix_test {

template <class F>
Eigen::VectorXd finite_difference_gradient(F&& f, const Eigen::VectorXd& x) {
  Eigen::VectorXd g(x.size());
  for (int i = 0; i < x.size(); ++i) {
    const double h = 1e-6 * std::max(1.0, std::abs(x[i]));
    Eigen::VectorXd xp = x, xm = x;
    xp[i] += h;
    xm[i] -= h;
    // Richardson extrapolation of two central differences: O(h^4)
    Eigen::VectorXd xp2 = x, xm2 = x;
    xp2[i] += 2 * h;
    xm2[i] -= 2 * h;
    const double d1 = (f(xp) - f(xm)) / (2 * h);
    const double d2 = (f(xp2) - f(xm2)) / (4 * h);
    g[i] = (4 * d1 - d2) / 3;
  }
  return g;
}

// |a - b| <= rel * max(|a|, |b|) + abs
inline bool close(double a, double b, double rel, double abs) {
  return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + abs;
}

} // namespace statix_test
