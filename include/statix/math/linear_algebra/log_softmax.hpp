#pragma once

#include "statix/math/functions.hpp"
#include "statix/math/linear_algebra/log_sum_exp.hpp"

// y = x - log_sum_exp(x) of an n-vector: the log of softmax, without forming it.
namespace statix::math {

template <class T>
void log_softmax(int n, const T* x, T* y) {
  const T lse = log_sum_exp(n, x);
  for (int i = 0; i < n; ++i) {
    y[i] = x[i] - lse;
  }
}

// x_adj += y_adj - exp(y) sum(y_adj), with y = log_softmax(x).
template <class T>
void log_softmax_adjoint(int n, const T* y, const T* y_adj, T* x_adj) {
  T total = T(0);
  for (int i = 0; i < n; ++i) {
    total += y_adj[i];
  }
  for (int i = 0; i < n; ++i) {
    x_adj[i] += y_adj[i] - exp(y[i]) * total;
  }
}

} // namespace statix::math
