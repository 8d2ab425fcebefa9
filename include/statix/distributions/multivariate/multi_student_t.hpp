#pragma once

#include <limits>

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/distributions/multivariate/multi_normal_cholesky.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Multivariate Student's t with nu degrees of freedom, location mu and scale
// matrix Sigma over N rows (N x K, column-major), with q_n = r_n^T Sigma^-1 r_n:
//   log p = N [lgamma((nu + K)/2) - lgamma(nu/2) - K/2 log nu - K/2 log pi
//              - 1/2 log det Sigma] - (nu + K)/2 sum_n log1p(q_n / nu).
// With a_n = Sigma^-1 r_n and w_n = (nu + K) / (nu + q_n):
//   d/dy_n = -w_n a_n, d/dmu_n = w_n a_n,
//   d/dSigma = -N/2 Sigma^-1 + 1/2 sum_n w_n a_n a_n^T (written symmetric),
//   d/dnu = N/2 [digamma((nu + K)/2) - digamma(nu/2) - K/nu]
//           + sum_n [-1/2 log1p(q_n/nu) + (nu + K) q_n / (2 nu (nu + q_n))].
// nu must be positive and finite, Sigma symmetric positive definite;
// otherwise -inf, gradients untouched. Propto drops -N K/2 log pi.
template <bool Propto, class T>
T multi_student_t_lpdf(int N, int K, const T* y, const T& nu, const T* mu, bool mu_per_row,
                       const T* Sigma, std::type_identity_t<T>* dy, std::type_identity_t<T>* dnu,
                       std::type_identity_t<T>* dmu, std::type_identity_t<T>* dSigma) {
  using namespace multivariate_detail;
  if (N < 0 || K < 1) return negative_infinity<T>();
  if (!detail::is_positive_finite(nu) || !all_finite(y, N * K) ||
      !all_finite(mu, mu_per_row ? N * K : K))
    return negative_infinity<T>();
  matrix<T> L;
  if (!cholesky(Sigma, K, L)) return negative_infinity<T>();
  const matrix<T> z =
      L.template triangularView<Eigen::Lower>().solve(residuals(N, K, y, mu, mu_per_row));
  const double n = N;
  const T half_nu = 0.5 * nu, half_nu_k = 0.5 * (nu + double(K));
  T sum_log1p(0.0);
  vector<T> q(N);
  for (int i = 0; i < N; ++i) {
    q(i) = z.col(i).squaredNorm();
    sum_log1p = sum_log1p + math::log1p(q(i) / nu);
  }
  T lp = n * (math::lgamma(half_nu_k) - math::lgamma(half_nu) - (0.5 * K) * math::log(nu) -
              sum_log_diagonal(L)) -
         half_nu_k * sum_log1p;
  if constexpr (!Propto) lp = lp - n * K * 0.5 * math::log_pi;
  if (dy != nullptr || dmu != nullptr || dSigma != nullptr || dnu != nullptr) {
    matrix<T> a = L.transpose().template triangularView<Eigen::Upper>().solve(z);
    if (dnu != nullptr) {
      T g = (0.5 * n) * (math::digamma(half_nu_k) - math::digamma(half_nu) - double(K) / nu) -
            0.5 * sum_log1p;
      for (int i = 0; i < N; ++i)
        g = g + half_nu_k * q(i) / (nu * (nu + q(i)));
      *dnu = *dnu + g;
    }
    if (dSigma != nullptr) {
      matrix<T> wa = a;
      for (int i = 0; i < N; ++i)
        wa.col(i) *= (nu + double(K)) / (nu + q(i));
      const matrix<T> g = 0.5 * (wa * a.transpose()) - (0.5 * n) * inverse_from_cholesky(L);
      add_symmetric(dSigma, g);
    }
    if (dy != nullptr || dmu != nullptr) {
      for (int i = 0; i < N; ++i)
        a.col(i) *= (nu + double(K)) / (nu + q(i));
      if (dy != nullptr) add_rows(dy, a, -1.0);
      if (dmu != nullptr) add_location(dmu, a, mu_per_row);
    }
  }
  return lp;
}

// A draw mu + sqrt(w) L z, w ~ InvGamma(nu/2, nu/2), z standard normal, as
// Stan's multi_student_t_rng; NaN for bad nu or Sigma.
template <class Rng>
void multi_student_t_rng(int K, double nu, const double* mu, const double* Sigma, Rng& rng,
                         double* out) {
  multivariate_detail::matrix<double> L;
  if (!(nu > 0.0) || !multivariate_detail::cholesky(Sigma, K, L)) {
    for (int k = 0; k < K; ++k)
      out[k] = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  const double w = math::is_finite(nu) ? random::inv_gamma(rng, 0.5 * nu, 0.5 * nu) : 1.0;
  L *= math::sqrt(w);
  multi_normal_cholesky_rng(K, mu, L.data(), rng, out);
}

} // namespace statix::dist
