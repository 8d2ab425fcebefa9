// Sampler benchmark: bulk ESS per second and gradient evaluations per bulk
// ESS of Statix's NUTS and of Stan's own NUTS (Stan 2.21,
// stan::services::sample::hmc_nuts_diag_e_adapt), on the same models and the
// same data, in the same run, 4 chains x (1000 warm-up + 1000 draws) each.
//
// - Statix: sx::sample(model, sx::nuts{...}) with one thread, and again with
//   one thread per hardware thread; only the sample() call is timed.
// - Stan: the four chains one after another (as CmdStan runs them one per
//   process), each services call timed with a steady clock.
// - Both samplers' draws go through the same function, statix::ess_bulk; the
//   ESS reported is the minimum over every recorded model quantity
//   (parameters and transformed parameters), the cost counts every gradient
//   evaluation of the run, warm-up included.
// - The posterior means of both samplers are compared (difference over the
//   combined Monte Carlo standard error), so that both run the same posterior.
// - The per-gradient cost of each implementation, timed at the chains' final
//   positions, splits each run's wall time into gradient and sampler time.
//
//   nuts_benchmark [--seeds 3] [--first-seed 1] [--models eight_schools,radon,logistic]
//                  [--threads N] [--warmup 1000] [--draws 1000]
//                  [--no-stan] [--statix-only-threads 1] [--cpu-warmup 3] [--verbose]
//                  [--csv runs.csv] [--chains-csv chains.csv]
//                  [--adaptations windowed,fisher,automatic]
// --adaptations lists Statix's warm-ups, each run on every seed (Stan's runs
// keep Stan's windowed one): windowed is Stan's, fisher is .adaptation =
// sx::adaptation::fisher with the diagonal metric, automatic is .metric =
// sx::metric::automatic. The first one listed is the one the time split uses.
// Models: eight_schools (non-centred), eight_schools_centered, radon (centred),
// logistic. The CSV files hold one line per run and per chain, for
// compare_seeds.R.

#include "stan_nuts.hpp"

#include "../../tests/model/statix_models.hpp" // the models, as the model tests write them

#include <statix/statix.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace sx = statix;

namespace {

// Eight schools, centred: the funnel between tau and theta (the benchmark's
// own model; Stan's is in stan_nuts.cpp).
inline auto eight_schools_centered_model(const statix_test::eight_schools_data& d) {
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta = sx::normal<"theta">(mu, tau, sx::size(8));
  auto y = sx::normal<"y">(theta, d.sigma).observe(d.y);
  return sx::model(mu, tau, theta, y);
}

// ---------------------------------------------------------------------------
// Draws of either sampler in one shape: per chain a draws x columns matrix.
// ---------------------------------------------------------------------------
struct draw_set {
  std::vector<std::string> column_names;
  std::vector<Eigen::MatrixXd> chains;

  int column(const std::string& name) const {
    for (std::size_t k = 0; k < column_names.size(); ++k)
      if (column_names[k] == name) return static_cast<int>(k);
    return -1;
  }
  // One column per chain, rows = draws: the layout of the diagnostics.
  Eigen::MatrixXd by_chain(int k) const {
    Eigen::Index rows = chains.front().rows();
    for (const auto& c : chains)
      rows = std::min(rows, c.rows());
    Eigen::MatrixXd out(rows, static_cast<Eigen::Index>(chains.size()));
    for (std::size_t c = 0; c < chains.size(); ++c)
      out.col(static_cast<Eigen::Index>(c)) = chains[c].col(k).head(rows);
    return out;
  }
};

int draws_column(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return static_cast<int>(k);
  throw std::logic_error("no column " + name);
}

bool is_sampler_column(const std::string& name) {
  return !name.empty() && name.size() > 2 && name.compare(name.size() - 2, 2, "__") == 0;
}

// One run of one sampler on one model with one seed.
struct run_record {
  std::string model;
  std::string sampler;
  unsigned seed = 0;
  double seconds = 0;
  long long gradients = 0;
  double min_ess = 0;
  std::string min_ess_column;
  double median_ess = 0; // median bulk ESS over the model quantities
  double lp_ess = 0;
  long long divergent = 0;        // post-warm-up, all chains
  double step_size = 0;           // mean adapted step size over chains
  double leapfrog_per_draw = 0;   // mean n_leapfrog__ after warm-up
  double accept_stat = 0;         // mean accept_stat__ after warm-up
  double diagnostics_seconds = 0; // ESS of every column, outside the timed region
  double per_chain_seconds = 0;   // Statix: warm-up + sampling summed over chains
  long long leapfrog_steps = 0;   // n_leapfrog__ summed over warm-up and sampling (--csv only)
  // Per chain: adapted step size, mean accept_stat__ after warm-up,
  // divergences after warm-up, and the adapted inverse metric.
  std::vector<double> chain_step_size, chain_accept_stat;
  std::vector<long long> chain_divergent;
  std::vector<std::vector<double>> chain_inv_metric;
  double ess_per_second() const { return min_ess / seconds; }
  double gradients_per_ess() const { return static_cast<double>(gradients) / min_ess; }
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void summarise_draws(const draw_set& draws, run_record& record) {
  const auto start = std::chrono::steady_clock::now();
  record.min_ess = std::numeric_limits<double>::infinity();
  std::vector<double> all_ess;
  for (std::size_t k = 0; k < draws.column_names.size(); ++k) {
    const std::string& name = draws.column_names[k];
    if (is_sampler_column(name)) continue;
    const double ess = sx::ess_bulk(draws.by_chain(static_cast<int>(k)));
    all_ess.push_back(ess);
    if (!(ess >= record.min_ess)) { // NaN counts as the minimum
      record.min_ess = ess;
      record.min_ess_column = name;
    }
  }
  record.lp_ess = sx::ess_bulk(draws.by_chain(draws.column("lp__")));
  record.diagnostics_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  record.median_ess = median(all_ess);
  const Eigen::MatrixXd divergent = draws.by_chain(draws.column("divergent__"));
  record.divergent = static_cast<long long>((divergent.array() != 0.0).count());
  record.step_size = draws.by_chain(draws.column("stepsize__")).row(0).mean();
  record.leapfrog_per_draw = draws.by_chain(draws.column("n_leapfrog__")).mean();
  record.accept_stat = draws.by_chain(draws.column("accept_stat__")).mean();
  const Eigen::MatrixXd step = draws.by_chain(draws.column("stepsize__"));
  const Eigen::MatrixXd accept = draws.by_chain(draws.column("accept_stat__"));
  record.chain_step_size.clear();
  record.chain_accept_stat.clear();
  record.chain_divergent.clear();
  for (Eigen::Index c = 0; c < step.cols(); ++c) {
    record.chain_step_size.push_back(step(0, c));
    record.chain_accept_stat.push_back(accept.col(c).mean());
    record.chain_divergent.push_back(
        static_cast<long long>((divergent.col(c).array() != 0.0).count()));
  }
}

// Largest |mean difference| / combined MCSE over the columns both samplers
// recorded; also reported for a few named columns.
struct agreement {
  double max_z = 0;
  std::string max_z_column;
  std::map<std::string, std::pair<double, double>> means; // name -> (statix, stan)
  std::map<std::string, double> z;
};

agreement compare_means(const draw_set& a, const draw_set& b,
                        const std::vector<std::string>& named) {
  agreement out;
  for (std::size_t k = 0; k < a.column_names.size(); ++k) {
    const std::string& name = a.column_names[k];
    if (is_sampler_column(name)) continue;
    const int j = b.column(name);
    if (j < 0) continue;
    const Eigen::MatrixXd da = a.by_chain(static_cast<int>(k)), db = b.by_chain(j);
    const double mean_a = da.mean(), mean_b = db.mean();
    const double se = std::hypot(sx::mcse_mean(da), sx::mcse_mean(db));
    const double z = (mean_a - mean_b) / se;
    if (std::abs(z) > std::abs(out.max_z) || !std::isfinite(z)) {
      out.max_z = z;
      out.max_z_column = name;
    }
    if (std::find(named.begin(), named.end(), name) != named.end()) {
      out.means[name] = {mean_a, mean_b};
      out.z[name] = z;
    }
  }
  return out;
}

template <class Fit>
draw_set statix_draws(const Fit& fit) {
  draw_set out;
  out.column_names = fit.column_names();
  for (const auto& chain : fit.chains())
    out.chains.push_back(chain.draws);
  return out;
}

draw_set stan_draws(const statix_bench::stan_nuts_run& run) {
  draw_set out;
  out.column_names = run.column_names;
  const Eigen::Index columns = static_cast<Eigen::Index>(run.column_names.size());
  for (const auto& chain : run.draws) {
    const Eigen::Index rows = static_cast<Eigen::Index>(chain.size()) / columns;
    out.chains.push_back(
        Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
            chain.data(), rows, columns));
  }
  return out;
}

// Seconds per gradient evaluation, cycling over the given points for at
// least `budget` seconds.
template <class Gradient>
double seconds_per_gradient(const std::vector<Eigen::VectorXd>& points, Gradient gradient,
                            double budget = 0.3) {
  Eigen::VectorXd grad(points.front().size());
  double sink = 0;
  for (const auto& x : points) // warm caches and thread-local buffers
    sink += gradient(x, grad);
  long long calls = 0;
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < budget) {
    for (int repeat = 0; repeat < 64; ++repeat)
      for (const auto& x : points) {
        sink += gradient(x, grad);
        ++calls;
      }
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  if (sink == 42.125) std::cout << ' '; // keep the calls
  return elapsed / static_cast<double>(calls);
}

// ---------------------------------------------------------------------------
// Options and output.
// ---------------------------------------------------------------------------
struct options {
  int seeds = 3;
  int first_seed = 1;
  std::vector<std::string> models = {"eight_schools", "radon", "logistic"};
  int threads = 0; // 0: hardware concurrency
  int warmup = 1000;
  int draws = 1000;
  bool stan = true;
  int statix_only_threads = 0; // > 0: one Statix configuration only (profiling)
  bool verbose = false;
  double cpu_warmup = 3.0; // seconds of untimed sampling first, so the CPU runs at its steady clock
  std::string csv;         // one line per run (model, sampler, seed) when set
  std::string chains_csv;  // one line per chain when set
  std::vector<std::string> adaptations = {"windowed"}; // Statix's warm-ups
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, separator))
    if (!item.empty()) out.push_back(item);
  return out;
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--seeds")
      o.seeds = std::stoi(value());
    else if (arg == "--first-seed")
      o.first_seed = std::stoi(value());
    else if (arg == "--models")
      o.models = split(value(), ',');
    else if (arg == "--threads")
      o.threads = std::stoi(value());
    else if (arg == "--warmup")
      o.warmup = std::stoi(value());
    else if (arg == "--draws")
      o.draws = std::stoi(value());
    else if (arg == "--cpu-warmup")
      o.cpu_warmup = std::stod(value());
    else if (arg == "--no-stan")
      o.stan = false;
    else if (arg == "--statix-only-threads") {
      o.statix_only_threads = std::stoi(value());
      o.stan = false;
    } else if (arg == "--verbose")
      o.verbose = true;
    else if (arg == "--csv")
      o.csv = value();
    else if (arg == "--chains-csv")
      o.chains_csv = value();
    else if (arg == "--adaptations") {
      o.adaptations = split(value(), ',');
      for (const std::string& a : o.adaptations)
        if (a != "windowed" && a != "fisher" && a != "automatic")
          throw std::invalid_argument("--adaptations takes windowed, fisher and automatic");
      if (o.adaptations.empty()) throw std::invalid_argument("--adaptations needs one or more");
    } else
      throw std::invalid_argument("unknown argument " + arg);
  }
  if (o.threads <= 0)
    o.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return o;
}

void print_record(const run_record& r) {
  std::printf(
      "  %-14s %-16s seed %u: %8.3f s  %9lld grads  min ESS %7.0f (%s)  median ESS %7.0f  "
      "lp ESS %6.0f  %9.0f ESS/s  %7.1f grads/ESS  step %.3g  accept %.3f  leapfrog/draw %.1f  "
      "divergent %lld  [ESS %.3f s]\n",
      r.model.c_str(), r.sampler.c_str(), r.seed, r.seconds, r.gradients, r.min_ess,
      r.min_ess_column.c_str(), r.median_ess, r.lp_ess, r.ess_per_second(), r.gradients_per_ess(),
      r.step_size, r.accept_stat, r.leapfrog_per_draw, r.divergent, r.diagnostics_seconds);
}

// ---------------------------------------------------------------------------
// One model: every seed, every sampler.
// ---------------------------------------------------------------------------
struct model_results {
  std::vector<run_record> records;
  std::vector<std::string> agreement_lines;
  std::vector<std::string> cost_lines;
};

template <class Model>
model_results run_model(const std::string& name, const Model& model,
                        statix_bench::stan_nuts_model stan_model, const options& o,
                        const std::vector<std::string>& named_columns) {
  model_results out;
  std::vector<Eigen::VectorXd> final_positions;
  std::vector<double> statix_wall_1;
  std::vector<double> statix_gradients_1;
  std::vector<double> stan_wall, stan_gradients;
  const std::string threads_label = "statix " + std::to_string(o.threads) + " threads";
  for (int s = o.first_seed; s < o.first_seed + o.seeds; ++s) {
    const unsigned seed = static_cast<unsigned>(s);
    draw_set stan_set;
    if (o.stan) {
      const auto run = statix_bench::stan_run_nuts(stan_model, seed, 4, o.warmup, o.draws);
      if (run.error_code != 0)
        throw std::runtime_error("Stan's sampler returned error code " +
                                 std::to_string(run.error_code));
      run_record r;
      r.model = name;
      r.sampler = "stan 2.21";
      r.seed = seed;
      r.seconds = run.seconds;
      r.gradients = run.gradient_evaluations;
      r.leapfrog_steps = run.leapfrog_steps;
      stan_set = stan_draws(run);
      summarise_draws(stan_set, r);
      r.chain_inv_metric = run.inv_metrics;
      if (o.verbose) {
        print_record(r);
        std::printf("    stan: n_leapfrog__ sum %lld, counted gradients %lld\n", run.leapfrog_steps,
                    run.gradient_evaluations);
      }
      stan_wall.push_back(r.seconds);
      stan_gradients.push_back(static_cast<double>(r.gradients));
      out.records.push_back(r);
    }
    std::vector<int> thread_counts = {1, o.threads};
    if (o.statix_only_threads > 0) thread_counts = {o.statix_only_threads};
    if (o.threads == 1 && o.statix_only_threads == 0) thread_counts = {1};
    for (int threads : thread_counts)
      for (const std::string& adaptation : o.adaptations) {
        const bool first_adaptation = adaptation == o.adaptations.front();
        sx::nuts nuts_options{.chains = 4,
                              .warmup = o.warmup,
                              .draws = o.draws,
                              .seed = seed,
                              .threads = threads,
                              .progress = 0};
        // Warm-up rows only to count the warm-up's leapfrog steps; they change
        // no draw.
        nuts_options.save_warmup = !o.csv.empty();
        if (adaptation != "windowed") nuts_options.adaptation = sx::adaptation::fisher;
        if (adaptation == "automatic") nuts_options.metric = sx::metric::automatic;
        const auto start = std::chrono::steady_clock::now();
        auto fit = sx::sample(model, nuts_options);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        run_record r;
        r.model = name;
        r.sampler = threads == 1 ? "statix 1 thread" : threads_label;
        if (adaptation != "windowed") r.sampler += " " + adaptation;
        r.seed = seed;
        r.seconds = seconds;
        r.gradients = fit.gradient_evaluations();
        for (const auto& chain : fit.chains())
          r.per_chain_seconds += chain.warmup_seconds + chain.sampling_seconds;
        const draw_set statix_set = statix_draws(fit);
        summarise_draws(statix_set, r);
        for (const auto& chain : fit.chains()) {
          // The inverse metric's diagonal, whichever form the chain adapted.
          const Eigen::MatrixXd full = sx::inverse_metric_matrix(chain);
          const Eigen::VectorXd m =
              full.cols() == 1 ? Eigen::VectorXd(full.col(0)) : Eigen::VectorXd(full.diagonal());
          r.chain_inv_metric.emplace_back(m.data(), m.data() + m.size());
          const int k = draws_column(chain.column_names, "n_leapfrog__");
          r.leapfrog_steps += static_cast<long long>(chain.draws.col(k).sum());
          if (chain.warmup_draws.rows() > 0)
            r.leapfrog_steps += static_cast<long long>(chain.warmup_draws.col(k).sum());
        }
        if (o.verbose) {
          print_record(r);
          std::printf("    statix: chains' own warm-up + sampling time %.3f s\n",
                      r.per_chain_seconds);
        }
        out.records.push_back(r);
        if (threads == 1 && first_adaptation) {
          statix_wall_1.push_back(seconds);
          statix_gradients_1.push_back(static_cast<double>(r.gradients));
          for (const auto& q : fit.last_positions())
            final_positions.push_back(q);
          if (o.stan) {
            const agreement a = compare_means(statix_set, stan_set, named_columns);
            std::ostringstream line;
            line << name << " seed " << seed << ": max |mean diff| / MCSE = " << std::abs(a.max_z)
                 << " (" << a.max_z_column << ")";
            for (const auto& [column, means] : a.means)
              line << "; " << column << " " << means.first << " vs " << means.second
                   << " (z = " << a.z.at(column) << ")";
            out.agreement_lines.push_back(line.str());
          }
        }
      }
  }

  // Where the time goes: the gradient's own cost times the number of gradient
  // evaluations, against the wall time (one thread).
  if (!final_positions.empty()) {
    const double statix_gradient =
        seconds_per_gradient(final_positions, [&](const Eigen::VectorXd& x, Eigen::VectorXd& grad) {
          return model.log_density_gradient(x, grad, {.jacobian = true, .propto = true});
        });
    const double wall = median(statix_wall_1), gradients = median(statix_gradients_1);
    std::ostringstream line;
    line.setf(std::ios::fixed);
    line.precision(3);
    line << name << ": statix gradient " << statix_gradient * 1e6 << " us; " << gradients
         << " gradients = " << gradients * statix_gradient << " s of " << wall << " s wall ("
         << 100 * gradients * statix_gradient / wall << "%), the rest "
         << (wall - gradients * statix_gradient) / gradients * 1e6 << " us per gradient";
    out.cost_lines.push_back(line.str());
    if (o.stan) {
      const double stan_gradient = seconds_per_gradient(
          final_positions, [&](const Eigen::VectorXd& x, Eigen::VectorXd& grad) {
            return statix_bench::stan_log_density_gradient(stan_model, x.data(), grad.data());
          });
      const double swall = median(stan_wall), sgradients = median(stan_gradients);
      std::ostringstream sline;
      sline.setf(std::ios::fixed);
      sline.precision(3);
      sline << name << ": stan gradient " << stan_gradient * 1e6 << " us; " << sgradients
            << " gradients = " << sgradients * stan_gradient << " s of " << swall << " s wall ("
            << 100 * sgradients * stan_gradient / swall << "%), the rest "
            << (swall - sgradients * stan_gradient) / sgradients * 1e6 << " us per gradient";
      out.cost_lines.push_back(sline.str());
    }
  }
  return out;
}

void print_table(const std::vector<run_record>& records, int seeds) {
  std::printf("\nMedians over %d seeds. ESS: bulk ESS (statix::ess_bulk) of each model quantity "
              "(parameters and transformed parameters); \"min\" is the smallest of them, the "
              "one the rates use. Gradients: every evaluation, warm-up included.\n\n",
              seeds);
  std::printf("| model | sampler | wall s | gradients | min ESS | median ESS | lp__ ESS | "
              "min ESS / s | gradients / min ESS | ESS/s vs Stan | divergent |\n");
  std::printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& r : records) {
    const auto key = std::make_pair(r.model, r.sampler);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  std::map<std::string, double> stan_ess_per_second;
  for (const auto& [model, sampler] : keys) {
    std::vector<double> wall, grads, ess, median_ess, lp_ess, ess_s, grads_ess, divergent;
    for (const auto& r : records)
      if (r.model == model && r.sampler == sampler) {
        wall.push_back(r.seconds);
        grads.push_back(static_cast<double>(r.gradients));
        ess.push_back(r.min_ess);
        median_ess.push_back(r.median_ess);
        lp_ess.push_back(r.lp_ess);
        ess_s.push_back(r.ess_per_second());
        grads_ess.push_back(r.gradients_per_ess());
        divergent.push_back(static_cast<double>(r.divergent));
      }
    const double rate = median(ess_s);
    if (sampler.rfind("stan", 0) == 0) stan_ess_per_second[model] = rate;
    char ratio[32] = "";
    if (stan_ess_per_second.count(model))
      std::snprintf(ratio, sizeof ratio, "%.1fx", rate / stan_ess_per_second[model]);
    std::printf("| %s | %s | %.3f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %s | %.0f |\n",
                model.c_str(), sampler.c_str(), median(wall), median(grads), median(ess),
                median(median_ess), median(lp_ess), rate, median(grads_ess), ratio,
                median(divergent));
  }
}

// One line per run, for the seed-by-seed comparison (compare_seeds.R).
void write_csv(const std::vector<run_record>& records, const std::string& path) {
  std::ofstream out(path);
  out << "model,sampler,seed,seconds,gradients,leapfrog_steps,min_ess,min_ess_column,median_ess,"
         "lp_ess,divergent,step_size,accept_stat,leapfrog_per_draw\n";
  out.precision(10);
  for (const auto& r : records)
    out << r.model << ',' << r.sampler << ',' << r.seed << ',' << r.seconds << ',' << r.gradients
        << ',' << r.leapfrog_steps << ',' << r.min_ess << ',' << r.min_ess_column << ','
        << r.median_ess << ',' << r.lp_ess << ',' << r.divergent << ',' << r.step_size << ','
        << r.accept_stat << ',' << r.leapfrog_per_draw << '\n';
}

// One line per chain: adapted step size, acceptance and divergences after
// warm-up, the first (up to) 5 entries of the adapted inverse metric (the
// hyperparameters of the benchmark models) and the geometric mean of all.
void write_chains_csv(const std::vector<run_record>& records, const std::string& path) {
  std::ofstream out(path);
  out << "model,sampler,seed,chain,step_size,accept_stat,divergent,inv_metric_1,inv_metric_2,"
         "inv_metric_3,inv_metric_4,inv_metric_5,inv_metric_geometric_mean\n";
  out.precision(10);
  for (const auto& r : records)
    for (std::size_t c = 0; c < r.chain_step_size.size(); ++c) {
      out << r.model << ',' << r.sampler << ',' << r.seed << ',' << c + 1 << ','
          << r.chain_step_size[c] << ',' << r.chain_accept_stat[c] << ',' << r.chain_divergent[c];
      const std::vector<double> m =
          c < r.chain_inv_metric.size() ? r.chain_inv_metric[c] : std::vector<double>{};
      double log_sum = 0;
      for (double v : m)
        log_sum += std::log(v);
      for (std::size_t k = 0; k < 5; ++k) {
        out << ',';
        if (k < m.size()) out << m[k];
      }
      out << ',';
      if (!m.empty()) out << std::exp(log_sum / static_cast<double>(m.size()));
      out << '\n';
    }
}

// What else the machine did while a model was measured: busy CPU time of all
// processes and time stolen by the hypervisor (Linux /proc/stat), minus this
// process's own CPU time. Near zero when the machine was quiet.
struct cpu_snapshot {
  double busy = -1; // seconds, all CPUs; -1 when /proc/stat cannot be read
  double steal = 0;
  double self = 0;
  std::chrono::steady_clock::time_point when = std::chrono::steady_clock::now();
};

cpu_snapshot take_snapshot() {
  cpu_snapshot s;
  std::ifstream stat("/proc/stat");
  std::string label;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  if (stat >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal &&
      label == "cpu") {
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    s.busy = (user + nice + system + irq + softirq) / tick;
    s.steal = steal / tick;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  s.self = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  return s;
}

std::string machine_activity(const std::string& model, const cpu_snapshot& a,
                             const cpu_snapshot& b) {
  char line[256];
  const double wall = std::chrono::duration<double>(b.when - a.when).count();
  if (a.busy < 0 || b.busy < 0) {
    std::snprintf(line, sizeof line, "%s: %.1f s wall (machine activity unavailable)",
                  model.c_str(), wall);
  } else {
    std::snprintf(line, sizeof line,
                  "%s: %.1f s wall, this process %.1f s CPU, other processes %.1f s CPU, "
                  "stolen by the hypervisor %.1f s",
                  model.c_str(), wall, b.self - a.self,
                  std::max(0.0, (b.busy - a.busy) - (b.self - a.self)), b.steal - a.steal);
  }
  return line;
}

} // namespace

int main(int argc, char** argv) {
  try {
    const options o = parse(argc, argv);
    std::printf("nuts_benchmark: %d seeds, 4 chains x (%d warm-up + %d draws), Statix threads 1 "
                "and %d\n",
                o.seeds, o.warmup, o.draws, o.threads);

    // An idle core runs at a lower clock for a while once work starts: the first
    // model measured would pay for it. Untimed sampling first.
    if (o.cpu_warmup > 0) {
      const statix_test::eight_schools_data d;
      const auto model = statix_test::eight_schools_model(d);
      const auto start = std::chrono::steady_clock::now();
      std::uint64_t seed = 1000;
      while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() <
             o.cpu_warmup)
        sx::sample(model, sx::nuts{.chains = 1,
                                   .warmup = 300,
                                   .draws = 300,
                                   .seed = seed++,
                                   .threads = 1,
                                   .progress = 0});
    }

    std::vector<run_record> records;
    std::vector<std::string> agreement_lines, cost_lines, activity_lines;
    auto collect = [&](model_results r) {
      records.insert(records.end(), r.records.begin(), r.records.end());
      agreement_lines.insert(agreement_lines.end(), r.agreement_lines.begin(),
                             r.agreement_lines.end());
      cost_lines.insert(cost_lines.end(), r.cost_lines.begin(), r.cost_lines.end());
    };

    for (const std::string& name : o.models) {
      const cpu_snapshot before = take_snapshot();
      if (name == "eight_schools") {
        const statix_test::eight_schools_data d;
        statix_bench::stan_set_eight_schools_data(static_cast<int>(d.y.size()), d.y.data(),
                                                  d.sigma.data());
        collect(run_model(name, statix_test::eight_schools_model(d),
                          statix_bench::stan_nuts_model::eight_schools, o, {"mu", "tau"}));
      } else if (name == "eight_schools_centered") {
        const statix_test::eight_schools_data d;
        statix_bench::stan_set_eight_schools_data(static_cast<int>(d.y.size()), d.y.data(),
                                                  d.sigma.data());
        collect(run_model(name, eight_schools_centered_model(d),
                          statix_bench::stan_nuts_model::eight_schools_centered, o, {"mu", "tau"}));
      } else if (name == "radon") {
        const auto d = statix_test::make_radon_data(85, 919, 3);
        statix_bench::stan_set_radon_data(d.groups, static_cast<int>(d.county.size()),
                                          d.county.data(), d.floor.data(), d.log_radon.data());
        collect(run_model(name, statix_test::radon_model(d), statix_bench::stan_nuts_model::radon,
                          o, {"mu_a", "sigma_a", "mu_b", "sigma_b", "sigma_y"}));
      } else if (name == "logistic") {
        const auto d = statix_test::make_logistic_data(5000, 25, 11);
        statix_bench::stan_set_logistic_regression_data(
            static_cast<int>(d.X.rows()), static_cast<int>(d.X.cols()), d.X.data(), d.y.data());
        collect(run_model(name, statix_test::logistic_model(d),
                          statix_bench::stan_nuts_model::logistic_regression, o,
                          {"alpha", "beta.1"}));
      } else {
        throw std::invalid_argument("unknown model " + name +
                                    " (eight_schools, eight_schools_centered, radon, logistic)");
      }
      activity_lines.push_back(machine_activity(name, before, take_snapshot()));
    }

    print_table(records, o.seeds);
    if (!o.csv.empty()) write_csv(records, o.csv);
    if (!o.chains_csv.empty()) write_chains_csv(records, o.chains_csv);
    if (!agreement_lines.empty()) {
      std::printf("\nPosterior means, Statix (1 thread) vs Stan, same seed:\n");
      for (const auto& line : agreement_lines)
        std::printf("  %s\n", line.c_str());
    }
    std::printf("\nTime split (one thread, medians):\n");
    for (const auto& line : cost_lines)
      std::printf("  %s\n", line.c_str());
    double diagnostics = 0;
    for (const auto& r : records)
      diagnostics = std::max(diagnostics, r.diagnostics_seconds);
    std::printf("  bulk ESS of every column of one run (not in the timed region): at most %.3f s\n",
                diagnostics);
    std::printf("\nMachine activity while each model ran (quiet: other processes near 0):\n");
    for (const auto& line : activity_lines)
      std::printf("  %s\n", line.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nuts_benchmark: %s\n", e.what());
    return 1;
  }
}
