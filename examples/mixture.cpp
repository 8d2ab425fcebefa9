// A two-component normal mixture (posteriordb's low_dim_gauss_mix, on data
// simulated here): ordered means remove label switching, and sx::mixture sums
// out each observation's component.
//   mu ordered, mu[k] ~ normal(0, 2); sigma[k] ~ half-normal(0, 2);
//   theta ~ beta(5, 5);
//   y[n] ~ theta normal(mu[1], sigma[1]) + (1 - theta) normal(mu[2], sigma[2]).
#include <statix/statix.hpp>

#include <chrono>
#include <iostream>
#include <random>

namespace sx = statix;

int main() {
  // 500 draws: 30% from normal(-1, 0.5), 70% from normal(2, 1).
  std::mt19937 rng(42);
  std::bernoulli_distribution first(0.3);
  std::normal_distribution<double> comp1(-1.0, 0.5), comp2(2.0, 1.0);
  Eigen::VectorXd y(500);
  for (auto& v : y)
    v = first(rng) ? comp1(rng) : comp2(rng);

  auto mu = sx::normal<"mu">(0.0, 2.0, sx::ordered(2));
  auto sigma = sx::half_normal<"sigma">(2.0, sx::size(2));
  auto theta = sx::beta<"theta">(5.0, 5.0);
  auto obs =
      sx::mixture<"y">(theta, sx::normal(mu[0], sigma[0]), sx::normal(mu[1], sigma[1])).observe(y);
  auto model = sx::model(mu, sigma, theta, obs);

  const auto start = std::chrono::steady_clock::now();
  auto fit = sx::sample(model, sx::nuts{.chains = 4, .warmup = 1000, .draws = 1000, .seed = 1});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::cout << "Two-component normal mixture (true mu = -1, 2; sigma = 0.5, 1; theta = 0.3): "
            << "4 chains x 1000 warm-up + 1000 draws in " << seconds << " s, "
            << fit.num_divergent() << " divergent transitions\n\n";
  std::cout << fit.summary() << "\n";
  return 0;
}
