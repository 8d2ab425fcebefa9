#pragma once

// Automatic differentiation variational inference (Kucukelbir, Tran,
// Ranganath, Gelman & Blei 2017, JMLR 18(14)), as Stan's variational method
// (stan/variational/advi.hpp, families/normal_meanfield.hpp,
// normal_fullrank.hpp), reimplemented here:
//
//   auto vi = sx::fit_advi(model, sx::advi{.family = sx::advi_family::fullrank, .seed = 1});
//   Eigen::VectorXd mu = vi.draws<"mu">();   // draws from the approximation
//   std::cout << vi.summary();
//   vi.write_csv("out/advi.csv");            // CmdStan's variational CSV
//   vi.mean(); vi.covariance();              // the Gaussian, unconstrained scale
//   vi.converged(); vi.elbo_trace();
//
// The approximation q is Gaussian on the unconstrained scale: N(mu,
// diag(exp(omega))^2) (mean-field) or N(mu, L L') with L lower triangular
// (full-rank), started at mu = the initial point, omega = 0 / L = I. The ELBO,
// E_q[log p(zeta)] + H[q] with log p the log density with the Jacobian, is
// maximised by stochastic gradient ascent:
// - the gradient from grad_samples draws zeta = mu + S eta, eta ~ N(0, I)
//   (the reparameterisation gradient: mu gets grad log p, omega gets
//   grad log p * eta * exp(omega) + 1, L gets the lower triangle of
//   grad log p eta' plus diag(1 / L_ii)); a draw where log p or its gradient
//   is not finite is drawn again, up to 10 times per gradient sample;
// - the adaptive step-size sequence of Kucukelbir et al. (eq. 10):
//   rho_k = eta k^(-1/2) / (tau + sqrt(s_k)), tau = 1, s_k = alpha g_k^2 +
//   (1 - alpha) s_{k-1}, alpha = 0.1, s_1 = g_1^2, elementwise (Stan drops the
//   paper's 1e-16 in the exponent, and so does this);
// - eta tuned first (Stan's adapt_eta): from the initial q, adapt_iter
//   iterations with each of eta = 100, 10, 1, 0.1, 0.01, the ELBO estimated
//   after each; the first eta whose ELBO is worse than the previous one's,
//   while that one beat the initial ELBO, stops the search at the previous eta;
//   if none does, the last is used when it beat the initial ELBO, else it fails;
// - every eval_elbo iterations the ELBO is estimated from elbo_samples draws
//   and its relative change |(ELBO_prev - ELBO) / ELBO| pushed into a circular
//   buffer of max(0.1 max_iterations / eval_elbo, 2) values; the run has
//   converged when the mean or the median of the buffer falls below
//   tol_rel_obj, and stops unconverged after max_iterations.
// Output as CmdStan's: output_samples draws zeta ~ q, each with log_p__ (log
// density with the Jacobian) and log_g__ (log density of q); the CSV file's
// first row is the mean of q. Unlike Stan, log_p__ and log_g__ both keep every
// normalising constant (Stan's log_g__ is -eta'eta / 2 alone), as sx::laplace:
// log_p__ - log_g__ are log importance ratios on the right scale.

#include <statix/base/density_options.hpp>
#include <statix/infer/advi_options.hpp>
#include <statix/infer/approximate_draws.hpp>
#include <statix/infer/approximation_start.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/io/cmdstan_csv.hpp>
#include <statix/math/constants.hpp>
#include <statix/math/philox.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace statix {

// The ELBO estimates of the stochastic gradient ascent, one per eval_elbo
// iterations, with the relative changes Stan's convergence test reads.
struct advi_elbo_trace {
  std::vector<int> iterations;
  std::vector<double> elbo;
  std::vector<double> relative_change_mean;
  std::vector<double> relative_change_median;
};

namespace detail {

// q's parameters: the mean and `scale`, omega (d x 1) for the mean-field
// family or L (d x d, lower triangular) for the full-rank one. The gradient
// and the step-size history share the layout; Stan's arithmetic on them is
// elementwise.
struct advi_normal {
  advi_family family = advi_family::meanfield;
  Eigen::VectorXd mu;
  Eigen::MatrixXd scale;

  static advi_normal initial(advi_family family, const Eigen::VectorXd& mean) {
    const auto d = mean.size();
    if (family == advi_family::meanfield) return {family, mean, Eigen::MatrixXd::Zero(d, 1)};
    return {family, mean, Eigen::MatrixXd::Identity(d, d)};
  }
  static advi_normal zero(advi_family family, Eigen::Index d) {
    return {family, Eigen::VectorXd::Zero(d),
            Eigen::MatrixXd::Zero(d, family == advi_family::meanfield ? 1 : d)};
  }

  Eigen::Index dim() const { return mu.size(); }

  // zeta = mu + S eta.
  void transform(const Eigen::VectorXd& eta, Eigen::VectorXd& zeta) const {
    if (family == advi_family::meanfield)
      zeta = mu.array() + scale.col(0).array().exp() * eta.array();
    else
      zeta = mu + scale.triangularView<Eigen::Lower>() * eta;
  }

  // log |det S|; a zero diagonal entry of L is skipped, as Stan's entropy().
  double log_det_scale() const {
    if (family == advi_family::meanfield) return scale.col(0).sum();
    double sum = 0;
    for (Eigen::Index i = 0; i < dim(); ++i)
      if (const double v = std::fabs(scale(i, i)); v != 0.0) sum += std::log(v);
    return sum;
  }
  double entropy() const {
    return 0.5 * static_cast<double>(dim()) * (1.0 + math::log_two_pi) + log_det_scale();
  }

  Eigen::MatrixXd covariance() const {
    if (family == advi_family::meanfield)
      return Eigen::MatrixXd((2.0 * scale.col(0).array()).exp().matrix().asDiagonal());
    const Eigen::MatrixXd l = scale.triangularView<Eigen::Lower>();
    return l * l.transpose();
  }
};

template <class Model>
class advi_engine {
public:
  advi_engine(const Model& model, const advi& options, const Eigen::VectorXd& start)
      : model_(model), options_(options), start_(start), d_(start.size()), eta_(d_), zeta_(d_),
        gradient_(d_) {}

  long long evaluations() const { return evaluations_; }

  // The ELBO from elbo_samples draws; none when every draw failed (Stan:
  // as many failures as elbo_samples).
  template <class Rng>
  std::optional<double> elbo(const advi_normal& q, Rng& rng) {
    double sum = 0;
    int dropped = 0;
    for (int i = 0; i < options_.elbo_samples;) {
      fill_std_normal(eta_, rng);
      q.transform(eta_, zeta_);
      ++evaluations_;
      const double lp = model_.log_density(zeta_, full_density);
      if (!std::isfinite(lp)) {
        if (++dropped >= options_.elbo_samples) return std::nullopt;
        continue;
      }
      sum += lp;
      ++i;
    }
    return sum / options_.elbo_samples + q.entropy();
  }

  // The ELBO's gradient into `grad`; false when 10 grad_samples draws failed.
  template <class Rng>
  bool gradient(const advi_normal& q, advi_normal& grad, Rng& rng) {
    grad.mu.setZero();
    grad.scale.setZero();
    int dropped = 0;
    for (int i = 0; i < options_.grad_samples;) {
      fill_std_normal(eta_, rng);
      q.transform(eta_, zeta_);
      ++evaluations_;
      const double lp = model_.log_density_gradient(zeta_, gradient_, gradient_density);
      if (!std::isfinite(lp) || !gradient_.allFinite()) {
        if (++dropped >= 10 * options_.grad_samples) return false;
        continue;
      }
      grad.mu += gradient_;
      if (q.family == advi_family::meanfield)
        grad.scale.col(0).array() += gradient_.array() * eta_.array();
      else
        grad.scale.triangularView<Eigen::Lower>() += gradient_ * eta_.transpose();
      ++i;
    }
    grad.mu /= options_.grad_samples;
    grad.scale /= options_.grad_samples;
    // The entropy's gradient: 1 per log sd, 1 / L_ii on the diagonal.
    if (q.family == advi_family::meanfield) {
      grad.scale.col(0).array() = grad.scale.col(0).array() * q.scale.col(0).array().exp() + 1.0;
    } else {
      grad.scale.diagonal().array() += q.scale.diagonal().array().inverse();
    }
    return true;
  }

  // One step of the adaptive step-size sequence (iteration counts from 1).
  static void step(advi_normal& q, const advi_normal& grad, advi_normal& history, int iteration,
                   double eta) {
    constexpr double tau = 1.0, alpha = 0.1;
    if (iteration == 1) {
      history.mu.array() += grad.mu.array().square();
      history.scale.array() += grad.scale.array().square();
    } else {
      history.mu.array() = (1 - alpha) * history.mu.array() + alpha * grad.mu.array().square();
      history.scale.array() =
          (1 - alpha) * history.scale.array() + alpha * grad.scale.array().square();
    }
    const double rho = eta / std::sqrt(static_cast<double>(iteration));
    q.mu.array() += rho * grad.mu.array() / (tau + history.mu.array().sqrt());
    q.scale.array() += rho * grad.scale.array() / (tau + history.scale.array().sqrt());
  }

  // Stan's adapt_eta; the ELBO at the end of each eta tried goes to `tried`.
  template <class Rng>
  double adapt_eta(Rng& rng, std::vector<std::pair<double, double>>& tried) {
    constexpr double sequence[] = {100, 10, 1, 0.1, 0.01};
    constexpr int size = 5;
    constexpr double lowest = -std::numeric_limits<double>::max();
    const advi_normal initial = advi_normal::initial(options_.family, start_);
    const std::optional<double> elbo_init = elbo(initial, rng);
    if (!elbo_init)
      throw std::runtime_error(
          "statix: fit_advi: the ELBO cannot be computed at the initial approximation (the log "
          "density is not finite at any of its " +
          std::to_string(options_.elbo_samples) +
          " draws); the model may be severely ill-conditioned or misspecified");
    double elbo_best = lowest, eta_best = 0;
    for (int index = 0; index < size; ++index) {
      const double eta = sequence[index];
      advi_normal q = initial;
      advi_normal grad = advi_normal::zero(options_.family, d_);
      advi_normal history = advi_normal::zero(options_.family, d_);
      for (int t = 1; t <= options_.adapt_iter; ++t) {
        if (!gradient(q, grad, rng)) { // a diverging eta: try a smaller one
          grad.mu.setZero();
          grad.scale.setZero();
        }
        step(q, grad, history, t, eta);
      }
      const double value = elbo(q, rng).value_or(lowest);
      tried.emplace_back(eta, value);
      if (value < elbo_best && elbo_best > *elbo_init) return eta_best;
      if (index < size - 1) {
        elbo_best = value;
        eta_best = eta;
      } else if (value > *elbo_init) {
        return eta;
      }
    }
    throw std::runtime_error("statix: fit_advi: every step size tried in the eta adaptation "
                             "(100, 10, 1, 0.1, 0.01) failed to improve the ELBO; the model may "
                             "be severely ill-conditioned or misspecified");
  }

  static constexpr density_options full_density{.jacobian = true, .propto = false};
  static constexpr density_options gradient_density{.jacobian = true, .propto = true};

private:
  const Model& model_;
  const advi& options_;
  Eigen::VectorXd start_;
  Eigen::Index d_;
  Eigen::VectorXd eta_, zeta_, gradient_;
  long long evaluations_ = 0;
};

inline void validate_options(const advi& o) {
  const auto require = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("statix: sx::advi: " + what);
  };
  require(o.family == advi_family::meanfield || o.family == advi_family::fullrank,
          "family must be sx::advi_family::meanfield or fullrank");
  require(o.max_iterations >= 1,
          "max_iterations must be at least 1, got " + std::to_string(o.max_iterations));
  require(o.grad_samples >= 1,
          "grad_samples must be at least 1, got " + std::to_string(o.grad_samples));
  require(o.elbo_samples >= 1,
          "elbo_samples must be at least 1, got " + std::to_string(o.elbo_samples));
  require(o.eta > 0 && std::isfinite(o.eta), "eta must be positive and finite");
  require(!o.adapt_engaged || o.adapt_iter >= 1,
          "adapt_iter must be at least 1, got " + std::to_string(o.adapt_iter));
  require(o.tol_rel_obj > 0 && std::isfinite(o.tol_rel_obj), "tol_rel_obj must be positive");
  require(o.eval_elbo >= 1, "eval_elbo must be at least 1, got " + std::to_string(o.eval_elbo));
  require(o.output_samples >= 1,
          "output_samples must be at least 1, got " + std::to_string(o.output_samples));
  require(o.init_radius >= 0, "init_radius must not be negative");
  require(o.max_init_tries >= 1, "max_init_tries must be at least 1");
}

} // namespace detail

// What sx::fit_advi returns: draws from the approximation with the fit's
// interface, the Gaussian itself, and how the optimisation went.
template <class Model>
class advi_result : public approximate_draws<Model> {
  using base = approximate_draws<Model>;

public:
  struct run_summary {
    double eta = 0;
    bool converged = false;
    std::string reason;
    int iterations = 0;
    long long gradient_evaluations = 0; // log density (+ gradient) evaluations, all phases
    double seconds = 0;
    advi_elbo_trace trace;
    std::vector<std::pair<double, double>> eta_tried; // (eta, ELBO after adapt_iter iterations)
    std::vector<std::string> warnings;
  };

  advi_result(Model model, advi options, detail::advi_normal q, Eigen::MatrixXd draws,
              Eigen::MatrixXd unconstrained_draws, run_summary run)
      : base(std::move(model), {"lp__", "log_p__", "log_g__"}, std::move(draws),
             std::move(unconstrained_draws), "ADVI"),
        options_(std::move(options)), q_(std::move(q)), run_(std::move(run)) {
    mean_output_.resize(static_cast<Eigen::Index>(this->output_names_.size()));
    this->model_.write_output(q_.mu, mean_output_.data());
  }

  const advi& options() const { return options_; }
  advi_family family() const { return q_.family; }

  // The approximation on the unconstrained scale.
  const Eigen::VectorXd& mean() const { return q_.mu; }
  Eigen::MatrixXd covariance() const { return q_.covariance(); }
  // Mean-field: the log standard deviations omega; full-rank: empty.
  Eigen::VectorXd log_sd() const {
    return q_.family == advi_family::meanfield ? Eigen::VectorXd(q_.scale.col(0))
                                               : Eigen::VectorXd();
  }
  // Full-rank: the Cholesky factor L of the covariance; mean-field: diag(exp(omega)).
  Eigen::MatrixXd cholesky_factor() const {
    if (q_.family == advi_family::meanfield)
      return Eigen::MatrixXd(q_.scale.col(0).array().exp().matrix().asDiagonal());
    return q_.scale.triangularView<Eigen::Lower>();
  }
  // The model's quantities at the mean of q (the first row of the CSV file).
  const Eigen::VectorXd& mean_output() const { return mean_output_; }

  Eigen::VectorXd log_p() const { return this->draws_.col(1); }
  Eigen::VectorXd log_g() const { return this->draws_.col(2); }

  double eta() const { return run_.eta; }
  bool converged() const { return run_.converged; }
  const std::string& reason() const { return run_.reason; }
  int iterations() const { return run_.iterations; }
  long long gradient_evaluations() const { return run_.gradient_evaluations; }
  double seconds() const { return run_.seconds; }
  const advi_elbo_trace& elbo_trace() const { return run_.trace; }
  // The ELBO of the last estimate (NaN when no estimate was made).
  double elbo() const {
    return run_.trace.elbo.empty() ? std::numeric_limits<double>::quiet_NaN()
                                   : run_.trace.elbo.back();
  }
  const std::vector<std::pair<double, double>>& eta_tried() const { return run_.eta_tried; }
  // Stan's informational messages (an earlier ELBO larger than the last, a
  // relative change that stays large, no convergence).
  const std::vector<std::string>& warnings() const { return run_.warnings; }

  // One CmdStan variational CSV file: configuration comments, the header
  // lp__, log_p__, log_g__ and the quantities, the adapted eta as comments,
  // the mean of the approximation (lp__ = log_p__ = log_g__ = 0), then one
  // row per draw with lp__ = 0, as CmdStan writes it.
  void write_csv(const std::filesystem::path& path,
                 std::string_view model_name = "statix_model") const {
    base::write_file(
        path, [&](std::ostream& out) { write_csv(out, model_name, path.filename().string()); });
  }

  void write_csv(std::ostream& out, std::string_view model_name = "statix_model",
                 std::string_view file_name = "") const {
    const advi defaults{};
    const auto number = [](double v) { return detail::format_csv_number(v); };
    const auto line = [&out](int level, std::string_view key, const std::string& value,
                             bool is_default) {
      out << "# " << std::string(static_cast<std::size_t>(2 * level), ' ') << key << " = " << value
          << (is_default ? " (Default)" : "") << '\n';
    };
    const auto section = [&out](int level, std::string_view name) {
      out << "# " << std::string(static_cast<std::size_t>(2 * level), ' ') << name << '\n';
    };
    const advi& o = options_;
    line(0, "model", std::string(model_name), false);
    line(0, "method", "variational", false);
    section(1, "variational");
    line(2, "algorithm", advi_family_name(o.family), o.family == defaults.family);
    section(3, advi_family_name(o.family));
    line(2, "iter", std::to_string(o.max_iterations), o.max_iterations == defaults.max_iterations);
    line(2, "grad_samples", std::to_string(o.grad_samples),
         o.grad_samples == defaults.grad_samples);
    line(2, "elbo_samples", std::to_string(o.elbo_samples),
         o.elbo_samples == defaults.elbo_samples);
    line(2, "eta", number(o.eta), o.eta == defaults.eta);
    section(2, "adapt");
    line(3, "engaged", o.adapt_engaged ? "1" : "0", o.adapt_engaged == defaults.adapt_engaged);
    line(3, "iter", std::to_string(o.adapt_iter), o.adapt_iter == defaults.adapt_iter);
    line(2, "tol_rel_obj", number(o.tol_rel_obj), o.tol_rel_obj == defaults.tol_rel_obj);
    line(2, "eval_elbo", std::to_string(o.eval_elbo), o.eval_elbo == defaults.eval_elbo);
    line(2, "output_samples", std::to_string(o.output_samples),
         o.output_samples == defaults.output_samples);
    line(0, "id", "1", true);
    section(0, "random");
    line(1, "seed", std::to_string(o.seed), false);
    section(0, "output");
    line(1, "file", std::string(file_name), false);
    this->write_header(out);
    if (o.adapt_engaged) out << "# Stepsize adaptation complete.\n";
    out << "# eta = " << number(run_.eta) << '\n';
    out << "0,0,0";
    for (Eigen::Index i = 0; i < mean_output_.size(); ++i)
      out << ',' << number(mean_output_[i]);
    out << '\n';
    detail::write_rows(out, this->draws_);
    out << "# " << reason() << '\n';
    out << "# iterations = " << run_.iterations << '\n';
  }

private:
  advi options_;
  detail::advi_normal q_;
  run_summary run_;
  Eigen::VectorXd mean_output_;
};

template <class Model>
advi_result<Model> fit_advi(const Model& model, const advi& options = {}) {
  detail::validate_options(options);
  const auto start_time = std::chrono::steady_clock::now();
  const int d = model.dim();
  if (d == 0)
    throw std::invalid_argument("statix: fit_advi: the model has no parameters to approximate");

  random::philox rng(options.seed, 0);
  const Eigen::VectorXd start =
      detail::find_approximation_start(model,
                                       {.position = &options.init_position,
                                        .inits = &options.inits,
                                        .radius = options.init_radius,
                                        .max_tries = options.max_init_tries},
                                       rng, "fit_advi");

  using run_summary = typename advi_result<Model>::run_summary;
  run_summary run;
  detail::advi_engine<Model> engine(model, options, start);
  run.eta = options.adapt_engaged ? engine.adapt_eta(rng, run.eta_tried) : options.eta;

  // Stochastic gradient ascent (Stan's stochastic_gradient_ascent).
  detail::advi_normal q = detail::advi_normal::initial(options.family, start);
  detail::advi_normal grad = detail::advi_normal::zero(options.family, d);
  detail::advi_normal history = detail::advi_normal::zero(options.family, d);
  const auto window =
      static_cast<std::size_t>(std::max(0.1 * options.max_iterations / options.eval_elbo, 2.0));
  std::deque<double> changes;
  double elbo = 0.0, elbo_best = -std::numeric_limits<double>::max();
  bool warned_diverging = false;
  for (int iteration = 1;; ++iteration) {
    if (!engine.gradient(q, grad, rng))
      throw std::runtime_error(
          "statix: fit_advi: at iteration " + std::to_string(iteration) +
          ", the log density or its gradient was not finite at " +
          std::to_string(10 * options.grad_samples) +
          " draws from the approximation; the model may be severely ill-conditioned or "
          "misspecified (eta = " +
          detail::format_csv_number(run.eta) + ")");
    detail::advi_engine<Model>::step(q, grad, history, iteration, run.eta);
    bool stop = false;
    if (iteration % options.eval_elbo == 0) {
      const double previous = elbo;
      const std::optional<double> estimate = engine.elbo(q, rng);
      if (!estimate)
        throw std::runtime_error("statix: fit_advi: at iteration " + std::to_string(iteration) +
                                 ", the log density was not finite at any of the " +
                                 std::to_string(options.elbo_samples) +
                                 " draws of the ELBO estimate");
      elbo = *estimate;
      elbo_best = std::max(elbo_best, elbo);
      changes.push_back(std::fabs((previous - elbo) / elbo));
      if (changes.size() > window) changes.pop_front();
      const double mean = std::accumulate(changes.begin(), changes.end(), 0.0) /
                          static_cast<double>(changes.size());
      std::vector<double> sorted(changes.begin(), changes.end());
      const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
      std::nth_element(sorted.begin(), middle, sorted.end());
      const double median = *middle;
      run.trace.iterations.push_back(iteration);
      run.trace.elbo.push_back(elbo);
      run.trace.relative_change_mean.push_back(mean);
      run.trace.relative_change_median.push_back(median);
      if (mean < options.tol_rel_obj) {
        stop = true;
        run.converged = true;
        run.reason = "converged: the mean relative change in the ELBO fell below tol_rel_obj";
      }
      if (median < options.tol_rel_obj) {
        stop = true;
        run.converged = true;
        run.reason = "converged: the median relative change in the ELBO fell below tol_rel_obj";
      }
      if (iteration > 10 * options.eval_elbo && (median > 0.5 || mean > 0.5) && !warned_diverging) {
        warned_diverging = true;
        run.warnings.push_back("the relative change in the ELBO is above 0.5 after iteration " +
                               std::to_string(iteration) +
                               ": the optimisation may be diverging; inspect the ELBO trace");
      }
      if (stop && std::fabs((elbo_best - elbo) / elbo) > 0.05)
        run.warnings.push_back("the ELBO at a previous iteration is larger than upon "
                               "convergence: the approximation may not be at a good optimum");
    }
    if (iteration == options.max_iterations && !stop) {
      stop = true;
      run.reason = "not converged: the maximum number of iterations (max_iterations) was reached";
      run.warnings.push_back("the maximum number of iterations was reached: the approximation "
                             "may not have converged and is not guaranteed to be meaningful");
    }
    if (stop) {
      run.iterations = iteration;
      break;
    }
  }

  // Draws from q, each with log p and log q at it.
  const int columns = 3 + static_cast<int>(model.output_names().size());
  Eigen::MatrixXd draws(options.output_samples, columns);
  Eigen::MatrixXd unconstrained(options.output_samples, d);
  const double log_normaliser = -0.5 * d * math::log_two_pi - q.log_det_scale();
  Eigen::VectorXd eta(d), zeta(d);
  std::vector<double> row(static_cast<std::size_t>(columns - 3));
  for (int m = 0; m < options.output_samples; ++m) {
    fill_std_normal(eta, rng);
    q.transform(eta, zeta);
    unconstrained.row(m) = zeta.transpose();
    draws(m, 0) = 0;
    draws(m, 1) = model.log_density(zeta, detail::advi_engine<Model>::full_density);
    draws(m, 2) = log_normaliser - 0.5 * eta.squaredNorm();
    model.write_output(zeta, row.data());
    for (int j = 0; j + 3 < columns; ++j)
      draws(m, 3 + j) = row[static_cast<std::size_t>(j)];
  }
  run.gradient_evaluations = engine.evaluations() + options.output_samples;
  run.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  return advi_result<Model>(model, options, std::move(q), std::move(draws),
                            std::move(unconstrained), std::move(run));
}

} // namespace statix
