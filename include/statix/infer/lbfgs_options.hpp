#pragma once

// Options of sx::optimize: L-BFGS with the defaults and convergence tests of
// Stan's optimize method (CmdStan guide, "Optimization"; stan/optimization/
// bfgs.hpp). Members are declared in the order of the documented
// designated-initializer form, `.seed` first, then the tolerances; new
// members go at the end.
//
//   auto opt = sx::optimize(model, sx::lbfgs{.seed = 1});
//   auto mle = sx::optimize(model, sx::lbfgs{.seed = 1, .tol_rel_grad = 1e3});

#include <statix/infer/sampler_options.hpp>

#include <Eigen/Dense>

#include <atomic>
#include <cstdint>

namespace statix {

struct lbfgs {
  std::uint64_t seed = 1;    // random inits: uniform(-init_radius, init_radius), unconstrained
  double init_alpha = 0.001; // first line-search step (and after a reset of the history)
  double tol_obj = 1e-12;    // |f_k - f_{k-1}| < tol_obj
  double tol_rel_obj = 1e4;  // |f_k - f_{k-1}| / max(|f_{k-1}|, |f_k|, 1) < tol_rel_obj * epsilon
  double tol_grad = 1e-8;    // ||g_k|| < tol_grad
  double tol_rel_grad = 1e7; // g_k' H_k g_k / max(|f_k|, 1) < tol_rel_grad * epsilon
  double tol_param = 1e-8;   // ||x_k - x_{k-1}|| < tol_param
  int history_size = 5;      // pairs (s, y) kept for the inverse Hessian approximation
  int iter = 2000;           // most iterations
  // false (Stan's default): the mode of the density without the Jacobians of
  // the constraining transforms, i.e. the penalised MLE / MAP on the
  // constrained scale; true: the mode of the density of the unconstrained
  // parameters (Jacobian included), the centre sx::laplace wants.
  bool jacobian = false;
  double init_radius = 2.0;           // as sx::nuts
  named_values inits = {};            // by name on the constrained scale, as sx::nuts
  Eigen::VectorXd init_position = {}; // unconstrained start; overrides `inits` when given
  int max_init_tries = 100;
  const std::atomic<bool>* stop = nullptr; // raised by the caller: ends after the current iteration
};

} // namespace statix
