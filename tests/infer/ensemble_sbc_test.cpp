// Calibration of the ensemble samplers on the hierarchical normal model of
// hierarchical_normal.hpp (as sbc_test.cpp does for NUTS).
//
// - Exact posterior: the draws of tau of 512 chains against tau's exact
//   marginal posterior (mean of F(tau) = 1/2; chains are independent given
//   the adapted parameters, so the spread of their means gives the error).
// - Simulation-based calibration (Talts et al. 2018): per replication one
//   ensemble run of 100 chains on data simulated from the prior; the last
//   draws of 99 chains are independent posterior draws given the adaptation,
//   so the true value's rank among them is uniform on 0..99. With the
//   adaptation broken on purpose (ChEES: none, a step size of 1e-3 kept;
//   MEADS: its step size heuristic divided by 200) the chains hardly leave
//   their starts (draws from a normal approximation at half its scale) and
//   the histograms are rejected.
#include "hierarchical_normal.hpp"

#include <statix/infer/ensemble.hpp>
#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace sx = statix;
using namespace statix_test::hierarchical_normal;

namespace {

constexpr int sbc_chains = 100;
constexpr int kept = 99; // L

template <class Options>
void check_exact_tau(const Options& options, const char* name) {
  Eigen::VectorXd y(groups);
  y << 0.5, 1.0, -1.0, 2.0;
  const auto model = hierarchical_model(y);
  const exact_tau_posterior exact(y);
  const auto start = std::chrono::steady_clock::now();
  const auto chains = sx::sample_chains(model, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& names = chains.front().column_names;
  const auto column = std::find(names.begin(), names.end(), "tau") - names.begin();
  Eigen::MatrixXd tau(chains.front().draws.rows(), static_cast<Eigen::Index>(chains.size()));
  for (std::size_t c = 0; c < chains.size(); ++c)
    tau.col(static_cast<Eigen::Index>(c)) = chains[c].draws.col(column);
  const tau_comparison t = compare_tau(tau, exact);
  char line[256];
  std::snprintf(line, sizeof line,
                "exact tau posterior, %s: %d chains in %.1f s; E[tau] %.5f (exact %.5f, z %.2f), "
                "mean F(tau) %.5f (z %.2f)",
                name, static_cast<int>(chains.size()), seconds, t.mean, t.exact_mean, t.mean_z,
                t.pit, t.pit_z);
  std::cout << line << "\n" << std::flush;
  INFO(line);
  CHECK(std::abs(t.pit_z) < 4.0);
  CHECK(std::abs(t.mean_z) < 4.0);
}

struct ranks {
  std::vector<int> mu, tau, theta1;
};

// Ranks of the true values among the last draws of the first 99 chains.
template <class Options>
void add_replication(const simulation& s, const Options& options, ranks& out) {
  const auto model = hierarchical_model(s.y);
  const auto chains = sx::sample_chains(model, options);
  const auto& names = chains.front().column_names;
  const auto column = [&](const char* name) {
    return std::find(names.begin(), names.end(), name) - names.begin();
  };
  const auto rank = [&](double truth, Eigen::Index col) {
    int r = 0;
    for (int c = 0; c < kept; ++c) {
      const Eigen::MatrixXd& draws = chains[static_cast<std::size_t>(c)].draws;
      if (draws(draws.rows() - 1, col) < truth) ++r;
    }
    return r;
  };
  out.mu.push_back(rank(s.mu, column("mu")));
  out.tau.push_back(rank(s.tau, column("tau")));
  out.theta1.push_back(rank(s.theta[0], column("theta.1")));
}

// Replications on two threads, each run on one; the options' seed moves with
// the replication.
template <class Options>
ranks run_sbc(Options options, int replications, double& seconds) {
  std::mt19937_64 rng(1);
  std::vector<simulation> simulations;
  for (int i = 0; i < replications; ++i)
    simulations.push_back(simulate(rng));
  options.threads = 1;
  options.progress = 0;
  const int workers = 2;
  std::vector<ranks> per_worker(workers);
  std::vector<std::exception_ptr> errors(workers);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      try {
        for (int i = w; i < replications; i += workers) {
          Options o = options;
          o.seed = 1000u + static_cast<std::uint64_t>(i);
          add_replication(simulations[static_cast<std::size_t>(i)], o,
                          per_worker[static_cast<std::size_t>(w)]);
        }
      } catch (...) {
        errors[static_cast<std::size_t>(w)] = std::current_exception();
      }
    });
  for (auto& t : threads)
    t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ranks all;
  for (const ranks& r : per_worker) {
    all.mu.insert(all.mu.end(), r.mu.begin(), r.mu.end());
    all.tau.insert(all.tau.end(), r.tau.begin(), r.tau.end());
    all.theta1.insert(all.theta1.end(), r.theta1.begin(), r.theta1.end());
  }
  return all;
}

// Smallest p-value of the three histograms, after printing them.
double sbc_p_value(const ranks& r, const std::string& name, int replications, double seconds) {
  const uniformity_test mu = chi_square_uniformity(r.mu, kept);
  const uniformity_test tau = chi_square_uniformity(r.tau, kept);
  const uniformity_test theta1 = chi_square_uniformity(r.theta1, kept);
  std::cout << "SBC, " << name << ": " << replications << " replications of " << sbc_chains
            << " chains (L = " << kept << ") in " << seconds << " s\n"
            << "  " << histogram_line("mu      ", mu) << "\n"
            << "  " << histogram_line("tau     ", tau) << "\n"
            << "  " << histogram_line("theta[1]", theta1) << "\n"
            << std::flush;
  return std::min({mu.p_value, tau.p_value, theta1.p_value});
}

} // namespace

TEST_CASE("ChEES and MEADS draws of tau match its exact posterior", "[infer]") {
  check_exact_tau(sx::chees{.chains = 512, .warmup = 500, .draws = 1000, .seed = 1, .progress = 0},
                  "ChEES");
  check_exact_tau(sx::meads{.chains = 512, .warmup = 1000, .draws = 2000, .seed = 1, .progress = 0},
                  "MEADS");
}

TEST_CASE("simulation-based calibration of ChEES and MEADS, and its power against a broken "
          "adaptation",
          "[slow][infer]") {
  const auto calibrated = [](const auto& options, int replications, const std::string& name) {
    double seconds = 0;
    const ranks r = run_sbc(options, replications, seconds);
    return sbc_p_value(r, name, replications, seconds);
  };
  const sx::chees chees{.chains = sbc_chains, .warmup = 300, .draws = 20};
  CHECK(calibrated(chees, 1000, "ChEES") > 0.01);
  const sx::meads meads{.chains = sbc_chains, .warmup = 1000, .draws = 50};
  CHECK(calibrated(meads, 1000, "MEADS") > 0.01);

  sx::chees broken_chees = chees;
  broken_chees.warmup = 0;
  broken_chees.step_size = 1e-3;
  CHECK(calibrated(broken_chees, 200, "ChEES, no adaptation (must fail)") < 1e-6);
  sx::meads broken_meads = meads;
  broken_meads.step_size_multiplier = 0.5 / 200;
  CHECK(calibrated(broken_meads, 200, "MEADS, step size / 200 (must fail)") < 1e-6);
}
