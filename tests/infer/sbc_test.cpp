// Simulation-based calibration of NUTS (Talts, Betancourt, Simpson, Vehtari &
// Gelman 2018, "Validating Bayesian inference algorithms with simulation-based
// calibration", arXiv:1804.06788, Algorithm 1). If parameters are drawn from
// the prior, data from the model given them, and the sampler draws exactly
// from the posterior, then the rank of the true value among L independent
// posterior draws is uniform on {0, ..., L}: a sampler that is biased, too
// narrow or too wide leaves its mark on the rank histogram.
//
// Model: a non-centred hierarchical normal with J = 4 groups and known sigma,
//   mu ~ normal(0, 1); tau ~ half-normal(0, 1); theta_raw[j] ~ normal(0, 1);
//   theta[j] = mu + tau * theta_raw[j]; y[j] ~ normal(theta[j], sigma[j]).
// Each replication runs one chain of 500 warm-up + 990 draws; every 10th draw
// is kept (L = 99) so that the kept draws are close to independent, as the
// ranks assume (section 5.1 of the paper: thin autocorrelated chains).
//
// SBC with a thousand replications sees only gross errors. The same model has
// a posterior for tau known up to a one-dimensional integral (mu and theta
// integrate out in closed form), so a second test checks the draws of many
// chains on one data set against that exact posterior: the mean of F(tau_draw),
// F the exact posterior CDF, is 1/2 for an exact sampler, and averaging over
// 400 chains x 4000 draws resolves a bias of a few thousandths.
#include "hierarchical_normal.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iostream>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace sx = statix;
using namespace statix_test::hierarchical_normal;

namespace {

constexpr int replications = 1000;
constexpr int warmup = 500;
constexpr int thin = 10;
constexpr int kept_draws = 99;           // L: ranks take the values 0..L
constexpr int draws = thin * kept_draws; // post-warm-up draws per replication

// Rank of `truth` among the kept draws (every thin-th), shifted by `shift`:
// the number of kept draws below the true value.
int rank_of(double truth, const Eigen::VectorXd& chain, double shift = 0.0) {
  int rank = 0;
  for (int k = 0; k < kept_draws; ++k)
    if (chain[(k + 1) * thin - 1] + shift < truth) ++rank;
  return rank;
}

struct replication_result {
  int rank_mu = 0, rank_tau = 0, rank_theta1 = 0;
  int rank_mu_shifted = 0; // negative control: draws moved by half a posterior sd
  long long divergent = 0;
};

// The warm-up under test: Stan's windowed one, or the one from draws and
// gradients (sx::metric::automatic: Fisher estimates, diagonal or dense).
struct warmup_choice {
  const char* name;
  sx::metric metric;
};

replication_result run_replication(const simulation& s, std::uint64_t seed,
                                   const warmup_choice& choice) {
  auto model = hierarchical_model(s.y);
  const auto fit = sx::sample(model, sx::nuts{.chains = 1,
                                              .warmup = warmup,
                                              .draws = draws,
                                              .seed = seed,
                                              .metric = choice.metric,
                                              .threads = 1,
                                              .progress = 0});
  const Eigen::VectorXd mu = fit.draws<"mu">();
  const Eigen::VectorXd tau = fit.draws<"tau">();
  const Eigen::VectorXd theta1 = fit.draws<"theta">().col(0);
  const double mu_sd = std::sqrt((mu.array() - mu.mean()).square().sum() / (mu.size() - 1));
  replication_result r;
  r.rank_mu = rank_of(s.mu, mu);
  r.rank_tau = rank_of(s.tau, tau);
  r.rank_theta1 = rank_of(s.theta[0], theta1);
  r.rank_mu_shifted = rank_of(s.mu, mu, 0.5 * mu_sd);
  r.divergent = fit.num_divergent();
  return r;
}

} // namespace

TEST_CASE("NUTS draws of tau match its exact posterior in a hierarchical normal model",
          "[slow][infer]") {
  Eigen::VectorXd y(groups);
  y << 0.5, 1.0, -1.0, 2.0;
  auto model = hierarchical_model(y);
  const exact_tau_posterior exact(y);
  REQUIRE(exact.cdf(1e9) == 1.0);
  REQUIRE(exact.cdf(0.0) == 0.0);

  // target_accept 0.95: small steps and deep trees, where a trajectory
  // builder that breaks reversibility shows most.
  const int chains = 400;
  const auto start = std::chrono::steady_clock::now();
  const auto fit = sx::sample(model, sx::nuts{.chains = chains,
                                              .warmup = 1000,
                                              .draws = 4000,
                                              .seed = 1,
                                              .target_accept = 0.95,
                                              .progress = 0});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Eigen::MatrixXd tau = fit.draws_by_chain("tau");

  const tau_comparison t = compare_tau(tau, exact);
  char line[256];
  std::snprintf(line, sizeof line,
                "exact tau posterior: %d chains x 4000 draws in %.1f s, %lld divergent; "
                "E[tau] %.5f (exact %.5f, z %.2f), mean F(tau) %.5f (z %.2f)",
                chains, seconds, fit.num_divergent(), t.mean, t.exact_mean, t.mean_z, t.pit,
                t.pit_z);
  std::cout << line << "\n" << std::flush;
  INFO(line);
  CHECK(std::abs(t.pit_z) < 4.0);
  CHECK(std::abs(t.mean_z) < 4.0);
}

namespace {

void run_sbc(const warmup_choice& choice) {
  // All simulations first, from one generator: the ranks do not depend on how
  // the replications are spread over threads.
  std::mt19937_64 rng(1);
  std::vector<simulation> simulations;
  simulations.reserve(replications);
  for (int i = 0; i < replications; ++i)
    simulations.push_back(simulate(rng));

  const auto start = std::chrono::steady_clock::now();
  std::vector<replication_result> results(replications);
  const int workers = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(workers));
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      try {
        for (int i = w; i < replications; i += workers)
          results[static_cast<std::size_t>(i)] =
              run_replication(simulations[static_cast<std::size_t>(i)], 1000u + i, choice);
      } catch (...) {
        errors[static_cast<std::size_t>(w)] = std::current_exception();
      }
    });
  for (auto& t : threads)
    t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<int> mu, tau, theta1, mu_shifted;
  long long divergent = 0;
  for (const auto& r : results) {
    mu.push_back(r.rank_mu);
    tau.push_back(r.rank_tau);
    theta1.push_back(r.rank_theta1);
    mu_shifted.push_back(r.rank_mu_shifted);
    divergent += r.divergent;
  }
  const uniformity_test mu_test = chi_square_uniformity(mu, kept_draws);
  const uniformity_test tau_test = chi_square_uniformity(tau, kept_draws);
  const uniformity_test theta1_test = chi_square_uniformity(theta1, kept_draws);
  const uniformity_test shifted_test = chi_square_uniformity(mu_shifted, kept_draws);

  std::cout << "SBC (" << choice.name << " warm-up): " << replications << " replications x ("
            << warmup << " warm-up + " << draws << " draws, L = " << kept_draws << ") in "
            << seconds << " s on " << workers << " threads; " << divergent
            << " divergent transitions in all\n"
            << "  " << histogram_line("mu      ", mu_test) << "\n"
            << "  " << histogram_line("tau     ", tau_test) << "\n"
            << "  " << histogram_line("theta[1]", theta1_test) << "\n"
            << "  " << histogram_line("mu, draws shifted by sd/2 (must fail)", shifted_test) << "\n"
            << std::flush;

  INFO(histogram_line("mu", mu_test));
  INFO(histogram_line("tau", tau_test));
  INFO(histogram_line("theta[1]", theta1_test));
  CHECK(mu_test.p_value > 0.01);
  CHECK(tau_test.p_value > 0.01);
  CHECK(theta1_test.p_value > 0.01);
  // The test has power: a posterior off by half its sd is rejected outright.
  CHECK(shifted_test.p_value < 1e-6);
}

} // namespace

TEST_CASE("simulation-based calibration of NUTS on a hierarchical normal model", "[slow][infer]") {
  run_sbc({"Stan's windowed", sx::metric::diag});
}

// The warm-up from draws and gradients with its automatic metric choice
// (infer/fisher_adaptation.hpp): the same replications and checks.
TEST_CASE("simulation-based calibration of NUTS with the Fisher warm-up (metric::automatic)",
          "[slow][infer]") {
  run_sbc({"Fisher, metric::automatic", sx::metric::automatic});
}
