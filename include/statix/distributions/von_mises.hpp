#pragma once

#include <array>
#include <vector>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/tail_functions.hpp"
#include "statix/math/random.hpp"

#if !STATIX_DEVICE_CODE
#include <boost/math/quadrature/gauss_kronrod.hpp>
#endif

namespace statix::dist {

// Von Mises with location mu and concentration kappa, on the real line (the
// density is 2 pi periodic), as Stan's von_mises:
//   log p(y) = kappa cos(y - mu) - log(2 pi) - log I0(kappa),
// written as -2 kappa sin^2((y - mu) / 2) - log(2 pi) - log(I0(kappa) e^-kappa)
// so that a large kappa does not cancel between the two terms.
//   d/dkappa = cos(y - mu) - I1(kappa) / I0(kappa).
// The cdf is that of y - mu taken on [-pi, pi] (the circle cut opposite mu):
//   F(x) = 1/2 + x / (2 pi) + (1 / pi) sum_n (I_n(kappa) / I0(kappa)) sin(n x) / n,
// 0 below mu - pi and 1 above mu + pi; Stan's von_mises_cdf cuts at -pi and
// pi instead, the same for mu = 0.
struct von_mises {
  static constexpr const char* family_name = "von_mises";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::real;
  static constexpr std::array<const char*, 2> param_names = {"mu", "kappa"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::real,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& mu, const T& kappa, T* d) {
    constexpr unsigned Y = 1u, MU = 2u, KAPPA = 4u;
    if (!detail::is_finite(y) || !detail::is_finite(mu) || !detail::is_positive_finite(kappa))
      return detail::reject<(Varying & (Y | MU | KAPPA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | MU | KAPPA>) {
      return T(0.0);
    } else {
      const T x = y - mu;
      const T s_half = math::sin(0.5 * x);
      T lp = -2.0 * kappa * s_half * s_half;
      if constexpr (include_summand<Propto, Varying, KAPPA>)
        lp = lp - detail::log_bessel_i0_scaled(kappa);
      if constexpr (include_summand<Propto, Varying, 0u>) {
        constexpr double log_two_pi = 1.83787706640934548356065947281123527;
        lp = lp - log_two_pi;
      }
      if constexpr (Grad) {
        if constexpr (varies<Varying, 0> || varies<Varying, 1>) {
          const T dmu = kappa * math::sin(x);
          if constexpr (varies<Varying, 0>) d[0] = -dmu;
          if constexpr (varies<Varying, 1>) d[1] = dmu;
        }
        if constexpr (varies<Varying, 2>) d[2] = math::cos(x) - detail::bessel_i1_over_i0(kappa);
      }
      return lp;
    }
  }

#if !STATIX_DEVICE_CODE
  // The series; its terms cancel where F is small (the tails next to mu - pi
  // for a concentrated density), so below F = 1e-4 lcdf integrates the
  // density instead (below).
  static double cdf_series(double x, double kappa) {
    constexpr double pi = 3.14159265358979323846264338327950288;
    // rho_n = I_n / I_{n-1} by the backward recurrence rho_n = 1 / (2n / kappa + rho_{n+1})
    // (Miller's algorithm), started far enough out that rho_{N+1} = 0 is exact
    // to double precision; then I_n / I0 = rho_1 ... rho_n.
    const int n_max = 40 + int(kappa + 12.0 * math::sqrt(kappa));
    std::vector<double> rho(n_max + 2, 0.0);
    for (int n = n_max; n >= 1; --n)
      rho[n] = 1.0 / (2.0 * n / kappa + rho[n + 1]);
    double ratio = 1.0, sum = 0.0;
    for (int n = 1; n <= n_max; ++n) {
      ratio *= rho[n];
      if (ratio < 1e-300) break;
      sum += ratio * math::sin(n * x) / n;
    }
    return 0.5 + x / (2.0 * pi) + sum / pi;
  }

  // Below F = 1e-4: lcdf = lp(x) + log int_{-pi}^{x} exp(lp(t) - lp(x)) dt by
  // adaptive Gauss-Kronrod, lp the log density of y - mu, which keeps the
  // relative accuracy of tails down to exp(-2 kappa) and beyond.
  static double lcdf(double y, double mu, double kappa) {
    constexpr double pi = 3.14159265358979323846264338327950288;
    const double x = y - mu;
    if (x <= -pi) return math::negative_infinity<double>();
    if (x >= pi) return 0.0;
    const double f = cdf_series(x, kappa);
    if (f > 1e-4) return math::log(f);
    constexpr double log_two_pi = 1.83787706640934548356065947281123527;
    const double log_norm = log_two_pi + detail::log_bessel_i0_scaled(kappa);
    auto lp = [&](double t) {
      const double s = math::sin(0.5 * t);
      return -2.0 * kappa * s * s;
    };
    const double lp_x = lp(x);
    auto integrand = [&](double t) { return math::exp(lp(t) - lp_x); };
    const double integral =
        boost::math::quadrature::gauss_kronrod<double, 61>::integrate(integrand, -pi, x, 20, 1e-15);
    return lp_x - log_norm + math::log(integral);
  }
  // 1 - F(x) = F(-x) by symmetry.
  static double lccdf(double y, double mu, double kappa) {
    return lcdf(2.0 * mu - y, mu, kappa);
  }
  static double cdf(double y, double mu, double kappa) {
    constexpr double pi = 3.14159265358979323846264338327950288;
    const double x = y - mu;
    if (x <= -pi) return 0.0;
    if (x >= pi) return 1.0;
    const double f = cdf_series(x, kappa);
    return f > 1e-4 ? (f < 1.0 ? f : 1.0) : math::exp(lcdf(y, mu, kappa));
  }
#endif

  // Best & Fisher (1979), "Efficient simulation of the von Mises
  // distribution", Applied Statistics 28, 152-157: a wrapped Cauchy envelope;
  // the draw lies in [mu - pi, mu + pi].
  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double kappa) {
    constexpr double pi = 3.14159265358979323846264338327950288;
    if (!(kappa > 0)) return math::quiet_nan<double>();
    if (kappa < 1e-8) return mu + pi * (2.0 * random::uniform01(g) - 1.0);
    const double tau = 1.0 + math::sqrt(1.0 + 4.0 * kappa * kappa);
    const double rho = (tau - math::sqrt(2.0 * tau)) / (2.0 * kappa);
    const double r = (1.0 + rho * rho) / (2.0 * rho);
    for (;;) {
      const double u1 = random::uniform01(g);
      const double z = math::cos(pi * u1);
      const double f = (1.0 + r * z) / (r + z);
      const double c = kappa * (r - f);
      const double u2 = random::uniform01(g);
      if (c * (2.0 - c) - u2 > 0.0 || math::log(c / u2) + 1.0 - c >= 0.0) {
        const double u3 = random::uniform01(g);
        // acos(f) = 2 atan(sqrt((1 - f) / (1 + f))), f in [-1, 1].
        const double w = 2.0 * math::atan(math::sqrt((1.0 - f) / (1.0 + f)));
        return mu + (u3 > 0.5 ? w : -w);
      }
    }
  }
};

} // namespace statix::dist
