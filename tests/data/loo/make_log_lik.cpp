// Writes the log-likelihood matrices (draws x observations) that
// tests/infer/predictive_loo_test.cpp compares against R's loo package
// (loo_reference.R makes loo_reference.csv from them). Run once, from the
// repository root:
//   g++ -std=c++20 -O2 -Iinclude -isystem /usr/include/eigen3 \
//       tests/data/loo/make_log_lik.cpp -o /tmp/make_log_lik && /tmp/make_log_lik
//   Rscript tests/data/loo/loo_reference.R
#include <statix/infer/loo.hpp>
#include <statix/io/json_data.hpp>
#include <statix/statix.hpp>

#include <cstdio>
#include <fstream>
#include <string>

namespace sx = statix;

namespace {
void write(const std::string& name, const Eigen::MatrixXd& m, int thin) {
  std::ofstream out("tests/data/loo/" + name + "_log_lik.csv");
  for (Eigen::Index s = 0; s < m.rows(); s += thin) {
    for (Eigen::Index i = 0; i < m.cols(); ++i) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.9g", m(s, i));
      out << (i > 0 ? "," : "") << buffer;
    }
    out << '\n';
  }
}
} // namespace

int main() {
  { // eight schools, non-centred
    Eigen::VectorXd y(8), sigma(8);
    y << 28, 8, -3, 7, -1, 1, 18, 12;
    sigma << 15, 10, 16, 11, 9, 11, 10, 18;
    auto mu = sx::normal<"mu">(0.0, 5.0);
    auto tau = sx::half_cauchy<"tau">(5.0);
    auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
    auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
    auto model = sx::model(mu, tau, theta_raw, theta, sx::normal<"y">(theta, sigma).observe(y));
    auto fit = sx::sample(model, sx::nuts{.chains = 4, .seed = 1, .progress = 0});
    write("eight_schools", sx::log_likelihood(model, fit), 1);
  }
  { // kidiq, kidscore_interaction (posteriordb), every 20th of 4000 draws
    const auto data = sx::read_json("tests/posteriordb/data/kidiq-kidscore_interaction/data.json");
    const Eigen::VectorXd hs = data.vector("mom_hs"), iq = data.vector("mom_iq");
    Eigen::MatrixXd X(hs.size(), 4);
    X.col(0).setOnes();
    X.col(1) = hs;
    X.col(2) = iq;
    X.col(3) = hs.cwiseProduct(iq);
    auto beta = sx::flat<"beta">(sx::size(4));
    auto sigma = sx::half_cauchy<"sigma">(2.5);
    auto model = sx::model(
        beta, sigma, sx::normal<"kid_score">(X * beta, sigma).observe(data.vector("kid_score")));
    auto fit = sx::sample(
        model, sx::nuts{.chains = 4, .seed = 1, .metric = sx::metric::dense, .progress = 0});
    write("kidiq", sx::log_likelihood(model, fit), 20);
  }
  { // 30 points near 0 and one at 12: the outlier's k is high
    Eigen::VectorXd y(31);
    for (int i = 0; i < 30; ++i)
      y[i] = std::sin(1.7 * i); // spread over (-1, 1)
    y[30] = 12.0;
    auto mu = sx::normal<"mu">(0.0, 10.0);
    auto sigma = sx::half_normal<"sigma">(2.0);
    auto model = sx::model(mu, sigma, sx::normal<"y">(mu, sigma).observe(y));
    auto fit = sx::sample(model, sx::nuts{.chains = 4, .seed = 1, .progress = 0});
    write("outlier", sx::log_likelihood(model, fit), 1);
  }
}
