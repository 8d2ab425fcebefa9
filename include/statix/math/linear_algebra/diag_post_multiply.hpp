#pragma once

// out = A diag(v) for an M x N matrix A and an N-vector v: column j scaled by v_j.
namespace statix::math {

template <class T>
void diag_post_multiply(int M, int N, const T* A, const T* v, T* out) {
  for (int j = 0; j < N; ++j) {
    for (int i = 0; i < M; ++i) {
      out[i + j * M] = A[i + j * M] * v[j];
    }
  }
}

// A_adj(i, j) += out_adj(i, j) v_j,  v_adj_j += sum_i out_adj(i, j) A(i, j).
template <class T>
void diag_post_multiply_adjoint(int M, int N, const T* A, const T* v, const T* out_adj, T* A_adj,
                                T* v_adj) {
  for (int j = 0; j < N; ++j) {
    T sum = T(0);
    for (int i = 0; i < M; ++i) {
      const T g = out_adj[i + j * M];
      A_adj[i + j * M] += g * v[j];
      sum += g * A[i + j * M];
    }
    v_adj[j] += sum;
  }
}

} // namespace statix::math
