#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Normal(mu, sigma), sigma the standard deviation:
//   log p(y) = -log(2 pi)/2 - log sigma - z^2/2,  z = (y - mu) / sigma.
struct normal {
  static constexpr const char* family_name = "normal";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::real;
  static constexpr std::array<const char*, 2> param_names = {"mu", "sigma"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::real,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& mu, const T& sigma, T* d) {
    constexpr unsigned Y = 1u, MU = 2u, SIGMA = 4u;
    // log sigma first, unconditionally: when sigma is the same for every
    // element of a vector term the compiler hoists it out of the loop (a NaN
    // for a bad sigma is discarded by the check below).
    [[maybe_unused]] T log_sigma(0.0);
    if constexpr (include_summand<Propto, Varying, SIGMA>)
      log_sigma = math::log(sigma);
    if (!detail::is_finite(y) || !detail::is_finite(mu) || !detail::is_positive_finite(sigma))
      return detail::reject<(Varying & (Y | MU | SIGMA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | MU | SIGMA>) {
      return T(0.0);
    } else {
      const T inv_sigma = math::inv(sigma);
      const T z = (y - mu) * inv_sigma;
      T lp = -0.5 * z * z;
      if constexpr (include_summand<Propto, Varying, 0u>) {
        // A local copy: a dual operator takes the constant by reference, and device
        // code cannot refer to a namespace-scope host variable.
        constexpr double half_log_two_pi = math::half_log_two_pi;
        lp = lp - half_log_two_pi;
      }
      if constexpr (include_summand<Propto, Varying, SIGMA>) lp = lp - log_sigma;
      if constexpr (Grad) {
        if constexpr (varies<Varying, 0> || varies<Varying, 1>) {
          const T dmu = z * inv_sigma;
          if constexpr (varies<Varying, 0>) d[0] = -dmu;
          if constexpr (varies<Varying, 1>) d[1] = dmu;
        }
        if constexpr (varies<Varying, 2>) d[2] = (z * z - 1.0) * inv_sigma;
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double sigma) {
    return random::normal(g, mu, sigma);
  }
};

} // namespace statix::dist
