#pragma once

#include <Eigen/Core>

#include "statix/math/dual.hpp"

// Lets statix::math::dual be the scalar of Eigen vectors and matrices
// (Eigen::Matrix<dual<double, N>, ...>), mixed with double matrices in
// products and sums. Kept out of functions.hpp so that code without Eigen
// does not pay for <Eigen/Core>; Eigen finds sqrt, abs, exp, ... of duals by
// argument-dependent lookup in statix::math.
namespace Eigen {

template <class T, int N>
struct NumTraits<statix::math::dual<T, N>> {
  using Real = statix::math::dual<T, N>;
  using NonInteger = Real;
  using Nested = Real;
  using Literal = Real;

  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 0, // trivially copyable, no constructor needed
    ReadCost = (N + 1) * NumTraits<T>::ReadCost,
    AddCost = (N + 1) * NumTraits<T>::AddCost,
    MulCost = (2 * N + 1) * NumTraits<T>::MulCost + N * NumTraits<T>::AddCost
  };

  static inline Real epsilon() { return Real(NumTraits<T>::epsilon()); }
  static inline Real dummy_precision() { return Real(NumTraits<T>::dummy_precision()); }
  static inline Real highest() { return Real(NumTraits<T>::highest()); }
  static inline Real lowest() { return Real(NumTraits<T>::lowest()); }
  static inline Real infinity() { return Real(NumTraits<T>::infinity()); }
  static inline Real quiet_NaN() { return Real(NumTraits<T>::quiet_NaN()); }
  static inline int digits10() { return NumTraits<T>::digits10(); }
  static inline int digits() { return NumTraits<T>::digits(); }
};

// dual op double and double op dual give a dual.
template <class T, int N, class BinaryOp>
struct ScalarBinaryOpTraits<statix::math::dual<T, N>, typename statix::math::scalar_type<T>::type,
                            BinaryOp> {
  using ReturnType = statix::math::dual<T, N>;
};

template <class T, int N, class BinaryOp>
struct ScalarBinaryOpTraits<typename statix::math::scalar_type<T>::type, statix::math::dual<T, N>,
                            BinaryOp> {
  using ReturnType = statix::math::dual<T, N>;
};

} // namespace Eigen
