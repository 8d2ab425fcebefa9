// Statix's NUTS against Stan 2.21's, driven by the same random numbers.
//
// Both samplers take every random number from one uniform_stream
// (uniform_stream.hpp): Statix through a generator with a uniform01() member,
// Stan through a Boost-style engine over the same stream. Both draw momenta by
// Box-Muller from the stream (stan_nuts.cpp for Stan's diag_e_metric,
// fill_std_normal below for Statix, whose own draws use a ziggurat).
// Both evaluate the same log density and gradient: Statix calls Stan's model
// through an adapter. So wherever the algorithms agree the two runs take the
// same decisions, consume the same numbers and, unless Eigen 3.3 and 3.4 sum
// a dot product in different orders, compute the same values to the bit.
//
// 1. Transitions: from states of a warm-up run, with the adapted metric and
//    the adapted step size times 1, 2 and 4 (divergences), one transition of
//    each sampler (Statix nuts_kernel, Stan diag_e_nuts::transition); tree
//    depth, leapfrog steps, divergence and the numbers drawn must be equal,
//    the selected state, acceptance statistic and energy equal to rounding.
// 2. Whole chains: Stan's adapt_diag_e_nuts run by the services'
//    run_adaptive_sampler against Statix's run_chain, same start, 1000 + 1000
//    iterations: every row compared, then the adapted step size and metric.
//    A rounding difference would grow through the step-size adaptation until
//    a decision flips and the chains part: the iteration is reported (with
//    --verbose, the largest difference every 100 iterations before it).
//
//   nuts_stan_equivalence [--states 200] [--chains 4] [--verbose]

#include "stan_nuts.hpp"
#include "uniform_stream.hpp"

#include "../../tests/model/reference_models.hpp" // the benchmark data

#include <statix/statix.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace sx = statix;
using statix_bench::stan_nuts_model;

namespace {

// Statix's generator interface over the shared stream.
struct stream_rng {
  statix_bench::uniform_stream stream;
  explicit stream_rng(std::uint64_t seed) : stream(seed) {}
  double uniform01() { return stream.next(); }
};

// Statix's momenta from the shared stream, by Box-Muller as Stan's are drawn
// (stan_nuts.cpp); found by argument-dependent lookup in place of Statix's
// ziggurat.
void fill_std_normal(Eigen::VectorXd& v, stream_rng& g) {
  statix_bench::box_muller_fill(g.stream, v.data(), static_cast<int>(v.size()));
}

// Stan's model behind the interface Statix's samplers use. An exception of
// Stan's log density is a rejected point, as Stan's sampler treats it.
struct stan_model_adapter {
  stan_nuts_model which;
  int n = 0;
  std::vector<std::string> names;

  explicit stan_model_adapter(stan_nuts_model w)
      : which(w), n(statix_bench::stan_num_params(w)),
        names(statix_bench::stan_constrained_names(w)) {}

  int dim() const { return n; }
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad,
                              sx::density_options = {}) const {
    try {
      return statix_bench::stan_log_density_gradient(which, x.data(), grad.data());
    } catch (const std::exception&) {
      grad.setZero();
      return -std::numeric_limits<double>::infinity();
    }
  }
  std::vector<std::string> output_names() const { return names; }
  int output_size() const { return static_cast<int>(names.size()); }
  void write_output(const Eigen::VectorXd& x, double* out) const {
    statix_bench::stan_write_constrained(which, x.data(), out);
  }
  void unconstrain_into(const sx::named_values&, Eigen::VectorXd&) const {
    throw std::logic_error("stan_model_adapter: no named inits");
  }
};

// A kernel that records the state after each transition.
template <class Model>
struct recording_kernel {
  sx::nuts_kernel<Model>& kernel;
  std::vector<Eigen::VectorXd>& states;
  template <class Rng>
  sx::transition_stats transition(sx::phase_point& z, double step_size, Rng& rng) {
    const sx::transition_stats s = kernel.transition(z, step_size, rng);
    states.push_back(z.q);
    return s;
  }
};

double relative_difference(double a, double b) {
  if (a == b) return 0; // also equal infinities
  return std::abs(a - b) / std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

struct transition_summary {
  int compared = 0;
  int decisions_differ = 0; // depth, leapfrog steps, divergence or numbers drawn
  int divergent = 0;
  int at_max_depth = 0;
  double max_state_difference = 0; // q, log density, accept_stat, energy
};

transition_summary compare_transitions(const stan_model_adapter& model, int n_states, int max_depth,
                                       bool verbose) {
  // States, metric and step size from a Statix warm-up run on the model.
  sx::nuts o{.chains = 1, .warmup = 500, .draws = 500, .seed = 7, .progress = 0};
  sx::hamiltonian_system<stan_model_adapter> system(model, o.metric);
  sx::nuts_kernel<stan_model_adapter> kernel(system, o.max_depth, o.max_energy_error);
  std::vector<Eigen::VectorXd> states;
  recording_kernel<stan_model_adapter> recorder{kernel, states};
  const sx::chain_result warm = sx::detail::run_chain(system, recorder, o, 0, {});
  const Eigen::VectorXd inv_metric = warm.inv_metric.col(0);
  system.metric().set_diagonal(inv_metric);
  sx::nuts_kernel<stan_model_adapter> check_kernel(system, max_depth, o.max_energy_error);

  transition_summary out;
  const int stride = std::max(1, static_cast<int>(states.size()) / n_states);
  std::uint64_t stream_seed = 1;
  for (std::size_t k = 0; k < states.size(); k += static_cast<std::size_t>(stride))
    for (double factor : {1.0, 2.0, 4.0}) {
      const double eps = factor * warm.step_size;
      sx::phase_point z(model.n);
      z.q = states[k];
      system.evaluate(z);
      stream_rng rng(stream_seed);
      const sx::transition_stats s = check_kernel.transition(z, eps, rng);
      const auto t = statix_bench::stan_stream_transition(
          model.which, states[k].data(), inv_metric.data(), eps, max_depth, stream_seed);
      ++stream_seed;
      ++out.compared;
      out.divergent += s.divergent;
      out.at_max_depth += s.tree_depth == max_depth;
      const bool same_decisions = s.tree_depth == t.tree_depth && s.n_leapfrog == t.n_leapfrog &&
                                  s.divergent == t.divergent && rng.stream.count() == t.uniforms;
      double diff = std::max({relative_difference(z.log_density, t.log_density),
                              relative_difference(s.accept_stat, t.accept_stat),
                              relative_difference(s.energy, t.energy)});
      for (int i = 0; i < model.n; ++i)
        diff = std::max(diff, relative_difference(z.q[i], t.q[static_cast<std::size_t>(i)]));
      if (!same_decisions) {
        ++out.decisions_differ;
        if (verbose)
          std::printf("    differ: state %zu x%.0f: statix depth %d leapfrog %d divergent %d "
                      "uniforms %lld accept %.17g; stan %d %d %d %lld %.17g\n",
                      k, factor, s.tree_depth, s.n_leapfrog, int(s.divergent), rng.stream.count(),
                      s.accept_stat, t.tree_depth, t.n_leapfrog, int(t.divergent), t.uniforms,
                      t.accept_stat);
      } else {
        out.max_state_difference = std::max(out.max_state_difference, diff);
      }
    }
  return out;
}

struct chain_summary {
  int rows = 0;
  int first_difference = -1; // iteration (0-based, warm-up included); -1: none
  std::string what;
  double max_row_difference = 0; // before the first difference
  double step_size_statix = 0, step_size_stan = 0;
  double max_metric_difference = 0;
  long long uniforms_statix = 0, uniforms_stan = 0;
  std::vector<double> growth; // largest relative difference in each row
};

chain_summary compare_chain(const stan_model_adapter& model, std::uint64_t stream_seed) {
  // The start: uniform(-2, 2), from a stream of its own.
  statix_bench::uniform_stream init_stream(1000 + stream_seed);
  Eigen::VectorXd init(model.n);
  for (int i = 0; i < model.n; ++i)
    init[i] = 2.0 * (2.0 * init_stream.next() - 1.0);

  const int warmup = 1000, draws = 1000;
  sx::nuts o{.chains = 1, .warmup = warmup, .draws = draws, .progress = 0};
  o.save_warmup = true;
  o.init_positions = {init};
  sx::hamiltonian_system<stan_model_adapter> system(model, o.metric);
  sx::nuts_kernel<stan_model_adapter> kernel(system, o.max_depth, o.max_energy_error);
  stream_rng rng(stream_seed);
  const sx::chain_result statix_chain = sx::detail::run_chain(system, kernel, o, 0, {}, rng);
  const auto stan_chain =
      statix_bench::stan_stream_chain(model.which, init.data(), stream_seed, warmup, draws, 10);

  chain_summary out;
  out.uniforms_statix = rng.stream.count();
  out.uniforms_stan = stan_chain.uniforms;
  out.step_size_statix = statix_chain.step_size;
  out.step_size_stan = stan_chain.step_size;
  for (int i = 0; i < model.n; ++i)
    out.max_metric_difference =
        std::max(out.max_metric_difference,
                 relative_difference(statix_chain.inv_metric(i, 0),
                                     stan_chain.inv_metric[static_cast<std::size_t>(i)]));
  // Rows of numbers only (the services also write strings).
  std::vector<const std::vector<double>*> stan_rows;
  for (const auto& row : stan_chain.rows)
    if (row.size() == stan_chain.column_names.size()) stan_rows.push_back(&row);
  const Eigen::MatrixXd statix_rows =
      (Eigen::MatrixXd(warmup + draws, statix_chain.draws.cols()) << statix_chain.warmup_draws,
       statix_chain.draws)
          .finished();
  out.rows = static_cast<int>(
      std::min<std::size_t>(stan_rows.size(), static_cast<std::size_t>(statix_rows.rows())));
  const std::vector<std::string>& names = stan_chain.column_names;
  for (int r = 0; r < out.rows && out.first_difference < 0; ++r) {
    double row_difference = 0;
    for (std::size_t c = 0; c < names.size(); ++c) {
      const double a = statix_rows(r, static_cast<Eigen::Index>(c)), b = (*stan_rows[r])[c];
      const bool discrete =
          names[c] == "treedepth__" || names[c] == "n_leapfrog__" || names[c] == "divergent__";
      const double diff = relative_difference(a, b);
      if ((discrete && a != b) || diff > 1e-6) {
        out.first_difference = r;
        out.what = names[c] + " " + std::to_string(a) + " vs " + std::to_string(b);
        break;
      }
      row_difference = std::max(row_difference, diff);
    }
    if (out.first_difference < 0) {
      out.max_row_difference = std::max(out.max_row_difference, row_difference);
      out.growth.push_back(row_difference);
    }
  }
  return out;
}

} // namespace

int main(int argc, char** argv) {
  try {
    int n_states = 200, n_chains = 4;
    bool verbose = false;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--states" && i + 1 < argc)
        n_states = std::stoi(argv[++i]);
      else if (arg == "--chains" && i + 1 < argc)
        n_chains = std::stoi(argv[++i]);
      else if (arg == "--verbose")
        verbose = true;
      else
        throw std::invalid_argument("unknown argument " + arg);
    }

    const statix_test::eight_schools_data es;
    statix_bench::stan_set_eight_schools_data(static_cast<int>(es.y.size()), es.y.data(),
                                              es.sigma.data());
    const auto radon = statix_test::make_radon_data(85, 919, 3);
    statix_bench::stan_set_radon_data(radon.groups, static_cast<int>(radon.county.size()),
                                      radon.county.data(), radon.floor.data(),
                                      radon.log_radon.data());
    std::vector<double> scales;
    for (int i = 1; i <= 10; ++i)
      scales.push_back(0.1 * i * i);
    statix_bench::stan_set_iid_normal_data(static_cast<int>(scales.size()), scales.data());

    const std::vector<std::pair<std::string, stan_nuts_model>> models = {
        {"iid_normal", stan_nuts_model::iid_normal},
        {"eight_schools", stan_nuts_model::eight_schools},
        {"eight_schools_centered", stan_nuts_model::eight_schools_centered},
        {"radon", stan_nuts_model::radon}};

    std::printf("1. One transition from the same state with the same random numbers\n");
    int total_differ = 0;
    for (const auto& [name, which] : models) {
      const stan_model_adapter model(which);
      for (int max_depth : {10, 3}) {
        const transition_summary t = compare_transitions(model, n_states, max_depth, verbose);
        total_differ += t.decisions_differ;
        std::printf("  %-22s max_depth %2d: %4d transitions (%3d divergent, %3d at max depth), "
                    "decisions differ in %d, largest relative difference otherwise %.2g\n",
                    name.c_str(), max_depth, t.compared, t.divergent, t.at_max_depth,
                    t.decisions_differ, t.max_state_difference);
      }
    }

    std::printf("\n2. Whole chains (1000 warm-up + 1000 draws) from the same start with the "
                "same random numbers\n");
    for (const auto& [name, which] : models) {
      const stan_model_adapter model(which);
      for (int c = 1; c <= n_chains; ++c) {
        const chain_summary s = compare_chain(model, static_cast<std::uint64_t>(c));
        if (verbose) {
          std::printf("    largest relative difference by iteration:");
          for (std::size_t r = 0; r < s.growth.size(); r += 100)
            std::printf(" %zu:%.1e", r, s.growth[r]);
          std::printf("\n");
        }
        if (s.first_difference < 0)
          std::printf("  %-22s stream %d: all %d rows agree (largest relative difference %.2g); "
                      "step size %.17g vs %.17g, inverse metric within %.2g; numbers drawn "
                      "%lld vs %lld\n",
                      name.c_str(), c, s.rows, s.max_row_difference, s.step_size_statix,
                      s.step_size_stan, s.max_metric_difference, s.uniforms_statix,
                      s.uniforms_stan);
        else
          std::printf("  %-22s stream %d: rows agree up to iteration %d (largest relative "
                      "difference before it %.2g), then %s\n",
                      name.c_str(), c, s.first_difference, s.max_row_difference, s.what.c_str());
      }
    }
    return total_differ == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nuts_stan_equivalence: %s\n", e.what());
    return 2;
  }
}
