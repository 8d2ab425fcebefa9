#pragma once

#include <cmath>

#include "statix/base/macros.hpp"
#include "statix/math/scalar_traits.hpp"

// The C math library functions for plain scalars, callable from host and
// device code: std:: (the C library) on the host, CUDA's own overloads in
// device code. Both follow C99 Annex F, so edge cases (log(0) = -inf,
// erf(inf) = 1, ...) agree between the two. Integer arguments give double,
// float stays float. Dual overloads live in dual.hpp.
namespace statix::math {

#if STATIX_DEVICE_CODE
#define STATIX_MATH_LIBM(name) ::name
#else
#define STATIX_MATH_LIBM(name) std::name
#endif

#define STATIX_MATH_UNARY_LIBM_FUNCTION(name)                                                      \
  template <detail::plain_scalar X>                                                                \
  STATIX_HD STATIX_ALWAYS_INLINE detail::real_of_t<X> name(X x) {                                  \
    return STATIX_MATH_LIBM(name)(static_cast<detail::real_of_t<X>>(x));                           \
  }

// exp, log, log1p and expm1 in double on the host go through functions the
// compiler is told are pure: libm's versions may set errno, so without this a
// log of a loop-invariant scale (normal's log sigma over a vector of data)
// would be recomputed for every element instead of hoisted out of the loop.
#if !STATIX_DEVICE_CODE && defined(__GNUC__)
namespace detail {
#define STATIX_MATH_PURE_LIBM(name)                                                                \
  [[gnu::const, gnu::noinline]] inline double pure_##name(double x) {                              \
    return std::name(x);                                                                           \
  }
STATIX_MATH_PURE_LIBM(exp)
STATIX_MATH_PURE_LIBM(log)
STATIX_MATH_PURE_LIBM(log1p)
STATIX_MATH_PURE_LIBM(expm1)
#undef STATIX_MATH_PURE_LIBM
} // namespace detail
#define STATIX_MATH_UNARY_PURE_FUNCTION(name)                                                      \
  template <detail::plain_scalar X>                                                                \
  STATIX_HD STATIX_ALWAYS_INLINE detail::real_of_t<X> name(X x) {                                  \
    if constexpr (std::is_same_v<detail::real_of_t<X>, double>)                                    \
      return detail::pure_##name(static_cast<double>(x));                                          \
    else                                                                                           \
      return STATIX_MATH_LIBM(name)(static_cast<detail::real_of_t<X>>(x));                         \
  }
#else
#define STATIX_MATH_UNARY_PURE_FUNCTION(name) STATIX_MATH_UNARY_LIBM_FUNCTION(name)
#endif

STATIX_MATH_UNARY_PURE_FUNCTION(exp)
STATIX_MATH_UNARY_PURE_FUNCTION(log)
STATIX_MATH_UNARY_LIBM_FUNCTION(sqrt)
STATIX_MATH_UNARY_LIBM_FUNCTION(cbrt)
STATIX_MATH_UNARY_LIBM_FUNCTION(sin)
STATIX_MATH_UNARY_LIBM_FUNCTION(cos)
STATIX_MATH_UNARY_LIBM_FUNCTION(tan)
STATIX_MATH_UNARY_LIBM_FUNCTION(atan)
STATIX_MATH_UNARY_LIBM_FUNCTION(sinh)
STATIX_MATH_UNARY_LIBM_FUNCTION(cosh)
STATIX_MATH_UNARY_LIBM_FUNCTION(tanh)
STATIX_MATH_UNARY_PURE_FUNCTION(log1p)
STATIX_MATH_UNARY_PURE_FUNCTION(expm1)
STATIX_MATH_UNARY_LIBM_FUNCTION(erf)
STATIX_MATH_UNARY_LIBM_FUNCTION(erfc)
STATIX_MATH_UNARY_LIBM_FUNCTION(floor)
STATIX_MATH_UNARY_LIBM_FUNCTION(ceil)
STATIX_MATH_UNARY_LIBM_FUNCTION(fabs)

#undef STATIX_MATH_UNARY_LIBM_FUNCTION
#undef STATIX_MATH_UNARY_PURE_FUNCTION

template <detail::plain_scalar X>
STATIX_HD STATIX_ALWAYS_INLINE detail::real_of_t<X> abs(X x) {
  return STATIX_MATH_LIBM(fabs)(static_cast<detail::real_of_t<X>>(x));
}

namespace detail {
// float only when both arguments are float or integer and one is float.
template <class X, class Y>
using real_of2_t = std::conditional_t<(std::is_same_v<X, float> ||
                                       std::is_same_v<Y, float>)&&!std::is_same_v<X, double> &&
                                          !std::is_same_v<Y, double>,
                                      float, double>;
} // namespace detail

template <detail::plain_scalar X, detail::plain_scalar Y>
STATIX_HD STATIX_ALWAYS_INLINE detail::real_of2_t<X, Y> pow(X x, Y y) {
  using R = detail::real_of2_t<X, Y>;
  return STATIX_MATH_LIBM(pow)(static_cast<R>(x), static_cast<R>(y));
}

template <detail::plain_scalar X>
STATIX_HD STATIX_ALWAYS_INLINE detail::real_of_t<X> square(X x) {
  const auto r = static_cast<detail::real_of_t<X>>(x);
  return r * r;
}

template <detail::plain_scalar X>
STATIX_HD STATIX_ALWAYS_INLINE detail::real_of_t<X> inv(X x) {
  using R = detail::real_of_t<X>;
  return R(1) / static_cast<R>(x);
}

template <detail::plain_scalar X>
STATIX_HD STATIX_ALWAYS_INLINE bool is_finite(X x) {
  return STATIX_MATH_LIBM(isfinite)(static_cast<detail::real_of_t<X>>(x));
}

template <detail::plain_scalar X>
STATIX_HD STATIX_ALWAYS_INLINE bool is_nan(X x) {
  return STATIX_MATH_LIBM(isnan)(static_cast<detail::real_of_t<X>>(x));
}

#undef STATIX_MATH_LIBM

} // namespace statix::math
