#pragma once

// MAP / penalised maximum likelihood by L-BFGS, as Stan's optimize method:
//
//   auto opt = sx::optimize(model, sx::lbfgs{.seed = 1});
//   double mu = opt.values<"mu">();   // constrained scale
//   opt.log_density(); opt.converged(); opt.reason(); opt.iterations();
//
// The algorithm is Stan's BFGSMinimizer with its LBFGSUpdate
// (stan/optimization/bfgs.hpp, lbfgs_update.hpp), reimplemented here: the
// first iteration (and any retry after a failed line search) steps along the
// gradient from init_alpha; later iterations take the L-BFGS direction and a
// first step from a cubic through the previous line search; a failed line
// search along the L-BFGS direction forgets the history and retries along the
// gradient, and a failure there ends the run. After each iteration Stan's
// tests run in Stan's order: tol_obj, tol_grad, tol_param, iter, tol_rel_obj,
// tol_rel_grad (CmdStan guide, "Optimization"; the relative tests are scaled
// by machine epsilon, so the defaults 1e4 and 1e7 are about 2e-12 and 2e-9).
// The objective is the log density with every constant (propto = false),
// with the Jacobian when `.jacobian = true`; the relative tests divide by
// max(|log density|, 1), so they differ slightly from CmdStan's, which drops
// constants.
//
// Why not Debian's liblbfgspp-dev (LBFGS++ 0.1.0, header-only on Eigen): its
// stopping rules are a gradient norm relative to max(1, ||x||) and a relative
// decrease of f over a window of iterations; Stan's five tests (absolute and
// relative objective change, absolute gradient, the relative gradient
// g'H g / max(|f|, 1) that needs the quasi-Newton direction, absolute
// parameter change) cannot be expressed through its parameters (nor Stan's
// first step from a cubic through the previous line search, nor its retry
// along the gradient), and its line searches throw std::runtime_error when
// they find no acceptable step, where Stan retries along the gradient and
// then reports a line-search failure at the best point reached. The
// algorithm is short, so it lives here with no new dependency.

#include <statix/base/density_options.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/initial_point.hpp>
#include <statix/infer/lbfgs_history.hpp>
#include <statix/infer/lbfgs_options.hpp>
#include <statix/infer/optimization_result.hpp>
#include <statix/infer/wolfe_line_search.hpp>
#include <statix/math/philox.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace statix {

namespace detail {

inline void validate_options(const lbfgs& o) {
  const auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("statix: sx::lbfgs: ") + what);
  };
  require(o.init_alpha > 0 && std::isfinite(o.init_alpha), "init_alpha must be positive");
  require(o.tol_obj >= 0 && o.tol_rel_obj >= 0 && o.tol_grad >= 0 && o.tol_rel_grad >= 0 &&
              o.tol_param >= 0,
          "tolerances must not be negative");
  require(o.history_size >= 1, "history_size must be at least 1");
  require(o.iter >= 1, "iter must be at least 1");
  require(o.init_radius >= 0, "init_radius must not be negative");
  require(o.max_init_tries >= 1, "max_init_tries must be at least 1");
}

// find_initial_point speaks of chains; here there is one optimisation.
inline std::string for_optimize(const char* message) {
  std::string text(message);
  const std::string chain = "chain 1: ";
  if (const auto at = text.find(chain); at != std::string::npos)
    text.replace(at, chain.size(), "optimize: ");
  return text;
}

} // namespace detail

template <class Model>
optimization_result<Model> optimize(const Model& model, const lbfgs& options = {}) {
  detail::validate_options(options);
  const auto start = std::chrono::steady_clock::now();
  const int d = model.dim();
  const density_options density{.jacobian = options.jacobian, .propto = false};

  // L-BFGS minimises f = -log density. A point where f or its gradient is not
  // finite is reported as a failed evaluation: the line search backs off.
  long long evaluations = 0;
  const auto evaluate = [&](const Eigen::VectorXd& x, double& f, Eigen::VectorXd& g) {
    ++evaluations;
    f = -model.log_density_gradient(x, g, density);
    g = -g;
    return std::isfinite(f) && g.allFinite();
  };

  // Where to start: as a NUTS chain does (the given unconstrained point, else
  // the inits by name, the rest uniform(-init_radius, init_radius)).
  Eigen::VectorXd x(d), g(d);
  {
    random::philox rng(options.seed, 0);
    hamiltonian_system<Model> system(model, metric::unit);
    phase_point z(d);
    initial_point_request request;
    request.position = options.init_position.size() > 0 ? &options.init_position : nullptr;
    request.inits = &options.inits;
    request.radius = options.init_radius;
    request.max_tries = options.max_init_tries;
    try {
      find_initial_point(system, request, z, rng);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(detail::for_optimize(e.what()));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(detail::for_optimize(e.what()));
    }
    x = z.q;
  }
  double f = 0;
  if (!evaluate(x, f, g))
    throw std::runtime_error("statix: optimize: the log density or its gradient is not finite at "
                             "the initial point");

  const auto finish = [&](optimization_status status, int iterations) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return optimization_result<Model>(model, options, x, -f, Eigen::VectorXd(-g), status,
                                      iterations, evaluations, seconds);
  };
  if (d == 0) return finish(optimization_status::absolute_gradient, 0);

  constexpr double epsilon = std::numeric_limits<double>::epsilon();
  const line_search_settings settings{};
  lbfgs_history history(options.history_size);
  Eigen::VectorXd p = -g, x_next(d), g_next(d), s(d), y(d);
  // The previous iteration: f, gradient, direction and step there, from
  // which the first trial step of the next line search is interpolated.
  double f_previous = f, step_previous = 0;
  Eigen::VectorXd g_previous(d), p_previous(d);

  for (int iteration = 1;; ++iteration) {
    if (options.stop && options.stop->load(std::memory_order_relaxed))
      return finish(optimization_status::stopped, iteration - 1);

    bool along_gradient = iteration == 1;
    bool retry = false;
    double step = 0, f_next = 0;
    while (true) {
      if (along_gradient) p = -g;
      if (iteration > 1 && !retry) {
        step = std::min(1.0, 1.01 * cubic_minimizer(g_previous.dot(p_previous), step_previous,
                                                    f - f_previous, g.dot(p_previous),
                                                    settings.min_step, 1.0));
        if (!(step > 0) || !std::isfinite(step)) step = options.init_alpha;
      } else {
        step = options.init_alpha;
      }
      if (wolfe_line_search(evaluate, x, f, g, p, step, x_next, f_next, g_next, settings)) break;
      if (along_gradient) return finish(optimization_status::line_search_failed, iteration);
      along_gradient = true; // forget the curvature pairs and go along the gradient
      retry = true;
    }

    s = x_next - x;
    y = g_next - g;
    f_previous = f;
    g_previous = g;
    p_previous = p;
    x.swap(x_next);
    g.swap(g_next);
    f = f_next;
    if (along_gradient) {
      // A fresh history: Stan rescales the last direction and step by the
      // initial Hessian's scale so the next interpolation sees the same line.
      const double scale = history.update(y, s, true);
      p_previous /= scale;
      step_previous = step * scale;
    } else {
      history.update(y, s);
      step_previous = step;
    }
    history.search_direction(p, g);

    const double change = std::fabs(f_previous - f);
    if (change < options.tol_obj) return finish(optimization_status::absolute_objective, iteration);
    if (g.norm() < options.tol_grad)
      return finish(optimization_status::absolute_gradient, iteration);
    if (s.norm() < options.tol_param)
      return finish(optimization_status::absolute_parameter, iteration);
    if (iteration >= options.iter) return finish(optimization_status::max_iterations, iteration);
    if (change / std::max({std::fabs(f_previous), std::fabs(f), 1.0}) <
        options.tol_rel_obj * epsilon)
      return finish(optimization_status::relative_objective, iteration);
    if (-p.dot(g) / std::max(std::fabs(f), 1.0) < options.tol_rel_grad * epsilon)
      return finish(optimization_status::relative_gradient, iteration);
  }
}

} // namespace statix
