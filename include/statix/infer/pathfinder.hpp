#pragma once

// Pathfinder (Zhang, Carpenter, Gelman & Vehtari 2022, "Pathfinder: parallel
// quasi-Newton variational inference", JMLR 23(306)), single- and multi-path,
// as Stan's pathfinder method (stan/services/pathfinder/single.hpp,
// multi.hpp), reimplemented here:
//
//   auto pf = sx::pathfinder(model, {.paths = 4, .draws = 1000, .seed = 1});
//   Eigen::VectorXd mu = pf.draws<"mu">();
//   pf.pareto_k();               // of the importance ratios; < pf.pareto_k_threshold(): reliable
//   std::cout << pf.summary();
//   pf.write_csv("out/pathfinder.csv");
//
// Each path runs L-BFGS on f = -log p (the log density with the Jacobian,
// every constant kept) from a uniform(-init_radius, init_radius) point on the
// unconstrained scale, with Stan's line search and convergence tests
// (infer/optimize.hpp's pieces, Stan's pathfinder defaults). At every
// iteration the L-BFGS history (the last history_size pairs with positive
// curvature; the paper's J, 6 by default as in the paper, where CmdStan's
// default is 5) gives a normal approximation N(x - H g, H) (see
// pathfinder_approximation.hpp), whose ELBO E_q[log p - log q] is estimated
// from num_elbo_draws draws; the path keeps the approximation with the
// largest ELBO and draws from it (the ELBO draws first, as Stan).
//
// Multi-path (paths > 1): each path gives draws_per_path draws; the pooled
// draws are resampled with replacement, `draws` times, by their Pareto
// smoothed importance weights (diagnostics/psis.hpp; Vehtari et al. 2024)
// with log ratios log p - log q. The Pareto k of the pooled ratios is
// reported: above pareto_k_threshold() (min(1 - 1/log10 S, 0.7)) the
// approximation is poor and the resampled draws unreliable (k is +infinity,
// as loo reports it, when the ratios are all equal: an exact approximation). With paths = 1
// the path's `draws` draws are returned as they are (Stan's single-path
// Pathfinder) and k is a diagnostic only; `.psis_resample = false` returns
// every pooled draw without resampling.
//
// Columns, as CmdStan's pathfinder CSV: lp_approx__ (log q at the draw, the
// path's approximation), lp__ (log p), then the model's quantities. Both keep
// every normalising constant. Each path draws from its own Philox stream
// (seed, path + 1), the resampling from (seed, 0): the same seed gives the
// same draws.

#include <statix/base/density_options.hpp>
#include <statix/base/named_values.hpp>
#include <statix/diagnostics/psis.hpp>
#include <statix/infer/approximate_draws.hpp>
#include <statix/infer/approximation_start.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/lbfgs_history.hpp>
#include <statix/infer/optimization_result.hpp>
#include <statix/infer/pathfinder_approximation.hpp>
#include <statix/infer/wolfe_line_search.hpp>
#include <statix/io/cmdstan_csv.hpp>
#include <statix/math/philox.hpp>
#include <statix/math/random.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace statix {

// Members in the order of the documented form {.paths, .draws, .seed}; new
// ones after. Defaults: Stan's pathfinder method, except history_size (the
// paper's 6).
struct pathfinder_options {
  int paths = 4;    // CmdStan num_paths
  int draws = 1000; // draws returned (num_psis_draws; single path: num_draws)
  std::uint64_t seed = 1;
  int draws_per_path = 1000; // multi-path: draws from each path before resampling (num_draws)
  int num_elbo_draws = 25;   // draws per ELBO estimate (the paper's K)
  int history_size = 6;      // L-BFGS pairs kept (the paper's J)
  int iter = 1000;           // most L-BFGS iterations per path (max_lbfgs_iters)
  double init_alpha = 0.001;
  double tol_obj = 1e-12;
  double tol_rel_obj = 1e4; // times machine epsilon, as sx::lbfgs
  double tol_grad = 1e-8;
  double tol_rel_grad = 1e7; // times machine epsilon
  double tol_param = 1e-8;
  bool psis_resample = true;
  double init_radius = 2.0;
  named_values inits = {};            // by name, constrained scale: every path starts there
  Eigen::VectorXd init_position = {}; // unconstrained start of every path; overrides `inits`
  int max_init_tries = 100;
};

// How one path went.
struct pathfinder_path {
  bool succeeded = false;
  std::string message; // why it failed, or how L-BFGS stopped
  // The best normal approximation of the path, unconstrained scale: its
  // mean, its factors (approximation.draw(u, x), .log_density(u)), and its
  // covariance and variances (the covariance is N x N: formed on request).
  Eigen::VectorXd mean;
  pathfinder_normal approximation;
  Eigen::MatrixXd covariance() const { return approximation.covariance(); }
  Eigen::VectorXd variances() const { return approximation.variances(); }
  double elbo = -std::numeric_limits<double>::infinity();
  int best_iteration = -1; // the L-BFGS iteration it was formed at
  int iterations = 0;      // L-BFGS iterations run
  optimization_status status = optimization_status::max_iterations;
  Eigen::VectorXd last_point;            // where L-BFGS stopped
  long long log_density_evaluations = 0; // L-BFGS, ELBO estimates and draws
};

namespace detail {

inline void validate_options(const pathfinder_options& o) {
  const auto require = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("statix: sx::pathfinder: " + what);
  };
  require(o.paths >= 1, "paths must be at least 1, got " + std::to_string(o.paths));
  require(o.draws >= 1, "draws must be at least 1, got " + std::to_string(o.draws));
  require(o.draws_per_path >= 1,
          "draws_per_path must be at least 1, got " + std::to_string(o.draws_per_path));
  require(o.num_elbo_draws >= 1,
          "num_elbo_draws must be at least 1, got " + std::to_string(o.num_elbo_draws));
  require(o.history_size >= 1,
          "history_size must be at least 1, got " + std::to_string(o.history_size));
  require(o.iter >= 1, "iter must be at least 1, got " + std::to_string(o.iter));
  require(o.init_alpha > 0 && std::isfinite(o.init_alpha), "init_alpha must be positive");
  require(o.tol_obj >= 0 && o.tol_rel_obj >= 0 && o.tol_grad >= 0 && o.tol_rel_grad >= 0 &&
              o.tol_param >= 0,
          "tolerances (tol_obj, tol_rel_obj, tol_grad, tol_rel_grad, tol_param) must not be "
          "negative");
  require(o.init_radius >= 0, "init_radius must not be negative");
  require(o.max_init_tries >= 1, "max_init_tries must be at least 1");
}

// Draws of one path: unconstrained (rows), log p and log q at each.
struct pathfinder_path_draws {
  Eigen::MatrixXd x;
  Eigen::VectorXd log_p, log_q;
};

template <class Model>
class pathfinder_single_path {
public:
  static constexpr density_options density{.jacobian = true, .propto = false};

  pathfinder_single_path(const Model& model, const pathfinder_options& options, int path)
      : model_(model), options_(options), rng_(options.seed, static_cast<std::uint64_t>(path) + 1),
        d_(model.dim()), u_(d_), draw_(d_) {}

  // Runs L-BFGS with the approximations; then `num_draws` draws from the best.
  pathfinder_path run(int num_draws, pathfinder_path_draws& out) {
    pathfinder_path info;
    const Eigen::VectorXd start = find_approximation_start(model_,
                                                           {.position = &options_.init_position,
                                                            .inits = &options_.inits,
                                                            .radius = options_.init_radius,
                                                            .max_tries = options_.max_init_tries},
                                                           rng_, "pathfinder");
    lbfgs(start, info);
    info.log_density_evaluations = evaluations_;
    if (!best_) {
      info.message = "no L-BFGS iteration gave a normal approximation with a finite ELBO (" +
                     std::string(status_message(info.status)) + ")";
      return info;
    }
    info.succeeded = true;
    info.message = std::string(status_message(info.status));
    info.mean = best_->center;
    info.approximation = *best_;
    info.elbo = best_elbo_;
    info.best_iteration = best_iteration_;

    // The ELBO draws first, then new ones.
    out.x.resize(num_draws, d_);
    out.log_p.resize(num_draws);
    out.log_q.resize(num_draws);
    const int reused = std::min<int>(num_draws, static_cast<int>(best_draws_.x.rows()));
    out.x.topRows(reused) = best_draws_.x.topRows(reused);
    out.log_p.head(reused) = best_draws_.log_p.head(reused);
    out.log_q.head(reused) = best_draws_.log_q.head(reused);
    for (int k = reused; k < num_draws; ++k) {
      double lp = 0, lq = 0;
      draw_from(*best_, lp, lq);
      out.x.row(k) = draw_.transpose();
      out.log_p[k] = lp;
      out.log_q[k] = lq;
    }
    info.log_density_evaluations = evaluations_;
    return info;
  }

private:
  void draw_from(const pathfinder_normal& approx, double& lp, double& lq) {
    fill_std_normal(u_, rng_);
    approx.draw(u_, draw_);
    lq = approx.log_density(u_);
    ++evaluations_;
    lp = model_.log_density(draw_, density);
    if (std::isnan(lp)) lp = -std::numeric_limits<double>::infinity();
  }

  // The approximation at iterate (x, g) from the accepted pairs; kept if its
  // ELBO is the best so far.
  void consider(const Eigen::VectorXd& x, const Eigen::VectorXd& g, int iteration) {
    const auto m = static_cast<Eigen::Index>(pairs_s_.size());
    if (m == 0) return;
    Eigen::MatrixXd s(d_, m), y(d_, m);
    for (Eigen::Index j = 0; j < m; ++j) {
      s.col(j) = pairs_s_[static_cast<std::size_t>(j)];
      y.col(j) = pairs_y_[static_cast<std::size_t>(j)];
    }
    std::optional<pathfinder_normal> approx = pathfinder_approximation(x, g, s, y, alpha_);
    if (!approx) return;
    const int k = options_.num_elbo_draws;
    pathfinder_path_draws draws{Eigen::MatrixXd(k, d_), Eigen::VectorXd(k), Eigen::VectorXd(k)};
    double sum = 0;
    for (int i = 0; i < k; ++i) {
      double lp = 0, lq = 0;
      draw_from(*approx, lp, lq);
      draws.x.row(i) = draw_.transpose();
      draws.log_p[i] = lp;
      draws.log_q[i] = lq;
      sum += lp - lq;
    }
    const double elbo = sum / k;
    if (!std::isnan(elbo) && elbo > best_elbo_) {
      best_elbo_ = elbo;
      best_ = std::move(approx);
      best_draws_ = std::move(draws);
      best_iteration_ = iteration;
    }
  }

  // L-BFGS as sx::optimize runs it (see optimize.hpp), minimising f = -log p.
  void lbfgs(const Eigen::VectorXd& start, pathfinder_path& info) {
    const auto evaluate = [&](const Eigen::VectorXd& x, double& f, Eigen::VectorXd& g) {
      ++evaluations_;
      f = -model_.log_density_gradient(x, g, density);
      g = -g;
      return std::isfinite(f) && g.allFinite();
    };
    Eigen::VectorXd x = start, g(d_);
    double f = 0;
    const auto finish = [&](optimization_status status, int iterations) {
      info.status = status;
      info.iterations = iterations;
      info.last_point = x;
    };
    if (!evaluate(x, f, g)) {
      finish(optimization_status::line_search_failed, 0);
      return;
    }
    alpha_ = Eigen::VectorXd::Ones(d_);
    constexpr double epsilon = std::numeric_limits<double>::epsilon();
    const line_search_settings settings{};
    lbfgs_history history(options_.history_size);
    Eigen::VectorXd p = -g, x_next(d_), g_next(d_), s(d_), y(d_);
    double f_previous = f, step_previous = 0;
    Eigen::VectorXd g_previous(d_), p_previous(d_);
    for (int iteration = 1;; ++iteration) {
      bool along_gradient = iteration == 1;
      bool retry = false;
      double step = 0, f_next = 0;
      while (true) {
        if (along_gradient) p = -g;
        if (iteration > 1 && !retry) {
          step = std::min(1.0, 1.01 * cubic_minimizer(g_previous.dot(p_previous), step_previous,
                                                      f - f_previous, g.dot(p_previous),
                                                      settings.min_step, 1.0));
          if (!(step > 0) || !std::isfinite(step)) step = options_.init_alpha;
        } else {
          step = options_.init_alpha;
        }
        if (wolfe_line_search(evaluate, x, f, g, p, step, x_next, f_next, g_next, settings)) break;
        if (along_gradient) {
          finish(optimization_status::line_search_failed, iteration);
          return;
        }
        along_gradient = true;
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
        const double scale = history.update(y, s, true);
        p_previous /= scale;
        step_previous = step * scale;
      } else {
        history.update(y, s);
        step_previous = step;
      }
      history.search_direction(p, g);

      // Pathfinder: the pair joins the approximation's history when its
      // curvature is positive (and not extreme), then the approximation at x.
      if (pathfinder_curvature_ok(s, y)) {
        pathfinder_update_diagonal(alpha_, s, y);
        pairs_s_.push_back(s);
        pairs_y_.push_back(y);
        if (static_cast<int>(pairs_s_.size()) > options_.history_size) {
          pairs_s_.pop_front();
          pairs_y_.pop_front();
        }
      }
      consider(x, g, iteration);

      const double change = std::fabs(f_previous - f);
      if (change < options_.tol_obj)
        return finish(optimization_status::absolute_objective, iteration);
      if (g.norm() < options_.tol_grad)
        return finish(optimization_status::absolute_gradient, iteration);
      if (s.norm() < options_.tol_param)
        return finish(optimization_status::absolute_parameter, iteration);
      if (iteration >= options_.iter) return finish(optimization_status::max_iterations, iteration);
      if (change / std::max({std::fabs(f_previous), std::fabs(f), 1.0}) <
          options_.tol_rel_obj * epsilon)
        return finish(optimization_status::relative_objective, iteration);
      if (-p.dot(g) / std::max(std::fabs(f), 1.0) < options_.tol_rel_grad * epsilon)
        return finish(optimization_status::relative_gradient, iteration);
    }
  }

  const Model& model_;
  const pathfinder_options& options_;
  random::philox rng_;
  Eigen::Index d_;
  Eigen::VectorXd u_, draw_;
  Eigen::VectorXd alpha_;
  std::deque<Eigen::VectorXd> pairs_s_, pairs_y_;
  std::optional<pathfinder_normal> best_;
  double best_elbo_ = -std::numeric_limits<double>::infinity();
  int best_iteration_ = -1;
  pathfinder_path_draws best_draws_;
  long long evaluations_ = 0;
};

} // namespace detail

template <class Model>
class pathfinder_result : public approximate_draws<Model> {
  using base = approximate_draws<Model>;

public:
  pathfinder_result(Model model, pathfinder_options options, Eigen::MatrixXd draws,
                    Eigen::MatrixXd unconstrained_draws, std::vector<pathfinder_path> paths,
                    psis_result importance, std::vector<std::string> warnings, double seconds)
      : base(std::move(model), {"lp_approx__", "lp__"}, std::move(draws),
             std::move(unconstrained_draws), "Pathfinder"),
        options_(std::move(options)), paths_(std::move(paths)), importance_(std::move(importance)),
        warnings_(std::move(warnings)), seconds_(seconds) {}

  const pathfinder_options& options() const { return options_; }
  // Every path, failed ones included, in path order.
  const std::vector<pathfinder_path>& paths() const { return paths_; }
  int num_succeeded_paths() const {
    return static_cast<int>(std::count_if(paths_.begin(), paths_.end(),
                                          [](const pathfinder_path& p) { return p.succeeded; }));
  }

  // The Pareto k of the importance ratios log p - log q of the pooled draws
  // (before resampling) and the threshold below which it is reliable.
  double pareto_k() const { return importance_.pareto_k; }
  double pareto_k_threshold() const { return importance_.k_threshold(); }
  // The smoothed log weights of the pooled draws (one per draw before
  // resampling, paths in order).
  const psis_result& importance() const { return importance_; }

  Eigen::VectorXd lp() const { return this->draws_.col(1); }
  Eigen::VectorXd lp_approx() const { return this->draws_.col(0); }
  Eigen::VectorXd log_p() const { return lp(); }
  Eigen::VectorXd log_g() const { return lp_approx(); }

  // Failed paths, a large Pareto k.
  const std::vector<std::string>& warnings() const { return warnings_; }
  double seconds() const { return seconds_; }
  long long log_density_evaluations() const {
    long long total = 0;
    for (const auto& p : paths_)
      total += p.log_density_evaluations;
    return total;
  }

  // One CSV file as CmdStan's pathfinder method writes it.
  void write_csv(const std::filesystem::path& path,
                 std::string_view model_name = "statix_model") const {
    base::write_file(
        path, [&](std::ostream& out) { write_csv(out, model_name, path.filename().string()); });
  }

  void write_csv(std::ostream& out, std::string_view model_name = "statix_model",
                 std::string_view file_name = "") const {
    const pathfinder_options defaults{};
    const auto number = [](double v) { return detail::format_csv_number(v); };
    const auto line = [&out](int level, std::string_view key, const std::string& value,
                             bool is_default) {
      out << "# " << std::string(static_cast<std::size_t>(2 * level), ' ') << key << " = " << value
          << (is_default ? " (Default)" : "") << '\n';
    };
    const auto section = [&out](int level, std::string_view name) {
      out << "# " << std::string(static_cast<std::size_t>(2 * level), ' ') << name << '\n';
    };
    const pathfinder_options& o = options_;
    line(0, "model", std::string(model_name), false);
    line(0, "method", "pathfinder", false);
    section(1, "pathfinder");
    line(2, "init_alpha", number(o.init_alpha), o.init_alpha == defaults.init_alpha);
    line(2, "tol_obj", number(o.tol_obj), o.tol_obj == defaults.tol_obj);
    line(2, "tol_rel_obj", number(o.tol_rel_obj), o.tol_rel_obj == defaults.tol_rel_obj);
    line(2, "tol_grad", number(o.tol_grad), o.tol_grad == defaults.tol_grad);
    line(2, "tol_rel_grad", number(o.tol_rel_grad), o.tol_rel_grad == defaults.tol_rel_grad);
    line(2, "tol_param", number(o.tol_param), o.tol_param == defaults.tol_param);
    line(2, "history_size", std::to_string(o.history_size),
         o.history_size == defaults.history_size);
    line(2, "num_psis_draws", std::to_string(o.draws), o.draws == defaults.draws);
    line(2, "num_paths", std::to_string(o.paths), o.paths == defaults.paths);
    line(2, "save_single_paths", "0", true);
    line(2, "psis_resample", o.psis_resample ? "1" : "0", o.psis_resample);
    line(2, "calculate_lp", "1", true);
    line(2, "max_lbfgs_iters", std::to_string(o.iter), o.iter == defaults.iter);
    line(2, "num_draws", std::to_string(o.paths == 1 ? o.draws : o.draws_per_path),
         o.draws_per_path == defaults.draws_per_path);
    line(2, "num_elbo_draws", std::to_string(o.num_elbo_draws),
         o.num_elbo_draws == defaults.num_elbo_draws);
    line(0, "id", "1", true);
    section(0, "random");
    line(1, "seed", std::to_string(o.seed), false);
    section(0, "output");
    line(1, "file", std::string(file_name), false);
    this->write_header(out);
    detail::write_rows(out, this->draws_);
    out << "# Pareto k = " << number(pareto_k()) << " (threshold " << number(pareto_k_threshold())
        << ")\n";
    out << "# Elapsed Time: " << number(seconds_) << " seconds (Pathfinder)\n";
  }

private:
  pathfinder_options options_;
  std::vector<pathfinder_path> paths_;
  psis_result importance_;
  std::vector<std::string> warnings_;
  double seconds_;
};

template <class Model>
pathfinder_result<Model> pathfinder(const Model& model, const pathfinder_options& options = {}) {
  detail::validate_options(options);
  const auto start_time = std::chrono::steady_clock::now();
  const int d = model.dim();
  if (d == 0)
    throw std::invalid_argument("statix: pathfinder: the model has no parameters to approximate");

  const bool single = options.paths == 1;
  const int per_path = single ? options.draws : options.draws_per_path;
  std::vector<pathfinder_path> paths;
  std::vector<detail::pathfinder_path_draws> path_draws;
  std::vector<std::string> warnings;
  Eigen::Index pooled = 0;
  for (int p = 0; p < options.paths; ++p) {
    detail::pathfinder_path_draws out;
    detail::pathfinder_single_path<Model> path(model, options, p);
    paths.push_back(path.run(per_path, out));
    if (paths.back().succeeded) {
      pooled += out.x.rows();
      path_draws.push_back(std::move(out));
    } else {
      warnings.push_back("path " + std::to_string(p + 1) + " failed: " + paths.back().message);
    }
  }
  if (path_draws.empty())
    throw std::runtime_error("statix: pathfinder: every path failed; path 1: " +
                             paths.front().message);

  Eigen::MatrixXd x(pooled, d);
  Eigen::VectorXd log_p(pooled), log_q(pooled);
  Eigen::Index offset = 0;
  for (const auto& part : path_draws) {
    x.middleRows(offset, part.x.rows()) = part.x;
    log_p.segment(offset, part.x.rows()) = part.log_p;
    log_q.segment(offset, part.x.rows()) = part.log_q;
    offset += part.x.rows();
  }
  const Eigen::VectorXd log_ratios = log_p - log_q;
  psis_result importance;
  bool ratios_usable = log_ratios.array().isFinite().any();
  if (ratios_usable) importance = psis(log_ratios);

  // Which pooled draws are returned.
  std::vector<Eigen::Index> chosen;
  if (!single && options.psis_resample) {
    if (!ratios_usable)
      throw std::runtime_error("statix: pathfinder: the log density is not finite at any draw");
    // Multinomial resampling with replacement by the smoothed weights.
    const Eigen::VectorXd weights = importance.normalized_weights();
    std::vector<double> cumulative(static_cast<std::size_t>(pooled));
    double total = 0;
    for (Eigen::Index i = 0; i < pooled; ++i)
      cumulative[static_cast<std::size_t>(i)] = total += weights[i];
    random::philox rng(options.seed, 0);
    chosen.resize(static_cast<std::size_t>(options.draws));
    for (auto& index : chosen) {
      const double u = random::uniform01(rng) * total;
      const auto at = std::upper_bound(cumulative.begin(), cumulative.end(), u);
      index = std::min<Eigen::Index>(at - cumulative.begin(), pooled - 1);
    }
  } else {
    chosen.resize(static_cast<std::size_t>(pooled));
    for (Eigen::Index i = 0; i < pooled; ++i)
      chosen[static_cast<std::size_t>(i)] = i;
  }
  // Equal ratios (q is the posterior up to rounding) leave no tail to fit:
  // k is +infinity as loo reports it, the weights all equal, no warning.
  double spread = 0;
  if (ratios_usable) {
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (Eigen::Index i = 0; i < pooled; ++i)
      if (std::isfinite(log_ratios[i])) {
        low = std::min(low, log_ratios[i]);
        high = std::max(high, log_ratios[i]);
      }
    spread = (high - low) / std::max(1.0, std::fabs(high));
  }
  if (ratios_usable && spread > 1e-8 && !(importance.pareto_k < importance.k_threshold()))
    warnings.push_back("Pareto k = " + detail::format_csv_number(importance.pareto_k) +
                       " is not below " + detail::format_csv_number(importance.k_threshold()) +
                       ": importance resampling cannot correct the approximation, which may be "
                       "poor");

  const int columns = 2 + static_cast<int>(model.output_names().size());
  const auto n = static_cast<Eigen::Index>(chosen.size());
  Eigen::MatrixXd draws(n, columns), unconstrained(n, d);
  std::vector<double> row(static_cast<std::size_t>(columns - 2));
  Eigen::VectorXd point(d);
  for (Eigen::Index k = 0; k < n; ++k) {
    const Eigen::Index i = chosen[static_cast<std::size_t>(k)];
    point = x.row(i).transpose();
    unconstrained.row(k) = x.row(i);
    draws(k, 0) = log_q[i];
    draws(k, 1) = log_p[i];
    model.write_output(point, row.data());
    for (int j = 0; j + 2 < columns; ++j)
      draws(k, 2 + j) = row[static_cast<std::size_t>(j)];
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  return pathfinder_result<Model>(model, options, std::move(draws), std::move(unconstrained),
                                  std::move(paths), std::move(importance), std::move(warnings),
                                  seconds);
}

} // namespace statix
