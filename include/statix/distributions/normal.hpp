#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/tail_functions.hpp"
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
      if constexpr (include_summand<Propto, Varying, SIGMA>) lp = lp - math::log(sigma);
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

  // The sum over a vector term in one pass (Stan's vectorised normal_lpdf):
  // with one sigma for every element, 1 / sigma and log sigma are taken once,
  // each element contributes z^2 only, and sum z^2 gives both the log density
  // and d/d sigma = (sum z^2 - n) / sigma. Bit k of Scalar marks argument k
  // (0: y, 1: mu, 2: sigma) as one value for every element. Checks: constant
  // arguments were validated when the model was built; a varying scalar
  // sigma must be positive (scalars_valid()); a non-finite y, mu or sigma,
  // or a bad per-element sigma, makes the sum non-finite, which the model
  // rejects.
  template <bool Propto, unsigned Varying, unsigned Scalar, bool Grad, class T>
  struct term_kernel {
    static constexpr unsigned Y = 1u, MU = 2u, SIGMA = 4u;
    static constexpr unsigned reciprocal_args = SIGMA; // 1 / sigma, not a division here
    static constexpr bool scalar_sigma = (Scalar & SIGMA) != 0;
    static constexpr bool with_log_sigma = include_summand<Propto, Varying, SIGMA>;

    T sigma{0.0}, inv_sigma{0.0}, log_sigma{0.0};
    T dy_sum{-0.0}, dmu_sum{-0.0}; // -0.0: adding to it is exact, and folds away
    bool valid = true;

    STATIX_HD term_kernel(const T* scalars, const T* reciprocals) {
      if constexpr (scalar_sigma) {
        sigma = scalars[2];
        if constexpr (varies<Varying, 2>) valid = detail::value(sigma) > 0.0; // NaN fails
        inv_sigma = reciprocals[2];
        if constexpr (with_log_sigma) log_sigma = math::log(sigma);
      }
    }
    STATIX_HD bool scalars_valid() const { return valid; }

    STATIX_HD T element(T* d, const T* reciprocals, const T& y, const T& mu, const T& sigma_i) {
      if constexpr (scalar_sigma) {
        const T z = (y - mu) * inv_sigma;
        push_location_partials(z * inv_sigma, d);
        return z * z;
      } else {
        const T& inv = reciprocals[2];
        const T z = (y - mu) * inv;
        push_location_partials(z * inv, d);
        if constexpr (Grad && varies<Varying, 2>) d[2] = (z * z - 1.0) * inv;
        // Minus twice the summand, like z^2 above: finish() halves the sum once.
        T c = z * z;
        if constexpr (with_log_sigma) c = c + 2.0 * math::log(sigma_i);
        return c;
      }
    }

    // The term's log density from the summed contributions; writes the
    // summed partials of the scalar arguments that vary.
    STATIX_HD T finish(const T& sum, int n, T* scalar_partials) const {
      const double count = n;
      T lp = -0.5 * sum;
      if constexpr (scalar_sigma) {
        if constexpr (with_log_sigma) lp = lp - count * log_sigma;
        if constexpr (Grad && varies<Varying, 2>) scalar_partials[2] = (sum - count) * inv_sigma;
      }
      if constexpr (include_summand<Propto, Varying, 0u>) {
        constexpr double half_log_two_pi = math::half_log_two_pi;
        lp = lp - count * half_log_two_pi;
      }
      if constexpr (Grad && varies<Varying, 0> && (Scalar & Y) != 0) scalar_partials[0] = dy_sum;
      if constexpr (Grad && varies<Varying, 1> && (Scalar & MU) != 0) scalar_partials[1] = dmu_sum;
      return lp;
    }

  private:
    STATIX_HD void push_location_partials([[maybe_unused]] const T& dmu, [[maybe_unused]] T* d) {
      if constexpr (Grad && varies<Varying, 0>) {
        if constexpr ((Scalar & Y) != 0)
          dy_sum = dy_sum - dmu;
        else
          d[0] = -dmu;
      }
      if constexpr (Grad && varies<Varying, 1>) {
        if constexpr ((Scalar & MU) != 0)
          dmu_sum = dmu_sum + dmu;
        else
          d[1] = dmu;
      }
    }
  };

  // cdf = Phi(z); lcdf and lccdf through log erfc, finite far into both tails.
  // lcdf and lccdf take any scalar (duals too): truncation differentiates them.
  static constexpr bool differentiable_cdf = true;
  static double cdf(double y, double mu, double sigma) { return math::Phi((y - mu) / sigma); }
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& mu, const S& sigma) {
    return detail::log_Phi(S((y - mu) / sigma));
  }
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& mu, const S& sigma) {
    return detail::log_Phi(S((mu - y) / sigma));
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double sigma) {
    return random::normal(g, mu, sigma);
  }
};

} // namespace statix::dist
