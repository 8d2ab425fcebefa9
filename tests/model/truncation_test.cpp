// Truncation (`.truncate(l, u)`, Stan's T[L, U]) of observed and free
// variables: the normaliser against naive formulas, in both tails; gradients
// against finite differences and forward mode against reverse mode, for
// every family that can be truncated, with parameters and bounds that vary;
// the normalisation of each truncated density by numerical integration; and
// the errors.
#include "model_gradient_check.hpp"

#include <statix/statix.hpp>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace sx = statix;
using Catch::Matchers::Contains;
using statix_test::finite_difference_gradient;
using statix_test::random_point;

namespace {

template <class Model>
void check_gradients(const Model& model, double scale = 0.5) {
  statix_test::check_model_gradients(model, {.scale = scale, .points = 4});
}

// Phi(z) - Phi(w), w < z, from the tail that keeps the digits.
double normal_mass(double w, double z) {
  if (w > 0) return 0.5 * (std::erfc(w / std::sqrt(2.0)) - std::erfc(z / std::sqrt(2.0)));
  return 0.5 * (std::erfc(-z / std::sqrt(2.0)) - std::erfc(-w / std::sqrt(2.0)));
}

constexpr sx::density_options exact{.jacobian = true, .propto = false};

Eigen::VectorXd data5() {
  Eigen::VectorXd y(5);
  y << 0.4, 1.1, 2.3, 0.9, 1.7;
  return y;
}

} // namespace

TEST_CASE("truncated normal likelihood: the normaliser against a naive formula",
          "[model][truncation]") {
  const Eigen::VectorXd y = data5();
  const auto plain = [&] {
    auto mu = sx::normal<"mu">(0.0, 2.0);
    auto sigma = sx::lognormal<"sigma">(0.0, 0.5);
    return sx::model(mu, sigma, sx::normal<"y">(mu, sigma).observe(y));
  }();
  const auto model_of = [&](const auto&... bounds) {
    auto mu = sx::normal<"mu">(0.0, 2.0);
    auto sigma = sx::lognormal<"sigma">(0.0, 0.5);
    return sx::model(mu, sigma, sx::normal<"y">(mu, sigma).observe(y).truncate(bounds...));
  };
  const auto both = model_of(0.0, 3.0);
  const auto lower = model_of(sx::lower(0.25));
  const auto upper = model_of(sx::upper(2.5));
  // .truncate before .observe: the same term.
  const auto declared_first = [&] {
    auto mu = sx::normal<"mu">(0.0, 2.0);
    auto sigma = sx::lognormal<"sigma">(0.0, 0.5);
    return sx::model(mu, sigma, sx::normal<"y">(mu, sigma).truncate(0.0, 3.0).observe(y));
  }();
  const double n = 5;
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Eigen::VectorXd x = random_point(2, seed, 1.0);
    const double mu = x[0], sigma = std::exp(x[1]);
    const double base = plain.log_density(x, exact);
    CHECK(both.log_density(x, exact) - base ==
          Approx(-n * std::log(normal_mass(-mu / sigma, (3.0 - mu) / sigma))).epsilon(1e-12));
    CHECK(declared_first.log_density(x, exact) ==
          Approx(both.log_density(x, exact)).epsilon(1e-14));
    CHECK(lower.log_density(x, exact) - base ==
          Approx(-n * std::log(0.5 * std::erfc((0.25 - mu) / sigma / std::sqrt(2.0))))
              .epsilon(1e-12));
    CHECK(upper.log_density(x, exact) - base ==
          Approx(-n * std::log(0.5 * std::erfc(-(2.5 - mu) / sigma / std::sqrt(2.0))))
              .epsilon(1e-12)
              .margin(1e-12)); // Z near 1: the difference of two sums keeps ~1e-14
  }
}

TEST_CASE("truncation keeps its digits far in either tail", "[model][truncation]") {
  // Data between 8 and 9 standard deviations above the mean: Z = Phi(9) -
  // Phi(8) ~ 6e-16, which 1 - Phi would round away; and the mirror image.
  Eigen::VectorXd up(2), down(2);
  up << 8.2, 8.7;
  down = -up;
  for (const double sign : {1.0, -1.0}) {
    const Eigen::VectorXd& y = sign > 0 ? up : down;
    auto mu = sx::normal<"mu">(0.0, 0.01);
    auto plain = sx::model(mu, sx::normal<"y">(mu, 1.0).observe(y));
    auto truncated = sx::model(mu, sx::normal<"y">(mu, 1.0).observe(y).truncate(
                                       sign > 0 ? 8.0 : -9.0, sign > 0 ? 9.0 : -8.0));
    Eigen::VectorXd x(1);
    x << 0.003;
    const double m = x[0];
    const double z = sign > 0 ? normal_mass(8.0 - m, 9.0 - m) : normal_mass(-9.0 - m, -8.0 - m);
    const double want = -2.0 * std::log(z);
    CHECK(truncated.log_density(x, exact) - plain.log_density(x, exact) ==
          Approx(want).epsilon(1e-10));
    Eigen::VectorXd grad;
    REQUIRE(std::isfinite(truncated.log_density_gradient(x, grad)));
    const Eigen::VectorXd fd = finite_difference_gradient(
        [&](const Eigen::VectorXd& v) { return truncated.log_density(v); }, x);
    CHECK(grad[0] == Approx(fd[0]).epsilon(1e-6));
  }
}

TEST_CASE("truncated likelihoods of every truncatable family: gradients with varying "
          "parameters and bounds",
          "[model][truncation]") {
  const Eigen::VectorXd y = data5(); // in (0.4, 2.3)
  // Bounds that are expressions of parameters: below 0.4 and above 2.3.
  auto dl = sx::lognormal<"dl">(-1.0, 0.3);
  auto du = sx::lognormal<"du">(0.0, 0.3);
  auto lo = 0.4 - 0.3 * sx::exp(-dl); // in (0.1, 0.4)
  auto hi = 2.3 + du;
  auto m = sx::normal<"m">(1.0, 0.5);
  auto s = sx::lognormal<"s">(0.0, 0.3);
  auto a = sx::lognormal<"a">(0.5, 0.3);
  SECTION("normal, both bounds and each alone") {
    check_gradients(sx::model(dl, du, m, s, sx::normal<"y">(m, s).observe(y).truncate(lo, hi)));
    check_gradients(sx::model(dl, m, s, sx::normal<"y">(m, s).observe(y).truncate(sx::lower(lo))));
    check_gradients(sx::model(du, m, s, sx::normal<"y">(m, s).observe(y).truncate(sx::upper(hi))));
  }
  SECTION("lognormal, exponential, weibull, frechet, rayleigh") {
    check_gradients(sx::model(dl, du, m, s, sx::lognormal<"y">(m, s).observe(y).truncate(lo, hi)));
    check_gradients(sx::model(dl, du, s, sx::exponential<"y">(s).observe(y).truncate(lo, hi)));
    check_gradients(sx::model(dl, du, a, s, sx::weibull<"y">(a, s).observe(y).truncate(lo, hi)));
    check_gradients(sx::model(dl, du, a, s, sx::frechet<"y">(a, s).observe(y).truncate(lo, hi)));
    check_gradients(sx::model(dl, du, s, sx::rayleigh<"y">(s).observe(y).truncate(lo, hi)));
  }
  SECTION("cauchy, logistic, laplace, gumbel") {
    check_gradients(sx::model(dl, du, m, s, sx::cauchy<"y">(m, s).observe(y).truncate(lo, hi)));
    check_gradients(sx::model(dl, du, m, s, sx::logistic<"y">(m, s).observe(y).truncate(lo, hi)));
    check_gradients(sx::model(dl, du, m, s, sx::laplace<"y">(m, s).observe(y).truncate(lo, hi)));
    check_gradients(sx::model(dl, du, m, s, sx::gumbel<"y">(m, s).observe(y).truncate(lo, hi)));
  }
  SECTION("pareto and pareto_type_2, their support starting at a parameter") {
    auto ymin = sx::uniform<"ymin">(0.05, 0.35);
    check_gradients(
        sx::model(ymin, du, a, sx::pareto<"y">(ymin, a).observe(y).truncate(sx::upper(hi))));
    check_gradients(sx::model(ymin, dl, du, a, s,
                              sx::pareto_type_2<"y">(ymin, s, a).observe(y).truncate(lo, hi)));
  }
  SECTION("parameters and bounds one per element") {
    Eigen::VectorXd x_data(5);
    x_data << -1.0, 0.5, 0.0, 1.5, -0.5;
    auto b = sx::normal<"b">(0.0, 0.5);
    Eigen::VectorXd upper_data(5);
    upper_data << 3.0, 2.5, 4.0, 2.6, 3.3;
    check_gradients(sx::model(
        m, b, s, dl, sx::normal<"y">(m + b * x_data, s).observe(y).truncate(lo, upper_data)));
  }
}

TEST_CASE("truncated priors of free variables: support, gradients and sampling",
          "[model][truncation]") {
  SECTION("the support becomes the truncation's interval") {
    auto mu = sx::normal<"mu">(0.0, 1.0);
    auto x = sx::normal<"x">(mu, 2.0).truncate(-1.0, 0.5);
    auto model = sx::model(mu, x);
    for (unsigned seed = 1; seed <= 20; ++seed) {
      const Eigen::VectorXd c = model.param_constrain(random_point(2, seed, 3.0));
      CHECK(c[1] >= -1.0);
      CHECK(c[1] <= 0.5);
    }
    check_gradients(model);
  }
  SECTION("a positive family truncated above keeps its lower bound 0") {
    auto lambda = sx::lognormal<"lambda">(0.0, 0.5);
    auto model =
        sx::model(lambda, sx::exponential<"t">(lambda, sx::size(3)).truncate(sx::upper(2.0)));
    for (unsigned seed = 1; seed <= 20; ++seed) {
      const Eigen::VectorXd c = model.param_constrain(random_point(4, seed, 3.0));
      for (int i = 1; i < 4; ++i) {
        CHECK(c[i] > 0.0);
        CHECK(c[i] < 2.0);
      }
    }
    check_gradients(model);
  }
  SECTION("a bound that is a parameter") {
    auto u = sx::normal<"u">(1.0, 0.5);
    auto model = sx::model(u, sx::normal<"x">(0.0, 1.0).truncate(sx::upper(u)));
    check_gradients(model);
  }
}

TEST_CASE("each truncated density integrates to one over its interval", "[model][truncation]") {
  using boost::math::quadrature::gauss_kronrod;
  const auto integral = [](const auto& model, double lo, double hi) {
    Eigen::VectorXd v(1);
    const auto density = [&](double t) {
      v[0] = t;
      return std::exp(
          model.log_density(model.param_unconstrain(v), {.jacobian = false, .propto = false}));
    };
    return gauss_kronrod<double, 61>::integrate(density, lo, hi, 15, 1e-13);
  };
  const auto check = [&](const auto& model, double lo, double hi, const char* family) {
    INFO(family);
    CHECK(integral(model, lo, hi) == Approx(1.0).epsilon(1e-9));
  };
  check(sx::model(sx::normal<"x">(0.3, 1.5).truncate(-1.0, 2.0)), -1.0, 2.0, "normal");
  check(sx::model(sx::normal<"x">(0.3, 1.5).truncate(sx::lower(4.0))), 4.0, INFINITY,
        "normal, lower tail");
  check(sx::model(sx::normal<"x">(0.3, 1.5).truncate(sx::upper(-2.0))), -INFINITY, -2.0,
        "normal, upper");
  check(sx::model(sx::lognormal<"x">(0.2, 0.8).truncate(0.5, 3.0)), 0.5, 3.0, "lognormal");
  check(sx::model(sx::exponential<"x">(1.7).truncate(sx::upper(1.2))), 0.0, 1.2, "exponential");
  check(sx::model(sx::cauchy<"x">(-0.5, 0.7).truncate(-30.0, -2.0)), -30.0, -2.0, "cauchy");
  check(sx::model(sx::logistic<"x">(1.0, 0.4).truncate(0.0, 1.5)), 0.0, 1.5, "logistic");
  check(sx::model(sx::laplace<"x">(1.0, 0.4).truncate(0.5, 2.5)), 0.5, 2.5, "laplace");
  check(sx::model(sx::weibull<"x">(1.8, 1.3).truncate(0.2, 2.0)), 0.2, 2.0, "weibull");
  check(sx::model(sx::gumbel<"x">(0.5, 1.2).truncate(-1.0, 4.0)), -1.0, 4.0, "gumbel");
  check(sx::model(sx::frechet<"x">(2.5, 1.1).truncate(0.5, 3.0)), 0.5, 3.0, "frechet");
  check(sx::model(sx::rayleigh<"x">(0.9).truncate(sx::lower(1.0))), 1.0, INFINITY, "rayleigh");
  check(sx::model(sx::pareto<"x">(0.5, 2.5).truncate(sx::upper(4.0))), 0.5, 4.0, "pareto");
  check(sx::model(sx::pareto_type_2<"x">(0.0, 1.5, 3.0).truncate(0.5, 5.0)), 0.5, 5.0,
        "pareto_type_2");
}

TEST_CASE("truncation errors name the variable", "[model][truncation][errors]") {
  const Eigen::VectorXd y = data5();
  auto mu = sx::normal<"mu">(0.0, 1.0);
  CHECK_THROWS_WITH(sx::normal<"y">(mu, 1.0).observe(y).truncate(0.5, 3.0),
                    Contains("\"y\"") && Contains("0.4") && Contains("below") &&
                        Contains("lower bound 0.5"));
  CHECK_THROWS_WITH(sx::normal<"y">(mu, 1.0).observe(y).truncate(sx::upper(2.0)),
                    Contains("\"y\"") && Contains("above") && Contains("index 2"));
  CHECK_THROWS_WITH(sx::normal<"x">(mu, 1.0).truncate(2.0, 1.0),
                    Contains("\"x\"") && Contains("not below its upper bound"));
  CHECK_THROWS_WITH(sx::exponential<"t">(1.0).truncate(sx::lower(-1.0)),
                    Contains("\"t\"") && Contains("below the support of exponential"));
  Eigen::VectorXd three(3);
  three << 3.0, 4.0, 5.0;
  CHECK_THROWS_WITH(sx::normal<"y">(mu, 1.0).observe(y).truncate(sx::upper(three)),
                    Contains("\"y\"") && Contains("upper bound has 3 values"));
  // A bound that is a parameter: data outside it gives -inf, not an error.
  auto u = sx::normal<"u">(3.0, 1.0);
  auto model = sx::model(mu, u, sx::normal<"y">(mu, 1.0).observe(y).truncate(sx::upper(u)));
  Eigen::VectorXd x(2);
  x << 0.0, 2.0; // u = 2 < 2.3
  Eigen::VectorXd grad;
  CHECK(model.log_density(x) == -INFINITY);
  CHECK(model.log_density_gradient(x, grad) == -INFINITY);
  x << 0.0, 2.5;
  CHECK(std::isfinite(model.log_density(x)));
}

// Discrete families (Stan's T[L, U] on counts): the normaliser is
// log(F(U) - F(L - 1)), summed from the pmf.
namespace {

// log P(L <= Y <= U) from Boost.Math's cdf, in long double.
template <class Distribution>
double boost_log_mass(const Distribution& d, long lower, long upper) {
  const long double below = lower <= 0 ? 0.0L : boost::math::cdf(d, lower - 1);
  const long double through = upper < 0 ? 1.0L : boost::math::cdf(d, upper);
  return static_cast<double>(std::log(through - below));
}

Eigen::VectorXi counts() {
  Eigen::VectorXi y(6);
  y << 1, 3, 2, 7, 1, 4;
  return y;
}

} // namespace

TEST_CASE("truncated discrete likelihoods: the normaliser against Boost.Math",
          "[model][truncation]") {
  const Eigen::VectorXi y = counts();
  const double n = static_cast<double>(y.size());
  auto lambda = sx::lognormal<"lambda">(1.0, 0.5);
  auto plain = sx::model(lambda, sx::poisson<"y">(lambda).observe(y));
  const auto check_poisson = [&](const auto& truncated, long lower, long upper) {
    for (const double log_lambda : {-2.0, 0.3, 1.2, 2.5}) {
      Eigen::VectorXd x(1);
      x << log_lambda;
      const boost::math::poisson_distribution<long double> d(std::exp((long double)log_lambda));
      const double expected = -n * boost_log_mass(d, lower, upper);
      CHECK(truncated.log_density(x, exact) - plain.log_density(x, exact) ==
            Approx(expected).epsilon(1e-12).margin(1e-12));
    }
  };
  check_poisson(sx::model(lambda, sx::poisson<"y">(lambda).observe(y).truncate(sx::lower(1))), 1,
                -1);
  check_poisson(sx::model(lambda, sx::poisson<"y">(lambda).observe(y).truncate(sx::lower(0))), 0,
                -1);
  check_poisson(sx::model(lambda, sx::poisson<"y">(lambda).observe(y).truncate(sx::upper(9))), 0,
                9);
  check_poisson(sx::model(lambda, sx::poisson<"y">(lambda).observe(y).truncate(1, 7)), 1, 7);

  SECTION("neg_binomial_2, zero-truncated (the count part of a hurdle model)") {
    auto mu = sx::lognormal<"mu">(1.0, 0.5);
    auto phi = sx::lognormal<"phi">(0.0, 0.5);
    auto base = sx::model(mu, phi, sx::neg_binomial_2<"y">(mu, phi).observe(y));
    auto truncated =
        sx::model(mu, phi, sx::neg_binomial_2<"y">(mu, phi).observe(y).truncate(sx::lower(1)));
    for (const auto& [log_mu, log_phi] : {std::pair{0.2, -1.0}, {1.5, 0.5}, {-1.0, 2.0}}) {
      Eigen::VectorXd x(2);
      x << log_mu, log_phi;
      const long double m = std::exp((long double)log_mu), p = std::exp((long double)log_phi);
      // Boost's negative binomial counts failures before r successes with
      // success probability p: r = phi, p = phi / (phi + mu).
      const boost::math::negative_binomial_distribution<long double> d(p, p / (p + m));
      CHECK(truncated.log_density(x, exact) - base.log_density(x, exact) ==
            Approx(-n * boost_log_mass(d, 1, -1)).epsilon(1e-12));
    }
  }
  SECTION("binomial, truncated above") {
    Eigen::VectorXi k(3);
    k << 2, 0, 3;
    auto theta = sx::beta<"theta">(2.0, 2.0);
    auto base = sx::model(theta, sx::binomial<"k">(10, theta).observe(k));
    auto truncated = sx::model(theta, sx::binomial<"k">(10, theta).observe(k).truncate(0, 4));
    for (const double logit : {-2.0, 0.0, 1.5}) {
      Eigen::VectorXd x(1);
      x << logit;
      const long double t = 1.0L / (1.0L + std::exp(-(long double)logit));
      const boost::math::binomial_distribution<long double> d(10, t);
      CHECK(truncated.log_density(x, exact) - base.log_density(x, exact) ==
            Approx(-3.0 * boost_log_mass(d, 0, 4)).epsilon(1e-12));
    }
  }
}

TEST_CASE("truncated discrete likelihoods: gradients and forward mode", "[model][truncation]") {
  const Eigen::VectorXi y = counts();
  auto lambda = sx::lognormal<"lambda">(1.0, 0.5);
  auto alpha = sx::normal<"alpha">(1.0, 0.5);
  auto mu = sx::lognormal<"mu">(1.0, 0.5);
  auto phi = sx::lognormal<"phi">(0.0, 0.5);
  check_gradients(sx::model(lambda, sx::poisson<"y">(lambda).observe(y).truncate(sx::lower(1))));
  check_gradients(sx::model(lambda, sx::poisson<"y">(lambda).observe(y).truncate(sx::upper(8))));
  check_gradients(sx::model(lambda, sx::poisson<"y">(lambda).observe(y).truncate(1, 9)));
  check_gradients(sx::model(alpha, sx::poisson_log<"y">(alpha).observe(y).truncate(sx::lower(1))));
  check_gradients(
      sx::model(mu, phi, sx::neg_binomial_2<"y">(mu, phi).observe(y).truncate(sx::lower(1))));
  check_gradients(sx::model(mu, phi, sx::neg_binomial_2<"y">(mu, phi).observe(y).truncate(1, 12)));
  // Per-element bounds (data), a regression on the rate.
  Eigen::VectorXd x_data(6), lower(6);
  x_data << -1.0, 0.0, 0.5, 1.5, -0.5, 1.0;
  lower << 1, 2, 0, 3, 1, 2;
  auto b = sx::normal<"b">(0.0, 1.0);
  check_gradients(sx::model(
      alpha, b, sx::poisson_log<"y">(alpha + b * x_data).observe(y).truncate(sx::lower(lower))));
}

TEST_CASE("truncated discrete likelihoods: errors name the variable",
          "[model][truncation][errors]") {
  const Eigen::VectorXi y = counts();
  auto lambda = sx::lognormal<"lambda">(1.0, 0.5);
  CHECK_THROWS_WITH(sx::poisson<"y">(lambda).observe(y).truncate(sx::lower(1.5)),
                    Contains("\"y\"") && Contains("1.5") && Contains("not a whole number"));
  CHECK_THROWS_WITH(sx::poisson<"y">(lambda).observe(y).truncate(sx::lower(2)),
                    Contains("\"y\"") && Contains("below"));
  CHECK_THROWS_WITH(sx::poisson<"y">(lambda).observe(y).truncate(0, 10000000),
                    Contains("\"y\"") && Contains("terms per element"));
}
