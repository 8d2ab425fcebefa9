// sx::optimize (L-BFGS with Stan's tests) and sx::laplace, checked against
// closed forms: conjugate posteriors whose modes, means and normalising
// constants are known, and densities evaluated here by hand.

// statix/modeling.hpp first: diagnostics/warnings.hpp (through fit.hpp)
// declares a function detail::name_list that hides the type statix::name_list
// from core headers included after it.
#include <statix/modeling.hpp>

#include "conjugate_models.hpp"
#include "test_models.hpp"

#include <statix/infer/laplace.hpp>
#include <statix/infer/optimize.hpp>
#include <statix/io/cmdstan_csv.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

namespace sx = statix;

namespace {

using normal_normal = conjugate::normal_mean;
using conjugate::gamma_poisson;

// Two models in one: mu as above and an independent vector theta_j ~ N(0, 1)
// with one observation z_j ~ N(theta_j, s_j): theta_j | z_j ~ N(z_j / (1 + s_j^2),
// s_j^2 / (1 + s_j^2)).
const Eigen::Vector3d theta_obs(1.2, -0.4, 2.5);
const Eigen::Vector3d theta_obs_sd(0.5, 1.0, 2.0);

auto make_normal_vector_model(const normal_normal& c) {
  auto mu = sx::normal<"mu">(c.prior_mean, c.prior_sd);
  auto y = sx::normal<"y">(mu, c.sigma).observe(c.y);
  auto theta = sx::normal<"theta">(0.0, 1.0, sx::size(3));
  auto z =
      sx::normal<"z">(theta, Eigen::VectorXd(theta_obs_sd)).observe(Eigen::VectorXd(theta_obs));
  auto shifted = sx::deterministic<"shifted">(theta + 10.0);
  return sx::model(mu, y, theta, z, shifted);
}

// Not quadratic, three parameters: a location-scale fit with a lognormal prior.
auto make_location_scale_model() {
  static const std::vector<double> data = {1.3, -0.2, 2.8, 0.9, 1.7, 3.1, 0.4, 2.2, 1.1,  -0.6,
                                           1.9, 2.6,  0.8, 1.5, 0.1, 2.0, 1.4, 3.5, -1.0, 1.0};
  auto mu = sx::normal<"mu">(0.0, 10.0);
  auto sigma = sx::lognormal<"sigma">(0.0, 1.0);
  auto nu = sx::gamma<"nu">(2.0, 0.1);
  auto y = sx::student_t<"y">(nu, mu, sigma).observe(data);
  return sx::model(mu, sigma, nu, y);
}

// x ~ N(1, 0.3^2) for x < 2; the log density is -inf from 2 on.
struct cliff_model : test_models::vector_x_model {
  mutable int non_finite_evaluations = 0;
  cliff_model() { n = 1; }
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad,
                              sx::density_options = {}) const {
    grad.resize(1);
    if (x[0] >= 2.0) {
      ++non_finite_evaluations;
      grad[0] = 0;
      return -INFINITY;
    }
    const double r = (x[0] - 1.0) / 0.3;
    grad[0] = -r / 0.3;
    return -0.5 * r * r;
  }
  double log_density(const Eigen::VectorXd& x, sx::density_options o = {}) const {
    Eigen::VectorXd g;
    return log_density_gradient(x, g, o);
  }
};

// Stan's absolute tests only (the relative ones stop early on small models).
sx::lbfgs tight(std::uint64_t seed) {
  return sx::lbfgs{.seed = seed, .tol_rel_obj = 0, .tol_rel_grad = 0};
}

// Rosenbrock's function as a log density, -(100 (y - x^2)^2 + (1 - x)^2):
// a curved valley with its maximum at (1, 1).
struct rosenbrock_model : test_models::vector_x_model {
  rosenbrock_model() { n = 2; }
  double log_density_gradient(const Eigen::VectorXd& v, Eigen::VectorXd& grad,
                              sx::density_options = {}) const {
    const double x = v[0], y = v[1];
    grad.resize(2);
    grad[0] = 400 * x * (y - x * x) + 2 * (1 - x);
    grad[1] = -200 * (y - x * x);
    return -(100 * (y - x * x) * (y - x * x) + (1 - x) * (1 - x));
  }
  double log_density(const Eigen::VectorXd& v, sx::density_options o = {}) const {
    Eigen::VectorXd g;
    return log_density_gradient(v, g, o);
  }
};

std::filesystem::path temporary_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("statix_optimize_test_" + name);
}

double sample_mean(const Eigen::VectorXd& v) {
  return v.mean();
}
double sample_sd(const Eigen::VectorXd& v) {
  return std::sqrt((v.array() - v.mean()).square().sum() / (v.size() - 1.0));
}

} // namespace

TEST_CASE("optimize finds the closed-form mode of a conjugate normal model", "[infer][optimize]") {
  const normal_normal c;
  const auto model = c.model();
  for (bool jacobian : {false, true}) { // the identity transform: the same mode
    const auto opt = sx::optimize(model, sx::lbfgs{.seed = 1, .jacobian = jacobian});
    INFO(opt.reason());
    CHECK(opt.converged());
    const double mu = opt.values<"mu">();
    CHECK(mu == Approx(c.mean()).margin(1e-6));
    CHECK(opt.unconstrained()[0] == Approx(c.mean()).margin(1e-6));
    // log p(mu, y) at the mode = log p(y) + log N(mode | mode, sd^2).
    CHECK(opt.log_density() ==
          Approx(c.log_evidence() - 0.5 * std::log(2 * M_PI) - std::log(c.sd())).epsilon(1e-9));
  }
}

TEST_CASE("optimize returns vectors and deterministics by name", "[infer][optimize]") {
  const normal_normal c;
  const auto model = make_normal_vector_model(c);
  const auto opt = sx::optimize(model, sx::lbfgs{.seed = 3});
  REQUIRE(opt.converged());
  CHECK(opt.values<"mu">() == Approx(c.mean()).margin(1e-6));
  const Eigen::VectorXd theta = opt.values<"theta">();
  const Eigen::VectorXd shifted = opt.values<"shifted">();
  REQUIRE(theta.size() == 3);
  for (int j = 0; j < 3; ++j) {
    const double s2 = theta_obs_sd[j] * theta_obs_sd[j];
    CHECK(theta[j] == Approx(theta_obs[j] / (1 + s2)).margin(1e-6));
    CHECK(shifted[j] == Approx(theta[j] + 10.0).margin(1e-12));
  }
  CHECK(opt.value("theta[2]") == theta[1]);
  CHECK(opt.value("theta.3") == theta[2]);
  CHECK_THROWS_AS(opt.value("nope"), std::out_of_range);
}

TEST_CASE("optimize of a positive variable: the mode with and without the Jacobian",
          "[infer][optimize]") {
  const gamma_poisson c;
  const auto model = c.model();
  // Without the Jacobian: the mode of gamma(a + sum y, b + n) on the rate.
  // Stan's default relative tests stop this one-dimensional run about 1e-4
  // (relative) from the mode; the absolute tests at their defaults go on to
  // 1e-8.
  const auto loose = sx::optimize(model, sx::lbfgs{.seed = 2});
  CHECK(loose.converged());
  CHECK(loose.values<"lambda">() == Approx((c.shape() - 1) / c.rate()).epsilon(1e-3));
  const auto map = sx::optimize(model, tight(2));
  INFO(map.reason());
  REQUIRE(map.converged());
  CHECK(map.values<"lambda">() == Approx((c.shape() - 1) / c.rate()).epsilon(1e-6));
  // With it: the mode of log lambda, exp of which is (a + sum y) / (b + n).
  sx::lbfgs with_jacobian = tight(2);
  with_jacobian.jacobian = true;
  const auto unconstrained_mode = sx::optimize(model, with_jacobian);
  REQUIRE(unconstrained_mode.converged());
  CHECK(unconstrained_mode.values<"lambda">() == Approx(c.shape() / c.rate()).epsilon(1e-6));
  CHECK(unconstrained_mode.unconstrained()[0] ==
        Approx(std::log(c.shape() / c.rate())).epsilon(1e-6));
  CHECK(unconstrained_mode.log_density() ==
        Approx(c.log_density_log_scale(std::log(c.shape() / c.rate()))).epsilon(1e-10));

  // sigma ~ lognormal(m, s) alone: mode exp(m - s^2) without, exp(m) with the Jacobian.
  auto sigma = sx::lognormal<"sigma">(0.5, 0.8);
  const auto lognormal_model = sx::model(sigma);
  CHECK(sx::optimize(lognormal_model, tight(1)).values<"sigma">() ==
        Approx(std::exp(0.5 - 0.64)).epsilon(1e-6));
  sx::lbfgs lognormal_jacobian = tight(1);
  lognormal_jacobian.jacobian = true;
  CHECK(sx::optimize(lognormal_model, lognormal_jacobian).values<"sigma">() ==
        Approx(std::exp(0.5)).epsilon(1e-6));
}

TEST_CASE("optimize stops by each of Stan's tests and says which", "[infer][optimize]") {
  const auto model = make_location_scale_model();
  // Defaults: converged well within iter.
  const auto opt = sx::optimize(model, sx::lbfgs{.seed = 5});
  INFO(opt.reason());
  CHECK(opt.converged());
  CHECK(opt.iterations() > 1);
  CHECK(opt.iterations() < 2000);
  CHECK(opt.gradient_evaluations() >= opt.iterations());
  CHECK(opt.reason().rfind("converged:", 0) == 0);
  CHECK(opt.gradient().norm() < 1e-3);

  // One test at a time: the others set to zero never fire.
  const auto only = [](sx::lbfgs o) {
    o.seed = 5;
    return o;
  };
  using status = sx::optimization_status;
  SECTION("tol_obj") {
    const auto r = sx::optimize(
        model,
        only(
            {.tol_obj = 1e-4, .tol_rel_obj = 0, .tol_grad = 0, .tol_rel_grad = 0, .tol_param = 0}));
    CHECK(r.status() == status::absolute_objective);
    CHECK(r.reason().find("tol_obj") != std::string::npos);
  }
  SECTION("tol_rel_obj") {
    const auto r = sx::optimize(
        model,
        only(
            {.tol_obj = 0, .tol_rel_obj = 1e10, .tol_grad = 0, .tol_rel_grad = 0, .tol_param = 0}));
    CHECK(r.status() == status::relative_objective);
  }
  SECTION("tol_grad") {
    const auto r = sx::optimize(
        model,
        only(
            {.tol_obj = 0, .tol_rel_obj = 0, .tol_grad = 1e-3, .tol_rel_grad = 0, .tol_param = 0}));
    CHECK(r.status() == status::absolute_gradient);
    CHECK(r.gradient().norm() < 1e-3);
  }
  SECTION("tol_rel_grad") {
    const auto r = sx::optimize(
        model,
        only(
            {.tol_obj = 0, .tol_rel_obj = 0, .tol_grad = 0, .tol_rel_grad = 1e10, .tol_param = 0}));
    CHECK(r.status() == status::relative_gradient);
  }
  SECTION("tol_param") {
    const auto r = sx::optimize(
        model,
        only(
            {.tol_obj = 0, .tol_rel_obj = 0, .tol_grad = 0, .tol_rel_grad = 0, .tol_param = 1e-3}));
    CHECK(r.status() == status::absolute_parameter);
  }
  SECTION("iter") {
    const auto r = sx::optimize(model, only({.tol_obj = 0,
                                             .tol_rel_obj = 0,
                                             .tol_grad = 0,
                                             .tol_rel_grad = 0,
                                             .tol_param = 0,
                                             .iter = 3}));
    CHECK(r.status() == status::max_iterations);
    CHECK(r.iterations() == 3);
    CHECK_FALSE(r.converged());
  }
  SECTION("a looser tolerance stops no later than a tighter one") {
    const auto loose = sx::optimize(
        model,
        only(
            {.tol_obj = 0, .tol_rel_obj = 0, .tol_grad = 1e-2, .tol_rel_grad = 0, .tol_param = 0}));
    const auto tight = sx::optimize(
        model,
        only(
            {.tol_obj = 0, .tol_rel_obj = 0, .tol_grad = 1e-6, .tol_rel_grad = 0, .tol_param = 0}));
    CHECK(loose.iterations() <= tight.iterations());
    CHECK(tight.gradient().norm() < 1e-6);
  }
  SECTION("the stop flag") {
    std::atomic<bool> stop{true};
    const auto r = sx::optimize(model, sx::lbfgs{.stop = &stop});
    CHECK(r.status() == status::stopped);
    CHECK(r.iterations() == 0);
    CHECK_FALSE(r.converged());
  }
}

TEST_CASE("optimize follows Rosenbrock's valley to (1, 1)", "[infer][optimize]") {
  const rosenbrock_model model;
  sx::lbfgs options = tight(1);
  options.init_position = Eigen::Vector2d(-1.2, 1.0); // the classic start
  const auto opt = sx::optimize(model, options);
  INFO(opt.reason() << " after " << opt.iterations() << " iterations");
  CHECK(opt.converged());
  CHECK(opt.iterations() < 200);
  CHECK(opt.unconstrained()[0] == Approx(1.0).margin(1e-6));
  CHECK(opt.unconstrained()[1] == Approx(1.0).margin(1e-6));
}

TEST_CASE("optimize backs off from points where the log density is -inf", "[infer][optimize]") {
  const cliff_model model;
  // The first trial step (init_alpha = 1 along a gradient of 344) lands far
  // past the cliff at 2: the line search must halve back, not throw.
  sx::lbfgs options{.init_alpha = 1.0};
  options.init_position = Eigen::VectorXd::Constant(1, -30.0);
  const auto opt = sx::optimize(model, options);
  INFO(opt.reason());
  CHECK(model.non_finite_evaluations > 0);
  CHECK(opt.converged());
  CHECK(opt.unconstrained()[0] == Approx(1.0).margin(1e-6));

  // A Statix model with a rejected region: the scale sqrt(3 - x) is NaN for x > 3.
  auto x = sx::normal<"x">(0.0, 1.0);
  auto w = sx::normal<"w">(x, sx::sqrt(3.0 - x)).observe(std::vector<double>{2.9});
  const auto statix_model = sx::model(x, w);
  sx::lbfgs from_far{.init_alpha = 10.0};
  from_far.init_position = Eigen::VectorXd::Constant(1, -20.0);
  REQUIRE_NOTHROW(sx::optimize(statix_model, from_far));
  const auto r = sx::optimize(statix_model, from_far);
  CHECK(r.log_density() > -10);
  CHECK(r.values<"x">() < 3.0);
}

TEST_CASE("optimize: inits, options and the CmdStan CSV file", "[infer][optimize]") {
  const normal_normal c;
  const auto model = c.model();
  SECTION("bad options are rejected") {
    CHECK_THROWS_AS(sx::optimize(model, {.init_alpha = 0}), std::invalid_argument);
    CHECK_THROWS_AS(sx::optimize(model, {.history_size = 0}), std::invalid_argument);
    CHECK_THROWS_AS(sx::optimize(model, {.iter = 0}), std::invalid_argument);
  }
  SECTION("inits by name and the seed") {
    sx::lbfgs by_name{.seed = 9, .iter = 1};
    by_name.inits = {{"mu", {-3.0}}};
    sx::lbfgs by_position{.seed = 9, .iter = 1};
    by_position.init_position = Eigen::VectorXd::Constant(1, -3.0);
    const auto one_step = sx::optimize(model, by_name);
    CHECK(one_step.iterations() == 1);
    CHECK(one_step.status() == sx::optimization_status::max_iterations);
    CHECK(one_step.values<"mu">() == sx::optimize(model, by_position).values<"mu">());
    CHECK(one_step.values<"mu">() !=
          sx::optimize(model, sx::lbfgs{.seed = 9, .iter = 1}).values<"mu">());
    const auto a = sx::optimize(model, sx::lbfgs{.seed = 4, .iter = 1});
    const auto b = sx::optimize(model, sx::lbfgs{.seed = 4, .iter = 1});
    CHECK(a.values<"mu">() == b.values<"mu">());
  }
  SECTION("CSV") {
    const auto opt = sx::optimize(model, sx::lbfgs{.seed = 7, .tol_param = 1e-9});
    const auto path = temporary_path("mode.csv");
    opt.write_csv(path);
    const sx::csv_file file = sx::read_csv(path);
    REQUIRE(file.column_names == std::vector<std::string>{"lp__", "mu"});
    REQUIRE(file.draws.rows() == 1);
    CHECK(file.draws(0, 0) == opt.log_density());
    CHECK(file.draws(0, 1) == opt.values<"mu">());
    CHECK(file.config.at("method") == "optimize");
    CHECK(file.config.at("algorithm") == "lbfgs");
    CHECK(std::stod(file.config.at("tol_param")) == 1e-9);
    CHECK(std::stod(file.config.at("tol_rel_grad")) == 1e7);
    CHECK(file.config.at("jacobian") == "0");
    CHECK(file.config.at("seed") == "7");
    std::filesystem::remove(path);
  }
}

TEST_CASE("laplace is exact for a Gaussian posterior", "[infer][optimize][laplace]") {
  const normal_normal c;
  const auto model = make_normal_vector_model(c);
  const auto opt = sx::optimize(model, sx::lbfgs{.seed = 1, .jacobian = true});
  REQUIRE(opt.converged());
  const auto lap = sx::laplace(model, opt, {.draws = 4000, .seed = 11});
  REQUIRE(lap.num_draws() == 4000);

  const Eigen::VectorXd mu = lap.draws<"mu">();
  CHECK(std::fabs(sample_mean(mu) - c.mean()) < 4 * c.sd() / std::sqrt(4000.0));
  CHECK(std::fabs(sample_sd(mu) - c.sd()) < 4 * c.sd() / std::sqrt(2 * 4000.0));
  const Eigen::MatrixXd theta = lap.draws<"theta">();
  REQUIRE(theta.rows() == 4000);
  REQUIRE(theta.cols() == 3);
  for (int j = 0; j < 3; ++j) {
    const double s2 = theta_obs_sd[j] * theta_obs_sd[j];
    const double mean = theta_obs[j] / (1 + s2), sd = std::sqrt(s2 / (1 + s2));
    const Eigen::VectorXd column = theta.col(j);
    CHECK(std::fabs(sample_mean(column) - mean) < 4 * sd / std::sqrt(4000.0));
    CHECK(std::fabs(sample_sd(column) - sd) < 4 * sd / std::sqrt(2 * 4000.0));
  }
  // The covariance is the exact posterior covariance.
  const Eigen::MatrixXd covariance = lap.covariance();
  CHECK(covariance(0, 0) == Approx(c.sd() * c.sd()).epsilon(1e-9));
  CHECK(std::fabs(covariance(0, 1)) < 1e-12);

  // log_p__ - log_g__ is the same at every draw: the log normalising constant,
  // log p(y) + log p(z), both closed form.
  double log_evidence_z = 0;
  for (int j = 0; j < 3; ++j) {
    const double v = 1 + theta_obs_sd[j] * theta_obs_sd[j];
    log_evidence_z += -0.5 * std::log(2 * M_PI * v) - 0.5 * theta_obs[j] * theta_obs[j] / v;
  }
  // Centred at the exact mode it is exactly so; at the optimiser's mode (a
  // few 1e-6 off with Stan's default tolerances) nearly so.
  Eigen::VectorXd exact_mode(4);
  exact_mode << c.mean(), theta_obs.array() / (1 + theta_obs_sd.array().square());
  const auto exact = sx::laplace(model, exact_mode, {.draws = 500, .seed = 3});
  const Eigen::VectorXd difference = exact.log_p() - exact.log_g();
  CHECK(difference.maxCoeff() - difference.minCoeff() < 1e-9);
  CHECK(difference[0] == Approx(c.log_evidence() + log_evidence_z).epsilon(1e-10));
  const Eigen::VectorXd near = lap.log_p() - lap.log_g();
  CHECK(near.maxCoeff() - near.minCoeff() < 1e-3);
  CHECK(near.mean() == Approx(c.log_evidence() + log_evidence_z).epsilon(1e-4));

  // The fit interface: columns, summary, CSV.
  CHECK(lap.column_names()[0] == "log_p__");
  CHECK(lap.column_names()[1] == "log_g__");
  CHECK(lap.draws("theta[2]") == theta.col(1));
  const auto summary = lap.summary();
  CHECK(summary["mu"].mean == Approx(sample_mean(mu)));
  const auto path = temporary_path("laplace.csv");
  lap.write_csv(path);
  const sx::csv_file file = sx::read_csv(path);
  CHECK(file.column_names == lap.column_names());
  REQUIRE(file.draws.rows() == 4000);
  CHECK(file.draws(17, 2) == mu[17]);
  CHECK(file.config.at("method") == "laplace");
  std::filesystem::remove(path);
}

TEST_CASE("laplace on the log scale of a gamma-Poisson model", "[infer][optimize][laplace]") {
  const gamma_poisson c;
  const auto model = c.model();
  sx::lbfgs options = tight(1);
  options.jacobian = true;
  const auto opt = sx::optimize(model, options);
  REQUIRE(opt.converged());
  const auto lap = sx::laplace(model, opt, {.draws = 4000, .seed = 5});

  // On u = log lambda the approximation is N(u*, 1 / (a + sum y)): the second
  // derivative of (a + sum y) u - (b + n) e^u at its mode.
  const double centre = std::log(c.shape() / c.rate());
  const double precision = c.shape();
  CHECK(lap.mode()[0] == Approx(centre).epsilon(1e-6));
  CHECK(lap.negative_hessian()(0, 0) == Approx(precision).epsilon(1e-6));

  // lambda = exp(u) is lognormal under the approximation; its mean is close to
  // the exact posterior mean (a + sum y) / (b + n).
  const Eigen::VectorXd lambda = lap.draws<"lambda">();
  const double lognormal_mean = std::exp(centre + 0.5 / precision);
  const double lognormal_sd = lognormal_mean * std::sqrt(std::expm1(1 / precision));
  CHECK(std::fabs(sample_mean(lambda) - lognormal_mean) < 4 * lognormal_sd / std::sqrt(4000.0));
  CHECK(sample_mean(lambda) == Approx(c.shape() / c.rate()).epsilon(0.05));
  CHECK(sample_sd(lambda) == Approx(std::sqrt(c.shape()) / c.rate()).epsilon(0.1));

  // From the mode without the Jacobian (sx::optimize's default), laplace
  // first moves to the mode with it.
  const auto map = sx::optimize(model, tight(1));
  REQUIRE(map.values<"lambda">() == Approx((c.shape() - 1) / c.rate()).epsilon(1e-6));
  CHECK(sx::laplace(model, map, {.draws = 10}).mode()[0] == Approx(centre).epsilon(1e-6));
  CHECK(sx::laplace(model, map.unconstrained(), {.draws = 10}).mode()[0] == map.unconstrained()[0]);

  // log_g__ and log_p__ against the densities evaluated here.
  // (The precision as computed at the mode found, which agrees with the
  // closed form to the optimiser's accuracy.)
  const Eigen::MatrixXd u = lap.unconstrained_draws();
  const double p = lap.negative_hessian()(0, 0);
  for (int m = 0; m < 50; ++m) {
    const double d = u(m, 0) - lap.mode()[0];
    const double log_g = -0.5 * std::log(2 * M_PI) + 0.5 * std::log(p) - 0.5 * p * d * d;
    CHECK(lap.log_g()[m] == Approx(log_g).epsilon(1e-12).margin(1e-14));
    CHECK(lap.log_p()[m] == Approx(c.log_density_log_scale(u(m, 0))).epsilon(1e-10));
    CHECK(lambda[m] == Approx(std::exp(u(m, 0))).epsilon(1e-14));
  }
}

TEST_CASE("laplace refuses a Hessian that is not negative definite", "[infer][optimize][laplace]") {
  // Student-t with 3 degrees of freedom: convex beyond |x| = sqrt(3).
  auto x = sx::student_t<"x">(3.0, 0.0, 1.0);
  const auto model = sx::model(x);
  const Eigen::VectorXd tail = Eigen::VectorXd::Constant(1, 10.0);
  CHECK_THROWS_WITH(sx::laplace(model, tail, {.draws = 10}),
                    Catch::Contains("not negative definite"));
  CHECK_THROWS_AS(sx::laplace(model, Eigen::VectorXd::Zero(2)), std::invalid_argument);
  CHECK_THROWS_AS(sx::laplace(model, Eigen::VectorXd::Zero(1), {.draws = 0}),
                  std::invalid_argument);
  CHECK_NOTHROW(sx::laplace(model, Eigen::VectorXd::Zero(1), {.draws = 10}));
}

TEST_CASE("L-BFGS pieces: the cubic step and the secant condition", "[infer][optimize]") {
  // c(t) = t^3 - 3t: c(0) = 0, c'(0) = -3, c(2) = 2, c'(2) = 9; minimum at 1.
  CHECK(sx::cubic_minimizer(-3.0, 2.0, 2.0, 9.0, 1e-12, 3.0) == Approx(1.0).epsilon(1e-12));
  // On [1.5, 3] the end 1.5 is lowest; on [0, 0.5] the end 0.5.
  CHECK(sx::cubic_minimizer(-3.0, 2.0, 2.0, 9.0, 1.5, 3.0) == 1.5);
  CHECK(sx::cubic_minimizer(-3.0, 2.0, 2.0, 9.0, 0.0, 0.5) == 0.5);

  // The newest pair satisfies H y = s; pairs beyond the capacity are dropped.
  sx::lbfgs_history history(2);
  const Eigen::Vector3d s1(1.0, 0.5, -0.2), y1(2.0, 0.7, 0.1);
  const Eigen::Vector3d s2(-0.3, 1.0, 0.4), y2(-0.2, 3.0, 0.9);
  const Eigen::Vector3d s3(0.2, -0.1, 1.0), y3(0.5, 0.1, 4.0);
  CHECK(history.update(y1, s1, true) == Approx(y1.squaredNorm() / s1.dot(y1)));
  history.update(y2, s2);
  history.update(y3, s3);
  CHECK(history.size() == 2);
  Eigen::VectorXd p;
  history.search_direction(p, y3);
  CHECK((p + s3).norm() < 1e-12);
  // A pair with s'y <= 0 is not kept.
  history.update(-y1, s1);
  CHECK(history.size() == 2);
}
