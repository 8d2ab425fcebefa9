#pragma once

#include <limits>

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/distributions/multivariate/multi_normal_cholesky.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Multivariate normal with covariance Sigma over N rows y_n (N x K,
// column-major), through one Cholesky factor Sigma = L L^T (Eigen::LLT):
//   log p = -N K/2 log(2 pi) - N/2 log det Sigma - 1/2 sum_n r_n^T Sigma^-1 r_n,
// r_n = y_n - mu_n. With a_n = Sigma^-1 r_n:
//   d/dy_n = -a_n, d/dmu_n = a_n, d/dSigma = -N/2 Sigma^-1 + 1/2 sum_n a_n a_n^T,
// dSigma written symmetric (each of (i, j) and (j, i) gets half the
// derivative with respect to the pair). Sigma not symmetric (1e-8), not
// positive definite or not finite, or non-finite y / mu: -inf, gradients
// untouched. Propto drops -N K/2 log(2 pi).
template <bool Propto, class T>
T multi_normal_lpdf(int N, int K, const T* y, const T* mu, bool mu_per_row, const T* Sigma,
                    std::type_identity_t<T>* dy, std::type_identity_t<T>* dmu,
                    std::type_identity_t<T>* dSigma) {
  using namespace multivariate_detail;
  if (N < 0 || K < 1) return negative_infinity<T>();
  if (!all_finite(y, N * K) || !all_finite(mu, mu_per_row ? N * K : K))
    return negative_infinity<T>();
  matrix<T> L;
  if (!cholesky(Sigma, K, L)) return negative_infinity<T>();
  const matrix<T> z =
      L.template triangularView<Eigen::Lower>().solve(residuals(N, K, y, mu, mu_per_row));
  const double n = N;
  T lp = -0.5 * z.squaredNorm() - n * sum_log_diagonal(L);
  if constexpr (!Propto) lp = lp - n * K * math::half_log_two_pi;
  if (dy != nullptr || dmu != nullptr || dSigma != nullptr) {
    const matrix<T> a = L.transpose().template triangularView<Eigen::Upper>().solve(z);
    if (dy != nullptr) add_rows(dy, a, -1.0);
    if (dmu != nullptr) add_location(dmu, a, mu_per_row);
    if (dSigma != nullptr) {
      const matrix<T> g = 0.5 * (a * a.transpose()) - (0.5 * n) * inverse_from_cholesky(L);
      add_symmetric(dSigma, g);
    }
  }
  return lp;
}

// A draw mu + L z with Sigma = L L^T; NaN when Sigma is not symmetric
// positive definite.
template <class Rng>
void multi_normal_rng(int K, const double* mu, const double* Sigma, Rng& rng, double* out) {
  multivariate_detail::matrix<double> L;
  if (!multivariate_detail::cholesky(Sigma, K, L)) {
    for (int k = 0; k < K; ++k)
      out[k] = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  multi_normal_cholesky_rng(K, mu, L.data(), rng, out);
}

} // namespace statix::dist
