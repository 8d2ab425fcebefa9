#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Categorical over {0, ..., K-1} (0-based) with unnormalised log probabilities beta:
//   log p(y) = beta[y] - log_sum_exp(beta),  d/d beta[k] = [k == y] - softmax(beta)[k].
// Shifted by max(beta) so nothing overflows; 1 - softmax[y] is summed from the
// other categories rather than subtracted from 1.
struct categorical_logit {
  static constexpr const char* family_name = "categorical_logit";
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::category;
  static constexpr std::array<const char*, 1> param_names = {"beta"};
  static constexpr std::array<param_domain, 1> param_domains = {param_domain::vector};

  // d_beta has K slots, written when Grad and beta varies (bit 1 of Varying).
  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(int y, const T* beta, int K, T* d_beta) {
    constexpr bool grad = Grad && varies<Varying, 1>;
    bool valid = K >= 1 && y >= 0 && y < K;
    int k_max = 0;
    for (int k = 0; valid && k < K; ++k) {
      if (!detail::is_finite(beta[k]))
        valid = false;
      else if (detail::value(beta[k]) > detail::value(beta[k_max]))
        k_max = k;
    }
    if (!valid) {
      if constexpr (grad) {
        for (int k = 0; k < K; ++k)
          d_beta[k] = T(0.0);
      }
      return math::negative_infinity<T>();
    }
    if constexpr (!include_summand<Propto, Varying, 2u>) {
      return T(0.0);
    } else {
      const T& beta_max = beta[k_max];
      // sum over k != y of exp(beta[k] - max); the y term is added apart.
      T sum_others(0.0);
      for (int k = 0; k < K; ++k) {
        if (k == y) continue;
        const T e = math::exp(beta[k] - beta_max);
        sum_others = sum_others + e;
        if constexpr (grad) d_beta[k] = e;
      }
      const T e_y = math::exp(beta[y] - beta_max);
      const T sum = sum_others + e_y;
      // When y is the largest, e_y = 1 and log(sum) = log1p(sum_others) exactly.
      const T lp = y == k_max ? -math::log1p(sum_others) : beta[y] - beta_max - math::log(sum);
      if constexpr (grad) {
        const T inv_sum = math::inv(sum);
        for (int k = 0; k < K; ++k) {
          if (k != y) d_beta[k] = -d_beta[k] * inv_sum;
        }
        d_beta[y] = sum_others * inv_sum;
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static int rng(Rng& g, const double* beta, int K) {
    return random::categorical_logit(g, beta, K);
  }
};

} // namespace statix::dist
