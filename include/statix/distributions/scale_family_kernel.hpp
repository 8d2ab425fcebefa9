#pragma once

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"

namespace statix::dist {

// The one-pass kernel of a vector term (see distribution_term) for a family
// on y >= 0 with one scale sigma whose log density is
//   Standard::log_constant - log sigma + Standard::g(z),   z = y / sigma
// (half_normal, half_cauchy). With one sigma for every element, 1 / sigma
// and log sigma are taken once; a constant sigma's reciprocal comes from the
// model. Partials: d/dy = g'(z) / sigma, d/dsigma = -(1 + z g'(z)) / sigma.
// Checks: y is data checked when the model was built or a variable on its
// support; a varying scalar sigma must be positive (scalars_valid()); a
// non-finite y or sigma, or a non-positive per-element sigma, makes the sum
// non-finite (log of a negative, 0 / 0), which the model rejects.
//
// Standard: static constexpr double log_constant; template <class T>
// static T g(const T& z, T& dg) (the value; g'(z) into dg).
template <class Standard, bool Propto, unsigned Varying, unsigned Scalar, bool Grad, class T>
struct scale_family_kernel {
  static constexpr unsigned Y = 1u, SIGMA = 2u;
  static constexpr unsigned reciprocal_args = SIGMA;
  static constexpr bool scalar_sigma = (Scalar & SIGMA) != 0;
  static constexpr bool with_log_sigma = include_summand<Propto, Varying, SIGMA>;

  T inv_sigma{0.0}, log_sigma{0.0};
  T dy_sum{-0.0}, dsigma_sum{-0.0}; // -0.0: adding to it is exact, and folds away
  bool valid = true;

  STATIX_HD scale_family_kernel(const T* scalars, const T* reciprocals) {
    if constexpr (scalar_sigma) {
      if constexpr (varies<Varying, 1>) valid = detail::value(scalars[1]) > 0.0; // NaN fails
      inv_sigma = reciprocals[1];
      if constexpr (with_log_sigma) log_sigma = math::log(scalars[1]);
    }
  }
  STATIX_HD bool scalars_valid() const { return valid; }

  STATIX_HD T element(T* d, const T* reciprocals, const T& y, const T& sigma_i) {
    if constexpr (!include_summand<Propto, Varying, Y | SIGMA>) {
      return T(0.0);
    } else {
      const T& inv = scalar_sigma ? inv_sigma : reciprocals[1];
      const T z = y * inv;
      T dg;
      T c = Standard::g(z, dg);
      if constexpr (Grad && varies<Varying, 0>) {
        const T dy = dg * inv;
        if constexpr ((Scalar & Y) != 0)
          dy_sum = dy_sum + dy;
        else
          d[0] = dy;
      }
      if constexpr (Grad && varies<Varying, 1>) {
        const T dsigma = -(1.0 + z * dg) * inv;
        if constexpr (scalar_sigma)
          dsigma_sum = dsigma_sum + dsigma;
        else
          d[1] = dsigma;
      }
      if constexpr (!scalar_sigma && with_log_sigma) c = c - math::log(sigma_i);
      return c;
    }
  }

  // The term's log density from the summed contributions; writes the
  // summed partials of the scalar arguments that vary.
  STATIX_HD T finish(const T& sum, int n, T* scalar_partials) const {
    const double count = n;
    T lp = sum;
    if constexpr (scalar_sigma && with_log_sigma) lp = lp - count * log_sigma;
    if constexpr (include_summand<Propto, Varying, 0u>) {
      constexpr double log_constant = Standard::log_constant; // a local: device code
      lp = lp + count * log_constant;
    }
    if constexpr (Grad && varies<Varying, 0> && (Scalar & Y) != 0) scalar_partials[0] = dy_sum;
    if constexpr (Grad && varies<Varying, 1> && scalar_sigma) scalar_partials[1] = dsigma_sum;
    return lp;
  }
};

} // namespace statix::dist
