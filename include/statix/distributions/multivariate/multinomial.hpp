#pragma once

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Multinomial(n, theta) of counts y[0..K-1] >= 0, n = sum_k y_k:
//   log p = lgamma(n + 1) - sum_k lgamma(y_k + 1) + sum_k y_k log theta_k,
//   d/dtheta_k = y_k / theta_k (0 where y_k = 0).
// theta on the simplex (1e-8), y_k >= 0, and theta_k > 0 wherever y_k > 0;
// otherwise -inf, gradient untouched. Propto drops the lgamma terms, which
// depend on the counts alone.
template <bool Propto, class T>
T multinomial_lpmf(int K, const int* y, const T* theta, std::type_identity_t<T>* dtheta) {
  using namespace multivariate_detail;
  if (K < 1 || !rows_on_simplex(1, K, theta)) return negative_infinity<T>();
  for (int k = 0; k < K; ++k) {
    if (y[k] < 0 || (y[k] > 0 && !(detail::value(theta[k]) > 0.0))) return negative_infinity<T>();
  }
  T lp(0.0);
  if constexpr (!Propto) {
    double count = 0.0, sum_lgamma = 0.0;
    for (int k = 0; k < K; ++k) {
      count += y[k];
      sum_lgamma += math::lgamma(y[k] + 1.0);
    }
    lp = lp + (math::lgamma(count + 1.0) - sum_lgamma);
  }
  for (int k = 0; k < K; ++k) {
    if (y[k] == 0) continue;
    lp = lp + double(y[k]) * math::log(theta[k]);
    if (dtheta != nullptr) dtheta[k] = dtheta[k] + double(y[k]) / theta[k];
  }
  return lp;
}

// A draw of n trials into y[0..K-1], by sequential conditional binomials:
// y_k ~ Binomial(n - sum_{j<k} y_j, theta_k / sum_{j>=k} theta_j). All -1
// when theta is not on the simplex or n < 0.
template <class Rng>
void multinomial_rng(int K, const double* theta, int n, Rng& rng, int* y) {
  if (K < 1 || n < 0 || !multivariate_detail::rows_on_simplex(1, K, theta)) {
    for (int k = 0; k < K; ++k)
      y[k] = -1;
    return;
  }
  int left = n;
  double mass = 1.0;
  for (int k = 0; k < K; ++k) {
    if (k == K - 1 || left == 0) {
      y[k] = k == K - 1 ? left : 0;
      if (k < K - 1) continue;
      break;
    }
    double p = mass > 0.0 ? theta[k] / mass : 1.0;
    p = p < 0.0 ? 0.0 : (p > 1.0 ? 1.0 : p);
    y[k] = random::binomial(rng, left, p);
    left -= y[k];
    mass -= theta[k];
  }
}

} // namespace statix::dist
