// The many-chain path on Thrust's CPU device system (OpenMP in CI) gives the
// host path's log density and gradient.
#include "../model/reference_models.hpp"

#include <statix/modeling.hpp>
#include <statix/parallel/batch_evaluator.hpp>

#include <catch2/catch.hpp>

#include <random>

namespace sx = statix;
using namespace statix_test;

namespace {

template <class Model>
void check_batch(const Model& model, int points, double scale) {
  const int dim = model.dim();
  std::mt19937_64 g(42);
  std::normal_distribution<double> z;
  std::vector<double> host_x(static_cast<std::size_t>(points) * dim);
  for (auto& v : host_x)
    v = scale * z(g);
  thrust::device_vector<double> x(host_x.begin(), host_x.end()), grad, lp, lp_only;
  sx::parallel::batch_evaluator<Model> batch(model, points);
  batch.log_density_gradient(x, grad, lp);
  batch.log_density(x, lp_only, {.jacobian = true, .propto = true});
  std::vector<double> host_grad(grad.size()), host_lp(lp.size()), host_lp_only(lp_only.size());
  thrust::copy(grad.begin(), grad.end(), host_grad.begin());
  thrust::copy(lp.begin(), lp.end(), host_lp.begin());
  thrust::copy(lp_only.begin(), lp_only.end(), host_lp_only.begin());
  int mismatches = 0;
  for (int p = 0; p < points; ++p) {
    const Eigen::VectorXd xp =
        Eigen::Map<const Eigen::VectorXd>(host_x.data() + static_cast<long>(p) * dim, dim);
    Eigen::VectorXd expected_grad;
    const double expected = model.log_density_gradient(xp, expected_grad);
    const double expected_propto = model.log_density(xp, {.jacobian = true, .propto = true});
    if (std::abs(host_lp[p] - expected) > 1e-12 * std::max(1.0, std::abs(expected))) ++mismatches;
    if (std::abs(host_lp_only[p] - expected_propto) > 1e-12 * std::max(1.0, std::abs(expected)))
      ++mismatches;
    for (int i = 0; i < dim; ++i)
      if (std::abs(host_grad[static_cast<long>(p) * dim + i] - expected_grad[i]) >
          1e-12 * std::max(1.0, std::abs(expected_grad[i])))
        ++mismatches;
  }
  CHECK(mismatches == 0);
}

} // namespace

TEST_CASE("Thrust batch evaluation equals the host path for 1024 points: eight schools",
          "[parallel]") {
  eight_schools_data d;
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto y = sx::normal<"y">(theta, d.sigma).observe(d.y);
  check_batch(sx::model(mu, tau, theta_raw, theta, y), 1024, 1.0);
}

TEST_CASE("Thrust batch evaluation equals the host path for 1024 points: logistic and radon",
          "[parallel]") {
  const auto ld = make_logistic_data(500, 5, 7);
  auto alpha = sx::normal<"alpha">(0.0, 2.5);
  auto beta = sx::normal<"beta">(0.0, 1.0, sx::size(5));
  auto obs = sx::bernoulli_logit<"y">(alpha + ld.X * beta).observe(ld.y);
  check_batch(sx::model(alpha, beta, obs), 1024, 0.5);

  const auto r = make_radon_data(85, 919, 5);
  auto mu_a = sx::normal<"mu_a">(0.0, 10.0);
  auto sigma_a = sx::half_normal<"sigma_a">(5.0);
  auto mu_b = sx::normal<"mu_b">(0.0, 10.0);
  auto sigma_b = sx::half_normal<"sigma_b">(5.0);
  auto sigma_y = sx::half_normal<"sigma_y">(5.0);
  auto a = sx::normal<"a">(mu_a, sigma_a, sx::size(r.groups));
  auto b = sx::normal<"b">(mu_b, sigma_b, sx::size(r.groups));
  auto ry = sx::normal<"y">(a[r.county] + b[r.county] * r.floor, sigma_y).observe(r.log_radon);
  check_batch(sx::model(mu_a, sigma_a, mu_b, sigma_b, sigma_y, a, b, ry), 1024, 0.5);
}
