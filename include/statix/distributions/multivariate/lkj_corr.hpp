#pragma once

#include <limits>

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/distributions/multivariate/lkj_corr_cholesky.hpp"

namespace statix::dist {

namespace multivariate_detail {
// The LKJ log density of a correlation matrix given its Cholesky factor,
// without the checks: c(eta, K) + (eta - 1) log det Omega,
//   d/dOmega = (eta - 1) Omega^-1 (symmetric), d/deta = log det Omega + c'(eta).
template <bool Propto, class T>
T lkj_corr_from_cholesky(const matrix<T>& L, const T& eta, std::type_identity_t<T>* dOmega,
                         std::type_identity_t<T>* deta) {
  const int K = static_cast<int>(L.rows());
  const T log_det = 2.0 * sum_log_diagonal(L);
  const T lp = lkj_constant<!Propto>(eta, K) + (eta - 1.0) * log_det;
  if (dOmega != nullptr) add_symmetric(dOmega, matrix<T>((eta - 1.0) * inverse_from_cholesky(L)));
  if (deta != nullptr) *deta = *deta + log_det + lkj_constant_derivative(eta, K);
  return lp;
}
} // namespace multivariate_detail

// LKJ(eta) on a K x K correlation matrix Omega:
//   log p = c(eta, K) + (eta - 1) log det Omega,
// c as in lkj_corr_cholesky_lpdf (Stan's do_lkj_constant). Omega must be
// symmetric (1e-8), with unit diagonal (1e-8) and positive definite, eta
// positive and finite; otherwise -inf, gradients untouched. dOmega
// symmetric, (eta - 1) Omega^-1 (its diagonal too, although Omega's
// diagonal is fixed). Propto drops -K(K-1)/4 log pi.
template <bool Propto, class T>
T lkj_corr_lpdf(int K, const T* Omega, const T& eta, std::type_identity_t<T>* dOmega,
                std::type_identity_t<T>* deta) {
  using namespace multivariate_detail;
  if (K < 1 || !detail::is_positive_finite(eta)) return negative_infinity<T>();
  matrix<T> L;
  if (!cholesky(Omega, K, L)) return negative_infinity<T>();
  for (int k = 0; k < K; ++k) {
    const double d = detail::value(Omega[k + k * K]) - 1.0;
    if (!(d <= constraint_tolerance && d >= -constraint_tolerance)) return negative_infinity<T>();
  }
  return lkj_corr_from_cholesky<Propto>(L, eta, dOmega, deta);
}

// A draw L L^T, L from lkj_corr_cholesky_rng, into the K x K array Omega.
template <class Rng>
void lkj_corr_rng(int K, double eta, Rng& rng, double* Omega) {
  multivariate_detail::matrix<double> L(K, K);
  lkj_corr_cholesky_rng(K, eta, rng, L.data());
  Eigen::Map<multivariate_detail::matrix<double>>(Omega, K, K) = L * L.transpose();
  for (int k = 0; k < K; ++k) {
    if (Omega[k + k * K] == Omega[k + k * K]) Omega[k + k * K] = 1.0; // exact unit diagonal
  }
}

} // namespace statix::dist
