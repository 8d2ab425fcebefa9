#pragma once

// Every distribution family: log density with hand-derived partials, support
// and parameter metadata, random draws.

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

#include "statix/distributions/bernoulli.hpp"
#include "statix/distributions/bernoulli_logit.hpp"
#include "statix/distributions/binomial.hpp"
#include "statix/distributions/binomial_logit.hpp"
#include "statix/distributions/categorical_logit.hpp"
#include "statix/distributions/neg_binomial_2.hpp"
#include "statix/distributions/poisson.hpp"
#include "statix/distributions/poisson_log.hpp"
