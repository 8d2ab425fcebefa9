#include <statix/diagnostics/diagnostics.hpp>

#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

namespace {

// Chains of a stationary Gaussian AR(1) process x_t = rho x_{t-1} + sqrt(1 - rho^2) e_t,
// whose integrated autocorrelation time is (1 + rho) / (1 - rho).
Eigen::MatrixXd ar1_chains(Eigen::Index draws, Eigen::Index chains, double rho,
                           std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Eigen::MatrixXd x(draws, chains);
  const double innovation_sd = std::sqrt(1.0 - rho * rho);
  for (Eigen::Index c = 0; c < chains; ++c) {
    double value = normal(rng);
    for (Eigen::Index i = 0; i < draws; ++i) {
      x(i, c) = value;
      value = rho * value + innovation_sd * normal(rng);
    }
  }
  return x;
}

Eigen::MatrixXd iid_normal(Eigen::Index draws, Eigen::Index chains, std::uint64_t seed) {
  return ar1_chains(draws, chains, 0.0, seed);
}

double direct_autocovariance(const Eigen::VectorXd& x, Eigen::Index lag) {
  const double mean = x.mean();
  double sum = 0.0;
  for (Eigen::Index i = 0; i + lag < x.size(); ++i)
    sum += (x(i) - mean) * (x(i + lag) - mean);
  return sum / static_cast<double>(x.size());
}

} // namespace

TEST_CASE("FFT autocovariance equals the direct sum at every lag", "[diagnostics]") {
  for (const Eigen::Index n : {1, 2, 7, 37, 128, 1001}) {
    const Eigen::VectorXd x = ar1_chains(n, 1, 0.7, 11 + static_cast<std::uint64_t>(n)).col(0);
    const Eigen::VectorXd acov = statix::autocovariance(x);
    REQUIRE(acov.size() == n);
    for (Eigen::Index t = 0; t < n; ++t)
      CHECK(acov(t) == Approx(direct_autocovariance(x, t)).margin(1e-12));
  }
  const Eigen::VectorXd x = ar1_chains(50, 1, 0.3, 5).col(0);
  const Eigen::VectorXd rho = statix::autocorrelation(x);
  CHECK(rho(0) == Approx(1.0));
  CHECK(rho(3) == Approx(direct_autocovariance(x, 3) / direct_autocovariance(x, 0)));
}

TEST_CASE("FFT sizes have only the prime factors 2, 3 and 5", "[diagnostics]") {
  CHECK(statix::detail::next_fast_fft_size(7) == 8);
  CHECK(statix::detail::next_fast_fft_size(11) == 12);
  CHECK(statix::detail::next_fast_fft_size(26) == 27);
  CHECK(statix::detail::next_fast_fft_size(1001) == 1024);
  CHECK(statix::detail::next_fast_fft_size(97) == 100);
}

TEST_CASE("Ranks average ties and rank normalisation uses Blom's offset", "[diagnostics]") {
  Eigen::MatrixXd values(3, 2);
  values << 3.0, 2.0, //
      1.0, 5.0,       //
      2.0, 2.0;
  const Eigen::MatrixXd ranks = statix::average_ranks(values);
  // Sorted: 1, 2, 2, 2, 3, 5 -> the three 2s share ranks 2..4, average 3.
  CHECK(ranks(1, 0) == 1.0);
  CHECK(ranks(0, 1) == 3.0);
  CHECK(ranks(2, 0) == 3.0);
  CHECK(ranks(2, 1) == 3.0);
  CHECK(ranks(0, 0) == 5.0);
  CHECK(ranks(1, 1) == 6.0);

  const boost::math::normal standard;
  const Eigen::MatrixXd z = statix::rank_normalize(values);
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    const double p = (ranks.data()[i] - 0.375) / (6.0 + 0.25);
    CHECK(z.data()[i] == Approx(boost::math::quantile(standard, p)).epsilon(1e-13));
  }
  CHECK(statix::normal_quantile(1e-300) ==
        Approx(boost::math::quantile(standard, 1e-300)).epsilon(1e-12));
}

TEST_CASE("Split chains drop the middle draw of an odd-length chain", "[diagnostics]") {
  Eigen::MatrixXd draws(5, 2);
  draws << 1, 10, 2, 20, 3, 30, 4, 40, 5, 50;
  const Eigen::MatrixXd split = statix::split_chains(draws);
  REQUIRE(split.rows() == 2);
  REQUIRE(split.cols() == 4);
  CHECK(split(0, 0) == 1);
  CHECK(split(1, 0) == 2);
  CHECK(split(0, 1) == 4);
  CHECK(split(1, 1) == 5);
  CHECK(split(0, 2) == 10);
  CHECK(split(1, 3) == 50);
}

TEST_CASE("Quantiles are R's type 7", "[diagnostics]") {
  Eigen::MatrixXd values(4, 1);
  values << 4, 1, 3, 2;
  CHECK(statix::quantile(values, 0.25) == Approx(1.75));
  CHECK(statix::quantile(values, 0.0) == 1.0);
  CHECK(statix::quantile(values, 1.0) == 4.0);
  CHECK(statix::median(values) == Approx(2.5));
  Eigen::MatrixXd odd(3, 1);
  odd << 9, -1, 5;
  CHECK(statix::median(odd) == 5.0);
}

TEST_CASE("Independent normal draws: ESS close to the draw count, R-hat close to 1",
          "[diagnostics]") {
  const Eigen::MatrixXd draws = iid_normal(5000, 4, 42);
  const double n = 20000.0;
  CHECK(statix::ess_bulk(draws) == Approx(n).epsilon(0.10));
  CHECK(statix::ess_tail(draws) == Approx(n).epsilon(0.10));
  CHECK(statix::ess_mean(draws) == Approx(n).epsilon(0.10));
  CHECK(statix::ess_sd(draws) == Approx(n).epsilon(0.10));
  CHECK(statix::rhat(draws) < 1.01);
  CHECK(statix::rhat(draws) > 0.99);
  CHECK(statix::rhat_basic(draws) == Approx(1.0).margin(0.01));
  // Standard errors of the mean and the sd of n independent N(0, 1) draws:
  // 1 / sqrt(n) and, by the delta method, 1 / sqrt(2 n).
  CHECK(statix::mcse_mean(draws) == Approx(1.0 / std::sqrt(n)).epsilon(0.10));
  CHECK(statix::mcse_sd(draws) == Approx(1.0 / std::sqrt(2.0 * n)).epsilon(0.10));
}

TEST_CASE("AR(1) chains: bulk ESS close to n (1 - rho) / (1 + rho)", "[diagnostics]") {
  // Chains long enough that the estimates' own spread (about 3% here) stays
  // well inside the 10% tolerance.
  for (const double rho : {0.5, 0.9}) {
    const Eigen::Index length = rho < 0.8 ? 10000 : 40000;
    const Eigen::MatrixXd draws = ar1_chains(length, 4, rho, 7);
    const double expected = 4.0 * static_cast<double>(length) * (1.0 - rho) / (1.0 + rho);
    INFO("rho = " << rho);
    CHECK(statix::ess_bulk(draws) == Approx(expected).epsilon(0.10));
    CHECK(statix::ess_mean(draws) == Approx(expected).epsilon(0.10));
    CHECK(statix::rhat(draws) < 1.01);
  }
  // Antithetic chains (rho < 0) are more efficient than independent draws.
  const Eigen::MatrixXd antithetic = ar1_chains(5000, 4, -0.3, 9);
  CHECK(statix::ess_mean(antithetic) == Approx(20000.0 * 1.3 / 0.7).epsilon(0.10));
}

TEST_CASE("Chains that disagree in location or scale get a large R-hat", "[diagnostics]") {
  Eigen::MatrixXd shifted = iid_normal(1000, 4, 3);
  shifted.col(3).array() += 2.0;
  CHECK(statix::rhat(shifted) > 1.1);
  CHECK(statix::rhat_bulk(shifted) > 1.1);

  // Same centre, one chain three times wider: only the folded (tail) R-hat sees it.
  Eigen::MatrixXd scaled = iid_normal(1000, 4, 4);
  scaled.col(2) *= 3.0;
  CHECK(statix::rhat_bulk(scaled) < 1.05);
  CHECK(statix::rhat_tail(scaled) > 1.1);
  CHECK(statix::rhat(scaled) == statix::rhat_tail(scaled));

  // A trend inside each chain shows up once the chains are split.
  Eigen::MatrixXd drifting = iid_normal(1000, 4, 5);
  for (Eigen::Index i = 0; i < drifting.rows(); ++i)
    drifting.row(i).array() += 4.0 * static_cast<double>(i) / 1000.0;
  CHECK(statix::rhat_basic(drifting) < 1.01);
  CHECK(statix::rhat(drifting) > 1.1);
}

TEST_CASE("Degenerate input gives NaN or the draw count", "[diagnostics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Eigen::MatrixXd draws = iid_normal(100, 2, 8);
  Eigen::MatrixXd with_nan = draws;
  with_nan(5, 1) = nan;
  Eigen::MatrixXd with_inf = draws;
  with_inf(7, 0) = std::numeric_limits<double>::infinity();
  for (const Eigen::MatrixXd* bad : {&with_nan, &with_inf}) {
    CHECK(std::isnan(statix::rhat(*bad)));
    CHECK(std::isnan(statix::ess_bulk(*bad)));
    CHECK(std::isnan(statix::ess_tail(*bad)));
    CHECK(std::isnan(statix::mcse_mean(*bad)));
    CHECK(std::isnan(statix::mcse_sd(*bad)));
  }
  const Eigen::MatrixXd short_chains = draws.topRows(3);
  CHECK(std::isnan(statix::rhat(short_chains)));
  CHECK(std::isnan(statix::ess_bulk(short_chains)));

  // A constant quantity (a fixed element of a correlation matrix, say): ESS is
  // the draw count as ArviZ reports it; R-hat and the error of the sd are undefined.
  const Eigen::MatrixXd constant = Eigen::MatrixXd::Constant(100, 2, 1.5);
  CHECK(statix::ess_bulk(constant) == 200.0);
  CHECK(statix::ess_tail(constant) == 200.0);
  CHECK(std::isnan(statix::rhat(constant)));
  CHECK(statix::mcse_mean(constant) == 0.0);
  CHECK(std::isnan(statix::mcse_sd(constant)));
}

TEST_CASE("HDI is the shortest interval holding the given fraction", "[diagnostics]") {
  Eigen::MatrixXd small(12, 1);
  small << 100, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
  // 12 draws, prob 0.5: intervals span 6 sorted positions; the first narrowest is [0, 6].
  const statix::interval half = statix::hdi(small, 0.5);
  CHECK(half.lower == 0.0);
  CHECK(half.upper == 6.0);

  // Exp(1): the shortest 94% interval is [0, -log(0.06)].
  std::mt19937_64 rng(17);
  std::exponential_distribution<double> exponential(1.0);
  Eigen::MatrixXd skewed(50000, 2);
  for (Eigen::Index i = 0; i < skewed.size(); ++i)
    skewed.data()[i] = exponential(rng);
  const statix::interval exp_hdi = statix::hdi(skewed, 0.94);
  CHECK(exp_hdi.lower == Approx(0.0).margin(0.01));
  CHECK(exp_hdi.upper == Approx(-std::log(0.06)).epsilon(0.02));

  // N(0, 1): symmetric, +-Phi^{-1}(0.97).
  const double z97 = boost::math::quantile(boost::math::normal(), 0.97);
  const statix::interval normal_hdi = statix::hdi(iid_normal(50000, 2, 19), 0.94);
  CHECK(normal_hdi.lower == Approx(-z97).epsilon(0.02));
  CHECK(normal_hdi.upper == Approx(z97).epsilon(0.02));

  CHECK_THROWS_AS(statix::hdi(small, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(statix::hdi(small, 0.0), std::invalid_argument);
}
