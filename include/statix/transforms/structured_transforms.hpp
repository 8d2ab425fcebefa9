#pragma once

// The constraining transforms of structured parameters: each maps a block of
// free values to a vector or a column-major K x K matrix, with log|J|, its
// adjoint and the inverse (free).
#include "statix/transforms/cholesky_corr.hpp"
#include "statix/transforms/cholesky_cov.hpp"
#include "statix/transforms/corr_matrix.hpp"
#include "statix/transforms/cov_matrix.hpp"
#include "statix/transforms/ordered.hpp"
#include "statix/transforms/positive_ordered.hpp"
#include "statix/transforms/simplex.hpp"
