#pragma once

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Categorical(theta) of N outcomes y_n in 0..K-1 (0-based):
//   log p = sum_n log theta_{y_n},  d/dtheta_k = (number of y_n == k) / theta_k.
// theta must be a point of the simplex (entries >= 0, sum within 1e-8 of 1),
// every y_n in range and theta_{y_n} > 0; otherwise -inf, gradient untouched.
// Propto drops nothing.
template <bool Propto, class T>
T categorical_lpmf(int N, const int* y, int K, const T* theta, std::type_identity_t<T>* dtheta) {
  using namespace multivariate_detail;
  if (N < 0 || K < 1 || !rows_on_simplex(1, K, theta)) return negative_infinity<T>();
  for (int n = 0; n < N; ++n) {
    if (y[n] < 0 || y[n] >= K || !(detail::value(theta[y[n]]) > 0.0)) return negative_infinity<T>();
  }
  T lp(0.0);
  for (int n = 0; n < N; ++n) {
    lp = lp + math::log(theta[y[n]]);
    if (dtheta != nullptr) dtheta[y[n]] = dtheta[y[n]] + math::inv(theta[y[n]]);
  }
  return lp;
}

// A 0-based draw with probabilities theta[0..K-1] (inversion,
// random::categorical); -1 when theta is not a point of the simplex.
template <class Rng>
int categorical_rng(int K, const double* theta, Rng& rng) {
  if (K < 1 || !multivariate_detail::rows_on_simplex(1, K, theta)) return -1;
  return random::categorical(rng, theta, K);
}

} // namespace statix::dist
