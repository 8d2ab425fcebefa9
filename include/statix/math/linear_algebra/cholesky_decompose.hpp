#pragma once

#include <algorithm>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "statix/math/functions.hpp"
#include "statix/math/linear_algebra/matrix_map.hpp"

// The Cholesky factor L (lower, L L^T = A) of a symmetric positive-definite
// K x K matrix and its reverse mode. All matrices are column-major K x K arrays.
namespace statix::math {

namespace detail {
// Two entries (i, j) and (j, i) count as equal within this relative tolerance
// (they may be computed separately and round differently).
inline constexpr double cholesky_symmetry_tolerance = 1e-8;
} // namespace detail

// L = chol(A), read from A's lower triangle after checking that A is
// symmetric; the strict upper part of L is set to 0. Returns false (L then
// unspecified) when A has a non-finite entry, is not symmetric or is not
// positive definite: a rejected proposal, not an error, so nothing throws.
// A and L may be the same array (the factor then overwrites A).
template <class T>
bool cholesky_decompose(int K, const T* A, T* L) {
  for (int j = 0; j < K; ++j) {
    for (int i = j; i < K; ++i) {
      const double a_ij = value_of(A[i + j * K]);
      const double a_ji = value_of(A[j + i * K]);
      if (!is_finite(a_ij) || !is_finite(a_ji)) return false;
      const double scale = std::max({1.0, a_ij < 0 ? -a_ij : a_ij, a_ji < 0 ? -a_ji : a_ji});
      const double gap = a_ij - a_ji;
      if ((gap < 0 ? -gap : gap) > detail::cholesky_symmetry_tolerance * scale) return false;
    }
  }
  detail::matrix_map<T> l(L, K, K);
  l = detail::const_matrix_map<T>(A, K, K);
  using matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  // In place: the factor overwrites the copy of A's lower triangle.
  Eigen::LLT<Eigen::Ref<matrix>, Eigen::Lower> llt(l);
  if (llt.info() != Eigen::Success) return false;
  l.template triangularView<Eigen::StrictlyUpper>().setZero();
  for (int i = 0; i < K; ++i) {
    // LLT lets a NaN pivot through (NaN <= 0 is false) and may overflow.
    const double d = value_of(L[i + i * K]);
    if (!(d > 0) || !is_finite(d)) return false;
    for (int r = i + 1; r < K; ++r) {
      if (!is_finite(value_of(L[r + i * K]))) return false;
    }
  }
  return true;
}

// Block size of the reverse sweep: Stan Math's choice (a multiple of 16 near
// K / 8, at least 8, at most 128).
inline int cholesky_adjoint_block_size(int K) {
  return std::min(std::max((K / 8 / 16) * 16, 8), 128);
}

// Number of T the reverse sweep needs as scratch: a working copy of L_adj
// (K x K) and one block product (b x b).
inline int cholesky_adjoint_scratch_size(int K) {
  const int b = std::min(cholesky_adjoint_block_size(K), K);
  return K * K + b * b;
}

// A_adj += dF/dA given L = chol(A) and L_adj = dF/dL (lower triangle read).
// A_adj comes out symmetric: the derivative with respect to the symmetric
// perturbation of (i, j) and (j, i) is split half and half between them, so
// that when the two entries are computed separately, their adjoints summed
// give the total derivative. scratch holds cholesky_adjoint_scratch_size(K).
//
// The blocked algorithm of Murray (2016), "Differentiation of the Cholesky
// decomposition", arXiv:1602.07527, section 4 (as in Stan Math): from the last
// block column back to the first, with R, D, B, C the blocks left of, on,
// below-left of and below the diagonal block,
//   C_adj <- C_adj D^-1,  B_adj -= C_adj R,  D_adj -= C_adj^T C,
//   D_adj <- D^-T sym(D^T tril(D_adj)) D^-1          (the symbolic formula)
//   R_adj -= C_adj^T B + D_adj R,  diag(D_adj) /= 2,
// which leaves the adjoint of A's lower triangle (off-diagonal entries counted
// for both (i, j) and (j, i)) in the lower triangle of the working matrix.
template <class T>
void cholesky_decompose_adjoint(int K, const T* L, const T* L_adj, T* A_adj, T* scratch) {
  using Eigen::Lower;
  using Eigen::StrictlyLower;
  using Eigen::StrictlyUpper;
  using Eigen::Upper;
  if (K <= 0) return;
  const int block = std::min(cholesky_adjoint_block_size(K), K);
  const detail::const_matrix_map<T> l(L, K, K);
  detail::matrix_map<T> w(scratch, K, K);
  detail::matrix_map<T> product_buffer(scratch + K * K, block, block);
  w.setZero();
  w.template triangularView<Lower>() = detail::const_matrix_map<T>(L_adj, K, K);

  for (int k = K; k > 0; k -= block) {
    const int j = std::max(0, k - block);
    const int n = k - j; // rows of this block
    const int below = K - k;
    const auto R = l.block(j, 0, n, j);
    const auto D = l.block(j, j, n, n);
    const auto B = l.block(k, 0, below, j);
    const auto C = l.block(k, j, below, n);
    auto R_adj = w.block(j, 0, n, j);
    auto D_adj = w.block(j, j, n, n);
    auto B_adj = w.block(k, 0, below, j);
    auto C_adj = w.block(k, j, below, n);
    if (below > 0) {
      D.template triangularView<Lower>().template solveInPlace<Eigen::OnTheRight>(C_adj);
      B_adj.noalias() -= C_adj * R;
      D_adj.noalias() -= C_adj.transpose() * C;
    }
    auto P = product_buffer.topLeftCorner(n, n);
    P.noalias() = D.transpose() * D_adj.template triangularView<Lower>();
    // sym: the lower triangle of P with its transpose above (the diagonal once)
    D_adj.template triangularView<Lower>() = P;
    D_adj.template triangularView<StrictlyUpper>() = P.transpose();
    D.transpose().template triangularView<Upper>().solveInPlace(D_adj);
    D.template triangularView<Lower>().template solveInPlace<Eigen::OnTheRight>(D_adj);
    if (j > 0) {
      R_adj.noalias() -= C_adj.transpose() * B;
      R_adj.noalias() -= D_adj.template selfadjointView<Lower>() * R;
    }
    D_adj.diagonal() *= T(0.5);
  }

  for (int c = 0; c < K; ++c) {
    A_adj[c + c * K] += w(c, c);
    for (int r = c + 1; r < K; ++r) {
      const T half = T(0.5) * w(r, c);
      A_adj[r + c * K] += half;
      A_adj[c + r * K] += half;
    }
  }
}

} // namespace statix::math
