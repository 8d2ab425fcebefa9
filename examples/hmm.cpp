// A two-state hidden Markov model (posteriordb's hmm_example, on data
// simulated here): the states are summed out by sx::hmm_marginal (Stan's
// forward algorithm), the emission means are positive and ordered, the rows
// of the transition matrix are simplexes. After sampling, the most probable
// state path at the posterior means comes from sx::hmm_viterbi.
//   theta1, theta2 simplexes, flat; mu positive_ordered,
//   mu[1] ~ normal(3, 1), mu[2] ~ normal(10, 1); y[t] ~ normal(mu[z_t], 1).
#include <statix/statix.hpp>

#include <chrono>
#include <iostream>
#include <random>
#include <vector>

namespace sx = statix;

int main() {
  // 200 steps of a chain that stays in a state with probability 0.9 (state 1,
  // mean 3) and 0.8 (state 2, mean 9).
  const int N = 200;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 1.0);
  const double stay[2] = {0.9, 0.8}, mean[2] = {3.0, 9.0};
  Eigen::VectorXd y(N);
  std::vector<int> z(N);
  for (int t = 0; t < N; ++t) {
    z[t] = t == 0 ? 0 : (u(rng) < stay[z[t - 1]] ? z[t - 1] : 1 - z[t - 1]);
    y[t] = mean[z[t]] + noise(rng);
  }

  Eigen::VectorXd prior_mean(2);
  prior_mean << 3.0, 10.0;
  const Eigen::VectorXd rho = Eigen::VectorXd::Constant(2, 0.5); // initial state probabilities
  auto theta1 = sx::flat<"theta1">(sx::simplex(2));
  auto theta2 = sx::flat<"theta2">(sx::simplex(2));
  auto mu = sx::normal<"mu">(prior_mean, 1.0, sx::positive_ordered(2));
  auto log_omega =
      sx::stack_rows(sx::lpdf(sx::normal(mu[0], 1.0), y), sx::lpdf(sx::normal(mu[1], 1.0), y));
  auto obs = sx::hmm_marginal<"y">(log_omega, sx::stack_rows(theta1, theta2), rho);
  auto model = sx::model(theta1, theta2, mu, obs);

  const auto start = std::chrono::steady_clock::now();
  auto fit = sx::sample(model, sx::nuts{.chains = 4, .warmup = 1000, .draws = 1000, .seed = 1});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::cout << "Two-state HMM (true stay probabilities 0.9, 0.8; means 3, 9): "
            << "4 chains x 1000 warm-up + 1000 draws in " << seconds << " s, "
            << fit.num_divergent() << " divergent transitions\n\n";
  std::cout << fit.summary() << "\n";

  // The Viterbi path at the posterior means, against the simulated states.
  const Eigen::VectorXd mu_hat = fit.draws<"mu">().colwise().mean().transpose();
  Eigen::MatrixXd gamma(2, 2);
  gamma.row(0) = fit.draws<"theta1">().colwise().mean();
  gamma.row(1) = fit.draws<"theta2">().colwise().mean();
  Eigen::MatrixXd lo(2, N);
  for (int t = 0; t < N; ++t)
    for (int k = 0; k < 2; ++k)
      lo(k, t) = -0.5 * (y[t] - mu_hat[k]) * (y[t] - mu_hat[k]);
  const std::vector<int> path = sx::hmm_viterbi(lo, gamma, rho);
  int agree = 0;
  for (int t = 0; t < N; ++t)
    agree += path[t] == z[t];
  std::cout << "Viterbi path at the posterior means: " << agree << " of " << N
            << " states as simulated\n";
  return 0;
}
