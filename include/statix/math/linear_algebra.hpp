#pragma once

// The matrix kernels in one include: values and reverse-mode adjoints on
// column-major raw arrays, for double and dual<double, N> scalars. Pulls in
// <Eigen/Core> and <Eigen/Cholesky>.
#include "statix/math/linear_algebra/add_diag.hpp"
#include "statix/math/linear_algebra/cholesky_decompose.hpp"
#include "statix/math/linear_algebra/cumulative_sum.hpp"
#include "statix/math/linear_algebra/diag_post_multiply.hpp"
#include "statix/math/linear_algebra/diag_pre_multiply.hpp"
#include "statix/math/linear_algebra/dot_self.hpp"
#include "statix/math/linear_algebra/gp_exp_quad_cov.hpp"
#include "statix/math/linear_algebra/log_softmax.hpp"
#include "statix/math/linear_algebra/log_sum_exp.hpp"
#include "statix/math/linear_algebra/mdivide_left_tri_low.hpp"
#include "statix/math/linear_algebra/multiply_lower_tri_self_transpose.hpp"
#include "statix/math/linear_algebra/quad_form.hpp"
#include "statix/math/linear_algebra/softmax.hpp"
