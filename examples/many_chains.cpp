// Many chains at once: eight schools (non-centred) with 1024 chains of
// ChEES-HMC, the chains moving in lockstep and adapting their step size,
// trajectory length and metric from each other (a short warm-up is enough
// when a thousand chains pool what they learn). Host threads here; with
// Thrust, `#include <statix/parallel.hpp>` and pass `sx::on_device` as a
// third argument to run the same chains on a GPU or the OpenMP device system.
#include <statix/infer/ensemble.hpp>
#include <statix/statix.hpp>

#include <chrono>
#include <iostream>

namespace sx = statix;

int main() {
  Eigen::VectorXd y(8), sigma(8);
  y << 28, 8, -3, 7, -1, 1, 18, 12;
  sigma << 15, 10, 16, 11, 9, 11, 10, 18;

  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto obs = sx::normal<"y">(theta, sigma).observe(y);
  auto model = sx::model(mu, tau, theta_raw, theta, obs);

  const auto start = std::chrono::steady_clock::now();
  auto fit = sx::sample(model, sx::chees{.chains = 1024, .warmup = 200, .draws = 200, .seed = 1});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const sx::chain_result& first = fit.chains().front();
  std::cout << "Eight schools, non-centred: 1024 chains of ChEES, 200 warm-up + 200 draws each, in "
            << seconds << " s (" << first.gradient_evaluations << " gradients per chain; step size "
            << first.step_size << "), " << fit.num_divergent() << " divergent transitions\n\n";
  std::cout << fit.summary() << "\n";
  fit.write_csv("many_chains_output/fit.csv"); // more than 64 chains: one file, column chain__
  std::cout << "CmdStan CSV written to many_chains_output/fit.csv (one file, a chain__ column)\n";
  return 0;
}
