#pragma once

#include "statix/core/declarations.hpp"
#include "statix/core/truncation.hpp"
#include "statix/core/unnamed_distribution.hpp"
#include "statix/distributions/distributions.hpp"

namespace statix {

// The user-facing declarations: `sx::normal<"mu">(0.0, 5.0)`,
// `sx::normal<"theta">(mu, tau, sx::size(8))`, `sx::poisson<"y">(rate).observe(counts)`.
// Without a name, `sx::normal(m, s)` is an unnamed distribution (a mixture
// component, the family of sx::lpdf).
#define STATIX_FAMILY(family)                                                                      \
  template <fixed_string Name, class... Args>                                                      \
  auto family(const Args&... args) {                                                               \
    return make_random_variable<Name, dist::family>(args...);                                      \
  }                                                                                                \
  template <class... Args>                                                                         \
  requires(sizeof...(Args) > 0 && (detail::unnamed_distribution_arg<Args> && ...))                \
  auto family(const Args&... args) {                                                               \
    return make_unnamed_distribution<dist::family>(args...);                                       \
  }

STATIX_FAMILY(normal)
STATIX_FAMILY(student_t)
STATIX_FAMILY(cauchy)
STATIX_FAMILY(half_normal)
STATIX_FAMILY(half_cauchy)
STATIX_FAMILY(half_student_t)
STATIX_FAMILY(exponential)
STATIX_FAMILY(gamma)
STATIX_FAMILY(inv_gamma)
STATIX_FAMILY(lognormal)
STATIX_FAMILY(beta)
STATIX_FAMILY(uniform)
STATIX_FAMILY(logistic)
STATIX_FAMILY(laplace)
STATIX_FAMILY(weibull)
STATIX_FAMILY(skew_normal)
STATIX_FAMILY(exp_mod_normal)
STATIX_FAMILY(gumbel)
STATIX_FAMILY(frechet)
STATIX_FAMILY(pareto)
STATIX_FAMILY(pareto_type_2)
STATIX_FAMILY(rayleigh)
STATIX_FAMILY(chi_square)
STATIX_FAMILY(inv_chi_square)
STATIX_FAMILY(scaled_inv_chi_square)
STATIX_FAMILY(von_mises)
STATIX_FAMILY(bernoulli)
STATIX_FAMILY(bernoulli_logit)
STATIX_FAMILY(binomial)
STATIX_FAMILY(binomial_logit)
STATIX_FAMILY(poisson)
STATIX_FAMILY(poisson_log)
STATIX_FAMILY(neg_binomial_2)
STATIX_FAMILY(beta_binomial)
STATIX_FAMILY(neg_binomial)
STATIX_FAMILY(neg_binomial_2_log)
STATIX_FAMILY(discrete_range)
STATIX_FAMILY(hypergeometric)
STATIX_FAMILY(categorical_logit)

#undef STATIX_FAMILY

#define STATIX_MULTIVARIATE_FAMILY(family)                                                         \
  template <fixed_string Name, class... Args>                                                      \
  auto family(const Args&... args) {                                                               \
    return make_multivariate<Name, families::family>(args...);                                     \
  }

STATIX_MULTIVARIATE_FAMILY(multi_normal)
STATIX_MULTIVARIATE_FAMILY(multi_normal_cholesky)
STATIX_MULTIVARIATE_FAMILY(multi_student_t)
STATIX_MULTIVARIATE_FAMILY(dirichlet)
STATIX_MULTIVARIATE_FAMILY(lkj_corr_cholesky)
STATIX_MULTIVARIATE_FAMILY(lkj_corr)
STATIX_MULTIVARIATE_FAMILY(wishart)
STATIX_MULTIVARIATE_FAMILY(inv_wishart)
STATIX_MULTIVARIATE_FAMILY(categorical)
STATIX_MULTIVARIATE_FAMILY(multinomial)
STATIX_MULTIVARIATE_FAMILY(ordered_logistic)

#undef STATIX_MULTIVARIATE_FAMILY

} // namespace statix
