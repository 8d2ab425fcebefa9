// Lotka-Volterra predator-prey dynamics on the Hudson's Bay Company lynx and
// hare pelts, 1900-1920 (Stan's case study, Carpenter 2018; posteriordb's
// hudson_lynx_hare-lotka_volterra): the populations z = (hares u, lynxes v)
// solve an ODE written with sx::ode_rk45, with the priors of the case study.
//   du/dt = (alpha - beta v) u,   dv/dt = (-gamma + delta u) v,   z(0) = z_init;
//   alpha, gamma ~ normal(1, 0.5), beta, delta ~ normal(0.05, 0.05), all > 0;
//   z_init[k] ~ lognormal(log 10, 1); sigma[k] ~ lognormal(-1, 1);
//   y_init[k] ~ lognormal(log z_init[k], sigma[k]);
//   y[n, k] ~ lognormal(log z(t_n)[k], sigma[k]),  t_n = 1, ..., 20.
// Prints the posterior summary, the solver failures (rejected points) and a
// posterior predictive of the populations beside the data.
#include <statix/infer/predictive.hpp>
#include <statix/statix.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <type_traits>
#include <vector>

namespace sx = statix;

int main() {
  // Thousands of pelts, 1900 (the initial state) to 1920.
  const double hare[21] = {30.0, 47.2, 70.2, 77.4, 36.3, 20.6, 18.1, 21.4, 22.0, 25.4, 27.1,
                           40.3, 57.0, 76.6, 52.3, 19.5, 11.2, 7.6,  14.6, 16.2, 24.7};
  const double lynx[21] = {4.0, 6.1,  9.8,  35.2, 59.4, 41.7, 19.0, 13.0, 8.3,  9.1, 7.4,
                           8.0, 12.3, 19.5, 45.7, 51.1, 29.7, 15.8, 9.7,  10.1, 8.6};
  const int N = 20;
  Eigen::VectorXd ts(N), y_hare(N), y_lynx(N);
  for (int n = 0; n < N; ++n) {
    ts[n] = n + 1;
    y_hare[n] = hare[n + 1];
    y_lynx[n] = lynx[n + 1];
  }
  const Eigen::Vector2d y_init(hare[0], lynx[0]);

  // theta = (alpha, beta, gamma, delta): normal priors truncated at 0 (Stan's
  // parameters bounded below by 0; the normaliser is a constant here).
  const Eigen::Vector4d prior_mean(1.0, 0.05, 1.0, 0.05), prior_sd(0.5, 0.05, 0.5, 0.05);
  auto theta = sx::normal<"theta">(prior_mean, prior_sd, sx::size(4)).truncate(sx::lower(0.0));
  auto z_init = sx::lognormal<"z_init">(std::log(10.0), 1.0, sx::size(2));
  auto sigma = sx::lognormal<"sigma">(-1.0, 1.0, sx::size(2));
  // f(t, z, theta) runs on doubles and on the library's dual numbers (for the
  // sensitivities): the scalar type is taken from its arguments.
  auto z = sx::ode_rk45(
      [](double, const auto& u, const auto& th) {
        using T = std::decay_t<decltype(u[0] * th[0])>;
        return std::array<T, 2>{(th[0] - th[1] * u[1]) * u[0], (-th[2] + th[3] * u[0]) * u[1]};
      },
      z_init, 0.0, ts, theta, sx::ode_options{.rel_tol = 1e-5, .abs_tol = 1e-3, .max_steps = 500});
  auto obs_init = sx::lognormal<"y_init">(log(z_init), sigma).observe(y_init);
  auto obs_hare = sx::lognormal<"hare">(log(sx::col(z, 0)), sigma[0]).observe(y_hare);
  auto obs_lynx = sx::lognormal<"lynx">(log(sx::col(z, 1)), sigma[1]).observe(y_lynx);
  auto model = sx::model(theta, z_init, sigma, obs_init, obs_hare, obs_lynx);

  const auto start = std::chrono::steady_clock::now();
  // theta starts at its prior mean (z_init and sigma at random): from random
  // inits some chains can settle in a local mode without oscillations.
  auto fit = sx::sample(model, sx::nuts{.chains = 4,
                                        .warmup = 1000,
                                        .draws = 1000,
                                        .seed = 1,
                                        .inits = {{"theta", {1.0, 0.05, 1.0, 0.05}}}});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Points where the solver failed (here: too many steps, or a state that
  // blows up, at extreme parameters early in the warm-up) were rejected.
  const sx::ode_failure_counter& failures = sx::ode_failures(z);
  std::cout << "Lotka-Volterra, lynx and hare 1900-1920: 4 chains x 1000 warm-up + 1000 draws in "
            << seconds << " s, " << fit.num_divergent() << " divergent transitions, "
            << failures.total() << " solver failures (rejected points)\n\n";
  std::cout << fit.summary() << "\n";

  // Posterior predictive: replicated pelt counts, median and 90% interval.
  const auto ppc = sx::sample_posterior_predictive(model, fit, 2);
  const Eigen::MatrixXd hare_rep = ppc.draws<"hare">(), lynx_rep = ppc.draws<"lynx">();
  const auto quantile = [](Eigen::VectorXd v, double p) {
    std::sort(v.data(), v.data() + v.size());
    return v[static_cast<Eigen::Index>(p * static_cast<double>(v.size() - 1))];
  };
  std::cout << "Posterior predictive (thousands of pelts): observed, median [5%, 95%]\n";
  std::printf("%6s %27s %30s\n", "year", "hares", "lynxes");
  for (int n = 0; n < N; ++n) {
    const Eigen::VectorXd h = hare_rep.col(n), l = lynx_rep.col(n);
    std::printf("%6d %6.1f %6.1f [%5.1f, %5.1f]    %6.1f %6.1f [%5.1f, %5.1f]\n", 1901 + n,
                y_hare[n], quantile(h, 0.5), quantile(h, 0.05), quantile(h, 0.95), y_lynx[n],
                quantile(l, 0.5), quantile(l, 0.05), quantile(l, 0.95));
  }
  return 0;
}
