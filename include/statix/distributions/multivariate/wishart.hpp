#pragma once

#include <limits>

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Wishart(nu, S) on a K x K symmetric positive definite W:
//   log p = -nu K/2 log 2 - log Gamma_K(nu/2) - nu/2 log det S
//           + (nu - K - 1)/2 log det W - 1/2 tr(S^-1 W),
// Gamma_K the multivariate gamma function. Gradients (dW, dS symmetric):
//   d/dW = (nu - K - 1)/2 W^-1 - 1/2 S^-1,
//   d/dS = -nu/2 S^-1 + 1/2 S^-1 W S^-1,
//   d/dnu = -K/2 log 2 - 1/2 sum_{j=1}^K digamma((nu + 1 - j)/2) - 1/2 log det S + 1/2 log det W.
// nu > K - 1 and finite, W and S symmetric (1e-8) positive definite;
// otherwise -inf, gradients untouched. Propto drops -K(K-1)/4 log pi.
template <bool Propto, class T>
T wishart_lpdf(int K, const T* W, const T& nu, const T* S, std::type_identity_t<T>* dW,
               std::type_identity_t<T>* dnu, std::type_identity_t<T>* dS) {
  using namespace multivariate_detail;
  if (K < 1 || !detail::is_finite(nu) || !(detail::value(nu) > K - 1.0))
    return negative_infinity<T>();
  matrix<T> L_W, L_S;
  if (!cholesky(W, K, L_W) || !cholesky(S, K, L_S)) return negative_infinity<T>();
  const T log_det_W = 2.0 * sum_log_diagonal(L_W), log_det_S = 2.0 * sum_log_diagonal(L_S);
  // tr(S^-1 W) = |L_S^-1 L_W|_F^2
  const matrix<T> m = L_S.template triangularView<Eigen::Lower>().solve(L_W);
  const T half_nu = 0.5 * nu;
  T lp = -half_nu * K * math::log_two - lmgamma<!Propto>(K, half_nu) - half_nu * log_det_S +
         0.5 * (nu - double(K + 1)) * log_det_W - 0.5 * m.squaredNorm();
  if (dW != nullptr || dS != nullptr) {
    const matrix<T> inv_S = inverse_from_cholesky(L_S);
    if (dW != nullptr) {
      add_symmetric(
          dW, matrix<T>(0.5 * (nu - double(K + 1)) * inverse_from_cholesky(L_W) - 0.5 * inv_S));
    }
    if (dS != nullptr) {
      const matrix<T> w = view(W, K, K);
      add_symmetric(dS, matrix<T>(0.5 * (inv_S * w * inv_S) - half_nu * inv_S));
    }
  }
  if (dnu != nullptr) {
    *dnu = *dnu - 0.5 * K * math::log_two - 0.5 * lmgamma_derivative(K, half_nu) - 0.5 * log_det_S +
           0.5 * log_det_W;
  }
  return lp;
}

namespace multivariate_detail {
// Bartlett (1933): W = (L A)(L A)^T with L L^T = S, A lower triangular,
// A(i, i) = sqrt(chi^2_{nu - i}), A(i, j) ~ N(0, 1) below the diagonal.
template <class Rng>
matrix<double> wishart_draw(const matrix<double>& L, double nu, Rng& rng) {
  const int K = static_cast<int>(L.rows());
  matrix<double> A = matrix<double>::Zero(K, K);
  for (int j = 0; j < K; ++j) {
    A(j, j) = math::sqrt(random::chi_square(rng, nu - j));
    for (int i = j + 1; i < K; ++i)
      A(i, j) = random::std_normal(rng);
  }
  const matrix<double> la = L * A.template triangularView<Eigen::Lower>();
  return la * la.transpose();
}

inline void fill_nan(double* out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = std::numeric_limits<double>::quiet_NaN();
}
} // namespace multivariate_detail

// A Wishart(nu, S) draw into the K x K array W (Bartlett decomposition);
// NaN when nu <= K - 1 or S is not symmetric positive definite.
template <class Rng>
void wishart_rng(int K, double nu, const double* S, Rng& rng, double* W) {
  multivariate_detail::matrix<double> L;
  if (!(nu > K - 1.0) || !math::is_finite(nu) || !multivariate_detail::cholesky(S, K, L)) {
    multivariate_detail::fill_nan(W, K * K);
    return;
  }
  Eigen::Map<multivariate_detail::matrix<double>>(W, K, K) =
      multivariate_detail::wishart_draw(L, nu, rng);
}

} // namespace statix::dist
