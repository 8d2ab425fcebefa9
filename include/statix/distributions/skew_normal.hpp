#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/tail_functions.hpp"
#include "statix/math/random.hpp"

#if !STATIX_DEVICE_CODE
#include <boost/math/quadrature/gauss_kronrod.hpp>
#endif

namespace statix::dist {

// Skew normal with location xi, scale omega and shape alpha (Azzalini 1985),
// as Stan's skew_normal:
//   log p(y) = -log(2 pi)/2 - log omega - z^2/2 + log erfc(-alpha z / sqrt 2),
//   z = (y - xi) / omega
// (2 phi(z) Phi(alpha z) / omega), with log erfc taken asymptotically where
// erfc underflows, so the far tail on the short side stays finite.
//   cdf = Phi(z) - 2 T(z, alpha), T Owen's T function (by quadrature of the
// density where that difference cancels, see lcdf).
struct skew_normal {
  static constexpr const char* family_name = "skew_normal";
  static constexpr int num_params = 3;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::real;
  static constexpr std::array<const char*, 3> param_names = {"xi", "omega", "alpha"};
  static constexpr std::array<param_domain, 3> param_domains = {
      param_domain::real, param_domain::positive, param_domain::real};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& xi, const T& omega, const T& alpha, T* d) {
    constexpr unsigned Y = 1u, XI = 2u, OMEGA = 4u, ALPHA = 8u;
    constexpr unsigned ALL = Y | XI | OMEGA | ALPHA;
    if (!detail::is_finite(y) || !detail::is_finite(xi) || !detail::is_positive_finite(omega) ||
        !detail::is_finite(alpha))
      return detail::reject<(Varying & ALL), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, ALL>) {
      return T(0.0);
    } else {
      constexpr double inv_sqrt_two = 0.70710678118654752440084436210484904;
      const T inv_omega = math::inv(omega);
      const T z = (y - xi) * inv_omega;
      const T u = -alpha * z * inv_sqrt_two;
      T lp = -0.5 * z * z + detail::log_erfc(u);
      if constexpr (include_summand<Propto, Varying, 0u>) {
        constexpr double half_log_two_pi = math::half_log_two_pi;
        lp = lp - half_log_two_pi;
      }
      if constexpr (include_summand<Propto, Varying, OMEGA>) lp = lp - math::log(omega);
      if constexpr (Grad) {
        const T r = detail::erfc_log_slope(u); // -d log erfc(u) / du
        const T dz = r * alpha * inv_sqrt_two - z;
        if constexpr (varies<Varying, 0>) d[0] = dz * inv_omega;
        if constexpr (varies<Varying, 1>) d[1] = -dz * inv_omega;
        if constexpr (varies<Varying, 2>) d[2] = -(1.0 + dz * z) * inv_omega;
        if constexpr (varies<Varying, 3>) d[3] = r * z * inv_sqrt_two;
      }
      return lp;
    }
  }

#if !STATIX_DEVICE_CODE
  // Where Phi(z) - 2 T(z, alpha) is below 1e-4 the two terms cancel (on the
  // short side of the density); there the cdf is the integral of the density,
  //   lcdf = lp(z) + log int_0^inf exp(lp(z - s) - lp(z)) ds,
  // lp the standardised log density, by adaptive Gauss-Kronrod quadrature,
  // which keeps its relative accuracy however small the cdf. The upper tail
  // reflects: 1 - F(y | xi, omega, alpha) = F(2 xi - y | xi, omega, -alpha).
  static double lcdf(double y, double xi, double omega, double alpha) {
    const double z = (y - xi) / omega;
    const double c = math::Phi(z) - 2.0 * detail::owens_t(z, alpha);
    if (c > 1e-4) return math::log(c);
    constexpr double inv_sqrt_two = 0.70710678118654752440084436210484904;
    auto lp = [&](double t) { return -0.5 * t * t + detail::log_erfc(-alpha * t * inv_sqrt_two); };
    const double lp_z = lp(z);
    if (!math::is_finite(lp_z)) return math::negative_infinity<double>();
    auto integrand = [&](double s) { return math::exp(lp(z - s) - lp_z); };
    const double integral = boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
        integrand, 0.0, math::infinity<double>(), 20, 1e-15);
    constexpr double half_log_two_pi = math::half_log_two_pi;
    return lp_z - half_log_two_pi + math::log(integral);
  }
  static double lccdf(double y, double xi, double omega, double alpha) {
    const double z = (y - xi) / omega;
    const double c = math::Phi(-z) + 2.0 * detail::owens_t(z, alpha);
    if (c > 1e-4) return math::log(c);
    return lcdf(2.0 * xi - y, xi, omega, -alpha);
  }
  static double cdf(double y, double xi, double omega, double alpha) {
    const double z = (y - xi) / omega;
    const double c = math::Phi(z) - 2.0 * detail::owens_t(z, alpha);
    return c > 1e-4 ? c : math::exp(lcdf(y, xi, omega, alpha));
  }
#endif

  // xi + omega (delta |u0| + sqrt(1 - delta^2) u1), delta = alpha / sqrt(1 + alpha^2),
  // u0, u1 independent standard normals (Azzalini 1985).
  template <class Rng>
  STATIX_HD static double rng(Rng& g, double xi, double omega, double alpha) {
    const double delta = alpha / math::sqrt(1.0 + alpha * alpha);
    const double u0 = random::std_normal(g);
    const double u1 = random::std_normal(g);
    return xi + omega * (delta * math::abs(u0) + math::sqrt(1.0 - delta * delta) * u1);
  }
};

} // namespace statix::dist
