// Structured models end to end: constrained shapes, multivariate families and
// matrix functions inside models. Each model's reverse-mode gradient is
// checked against finite differences of its log density, forward mode
// against reverse mode, param_constrain / param_unconstrain round trips, and
// values against direct Eigen computations written here.
#include "model_gradient_check.hpp"

#include <statix/statix.hpp>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>

namespace sx = statix;
using Catch::Matchers::Contains;
using statix_test::finite_difference_gradient;
using statix_test::random_point;

namespace {

// Reverse mode against finite differences, forward mode against reverse
// mode, and the round trip through the constrained scale, at a few points.
template <class Model>
void check_model(const Model& model, double scale = 0.7) {
  statix_test::check_model_gradients(model, {.scale = scale});
  for (unsigned seed = 1; seed <= 4; ++seed) {
    const Eigen::VectorXd x = random_point(model.dim(), seed, scale);
    const Eigen::VectorXd constrained = model.param_constrain(x);
    REQUIRE(constrained.size() == model.num_constrained());
    const Eigen::VectorXd back = model.param_unconstrain(constrained);
    for (int i = 0; i < model.dim(); ++i)
      CHECK(back[i] == Approx(x[i]).epsilon(1e-8).margin(1e-8));
  }
}

Eigen::MatrixXd spd(int k, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd a(k, k);
  for (int i = 0; i < k * k; ++i)
    a.data()[i] = normal(rng);
  return a * a.transpose() + k * Eigen::MatrixXd::Identity(k, k);
}

Eigen::MatrixXd random_matrix(int r, int c, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd a(r, c);
  for (int i = 0; i < r * c; ++i)
    a.data()[i] = normal(rng);
  return a;
}

} // namespace

TEST_CASE("constrained shapes: sizes, CmdStan names, gradients and round trips", "[model]") {
  auto a = sx::normal<"a">(0.0, 2.0, sx::ordered(3));
  auto b = sx::lognormal<"b">(0.0, 1.0, sx::positive_ordered(2));
  auto p = sx::flat<"p">(sx::simplex(4));
  auto l = sx::flat<"L">(sx::cholesky_corr(3));
  auto s = sx::flat<"S">(sx::cholesky_cov(2));
  auto r = sx::flat<"R">(sx::corr_matrix(3));
  auto v = sx::flat<"V">(sx::cov_matrix(2));
  auto model = sx::model(a, b, p, l, s, r, v);
  CHECK(model.dim() == 3 + 2 + 3 + 3 + 3 + 3 + 3);
  CHECK(model.num_constrained() == 3 + 2 + 4 + 9 + 4 + 9 + 4);
  const auto names = model.param_names();
  REQUIRE(static_cast<int>(names.size()) == model.num_constrained());
  CHECK(names[0] == "a.1");
  CHECK(names[5] == "p.1");
  CHECK(names[9] == "L.1.1");
  CHECK(names[10] == "L.2.1");
  CHECK(names[12] == "L.1.2");
  CHECK(names.back() == "V.2.2");
  check_model(model);

  // The constrained values are in their supports.
  const Eigen::VectorXd c = model.param_constrain(random_point(model.dim(), 9, 2.0));
  CHECK(c[0] < c[1]);
  CHECK(c[1] < c[2]);
  CHECK(c[3] > 0);
  CHECK(c[3] < c[4]);
  CHECK(c.segment(5, 4).sum() == Approx(1.0).epsilon(1e-14));
  CHECK((c.segment(5, 4).array() > 0).all());
  const Eigen::Map<const Eigen::MatrixXd> lc(c.data() + 9, 3, 3);
  const Eigen::MatrixXd lct = lc * lc.transpose();
  CHECK(lct.diagonal().isApproxToConstant(1.0, 1e-12));
  CHECK(lc(0, 1) == 0.0);
  const Eigen::Map<const Eigen::MatrixXd> rc(c.data() + 22, 3, 3);
  CHECK(rc.isApprox(rc.transpose(), 1e-14));
  CHECK(rc.diagonal().isApproxToConstant(1.0, 1e-12));
  CHECK(rc.llt().info() == Eigen::Success);
}

TEST_CASE("the Jacobian of a constrained shape is in the density, and only with jacobian",
          "[model]") {
  auto p = sx::flat<"p">(sx::simplex(3));
  auto model = sx::model(p);
  const Eigen::VectorXd x = random_point(2, 3);
  CHECK(model.log_density(x, {.jacobian = false}) == 0.0);
  // The stick-breaking Jacobian, written out (Stan reference manual).
  const Eigen::VectorXd y = model.param_constrain(x);
  const double z0 = 1 / (1 + std::exp(-(x[0] - std::log(2.0))));
  const double z1 = 1 / (1 + std::exp(-(x[1] - std::log(1.0))));
  const double logj = std::log(z0 * (1 - z0)) + std::log((1 - y[0]) * z1 * (1 - z1));
  CHECK(model.log_density(x) == Approx(logj).epsilon(1e-12));
}

TEST_CASE("multi_normal and multi_normal_cholesky observed by rows match a direct formula",
          "[model]") {
  const int k = 3, n = 7;
  const Eigen::MatrixXd y = random_matrix(n, k, 5);
  auto mu = sx::normal<"mu">(0.0, 1.0, sx::size(k));
  auto tau = sx::half_normal<"tau">(1.0, sx::size(k));
  auto l = sx::lkj_corr_cholesky<"L">(2.0, sx::size(k));
  auto obs = sx::multi_normal_cholesky<"y">(mu, sx::diag_pre_multiply(tau, l)).observe(y);
  auto model = sx::model(mu, tau, l, obs);
  check_model(model);

  auto sigma = sx::flat<"Sigma">(sx::cov_matrix(k));
  auto obs2 = sx::multi_normal<"y">(mu, sigma).observe(y);
  auto model2 = sx::model(mu, sigma, obs2);
  check_model(model2, 0.3);
  // The likelihood term alone against log N(y_n | mu, Sigma) summed by hand.
  const Eigen::VectorXd x = random_point(model2.dim(), 4, 0.3);
  const Eigen::VectorXd c = model2.param_constrain(x);
  const Eigen::VectorXd m = c.head(k);
  const Eigen::Map<const Eigen::MatrixXd> s(c.data() + k, k, k);
  double expected = 0;
  for (int i = 0; i < k; ++i)
    expected += -0.5 * std::log(2 * M_PI) - 0.5 * m[i] * m[i]; // mu's prior
  const Eigen::MatrixXd inv = s.inverse();
  for (int r = 0; r < n; ++r) {
    const Eigen::VectorXd d = y.row(r).transpose() - m;
    expected +=
        -0.5 * k * std::log(2 * M_PI) - 0.5 * std::log(s.determinant()) - 0.5 * d.dot(inv * d);
  }
  CHECK(model2.log_density(x, {.jacobian = false}) == Approx(expected).epsilon(1e-12));
}

TEST_CASE("multivariate families as priors of free variables", "[model]") {
  const int k = 3;
  Eigen::VectorXd alpha(k);
  alpha << 0.7, 2.0, 3.5;
  const Eigen::MatrixXd scale = spd(k, 2);
  auto theta = sx::dirichlet<"theta">(alpha);
  auto omega = sx::lkj_corr<"Omega">(1.5, sx::size(k));
  auto w = sx::wishart<"W">(k + 2.0, scale);
  auto iw = sx::inv_wishart<"IW">(k + 3.0, scale);
  auto nu = sx::gamma<"nu">(4.0, 0.5);
  auto z = sx::multi_student_t<"z">(nu, 0.0, scale);
  auto zn = sx::multi_normal<"zn">(theta, w);
  auto model = sx::model(theta, omega, w, iw, nu, z, zn);
  CHECK(model.dim() == 2 + 3 + 6 + 6 + 1 + 3 + 3);
  check_model(model, 0.4);
}

TEST_CASE("observed discrete multivariate families", "[model]") {
  auto theta = sx::dirichlet<"theta">(Eigen::VectorXd::Constant(4, 2.0));
  std::vector<int> cats{0, 3, 2, 2, 1, 0, 3};
  auto y = sx::categorical<"y">(theta).observe(cats);
  std::vector<int> counts{3, 0, 5, 2};
  auto m = sx::multinomial<"m">(theta).observe(counts);
  auto cut = sx::normal<"c">(0.0, 3.0, sx::ordered(3));
  auto beta = sx::normal<"beta">(0.0, 1.0);
  Eigen::VectorXd xs(5);
  xs << -1.0, 0.5, 2.0, 0.0, -0.3;
  std::vector<int> grades{0, 2, 3, 1, 1};
  auto o = sx::ordered_logistic<"o">(beta * xs, cut).observe(grades);
  auto model = sx::model(theta, y, m, cut, beta, o);
  check_model(model);
  // categorical: sum of log theta[y] (theta's Dirichlet(2) prior and the
  // multinomial aside).
  auto only = sx::model(theta, y);
  const Eigen::VectorXd x = random_point(3, 2);
  const Eigen::VectorXd t = only.param_constrain(x);
  double expected = std::lgamma(8.0) - 4 * std::lgamma(2.0);
  for (int i = 0; i < 4; ++i)
    expected += std::log(t[i]);
  for (int c : cats)
    expected += std::log(t[c]);
  CHECK(only.log_density(x, {.jacobian = false}) == Approx(expected).epsilon(1e-12));
}

TEST_CASE("matrix functions: values against Eigen, gradients against finite differences",
          "[model]") {
  const int k = 3;
  const Eigen::MatrixXd a = random_matrix(4, k, 1);
  Eigen::VectorXd xs(5);
  xs << 0.0, 0.4, 1.1, 1.5, 2.3;
  auto z = sx::normal<"z">(0.0, 1.0, sx::size(k, 2));
  auto v = sx::normal<"v">(0.0, 1.0, sx::size(k));
  auto l = sx::flat<"L">(sx::cholesky_cov(k));
  auto s = sx::flat<"S">(sx::cov_matrix(k));
  auto rho = sx::lognormal<"rho">(0.0, 0.5);
  auto alpha = sx::lognormal<"alpha">(0.0, 0.5);
  auto prod = sx::deterministic<"prod">(a * (l * z));
  auto t = sx::deterministic<"t">(sx::transpose(z) * v);
  auto ad = sx::deterministic<"ad">(sx::add_diag(s, v));
  auto pre = sx::deterministic<"pre">(sx::diag_post_multiply(sx::diag_pre_multiply(v, l), v));
  auto llt = sx::deterministic<"llt">(sx::multiply_lower_tri_self_transpose(l));
  auto ch = sx::deterministic<"ch">(sx::cholesky_decompose(s));
  auto gp = sx::deterministic<"gp">(sx::gp_exp_quad_cov(xs, alpha, rho));
  auto rc = sx::deterministic<"rc">(sx::row(z, 1) + sx::col(sx::stack_rows(v, v), 2));
  auto sm = sx::deterministic<"sm">(sx::softmax(v) + sx::log_softmax(v) + sx::cumulative_sum(v));
  auto sc = sx::deterministic<"sc">(sx::log_sum_exp(v) + sx::dot_self(z) + sx::quad_form(s, v));
  auto qm = sx::deterministic<"qm">(sx::quad_form(s, z));
  // Every deterministic reaches the density through one likelihood term.
  auto total = sx::deterministic<"total">(sx::sum(prod) + sx::sum(t) + sx::sum(ad) + sx::sum(pre) +
                                          sx::sum(llt) + sx::sum(ch) + sx::sum(gp) + sx::sum(rc) +
                                          sx::sum(sm) + sc + sx::sum(qm));
  auto obs = sx::normal<"obs">(total, 10.0).observe(1.0);
  auto model =
      sx::model(z, v, l, s, rho, alpha, prod, t, ad, pre, llt, ch, gp, rc, sm, sc, qm, total, obs);
  check_model(model, 0.3);

  const Eigen::VectorXd x = random_point(model.dim(), 11, 0.3);
  const Eigen::VectorXd out = model.param_constrain(x, true);
  const auto names = model.output_names();
  auto find = [&](const std::string& n) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == n) return static_cast<int>(i);
    FAIL("no output " << n);
    return -1;
  };
  const Eigen::Map<const Eigen::MatrixXd> zm(out.data() + find("z.1.1"), k, 2);
  const Eigen::Map<const Eigen::VectorXd> vv(out.data() + find("v.1"), k);
  const Eigen::Map<const Eigen::MatrixXd> lm(out.data() + find("L.1.1"), k, k);
  const Eigen::Map<const Eigen::MatrixXd> sm_(out.data() + find("S.1.1"), k, k);
  const Eigen::MatrixXd prod_expected = a * (lm * zm);
  CHECK(Eigen::Map<const Eigen::MatrixXd>(out.data() + find("prod.1.1"), 4, 2)
            .isApprox(prod_expected, 1e-12));
  CHECK(names[find("prod.1.1") + 1] == "prod.2.1");
  const Eigen::MatrixXd ch_expected = sm_.llt().matrixL();
  CHECK(Eigen::Map<const Eigen::MatrixXd>(out.data() + find("ch.1.1"), k, k)
            .isApprox(ch_expected, 1e-12));
  const Eigen::MatrixXd llt_expected = lm * lm.transpose();
  CHECK(Eigen::Map<const Eigen::MatrixXd>(out.data() + find("llt.1.1"), k, k)
            .isApprox(llt_expected, 1e-12));
  const double al = out[find("alpha")], r = out[find("rho")];
  CHECK(
      out[find("gp.2.4")] ==
      Approx(al * al * std::exp(-(xs[1] - xs[3]) * (xs[1] - xs[3]) / (2 * r * r))).epsilon(1e-12));
  const Eigen::VectorXd e = vv.array().exp();
  const double lse = std::log(e.sum());
  CHECK(out[find("sm.2")] == Approx(e[1] / e.sum() + vv[1] - lse + vv[0] + vv[1]).epsilon(1e-12));
  CHECK(out[find("sc")] == Approx(lse + zm.squaredNorm() + vv.dot(sm_ * vv)).epsilon(1e-12));
  const Eigen::MatrixXd qm_expected = zm.transpose() * sm_ * zm;
  CHECK(Eigen::Map<const Eigen::MatrixXd>(out.data() + find("qm.1.1"), 2, 2)
            .isApprox(qm_expected, 1e-12));
  CHECK(out[find("rc.2")] == Approx(zm(1, 1) + vv[2]).epsilon(1e-12));
}

TEST_CASE("a Gaussian process: cholesky_decompose(add_diag(gp_exp_quad_cov)) * f_tilde",
          "[model]") {
  // Points about a length scale apart: a well-conditioned kernel matrix, so
  // that finite differences through its Cholesky factor are accurate.
  Eigen::VectorXd xs = Eigen::VectorXd::LinSpaced(12, -10.0, 10.0);
  std::vector<int> k{1, 0, 2, 4, 3, 1, 0, 0, 2, 5, 6, 3};
  auto rho = sx::gamma<"rho">(25.0, 4.0);
  auto alpha = sx::normal<"alpha">(0.0, 2.0);
  auto f_tilde = sx::normal<"f_tilde">(0.0, 1.0, sx::size(12));
  auto f = sx::deterministic<"f">(
      sx::cholesky_decompose(sx::add_diag(sx::gp_exp_quad_cov(xs, alpha, rho), 1e-10)) * f_tilde);
  auto obs = sx::poisson_log<"k">(f).observe(k);
  auto model = sx::model(rho, alpha, f_tilde, f, obs);
  check_model(model, 0.5);
}

TEST_CASE("a matrix that is not positive definite is a rejected point, not an error", "[model]") {
  auto s = sx::normal<"s">(0.0, 1.0, sx::size(2, 2));
  auto l = sx::deterministic<"l">(sx::cholesky_decompose(s));
  auto y = sx::multi_normal<"y">(0.0, s).observe(Eigen::VectorXd::Zero(2));
  auto model = sx::model(s, l, y);
  Eigen::VectorXd x(4);
  x << 1.0, 0.0, 0.0, -1.0; // symmetric, not positive definite
  Eigen::VectorXd grad;
  CHECK(model.log_density_gradient(x, grad) == -INFINITY);
  CHECK(grad.isZero());
  CHECK(model.log_density(x) == -INFINITY);
}

TEST_CASE("shape mismatches are errors that name the variable", "[model][errors]") {
  const Eigen::MatrixXd y = random_matrix(5, 3, 1);
  auto l = sx::lkj_corr_cholesky<"L">(2.0, sx::size(4));
  CHECK_THROWS_WITH(sx::multi_normal_cholesky<"y">(0.0, l).observe(y),
                    Contains("\"y\"") && Contains("L is 4 x 4"));
  CHECK_THROWS_WITH(sx::dirichlet<"theta">(Eigen::VectorXd::Ones(3)).observe(y.leftCols(2)),
                    Contains("\"theta\""));
  Eigen::VectorXd xs = Eigen::VectorXd::LinSpaced(4, 0, 1);
  auto rho = sx::lognormal<"rho">(0.0, 1.0);
  CHECK_THROWS_WITH(sx::multi_normal<"f">(0.0, sx::gp_exp_quad_cov(xs, 1.0, rho))
                        .observe(Eigen::VectorXd::Zero(5)),
                    Contains("\"f\"") && Contains("Sigma is 4 x 4"));
  auto z = sx::normal<"z">(0.0, 1.0, sx::size(3, 2));
  CHECK_THROWS_WITH(z * sx::normal<"w">(0.0, 1.0, sx::size(3)), Contains("3 x 2"));
  // A matrix parameter beside a vector variable of as many rows: all its
  // elements count (it used to pass and read the first column).
  const Eigen::MatrixXd scales = Eigen::MatrixXd::Ones(3, 3);
  CHECK_THROWS_WITH(sx::normal<"v">(0.0, scales).observe(Eigen::VectorXd::Zero(3)),
                    Contains("\"v\"") && Contains("sigma") && Contains("matrix of 9"));
  CHECK_THROWS_WITH(sx::normal<"u">(0.0, scales, sx::size(3)), Contains("\"u\""));
  CHECK_NOTHROW(sx::normal<"m">(0.0, scales, sx::size(3, 3)));
  auto theta = sx::dirichlet<"theta">(Eigen::VectorXd::Ones(3));
  CHECK_THROWS_WITH(sx::categorical<"c">(theta).observe(std::vector<int>{0, 3}),
                    Contains("\"c\"") && Contains("outside the support"));
  auto lkj = sx::lkj_corr_cholesky<"Omega">(2.0);
  CHECK_THROWS_WITH(sx::model(lkj), Contains("\"Omega\"") && Contains("sx::size(K)"));
  CHECK_THROWS_WITH(sx::flat<"p">(sx::simplex(1)), Contains("K >= 2"));
  auto p = sx::flat<"p">(sx::simplex(3));
  auto model = sx::model(p);
  Eigen::VectorXd bad(3);
  bad << 0.5, 0.4, 0.3;
  CHECK_THROWS_WITH(model.param_unconstrain(bad), Contains("\"p\""));
}
