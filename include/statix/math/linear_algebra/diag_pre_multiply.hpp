#pragma once

// out = diag(v) A for an M-vector v and an M x N matrix A: row i scaled by
// v_i (the Cholesky factor of a covariance from scales and a correlation
// factor, diag_pre_multiply(tau, L_Omega)).
namespace statix::math {

template <class T>
void diag_pre_multiply(int M, int N, const T* v, const T* A, T* out) {
  for (int j = 0; j < N; ++j) {
    for (int i = 0; i < M; ++i) {
      out[i + j * M] = v[i] * A[i + j * M];
    }
  }
}

// v_adj_i += sum_j out_adj(i, j) A(i, j),  A_adj(i, j) += v_i out_adj(i, j).
template <class T>
void diag_pre_multiply_adjoint(int M, int N, const T* v, const T* A, const T* out_adj, T* v_adj,
                               T* A_adj) {
  for (int j = 0; j < N; ++j) {
    for (int i = 0; i < M; ++i) {
      const T g = out_adj[i + j * M];
      v_adj[i] += g * A[i + j * M];
      A_adj[i + j * M] += v[i] * g;
    }
  }
}

} // namespace statix::math
