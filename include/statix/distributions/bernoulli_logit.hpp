#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Bernoulli with log-odds alpha on {0, 1}. With s = 2y - 1 and x = -s alpha,
//   log p(y) = -log1p_exp(x) = -(max(x, 0) + log1p(exp(-|x|))),
//   d/d alpha = s inv_logit(x),
// both from the one exp(-|x|), so nothing overflows at alpha = +-800.
// alpha = +-inf gives the limits (0 or -inf).
struct bernoulli_logit {
  static constexpr const char* family_name = "bernoulli_logit";
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::binary;
  static constexpr std::array<const char*, 1> param_names = {"alpha"};
  static constexpr std::array<param_domain, 1> param_domains = {param_domain::real};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, const T& alpha, T* d) {
    constexpr unsigned ALPHA = 2u;
    if ((y != 0 && y != 1) || detail::is_nan(alpha))
      return detail::reject<Varying & ALPHA, Grad>(d);
    if constexpr (!include_summand<Propto, Varying, ALPHA>) {
      return T(0.0);
    } else {
      const T x = y == 1 ? -alpha : alpha;
      const bool x_positive = detail::value(x) > 0.0;
      const T e = math::exp(x_positive ? -x : x); // exp(-|x|)
      const T lp = -(x_positive ? x + math::log1p(e) : math::log1p(e));
      if (!(detail::value(lp) > math::negative_infinity<double>()))
        return detail::reject<Varying & ALPHA, Grad>(d);
      if constexpr (Grad && varies<Varying, 1>) {
        const T p = (x_positive ? T(1.0) : e) / (1.0 + e); // inv_logit(x)
        d[1] = y == 1 ? p : -p;
      }
      return lp;
    }
  }

  // The sum over a vector term in one pass, branch-free: y is checked data,
  // a constant alpha was checked when the model was built, and a NaN alpha
  // makes the sum NaN, which the model rejects.
  template <bool Propto, unsigned Varying, unsigned Scalar, bool Grad, class T>
  struct term_kernel {
    static constexpr unsigned reciprocal_args = 0u;
    STATIX_HD term_kernel(const T*, const T*) {}
    STATIX_HD bool scalars_valid() const { return true; }

    T alpha_sum{-0.0}; // -0.0: adding to it is exact, and folds away

    STATIX_HD T element(T* d, const T*, int y, const T& alpha) {
      if constexpr (!include_summand<Propto, Varying, 2u>) {
        return T(0.0);
      } else {
        const T x = y == 1 ? T(-alpha) : alpha; // log p(y) = -log1p_exp(x)
        const bool x_positive = detail::value(x) > 0.0;
        const T e = math::exp(x_positive ? T(-x) : x); // exp(-|x|)
        const T lp = -((x_positive ? x : T(0.0)) + math::log1p(e));
        if constexpr (Grad && varies<Varying, 1>) {
          const T p = (x_positive ? T(1.0) : e) / (1.0 + e); // inv_logit(x)
          const T partial = y == 1 ? p : T(-p);
          if constexpr ((Scalar & 2u) != 0)
            alpha_sum = alpha_sum + partial;
          else
            d[1] = partial;
        }
        return lp;
      }
    }
    STATIX_HD T finish(const T& sum, int, T* scalar_partials) const {
      if constexpr (Grad && varies<Varying, 1> && (Scalar & 2u) != 0)
        scalar_partials[1] = alpha_sum;
      return sum;
    }
  };

  template <class Rng>
  STATIX_HD static int rng(Rng& g, double alpha) {
    return random::bernoulli(g, math::inv_logit(alpha));
  }
};

} // namespace statix::dist
