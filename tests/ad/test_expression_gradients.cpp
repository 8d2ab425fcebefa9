#include "gradient_check.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <random>

namespace sx = statix;
using namespace statix_test;

namespace {

Eigen::VectorXd random_point(int n, unsigned seed, double scale) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  Eigen::VectorXd x(n);
  for (auto& v : x)
    v = scale * z(g);
  return x;
}

template <class Model>
void check_all_modes(const Model& model, const Eigen::VectorXd& x) {
  Eigen::VectorXd reverse, forward;
  const double lp = model.log_density_gradient(x, reverse);
  REQUIRE(std::isfinite(lp));
  CHECK(lp == Approx(model.log_density(x)).epsilon(1e-13));
  model.log_density_gradient(x, forward, sx::forward_mode);
  const Eigen::VectorXd fd =
      finite_difference_gradient([&](const Eigen::VectorXd& z) { return model.log_density(z); }, x);
  const double floor = 1e-9 * std::max(1.0, std::abs(lp));
  for (int i = 0; i < x.size(); ++i) {
    INFO(model.param_names()[i] << ": reverse " << reverse[i] << ", forward " << forward[i]
                                << ", finite differences " << fd[i]);
    CHECK(close(reverse[i], fd[i], 1e-6, floor));
    CHECK(close(forward[i], reverse[i], 1e-12, 1e-12 * std::max(1.0, std::abs(lp))));
  }
  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  model.log_density_hessian(x, g, h);
  for (int j = 0; j < x.size(); ++j) {
    const double step = 1e-5 * std::max(1.0, std::abs(x[j]));
    Eigen::VectorXd xp = x, xm = x, gp, gm;
    xp[j] += step;
    xm[j] -= step;
    model.log_density_gradient(xp, gp);
    model.log_density_gradient(xm, gm);
    for (int i = 0; i < x.size(); ++i) {
      const double fd_h = (gp[i] - gm[i]) / (2 * step);
      INFO("H(" << model.param_names()[i] << ", " << model.param_names()[j] << ") = " << h(i, j)
                << ", finite differences " << fd_h);
      CHECK(close(h(i, j), fd_h, 1e-5, 1e-5 * std::max(1.0, h.cwiseAbs().maxCoeff())));
    }
  }
}

} // namespace

TEST_CASE("every expression node: reverse = finite differences, forward = reverse, Hessian",
          "[ad]") {
  Eigen::VectorXd y4(4), w4(4), pos4(4);
  y4 << 0.3, -1.2, 2.2, 0.9;
  w4 << 1.0, -0.5, 0.25, 2.0;
  pos4 << 0.7, 1.9, 0.2, 3.1;
  Eigen::MatrixXd X(6, 4);
  X << 0.1, -0.3, 0.5, 0.2, -0.7, 0.4, 0.0, 0.3, 0.2, 0.2, -0.4, 0.1, 0.9, -0.1, 0.3, -0.2, -0.2,
      0.6, 0.1, 0.4, 0.3, -0.5, -0.6, 0.2;
  const std::vector<int> counts = {0, 3, 1, 7, 2, 0};
  const std::vector<int> idx = {3, 0, 0, 2, 1, 3};
  Eigen::VectorXd y6(6);
  y6 << 0.1, 0.4, -0.3, 1.1, -0.8, 0.0;

  auto a = sx::normal<"a">(0.0, 1.0);
  auto b = sx::lognormal<"b">(0.0, 0.5);
  auto v = sx::normal<"v">(0.0, 1.0, sx::size(4));
  auto p = sx::beta<"p">(2.0, 2.0);
  auto f = sx::flat<"f">(sx::lower(-b), sx::upper(b + 1.0)); // bounds depending on b
  auto u = sx::uniform<"u">(a - 1.0, a + b);                 // uniform with parameter bounds
  auto d = sx::deterministic<"d">(v * a - b);
  auto y1 = sx::normal<"y1">(sx::exp(a) + sx::log(b) * v, sx::sqrt(b) + sx::square(p)).observe(y4);
  auto y2 =
      sx::normal<"y2">(sx::log1p(b) - sx::expm1(a / 3.0), 1.0 + sx::inv_logit(a)).observe(0.4);
  auto y3 = sx::normal<"y3">(
                sx::tanh(v) * sx::pow(b, p) + sx::log_inv_logit(a) - sx::log1m_inv_logit(v), 2.0)
                .observe(y4);
  auto y4o = sx::normal<"y4">(sx::sum(v) + sx::dot(v, w4) + v[2] - (-a), 1.5).observe(0.7);
  auto y5 = sx::poisson_log<"y5">(X * v + a).observe(counts);
  auto y6o = sx::normal<"y6">(v[idx] / b + f * u, 1.0).observe(y6);
  auto y7 = sx::gamma<"y7">(b + sx::lgamma(p + 1.0), sx::inv(p)).observe(pos4);
  auto y8 = sx::normal<"y8">(d + sx::log1m(p) * sx::abs(v), 1.0).observe(y4);
  auto y9 = sx::normal<"y9">(sx::pow(2.0, a) + sx::pow(b, 1.5), 1.0).observe(1.3);
  auto model = sx::model(a, b, v, p, f, u, d, y1, y2, y3, y4o, y5, y6o, y7, y8, y9);
  REQUIRE(model.dim() == 9);
  for (unsigned seed = 1; seed <= 6; ++seed)
    check_all_modes(model, random_point(model.dim(), seed, 0.8));
}

TEST_CASE("deterministic variables read through every kind of node", "[ad]") {
  // An elementwise deterministic passes its adjoints straight through its
  // expression (under a gather, an element pick, a broadcast, reductions and
  // another deterministic); one over a matrix-vector product keeps its own
  // adjoint slot. Scalar variables inside are read and summed once per loop.
  Eigen::MatrixXd X(6, 5);
  X << 0.1, -0.3, 0.5, 0.2, -0.7, 0.4, 0.0, 0.3, 0.2, 0.2, -0.4, 0.1, 0.9, -0.1, 0.3, -0.2, -0.2,
      0.6, 0.1, 0.4, 0.3, -0.5, -0.6, 0.2, 0.8, 0.1, -0.9, 0.3, 0.5, -0.4;
  Eigen::VectorXd y5(5), w5(5), y6(6);
  y5 << 0.3, -1.2, 2.2, 0.9, 0.1;
  w5 << 1.0, -0.5, 0.25, 2.0, -1.5;
  y6 << 0.1, 0.4, -0.3, 1.1, -0.8, 0.0;
  const std::vector<int> idx = {4, 0, 0, 2, 1, 3};
  const std::vector<int> counts = {0, 3, 1, 7, 2, 0};

  auto a = sx::normal<"a">(0.0, 1.0);
  auto t = sx::half_normal<"t">(1.0);
  auto z = sx::normal<"z">(0.0, 1.0, sx::size(5));
  auto d1 = sx::deterministic<"d1">(a + t * z);
  auto d0 = sx::deterministic<"d0">(a * t);
  auto d2 = sx::deterministic<"d2">(X * z + a);
  auto d3 = sx::deterministic<"d3">(d1 * t - d0);
  auto o1 = sx::normal<"o1">(d1[idx], 1.0).observe(y6);
  auto o2 = sx::normal<"o2">(d1 * d0 + d1[2], 0.5 + t).observe(y5);
  auto o3 = sx::poisson_log<"o3">(d2).observe(counts);
  auto o4 = sx::normal<"o4">(sx::sum(d1) + sx::dot(d1, w5), 2.0).observe(0.3);
  auto o5 = sx::normal<"o5">(d3, 1.0).observe(y5);
  auto o6 = sx::bernoulli_logit<"o6">(d2 * t).observe(std::vector<int>{1, 0, 0, 1, 1, 0});
  auto model = sx::model(a, t, z, d1, d0, d2, d3, o1, o2, o3, o4, o5, o6);
  REQUIRE(model.dim() == 7);
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const Eigen::VectorXd x = random_point(model.dim(), seed, 0.8);
    check_all_modes(model, x);
    // The recorded values are the expressions' values.
    const Eigen::VectorXd out = model.param_constrain(x, true);
    const double av = x[0], tv = std::exp(x[1]);
    const Eigen::VectorXd zv = x.tail(5);
    for (int i = 0; i < 5; ++i) {
      CHECK(out[7 + i] == Approx(av + tv * zv[i]).epsilon(1e-14));
      CHECK(out[13 + 6 + i] ==
            Approx((av + tv * zv[i]) * tv - av * tv).epsilon(1e-13).margin(1e-14));
    }
    CHECK(out[12] == Approx(av * tv).epsilon(1e-14));
    const Eigen::VectorXd eta = X * zv;
    for (int r = 0; r < 6; ++r)
      CHECK(out[13 + r] == Approx(eta[r] + av).epsilon(1e-13).margin(1e-14));
  }
}

TEST_CASE("every continuous family as a prior with parameter-dependent arguments", "[ad]") {
  auto m = sx::normal<"m">(0.0, 1.0);
  auto s = sx::lognormal<"s">(0.0, 0.3);
  auto x1 = sx::normal<"x1">(m, s);
  auto x2 = sx::student_t<"x2">(s + 2.0, m, s);
  auto x3 = sx::cauchy<"x3">(m, s);
  auto x4 = sx::half_normal<"x4">(s);
  auto x5 = sx::half_cauchy<"x5">(s);
  auto x6 = sx::half_student_t<"x6">(s + 3.0, s);
  auto x7 = sx::exponential<"x7">(s);
  auto x8 = sx::gamma<"x8">(s + 1.0, s);
  auto x9 = sx::inv_gamma<"x9">(s + 2.0, s);
  auto x10 = sx::lognormal<"x10">(m, s);
  auto x11 = sx::beta<"x11">(s + 1.0, s + 2.0);
  auto x12 = sx::uniform<"x12">(m - s, m + s);
  auto x13 = sx::logistic<"x13">(m, s);
  auto x14 = sx::laplace<"x14">(m, s, sx::size(3));
  auto x15 = sx::weibull<"x15">(s + 1.0, s);
  auto model = sx::model(m, s, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15);
  REQUIRE(model.dim() == 19);
  for (unsigned seed = 1; seed <= 6; ++seed)
    check_all_modes(model, random_point(model.dim(), seed, 0.7));
}

TEMPLATE_TEST_CASE("the scale-family kernels over vectors", "[ad]", sx::dist::half_normal,
                   sx::dist::half_cauchy) {
  // The family over vector variates with one varying scale, a vector of
  // varying scales, a constant scale and a data scale, and as a likelihood
  // over data with scalar and vector scales: every path through the kernel.
  using family = TestType;
  Eigen::VectorXd data(4), scales(4);
  data << 0.2, 1.7, 0.05, 3.1;
  scales << 0.5, 2.0, 1.5, 0.8;
  auto s = sx::lognormal<"s">(0.0, 0.5);
  auto v = sx::lognormal<"v">(0.0, 0.5, sx::size(4));
  auto x1 = sx::make_random_variable<"x1", family>(s, sx::size(4));
  auto x2 = sx::make_random_variable<"x2", family>(v);
  auto x3 = sx::make_random_variable<"x3", family>(2.5, sx::size(3));
  auto x4 = sx::make_random_variable<"x4", family>(scales);
  auto x5 = sx::make_random_variable<"x5", family>(s * 2.0).observe(data);
  auto x6 = sx::make_random_variable<"x6", family>(v + s).observe(data);
  auto model = sx::model(s, v, x1, x2, x3, x4, x5, x6);
  REQUIRE(model.dim() == 20);
  for (unsigned seed = 1; seed <= 4; ++seed)
    check_all_modes(model, random_point(model.dim(), seed, 1.5));
}

TEST_CASE("element loops of equal length run as one, and a gather keeps its own loop", "[ad]") {
  // z (unbounded, read from x) and w (positive, read from the workspace) have
  // priors of length 5 followed by likelihoods of length 5 that read them
  // elementwise: one loop for the run. In the second model a likelihood of the
  // same length reads z through a gather (index 3 before index 0 has been
  // visited), which must not share the prior's loop.
  Eigen::VectorXd y(5), data_scale(5);
  y << 0.3, -1.2, 2.2, 0.9, 0.1;
  data_scale << 1.0, 0.5, 2.0, 1.5, 0.7;
  auto m = sx::normal<"m">(0.0, 1.0);
  auto z = sx::normal<"z">(m, 1.0, sx::size(5));
  auto w = sx::half_cauchy<"w">(2.0, sx::size(5));
  auto joined1 = sx::normal<"joined1">(m + z * w, data_scale).observe(y);
  auto joined2 = sx::normal<"joined2">(z, w + 0.5).observe(y);
  auto model = sx::model(m, z, w, joined1, joined2);
  const std::vector<int> idx = {3, 0, 4, 4, 1};
  auto gathered = sx::normal<"gathered">(z[idx] * 2.0, 1.0).observe(y);
  auto gather_model = sx::model(m, z, gathered);
  for (unsigned seed = 1; seed <= 4; ++seed) {
    check_all_modes(model, random_point(model.dim(), seed, 0.8));
    check_all_modes(gather_model, random_point(gather_model.dim(), seed, 0.8));
  }
  // The gather model's value and gradient in closed form.
  const Eigen::VectorXd x = random_point(gather_model.dim(), 9, 0.8);
  Eigen::VectorXd grad, expected = Eigen::VectorXd::Zero(6);
  const double lp = gather_model.log_density_gradient(x, grad);
  double want = -0.5 * x[0] * x[0] - 2.5 * std::log(2 * M_PI) * 2 - 0.5 * std::log(2 * M_PI);
  expected[0] = -x[0];
  for (int i = 0; i < 5; ++i) {
    want -= 0.5 * (x[1 + i] - x[0]) * (x[1 + i] - x[0]);
    expected[1 + i] -= x[1 + i] - x[0];
    expected[0] += x[1 + i] - x[0];
    const double r = y[i] - 2.0 * x[1 + idx[i]];
    want -= 0.5 * r * r;
    expected[1 + idx[i]] += 2.0 * r;
  }
  CHECK(lp == Approx(want).epsilon(1e-13));
  for (int i = 0; i < 6; ++i)
    CHECK(grad[i] == Approx(expected[i]).epsilon(1e-13).margin(1e-14));
}

TEST_CASE("every discrete family as a likelihood with parameter-dependent arguments", "[ad]") {
  auto a = sx::normal<"a">(0.0, 1.0);
  auto r = sx::lognormal<"r">(0.0, 0.5);
  auto q = sx::beta<"q">(2.0, 2.0);
  auto beta = sx::normal<"beta">(0.0, 1.0, sx::size(3));
  const std::vector<int> binary = {0, 1, 1, 0, 1};
  const std::vector<int> counts = {0, 4, 2, 9, 1};
  const std::vector<int> trials = {5, 6, 2, 10, 3};
  const std::vector<int> categories = {0, 2, 2, 1, 0};
  auto y1 = sx::bernoulli<"y1">(q).observe(binary);
  auto y2 = sx::bernoulli_logit<"y2">(a).observe(binary);
  auto y3 = sx::binomial<"y3">(trials, q).observe(counts);
  auto y4 = sx::binomial_logit<"y4">(trials, a).observe(counts);
  auto y5 = sx::poisson<"y5">(r).observe(counts);
  auto y6 = sx::poisson_log<"y6">(a).observe(counts);
  auto y7 = sx::neg_binomial_2<"y7">(r, r + 1.0).observe(counts);
  auto y8 = sx::categorical_logit<"y8">(beta * a).observe(categories);
  auto model = sx::model(a, r, q, beta, y1, y2, y3, y4, y5, y6, y7, y8);
  REQUIRE(model.dim() == 6);
  for (unsigned seed = 1; seed <= 6; ++seed)
    check_all_modes(model, random_point(model.dim(), seed, 0.7));
}
