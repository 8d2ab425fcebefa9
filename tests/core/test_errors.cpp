#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

namespace sx = statix;
using Catch::Matchers::Contains;

TEST_CASE("data whose size does not match is an exception naming the variable", "[core]") {
  Eigen::VectorXd y(8), sigma(7);
  y.setOnes();
  sigma.setOnes();
  auto theta = sx::normal<"theta">(0.0, 1.0, sx::size(8));
  CHECK_THROWS_WITH(sx::normal<"y">(theta, sigma).observe(y),
                    Contains("\"y\"") && Contains("sigma") && Contains("size 7"));
  auto mu = sx::normal<"mu">(0.0, 1.0);
  Eigen::VectorXd five = Eigen::VectorXd::Ones(5);
  CHECK_THROWS_WITH(sx::normal<"z">(five, 1.0, sx::size(4)),
                    Contains("\"z\"") && Contains("size 5"));
  CHECK_THROWS_WITH(theta + five, Contains("different sizes"));
  (void)mu;
}

TEST_CASE("NaN or infinite data is an exception naming the variable", "[core]") {
  Eigen::VectorXd y(3);
  y << 1.0, std::numeric_limits<double>::quiet_NaN(), 2.0;
  auto mu = sx::normal<"mu">(0.0, 1.0);
  CHECK_THROWS_WITH(sx::normal<"y">(mu, 1.0).observe(y),
                    Contains("\"y\"") && Contains("index 1") && Contains("observed data"));
  Eigen::VectorXd scale(3);
  scale << 1.0, INFINITY, 2.0;
  CHECK_THROWS_WITH(sx::normal<"w">(mu, scale), Contains("\"w\"") && Contains("sigma"));
  CHECK_THROWS_WITH(sx::normal<"v">(mu, std::nan("")), Contains("\"v\"") && Contains("sigma"));
  CHECK_THROWS_WITH(sx::deterministic<"d">(mu * scale), Contains("\"d\""));
}

TEST_CASE("a bad constant parameter is an exception naming the variable", "[core]") {
  auto mu = sx::normal<"mu">(0.0, 1.0);
  CHECK_THROWS_WITH(sx::normal<"x">(0.0, -1.0), Contains("\"x\"") && Contains("sigma") &&
                                                    Contains("positive") && Contains("-1"));
  CHECK_THROWS_WITH(sx::gamma<"g">(2.0, 0.0), Contains("\"g\"") && Contains("positive"));
  std::vector<int> k = {1, 2};
  CHECK_THROWS_WITH(sx::binomial<"k">(std::vector<int>{3, -3}, 0.5).observe(k),
                    Contains("\"k\"") && Contains("non-negative integer"));
  CHECK_THROWS_WITH(sx::bernoulli<"b">(1.5).observe(1), Contains("\"b\"") && Contains("[0, 1]"));
  (void)mu;
}

TEST_CASE("a bad parameter value during evaluation gives a log density of -inf", "[core]") {
  // sigma = s - 1 is negative whenever s < 1: the sampler must reject, not crash
  auto s = sx::normal<"s">(0.0, 1.0);
  auto y = sx::normal<"y">(0.0, s - 1.0).observe(0.3);
  auto model = sx::model(s, y);
  Eigen::VectorXd x(1);
  x << 0.5;
  CHECK(model.log_density(x) == -INFINITY);
  Eigen::VectorXd grad;
  CHECK(model.log_density_gradient(x, grad) == -INFINITY);
  CHECK(grad[0] == 0.0); // a rejected point has a zero gradient, never a NaN
  x << 2.5;
  CHECK(std::isfinite(model.log_density(x)));

  // The same through the one-pass kernels: a vector term whose location is
  // NaN somewhere, and a bernoulli_logit term with a NaN log-odds.
  auto m = sx::normal<"m">(0.0, 1.0);
  auto w = sx::normal<"w">(0.0, 1.0, sx::size(3));
  Eigen::VectorXd data(3);
  data << 0.1, 0.2, 0.3;
  auto v = sx::normal<"v">(m * sx::log(w), 1.0).observe(data);
  auto vector_model = sx::model(m, w, v);
  Eigen::VectorXd xv(4);
  xv << 0.5, 1.0, -1.0, 2.0; // log(-1) is NaN
  Eigen::VectorXd gv;
  CHECK(vector_model.log_density(xv) == -INFINITY);
  CHECK(vector_model.log_density_gradient(xv, gv) == -INFINITY);
  CHECK(gv.cwiseAbs().maxCoeff() == 0.0);
  auto c = sx::bernoulli_logit<"c">(sx::log(w)).observe(std::vector<int>{1, 0, 1});
  auto logit_model = sx::model(w, c);
  CHECK(logit_model.log_density(xv.tail(3)) == -INFINITY);
  xv << 0.5, 1.0, 1.0, 2.0;
  CHECK(std::isfinite(vector_model.log_density_gradient(xv, gv)));
  CHECK(std::isfinite(logit_model.log_density(xv.tail(3))));
}

TEST_CASE("a varying scalar scale outside its domain is rejected by the one-pass normal kernel",
          "[core]") {
  // sigma = s is one value for every element of a vector term: checked once
  // (sigma > 0); a non-finite one, or a non-finite location, reaches the
  // model as a non-finite total. z's own prior term returns early without
  // writing its gradient: the model must still give zeros.
  auto s = sx::normal<"s">(0.0, 1.0);
  auto m = sx::normal<"m">(0.0, 1.0);
  auto z = sx::normal<"z">(m, s, sx::size(3));
  Eigen::VectorXd data(3);
  data << 0.1, -0.2, 0.3;
  auto obs = sx::normal<"obs">(m * 2.0, s).observe(data);
  auto model = sx::model(s, m, z, obs);
  Eigen::VectorXd x(5), grad;
  x << 1.5, 0.2, 0.3, -0.4, 0.5;
  REQUIRE(std::isfinite(model.log_density_gradient(x, grad)));
  REQUIRE(grad.cwiseAbs().maxCoeff() > 0.0);
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (double bad : {0.0, -0.7, -inf, inf, std::nan("")}) {
    x[0] = bad;
    CHECK(model.log_density(x) == -INFINITY);
    CHECK(model.log_density(x, {.jacobian = true, .propto = true}) == -INFINITY);
    CHECK(model.log_density_gradient(x, grad) == -INFINITY);
    CHECK(grad.cwiseAbs().maxCoeff() == 0.0);
  }
  x[0] = 1.5;
  for (double bad : {inf, -inf, std::nan("")}) {
    x[1] = bad; // the scalar location of z's prior, and of obs through m * 2
    CHECK(model.log_density(x) == -INFINITY);
    CHECK(model.log_density_gradient(x, grad) == -INFINITY);
    CHECK(grad.cwiseAbs().maxCoeff() == 0.0);
  }
  x[1] = 0.2;
  CHECK(std::isfinite(model.log_density_gradient(x, grad)));
}

TEST_CASE("an observed value outside the support is an exception naming the variable", "[core]") {
  auto rate = sx::gamma<"rate">(2.0, 1.0);
  CHECK_THROWS_WITH(sx::poisson<"counts">(rate).observe(std::vector<int>{3, -1, 2}),
                    Contains("\"counts\"") && Contains("-1") && Contains("index 1") &&
                        Contains("poisson"));
  CHECK_THROWS_WITH(sx::bernoulli_logit<"b">(rate).observe(std::vector<int>{0, 2}),
                    Contains("\"b\"") && Contains("{0, 1}"));
  CHECK_THROWS_WITH(sx::binomial<"k">(5, 0.5).observe(std::vector<int>{6}),
                    Contains("\"k\"") && Contains("binomial"));
  Eigen::VectorXd negative(2);
  negative << 1.0, -2.0;
  CHECK_THROWS_WITH(sx::lognormal<"w">(rate, 1.0).observe(negative), Contains("\"w\""));
  Eigen::VectorXd p(2);
  p << 0.5, 1.5;
  CHECK_THROWS_WITH(sx::beta<"p">(2.0, 2.0).observe(p), Contains("\"p\""));
  const Eigen::VectorXd zeros = Eigen::VectorXd::Zero(3);
  const std::vector<int> outcomes = {0, 3};
  CHECK_THROWS_WITH(sx::categorical_logit<"c">(zeros).observe(outcomes), Contains("\"c\""));
}

TEST_CASE("param_unconstrain of a value outside the support names the variable", "[core]") {
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto p = sx::beta<"p">(1.0, 1.0, sx::size(2));
  auto model = sx::model(mu, tau, p);
  Eigen::VectorXd v(4);
  v << 1.0, -0.5, 0.2, 0.3;
  CHECK_THROWS_WITH(model.param_unconstrain(v),
                    Contains("\"tau\"") && Contains("-0.5") && Contains("support"));
  v << 1.0, 0.5, 0.2, 1.0;
  CHECK_THROWS_WITH(model.param_unconstrain(v), Contains("\"p\"") && Contains("index 1"));
  v << std::nan(""), 0.5, 0.2, 0.3;
  CHECK_THROWS_WITH(model.param_unconstrain(v), Contains("\"mu\""));
  Eigen::VectorXd x = Eigen::VectorXd::Zero(4);
  const sx::named_values unknown = {{"sigma", {1.0}}};
  CHECK_THROWS_WITH(model.unconstrain_into(unknown, x), Contains("\"sigma\""));
  const sx::named_values wrong_size = {{"p", {0.5}}};
  CHECK_THROWS_WITH(model.unconstrain_into(wrong_size, x), Contains("\"p\"") && Contains("size 2"));
  const Eigen::VectorXd too_short = Eigen::VectorXd::Zero(3);
  CHECK_THROWS_WITH(model.log_density(too_short), Contains("dimension is 4"));
}

TEST_CASE("gather indices out of range name the indexed variable", "[core]") {
  auto a = sx::normal<"a">(0.0, 1.0, sx::size(4));
  const std::vector<int> index = {0, 4};
  CHECK_THROWS_WITH(a[index], Contains("\"a\"") && Contains("0-based"));
  CHECK_THROWS_WITH(a[-1], Contains("\"a\""));
}
