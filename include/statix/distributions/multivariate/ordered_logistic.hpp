#pragma once

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

namespace multivariate_detail {
// log(inv_logit(a) - inv_logit(b)) for a > b, in a form that stays accurate
// when both are far in a tail:
//   a - log1p_exp(a) + log1m_exp(b - a) - log1p_exp(b),
// with d/da = 1 - inv_logit(a) + 1/expm1(a - b), d/db = -1/expm1(a - b) - inv_logit(b).
template <class T>
T log_inv_logit_diff(const T& a, const T& b, T& da, T& db) {
  const T e = math::inv(math::expm1(a - b));
  da = 1.0 - math::inv_logit(a) + e;
  db = -e - math::inv_logit(b);
  return a - math::log1p_exp(a) + math::log1m_exp(b - a) - math::log1p_exp(b);
}
} // namespace multivariate_detail

// Ordered logistic of N outcomes y_n in 0..K-1 with linear predictors eta
// (N values, or one for all when !eta_per_row) and K - 1 increasing cut
// points c (Stan's ordered_logistic, 0-based):
//   y = 0:     log(1 - inv_logit(eta - c_0)),
//   y = K - 1: log inv_logit(eta - c_{K-2}),
//   else:      log(inv_logit(eta - c_{y-1}) - inv_logit(eta - c_y)),
// the middle case by log_inv_logit_diff (stable in the tails). K >= 2, the
// cuts finite and strictly increasing, eta finite, y in range; otherwise
// -inf, gradients untouched. Propto drops nothing.
template <bool Propto, class T>
T ordered_logistic_lpmf(int N, const int* y, const T* eta, bool eta_per_row, int K, const T* cuts,
                        std::type_identity_t<T>* deta, std::type_identity_t<T>* dcuts) {
  using namespace multivariate_detail;
  if (N < 0 || K < 2 || !all_finite(cuts, K - 1) || !all_finite(eta, eta_per_row ? N : 1))
    return negative_infinity<T>();
  for (int k = 1; k < K - 1; ++k) {
    if (!(detail::value(cuts[k]) > detail::value(cuts[k - 1]))) return negative_infinity<T>();
  }
  for (int n = 0; n < N; ++n) {
    if (y[n] < 0 || y[n] >= K) return negative_infinity<T>();
  }
  T lp(0.0);
  for (int n = 0; n < N; ++n) {
    const T& e = eta[eta_per_row ? n : 0];
    const int c = y[n];
    T d_upper(0.0), d_lower(0.0); // d/d(eta - c_{y-1}) and d/d(eta - c_y)
    if (c == 0) {
      const T x = e - cuts[0];
      lp = lp + math::log1m_inv_logit(x);
      d_lower = -math::inv_logit(x);
    } else if (c == K - 1) {
      const T x = e - cuts[K - 2];
      lp = lp + math::log_inv_logit(x);
      d_upper = math::inv_logit(-x);
    } else {
      lp = lp + log_inv_logit_diff(e - cuts[c - 1], e - cuts[c], d_upper, d_lower);
    }
    if (deta != nullptr) {
      T& d = deta[eta_per_row ? n : 0];
      d = d + d_upper + d_lower;
    }
    if (dcuts != nullptr) {
      if (c > 0) dcuts[c - 1] = dcuts[c - 1] - d_upper;
      if (c < K - 1) dcuts[c] = dcuts[c] - d_lower;
    }
  }
  return lp;
}

// A 0-based draw: the number of cut points below eta + a standard logistic
// draw. -1 for bad eta or cuts.
template <class Rng>
int ordered_logistic_rng(double eta, int K, const double* cuts, Rng& rng) {
  if (K < 2 || !math::is_finite(eta) || !multivariate_detail::all_finite(cuts, K - 1)) return -1;
  for (int k = 1; k < K - 1; ++k) {
    if (!(cuts[k] > cuts[k - 1])) return -1;
  }
  const double latent = random::logistic(rng, eta, 1.0);
  int y = 0;
  while (y < K - 1 && latent > cuts[y])
    ++y;
  return y;
}

} // namespace statix::dist
