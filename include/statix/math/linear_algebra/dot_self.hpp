#pragma once

// x^T x of an n-vector.
namespace statix::math {

template <class T>
T dot_self(int n, const T* x) {
  T sum = T(0);
  for (int i = 0; i < n; ++i) {
    sum += x[i] * x[i];
  }
  return sum;
}

// x_adj += 2 value_adj x.
template <class T>
void dot_self_adjoint(int n, const T* x, const T& value_adj, T* x_adj) {
  const T twice = T(2) * value_adj;
  for (int i = 0; i < n; ++i) {
    x_adj[i] += twice * x[i];
  }
}

} // namespace statix::math
