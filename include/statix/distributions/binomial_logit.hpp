#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Binomial with n trials and success log-odds alpha, on {0, ..., n}:
//   log p(y) = lchoose(n, y) + y log_inv_logit(alpha) + (n - y) log1m_inv_logit(alpha).
// Both logarithms and both probabilities come from the one exp(-|alpha|), so
// nothing overflows at alpha = +-800; the full value uses Loader's
// saddle-point form for 0 < y < n. alpha = +-inf gives the limits.
struct binomial_logit {
  static constexpr const char* family_name = "binomial_logit";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::int_upto_param0;
  static constexpr std::array<const char*, 2> param_names = {"n", "alpha"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::nonnegative_int,
                                                                param_domain::real};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, int n, const T& alpha, T* d) {
    constexpr unsigned ALPHA = 4u;
    if (n < 0 || y < 0 || y > n || detail::is_nan(alpha))
      return detail::reject<Varying & ALPHA, Grad>(d);
    if constexpr (!include_summand<Propto, Varying, ALPHA>) {
      return T(0.0);
    } else {
      if (n == 0) {
        if constexpr (Grad && varies<Varying, 2>) d[2] = T(0.0);
        return T(0.0);
      }
      const bool alpha_positive = detail::value(alpha) >= 0.0;
      const T e = math::exp(alpha_positive ? -alpha : alpha); // exp(-|alpha|)
      const T log1p_e = math::log1p(e);
      const T log_p = alpha_positive ? -log1p_e : alpha - log1p_e;  // log inv_logit(alpha)
      const T log_q = alpha_positive ? -alpha - log1p_e : -log1p_e; // log inv_logit(-alpha)
      const double ninf = math::negative_infinity<double>();
      if ((y > 0 && detail::value(log_p) == ninf) || (y < n && detail::value(log_q) == ninf))
        return detail::reject<Varying & ALPHA, Grad>(d);
      const double nd = n, yd = y;
      T lp(0.0);
      if (y == 0) {
        lp = nd * log_q;
      } else if (y == n) {
        lp = nd * log_p;
      } else if constexpr (include_summand<Propto, Varying, 0u>) {
        const T inv_1pe = math::inv(1.0 + e);
        const T p = alpha_positive ? inv_1pe : e * inv_1pe;
        const T q = alpha_positive ? e * inv_1pe : inv_1pe;
        const double log_n = math::log(nd);
        lp = detail::binomial_saddle_point(y, n, nd * p, nd * q, log_n + log_p, log_n + log_q);
      } else {
        lp = yd * log_p + (nd - yd) * log_q;
      }
      if constexpr (Grad && varies<Varying, 2>) {
        // y (1 - p) - (n - y) p, written so neither tail cancels.
        const T inv_1pe = math::inv(1.0 + e);
        const T p = alpha_positive ? inv_1pe : e * inv_1pe;
        const T q = alpha_positive ? e * inv_1pe : inv_1pe;
        d[2] = yd * q - (nd - yd) * p;
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static int rng(Rng& g, int n, double alpha) {
    return random::binomial(g, n, math::inv_logit(alpha));
  }
};

} // namespace statix::dist
