#pragma once

#include "statix/math/functions.hpp"

// log(sum(exp(x))) of an n-vector, shifted by the largest entry so that
// nothing overflows. Entries of -inf add nothing; when all are -inf (or n is
// 0) the result is -inf. A +inf entry gives +inf, a NaN gives NaN.
// The scalar pair log_sum_exp(a, b) is in scalar_functions.hpp.
namespace statix::math {

template <class T>
T log_sum_exp(int n, const T* x) {
  if (n <= 0) return negative_infinity<T>();
  T max = x[0];
  for (int i = 1; i < n; ++i) {
    if (x[i] > max || is_nan(x[i])) max = x[i];
  }
  if (is_nan(max)) return max;
  if (!is_finite(max)) return max; // +inf, or every entry -inf
  T sum = T(0);
  for (int i = 0; i < n; ++i) {
    sum += exp(x[i] - max);
  }
  return max + log(sum);
}

// x_adj += value_adj softmax(x), with value = log_sum_exp(n, x). When value is
// -inf (every entry -inf) nothing is added: no entry can move the sum.
template <class T>
void log_sum_exp_adjoint(int n, const T* x, const T& value, const T& value_adj, T* x_adj) {
  if (!is_finite(value)) return;
  for (int i = 0; i < n; ++i) {
    x_adj[i] += value_adj * exp(x[i] - value);
  }
}

} // namespace statix::math
