#pragma once

#include <Eigen/Core>

#include "statix/math/linear_algebra/matrix_map.hpp"

// X = L^-1 B for the lower triangle of a K x K matrix L (its strict upper part
// is not read) and a K x M matrix B, by forward substitution, as Stan's
// mdivide_left_tri_low. L must have a non-zero diagonal.
namespace statix::math {

template <class T>
void mdivide_left_tri_low(int K, int M, const T* L, const T* B, T* X) {
  const detail::const_matrix_map<T> l(L, K, K);
  detail::matrix_map<T> x(X, K, M);
  x = detail::const_matrix_map<T>(B, K, M);
  l.template triangularView<Eigen::Lower>().solveInPlace(x);
}

// Scratch (in T) of mdivide_left_tri_low_adjoint: K x M.
inline int mdivide_left_tri_low_scratch_size(int K, int M) {
  return K * M;
}

// With G = L^-T X_adj:  B_adj += G,  L_adj -= tril(G X^T) (lower triangle only).
template <class T>
void mdivide_left_tri_low_adjoint(int K, int M, const T* L, const T* X, const T* X_adj, T* L_adj,
                                  T* B_adj, T* scratch) {
  const detail::const_matrix_map<T> l(L, K, K), x(X, K, M);
  detail::matrix_map<T> g(scratch, K, M);
  g = detail::const_matrix_map<T>(X_adj, K, M);
  l.transpose().template triangularView<Eigen::Upper>().solveInPlace(g);
  detail::matrix_map<T>(B_adj, K, M) += g;
  for (int c = 0; c < K; ++c) {
    for (int r = c; r < K; ++r) {
      T sum = T(0);
      for (int m = 0; m < M; ++m) {
        sum += g(r, m) * x(c, m);
      }
      L_adj[r + c * K] -= sum;
    }
  }
}

} // namespace statix::math
