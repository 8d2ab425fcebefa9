#pragma once

// Eigenvalues and eigenvectors of a symmetric matrix, for model-independent
// code that every file that samples compiles (the warm-up's metric
// estimates). Eigen's SelfAdjointEigenSolver::compute reduces to tridiagonal
// form with blocked kernels that cost each such file about 5 s of compile
// time; here the Householder reduction is written out as loops (unblocked,
// as LAPACK's dsytd2) and only Eigen's tridiagonal QL iteration is used.

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
inline symmetric_eigen_result symmetric_eigen(Eigen::MatrixXd a) {
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

  // A = Q T Q' with Q = H_0 H_1 ... and H_k = I - beta v v' acting on rows
  // and columns k + 1 .. n - 1.
  Eigen::MatrixXd q = Eigen::MatrixXd::Identity(n, n);
  Eigen::VectorXd diagonal(n), subdiagonal(std::max<Eigen::Index>(n - 1, 0));
  Eigen::VectorXd v(n), w(n), t(n);
  for (Eigen::Index k = 0; k + 1 < n; ++k) {
    const Eigen::Index m = n - k - 1, first = k + 1;
    double norm2 = 0;
    for (Eigen::Index i = 0; i < m; ++i)
      norm2 += a(first + i, k) * a(first + i, k);
    const double x0 = a(first, k);
    const double tail2 = norm2 - x0 * x0;
    if (m == 1 || !(tail2 > 0)) { // already tridiagonal in this column
      subdiagonal[k] = x0;
      continue;
    }
    const double alpha = x0 >= 0 ? -std::sqrt(norm2) : std::sqrt(norm2);
    for (Eigen::Index i = 0; i < m; ++i)
      v[i] = a(first + i, k);
    v[0] -= alpha;
    const double beta = 2.0 / (tail2 + v[0] * v[0]);
    subdiagonal[k] = alpha;
    // A22 <- H A22 H = A22 - v w' - w v', with p = beta A22 v and
    // w = p - (beta / 2) (v'p) v.
    for (Eigen::Index i = 0; i < m; ++i)
      w[i] = 0;
    for (Eigen::Index j = 0; j < m; ++j)
      for (Eigen::Index i = 0; i < m; ++i)
        w[i] += a(first + i, first + j) * v[j];
    double vp = 0;
    for (Eigen::Index i = 0; i < m; ++i) {
      w[i] *= beta;
      vp += v[i] * w[i];
    }
    const double half = 0.5 * beta * vp;
    for (Eigen::Index i = 0; i < m; ++i)
      w[i] -= half * v[i];
    for (Eigen::Index j = 0; j < m; ++j)
      for (Eigen::Index i = 0; i < m; ++i)
        a(first + i, first + j) -= v[i] * w[j] + w[i] * v[j];
    // Q <- Q H_k.
    for (Eigen::Index r = 0; r < n; ++r)
      t[r] = 0;
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index r = 0; r < n; ++r)
        t[r] += q(r, first + i) * v[i];
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index r = 0; r < n; ++r)
        q(r, first + i) -= beta * t[r] * v[i];
  }
  for (Eigen::Index k = 0; k < n; ++k)
    diagonal[k] = a(k, k);

  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> tridiagonal;
  tridiagonal.computeFromTridiagonal(diagonal, subdiagonal, Eigen::ComputeEigenvectors);
  if (tridiagonal.info() != Eigen::Success) {
    result.values = Eigen::VectorXd::Constant(n, std::numeric_limits<double>::quiet_NaN());
    result.vectors = Eigen::MatrixXd::Constant(n, n, std::numeric_limits<double>::quiet_NaN());
    return result;
  }
  result.values = tridiagonal.eigenvalues() * scale;
  result.vectors.resize(n, n);
  result.vectors.noalias() = q * tridiagonal.eigenvectors();
  return result;
}

} // namespace statix
