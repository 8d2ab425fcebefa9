#pragma once

// y_i = x_0 + ... + x_i of an n-vector.
namespace statix::math {

template <class T>
void cumulative_sum(int n, const T* x, T* y) {
  T sum = T(0);
  for (int i = 0; i < n; ++i) {
    sum += x[i];
    y[i] = sum;
  }
}

// x_adj_i += y_adj_i + ... + y_adj_{n-1}: the sum taken from the end.
template <class T>
void cumulative_sum_adjoint(int n, const T* y_adj, T* x_adj) {
  T sum = T(0);
  for (int i = n - 1; i >= 0; --i) {
    sum += y_adj[i];
    x_adj[i] += sum;
  }
}

} // namespace statix::math
