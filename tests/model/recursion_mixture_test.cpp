// Free terms, unnamed distributions, mixtures and hidden Markov models
// (issue 11): sx::factor, sx::lpdf, sx::log_mix, sx::mixture,
// sx::hmm_marginal, sx::hmm_hidden_state_prob and sx::hmm_viterbi. Each
// model's reverse-mode gradient is checked against finite differences,
// forward mode against reverse mode, and values against naive formulas and
// brute-force sums over every state path written here.
#include "model_gradient_check.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace sx = statix;
using Catch::Matchers::Contains;
using statix_test::finite_difference_gradient;
using statix_test::random_point;

namespace {

template <class Model>
void check_model(const Model& model, double scale = 0.7) {
  statix_test::check_model_gradients(model, {.scale = scale, .points = 4});
}

double normal_lpdf(double y, double m, double s) {
  return -0.5 * std::log(2 * M_PI) - std::log(s) - 0.5 * (y - m) * (y - m) / (s * s);
}

Eigen::VectorXd data6() {
  Eigen::VectorXd y(6);
  y << -1.2, 0.3, 2.5, 3.1, -0.4, 1.9;
  return y;
}

// log sum over all K^N state paths of p(path) p(y | path).
double brute_force_hmm(const Eigen::MatrixXd& log_omega, const Eigen::MatrixXd& gamma,
                       const Eigen::VectorXd& rho, Eigen::MatrixXd* marginals = nullptr,
                       std::vector<int>* best_path = nullptr) {
  const int k = static_cast<int>(log_omega.rows()), n = static_cast<int>(log_omega.cols());
  std::vector<int> z(n, 0);
  double total = 0, best = -1;
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(k, n);
  while (true) {
    double p = rho[z[0]] * std::exp(log_omega(z[0], 0));
    for (int t = 1; t < n; ++t)
      p *= gamma(z[t - 1], z[t]) * std::exp(log_omega(z[t], t));
    total += p;
    for (int t = 0; t < n; ++t)
      m(z[t], t) += p;
    if (p > best) {
      best = p;
      if (best_path) *best_path = z;
    }
    int t = 0;
    while (t < n && ++z[t] == k)
      z[t++] = 0;
    if (t == n) break;
  }
  if (marginals) *marginals = m / total;
  return std::log(total);
}

Eigen::MatrixXd random_log_omega(int k, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(-1.0, 1.5);
  Eigen::MatrixXd lo(k, n);
  for (int i = 0; i < k * n; ++i)
    lo.data()[i] = normal(rng);
  return lo;
}

Eigen::MatrixXd random_stochastic(int k, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.1, 1.0);
  Eigen::MatrixXd g(k, k);
  for (int i = 0; i < k * k; ++i)
    g.data()[i] = u(rng);
  for (int i = 0; i < k; ++i)
    g.row(i) /= g.row(i).sum();
  return g;
}

} // namespace

TEST_CASE("sx::factor adds a scalar expression to the log density, with its gradient", "[model]") {
  auto mu = sx::normal<"mu">(0.0, 2.0);
  auto beta = sx::normal<"beta">(mu, 1.0, sx::size(3));
  auto pen = sx::factor<"penalty">(-0.5 * sx::dot_self(beta) + sx::log(1.0 + mu * mu));
  auto with = sx::model(mu, beta, pen);
  auto without = sx::model(mu, beta);
  check_model(with);
  const Eigen::VectorXd x = random_point(4, 7);
  const double expected = -0.5 * x.tail(3).squaredNorm() + std::log(1.0 + x[0] * x[0]);
  CHECK(with.log_density(x) - without.log_density(x) == Approx(expected).epsilon(1e-12));
  CHECK(with.dim() == 4);
  CHECK(with.output_size() == 4); // no draws of the factor

  // A factor of an elementwise expression of one variable alone.
  auto f2 = sx::factor<"f2">(sx::sum(sx::log_inv_logit(beta)));
  check_model(sx::model(mu, beta, f2));
}

TEST_CASE("sx::lpdf gives pointwise log densities with gradients", "[model]") {
  const Eigen::VectorXd y = data6();
  auto mu = sx::normal<"mu">(0.0, 2.0);
  auto sigma = sx::lognormal<"sigma">(0.0, 1.0);
  auto b = sx::normal<"b">(0.0, 1.0, sx::size(6));
  // The sum of the pointwise densities is the observed likelihood.
  auto lp = sx::factor<"lp">(sx::sum(sx::lpdf(sx::normal(mu + b, sigma), y)));
  auto m1 = sx::model(mu, sigma, b, lp);
  auto obs = sx::normal<"y">(mu + b, sigma).observe(y);
  auto m2 = sx::model(mu, sigma, b, obs);
  check_model(m1);
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const Eigen::VectorXd x = random_point(m1.dim(), seed);
    CHECK(m1.log_density(x) == Approx(m2.log_density(x)).epsilon(1e-12));
  }
  // The values themselves, through a deterministic.
  auto d = sx::deterministic<"d">(sx::lpdf(sx::normal(mu, sigma), y));
  auto m3 = sx::model(mu, sigma, d);
  const Eigen::VectorXd x = random_point(2, 3);
  const Eigen::VectorXd out = m3.param_constrain(x, true);
  for (int i = 0; i < 6; ++i)
    CHECK(out[2 + i] == Approx(normal_lpdf(y[i], out[0], out[1])).epsilon(1e-12));

  // Discrete families and a vector parameter.
  std::vector<int> counts{0, 3, 1, 7, 2, 4};
  auto a = sx::normal<"a">(0.0, 1.0, sx::size(6));
  auto pl = sx::factor<"pl">(sx::sum(sx::lpdf(sx::poisson(sx::exp(a)), counts)));
  auto pobs = sx::poisson_log<"c">(a).observe(counts);
  auto m4 = sx::model(a, pl);
  check_model(m4);
  const Eigen::VectorXd xa = random_point(6, 5);
  CHECK(m4.log_density(xa) - sx::model(a).log_density(xa) ==
        Approx(sx::model(a, pobs).log_density(xa) - sx::model(a).log_density(xa)).epsilon(1e-12));

  // A K x N log-emission matrix.
  auto mus = sx::normal<"mus">(0.0, 2.0, sx::size(2));
  auto lw = sx::deterministic<"lw">(
      sx::stack_rows(sx::lpdf(sx::normal(mus[0], 1.0), y), sx::lpdf(sx::normal(mus[1], 1.0), y)));
  auto m5 = sx::model(mus, lw);
  const Eigen::VectorXd xm = random_point(2, 2);
  const Eigen::VectorXd o = m5.param_constrain(xm, true);
  const Eigen::Map<const Eigen::MatrixXd> lwv(o.data() + 2, 2, 6);
  for (int i = 0; i < 6; ++i)
    for (int k = 0; k < 2; ++k)
      CHECK(lwv(k, i) == Approx(normal_lpdf(y[i], o[k], 1.0)).epsilon(1e-12));

  CHECK_THROWS_WITH(sx::lpdf(sx::normal(mu, sigma), Eigen::VectorXd::Constant(2, NAN)),
                    Contains("non-finite"));
  CHECK_THROWS_WITH(sx::lpdf(sx::normal(Eigen::VectorXd::Zero(4), 1.0), y), Contains("lpdf"));
}

TEST_CASE("sx::lpdf: vector and scalar arguments of every kind, rejected arguments", "[model]") {
  const Eigen::VectorXd y = data6();
  // A vector sigma (normal's kernel, a reciprocal per element) with a
  // scalar mu, and a family without a kernel (student_t: Dist::lpdf) with a
  // scalar nu, a vector mu and a scalar sigma, all varying.
  auto mu = sx::normal<"mu">(0.0, 2.0);
  auto s = sx::lognormal<"s">(0.0, 0.5, sx::size(6));
  auto nu = sx::gamma<"nu">(4.0, 0.5);
  auto b = sx::normal<"b">(0.0, 1.0, sx::size(6));
  auto sigma = sx::lognormal<"sigma">(0.0, 1.0);
  auto f = sx::factor<"f">(sx::sum(sx::lpdf(sx::normal(mu, s), y)) +
                           0.5 * sx::sum(sx::lpdf(sx::student_t(nu, mu + b, sigma), y)));
  auto m1 = sx::model(mu, s, nu, b, sigma, f);
  check_model(m1, 0.5);
  auto m2 = sx::model(mu, s, nu, b, sigma, sx::normal<"y1">(mu, s).observe(y));
  auto m3 = sx::model(mu, s, nu, b, sigma, sx::student_t<"y2">(nu, mu + b, sigma).observe(y));
  const auto m0 = sx::model(mu, s, nu, b, sigma);
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const Eigen::VectorXd x = random_point(m1.dim(), seed, 0.5);
    const double prior = m0.log_density(x);
    CHECK(m1.log_density(x) - prior ==
          Approx(m2.log_density(x) - prior + 0.5 * (m3.log_density(x) - prior)).epsilon(1e-12));
  }

  // Arguments outside their domains: -inf for the elements they reach, as
  // the family's lpdf rejects them, with no partials.
  Eigen::VectorXd scales(6);
  scales << 1.0, -1.0, 2.0, 0.5, 0.0, 3.0;
  auto dm = sx::deterministic<"dm">(sx::lpdf(sx::normal(mu, scales), y));
  auto dc = sx::deterministic<"dc">(sx::lpdf(sx::normal(mu, -1.0), y));
  const Eigen::VectorXd out = sx::model(mu, dm, dc).param_constrain(random_point(1, 4), true);
  for (int i = 0; i < 6; ++i) {
    if (scales[i] > 0)
      CHECK(out[1 + i] == Approx(normal_lpdf(y[i], out[0], scales[i])).epsilon(1e-12));
    else
      CHECK(out[1 + i] == -INFINITY);
    CHECK(out[7 + i] == -INFINITY);
  }
  // A varying scale below 0 in one component of a mixture: that component
  // is -inf, the mixture is the other one's, and the gradient is exact.
  auto th = sx::beta<"th">(2.0, 2.0);
  auto lm = sx::factor<"lm">(sx::sum(sx::log_mix(th, sx::lpdf(sx::normal(mu, sigma - 1.0), y),
                                                 sx::lpdf(sx::normal(mu + 1.0, sigma), y))));
  auto m4 = sx::model(mu, sigma, th, lm);
  Eigen::VectorXd x(3), grad;
  x << 0.3, -0.5, 0.2; // sigma = exp(-0.5) < 1
  const double lp = m4.log_density_gradient(x, grad);
  const Eigen::VectorXd c = m4.param_constrain(x);
  double naive = 0;
  for (int i = 0; i < 6; ++i)
    naive += std::log(1 - c[2]) + normal_lpdf(y[i], c[0] + 1.0, c[1]);
  CHECK(lp - sx::model(mu, sigma, th).log_density(x) == Approx(naive).epsilon(1e-12));
  const Eigen::VectorXd fd =
      finite_difference_gradient([&](const Eigen::VectorXd& v) { return m4.log_density(v); }, x);
  for (int i = 0; i < 3; ++i)
    CHECK(grad[i] == Approx(fd[i]).epsilon(1e-6).margin(1e-6));
}

TEST_CASE("sx::log_mix: values and gradients of both forms", "[model]") {
  const Eigen::VectorXd y = data6();
  auto th = sx::beta<"th">(2.0, 2.0);
  auto mu = sx::normal<"mu">(0.0, 2.0, sx::size(2));
  auto s = sx::half_normal<"s">(1.0, sx::size(2));
  auto lm = sx::factor<"lm">(sx::sum(
      sx::log_mix(th, sx::lpdf(sx::normal(mu[0], s[0]), y), sx::lpdf(sx::normal(mu[1], s[1]), y))));
  auto m1 = sx::model(th, mu, s, lm);
  check_model(m1);
  const Eigen::VectorXd x = random_point(m1.dim(), 11);
  const Eigen::VectorXd c = m1.param_constrain(x);
  double naive = 0;
  for (int i = 0; i < 6; ++i)
    naive += std::log(c[0] * std::exp(normal_lpdf(y[i], c[1], c[3])) +
                      (1 - c[0]) * std::exp(normal_lpdf(y[i], c[2], c[4])));
  CHECK(m1.log_density(x) - sx::model(th, mu, s).log_density(x) == Approx(naive).epsilon(1e-12));

  // Scalar arguments: far in the tails, where a naive formula underflows.
  auto a = sx::normal<"a">(0.0, 1.0);
  auto f = sx::factor<"f">(sx::log_mix(th, -1000.0 + a, -1001.0 - a));
  auto m2 = sx::model(th, a, f);
  check_model(m2);
  const Eigen::VectorXd x2 = random_point(2, 3);
  const Eigen::VectorXd c2 = m2.param_constrain(x2);
  const double expected =
      -1000.0 + c2[1] + std::log(c2[0] + (1 - c2[0]) * std::exp(-1.0 - 2 * c2[1]));
  CHECK(m2.log_density(x2) - sx::model(th, a).log_density(x2) == Approx(expected).epsilon(1e-12));

  // The simplex form over a K x N matrix (a vector of N) and over a K-vector.
  auto w = sx::flat<"w">(sx::simplex(3));
  auto m3s = sx::normal<"m3">(0.0, 2.0, sx::size(3));
  auto lam =
      sx::stack_rows(sx::lpdf(sx::normal(m3s[0], 1.0), y), sx::lpdf(sx::normal(m3s[1], 1.0), y),
                     sx::lpdf(sx::normal(m3s[2], 1.0), y));
  auto lv = sx::factor<"lv">(sx::sum(sx::log_mix(w, lam)));
  auto l1 = sx::factor<"l1">(sx::log_mix(w, m3s));
  auto m3 = sx::model(w, m3s, lv, l1);
  check_model(m3);
  const Eigen::VectorXd x3 = random_point(m3.dim(), 4);
  const Eigen::VectorXd c3 = m3.param_constrain(x3);
  double naive3 = 0;
  for (int i = 0; i < 6; ++i) {
    double p = 0;
    for (int k = 0; k < 3; ++k)
      p += c3[k] * std::exp(normal_lpdf(y[i], c3[3 + k], 1.0));
    naive3 += std::log(p);
  }
  double inner = 0;
  for (int k = 0; k < 3; ++k)
    inner += c3[k] * std::exp(c3[3 + k]);
  naive3 += std::log(inner);
  CHECK(m3.log_density(x3, {.jacobian = false}) -
            sx::model(w, m3s).log_density(x3, {.jacobian = false}) ==
        Approx(naive3).epsilon(1e-12));
}

TEST_CASE("sx::mixture: two and three components, values against a naive formula", "[model]") {
  const Eigen::VectorXd y = data6();
  SECTION("a simplex of two weights, scalar parameters") {
    auto mu = sx::normal<"mu">(0.0, 2.0, sx::ordered(2));
    auto s = sx::lognormal<"s">(0.0, 1.0, sx::size(2));
    auto w = sx::flat<"w">(sx::simplex(2));
    auto mix = sx::mixture<"y">(w, sx::normal(mu[0], s[0]), sx::normal(mu[1], s[1])).observe(y);
    auto model = sx::model(mu, s, w, mix);
    check_model(model);
    const Eigen::VectorXd x = random_point(model.dim(), 3);
    const Eigen::VectorXd c = model.param_constrain(x);
    double naive = 0;
    for (int i = 0; i < 6; ++i)
      naive += std::log(c[4] * std::exp(normal_lpdf(y[i], c[0], c[2])) +
                        c[5] * std::exp(normal_lpdf(y[i], c[1], c[3])));
    CHECK(model.log_density(x) - sx::model(mu, s, w).log_density(x) ==
          Approx(naive).epsilon(1e-12));
  }
  SECTION("one probability from a beta, a student_t and a normal") {
    auto th = sx::beta<"theta">(2.0, 2.0);
    auto mu = sx::normal<"mu">(0.0, 2.0, sx::size(2));
    auto mix =
        sx::mixture<"y">(th, sx::student_t(4.0, mu[0], 1.5), sx::normal(mu[1], 0.7)).observe(y);
    auto model = sx::model(th, mu, mix);
    check_model(model);
    const Eigen::VectorXd x = random_point(model.dim(), 5);
    const Eigen::VectorXd c = model.param_constrain(x);
    double naive = 0;
    for (int i = 0; i < 6; ++i) {
      const double z = (y[i] - c[1]) / 1.5;
      const double t = std::lgamma(2.5) - std::lgamma(2.0) - 0.5 * std::log(4 * M_PI) -
                       std::log(1.5) - 2.5 * std::log1p(z * z / 4);
      naive += std::log(c[0] * std::exp(t) + (1 - c[0]) * std::exp(normal_lpdf(y[i], c[2], 0.7)));
    }
    CHECK(model.log_density(x) - sx::model(th, mu).log_density(x) == Approx(naive).epsilon(1e-12));
  }
  SECTION("three components from a Dirichlet, vector parameters (a regression each)") {
    Eigen::VectorXd xs(6);
    xs << 0.1, -0.5, 1.0, 0.7, -1.3, 0.2;
    auto w = sx::dirichlet<"w">(Eigen::VectorXd::Constant(3, 2.0));
    auto a = sx::normal<"a">(0.0, 2.0, sx::size(3));
    auto b = sx::normal<"b">(0.0, 1.0);
    auto s = sx::half_normal<"s">(1.0, sx::size(3));
    auto mix = sx::mixture<"y">(w, sx::normal(a[0] + b * xs, s[0]), sx::normal(a[1] + b * xs, s[1]),
                                sx::normal(a[2] - b * xs, s[2]))
                   .observe(y);
    auto model = sx::model(w, a, b, s, mix);
    check_model(model);
    const Eigen::VectorXd x = random_point(model.dim(), 8);
    const Eigen::VectorXd c = model.param_constrain(x); // w(3) a(3) b s(3)
    double naive = 0;
    for (int i = 0; i < 6; ++i) {
      double p = 0;
      for (int k = 0; k < 3; ++k) {
        const double m = c[3 + k] + (k == 2 ? -1 : 1) * c[6] * xs[i];
        p += c[k] * std::exp(normal_lpdf(y[i], m, c[7 + k]));
      }
      naive += std::log(p);
    }
    CHECK(model.log_density(x) - sx::model(w, a, b, s).log_density(x) ==
          Approx(naive).epsilon(1e-12));
  }
  SECTION("weights from sx::flat simplex(3), and discrete components") {
    auto w = sx::flat<"w">(sx::simplex(3));
    auto lam = sx::gamma<"lam">(2.0, 1.0, sx::size(3));
    std::vector<int> counts{0, 3, 1, 7, 2, 4, 0, 0};
    auto mix = sx::mixture<"c">(w, sx::poisson(lam[0]), sx::poisson(lam[1]), sx::poisson(lam[2]))
                   .observe(counts);
    auto model = sx::model(w, lam, mix);
    check_model(model);
    const Eigen::VectorXd x = random_point(model.dim(), 2);
    const Eigen::VectorXd c = model.param_constrain(x);
    double naive = 0;
    for (int n : counts) {
      double p = 0;
      for (int k = 0; k < 3; ++k)
        p += c[k] * std::exp(n * std::log(c[3 + k]) - c[3 + k] - std::lgamma(n + 1.0));
      naive += std::log(p);
    }
    CHECK(model.log_density(x, {.jacobian = false}) -
              sx::model(w, lam).log_density(x, {.jacobian = false}) ==
          Approx(naive).epsilon(1e-12));
  }
}

TEST_CASE("sx::mixture: weights that are not a simplex name the variable", "[model]") {
  const Eigen::VectorXd y = data6();
  auto mu = sx::normal<"mu">(0.0, 2.0, sx::size(2));
  Eigen::VectorXd w(2);
  w << 0.3, 0.6;
  CHECK_THROWS_WITH(
      sx::mixture<"ymix">(w, sx::normal(mu[0], 1.0), sx::normal(mu[1], 1.0)).observe(y),
      Contains("variable \"ymix\"") && Contains("not a simplex"));
  w << 1.2, -0.2;
  CHECK_THROWS_WITH(
      sx::mixture<"ymix">(w, sx::normal(mu[0], 1.0), sx::normal(mu[1], 1.0)).observe(y),
      Contains("variable \"ymix\"") && Contains("not a simplex"));
  CHECK_THROWS_WITH(
      sx::mixture<"ymix">(1.5, sx::normal(mu[0], 1.0), sx::normal(mu[1], 1.0)).observe(y),
      Contains("variable \"ymix\"") && Contains("probability"));
  CHECK_THROWS_WITH(sx::mixture<"ymix">(Eigen::VectorXd::Constant(3, 1.0 / 3),
                                        sx::normal(mu[0], 1.0), sx::normal(mu[1], 1.0))
                        .observe(y),
                    Contains("variable \"ymix\"") && Contains("2 components"));
  CHECK_THROWS_WITH(
      sx::mixture<"ymix">(0.5, sx::normal(Eigen::VectorXd::Zero(4), 1.0), sx::normal(mu[1], 1.0))
          .observe(y),
      Contains("variable \"ymix\"") && Contains("component 0"));
  CHECK_THROWS_WITH(
      sx::mixture<"ymix">(0.5, sx::normal(mu[0], -1.0), sx::normal(mu[1], 1.0)).observe(y),
      Contains("variable \"ymix\"") && Contains("sigma"));
  CHECK_NOTHROW(sx::mixture<"ymix">(Eigen::VectorXd::Constant(2, 0.5), sx::normal(mu[0], 1.0),
                                    sx::normal(mu[1], 1.0))
                    .observe(y));
}

TEST_CASE("sx::hmm_marginal against a brute-force sum over every state path", "[model]") {
  const int n = 5;
  for (int k : {2, 3}) {
    const Eigen::MatrixXd lo = random_log_omega(k, n, 10 + k);
    // Gamma's rows and rho as simplex variables; log_omega as data.
    auto g1 = sx::flat<"g1">(sx::simplex(k));
    auto g2 = sx::flat<"g2">(sx::simplex(k));
    auto g3 = sx::flat<"g3">(sx::simplex(k));
    auto rho = sx::flat<"rho">(sx::simplex(k));
    auto check = [&](const auto& model) {
      check_model(model);
      for (unsigned seed = 1; seed <= 3; ++seed) {
        const Eigen::VectorXd x = random_point(model.dim(), seed, 1.0);
        const Eigen::VectorXd c = model.param_constrain(x);
        Eigen::MatrixXd gamma(k, k);
        for (int i = 0; i < k; ++i)
          for (int j = 0; j < k; ++j)
            gamma(i, j) = c[i * k + j];
        const Eigen::VectorXd r = c.segment(k * k, k);
        CHECK(model.log_density(x, {.jacobian = false}) ==
              Approx(brute_force_hmm(lo, gamma, r)).epsilon(1e-12));
      }
    };
    if (k == 2)
      check(sx::model(g1, g2, rho, sx::hmm_marginal<"y">(lo, sx::stack_rows(g1, g2), rho)));
    else
      check(sx::model(g1, g2, g3, rho, sx::hmm_marginal<"y">(lo, sx::stack_rows(g1, g2, g3), rho)));
  }

  // Emissions that depend on parameters: the gradient flows into log_omega.
  const Eigen::VectorXd y = data6();
  auto mu = sx::normal<"mu">(0.0, 2.0, sx::ordered(2));
  auto t1 = sx::flat<"t1">(sx::simplex(2));
  auto t2 = sx::flat<"t2">(sx::simplex(2));
  auto rho = sx::flat<"rho">(sx::simplex(2));
  auto lw =
      sx::stack_rows(sx::lpdf(sx::normal(mu[0], 1.0), y), sx::lpdf(sx::normal(mu[1], 1.0), y));
  auto hmm = sx::hmm_marginal<"y">(lw, sx::stack_rows(t1, t2), rho);
  auto model = sx::model(mu, t1, t2, rho, hmm);
  check_model(model);
  const Eigen::VectorXd x = random_point(model.dim(), 6);
  const Eigen::VectorXd c = model.param_constrain(x); // mu(2) t1(2) t2(2) rho(2)
  Eigen::MatrixXd lo(2, 6);
  for (int i = 0; i < 6; ++i)
    for (int s = 0; s < 2; ++s)
      lo(s, i) = normal_lpdf(y[i], c[s], 1.0);
  Eigen::MatrixXd gamma(2, 2);
  gamma << c[2], c[3], c[4], c[5];
  CHECK(model.log_density(x, {.jacobian = false}) -
            sx::model(mu, t1, t2, rho).log_density(x, {.jacobian = false}) ==
        Approx(brute_force_hmm(lo, gamma, c.segment(6, 2))).epsilon(1e-12));

  const Eigen::MatrixXd identity3 = Eigen::MatrixXd::Identity(3, 3);
  CHECK_THROWS_WITH(sx::hmm_marginal<"y">(lo, identity3, rho),
                    Contains("hmm_marginal") && Contains("Gamma"));
}

TEST_CASE("hmm_hidden_state_prob and hmm_viterbi against brute force", "[model]") {
  for (int k : {2, 3}) {
    const int n = 5;
    const Eigen::MatrixXd lo = random_log_omega(k, n, 20 + k);
    const Eigen::MatrixXd gamma = random_stochastic(k, 30 + k);
    Eigen::VectorXd rho = Eigen::VectorXd::LinSpaced(k, 1.0, 2.0);
    rho /= rho.sum();
    Eigen::MatrixXd marginals;
    std::vector<int> best;
    brute_force_hmm(lo, gamma, rho, &marginals, &best);
    const Eigen::MatrixXd prob = sx::hmm_hidden_state_prob(lo, gamma, rho);
    REQUIRE(prob.rows() == k);
    REQUIRE(prob.cols() == n);
    for (int i = 0; i < k * n; ++i)
      CHECK(prob.data()[i] == Approx(marginals.data()[i]).epsilon(1e-12).margin(1e-14));
    CHECK(sx::hmm_viterbi(lo, gamma, rho) == best);
  }
  CHECK_THROWS_WITH(sx::hmm_viterbi(Eigen::MatrixXd::Zero(2, 3), Eigen::MatrixXd::Identity(3, 3),
                                    Eigen::VectorXd::Ones(2)),
                    Contains("hmm_viterbi"));
}
