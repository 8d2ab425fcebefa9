// Optimisation and variational inference benchmark: wall time, gradient
// evaluations and iterations to convergence of Statix's L-BFGS
// (sx::optimize), ADVI (sx::fit_advi, mean-field and full-rank) and
// Pathfinder (sx::pathfinder), on logistic regression (N = 5000, D = 25) and
// the centred radon model, against
// - Stan's own L-BFGS and ADVI (Stan 2.21 as StanHeaders ships it:
//   stan::services::optimize::lbfgs, experimental::advi::meanfield and
//   fullrank), the same model, data and defaults (stan_inference.hpp);
// - for Pathfinder, which Stan 2.21 lacks: the cost of Statix's NUTS
//   (4 chains x (1000 warm-up + 1000 draws), one thread), in full and
//   scaled to a minimum bulk ESS of 400.
//
// Both sides use CmdStan's defaults (listed in stan_inference.hpp and in
// lbfgs_options.hpp / advi_options.hpp / pathfinder.hpp, which equal them),
// the same seed, one thread. Wall time is the median of --reps runs of one
// call (the seed is the same in each, so the counts are the same). Gradients
// are counted where they happen: on the Stan side in the model's log_prob on
// stan::math::var, on the Statix side by a model wrapper that counts each
// log_density_gradient call; "evaluations" counts every log density
// evaluation, with or without a gradient (ADVI's ELBO estimates and output
// draws, Pathfinder's ELBO estimates and draws).
//
// That both reach the same answer: L-BFGS, the largest absolute difference
// between the two modes over every model quantity (and the objective, lp__
// at the mode without Jacobians, on both sides); ADVI, the largest
// difference between the two approximations' means over every quantity in
// posterior sds (the sd of the NUTS draws), which is Monte Carlo noise of
// two different random streams, not a bias; Pathfinder, the same against the
// NUTS posterior mean.
//
//   inference_benchmark [--reps 5] [--seed 1] [--models logistic,radon] [--no-stan] [--no-nuts]
//                       [--advi-tol-rel-obj 0.01]

#include "stan_inference.hpp"

#include "../../tests/model/statix_models.hpp" // the models, as the model tests write them

#include <statix/infer/advi.hpp>
#include <statix/infer/optimize.hpp>
#include <statix/infer/pathfinder.hpp>
#include <statix/statix.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sx = statix;

namespace {

// ---------------------------------------------------------------------------
// Counting gradients on the Statix side without touching the library: the
// model's interface as the optimisers and approximations use it, each call
// forwarded, gradients and plain log densities counted.
// ---------------------------------------------------------------------------
struct evaluation_counts {
  long long gradients = 0;
  long long densities = 0; // every evaluation, gradients included
};

template <class Model>
class counting_model {
public:
  counting_model(const Model& model, evaluation_counts& counts)
      : model_(&model), counts_(&counts) {}

  int dim() const { return model_->dim(); }
  std::vector<std::string> param_names() const { return model_->param_names(); }
  std::vector<std::string> output_names() const { return model_->output_names(); }
  template <class... Args>
  double log_density(Args&&... args) const {
    ++counts_->densities;
    return model_->log_density(std::forward<Args>(args)...);
  }
  template <class... Args>
  double log_density_gradient(Args&&... args) const {
    ++counts_->gradients;
    ++counts_->densities;
    return model_->log_density_gradient(std::forward<Args>(args)...);
  }
  template <class... Args>
  void write_output(Args&&... args) const {
    model_->write_output(std::forward<Args>(args)...);
  }
  template <class... Args>
  void unconstrain_into(Args&&... args) const {
    model_->unconstrain_into(std::forward<Args>(args)...);
  }

private:
  const Model* model_;
  evaluation_counts* counts_;
};

// ---------------------------------------------------------------------------
// One row of the table.
// ---------------------------------------------------------------------------
struct run_row {
  std::string model;
  std::string method;
  std::string implementation;
  double seconds = 0; // median over the repetitions
  long long gradients = 0;
  long long evaluations = 0;
  std::string iterations;
  std::string objective;
  std::string agreement; // against the peer
  std::string ratio;     // peer time / this time (on the Statix rows)
  std::string note;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string format(const char* pattern, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, v);
  return buffer;
}

// Quantities by name: the model's output names (CmdStan's "beta.1").
using named = std::map<std::string, double>;

named by_name(const std::vector<std::string>& names, const double* values) {
  named out;
  for (std::size_t k = 0; k < names.size(); ++k)
    out[names[k]] = values[k];
  return out;
}

// The largest |a - b| over the common names, each divided by scale[name]
// when a scale is given; the name where it is reached.
std::pair<double, std::string> largest_difference(const named& a, const named& b,
                                                  const named* scale = nullptr) {
  double worst = 0;
  std::string where;
  std::size_t common = 0;
  for (const auto& [name, value] : a) {
    const auto other = b.find(name);
    if (other == b.end()) continue;
    ++common;
    double d = std::fabs(value - other->second);
    if (scale) d /= scale->at(name);
    if (!(d <= worst)) { // NaN is the worst
      worst = d;
      where = name;
    }
  }
  if (common == 0) throw std::logic_error("no quantity in common to compare");
  return {worst, where};
}

struct options {
  int reps = 5;
  unsigned seed = 1;
  std::vector<std::string> models = {"logistic", "radon"};
  bool stan = true;
  bool nuts = true;
  double advi_tol_rel_obj = 0.01; // both sides' ADVI (CmdStan's default 0.01)
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--reps") {
      o.reps = std::stoi(value());
    } else if (arg == "--seed") {
      o.seed = static_cast<unsigned>(std::stoul(value()));
    } else if (arg == "--models") {
      o.models.clear();
      std::stringstream in(value());
      std::string item;
      while (std::getline(in, item, ','))
        o.models.push_back(item);
    } else if (arg == "--no-stan") {
      o.stan = false;
    } else if (arg == "--no-nuts") {
      o.nuts = false;
    } else if (arg == "--advi-tol-rel-obj") {
      o.advi_tol_rel_obj = std::stod(value());
    } else {
      throw std::invalid_argument("unknown argument " + arg +
                                  " (--reps N, --seed S, --models logistic,radon, --no-stan, "
                                  "--no-nuts, --advi-tol-rel-obj X)");
    }
  }
  if (o.reps < 1) throw std::invalid_argument("--reps must be at least 1");
  return o;
}

// Runs f() reps times; the median wall time of the calls and the last result
// (results hold their model, which need not be assignable: kept in an
// optional and emplaced).
template <class F>
auto repeat(int reps, F f) {
  std::vector<double> seconds;
  std::optional<decltype(f())> result;
  for (int r = 0; r < reps; ++r) {
    result.reset();
    const auto start = std::chrono::steady_clock::now();
    result.emplace(f());
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return std::make_pair(median(seconds), std::move(*result));
}

// The NUTS reference: posterior means and sds of every quantity, and its cost.
struct nuts_reference {
  named mean, sd;
  double seconds = 0;
  long long gradients = 0;
  double min_ess = 0;
  std::string min_ess_column;
};

template <class Model>
void run_model(const std::string& name, const Model& model,
               statix_bench::stan_inference_model which, const options& o,
               std::vector<run_row>& rows, std::vector<std::string>& notes) {
  const std::vector<std::string> names = model.output_names();

  // NUTS first: its posterior sds scale the ADVI and Pathfinder comparisons.
  nuts_reference nuts;
  if (o.nuts) {
    auto [seconds, fit] = repeat(o.reps, [&] {
      return sx::sample(model, sx::nuts{.chains = 4,
                                        .warmup = 1000,
                                        .draws = 1000,
                                        .seed = o.seed,
                                        .threads = 1,
                                        .progress = 0});
    });
    nuts.seconds = seconds;
    nuts.gradients = fit.gradient_evaluations();
    nuts.min_ess = std::numeric_limits<double>::infinity();
    for (const std::string& column : names) {
      const Eigen::VectorXd draws = fit.draws(column);
      const double mean = draws.mean();
      nuts.mean[column] = mean;
      nuts.sd[column] =
          std::sqrt((draws.array() - mean).square().sum() / static_cast<double>(draws.size() - 1));
      const double ess = sx::ess_bulk(fit.draws_by_chain(column));
      if (!(ess >= nuts.min_ess)) {
        nuts.min_ess = ess;
        nuts.min_ess_column = column;
      }
    }
  }

  // --- L-BFGS -------------------------------------------------------------
  {
    evaluation_counts counts;
    const counting_model<Model> counted(model, counts);
    auto [seconds, opt] = repeat(o.reps, [&] {
      counts = {};
      return sx::optimize(counted, sx::lbfgs{.seed = o.seed});
    });
    run_row statix;
    statix.model = name;
    statix.method = "L-BFGS";
    statix.implementation = "statix";
    statix.seconds = seconds;
    statix.gradients = counts.gradients;
    statix.evaluations = counts.densities;
    statix.iterations = std::to_string(opt.iterations());
    // Stan's lp__ at the mode is log_prob_propto without Jacobians (constant
    // terms dropped); Statix's log_density() keeps every constant. Both
    // columns show the propto value, evaluated here at Statix's mode.
    const double statix_lp_propto = model.log_density(
        opt.unconstrained(), sx::density_options{.jacobian = false, .propto = true});
    statix.objective = "lp " + format("%.6f", statix_lp_propto);
    statix.note = opt.reason();
    if (opt.gradient_evaluations() != counts.gradients)
      notes.push_back(name + " L-BFGS: the result's gradient_evaluations() is " +
                      std::to_string(opt.gradient_evaluations()) + ", the wrapper counted " +
                      std::to_string(counts.gradients) +
                      " (the search for the initial point is not in the result's count)");
    if (o.stan) {
      auto [stan_seconds, stan] =
          repeat(o.reps, [&] { return statix_bench::stan_run_lbfgs(which, o.seed); });
      run_row peer;
      peer.model = name;
      peer.method = "L-BFGS";
      peer.implementation = "stan 2.21";
      peer.seconds = stan_seconds;
      peer.gradients = stan.gradient_evaluations;
      peer.evaluations = stan.log_density_evaluations;
      peer.iterations = std::to_string(stan.iterations);
      peer.objective = "lp " + format("%.6f", stan.objective);
      peer.note = stan.message;
      const auto [worst, where] = largest_difference(by_name(names, opt.output().data()),
                                                     by_name(stan.names, stan.values.data()));
      statix.agreement = "max abs mode diff " + format("%.2g", worst) + " (" + where +
                         "); abs lp diff " +
                         format("%.2g", std::fabs(statix_lp_propto - stan.objective));
      statix.ratio = format("%.2fx", stan_seconds / seconds);
      rows.push_back(statix);
      rows.push_back(peer);
    } else {
      rows.push_back(statix);
    }
  }

  // --- ADVI, mean-field and full-rank -------------------------------------
  for (const bool fullrank : {false, true}) {
    const std::string method = fullrank ? "ADVI full-rank" : "ADVI mean-field";
    evaluation_counts counts;
    const counting_model<Model> counted(model, counts);
    auto [seconds, vi] = repeat(o.reps, [&] {
      counts = {};
      return sx::fit_advi(counted, sx::advi{.family = fullrank ? sx::advi_family::fullrank
                                                               : sx::advi_family::meanfield,
                                            .seed = o.seed,
                                            .tol_rel_obj = o.advi_tol_rel_obj});
    });
    run_row statix;
    statix.model = name;
    statix.method = method;
    statix.implementation = "statix";
    statix.seconds = seconds;
    statix.gradients = counts.gradients;
    statix.evaluations = counts.densities;
    statix.iterations = std::to_string(vi.iterations());
    statix.objective = "ELBO " + format("%.1f", vi.elbo());
    statix.note = "eta " + format("%g", vi.eta()) + (vi.converged() ? "" : "; not converged");
    const named statix_mean = by_name(names, vi.mean_output().data());
    if (o.stan) {
      auto [stan_seconds, stan] = repeat(o.reps, [&] {
        return statix_bench::stan_run_advi(which, o.seed, fullrank, o.advi_tol_rel_obj);
      });
      run_row peer;
      peer.model = name;
      peer.method = method;
      peer.implementation = "stan 2.21";
      peer.seconds = stan_seconds;
      peer.gradients = stan.gradient_evaluations;
      peer.evaluations = stan.log_density_evaluations;
      peer.iterations = std::to_string(stan.iterations);
      peer.objective = "ELBO " + format("%.1f", stan.objective);
      peer.note = "eta " + format("%g", stan.eta);
      const named stan_mean = by_name(stan.names, stan.values.data());
      if (o.nuts) {
        const auto [worst, where] = largest_difference(statix_mean, stan_mean, &nuts.sd);
        statix.agreement = "max abs mean diff " + format("%.2f", worst) + " sd (" + where + ")";
        const auto [s_nuts, s_where] = largest_difference(statix_mean, nuts.mean, &nuts.sd);
        const auto [t_nuts, t_where] = largest_difference(stan_mean, nuts.mean, &nuts.sd);
        statix.note += "; vs NUTS mean " + format("%.2f", s_nuts) + " sd (" + s_where + ")";
        peer.note += "; vs NUTS mean " + format("%.2f", t_nuts) + " sd (" + t_where + ")";
      } else {
        const auto [worst, where] = largest_difference(statix_mean, stan_mean);
        statix.agreement = "max abs mean diff " + format("%.2g", worst) + " (" + where + ")";
      }
      statix.ratio = format("%.2fx", stan_seconds / seconds);
      rows.push_back(statix);
      rows.push_back(peer);
    } else {
      rows.push_back(statix);
    }
  }

  // --- Pathfinder against the NUTS cost -----------------------------------
  {
    evaluation_counts counts;
    const counting_model<Model> counted(model, counts);
    auto [seconds, pf] = repeat(o.reps, [&] {
      counts = {};
      return sx::pathfinder(counted, sx::pathfinder_options{.seed = o.seed});
    });
    run_row statix;
    statix.model = name;
    statix.method = "Pathfinder (4 paths)";
    statix.implementation = "statix";
    statix.seconds = seconds;
    statix.gradients = counts.gradients;
    statix.evaluations = counts.densities;
    int iterations = 0;
    double best_elbo = -std::numeric_limits<double>::infinity();
    for (const auto& path : pf.paths()) {
      iterations += path.iterations;
      best_elbo = std::max(best_elbo, path.elbo);
    }
    statix.iterations = std::to_string(iterations) + " (sum of paths)";
    statix.objective = "ELBO " + format("%.1f", best_elbo) + " (best path)";
    statix.note = "Pareto k " + format("%.2f", pf.pareto_k());
    if (o.nuts) {
      named mean;
      for (const std::string& column : names)
        mean[column] = pf.draws(column).mean();
      const auto [worst, where] = largest_difference(mean, nuts.mean, &nuts.sd);
      statix.agreement =
          "vs NUTS: max abs mean diff " + format("%.2f", worst) + " sd (" + where + ")";
      statix.ratio = format("%.1fx", nuts.seconds / seconds) + " (to ESS 400: " +
                     format("%.2fx", nuts.seconds * 400.0 / nuts.min_ess / seconds) + ")";
    }
    rows.push_back(statix);
    if (o.nuts) {
      run_row peer;
      peer.model = name;
      peer.method = "NUTS 4 x (1000 + 1000)";
      peer.implementation = "statix, 1 thread";
      peer.seconds = nuts.seconds;
      peer.gradients = nuts.gradients;
      peer.evaluations = nuts.gradients;
      peer.iterations = "8000";
      peer.objective =
          "min bulk ESS " + format("%.0f", nuts.min_ess) + " (" + nuts.min_ess_column + ")";
      const double to_400 = 400.0 / nuts.min_ess;
      peer.note = "to min ESS 400: " + format("%.3f", nuts.seconds * to_400) + " s, " +
                  format("%.0f", static_cast<double>(nuts.gradients) * to_400) + " gradients";
      rows.push_back(peer);
    }
  }
}

void print_table(const std::vector<run_row>& rows, int reps) {
  std::printf("| model | method | implementation | wall time (s, median of %d) | gradients | "
              "evaluations | iterations | objective | same answer | peer time / Statix time | "
              "notes |\n",
              reps);
  std::printf("|---|---|---|---:|---:|---:|---:|---|---|---:|---|\n");
  for (const run_row& r : rows)
    std::printf("| %s | %s | %s | %.4f | %lld | %lld | %s | %s | %s | %s | %s |\n", r.model.c_str(),
                r.method.c_str(), r.implementation.c_str(), r.seconds, r.gradients, r.evaluations,
                r.iterations.c_str(), r.objective.c_str(), r.agreement.c_str(), r.ratio.c_str(),
                r.note.c_str());
}

} // namespace

int main(int argc, char** argv) {
  try {
    const options o = parse(argc, argv);
    std::vector<run_row> rows;
    std::vector<std::string> notes;
    for (const std::string& name : o.models) {
      if (name == "logistic") {
        const auto d = statix_test::make_logistic_data(5000, 25, 11);
        statix_bench::stan_inference_set_logistic_regression_data(
            static_cast<int>(d.X.rows()), static_cast<int>(d.X.cols()), d.X.data(), d.y.data());
        run_model(name, statix_test::logistic_model(d),
                  statix_bench::stan_inference_model::logistic_regression, o, rows, notes);
      } else if (name == "radon") {
        const auto d = statix_test::make_radon_data(85, 919, 3);
        statix_bench::stan_inference_set_radon_data(d.groups, static_cast<int>(d.county.size()),
                                                    d.county.data(), d.floor.data(),
                                                    d.log_radon.data());
        run_model(name, statix_test::radon_model(d), statix_bench::stan_inference_model::radon, o,
                  rows, notes);
      } else {
        throw std::invalid_argument("unknown model " + name + " (logistic, radon)");
      }
    }
    print_table(rows, o.reps);
    for (const std::string& note : notes)
      std::printf("\nnote: %s\n", note.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "inference_benchmark: %s\n", e.what());
    return 1;
  }
}
