#pragma once

#include <limits>

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/distributions/multivariate/wishart.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Inverse Wishart(nu, S) on a K x K symmetric positive definite W:
//   log p = nu/2 log det S - nu K/2 log 2 - log Gamma_K(nu/2)
//           - (nu + K + 1)/2 log det W - 1/2 tr(S W^-1).
// Gradients (dW, dS symmetric):
//   d/dW = -(nu + K + 1)/2 W^-1 + 1/2 W^-1 S W^-1,
//   d/dS = nu/2 S^-1 - 1/2 W^-1,
//   d/dnu = 1/2 log det S - K/2 log 2 - 1/2 sum_{j=1}^K digamma((nu + 1 - j)/2) - 1/2 log det W.
// nu > K - 1 and finite, W and S symmetric (1e-8) positive definite;
// otherwise -inf, gradients untouched. Propto drops -K(K-1)/4 log pi.
template <bool Propto, class T>
T inv_wishart_lpdf(int K, const T* W, const T& nu, const T* S, std::type_identity_t<T>* dW,
                   std::type_identity_t<T>* dnu, std::type_identity_t<T>* dS) {
  using namespace multivariate_detail;
  if (K < 1 || !detail::is_finite(nu) || !(detail::value(nu) > K - 1.0))
    return negative_infinity<T>();
  matrix<T> L_W, L_S;
  if (!cholesky(W, K, L_W) || !cholesky(S, K, L_S)) return negative_infinity<T>();
  const T log_det_W = 2.0 * sum_log_diagonal(L_W), log_det_S = 2.0 * sum_log_diagonal(L_S);
  // tr(S W^-1) = |L_W^-1 L_S|_F^2
  const matrix<T> m = L_W.template triangularView<Eigen::Lower>().solve(L_S);
  const T half_nu = 0.5 * nu;
  T lp = half_nu * log_det_S - half_nu * K * math::log_two - lmgamma<!Propto>(K, half_nu) -
         0.5 * (nu + double(K + 1)) * log_det_W - 0.5 * m.squaredNorm();
  if (dW != nullptr || dS != nullptr) {
    const matrix<T> inv_W = inverse_from_cholesky(L_W);
    if (dW != nullptr) {
      const matrix<T> s = view(S, K, K);
      add_symmetric(dW, matrix<T>(0.5 * (inv_W * s * inv_W) - 0.5 * (nu + double(K + 1)) * inv_W));
    }
    if (dS != nullptr)
      add_symmetric(dS, matrix<T>(half_nu * inverse_from_cholesky(L_S) - 0.5 * inv_W));
  }
  if (dnu != nullptr) {
    *dnu = *dnu + 0.5 * log_det_S - 0.5 * K * math::log_two - 0.5 * lmgamma_derivative(K, half_nu) -
           0.5 * log_det_W;
  }
  return lp;
}

// An inverse Wishart(nu, S) draw into W: the inverse of a Wishart(nu, S^-1)
// draw (as Stan's inv_wishart_rng); NaN for nu <= K - 1 or a bad S.
template <class Rng>
void inv_wishart_rng(int K, double nu, const double* S, Rng& rng, double* W) {
  using namespace multivariate_detail;
  matrix<double> L;
  if (!(nu > K - 1.0) || !math::is_finite(nu) || !cholesky(S, K, L)) {
    fill_nan(W, K * K);
    return;
  }
  matrix<double> inv_S = inverse_from_cholesky(L);
  inv_S = (0.5 * (inv_S + inv_S.transpose())).eval(); // exactly symmetric
  matrix<double> L_inv;
  if (!cholesky(inv_S.data(), K, L_inv)) {
    fill_nan(W, K * K);
    return;
  }
  const matrix<double> draw = wishart_draw(L_inv, nu, rng);
  Eigen::LLT<matrix<double>> llt(draw);
  const matrix<double> inverse = llt.solve(matrix<double>::Identity(K, K));
  Eigen::Map<matrix<double>>(W, K, K) = 0.5 * (inverse + inverse.transpose());
}

} // namespace statix::dist
