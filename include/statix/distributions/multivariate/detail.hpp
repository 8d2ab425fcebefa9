#pragma once

// Building blocks of the multivariate densities: views of the caller's
// column-major arrays as Eigen matrices, the support checks (finite,
// symmetric, positive definite, simplex, unit rows), the Cholesky factor with
// its log determinant and inverse, the symmetric and lower-triangular
// gradient writers (always +=), and the log multivariate gamma function.
//
// Work matrices are Eigen dynamic matrices (heap allocated), for every K.

#include <type_traits>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "statix/distributions/detail.hpp"
#include "statix/math/constants.hpp"
#include "statix/math/dual_eigen.hpp"
#include "statix/math/functions.hpp"

namespace statix::dist::multivariate_detail {

template <class T>
using matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

// Stan's CONSTRAINT_TOLERANCE: symmetric, unit diagonal, unit row norm and
// simplex sums are accepted within this absolute distance.
inline constexpr double constraint_tolerance = 1e-8;

template <class T>
Eigen::Map<const matrix<T>> view(const T* p, int rows, int cols) {
  return Eigen::Map<const matrix<T>>(p, rows, cols);
}

template <class T>
T negative_infinity() {
  return math::negative_infinity<T>();
}

template <class T>
bool all_finite(const T* p, int n) {
  for (int i = 0; i < n; ++i) {
    if (!detail::is_finite(p[i])) return false;
  }
  return true;
}

// Every entry of the lower triangle (diagonal included) finite.
template <class T>
bool lower_finite(const T* a, int K) {
  for (int j = 0; j < K; ++j) {
    for (int i = j; i < K; ++i) {
      if (!detail::is_finite(a[i + j * K])) return false;
    }
  }
  return true;
}

// Finite, and a(i, j) == a(j, i) within the tolerance.
template <class T>
bool is_symmetric(const T* a, int K) {
  if (!all_finite(a, K * K)) return false;
  for (int j = 0; j < K; ++j) {
    for (int i = j + 1; i < K; ++i) {
      const double d = detail::value(a[i + j * K]) - detail::value(a[j + i * K]);
      if (!(d <= constraint_tolerance && d >= -constraint_tolerance)) return false;
    }
  }
  return true;
}

// theta[n + k * N], k = 0..K-1, is a point of the simplex for every row n.
template <class T>
bool rows_on_simplex(int N, int K, const T* theta) {
  for (int n = 0; n < N; ++n) {
    double sum = 0.0;
    for (int k = 0; k < K; ++k) {
      const double v = detail::value(theta[n + k * N]);
      if (!(v >= 0.0) || !math::is_finite(v)) return false;
      sum += v;
    }
    if (!(sum - 1.0 <= constraint_tolerance && 1.0 - sum <= constraint_tolerance)) return false;
  }
  return true;
}

// The lower triangle of the K x K array a, zeros above.
template <class T>
matrix<T> lower_part(const T* a, int K) {
  matrix<T> L = matrix<T>::Zero(K, K);
  for (int j = 0; j < K; ++j) {
    for (int i = j; i < K; ++i)
      L(i, j) = a[i + j * K];
  }
  return L;
}

// The Cholesky factor of a symmetric positive definite a (one Eigen::LLT);
// false when a is not symmetric, not finite or not positive definite (LLT
// lets a NaN pivot through, so the diagonal is checked as well).
template <class T>
bool cholesky(const T* a, int K, matrix<T>& L) {
  if (!is_symmetric(a, K)) return false;
  Eigen::LLT<matrix<T>, Eigen::Lower> llt(view(a, K, K));
  if (llt.info() != Eigen::Success) return false;
  L = matrix<T>::Zero(K, K);
  L.template triangularView<Eigen::Lower>() =
      llt.matrixLLT().template triangularView<Eigen::Lower>();
  for (int k = 0; k < K; ++k) {
    const double v = detail::value(L(k, k));
    if (!(v > 0.0) || !math::is_finite(v)) return false;
  }
  return true;
}

// sum_k log L(k, k): half the log determinant of L L^T.
template <class T>
T sum_log_diagonal(const matrix<T>& L) {
  T s(0.0);
  for (int k = 0; k < L.rows(); ++k)
    s = s + math::log(L(k, k));
  return s;
}

// L^-1 for a lower-triangular L.
template <class T>
matrix<T> triangular_inverse(const matrix<T>& L) {
  const int K = static_cast<int>(L.rows());
  return L.template triangularView<Eigen::Lower>().solve(matrix<T>::Identity(K, K));
}

// (L L^T)^-1 = L^-T L^-1.
template <class T>
matrix<T> inverse_from_cholesky(const matrix<T>& L) {
  const matrix<T> inv_L = triangular_inverse(L);
  return inv_L.transpose() * inv_L;
}

// d += the symmetric part of g: for a symmetric argument given as a full
// matrix, entries (i, j) and (j, i) each get half of the total derivative
// with respect to the pair (which is g(i, j) + g(j, i)).
template <class T>
void add_symmetric(T* d, const matrix<T>& g) {
  const int K = static_cast<int>(g.rows());
  for (int j = 0; j < K; ++j) {
    for (int i = 0; i < K; ++i)
      d[i + j * K] = d[i + j * K] + 0.5 * (g(i, j) + g(j, i));
  }
}

// d += the lower triangle of g (the upper part of d is left alone).
template <class T>
void add_lower(T* d, const matrix<T>& g) {
  const int K = static_cast<int>(g.rows());
  for (int j = 0; j < K; ++j) {
    for (int i = j; i < K; ++i)
      d[i + j * K] = d[i + j * K] + g(i, j);
  }
}

// Residuals as a K x N matrix: column n is y_n - mu_n (mu one row for all,
// or N x K when mu_per_row).
template <class T>
matrix<T> residuals(int N, int K, const T* y, const T* mu, bool mu_per_row) {
  matrix<T> r(K, N);
  for (int k = 0; k < K; ++k) {
    for (int n = 0; n < N; ++n)
      r(k, n) = y[n + k * N] - (mu_per_row ? mu[n + k * N] : mu[k]);
  }
  return r;
}

// d(n, k) += sign * g(k, n) for an N x K array d and a K x N matrix g.
template <class T>
void add_rows(T* d, const matrix<T>& g, double sign) {
  const int K = static_cast<int>(g.rows()), N = static_cast<int>(g.cols());
  for (int k = 0; k < K; ++k) {
    for (int n = 0; n < N; ++n)
      d[n + k * N] = d[n + k * N] + sign * g(k, n);
  }
}

// The gradient of a location given once for all rows or per row.
template <class T>
void add_location(T* d, const matrix<T>& g, bool per_row) {
  if (per_row) {
    add_rows(d, g, 1.0);
    return;
  }
  for (int k = 0; k < g.rows(); ++k) {
    T s(0.0);
    for (int n = 0; n < g.cols(); ++n)
      s = s + g(k, n);
    d[k] = d[k] + s;
  }
}

// log Gamma_K(x) = K(K-1)/4 log pi + sum_{j=1..K} lgamma(x + (1 - j)/2),
// the pi term only when WithConstant.
template <bool WithConstant, class T>
T lmgamma(int K, const T& x) {
  T s(0.0);
  for (int j = 1; j <= K; ++j)
    s = s + math::lgamma(x + 0.5 * (1 - j));
  if constexpr (WithConstant) s = s + 0.25 * K * (K - 1) * math::log_pi;
  return s;
}

// d/dx log Gamma_K(x) = sum_{j=1..K} digamma(x + (1 - j)/2).
template <class T>
T lmgamma_derivative(int K, const T& x) {
  T s(0.0);
  for (int j = 1; j <= K; ++j)
    s = s + math::digamma(x + 0.5 * (1 - j));
  return s;
}

} // namespace statix::dist::multivariate_detail
