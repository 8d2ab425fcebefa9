#pragma once

// out = A + d I (a scalar d) or A + diag(d) (a K-vector d) for a K x K A:
// jitter on a covariance matrix before its Cholesky factor.
namespace statix::math {

template <class T>
void add_diag(int K, const T* A, const T& d, T* out) {
  for (int i = 0; i < K * K; ++i) {
    out[i] = A[i];
  }
  for (int i = 0; i < K; ++i) {
    out[i + i * K] += d;
  }
}

template <class T>
void add_diag(int K, const T* A, const T* d, T* out) {
  for (int i = 0; i < K * K; ++i) {
    out[i] = A[i];
  }
  for (int i = 0; i < K; ++i) {
    out[i + i * K] += d[i];
  }
}

// A_adj += out_adj,  d_adj += trace(out_adj).
template <class T>
void add_diag_adjoint(int K, const T* out_adj, T* A_adj, T* d_adj) {
  for (int i = 0; i < K * K; ++i) {
    A_adj[i] += out_adj[i];
  }
  for (int i = 0; i < K; ++i) {
    *d_adj += out_adj[i + i * K];
  }
}

// A_adj += out_adj,  d_adj_i += out_adj(i, i).
template <class T>
void add_diag_vector_adjoint(int K, const T* out_adj, T* A_adj, T* d_adj) {
  for (int i = 0; i < K * K; ++i) {
    A_adj[i] += out_adj[i];
  }
  for (int i = 0; i < K; ++i) {
    d_adj[i] += out_adj[i + i * K];
  }
}

} // namespace statix::math
