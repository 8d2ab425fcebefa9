#pragma once

#include "statix/math/functions.hpp"

// The exponentiated quadratic (squared exponential) covariance of a Gaussian
// process, K(i, j) = alpha^2 exp(-|x_i - x_j|^2 / (2 rho^2)), as Stan's
// gp_exp_quad_cov, and its reverse mode for alpha and rho (the inputs x are
// data). K is a column-major N x N array, filled whole (both triangles).
namespace statix::math {

namespace detail {
// Squared distance between points i and j of an N x D column-major array
// whose rows are the points.
inline double squared_distance(int N, int D, const double* x, int i, int j) {
  double sum = 0;
  for (int d = 0; d < D; ++d) {
    const double diff = x[i + d * N] - x[j + d * N];
    sum += diff * diff;
  }
  return sum;
}

template <class T>
void gp_exp_quad_cov_points(int N, int D, const double* x, const T& alpha, const T& rho, T* K) {
  const T alpha_sq = alpha * alpha;
  const T minus_half_inv_rho_sq = T(-0.5) / (rho * rho);
  for (int j = 0; j < N; ++j) {
    K[j + j * N] = alpha_sq;
    for (int i = j + 1; i < N; ++i) {
      const T k = alpha_sq * exp(squared_distance(N, D, x, i, j) * minus_half_inv_rho_sq);
      K[i + j * N] = k;
      K[j + i * N] = k;
    }
  }
}

// One pass over the lower triangle, each off-diagonal entry weighted by the
// adjoints of (i, j) and (j, i):
//   dK/dalpha = 2 K / alpha,  dK/drho = K |x_i - x_j|^2 / rho^3.
template <class T>
void gp_exp_quad_cov_points_adjoint(int N, int D, const double* x, const T& alpha, const T& rho,
                                    const T* K, const T* K_adj, T* alpha_adj, T* rho_adj) {
  T sum_k = T(0);      // sum of K_adj .* K
  T sum_k_dist = T(0); // sum of K_adj .* K .* squared distance
  for (int j = 0; j < N; ++j) {
    sum_k += K_adj[j + j * N] * K[j + j * N];
    for (int i = j + 1; i < N; ++i) {
      const T weight = (K_adj[i + j * N] + K_adj[j + i * N]) * K[i + j * N];
      sum_k += weight;
      sum_k_dist += weight * squared_distance(N, D, x, i, j);
    }
  }
  // At alpha = 0, K = 0 and dK/dalpha = 2 alpha exp(...) = 0 too.
  if (value_of(alpha) != 0) *alpha_adj += T(2) * sum_k / alpha;
  *rho_adj += sum_k_dist / (rho * rho * rho);
}
} // namespace detail

// N one-dimensional inputs x.
template <class T>
void gp_exp_quad_cov(int N, const double* x, const T& alpha, const T& rho, T* K) {
  detail::gp_exp_quad_cov_points(N, 1, x, alpha, rho, K);
}

// N points of dimension D, the rows of the N x D column-major array x.
template <class T>
void gp_exp_quad_cov(int N, int D, const double* x, const T& alpha, const T& rho, T* K) {
  detail::gp_exp_quad_cov_points(N, D, x, alpha, rho, K);
}

// alpha_adj += dF/dalpha, rho_adj += dF/drho given K (the value) and K_adj.
template <class T>
void gp_exp_quad_cov_adjoint(int N, const double* x, const T& alpha, const T& rho, const T* K,
                             const T* K_adj, T* alpha_adj, T* rho_adj) {
  detail::gp_exp_quad_cov_points_adjoint(N, 1, x, alpha, rho, K, K_adj, alpha_adj, rho_adj);
}

template <class T>
void gp_exp_quad_cov_adjoint(int N, int D, const double* x, const T& alpha, const T& rho,
                             const T* K, const T* K_adj, T* alpha_adj, T* rho_adj) {
  detail::gp_exp_quad_cov_points_adjoint(N, D, x, alpha, rho, K, K_adj, alpha_adj, rho_adj);
}

} // namespace statix::math
