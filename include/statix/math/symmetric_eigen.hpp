#pragma once

#include <statix/base/runtime_linkage.hpp>

// Eigenvalues and eigenvectors of a symmetric matrix, for model-independent
// code that every file that samples compiles (the warm-up's metric
// estimates). Eigen's SelfAdjointEigenSolver::compute reduces to tridiagonal
// form with blocked kernels that cost each such file about 5 s of compile
// time; here the Householder reduction is written out as loops (unblocked,
// as LAPACK's dsytd2 and dorgtr) and only Eigen's tridiagonal QL iteration
// (an internal function of Eigen 3.3 and 3.4) is used.

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>

namespace statix {

struct symmetric_eigen_result {
  Eigen::VectorXd values;  // increasing
  Eigen::MatrixXd vectors; // column j belongs to values[j]
};

// Reads the lower triangle of `a`. A matrix whose QL iteration does not
// converge gives NaN eigenvalues, which callers that check finiteness reject.
STATIX_RUNTIME_INLINE symmetric_eigen_result symmetric_eigen(Eigen::MatrixXd a);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

STATIX_RUNTIME_INLINE symmetric_eigen_result symmetric_eigen(Eigen::MatrixXd a) {
  const Eigen::Index n = a.rows();
  symmetric_eigen_result result;
  if (n == 0) return result;
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < j; ++i)
      a(i, j) = a(j, i);
  // Scaled as Eigen scales it, so that the squares below cannot overflow.
  double scale = a.cwiseAbs().maxCoeff();
  if (!(scale > 0) || !std::isfinite(scale)) scale = 1;
  a /= scale;

  // A = Q T Q' with Q = H_0 H_1 ... and H_k = I - beta_k v_k v_k' acting on
  // rows and columns k + 1 .. n - 1. Only the lower triangle of the trailing
  // block is updated; v_k is kept in column k below the diagonal.
  Eigen::VectorXd diagonal(n), subdiagonal(std::max<Eigen::Index>(n - 1, 0));
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(n), w(n);
  for (Eigen::Index k = 0; k + 1 < n; ++k) {
    const Eigen::Index m = n - k - 1, first = k + 1;
    double* v = &a(first, k);
    double norm2 = 0;
    for (Eigen::Index i = 0; i < m; ++i)
      norm2 += v[i] * v[i];
    const double x0 = v[0];
    const double tail2 = norm2 - x0 * x0;
    if (m == 1 || !(tail2 > 0)) { // already tridiagonal in this column
      subdiagonal[k] = x0;
      continue;
    }
    const double alpha = x0 >= 0 ? -std::sqrt(norm2) : std::sqrt(norm2);
    v[0] -= alpha;
    beta[k] = 2.0 / (tail2 + v[0] * v[0]);
    subdiagonal[k] = alpha;
    // A22 <- H A22 H = A22 - v w' - w v', with p = beta A22 v and
    // w = p - (beta / 2) (v'p) v; A22 v from its lower triangle.
    for (Eigen::Index i = 0; i < m; ++i)
      w[i] = 0;
    for (Eigen::Index j = 0; j < m; ++j) {
      const double* column = &a(first, first + j);
      double dot = 0;
      for (Eigen::Index i = j + 1; i < m; ++i) {
        w[i] += column[i] * v[j];
        dot += column[i] * v[i];
      }
      w[j] += column[j] * v[j] + dot;
    }
    double vp = 0;
    for (Eigen::Index i = 0; i < m; ++i) {
      w[i] *= beta[k];
      vp += v[i] * w[i];
    }
    const double half = 0.5 * beta[k] * vp;
    for (Eigen::Index i = 0; i < m; ++i)
      w[i] -= half * v[i];
    for (Eigen::Index j = 0; j < m; ++j) {
      double* column = &a(first, first + j);
      for (Eigen::Index i = j; i < m; ++i)
        column[i] -= v[i] * w[j] + w[i] * v[j];
    }
  }
  for (Eigen::Index k = 0; k < n; ++k)
    diagonal[k] = a(k, k);

  // Q from the last reflector to the first (as LAPACK's dorgtr): H_k only
  // touches the trailing block, which is the identity until H_k arrives.
  Eigen::MatrixXd q = Eigen::MatrixXd::Identity(n, n);
  for (Eigen::Index k = n - 2; k >= 0; --k) {
    if (beta[k] == 0) continue;
    const Eigen::Index m = n - k - 1, first = k + 1;
    const double* v = &a(first, k);
    for (Eigen::Index j = 0; j < m; ++j) {
      double* column = &q(first, first + j);
      double t = 0;
      for (Eigen::Index i = 0; i < m; ++i)
        t += v[i] * column[i];
      t *= beta[k];
      for (Eigen::Index i = 0; i < m; ++i)
        column[i] -= t * v[i];
    }
  }

  // Eigen's implicit symmetric QL iteration on T, its rotations applied to Q
  // (as SelfAdjointEigenSolver::compute does); sorted increasing.
  constexpr int max_iterations = 30; // per eigenvalue, Eigen's default
  const Eigen::ComputationInfo info =
      Eigen::internal::computeFromTridiagonal_impl(diagonal, subdiagonal, max_iterations, true, q);
  if (info != Eigen::Success) {
    result.values = Eigen::VectorXd::Constant(n, std::numeric_limits<double>::quiet_NaN());
    result.vectors = Eigen::MatrixXd::Constant(n, n, std::numeric_limits<double>::quiet_NaN());
    return result;
  }
  result.values = diagonal * scale;
  result.vectors = std::move(q);
  return result;
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
