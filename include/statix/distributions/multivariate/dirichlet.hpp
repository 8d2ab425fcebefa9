#pragma once

#include <limits>

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Dirichlet(alpha) over N rows theta_n of the simplex (N x K, column-major):
//   log p = sum_n [lgamma(sum_k alpha_nk) - sum_k lgamma(alpha_nk)
//                  + sum_k (alpha_nk - 1) log theta_nk],
//   d/dtheta_nk = (alpha_nk - 1) / theta_nk,
//   d/dalpha_nk = digamma(sum_j alpha_nj) - digamma(alpha_nk) + log theta_nk,
// alpha K values shared by all rows, or N x K when alpha_per_row. A row off
// the simplex (negative entry, or a sum more than 1e-8 from 1), a
// non-positive or non-finite alpha: -inf, gradients untouched. theta_nk = 0
// with alpha_nk = 1 contributes 0 (0 log 0); with alpha_nk < 1 the density
// is +inf. Every term depends on an argument, so Propto drops nothing.
template <bool Propto, class T>
T dirichlet_lpdf(int N, int K, const T* theta, const T* alpha, bool alpha_per_row,
                 std::type_identity_t<T>* dtheta, std::type_identity_t<T>* dalpha) {
  using namespace multivariate_detail;
  if (N < 0 || K < 1) return negative_infinity<T>();
  const int n_alpha = alpha_per_row ? N * K : K;
  for (int i = 0; i < n_alpha; ++i) {
    if (!detail::is_positive_finite(alpha[i])) return negative_infinity<T>();
  }
  if (!rows_on_simplex(N, K, theta)) return negative_infinity<T>();
  T lp(0.0);
  for (int n = 0; n < N; ++n) {
    const int row = alpha_per_row ? n : 0, stride = alpha_per_row ? N : 1;
    T alpha_sum(0.0);
    for (int k = 0; k < K; ++k)
      alpha_sum = alpha_sum + alpha[row + k * stride];
    lp = lp + math::lgamma(alpha_sum);
    const T digamma_sum = dalpha != nullptr ? math::digamma(alpha_sum) : T(0.0);
    for (int k = 0; k < K; ++k) {
      const T& a = alpha[row + k * stride];
      const T& t = theta[n + k * N];
      const T log_t = math::log(t);
      lp = lp - math::lgamma(a) + detail::times_log(a - 1.0, log_t);
      // alpha = 1: theta_nk's exponent is 0, its derivative 0 (also at theta_nk = 0).
      if (dtheta != nullptr && detail::value(a) != 1.0)
        dtheta[n + k * N] = dtheta[n + k * N] + (a - 1.0) / t;
      if (dalpha != nullptr)
        dalpha[row + k * stride] =
            dalpha[row + k * stride] + (digamma_sum - math::digamma(a) + log_t);
    }
  }
  return lp;
}

// A draw into out[0..K-1]: gamma draws normalised in log space, so small
// concentrations do not underflow (random::dirichlet); NaN for a
// non-positive or non-finite alpha.
template <class Rng>
void dirichlet_rng(int K, const double* alpha, Rng& rng, double* out) {
  for (int k = 0; k < K; ++k) {
    if (!(alpha[k] > 0.0) || !math::is_finite(alpha[k])) {
      for (int j = 0; j < K; ++j)
        out[j] = std::numeric_limits<double>::quiet_NaN();
      return;
    }
  }
  random::dirichlet(rng, alpha, K, out);
}

} // namespace statix::dist
