#pragma once

#include <algorithm>

// out = L L^T for the lower triangle of a K x K matrix L (its strict upper
// part is not read), as Stan's multiply_lower_tri_self_transpose: the
// covariance (or correlation) matrix from its Cholesky factor.
namespace statix::math {

template <class T>
void multiply_lower_tri_self_transpose(int K, const T* L, T* out) {
  for (int j = 0; j < K; ++j) {
    for (int i = j; i < K; ++i) {
      T sum = T(0);
      for (int k = 0; k <= j; ++k) {
        sum += L[i + k * K] * L[j + k * K];
      }
      out[i + j * K] = sum;
      out[j + i * K] = sum;
    }
  }
}

// L_adj += tril((out_adj + out_adj^T) tril(L)); only L_adj's lower triangle
// is written.
template <class T>
void multiply_lower_tri_self_transpose_adjoint(int K, const T* L, const T* out_adj, T* L_adj) {
  for (int k = 0; k < K; ++k) {
    for (int i = k; i < K; ++i) {
      T sum = T(0);
      for (int j = k; j < K; ++j) {
        sum += (out_adj[i + j * K] + out_adj[j + i * K]) * L[j + k * K];
      }
      L_adj[i + k * K] += sum;
    }
  }
}

} // namespace statix::math
