#pragma once

#include <limits>

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

namespace multivariate_detail {

// log of the LKJ normalising constant, Lewandowski, Kurowicka & Joe (2009),
// theorem 5, as Stan Math's do_lkj_constant:
//   eta != 1: (K-1) lgamma(eta + (K-1)/2) - sum_{k=1}^{K-1} [k/2 log pi + lgamma(eta + (K-1-k)/2)],
//   eta == 1: Stan's closed form in K alone (odd and even K apart).
// The eta == 1 value keeps the derivative of the eta != 1 formula, so dual
// numbers see the same tangent on both sides. Without WithConstant the
// eta-free sum of k/2 log pi is left out (and the eta == 1 form unused).
template <bool WithConstant, class T>
T lkj_constant(const T& eta, int K) {
  const int km1 = K - 1;
  T c = km1 * math::lgamma(eta + 0.5 * km1);
  for (int k = 1; k <= km1; ++k)
    c = c - math::lgamma(eta + 0.5 * (km1 - k));
  if constexpr (WithConstant) {
    c = c - 0.25 * km1 * K * math::log_pi; // sum_{k=1}^{K-1} k/2 log pi
    if (detail::value(eta) == 1.0) {
      double one = 0.0;
      for (int k = 1; k <= km1 / 2; ++k)
        one -= math::lgamma(2.0 * k);
      if (K % 2 == 1) {
        one -= 0.25 * (K * K - 1) * math::log_pi - 0.25 * (km1 * km1) * math::log_two -
               km1 * math::lgamma(0.5 * (K + 1));
      } else {
        one -= 0.25 * K * (K - 2) * math::log_pi + 0.25 * (3 * K * K - 4 * K) * math::log_two +
               K * math::lgamma(0.5 * K) - km1 * math::lgamma(static_cast<double>(K));
      }
      c = c + (one - detail::value(c));
    }
  }
  return c;
}

// d/deta of lkj_constant: (K-1) digamma(eta + (K-1)/2) - sum_k digamma(eta + (K-1-k)/2).
template <class T>
T lkj_constant_derivative(const T& eta, int K) {
  const int km1 = K - 1;
  T d = km1 * math::digamma(eta + 0.5 * km1);
  for (int k = 1; k <= km1; ++k)
    d = d - math::digamma(eta + 0.5 * (km1 - k));
  return d;
}

// The LKJ Cholesky log density without the support checks (used by
// lkj_corr_cholesky_lpdf after them, and by the tests for finite
// differences off the manifold of unit rows).
template <bool Propto, class T>
T lkj_corr_cholesky_kernel(int K, const T* L, const T& eta, std::type_identity_t<T>* dL,
                           std::type_identity_t<T>* deta) {
  T lp = lkj_constant<!Propto>(eta, K);
  T sum_log(0.0);
  for (int i = 1; i < K; ++i) {
    const T& l = L[i + i * K];
    const T log_l = math::log(l);
    const T coef = (K - 1 - i) + 2.0 * (eta - 1.0);
    lp = lp + coef * log_l;
    sum_log = sum_log + log_l;
    if (dL != nullptr) dL[i + i * K] = dL[i + i * K] + coef / l;
  }
  if (deta != nullptr) *deta = *deta + 2.0 * sum_log + lkj_constant_derivative(eta, K);
  return lp;
}

} // namespace multivariate_detail

// LKJ(eta) on the Cholesky factor L of a K x K correlation matrix (Stan's
// lkj_corr_cholesky_lpdf, the density of L, not of L L^T):
//   log p = c(eta, K) + sum_{i=1}^{K-1} (K - 1 - i + 2 (eta - 1)) log L(i, i),
// c the log normalising constant (lkj_constant). dL: only the diagonal
// (below it the density does not depend on L). L must be lower triangular
// with a positive diagonal and rows of unit length (1e-8); the upper part
// is not read. eta positive and finite. Otherwise -inf, gradients untouched.
// Propto drops the eta-free part of c, -K(K-1)/4 log pi.
template <bool Propto, class T>
T lkj_corr_cholesky_lpdf(int K, const T* L, const T& eta, std::type_identity_t<T>* dL,
                         std::type_identity_t<T>* deta) {
  using namespace multivariate_detail;
  if (K < 1 || !detail::is_positive_finite(eta) || !lower_finite(L, K))
    return negative_infinity<T>();
  for (int i = 0; i < K; ++i) {
    if (!(detail::value(L[i + i * K]) > 0.0)) return negative_infinity<T>();
    double norm2 = 0.0;
    for (int j = 0; j <= i; ++j)
      norm2 += detail::value(L[i + j * K]) * detail::value(L[i + j * K]);
    if (!(norm2 - 1.0 <= constraint_tolerance && 1.0 - norm2 <= constraint_tolerance))
      return negative_infinity<T>();
  }
  return lkj_corr_cholesky_kernel<Propto>(K, L, eta, dL, deta);
}

namespace multivariate_detail {
// Cholesky factor of a correlation matrix from canonical partial
// correlations, Stan's read_corr_L: cpc holds column 0 (rows 1..K-1), then
// column 1 (rows 2..K-1), ...; L(i, j) = cpc_ij sqrt(1 - sum of squares to
// the left of it in row i).
inline void corr_cholesky_from_cpcs(int K, const double* cpc, double* L) {
  for (int i = 0; i < K * K; ++i)
    L[i] = 0.0;
  vector<double> remaining = vector<double>::Ones(K); // 1 - sum_{j' < j} L(i, j')^2
  int position = 0;
  for (int j = 0; j < K; ++j) {
    L[j + j * K] = math::sqrt(remaining(j));
    for (int i = j + 1; i < K; ++i) {
      const double z = cpc[position++];
      L[i + j * K] = z * math::sqrt(remaining(i));
      remaining(i) *= 1.0 - z * z;
    }
  }
}
} // namespace multivariate_detail

// A draw of the Cholesky factor of an LKJ(eta) correlation matrix into the
// K x K array L (zeros above the diagonal), by Stan's method: the canonical
// partial correlations of column i are 2 Beta(a_i, a_i) - 1 with
// a_i = eta + (K - 2 - i)/2, then L from them (Lewandowski, Kurowicka & Joe
// 2009, section 3.2). NaN for a non-positive or non-finite eta.
template <class Rng>
void lkj_corr_cholesky_rng(int K, double eta, Rng& rng, double* L) {
  if (!(eta > 0.0) || !math::is_finite(eta)) {
    for (int i = 0; i < K * K; ++i)
      L[i] = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  multivariate_detail::vector<double> cpc(K * (K - 1) / 2 + 1);
  double alpha = eta + 0.5 * (K - 1);
  int count = 0;
  for (int i = 0; i + 1 < K; ++i) {
    alpha -= 0.5;
    for (int j = i + 1; j < K; ++j)
      cpc(count++) = 2.0 * random::beta(rng, alpha, alpha) - 1.0;
  }
  multivariate_detail::corr_cholesky_from_cpcs(K, cpc.data(), L);
}

} // namespace statix::dist
