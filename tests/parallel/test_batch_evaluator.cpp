// The many-chain path on Thrust's CPU device system (OpenMP in CI) gives the
// host path's log density and gradient.
#include "../model/statix_models.hpp"

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
  check_batch(eight_schools_model(eight_schools_data{}), 1024, 1.0);
}

TEST_CASE("Thrust batch evaluation equals the host path for 1024 points: logistic and radon",
          "[parallel]") {
  check_batch(logistic_model(make_logistic_data(500, 5, 7)), 1024, 0.5);
  check_batch(radon_model(make_radon_data(85, 919, 5)), 1024, 0.5);
}
