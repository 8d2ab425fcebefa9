#include "../model/statix_models.hpp"
#include "gradient_check.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <random>

namespace sx = statix;
using namespace statix_test;

namespace {

// Reverse mode against finite differences of the model's own log density
// (whose value the model tests check against hand-written code).
template <class Model>
void check_gradient(const Model& model, const Eigen::VectorXd& x, sx::density_options opts = {}) {
  Eigen::VectorXd grad;
  const double lp = model.log_density_gradient(x, grad, opts);
  REQUIRE(lp == Approx(model.log_density(x, opts)).epsilon(1e-13));
  const Eigen::VectorXd fd = finite_difference_gradient(
      [&](const Eigen::VectorXd& z) { return model.log_density(z, opts); }, x);
  const double scale = std::max(1.0, std::abs(lp)) * 1e-9;
  for (int i = 0; i < x.size(); ++i) {
    INFO("coordinate " << i << " (" << model.param_names()[i] << "): reverse " << grad[i]
                       << ", finite differences " << fd[i]);
    CHECK(close(grad[i], fd[i], 1e-6, scale));
  }
}

} // namespace

TEST_CASE("eight schools gradient equals finite differences", "[ad]") {
  const auto model = eight_schools_model(eight_schools_data{});
  for (unsigned seed = 1; seed <= 10; ++seed) {
    check_gradient(model, random_point(10, seed, seed > 7 ? 3.0 : 1.0));
    check_gradient(model, random_point(10, seed), {.jacobian = false, .propto = true});
  }
}

TEST_CASE("logistic regression gradient equals finite differences", "[ad]") {
  const auto model = logistic_model(make_logistic_data(5000, 25, 11));
  for (unsigned seed = 1; seed <= 3; ++seed)
    check_gradient(model, random_point(26, seed, 0.3));
}

TEST_CASE("radon-style model gradient equals finite differences", "[ad]") {
  const auto model = radon_model(make_radon_data(85, 919, 5));
  for (unsigned seed = 1; seed <= 3; ++seed)
    check_gradient(model, random_point(model.dim(), seed, 0.5));
}

namespace {

// Forward mode equals reverse mode; the Hessian equals finite differences of
// the reverse gradient and is symmetric.
template <class Model>
void check_forward_and_hessian(const Model& model, const Eigen::VectorXd& x, bool hessian = true) {
  Eigen::VectorXd reverse, forward;
  const double lp_reverse = model.log_density_gradient(x, reverse);
  const double lp_forward = model.log_density_gradient(x, forward, sx::forward_mode);
  CHECK(lp_forward == Approx(lp_reverse).epsilon(1e-14));
  for (int i = 0; i < x.size(); ++i)
    CHECK(close(forward[i], reverse[i], 1e-12, 1e-12 * std::max(1.0, std::abs(lp_reverse))));
  if (!hessian) return;
  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  model.log_density_hessian(x, g, h);
  for (int i = 0; i < x.size(); ++i)
    CHECK(g[i] == Approx(reverse[i]).epsilon(1e-13));
  for (int j = 0; j < x.size(); ++j) {
    const double step = 1e-5 * std::max(1.0, std::abs(x[j]));
    Eigen::VectorXd xp = x, xm = x, gp, gm;
    xp[j] += step;
    xm[j] -= step;
    model.log_density_gradient(xp, gp);
    model.log_density_gradient(xm, gm);
    for (int i = 0; i < x.size(); ++i) {
      const double fd = (gp[i] - gm[i]) / (2 * step);
      INFO("H(" << i << ", " << j << ") = " << h(i, j) << ", finite differences " << fd);
      CHECK(close(h(i, j), fd, 1e-5, 1e-6 * std::max(1.0, h.cwiseAbs().maxCoeff())));
      CHECK(h(i, j) == Approx(h(j, i)).epsilon(1e-12).margin(1e-12));
    }
  }
  const Eigen::VectorXd v = Eigen::VectorXd::LinSpaced(x.size(), -1.0, 1.0);
  const Eigen::VectorXd hv = model.hessian_vector_product(x, v);
  const Eigen::VectorXd expected = h * v;
  for (int i = 0; i < x.size(); ++i)
    CHECK(hv[i] == Approx(expected[i]).epsilon(1e-10).margin(1e-10));
}

} // namespace

TEST_CASE("forward mode equals reverse mode and Hessians equal finite differences: eight schools",
          "[ad]") {
  const auto model = eight_schools_model(eight_schools_data{});
  for (unsigned seed = 1; seed <= 5; ++seed)
    check_forward_and_hessian(model, random_point(10, seed));
}

TEST_CASE("forward mode equals reverse mode: logistic regression and radon", "[ad]") {
  const auto logistic = logistic_model(make_logistic_data(5000, 25, 11));
  check_forward_and_hessian(logistic, random_point(26, 3, 0.3), false);

  const auto radon = radon_model(make_radon_data(85, 919, 5));
  check_forward_and_hessian(radon, random_point(radon.dim(), 4, 0.5), false);
}
