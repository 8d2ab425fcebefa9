#pragma once

#include "statix/math/functions.hpp"
#include "statix/math/linear_algebra/log_sum_exp.hpp"

// y = exp(x) / sum(exp(x)) of an n-vector, computed as exp(x - log_sum_exp(x)).
namespace statix::math {

template <class T>
void softmax(int n, const T* x, T* y) {
  const T lse = log_sum_exp(n, x);
  for (int i = 0; i < n; ++i) {
    y[i] = exp(x[i] - lse);
  }
}

// x_adj += y .* (y_adj - <y_adj, y>), with y = softmax(x).
template <class T>
void softmax_adjoint(int n, const T* y, const T* y_adj, T* x_adj) {
  T dot = T(0);
  for (int i = 0; i < n; ++i) {
    dot += y_adj[i] * y[i];
  }
  for (int i = 0; i < n; ++i) {
    x_adj[i] += y[i] * (y_adj[i] - dot);
  }
}

} // namespace statix::math
