#pragma once

#include "statix/math/linear_algebra/matrix_map.hpp"

// Quadratic forms B^T A B (A N x N, B N x M, out M x M) and v^T A v, as Stan's
// quad_form; A need not be symmetric.
namespace statix::math {

// Scratch (in T) that quad_form and quad_form_adjoint need for an N x M B.
inline int quad_form_scratch_size(int N, int M) {
  return 2 * N * M;
}

template <class T>
void quad_form(int N, int M, const T* A, const T* B, T* out, T* scratch) {
  const detail::const_matrix_map<T> a(A, N, N), b(B, N, M);
  detail::matrix_map<T> ab(scratch, N, M), o(out, M, M);
  ab.noalias() = a * b;
  o.noalias() = b.transpose() * ab;
}

// A_adj += B out_adj B^T,  B_adj += A^T B out_adj + A B out_adj^T.
template <class T>
void quad_form_adjoint(int N, int M, const T* A, const T* B, const T* out_adj, T* A_adj, T* B_adj,
                       T* scratch) {
  const detail::const_matrix_map<T> a(A, N, N), b(B, N, M), g(out_adj, M, M);
  detail::matrix_map<T> a_adj(A_adj, N, N), b_adj(B_adj, N, M);
  detail::matrix_map<T> b_g(scratch, N, M), b_gt(scratch + N * M, N, M);
  b_g.noalias() = b * g;
  b_gt.noalias() = b * g.transpose();
  a_adj.noalias() += b_g * b.transpose();
  b_adj.noalias() += a.transpose() * b_g;
  b_adj.noalias() += a * b_gt;
}

// v^T A v for an N-vector v.
template <class T>
T quad_form(int N, const T* A, const T* v) {
  T sum = T(0);
  for (int j = 0; j < N; ++j) {
    T column = T(0);
    for (int i = 0; i < N; ++i) {
      column += v[i] * A[i + j * N];
    }
    sum += column * v[j];
  }
  return sum;
}

// A_adj += out_adj v v^T,  v_adj += out_adj (A + A^T) v.
template <class T>
void quad_form_adjoint(int N, const T* A, const T* v, const T& out_adj, T* A_adj, T* v_adj) {
  for (int j = 0; j < N; ++j) {
    const T scaled = out_adj * v[j];
    for (int i = 0; i < N; ++i) {
      A_adj[i + j * N] += scaled * v[i];
      v_adj[i] += scaled * A[i + j * N]; // (A v)_i part: column j of A times v_j
      v_adj[j] += out_adj * A[i + j * N] * v[i];
    }
  }
}

} // namespace statix::math
