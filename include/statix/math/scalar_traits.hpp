#pragma once

#include <limits>
#include <type_traits>

#include "statix/base/macros.hpp"

// What the math layer knows about a scalar type: plain arithmetic types
// (float, double, integers) and forward-mode duals, which nest.
namespace statix::math {

template <class T, int N>
struct dual;

namespace detail {

// Arguments the plain (non-dual) overloads accept. long double is left out on
// purpose: device code has no long double, and a silent narrowing to double
// would hide the loss of precision.
template <class X>
concept plain_scalar =
    std::is_integral_v<X> || std::is_same_v<X, float> || std::is_same_v<X, double>;

// The floating type a plain function returns: float stays float, integers and
// double give double (as the C math library does).
template <class X>
using real_of_t = std::conditional_t<std::is_same_v<X, float>, float, double>;

} // namespace detail

template <class T>
struct is_dual : std::false_type {};
template <class T, int N>
struct is_dual<dual<T, N>> : std::true_type {};
template <class T>
inline constexpr bool is_dual_v = is_dual<std::remove_cvref_t<T>>::value;

// The innermost plain scalar of a (possibly nested) dual: double for
// dual<dual<double, 1>, 1>.
template <class T>
struct scalar_type {
  using type = T;
};
template <class T, int N>
struct scalar_type<dual<T, N>> {
  using type = typename scalar_type<T>::type;
};
template <class T>
using scalar_type_t = typename scalar_type<std::remove_cvref_t<T>>::type;

// The plain value of a scalar; the dual overload (dual.hpp) strips every level.
template <detail::plain_scalar X>
STATIX_HD constexpr X value_of(X x) {
  return x;
}

template <class T>
STATIX_HD constexpr T infinity() {
  return T(std::numeric_limits<scalar_type_t<T>>::infinity());
}
template <class T>
STATIX_HD constexpr T negative_infinity() {
  return T(-std::numeric_limits<scalar_type_t<T>>::infinity());
}
template <class T>
STATIX_HD constexpr T quiet_nan() {
  return T(std::numeric_limits<scalar_type_t<T>>::quiet_NaN());
}

} // namespace statix::math
