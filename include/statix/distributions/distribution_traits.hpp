#pragma once

#include <array>

namespace statix::dist {

// Where a variate lives; selects the constraining transform of a free variable
// and the run-time check of observed data.
enum class support_kind {
  real,             // (-inf, inf)
  positive,         // (0, inf)
  nonnegative,      // [0, inf): exponential, gamma at 0 where finite
  unit_interval,    // (0, 1)
  parameter_bounds, // (param 0, param 1): uniform
  binary,           // {0, 1}
  nonnegative_int,  // {0, 1, ...}
  int_upto_param0,  // {0, ..., n} with n the first parameter: binomial
  category,         // {0, ..., K-1} with K the parameter vector's length
};

// The domain a parameter must lie in; a constant parameter outside it is
// reported at model construction, a parameter-dependent one gives -inf.
enum class param_domain {
  real,
  positive,
  nonnegative,
  unit_interval_closed, // [0, 1]: probabilities
  nonnegative_int,
  vector, // a whole real vector (categorical_logit)
};

// Bit k of `Varying` is set when argument k depends on parameters
// (k = 0: the variate, k >= 1: the distribution's parameters in order).
template <unsigned Varying, int K>
inline constexpr bool varies = ((Varying >> K) & 1u) != 0;

// A summand is kept unless `propto` is asked and none of the arguments it
// depends on varies (Stan's include_summand).
template <bool Propto, unsigned Varying, unsigned DependsOn>
inline constexpr bool include_summand = !Propto || (Varying & DependsOn) != 0;

} // namespace statix::dist
