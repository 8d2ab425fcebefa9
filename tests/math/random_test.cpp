// Variate generators against Boost.Math distribution objects: a
// Kolmogorov-Smirnov test for continuous draws, a chi-square test for discrete
// ones (n = 100000, fixed seeds, p > 1e-4), and moment checks.
#include <catch2/catch.hpp>

#include <boost/math/distributions/bernoulli.hpp>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/cauchy.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/inverse_gamma.hpp>
#include <boost/math/distributions/laplace.hpp>
#include <boost/math/distributions/logistic.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "statix/math/random.hpp"

#include "ks_p_value.hpp"

namespace r = statix::random;
namespace bm = boost::math;
using statix::random::philox;
using statix_test::ks_p_value;

namespace {

constexpr int draws = 100000;
constexpr double min_p_value = 1e-4;

template <class Draw>
std::vector<double> sample(Draw draw, int n = draws) {
  std::vector<double> xs(n);
  for (double& x : xs) {
    x = draw();
  }
  return xs;
}

// Pearson's chi-square over the support 0, 1, 2, ...: consecutive values are
// merged into bins of expected count >= 5, the upper tail joins the last bin.
template <class Distribution>
double chi_square_p_value(const std::vector<int>& xs, const Distribution& distribution) {
  const int largest = *std::max_element(xs.begin(), xs.end());
  const int smallest = *std::min_element(xs.begin(), xs.end());
  REQUIRE(smallest >= 0); // no invalid-parameter sentinel
  std::vector<double> observed(largest + 1, 0.0);
  for (int x : xs) {
    observed[x] += 1;
  }
  const double n = static_cast<double>(xs.size());
  std::vector<double> bin_expected;
  std::vector<double> bin_observed;
  double expected_acc = 0;
  double observed_acc = 0;
  for (int k = 0; k <= largest; ++k) {
    expected_acc += n * bm::pdf(distribution, k);
    observed_acc += observed[k];
    if (expected_acc >= 5) {
      bin_expected.push_back(expected_acc);
      bin_observed.push_back(observed_acc);
      expected_acc = 0;
      observed_acc = 0;
    }
  }
  // what is left, plus the tail beyond the largest draw
  const double tail = n * bm::cdf(complement(distribution, largest));
  if (bin_expected.empty()) {
    bin_expected.push_back(0);
    bin_observed.push_back(0);
  }
  bin_expected.back() += expected_acc + tail;
  bin_observed.back() += observed_acc;
  double statistic = 0;
  for (std::size_t i = 0; i < bin_expected.size(); ++i) {
    const double diff = bin_observed[i] - bin_expected[i];
    statistic += diff * diff / bin_expected[i];
  }
  const double df = static_cast<double>(bin_expected.size()) - 1;
  REQUIRE(df >= 1);
  return bm::cdf(complement(bm::chi_squared(df), statistic));
}

template <class Distribution>
void check_continuous(const char* name, const std::vector<double>& xs,
                      const Distribution& distribution, bool finite_variance = true) {
  INFO(name);
  const double p = ks_p_value(xs, [&](double x) { return bm::cdf(distribution, x); });
  INFO("Kolmogorov-Smirnov p-value " << p);
  CHECK(p > min_p_value);
  // Boost rejects the Cauchy's moments at compile time
  if constexpr (!std::is_same_v<Distribution, bm::cauchy>) {
    if (!finite_variance) {
      return;
    }
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    const double n = static_cast<double>(xs.size());
    const double mean = sum / n;
    const double sd = bm::standard_deviation(distribution);
    INFO("mean " << mean << " expected " << bm::mean(distribution));
    CHECK(std::fabs(mean - bm::mean(distribution)) < 5 * sd / std::sqrt(n));
  }
}

template <class Distribution>
void check_discrete(const char* name, const std::vector<int>& xs,
                    const Distribution& distribution) {
  INFO(name);
  const double p = chi_square_p_value(xs, distribution);
  INFO("chi-square p-value " << p);
  CHECK(p > min_p_value);
  double sum = 0;
  for (int x : xs) {
    sum += x;
  }
  const double n = static_cast<double>(xs.size());
  INFO("mean " << sum / n << " expected " << bm::mean(distribution));
  CHECK(std::fabs(sum / n - bm::mean(distribution)) <
        5 * bm::standard_deviation(distribution) / std::sqrt(n) + 1e-12);
}

template <class Draw>
std::vector<int> sample_int(Draw draw) {
  std::vector<int> xs(draws);
  for (int& x : xs) {
    x = draw();
  }
  return xs;
}

} // namespace

TEST_CASE("uniform, normal, lognormal and exponential draws", "[math]") {
  philox g(1, 0);
  check_continuous("uniform01", sample([&] { return r::uniform01(g); }), bm::uniform(0, 1));
  check_continuous("uniform(-2, 3)", sample([&] { return r::uniform(g, -2, 3); }),
                   bm::uniform(-2, 3));
  check_continuous("std_normal", sample([&] { return r::std_normal(g); }), bm::normal(0, 1));
  check_continuous("normal(1.5, 0.3)", sample([&] { return r::normal(g, 1.5, 0.3); }),
                   bm::normal(1.5, 0.3));
  check_continuous("lognormal(0.2, 0.8)", sample([&] { return r::lognormal(g, 0.2, 0.8); }),
                   bm::lognormal(0.2, 0.8));
  check_continuous("exponential(2.5)", sample([&] { return r::exponential(g, 2.5); }),
                   bm::exponential(2.5));
  CHECK(std::isnan(r::exponential(g, -1.0)));
}

TEST_CASE("generic bit generators (32 and 64 bits) feed the same variates", "[math]") {
  std::mt19937 g32(5);
  check_continuous("std_normal(mt19937)", sample([&] { return r::std_normal(g32); }),
                   bm::normal(0, 1));
  std::mt19937_64 g64(5);
  check_continuous("uniform01(mt19937_64)", sample([&] { return r::uniform01(g64); }),
                   bm::uniform(0, 1));
}

TEST_CASE("gamma draws for small, moderate and large shapes", "[math]") {
  philox g(2, 0);
  for (double shape : {0.05, 0.3, 1.0, 2.5, 30.0, 1e4}) {
    INFO("shape " << shape);
    check_continuous("std_gamma", sample([&] { return r::std_gamma(g, shape); }),
                     bm::gamma_distribution<>(shape, 1.0));
  }
  check_continuous("gamma(3, rate 2)", sample([&] { return r::gamma(g, 3.0, 2.0); }),
                   bm::gamma_distribution<>(3.0, 0.5));
  check_continuous("inv_gamma(3, scale 2)", sample([&] { return r::inv_gamma(g, 3.0, 2.0); }),
                   bm::inverse_gamma_distribution<>(3.0, 2.0));
  for (double nu : {1.0, 7.5}) {
    INFO("nu " << nu);
    check_continuous("chi_square", sample([&] { return r::chi_square(g, nu); }),
                     bm::chi_squared(nu));
  }
  // log-space draws for a tiny shape: P(log G <= t) = P(G <= e^t), with the
  // lower tail x^a / Gamma(a + 1) where e^t underflows
  const double tiny = 0.01;
  const auto log_cdf = [&](double t) {
    if (t < -700) {
      return std::exp(tiny * t - bm::lgamma(tiny + 1));
    }
    return bm::gamma_p(tiny, std::exp(t));
  };
  const double p = ks_p_value(sample([&] { return r::log_std_gamma(g, tiny); }), log_cdf);
  INFO("log_std_gamma(0.01) p-value " << p);
  CHECK(p > min_p_value);
  CHECK(std::isnan(r::std_gamma(g, 0.0)));
  CHECK(std::isnan(r::gamma(g, 1.0, -1.0)));
}

TEST_CASE("beta draws, including shapes whose gamma draws underflow", "[math]") {
  philox g(3, 0);
  const double shapes[][2] = {{0.5, 0.5}, {2.0, 5.0}, {0.05, 0.2}, {100.0, 300.0}, {1.0, 1.0}};
  for (const auto& s : shapes) {
    INFO("beta(" << s[0] << ", " << s[1] << ")");
    const auto xs = sample([&] { return r::beta(g, s[0], s[1]); });
    check_continuous("beta", xs, bm::beta_distribution<>(s[0], s[1]));
  }
}

TEST_CASE("Student t, Cauchy, logistic, Laplace and Weibull draws", "[math]") {
  philox g(4, 0);
  for (double nu : {1.0, 3.5, 30.0}) {
    INFO("nu " << nu);
    check_continuous("student_t", sample([&] { return r::student_t(g, nu); }), bm::students_t(nu),
                     nu > 2);
  }
  {
    const double nu = 4.0;
    const auto xs = sample([&] { return (r::student_t(g, nu, 1.0, 2.0) - 1.0) / 2.0; });
    check_continuous("student_t(4, 1, 2), standardised", xs, bm::students_t(nu));
  }
  check_continuous("cauchy(1, 2.5)", sample([&] { return r::cauchy(g, 1.0, 2.5); }),
                   bm::cauchy(1.0, 2.5), false);
  check_continuous("logistic(-1, 0.7)", sample([&] { return r::logistic(g, -1.0, 0.7); }),
                   bm::logistic(-1.0, 0.7));
  check_continuous("laplace(2, 0.5)", sample([&] { return r::laplace(g, 2.0, 0.5); }),
                   bm::laplace(2.0, 0.5));
  check_continuous("weibull(1.5, 2)", sample([&] { return r::weibull(g, 1.5, 2.0); }),
                   bm::weibull(1.5, 2.0));
}

TEST_CASE("Bernoulli and Poisson draws: inversion and PTRS regimes", "[math]") {
  philox g(5, 0);
  check_discrete("bernoulli(0.3)", sample_int([&] { return r::bernoulli(g, 0.3); }),
                 bm::bernoulli(0.3));
  for (double rate : {0.3, 4.5, 9.99, 10.0, 25.0, 300.0, 1e5}) {
    INFO("rate " << rate);
    check_discrete("poisson", sample_int([&] { return r::poisson(g, rate); }), bm::poisson(rate));
  }
  CHECK(r::poisson(g, 0.0) == 0);
  CHECK(r::poisson(g, -1.0) == -1);
  CHECK(r::poisson(g, std::nan("")) == -1);
  CHECK(r::poisson(g, 2e9) == -1);
  CHECK(r::bernoulli(g, 1.0) == 1);
  CHECK(r::bernoulli(g, 0.0) == 0);
  CHECK(r::bernoulli(g, 1.5) == -1);
}

TEST_CASE("binomial draws: inversion, BTRS and the p > 1/2 reflection", "[math]") {
  philox g(6, 0);
  const std::pair<int, double> cases[] = {{20, 0.3},  {100, 0.05}, {7, 0.9},    {12, 0.5},
                                          {25, 0.4},  {50, 0.8},   {1000, 0.3}, {1000000, 0.5},
                                          {3, 0.999}, {200, 0.97}};
  for (auto [n, p] : cases) {
    INFO("binomial(" << n << ", " << p << ")");
    check_discrete("binomial", sample_int([&] { return r::binomial(g, n, p); }),
                   bm::binomial(n, p));
  }
  CHECK(r::binomial(g, 10, 0.0) == 0);
  CHECK(r::binomial(g, 10, 1.0) == 10);
  CHECK(r::binomial(g, 0, 0.5) == 0);
  CHECK(r::binomial(g, -1, 0.5) == -1);
  CHECK(r::binomial(g, 10, 1.5) == -1);
}

TEST_CASE("negative_binomial_2 draws (gamma-Poisson mixture)", "[math]") {
  philox g(7, 0);
  const double cases[][2] = {{3.0, 0.5}, {100.0, 10.0}, {0.1, 2.0}, {20.0, 1e6}};
  for (const auto& c : cases) {
    const double mu = c[0];
    const double phi = c[1];
    INFO("mu " << mu << ", phi " << phi);
    // Boost counts failures before r successes with success probability p:
    // r = phi, p = phi / (phi + mu) has mean mu and variance mu + mu^2 / phi.
    check_discrete("negative_binomial_2",
                   sample_int([&] { return r::negative_binomial_2(g, mu, phi); }),
                   bm::negative_binomial(phi, phi / (phi + mu)));
  }
  CHECK(r::negative_binomial_2(g, 0.0, 1.0) == 0);
  CHECK(r::negative_binomial_2(g, 1.0, 0.0) == -1);
}

TEST_CASE("categorical draws from logits and from weights", "[math]") {
  philox g(8, 0);
  const double inf = std::numeric_limits<double>::infinity();
  const double beta[] = {0.5, -1.0, 2.0, 0.0, -inf, 1.3};
  const int K = 6;
  double total = 0;
  for (double b : beta) {
    total += std::exp(b);
  }
  std::vector<double> counts(K, 0.0);
  int out_of_range = 0;
  for (int i = 0; i < draws; ++i) {
    const int k = r::categorical_logit(g, beta, K);
    if (k >= 0 && k < K) {
      counts[k] += 1;
    } else {
      ++out_of_range;
    }
  }
  CHECK(out_of_range == 0);
  CHECK(counts[4] == 0.0); // zero probability, never drawn
  double statistic = 0;
  for (int k = 0; k < K; ++k) {
    if (k == 4) {
      continue;
    }
    const double expected = draws * std::exp(beta[k]) / total;
    statistic += (counts[k] - expected) * (counts[k] - expected) / expected;
  }
  double p = bm::cdf(complement(bm::chi_squared(K - 2), statistic));
  INFO("categorical_logit chi-square p-value " << p);
  CHECK(p > min_p_value);

  const double theta[] = {0.1, 0.0, 0.6, 0.3};
  std::vector<double> weight_counts(4, 0.0);
  for (int i = 0; i < draws; ++i) {
    weight_counts[r::categorical(g, theta, 4)] += 1;
  }
  CHECK(weight_counts[1] == 0.0);
  statistic = 0;
  for (int k : {0, 2, 3}) {
    const double expected = draws * theta[k];
    statistic += (weight_counts[k] - expected) * (weight_counts[k] - expected) / expected;
  }
  p = bm::cdf(complement(bm::chi_squared(2), statistic));
  INFO("categorical chi-square p-value " << p);
  CHECK(p > min_p_value);
  CHECK(r::categorical_logit(g, beta, 0) == -1);
  const double all_negative_infinity[] = {-inf, -inf};
  CHECK(r::categorical_logit(g, all_negative_infinity, 2) == -1);
}

TEST_CASE("dirichlet draws: simplex, Beta marginals and tiny concentrations", "[math]") {
  philox g(9, 0);
  const double alpha[3] = {0.3, 1.5, 4.0};
  const double total = alpha[0] + alpha[1] + alpha[2];
  std::vector<double> first(draws);
  double worst_sum_error = 0;
  for (double& x : first) {
    double out[3];
    r::dirichlet(g, alpha, 3, out);
    worst_sum_error = std::max(worst_sum_error, std::fabs(out[0] + out[1] + out[2] - 1));
    x = out[0];
  }
  CHECK(worst_sum_error < 1e-14);
  check_continuous("dirichlet marginal", first,
                   bm::beta_distribution<>(alpha[0], total - alpha[0]));

  // Concentrations so small that most of the mass lies within 1e-16 of a
  // vertex, which double cannot resolve: check the simplex and the means.
  const double tiny[3] = {0.01, 0.02, 0.05};
  const double tiny_total = tiny[0] + tiny[1] + tiny[2];
  double sums[3] = {0, 0, 0};
  int invalid = 0;
  for (int i = 0; i < draws; ++i) {
    double out[3];
    r::dirichlet(g, tiny, 3, out);
    for (int k = 0; k < 3; ++k) {
      invalid += (out[k] >= 0 && out[k] <= 1) ? 0 : 1;
      sums[k] += out[k];
    }
  }
  CHECK(invalid == 0);
  for (int k = 0; k < 3; ++k) {
    const double mean = tiny[k] / tiny_total;
    const double sd = std::sqrt(mean * (1 - mean) / (tiny_total + 1));
    INFO("component " << k << " mean " << sums[k] / draws << " expected " << mean);
    CHECK(std::fabs(sums[k] / draws - mean) < 5 * sd / std::sqrt(draws));
  }
}
