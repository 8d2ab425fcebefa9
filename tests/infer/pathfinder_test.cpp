// sx::pathfinder (single- and multi-path Pathfinder as Stan's pathfinder
// method) against closed forms. Its normal approximations are the L-BFGS
// inverse-Hessian estimates, checked against the explicit BFGS recursion; on
// conjugate models with exactly Gaussian posteriors the multi-path draws,
// importance-resampled with PSIS, recover the exact mean and sds.
//
// Measured over seeds 1-10 (4 paths, 10,000 draws per path, 10,000 draws
// returned) on the regression with posterior correlation -0.95: resampled
// draws' mean errors at most 0.021 posterior sd, sd ratios within 0.978-1.022,
// Pareto k 0.11-0.53. Each path's best approximation alone is rougher (BFGS
// with inexact line searches does not recover the Hessian of a quadratic
// exactly): mean errors up to 0.12 sd, sds up to 27 % off, which is why the
// multi-path draws are resampled. With 1,000 draws the Monte Carlo error of
// the mean is about 0.03 sd, too close to 0.05: the accuracy tests use 10,000.
// The tests run seeds 1-3.

#include <statix/modeling.hpp>

#include "conjugate_models.hpp"

#include <statix/infer/pathfinder.hpp>
#include <statix/io/cmdstan_csv.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <random>
#include <string>

namespace sx = statix;

namespace {

std::filesystem::path temporary_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("statix_pathfinder_test_" + name);
}

Eigen::VectorXd column_sd(const Eigen::MatrixXd& draws) {
  const Eigen::RowVectorXd mean = draws.colwise().mean();
  return ((draws.rowwise() - mean).array().square().colwise().sum() /
          static_cast<double>(draws.rows() - 1))
      .sqrt()
      .transpose();
}

// H from the BFGS recursion over the pairs, oldest first, from diag(alpha)
// (Nocedal & Wright 2006, eq. 6.17).
Eigen::MatrixXd bfgs_inverse_hessian(const Eigen::MatrixXd& s, const Eigen::MatrixXd& y,
                                     const Eigen::VectorXd& alpha) {
  const auto n = s.rows();
  Eigen::MatrixXd h = alpha.asDiagonal();
  const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(n, n);
  for (Eigen::Index j = 0; j < s.cols(); ++j) {
    const double rho = 1 / y.col(j).dot(s.col(j));
    h = (identity - rho * s.col(j) * y.col(j).transpose()) * h *
            (identity - rho * y.col(j) * s.col(j).transpose()) +
        rho * s.col(j) * s.col(j).transpose();
  }
  return h;
}

} // namespace

TEST_CASE("Pathfinder's local normal approximation is the L-BFGS inverse Hessian",
          "[infer][pathfinder]") {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  for (const int n : {3, 8}) {
    const int m = 3;
    Eigen::MatrixXd b(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        b(i, j) = normal(rng);
    const Eigen::MatrixXd a = b * b.transpose() + Eigen::MatrixXd::Identity(n, n);
    Eigen::MatrixXd s(n, m), y(n, m);
    for (int j = 0; j < m; ++j) {
      for (int i = 0; i < n; ++i)
        s(i, j) = normal(rng);
      y.col(j) = a * s.col(j); // pairs from the quadratic with Hessian a
    }
    Eigen::VectorXd alpha(n), x(n), g(n);
    for (int i = 0; i < n; ++i) {
      alpha[i] = 0.5 + 0.1 * i;
      x[i] = normal(rng);
      g[i] = normal(rng);
    }
    const Eigen::MatrixXd h = bfgs_inverse_hessian(s, y, alpha);
    // Dense always; the low-rank form when 2m < n (n = 8).
    for (const int form : {1, 2}) {
      const auto approx = sx::detail::pathfinder_approximation(x, g, s, y, alpha, form);
      if (form == 2 && 2 * m >= n) {
        CHECK_FALSE(approx.has_value());
        continue;
      }
      REQUIRE(approx.has_value());
      INFO("n = " << n << ", form " << form);
      CHECK(approx->dense == (form == 1));
      CHECK((approx->covariance() - h).cwiseAbs().maxCoeff() < 1e-12);
      CHECK((approx->variances() - h.diagonal()).cwiseAbs().maxCoeff() < 1e-12);
      CHECK((approx->center - (x - h * g)).cwiseAbs().maxCoeff() < 1e-12);
      CHECK(approx->log_det_root == Approx(0.5 * std::log(h.determinant())).epsilon(1e-12));
      // The secant condition of the newest pair.
      CHECK((h * y.col(m - 1) - s.col(m - 1)).norm() < 1e-10);
      // draw() applies a square root A of H: A A' = H, and log q is the
      // N(centre, H) density at the draw.
      Eigen::MatrixXd root(n, n);
      Eigen::VectorXd e = Eigen::VectorXd::Zero(n), draw(n);
      for (int i = 0; i < n; ++i) {
        e.setZero();
        e[i] = 1;
        approx->draw(e, draw);
        root.col(i) = draw - approx->center;
      }
      CHECK((root * root.transpose() - h).cwiseAbs().maxCoeff() < 1e-12);
      Eigen::VectorXd u(n);
      for (int i = 0; i < n; ++i)
        u[i] = normal(rng);
      approx->draw(u, draw);
      const Eigen::VectorXd r = draw - approx->center;
      const double log_q = -0.5 * n * std::log(2 * M_PI) - 0.5 * std::log(h.determinant()) -
                           0.5 * r.dot(h.ldlt().solve(r));
      CHECK(approx->log_density(u) == Approx(log_q).epsilon(1e-10));
    }
    // Stan's choice: dense when 2m >= n.
    CHECK(sx::detail::pathfinder_approximation(x, g, s, y, alpha)->dense == (2 * m >= n));
  }
  // Pairs without positive curvature are refused.
  const Eigen::Vector2d s1(1.0, 0.0), y1(-1.0, 0.5);
  CHECK_FALSE(sx::detail::pathfinder_curvature_ok(s1, y1));
  CHECK(sx::detail::pathfinder_curvature_ok(s1, -y1));
  // The diagonal update (Gilbert & Lemarechal 1989, eq. 4.9) is exact in one
  // dimension: alpha becomes the inverse curvature.
  Eigen::VectorXd alpha = Eigen::VectorXd::Ones(1);
  sx::detail::pathfinder_update_diagonal(alpha, Eigen::VectorXd::Constant(1, 0.3),
                                         Eigen::VectorXd::Constant(1, 0.3 * 4.0));
  CHECK(alpha[0] == Approx(0.25).epsilon(1e-14));
}

TEST_CASE("single-path Pathfinder is exact for a normal mean with known variance",
          "[infer][pathfinder]") {
  const conjugate::normal_mean c;
  const auto model = c.model();
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto pf = sx::pathfinder(model, {.paths = 1, .draws = 4000, .seed = seed});
    REQUIRE(pf.paths().size() == 1);
    const sx::pathfinder_path& path = pf.paths().front();
    INFO("seed " << seed << ": " << path.message << ", best iteration " << path.best_iteration
                 << " of " << path.iterations);
    REQUIRE(path.succeeded);
    // In one dimension the L-BFGS curvature of a quadratic is exact.
    CHECK(path.mean[0] == Approx(c.mean()).margin(1e-6 * c.sd()));
    CHECK(std::sqrt(path.covariance()(0, 0)) == Approx(c.sd()).epsilon(1e-6));
    CHECK(path.variances()[0] == Approx(path.covariance()(0, 0)).epsilon(1e-14));
    REQUIRE(pf.num_draws() == 4000); // paths = 1: the path's draws, not resampled
    const Eigen::VectorXd mu = pf.draws<"mu">();
    CHECK(std::fabs(mu.mean() - c.mean()) < 4 * c.sd() / std::sqrt(4000.0));
    CHECK(std::fabs(column_sd(mu)[0] - c.sd()) < 4 * c.sd() / std::sqrt(2 * 4000.0));
    // q is the posterior: lp__ - lp_approx__ is the log evidence at every draw,
    // and so is the ELBO.
    const Eigen::VectorXd ratio = pf.lp() - pf.lp_approx();
    CHECK(ratio.maxCoeff() - ratio.minCoeff() < 1e-6);
    CHECK(ratio[0] == Approx(c.log_evidence()).epsilon(1e-8));
    CHECK(path.elbo == Approx(c.log_evidence()).epsilon(1e-8));
    CHECK(pf.warnings().empty()); // equal weights: no tail, no warning
  }
}

TEST_CASE("multi-path Pathfinder recovers the exact posterior of a Bayesian linear regression",
          "[infer][pathfinder]") {
  const conjugate::linear_regression c;
  const auto model = c.model();
  const Eigen::VectorXd mean = c.mean(), sd = c.sd();
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto pf =
        sx::pathfinder(model, {.paths = 4, .draws = 10000, .seed = seed, .draws_per_path = 10000});
    REQUIRE(pf.num_succeeded_paths() == 4);
    REQUIRE(pf.num_draws() == 10000);
    const Eigen::MatrixXd beta = pf.draws<"beta">();
    const Eigen::VectorXd mean_error =
        (beta.colwise().mean().transpose() - mean).array() / sd.array();
    const Eigen::VectorXd sd_ratio = column_sd(beta).array() / sd.array();
    INFO("seed " << seed << ": mean errors " << mean_error.transpose() << " sd, sd ratios "
                 << sd_ratio.transpose() << ", Pareto k " << pf.pareto_k());
    CHECK(mean_error.cwiseAbs().maxCoeff() < 0.05);
    CHECK((sd_ratio.array() - 1).abs().maxCoeff() < 0.1);
    // The approximations are good: k well below the threshold (0.7 here).
    CHECK(pf.pareto_k() < pf.pareto_k_threshold());
    CHECK(pf.pareto_k_threshold() == 0.7);
    CHECK(pf.warnings().empty());
    CHECK(pf.importance().log_weights.size() == 40000);
    // Each path's best approximation, unresampled: rougher (see the top).
    for (const auto& path : pf.paths()) {
      CHECK(((path.mean - mean).array() / sd.array()).abs().maxCoeff() < 0.25);
      CHECK((path.variances().array().sqrt() / sd.array() - 1).abs().maxCoeff() < 0.4);
      CHECK((path.variances() - path.covariance().diagonal()).cwiseAbs().maxCoeff() < 1e-12);
      CHECK(path.best_iteration >= 1);
      CHECK(path.best_iteration <= path.iterations);
      CHECK(path.log_density_evaluations > 10000);
    }
  }
}

TEST_CASE("Pathfinder on a constrained parameter: a gamma-Poisson rate", "[infer][pathfinder]") {
  const conjugate::gamma_poisson c;
  const auto model = c.model();
  const auto pf =
      sx::pathfinder(model, {.paths = 4, .draws = 10000, .seed = 2, .draws_per_path = 10000});
  const Eigen::VectorXd lambda = pf.draws<"lambda">();
  CHECK(lambda.minCoeff() > 0);
  // PSIS corrects the normal approximation on log lambda towards the exact
  // gamma posterior.
  CHECK(lambda.mean() == Approx(c.mean()).epsilon(0.02));
  CHECK(column_sd(lambda)[0] == Approx(c.sd()).epsilon(0.05));
  // The normal fits log lambda: a small Pareto k. Not at every seed: on
  // about one seed in ten the ratios' top tail fits a k near 3 (R's loo
  // gives the same k from the same ratios), so the median of ten seeds is
  // checked (0.36 over seeds 1-60, 6 of them above 0.5).
  std::vector<double> ks;
  for (unsigned seed = 1; seed <= 10; ++seed)
    ks.push_back(
        sx::pathfinder(model, {.paths = 4, .draws = 1000, .seed = seed, .draws_per_path = 10000})
            .pareto_k());
  std::nth_element(ks.begin(), ks.begin() + 5, ks.end());
  CHECK(ks[5] < 0.5);
  const Eigen::MatrixXd u = pf.unconstrained_draws();
  for (int m = 0; m < 20; ++m)
    CHECK(lambda[m] == Approx(std::exp(u(m, 0))).epsilon(1e-14));
}

TEST_CASE("Pathfinder reports a large Pareto k when a normal cannot fit the posterior",
          "[infer][pathfinder]") {
  // Student-t with 2 degrees of freedom: the normal approximation's
  // importance ratios have a tail far too heavy to correct. Their k is
  // estimated from finite draws, below its limit of 1: above the threshold
  // (0.7) on 37 of seeds 1-60, between 0.6 and 0.7 on most others. So: the
  // median over ten seeds is well above the gamma-Poisson's (previous test),
  // and every seed above the threshold warns.
  auto x = sx::student_t<"x">(2.0, 0.0, 1.0);
  const auto model = sx::model(x);
  std::vector<double> ks;
  int warned = 0;
  for (unsigned seed = 1; seed <= 10; ++seed) {
    const auto pf = sx::pathfinder(model, {.paths = 4, .draws = 1000, .seed = seed});
    INFO("seed " << seed << ", Pareto k " << pf.pareto_k());
    ks.push_back(pf.pareto_k());
    if (pf.pareto_k() > pf.pareto_k_threshold()) {
      REQUIRE_FALSE(pf.warnings().empty());
      CHECK(pf.warnings().back().find("Pareto k") != std::string::npos);
      ++warned;
    }
  }
  std::nth_element(ks.begin(), ks.begin() + 5, ks.end());
  CHECK(ks[5] > 0.6);
  CHECK(warned >= 1);
}

TEST_CASE("Pathfinder: reproducible draws, the result interface and CmdStan's CSV",
          "[infer][pathfinder]") {
  const conjugate::linear_regression c;
  const auto model = c.model();
  const auto pf = sx::pathfinder(model, {.paths = 3, .draws = 500, .seed = 9});
  CHECK(sx::pathfinder(model, {.paths = 3, .draws = 500, .seed = 9}).all_draws() == pf.all_draws());
  CHECK(sx::pathfinder(model, {.paths = 3, .draws = 500, .seed = 10}).all_draws() !=
        pf.all_draws());
  REQUIRE(pf.num_draws() == 500);
  CHECK(pf.paths().size() == 3);
  CHECK(pf.column_names() ==
        std::vector<std::string>{"lp_approx__", "lp__", "beta.1", "beta.2", "beta.3"});
  CHECK(pf.param_names() == std::vector<std::string>{"beta.1", "beta.2", "beta.3"});
  const Eigen::MatrixXd beta = pf.draws<"beta">();
  CHECK(pf.draws("beta[1]") == beta.col(0));
  CHECK(pf.draws("lp__") == pf.log_p());
  CHECK(pf.draws("lp_approx__") == pf.log_g());
  CHECK_THROWS_AS(pf.draws("nope"), std::out_of_range);
  CHECK(pf.summary()["beta.3"].mean == Approx(beta.col(2).mean()));
  // lp__ is the log density (Jacobian and constants) at the draw.
  const Eigen::MatrixXd u = pf.unconstrained_draws();
  for (int m = 0; m < 10; ++m)
    CHECK(pf.lp()[m] == Approx(model.log_density(u.row(m).transpose())).epsilon(1e-14));
  // Without resampling: every pooled draw, paths in order.
  const auto pooled = sx::pathfinder(
      model, {.paths = 3, .draws = 500, .seed = 9, .draws_per_path = 200, .psis_resample = false});
  CHECK(pooled.num_draws() == 600);
  // A single path returns `draws` draws.
  CHECK(sx::pathfinder(model, {.paths = 1, .draws = 123, .seed = 9}).num_draws() == 123);

  const auto path = temporary_path("pathfinder.csv");
  pf.write_csv(path);
  const sx::csv_file file = sx::read_csv(path);
  CHECK(file.column_names == pf.column_names());
  REQUIRE(file.draws.rows() == 500);
  CHECK(file.draws(17, 3) == beta(17, 1));
  CHECK(file.draws(3, 0) == pf.lp_approx()[3]);
  CHECK(file.config.at("method") == "pathfinder");
  CHECK(file.config.at("num_paths") == "3");
  CHECK(file.config.at("num_psis_draws") == "500");
  CHECK(file.config.at("history_size") == "6");
  CHECK(file.config.at("seed") == "9");
  std::filesystem::remove(path);
}

TEST_CASE("Pathfinder: bad options are rejected naming the option", "[infer][pathfinder]") {
  const conjugate::normal_mean c;
  const auto model = c.model();
  const auto rejects = [&](const sx::pathfinder_options& options, const std::string& name) {
    CHECK_THROWS_WITH(sx::pathfinder(model, options),
                      Catch::Contains("sx::pathfinder") && Catch::Contains(name));
    CHECK_THROWS_AS(sx::pathfinder(model, options), std::invalid_argument);
  };
  rejects({.paths = 0}, "paths");
  rejects({.draws = 0}, "draws");
  rejects({.draws_per_path = 0}, "draws_per_path");
  rejects({.num_elbo_draws = 0}, "num_elbo_draws");
  rejects({.history_size = 0}, "history_size");
  rejects({.iter = 0}, "iter");
  rejects({.init_alpha = -1}, "init_alpha");
  rejects({.tol_grad = -1}, "tol_grad");
  rejects({.init_radius = -1}, "init_radius");
  sx::pathfinder_options bad_start;
  bad_start.init_position = Eigen::VectorXd::Zero(3);
  CHECK_THROWS_WITH(sx::pathfinder(model, bad_start), Catch::Contains("pathfinder"));
}
