#pragma once

// The multivariate families: log densities with hand-derived gradients and
// random draws (free functions in statix::dist).
#include "statix/distributions/multivariate/categorical.hpp"
#include "statix/distributions/multivariate/dirichlet.hpp"
#include "statix/distributions/multivariate/inv_wishart.hpp"
#include "statix/distributions/multivariate/lkj_corr.hpp"
#include "statix/distributions/multivariate/lkj_corr_cholesky.hpp"
#include "statix/distributions/multivariate/multi_normal.hpp"
#include "statix/distributions/multivariate/multi_normal_cholesky.hpp"
#include "statix/distributions/multivariate/multi_student_t.hpp"
#include "statix/distributions/multivariate/multinomial.hpp"
#include "statix/distributions/multivariate/ordered_logistic.hpp"
#include "statix/distributions/multivariate/wishart.hpp"
