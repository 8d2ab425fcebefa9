// The one-pass kernels of vector density terms (normal, bernoulli_logit,
// half_normal and half_cauchy)
// against the per-element log densities they replace (Dist::lpdf, itself
// checked against Boost.Math in tests/distributions), over every combination
// of scalar and vector arguments, with and without propto, into the tails.

#include <statix/modeling.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

namespace sx = statix;

namespace {

constexpr sx::density_options full{.jacobian = true, .propto = false};

double normal_lpdf(double y, double mu, double sigma) {
  double d[3];
  return sx::dist::normal::lpdf<false, 0u, false, double>(y, mu, sigma, d);
}

double bernoulli_logit_lpmf(int y, double alpha) {
  double d[2];
  return sx::dist::bernoulli_logit::lpdf<false, 0u, false, double>(y, alpha, d);
}

Eigen::VectorXd draws(int n, unsigned seed, double scale) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  Eigen::VectorXd v(n);
  for (auto& e : v)
    e = scale * z(g);
  return v;
}

bool close(double a, double b) {
  return std::abs(a - b) <= 1e-13 * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

} // namespace

TEST_CASE("normal kernel: scalar and vector location and scale, into the tails", "[model]") {
  const int n = 37; // not a multiple of any unrolling
  for (const double scale : {1.0, 30.0, 1e3}) {
    const Eigen::VectorXd y = draws(n, 1, scale);
    // m (vector) and s (positive vector) are parameters; x holds them.
    auto m = sx::normal<"m">(0.0, 1.0, sx::size(n));
    auto s = sx::lognormal<"s">(0.0, 1.0, sx::size(n));
    auto c = sx::normal<"c">(0.0, 1.0);
    auto k = sx::lognormal<"k">(0.0, 1.0);
    auto vector_mu_scalar_sigma = sx::normal<"y1">(m, k).observe(y);
    auto scalar_mu_vector_sigma = sx::normal<"y2">(c, s).observe(y);
    auto vector_both = sx::normal<"y3">(m * 2.0, s).observe(y);
    auto scalar_both = sx::normal<"y4">(c, k).observe(y);
    auto model = sx::model(m, s, c, k, vector_mu_scalar_sigma, scalar_mu_vector_sigma, vector_both,
                           scalar_both);
    for (unsigned seed = 1; seed <= 4; ++seed) {
      const Eigen::VectorXd x = draws(model.dim(), 100 + seed, 2.0);
      const Eigen::VectorXd mv = x.head(n), sv = x.segment(n, n).array().exp();
      const double cv = x[2 * n], kv = std::exp(x[2 * n + 1]);
      // Priors: the same families' lpdf at the constrained values, with the
      // log-Jacobians of the positive parameters.
      double expected =
          normal_lpdf(cv, 0.0, 1.0) +
          (sx::dist::lognormal::lpdf<false, 0u, false, double>(kv, 0.0, 1.0, nullptr)) +
          std::log(kv);
      for (int i = 0; i < n; ++i) {
        expected += normal_lpdf(mv[i], 0.0, 1.0);
        expected += sx::dist::lognormal::lpdf<false, 0u, false, double>(sv[i], 0.0, 1.0, nullptr) +
                    std::log(sv[i]);
        expected += normal_lpdf(y[i], mv[i], kv) + normal_lpdf(y[i], cv, sv[i]) +
                    normal_lpdf(y[i], 2.0 * mv[i], sv[i]) + normal_lpdf(y[i], cv, kv);
      }
      const double lp = model.log_density(x, full);
      INFO("scale " << scale << ", seed " << seed << ": " << lp << " vs " << expected);
      CHECK(close(lp, expected));
      Eigen::VectorXd grad;
      CHECK(close(model.log_density_gradient(x, grad, full), expected));
      CHECK(grad.allFinite());
    }
  }
}

TEST_CASE("normal kernel: constant scales as numbers and as data, whose reciprocals are prepared",
          "[model]") {
  const int n = 23;
  const Eigen::VectorXd y = draws(n, 3, 5.0);
  Eigen::VectorXd scale = draws(n, 4, 1.0).array().exp() * 3.0; // far from 1
  auto m = sx::normal<"m">(0.0, 3.0, sx::size(n));
  auto c = sx::normal<"c">(1.0, 4.0);
  auto data_scale = sx::normal<"y5">(m, scale).observe(y);
  auto number_scale = sx::normal<"y6">(c, 2.5).observe(y);
  auto model = sx::model(m, c, data_scale, number_scale);
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const Eigen::VectorXd x = draws(model.dim(), 300 + seed, 4.0);
    const double cv = x[n];
    double expected = normal_lpdf(cv, 1.0, 4.0);
    Eigen::VectorXd expected_grad(n + 1);
    expected_grad[n] = -(cv - 1.0) / 16.0;
    for (int i = 0; i < n; ++i) {
      expected += normal_lpdf(x[i], 0.0, 3.0) + normal_lpdf(y[i], x[i], scale[i]) +
                  normal_lpdf(y[i], cv, 2.5);
      expected_grad[i] = -x[i] / 9.0 + (y[i] - x[i]) / (scale[i] * scale[i]);
      expected_grad[n] += (y[i] - cv) / 6.25;
    }
    Eigen::VectorXd grad;
    CHECK(close(model.log_density(x, full), expected));
    CHECK(close(model.log_density_gradient(x, grad, full), expected));
    for (int i = 0; i <= n; ++i) {
      INFO("seed " << seed << ", entry " << i << ": " << grad[i] << " vs " << expected_grad[i]);
      CHECK(close(grad[i], expected_grad[i]));
    }
  }
}

template <class Dist>
double scale_family_lpdf(double y, double sigma) {
  double d[2];
  return Dist::template lpdf<false, 0u, false, double>(y, sigma, d);
}

TEMPLATE_TEST_CASE("scale-family kernels: scalar and vector scales, varying and constant, into "
                   "the tails",
                   "[model]", sx::dist::half_normal, sx::dist::half_cauchy) {
  using family = TestType;
  const int n = 29;
  for (const double scale : {1.0, 50.0, 1e4}) {
    Eigen::VectorXd y = draws(n, 5, scale).cwiseAbs(); // up to 1e4 scales from 0
    y[0] = 0.0;                                        // the boundary of the support
    const Eigen::VectorXd data_scale = draws(n, 6, 1.0).array().exp();
    auto make = [&](auto& v, auto& k) {
      using namespace sx;
      auto y1 = make_random_variable<"y1", family>(k).observe(y);          // scalar varying
      auto y2 = make_random_variable<"y2", family>(v).observe(y);          // vector varying
      auto y3 = make_random_variable<"y3", family>(0.7).observe(y);        // a number
      auto y4 = make_random_variable<"y4", family>(data_scale).observe(y); // data
      auto w = make_random_variable<"w", family>(k, sx::size(n));          // variates vary
      return sx::model(v, k, w, y1, y2, y3, y4);
    };
    auto v = sx::lognormal<"v">(0.0, 1.0, sx::size(n));
    auto k = sx::lognormal<"k">(0.0, 1.0);
    auto model = make(v, k);
    for (unsigned seed = 1; seed <= 3; ++seed) {
      const Eigen::VectorXd x = draws(model.dim(), 400 + seed, 1.5);
      const Eigen::VectorXd vv = x.head(n).array().exp(), wv = x.tail(n).array().exp();
      const double kv = std::exp(x[n]);
      double expected =
          sx::dist::lognormal::lpdf<false, 0u, false, double>(kv, 0.0, 1.0, nullptr) + x[n];
      for (int i = 0; i < n; ++i) {
        expected +=
            sx::dist::lognormal::lpdf<false, 0u, false, double>(vv[i], 0.0, 1.0, nullptr) + x[i];
        expected += scale_family_lpdf<family>(wv[i], kv) + x[n + 1 + i];
        expected += scale_family_lpdf<family>(y[i], kv) + scale_family_lpdf<family>(y[i], vv[i]) +
                    scale_family_lpdf<family>(y[i], 0.7) +
                    scale_family_lpdf<family>(y[i], data_scale[i]);
      }
      INFO(family::family_name << ", scale " << scale << ", seed " << seed);
      CHECK(close(model.log_density(x, full), expected));
      Eigen::VectorXd grad;
      CHECK(close(model.log_density_gradient(x, grad, full), expected));
      CHECK(grad.allFinite());
    }
  }
}

TEST_CASE("bernoulli_logit kernel: vector and scalar log-odds up to +-800", "[model]") {
  const int n = 41;
  std::vector<int> y(n);
  for (int i = 0; i < n; ++i)
    y[i] = (i * 7 + 3) % 5 < 2 ? 1 : 0;
  auto a = sx::normal<"a">(0.0, 1.0, sx::size(n));
  auto b = sx::normal<"b">(0.0, 1.0);
  auto vector_odds = sx::bernoulli_logit<"y1">(a * 400.0).observe(y);
  auto scalar_odds = sx::bernoulli_logit<"y2">(b * 400.0).observe(y);
  auto model = sx::model(a, b, vector_odds, scalar_odds);
  for (unsigned seed = 1; seed <= 6; ++seed) {
    // Standard normal a and b times 400: log-odds reach several hundred.
    const Eigen::VectorXd x = draws(model.dim(), 200 + seed, seed <= 3 ? 0.01 : 1.0);
    double expected = normal_lpdf(x[n], 0.0, 1.0);
    for (int i = 0; i < n; ++i)
      expected += normal_lpdf(x[i], 0.0, 1.0) + bernoulli_logit_lpmf(y[i], 400.0 * x[i]) +
                  bernoulli_logit_lpmf(y[i], 400.0 * x[n]);
    const double lp = model.log_density(x, full);
    INFO("seed " << seed << ": " << lp << " vs " << expected);
    CHECK(close(lp, expected));
    Eigen::VectorXd grad;
    CHECK(close(model.log_density_gradient(x, grad, full), expected));
    CHECK(grad.allFinite());
  }
}
