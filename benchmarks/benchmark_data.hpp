#pragma once

// Fixed synthetic data of the three benchmark models, generated from a seed
// so that every run and every implementation (Statix, the hand-written
// gradients, Stan Math) sees the same numbers. Plain std::vector: the Stan
// translation unit receives the same arrays through pointers.

#include <cmath>
#include <random>
#include <vector>

namespace statix_bench {

// Eight schools (Rubin 1981; Gelman et al., Bayesian Data Analysis, 5.5).
struct eight_schools_data {
  std::vector<double> y{28, 8, -3, 7, -1, 1, 18, 12};
  std::vector<double> sigma{15, 10, 16, 11, 9, 11, 10, 18};
};

// Logistic regression: y_i ~ bernoulli_logit(alpha + X_i beta), X standard
// normal, n x d, stored column-major (X[i + j * n]).
struct logistic_data {
  int n = 0;
  int d = 0;
  std::vector<double> X;
  std::vector<int> y;
};

inline logistic_data make_logistic_data(int n, int d, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  std::uniform_real_distribution<double> u;
  logistic_data out{n, d, std::vector<double>(static_cast<std::size_t>(n) * d),
                    std::vector<int>(n)};
  std::vector<double> beta(d);
  for (auto& b : beta)
    b = 0.5 * z(g);
  for (auto& v : out.X)
    v = z(g);
  for (int i = 0; i < n; ++i) {
    double eta = 0.3;
    for (int j = 0; j < d; ++j)
      eta += out.X[i + static_cast<std::size_t>(j) * n] * beta[j];
    out.y[i] = u(g) < 1 / (1 + std::exp(-eta)) ? 1 : 0;
  }
  return out;
}

// Radon-style varying intercepts and slopes (Gelman & Hill 2007, ch. 12-13):
// `groups` counties, `rows` houses, every county seen at least once.
struct radon_data {
  int groups = 0;
  std::vector<int> county; // 0-based
  std::vector<double> floor;
  std::vector<double> log_radon;
};

inline radon_data make_radon_data(int groups, int rows, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  std::uniform_int_distribution<int> pick(0, groups - 1);
  std::bernoulli_distribution first_floor(0.3);
  radon_data d{groups, std::vector<int>(rows), std::vector<double>(rows),
               std::vector<double>(rows)};
  std::vector<double> a(groups), b(groups);
  for (int k = 0; k < groups; ++k) {
    a[k] = 1.5 + 0.3 * z(g);
    b[k] = -0.6 + 0.2 * z(g);
  }
  for (int i = 0; i < rows; ++i) {
    d.county[i] = i < groups ? i : pick(g);
    d.floor[i] = first_floor(g) ? 1.0 : 0.0;
    d.log_radon[i] = a[d.county[i]] + b[d.county[i]] * d.floor[i] + 0.7 * z(g);
  }
  return d;
}

// The point at which every gradient is timed: standard normal draws scaled
// by `scale`, on the unconstrained scale.
inline std::vector<double> benchmark_point(int dim, unsigned seed, double scale) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  std::vector<double> x(dim);
  for (auto& v : x)
    v = scale * z(g);
  return x;
}

} // namespace statix_bench
