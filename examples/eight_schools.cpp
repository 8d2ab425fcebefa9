// Eight schools (Rubin 1981; Gelman et al., Bayesian Data Analysis, 5.5), in
// the non-centred parameterisation: NUTS with Stan's warm-up on 4 chains, then
// the posterior summary, the sampler's warnings and CmdStan CSV files.
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
  auto fit = sx::sample(model, sx::nuts{.chains = 4, .warmup = 1000, .draws = 1000, .seed = 1});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::cout << "Eight schools, non-centred: 4 chains x 1000 warm-up + 1000 draws in " << seconds
            << " s, " << fit.num_divergent() << " divergent transitions\n\n";
  std::cout << fit.summary() << "\n";
  const Eigen::VectorXd tau_draws = fit.draws<"tau">();
  std::cout << "P(tau > 10 | y) = " << (tau_draws.array() > 10.0).cast<double>().mean() << "\n";

  fit.write_csv("eight_schools_output/fit.csv");
  std::cout << "CmdStan CSV files written to eight_schools_output/fit_1.csv ... fit_4.csv\n";
  return 0;
}
