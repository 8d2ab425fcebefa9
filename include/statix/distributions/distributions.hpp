#pragma once

// Every distribution family: log density with hand-derived partials, support
// and parameter metadata, random draws. Each family is a struct in
// statix::dist with
//
//   family_name, num_params, is_discrete, support, param_names, param_domains;
//
//   template <bool Propto, unsigned Varying, bool Grad, class T>
//   STATIX_HD static T lpdf(y, params..., T* d);
//
// T is double or a math::dual; the variate of a discrete family and
// binomial's n are int. Bit k of Varying says that argument k (0 = y, then the
// parameters in order) depends on parameters. The value includes every
// normalising constant unless Propto, which drops the summands that depend on
// no varying argument. With Grad, d[k] = d lpdf / d arg k is written for every
// varying real argument k and no other slot. Invalid parameters or y outside
// the support give -inf with the requested partials 0, never an exception;
// at the edge of the support the value is the limit of the density, and
// partials are 0 wherever the value is infinite. categorical_logit takes
// (int y, const T* beta, int K, T* d_beta). rng(g, params...) draws one variate
// from a statix::random generator (double, or int for discrete families);
// parameters must be valid (the generators return NaN or -1 otherwise).
// Families with a cdf (normal and the ones below from skew_normal on) have
// static cdf(y, params...), lcdf and lccdf in double, on the host.

#include "statix/distributions/distribution_traits.hpp"

#include "statix/distributions/beta.hpp"
#include "statix/distributions/cauchy.hpp"
#include "statix/distributions/exponential.hpp"
#include "statix/distributions/gamma.hpp"
#include "statix/distributions/half_cauchy.hpp"
#include "statix/distributions/half_normal.hpp"
#include "statix/distributions/half_student_t.hpp"
#include "statix/distributions/inv_gamma.hpp"
#include "statix/distributions/laplace.hpp"
#include "statix/distributions/logistic.hpp"
#include "statix/distributions/lognormal.hpp"
#include "statix/distributions/normal.hpp"
#include "statix/distributions/student_t.hpp"
#include "statix/distributions/uniform.hpp"
#include "statix/distributions/weibull.hpp"

#include "statix/distributions/chi_square.hpp"
#include "statix/distributions/exp_mod_normal.hpp"
#include "statix/distributions/frechet.hpp"
#include "statix/distributions/gumbel.hpp"
#include "statix/distributions/inv_chi_square.hpp"
#include "statix/distributions/pareto.hpp"
#include "statix/distributions/pareto_type_2.hpp"
#include "statix/distributions/rayleigh.hpp"
#include "statix/distributions/scaled_inv_chi_square.hpp"
#include "statix/distributions/skew_normal.hpp"
#include "statix/distributions/von_mises.hpp"

#include "statix/distributions/bernoulli.hpp"
#include "statix/distributions/bernoulli_logit.hpp"
#include "statix/distributions/binomial.hpp"
#include "statix/distributions/binomial_logit.hpp"
#include "statix/distributions/categorical_logit.hpp"
#include "statix/distributions/neg_binomial_2.hpp"
#include "statix/distributions/poisson.hpp"
#include "statix/distributions/poisson_log.hpp"

#include "statix/distributions/beta_binomial.hpp"
#include "statix/distributions/discrete_range.hpp"
#include "statix/distributions/hypergeometric.hpp"
#include "statix/distributions/neg_binomial.hpp"
#include "statix/distributions/neg_binomial_2_log.hpp"
