// Pareto smoothed importance sampling (diagnostics/psis.hpp) against closed
// forms: R's loo package is not installed on the build machines (no
// r-cran-loo), so the shape estimates are checked on draws from generalized
// Pareto distributions of known shape, and on normal importance ratios whose
// tail index is known.

#include <statix/diagnostics/psis.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace sx = statix;

namespace {

// n draws of a generalized Pareto (k, sigma) by inversion.
Eigen::VectorXd generalized_pareto_draws(Eigen::Index n, double k, double sigma,
                                         std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Eigen::VectorXd x(n);
  for (Eigen::Index i = 0; i < n; ++i)
    x[i] = sx::generalized_pareto_quantile(uniform(rng), k, sigma);
  return x;
}

Eigen::VectorXd sorted(Eigen::VectorXd x) {
  std::sort(x.data(), x.data() + x.size());
  return x;
}

} // namespace

TEST_CASE("generalized Pareto fit (Zhang & Stephens) recovers known shapes",
          "[diagnostics][psis]") {
  for (const double k : {0.1, 0.5, 0.9}) {
    for (const std::uint64_t seed : {1u, 2u, 3u}) {
      const Eigen::VectorXd x = sorted(generalized_pareto_draws(20000, k, 2.0, seed));
      // The estimator's sd is about (1 + k) / sqrt(n) = 0.008 to 0.013 here.
      const auto fit = sx::fit_generalized_pareto(x, false);
      INFO("k = " << k << ", seed " << seed << ": k hat " << fit.k << ", sigma hat " << fit.sigma);
      CHECK(std::fabs(fit.k - k) < 0.05);
      CHECK(fit.sigma == Approx(2.0).epsilon(0.05));
      // The prior worth 10 observations moves it by 10 (0.5 - k) / (n + 10).
      const auto with_prior = sx::fit_generalized_pareto(x);
      CHECK(with_prior.k == Approx((fit.k * 20000 + 5) / 20010).epsilon(1e-12));
    }
  }
  // The quantile function inverts the distribution function.
  for (const double k : {-0.3, 0.0, 0.7}) {
    const double q = sx::generalized_pareto_quantile(0.9, k, 1.5);
    const double cdf = k == 0 ? -std::expm1(-q / 1.5) : 1 - std::pow(1 + k * q / 1.5, -1 / k);
    CHECK(cdf == Approx(0.9).epsilon(1e-12));
  }
  CHECK_THROWS_AS(sx::fit_generalized_pareto(Eigen::VectorXd()), std::invalid_argument);
}

TEST_CASE("psis estimates the tail shape of importance ratios", "[diagnostics][psis]") {
  SECTION("ratios that are generalized Pareto: the tail above any threshold has the same k") {
    for (const double k : {0.3, 0.6, 0.9}) {
      const Eigen::VectorXd ratios = generalized_pareto_draws(100000, k, 1.0, 7);
      const auto r = sx::psis(ratios.array().log().matrix());
      // M = ceil(min(0.2 S, 3 sqrt(S))) = 949 tail draws: sd of k hat about 0.04-0.06.
      CHECK(r.tail_length == 949);
      INFO("k = " << k << ": k hat " << r.pareto_k);
      CHECK(std::fabs(r.pareto_k - k) < 0.15);
    }
  }
  SECTION("normal proposal N(0, s^2) for a N(0, 1) target: the ratios' tail index is 1 - s^2") {
    // p(x) / q(x) = exp(x^2 (1 / s^2 - 1) / 2) has P(ratio > t) ~ t^(-1 / (1 - s^2))
    // up to a logarithmic factor, which biases finite-S estimates upwards a little.
    for (const double s : {0.5, 0.8}) {
      std::mt19937_64 rng(11);
      std::normal_distribution<double> normal(0.0, s);
      Eigen::VectorXd log_ratios(100000);
      for (Eigen::Index i = 0; i < log_ratios.size(); ++i) {
        const double x = normal(rng);
        log_ratios[i] = -0.5 * x * x + 0.5 * x * x / (s * s) + std::log(s);
      }
      const auto r = sx::psis(log_ratios);
      INFO("s = " << s << ": k hat " << r.pareto_k << ", theory " << 1 - s * s);
      CHECK(std::fabs(r.pareto_k - (1 - s * s)) < 0.15);
    }
    // A proposal wider than the target has bounded ratios: k < 0.
    std::mt19937_64 rng(12);
    std::normal_distribution<double> wide(0.0, 2.0);
    Eigen::VectorXd log_ratios(20000);
    for (Eigen::Index i = 0; i < log_ratios.size(); ++i) {
      const double x = wide(rng);
      log_ratios[i] = -0.5 * x * x + x * x / 8 + std::log(2.0);
    }
    const auto r = sx::psis(log_ratios);
    CHECK(r.pareto_k < 0);
    CHECK(r.reliable());
  }
}

TEST_CASE("psis smooths only the tail and truncates at the largest raw weight",
          "[diagnostics][psis]") {
  const Eigen::VectorXd ratios = generalized_pareto_draws(4000, 0.7, 1.0, 5);
  const Eigen::VectorXd log_ratios = (ratios.array().log() + 3.0).matrix(); // any shift
  const auto r = sx::psis(log_ratios);
  REQUIRE(r.log_weights.size() == 4000);
  CHECK(r.tail_length == sx::psis_tail_length(4000));
  CHECK(r.tail_length == 190); // ceil(3 sqrt(4000)) = 190 < 0.2 * 4000
  const Eigen::VectorXd s = sorted(log_ratios);
  const double cutoff = s[4000 - 190 - 1];
  int unchanged = 0;
  for (Eigen::Index i = 0; i < 4000; ++i) {
    if (log_ratios[i] <= cutoff) {
      CHECK(r.log_weights[i] == Approx(log_ratios[i]).margin(1e-13));
      ++unchanged;
    } else {
      CHECK(r.log_weights[i] >= cutoff);
      CHECK(r.log_weights[i] <= log_ratios.maxCoeff() + 1e-12);
    }
  }
  CHECK(unchanged == 4000 - 190);
  // The order of the tail is kept.
  for (Eigen::Index i = 0; i < 4000; ++i)
    for (Eigen::Index j : {Eigen::Index{0}, Eigen::Index{17}, Eigen::Index{3999}})
      if (log_ratios[i] > cutoff && log_ratios[j] > cutoff && log_ratios[i] < log_ratios[j])
        CHECK(r.log_weights[i] <= r.log_weights[j]);
  CHECK(r.normalized_weights().sum() == Approx(1.0).epsilon(1e-12));
  CHECK(r.normalized_log_weights().array().exp().sum() == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("psis edge cases: short samples, flat tails, failed draws, thresholds",
          "[diagnostics][psis]") {
  // 20 draws: a tail of 4 < 5 is not smoothed (loo reports k = Inf).
  Eigen::VectorXd short_sample(20);
  for (int i = 0; i < 20; ++i)
    short_sample[i] = 0.1 * i;
  const auto short_result = sx::psis(short_sample);
  CHECK(short_result.tail_length == 0);
  CHECK(std::isinf(short_result.pareto_k));
  CHECK((short_result.log_weights - short_sample).cwiseAbs().maxCoeff() < 1e-15);
  // Equal ratios: nothing to fit, equal weights.
  const auto flat = sx::psis(Eigen::VectorXd::Constant(1000, -2.5));
  CHECK(std::isinf(flat.pareto_k));
  CHECK((flat.normalized_weights().array() - 1e-3).abs().maxCoeff() < 1e-15);
  // -inf and NaN ratios (failed evaluations) get weight zero.
  Eigen::VectorXd with_failures = generalized_pareto_draws(1000, 0.2, 1.0, 3).array().log();
  with_failures[5] = -std::numeric_limits<double>::infinity();
  with_failures[6] = std::numeric_limits<double>::quiet_NaN();
  const auto failures = sx::psis(with_failures);
  CHECK(failures.normalized_weights()[5] == 0.0);
  CHECK(failures.normalized_weights()[6] == 0.0);
  CHECK(std::isfinite(failures.pareto_k));
  CHECK_THROWS_AS(sx::psis(Eigen::VectorXd()), std::invalid_argument);
  CHECK_THROWS_AS(sx::psis(Eigen::VectorXd::Constant(3, -std::numeric_limits<double>::infinity())),
                  std::invalid_argument);
  Eigen::VectorXd with_inf = Eigen::VectorXd::Zero(30);
  with_inf[3] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(sx::psis(with_inf), std::invalid_argument);
  // Vehtari et al. (2024): min(1 - 1 / log10(S), 0.7).
  CHECK(sx::pareto_k_threshold(100) == Approx(0.5));
  CHECK(sx::pareto_k_threshold(1000) == Approx(2.0 / 3.0));
  CHECK(sx::pareto_k_threshold(100000) == 0.7);
  CHECK(sx::psis_tail_length(100) == 20);
  CHECK(sx::psis_tail_length(10000) == 300);
}
