#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Binomial with n trials and success probability theta, on {0, ..., n}:
//   log p(y) = lchoose(n, y) + y log theta + (n - y) log1m(theta),
// the full value in Loader's saddle-point form for 0 < y < n (accurate for
// large n), 0 log 0 = 0 at theta = 0 or 1.
struct binomial {
  static constexpr const char* family_name = "binomial";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::int_upto_param0;
  static constexpr std::array<const char*, 2> param_names = {"n", "theta"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::nonnegative_int,
                                                                param_domain::unit_interval_closed};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, int n, const T& theta, T* d) {
    constexpr unsigned THETA = 4u;
    if (n < 0 || y < 0 || y > n || !detail::is_probability(theta))
      return detail::reject<Varying & THETA, Grad>(d);
    if constexpr (!include_summand<Propto, Varying, THETA>) {
      return T(0.0);
    } else {
      const double theta_value = detail::value(theta);
      if ((y > 0 && theta_value == 0.0) || (y < n && theta_value == 1.0))
        return detail::reject<Varying & THETA, Grad>(d);
      const double nd = n, yd = y;
      T lp(0.0);
      if (n == 0) {
        // the only outcome, probability 1
      } else if (y == 0) {
        lp = nd * math::log1m(theta);
      } else if (y == n) {
        lp = nd * math::log(theta);
      } else if constexpr (include_summand<Propto, Varying, 0u>) {
        const T one_m_theta = 1.0 - theta;
        const double log_n = math::log(nd);
        lp = detail::binomial_saddle_point(y, n, nd * theta, nd * one_m_theta,
                                           log_n + math::log(theta), log_n + math::log1m(theta));
      } else {
        lp = yd * math::log(theta) + (nd - yd) * math::log1m(theta);
      }
      if constexpr (Grad && varies<Varying, 2>) {
        if (n == 0)
          d[2] = T(0.0);
        else if (y == 0)
          d[2] = -nd / (1.0 - theta);
        else if (y == n)
          d[2] = nd / theta;
        else
          d[2] = yd / theta - (nd - yd) / (1.0 - theta);
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static int rng(Rng& g, int n, double theta) {
    return random::binomial(g, n, theta);
  }
};

} // namespace statix::dist
