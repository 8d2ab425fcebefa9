#pragma once

#include <type_traits>

#include "statix/base/macros.hpp"
#include "statix/math/constants.hpp"
#include "statix/math/scalar_functions.hpp"
#include "statix/math/scalar_traits.hpp"

// Forward-mode dual numbers with N tangent lanes: one evaluation carries the
// value and N directional derivatives. The inner type T may itself be a dual,
// so dual<dual<double, 1>, 1> gives second derivatives. Every function of
// scalar_functions.hpp has an overload here, written with the same functions
// on T, so nesting works at any depth and in device code.
namespace statix::math {

namespace detail {
// An operand held constant against dual<T, N>: a plain number or the inner type.
// Taken by value everywhere, so that a namespace-scope constant such as
// math::pi is only read, never bound to a reference, which device code allows.
template <class U, class T>
concept passive_operand = plain_scalar<U> || std::is_same_v<U, T>;
} // namespace detail

template <class T, int N>
struct dual {
  static_assert(N >= 1, "statix: a dual number needs at least one tangent lane");
  using value_type = T;
  static constexpr int lanes = N;

  T val;
  T tan[N];

  // Like double, default construction leaves the members uninitialised (which
  // keeps dual trivial); dual{} or dual(0.0) gives zeros.
  dual() = default;
  // Implicit: a constant is a dual with zero tangents, so mixed arithmetic works.
  STATIX_HD constexpr dual(const T& value) : val(value), tan{} {}
  template <detail::plain_scalar U>
  requires(!std::is_same_v<U, T>) STATIX_HD constexpr dual(U value) : val(value), tan{} {}

  // The independent variable of lane `lane`: its tangent in that lane is 1.
  STATIX_HD static constexpr dual variable(const T& value, int lane) {
    dual r(value);
    r.tan[lane] = T(1);
    return r;
  }

  template <class B>
  STATIX_HD dual& operator+=(B b) {
    return *this = *this + b;
  }
  template <class B>
  STATIX_HD dual& operator-=(B b) {
    return *this = *this - b;
  }
  template <class B>
  STATIX_HD dual& operator*=(B b) {
    return *this = *this * b;
  }
  template <class B>
  STATIX_HD dual& operator/=(B b) {
    return *this = *this / b;
  }

  friend STATIX_HD dual operator+(const dual& a) { return a; }
  friend STATIX_HD dual operator-(const dual& a) {
    dual r;
    r.val = -a.val;
    for (int i = 0; i < N; ++i) {
      r.tan[i] = -a.tan[i];
    }
    return r;
  }

  friend STATIX_HD dual operator+(const dual& a, const dual& b) {
    dual r;
    r.val = a.val + b.val;
    for (int i = 0; i < N; ++i) {
      r.tan[i] = a.tan[i] + b.tan[i];
    }
    return r;
  }
  template <detail::passive_operand<T> U>
  friend STATIX_HD dual operator+(const dual& a, U b) {
    dual r = a;
    r.val = a.val + b;
    return r;
  }
  template <detail::passive_operand<T> U>
  friend STATIX_HD dual operator+(U a, const dual& b) {
    dual r = b;
    r.val = a + b.val;
    return r;
  }

  friend STATIX_HD dual operator-(const dual& a, const dual& b) {
    dual r;
    r.val = a.val - b.val;
    for (int i = 0; i < N; ++i) {
      r.tan[i] = a.tan[i] - b.tan[i];
    }
    return r;
  }
  template <detail::passive_operand<T> U>
  friend STATIX_HD dual operator-(const dual& a, U b) {
    dual r = a;
    r.val = a.val - b;
    return r;
  }
  template <detail::passive_operand<T> U>
  friend STATIX_HD dual operator-(U a, const dual& b) {
    dual r;
    r.val = a - b.val;
    for (int i = 0; i < N; ++i) {
      r.tan[i] = -b.tan[i];
    }
    return r;
  }

  friend STATIX_HD dual operator*(const dual& a, const dual& b) {
    dual r;
    r.val = a.val * b.val;
    for (int i = 0; i < N; ++i) {
      r.tan[i] = a.tan[i] * b.val + a.val * b.tan[i];
    }
    return r;
  }
  template <detail::passive_operand<T> U>
  friend STATIX_HD dual operator*(const dual& a, U b) {
    dual r;
    r.val = a.val * b;
    for (int i = 0; i < N; ++i) {
      r.tan[i] = a.tan[i] * b;
    }
    return r;
  }
  template <detail::passive_operand<T> U>
  friend STATIX_HD dual operator*(U a, const dual& b) {
    dual r;
    r.val = a * b.val;
    for (int i = 0; i < N; ++i) {
      r.tan[i] = a * b.tan[i];
    }
    return r;
  }

  friend STATIX_HD dual operator/(const dual& a, const dual& b) {
    const T inv_b = T(1) / b.val;
    dual r;
    r.val = a.val / b.val;
    for (int i = 0; i < N; ++i) {
      r.tan[i] = (a.tan[i] - r.val * b.tan[i]) * inv_b;
    }
    return r;
  }
  template <detail::passive_operand<T> U>
  friend STATIX_HD dual operator/(const dual& a, U b) {
    const T inv_b = T(1) / b;
    dual r;
    r.val = a.val / b;
    for (int i = 0; i < N; ++i) {
      r.tan[i] = a.tan[i] * inv_b;
    }
    return r;
  }
  template <detail::passive_operand<T> U>
  friend STATIX_HD dual operator/(U a, const dual& b) {
    dual r;
    r.val = a / b.val;
    const T derivative = -r.val / b.val; // d(a/b)/db = -(a/b)/b
    for (int i = 0; i < N; ++i) {
      r.tan[i] = derivative * b.tan[i];
    }
    return r;
  }

  // Comparisons look at values only (branches in a log density follow the value).
#define STATIX_DUAL_COMPARISON(op)                                                                 \
  friend STATIX_HD bool operator op(const dual& a, const dual& b) {                                \
    return a.val op b.val;                                                                         \
  }                                                                                                \
  template <detail::passive_operand<T> U>                                                          \
  friend STATIX_HD bool operator op(const dual& a, U b) {                                          \
    return a.val op b;                                                                             \
  }                                                                                                \
  template <detail::passive_operand<T> U>                                                          \
  friend STATIX_HD bool operator op(U a, const dual& b) {                                          \
    return a op b.val;                                                                             \
  }
  STATIX_DUAL_COMPARISON(<)
  STATIX_DUAL_COMPARISON(<=)
  STATIX_DUAL_COMPARISON(>)
  STATIX_DUAL_COMPARISON(>=)
  STATIX_DUAL_COMPARISON(==)
  STATIX_DUAL_COMPARISON(!=)
#undef STATIX_DUAL_COMPARISON
};

// ------------------------------------------------------------------ traits

template <class T, int N>
STATIX_HD constexpr scalar_type_t<T> value_of(const dual<T, N>& x) {
  return value_of(x.val);
}

template <class T, int N>
STATIX_HD bool is_finite(const dual<T, N>& x) {
  return is_finite(value_of(x));
}

template <class T, int N>
STATIX_HD bool is_nan(const dual<T, N>& x) {
  return is_nan(value_of(x));
}

namespace detail {

// f(x) with f(x.val) = value and f'(x.val) = derivative.
template <class T, int N>
STATIX_HD dual<T, N> chain_rule(const dual<T, N>& x, const std::type_identity_t<T>& value,
                                const std::type_identity_t<T>& derivative) {
  dual<T, N> r;
  r.val = value;
  for (int i = 0; i < N; ++i) {
    r.tan[i] = derivative * x.tan[i];
  }
  return r;
}

// f(x, y) with partial derivatives dx and dy.
template <class T, int N>
STATIX_HD dual<T, N>
chain_rule(const dual<T, N>& x, const dual<T, N>& y, const std::type_identity_t<T>& value,
           const std::type_identity_t<T>& dx, const std::type_identity_t<T>& dy) {
  dual<T, N> r;
  r.val = value;
  for (int i = 0; i < N; ++i) {
    r.tan[i] = dx * x.tan[i] + dy * y.tan[i];
  }
  return r;
}

// A dual with the given value and zero tangents (piecewise-constant functions).
template <class T, int N>
STATIX_HD dual<T, N> constant_like(const dual<T, N>&, const std::type_identity_t<T>& value) {
  return dual<T, N>(value);
}

} // namespace detail

// ------------------------------------------------------ elementary functions

template <class T, int N>
STATIX_HD dual<T, N> exp(const dual<T, N>& x) {
  const T exp_x = exp(x.val);
  return detail::chain_rule(x, exp_x, exp_x);
}

template <class T, int N>
STATIX_HD dual<T, N> log(const dual<T, N>& x) {
  return detail::chain_rule(x, log(x.val), T(1) / x.val);
}

template <class T, int N>
STATIX_HD dual<T, N> sqrt(const dual<T, N>& x) {
  const T root = sqrt(x.val);
  return detail::chain_rule(x, root, T(0.5) / root);
}

template <class T, int N>
STATIX_HD dual<T, N> cbrt(const dual<T, N>& x) {
  const T root = cbrt(x.val);
  return detail::chain_rule(x, root, T(1) / (T(3) * root * root));
}

template <class T, int N>
STATIX_HD dual<T, N> sin(const dual<T, N>& x) {
  return detail::chain_rule(x, sin(x.val), cos(x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> cos(const dual<T, N>& x) {
  return detail::chain_rule(x, cos(x.val), -sin(x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> tan(const dual<T, N>& x) {
  const T tan_x = tan(x.val);
  return detail::chain_rule(x, tan_x, T(1) + tan_x * tan_x);
}

template <class T, int N>
STATIX_HD dual<T, N> atan(const dual<T, N>& x) {
  return detail::chain_rule(x, atan(x.val), T(1) / (T(1) + x.val * x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> sinh(const dual<T, N>& x) {
  return detail::chain_rule(x, sinh(x.val), cosh(x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> cosh(const dual<T, N>& x) {
  return detail::chain_rule(x, cosh(x.val), sinh(x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> tanh(const dual<T, N>& x) {
  const T tanh_x = tanh(x.val);
  return detail::chain_rule(x, tanh_x, T(1) - tanh_x * tanh_x);
}

template <class T, int N>
STATIX_HD dual<T, N> log1p(const dual<T, N>& x) {
  return detail::chain_rule(x, log1p(x.val), T(1) / (T(1) + x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> log1p_via_log(const dual<T, N>& x) {
  return detail::chain_rule(x, log1p_via_log(x.val), T(1) / (T(1) + x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> expm1(const dual<T, N>& x) {
  return detail::chain_rule(x, expm1(x.val), exp(x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> erf(const dual<T, N>& x) {
  return detail::chain_rule(x, erf(x.val), T(two_over_sqrt_pi) * exp(-(x.val * x.val)));
}

template <class T, int N>
STATIX_HD dual<T, N> erfc(const dual<T, N>& x) {
  return detail::chain_rule(x, erfc(x.val), -T(two_over_sqrt_pi) * exp(-(x.val * x.val)));
}

template <class T, int N>
STATIX_HD dual<T, N> floor(const dual<T, N>& x) {
  return detail::constant_like(x, floor(x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> ceil(const dual<T, N>& x) {
  return detail::constant_like(x, ceil(x.val));
}

// d|x|/dx = sign(x), taken as 0 at 0.
template <class T, int N>
STATIX_HD dual<T, N> fabs(const dual<T, N>& x) {
  const T sign = x.val > 0 ? T(1) : (x.val < 0 ? T(-1) : T(0));
  return detail::chain_rule(x, fabs(x.val), sign);
}

template <class T, int N>
STATIX_HD dual<T, N> abs(const dual<T, N>& x) {
  return fabs(x);
}

template <class T, int N>
STATIX_HD dual<T, N> square(const dual<T, N>& x) {
  return detail::chain_rule(x, x.val * x.val, T(2) * x.val);
}

template <class T, int N>
STATIX_HD dual<T, N> inv(const dual<T, N>& x) {
  const T inv_x = T(1) / x.val;
  return detail::chain_rule(x, inv_x, -(inv_x * inv_x));
}

// The zero guards keep 0 * inf out of the tangents where the limit is 0
// (x^0 is constant in x; 0^y is constant in y for y > 0).
template <class T, int N>
STATIX_HD dual<T, N> pow(const dual<T, N>& x, const dual<T, N>& y) {
  const T value = pow(x.val, y.val);
  const T dx = y.val == 0 ? T(0) : y.val * pow(x.val, y.val - T(1));
  const T dy = x.val == 0 ? T(0) : value * log(x.val);
  return detail::chain_rule(x, y, value, dx, dy);
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> pow(const dual<T, N>& x, U y) {
  const T dx = y == 0 ? T(0) : T(y * pow(x.val, y - 1));
  return detail::chain_rule(x, pow(x.val, y), dx);
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> pow(U x, const dual<T, N>& y) {
  const T value = pow(x, y.val);
  const T dy = x == 0 ? T(0) : T(value * log(x));
  return detail::chain_rule(y, value, dy);
}

// --------------------------------------------------------------- gamma family

template <class T, int N>
STATIX_HD dual<T, N> lgamma(const dual<T, N>& x) {
  return detail::chain_rule(x, lgamma(x.val), digamma(x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> digamma(const dual<T, N>& x) {
  return detail::chain_rule(x, digamma(x.val), trigamma(x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> trigamma(const dual<T, N>& x) {
  return detail::chain_rule(x, trigamma(x.val), polygamma(2, x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> polygamma(int n, const dual<T, N>& x) {
  return detail::chain_rule(x, polygamma(n, x.val), polygamma(n + 1, x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> tetragamma(const dual<T, N>& x) {
  return polygamma(2, x);
}

namespace detail {
// d/dx lgamma_stirling_diff(x) = digamma(x) - log(x) + 1/(2x), which cancels
// badly for large x; there it is minus the Bernoulli sum of digamma's series.
template <class T>
STATIX_HD T lgamma_stirling_diff_derivative(const T& x) {
  if (x < 10) {
    return digamma(x) - log(x) + T(0.5) / x;
  }
  const T inv_x = T(1) / x;
  const T z = inv_x * inv_x;
  return -(z * (1.0 / 12 -
                z * (1.0 / 120 -
                     z * (1.0 / 252 -
                          z * (1.0 / 240 - z * (1.0 / 132 - z * (691.0 / 32760 - z / 12.0)))))));
}
} // namespace detail

template <class T, int N>
STATIX_HD dual<T, N> lgamma_stirling_diff(const dual<T, N>& x) {
  return detail::chain_rule(x, lgamma_stirling_diff(x.val),
                            detail::lgamma_stirling_diff_derivative(x.val));
}

// d/da lbeta(a, b) = digamma(a) - digamma(a + b).
template <class T, int N>
STATIX_HD dual<T, N> lbeta(const dual<T, N>& a, const dual<T, N>& b) {
  const T digamma_sum = digamma(a.val + b.val);
  return detail::chain_rule(a, b, lbeta(a.val, b.val), digamma(a.val) - digamma_sum,
                            digamma(b.val) - digamma_sum);
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> lbeta(const dual<T, N>& a, U b) {
  return detail::chain_rule(a, lbeta(a.val, b), digamma(a.val) - digamma(a.val + b));
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> lbeta(U a, const dual<T, N>& b) {
  return detail::chain_rule(b, lbeta(a, b.val), digamma(b.val) - digamma(a + b.val));
}

// d/dn = digamma(n+1) - digamma(n-k+1), d/dk = digamma(n-k+1) - digamma(k+1).
template <class T, int N>
STATIX_HD dual<T, N> lchoose(const dual<T, N>& n, const dual<T, N>& k) {
  const T digamma_rest = digamma(n.val - k.val + 1);
  return detail::chain_rule(n, k, lchoose(n.val, k.val), digamma(n.val + 1) - digamma_rest,
                            digamma_rest - digamma(k.val + 1));
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> lchoose(const dual<T, N>& n, U k) {
  return detail::chain_rule(n, lchoose(n.val, k), digamma(n.val + 1) - digamma(n.val - k + 1));
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> lchoose(U n, const dual<T, N>& k) {
  return detail::chain_rule(k, lchoose(n, k.val), digamma(n - k.val + 1) - digamma(k.val + 1));
}

// ---------------------------------------------------------- log-space helpers

template <class T, int N>
STATIX_HD dual<T, N> log1p_exp(const dual<T, N>& x) {
  return detail::chain_rule(x, log1p_exp(x.val), inv_logit(x.val));
}

// d/dx log(1 - e^x) = -e^x / (1 - e^x) = -1 / expm1(-x).
template <class T, int N>
STATIX_HD dual<T, N> log1m_exp(const dual<T, N>& x) {
  return detail::chain_rule(x, log1m_exp(x.val), T(-1) / expm1(-x.val));
}

namespace detail {
// The weight of a in log_sum_exp(a, b): e^a / (e^a + e^b); 1/2 when a == b,
// which also covers a == b == -inf.
template <class A, class B>
STATIX_HD auto log_sum_exp_weight(const A& a, const B& b) {
  using R = decltype(inv_logit(a - b));
  return a == b ? R(0.5) : inv_logit(a - b);
}
} // namespace detail

template <class T, int N>
STATIX_HD dual<T, N> log_sum_exp(const dual<T, N>& a, const dual<T, N>& b) {
  return detail::chain_rule(a, b, log_sum_exp(a.val, b.val),
                            detail::log_sum_exp_weight(a.val, b.val),
                            detail::log_sum_exp_weight(b.val, a.val));
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> log_sum_exp(const dual<T, N>& a, U b) {
  return detail::chain_rule(a, log_sum_exp(a.val, b), detail::log_sum_exp_weight(a.val, b));
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> log_sum_exp(U a, const dual<T, N>& b) {
  return detail::chain_rule(b, log_sum_exp(a, b.val), detail::log_sum_exp_weight(b.val, a));
}

// d/da log(e^a - e^b) = -1 / expm1(b - a), d/db = -1 / expm1(a - b).
template <class T, int N>
STATIX_HD dual<T, N> log_diff_exp(const dual<T, N>& a, const dual<T, N>& b) {
  return detail::chain_rule(a, b, log_diff_exp(a.val, b.val), T(-1) / expm1(b.val - a.val),
                            T(-1) / expm1(a.val - b.val));
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> log_diff_exp(const dual<T, N>& a, U b) {
  return detail::chain_rule(a, log_diff_exp(a.val, b), T(-1) / expm1(b - a.val));
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> log_diff_exp(U a, const dual<T, N>& b) {
  return detail::chain_rule(b, log_diff_exp(a, b.val), T(-1) / expm1(a - b.val));
}

// d/dx inv_logit(x) = inv_logit(x) inv_logit(-x), accurate in both tails.
template <class T, int N>
STATIX_HD dual<T, N> inv_logit(const dual<T, N>& x) {
  const T p = inv_logit(x.val);
  return detail::chain_rule(x, p, p * inv_logit(-x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> logit(const dual<T, N>& p) {
  return detail::chain_rule(p, logit(p.val), T(1) / (p.val * (T(1) - p.val)));
}

template <class T, int N>
STATIX_HD dual<T, N> log_inv_logit(const dual<T, N>& x) {
  return detail::chain_rule(x, log_inv_logit(x.val), inv_logit(-x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> log1m_inv_logit(const dual<T, N>& x) {
  return detail::chain_rule(x, log1m_inv_logit(x.val), -inv_logit(x.val));
}

template <class T, int N>
STATIX_HD dual<T, N> log1m(const dual<T, N>& x) {
  return detail::chain_rule(x, log1m(x.val), T(1) / (x.val - T(1)));
}

template <class T, int N>
STATIX_HD dual<T, N> Phi(const dual<T, N>& x) {
  return detail::chain_rule(x, Phi(x.val), T(inv_sqrt_two_pi) * exp(T(-0.5) * x.val * x.val));
}

// d/da = log(b), d/db = a / b (taken as 0 when a == 0, where the function is 0).
template <class T, int N>
STATIX_HD dual<T, N> multiply_log(const dual<T, N>& a, const dual<T, N>& b) {
  return detail::chain_rule(a, b, multiply_log(a.val, b.val), log(b.val),
                            a.val == 0 ? T(0) : a.val / b.val);
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> multiply_log(const dual<T, N>& a, U b) {
  return detail::chain_rule(a, multiply_log(a.val, b), T(log(b)));
}

template <class T, int N, detail::passive_operand<T> U>
STATIX_HD dual<T, N> multiply_log(U a, const dual<T, N>& b) {
  return detail::chain_rule(b, multiply_log(a, b.val), a == 0 ? T(0) : T(a / b.val));
}

} // namespace statix::math
