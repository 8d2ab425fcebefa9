#pragma once

#include "statix/math/functions.hpp"

namespace statix::ops {

// The elementwise operations: each line is a function and its derivative(s),
// the only thing a new elementwise function needs. `x` is one element's value
// (double, int or a forward-mode dual).

#define STATIX_UNARY_OP(op_name, value_expr, derivative_expr)                                      \
  struct op_name {                                                                                 \
    static constexpr const char* name = #op_name;                                                  \
    template <class X>                                                                             \
    STATIX_HD static auto f(const X& x) {                                                          \
      return value_expr;                                                                           \
    }                                                                                              \
    template <class X>                                                                             \
    STATIX_HD static auto df([[maybe_unused]] const X& x) {                                        \
      return derivative_expr;                                                                      \
    }                                                                                              \
  };

STATIX_UNARY_OP(negate, -x, -1.0)
STATIX_UNARY_OP(exp, math::exp(x), math::exp(x))
STATIX_UNARY_OP(log, math::log(x), 1.0 / x)
STATIX_UNARY_OP(log1p, math::log1p(x), 1.0 / (1.0 + x))
STATIX_UNARY_OP(expm1, math::expm1(x), math::exp(x))
STATIX_UNARY_OP(sqrt, math::sqrt(x), 0.5 / math::sqrt(x))
STATIX_UNARY_OP(square, x* x, 2.0 * x)
STATIX_UNARY_OP(inv, 1.0 / x, -1.0 / (x * x))
STATIX_UNARY_OP(inv_logit, math::inv_logit(x), math::inv_logit(x) * math::inv_logit(-x))
STATIX_UNARY_OP(log_inv_logit, math::log_inv_logit(x), math::inv_logit(-x))
STATIX_UNARY_OP(log1m_inv_logit, math::log1m_inv_logit(x), -math::inv_logit(x))
STATIX_UNARY_OP(tanh, math::tanh(x), 1.0 - math::tanh(x) * math::tanh(x))
STATIX_UNARY_OP(lgamma, math::lgamma(x), math::digamma(x))
STATIX_UNARY_OP(log1m, math::log1m(x), -1.0 / (1.0 - x))
STATIX_UNARY_OP(abs, (x < 0 ? -x : x), (x < 0 ? -1.0 : 1.0))

#undef STATIX_UNARY_OP

// Binary operations: f(a, b) and the partials da(a, b), db(a, b).
#define STATIX_BINARY_OP(op_name, value_expr, da_expr, db_expr)                                    \
  struct op_name {                                                                                 \
    static constexpr const char* name = #op_name;                                                  \
    template <class A, class B>                                                                    \
    STATIX_HD static auto f(const A& a, const B& b) {                                              \
      return value_expr;                                                                           \
    }                                                                                              \
    template <class A, class B>                                                                    \
    STATIX_HD static auto da([[maybe_unused]] const A& a, [[maybe_unused]] const B& b) {           \
      return da_expr;                                                                              \
    }                                                                                              \
    template <class A, class B>                                                                    \
    STATIX_HD static auto db([[maybe_unused]] const A& a, [[maybe_unused]] const B& b) {           \
      return db_expr;                                                                              \
    }                                                                                              \
  };

STATIX_BINARY_OP(add, a + b, 1.0, 1.0)
STATIX_BINARY_OP(subtract, a - b, 1.0, -1.0)
STATIX_BINARY_OP(multiply, a* b, b, a)
STATIX_BINARY_OP(divide, a / b, 1.0 / b, -a / (b * b))
STATIX_BINARY_OP(pow, math::pow(a, b), b* math::pow(a, b - 1.0), math::pow(a, b) * math::log(a))

#undef STATIX_BINARY_OP

} // namespace statix::ops
