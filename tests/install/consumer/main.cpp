// Built by the install tests against an installed Statix (find_package) and
// against the source tree (add_subdirectory): a small model, evaluated and
// checked against its closed-form log density, then sampled and summarised.
#include <statix/statix.hpp>

#include <Eigen/Core>

#include <cmath>
#include <iostream>
#include <numbers>
#include <string>

namespace sx = statix;

namespace {

double normal_log_density(double y, double mu, double sigma) {
  const double z = (y - mu) / sigma;
  return -0.5 * z * z - std::log(sigma) - 0.5 * std::log(2.0 * std::numbers::pi);
}

} // namespace

int main() {
  const std::string header_version = std::to_string(sx::version_major) + "." +
                                     std::to_string(sx::version_minor) + "." +
                                     std::to_string(sx::version_patch);
  std::cout << "statix " << STATIX_CONSUMER_STATIX_VERSION << " (headers say " << header_version
            << ")\n";
  if (header_version != STATIX_CONSUMER_STATIX_VERSION) {
    std::cerr << "the package version and the headers' version differ\n";
    return 1;
  }

  // mu ~ normal(0, 1); y ~ normal(mu, 2), observed.
  Eigen::VectorXd y(2);
  y << 1.0, -0.5;
  auto mu = sx::normal<"mu">(0.0, 1.0);
  auto obs = sx::normal<"y">(mu, 2.0).observe(y);
  auto model = sx::model(mu, obs);

  Eigen::VectorXd x(1);
  x << 0.3;
  const double computed = model.log_density(x);
  const double expected = normal_log_density(0.3, 0.0, 1.0) + normal_log_density(1.0, 0.3, 2.0) +
                          normal_log_density(-0.5, 0.3, 2.0);
  std::cout << "model dimension " << model.dim() << ", log density " << computed << " (closed form "
            << expected << ")\n";
  if (model.dim() != 1 || !(std::abs(computed - expected) <= 1e-12 * std::abs(expected))) {
    std::cerr << "the model's log density differs from the closed form\n";
    return 1;
  }

  // The sampler, summary and diagnostics (from statix::runtime when linked):
  // the posterior of mu is normal with precision 1 + 2 / 4 and mean
  // (sum y / 4) / 1.5 = 1 / 12, sd sqrt(2 / 3).
  auto fit = sx::sample(model, sx::nuts{.chains = 2,
                                        .warmup = 300,
                                        .draws = 1000,
                                        .seed = 3,
                                        .progress = 0,
                                        .adaptation = sx::adaptation::fisher});
  const sx::summary_row& row = fit.summary()["mu"];
  std::cout << "posterior mean of mu " << row.mean << " (exact " << 1.0 / 12.0 << "), sd " << row.sd
            << " (exact " << std::sqrt(2.0 / 3.0) << "), R-hat " << row.r_hat << "\n";
  if (!(std::abs(row.mean - 1.0 / 12.0) < 0.25 && std::abs(row.sd - std::sqrt(2.0 / 3.0)) < 0.15 &&
        row.r_hat < 1.05)) {
    std::cerr << "the posterior summary is off\n";
    return 1;
  }
  return 0;
}
