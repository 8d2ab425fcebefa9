// GARCH(1,1) volatility (posteriordb's garch11, on data simulated here): the
// conditional standard deviation is a recursion over time, written with
// sx::scan; beta1's upper bound 1 - alpha1 depends on another parameter.
//   mu, alpha0 > 0, alpha1 in (0, 1), beta1 in (0, 1 - alpha1), all flat;
//   sigma[1] = sigma1 (data), sigma[t] = sqrt(alpha0 + alpha1 (y[t-1] - mu)^2
//                                             + beta1 sigma[t-1]^2);
//   y[t] ~ normal(mu, sigma[t]).
#include <statix/statix.hpp>

#include <chrono>
#include <cmath>
#include <iostream>
#include <random>

namespace sx = statix;

int main() {
  // 300 returns from mu = 0.5, alpha0 = 0.2, alpha1 = 0.3, beta1 = 0.5.
  const int T = 300;
  const double sigma1 = 1.0;
  std::mt19937 rng(7);
  std::normal_distribution<double> z(0.0, 1.0);
  Eigen::VectorXd y(T);
  double s = sigma1;
  for (int t = 0; t < T; ++t) {
    if (t > 0) s = std::sqrt(0.2 + 0.3 * (y[t - 1] - 0.5) * (y[t - 1] - 0.5) + 0.5 * s * s);
    y[t] = 0.5 + s * z(rng);
  }

  auto mu = sx::flat<"mu">();
  auto alpha0 = sx::flat<"alpha0">(sx::lower(0.0));
  auto alpha1 = sx::flat<"alpha1">(sx::lower(0.0), sx::upper(1.0));
  auto beta1 = sx::flat<"beta1">(sx::lower(0.0), sx::upper(1.0 - alpha1));
  auto sigma = sx::scan(sigma1, T, [&](auto prev, auto t) {
    return sqrt(alpha0 + alpha1 * square(sx::data(y)[t - 1] - mu) + beta1 * square(prev));
  });
  auto obs = sx::normal<"y">(mu, sigma).observe(y);
  auto model = sx::model(mu, alpha0, alpha1, beta1, obs);

  const auto start = std::chrono::steady_clock::now();
  auto fit = sx::sample(model, sx::nuts{.chains = 4, .warmup = 1000, .draws = 1000, .seed = 1});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::cout << "GARCH(1,1) (true mu = 0.5, alpha0 = 0.2, alpha1 = 0.3, beta1 = 0.5): "
            << "4 chains x 1000 warm-up + 1000 draws in " << seconds << " s, "
            << fit.num_divergent() << " divergent transitions\n\n";
  std::cout << fit.summary() << "\n";
  const Eigen::VectorXd persistence = fit.draws<"alpha1">() + fit.draws<"beta1">();
  std::cout << "posterior mean of alpha1 + beta1 (volatility persistence): " << persistence.mean()
            << "\n";
  return 0;
}
