#pragma once

#include <limits>

#include "statix/distributions/multivariate/detail.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Multivariate normal with the Cholesky factor L of its covariance, over N
// rows y_n (an N x K column-major array, y_n(k) = y[n + k N]):
//   log p = -N K/2 log(2 pi) - N sum_k log L(k, k) - 1/2 sum_n |z_n|^2,
//   z_n = L^-1 (y_n - mu_n),
// one triangular solve for all rows. With a_n = L^-T z_n (= Sigma^-1 r_n):
//   d/dy_n = -a_n, d/dmu_n = a_n, d/dL = lower(sum_n a_n z_n^T) - N diag(1/L(k, k))
// (Stan Math's multi_normal_cholesky_lpdf). mu is K values shared by all
// rows, or N x K when mu_per_row. Only the lower triangle of L is read and
// only the lower part of dL written. Gradients are added (+=); a null pointer
// skips one. Non-finite input or a diagonal entry of L <= 0 gives -inf with
// the gradients untouched. Propto drops the -N K/2 log(2 pi).
template <bool Propto, class T>
T multi_normal_cholesky_lpdf(int N, int K, const T* y, const T* mu, bool mu_per_row, const T* L,
                             std::type_identity_t<T>* dy, std::type_identity_t<T>* dmu,
                             std::type_identity_t<T>* dL) {
  using namespace multivariate_detail;
  if (N < 0 || K < 1) return negative_infinity<T>();
  if (!all_finite(y, N * K) || !all_finite(mu, mu_per_row ? N * K : K) || !lower_finite(L, K))
    return negative_infinity<T>();
  for (int k = 0; k < K; ++k) {
    if (!(detail::value(L[k + k * K]) > 0.0)) return negative_infinity<T>();
  }
  const matrix<T> L_m = lower_part(L, K);
  const matrix<T> z =
      L_m.template triangularView<Eigen::Lower>().solve(residuals(N, K, y, mu, mu_per_row));
  const double n = N;
  T lp = -0.5 * z.squaredNorm() - n * sum_log_diagonal(L_m);
  if constexpr (!Propto) lp = lp - n * K * math::half_log_two_pi;
  if (dy != nullptr || dmu != nullptr || dL != nullptr) {
    const matrix<T> a = L_m.transpose().template triangularView<Eigen::Upper>().solve(z);
    if (dy != nullptr) add_rows(dy, a, -1.0);
    if (dmu != nullptr) add_location(dmu, a, mu_per_row);
    if (dL != nullptr) {
      matrix<T> g = a * z.transpose();
      for (int k = 0; k < K; ++k)
        g(k, k) = g(k, k) - n / L_m(k, k);
      add_lower(dL, g);
    }
  }
  return lp;
}

// A draw mu + L z, z standard normal, into out[0..K-1]; NaN when L has a
// non-positive or non-finite diagonal.
template <class Rng>
void multi_normal_cholesky_rng(int K, const double* mu, const double* L, Rng& rng, double* out) {
  bool valid = multivariate_detail::lower_finite(L, K) && multivariate_detail::all_finite(mu, K);
  for (int k = 0; valid && k < K; ++k)
    valid = L[k + k * K] > 0.0;
  if (!valid) {
    for (int k = 0; k < K; ++k)
      out[k] = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  multivariate_detail::vector<double> z(K);
  for (int k = 0; k < K; ++k)
    z(k) = random::std_normal(rng);
  for (int i = 0; i < K; ++i) {
    double s = mu[i];
    for (int j = 0; j <= i; ++j)
      s += L[i + j * K] * z(j);
    out[i] = s;
  }
}

} // namespace statix::dist
