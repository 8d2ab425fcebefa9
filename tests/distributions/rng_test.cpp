// Random draws of every family: sample mean and variance of 200000 draws
// within 5 standard errors of the closed-form moments (from Boost.Math's
// distribution objects, or the raw-moment formulas of the half-* families),
// and Kolmogorov-Smirnov / chi-square goodness of fit for a few families
// (the only check for the Cauchy ones, which have no moments). Fixed seeds.

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

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

#include "statix/math/random.hpp"

#include "distribution_test_support.hpp"

namespace {

using namespace statix_test;
namespace bm = boost::math;
using statix::random::philox;

constexpr int n_draws = 200000;
constexpr double pi_d = 3.14159265358979323846;

// Mean, variance and fourth central moment.
struct moments {
  double mean, var, mu4;
};

// Moments of loc + scale * X for a Boost distribution X.
template <class Dist>
moments boost_moments(const Dist& d, double loc = 0, double scale = 1) {
  const double var = scale * scale * bm::variance(d);
  return {loc + scale * bm::mean(d), var, bm::kurtosis(d) * var * var};
}

// Moments from the raw moments E X, E X^2, E X^3, E X^4.
moments from_raw(double m1, double m2, double m3, double m4) {
  const double var = m2 - m1 * m1;
  const double mu4 = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1;
  return {m1, var, mu4};
}

template <class Draw>
std::vector<double> sample(Draw draw) {
  std::vector<double> x(n_draws);
  for (auto& v : x)
    v = static_cast<double>(draw());
  return x;
}

// Sample mean within 5 standard errors sqrt(var / n) of the mean, sample
// variance within 5 standard errors sqrt((mu4 - var^2) / n) of the variance.
void check_moments(const std::vector<double>& x, const moments& m) {
  const double n = double(x.size());
  double mean = 0;
  for (double v : x)
    mean += v;
  mean /= n;
  double ss = 0;
  for (double v : x)
    ss += (v - mean) * (v - mean);
  const double var = ss / (n - 1);
  INFO("sample mean " << mean << " (want " << m.mean << "), sample variance " << var << " (want "
                      << m.var << ")");
  CHECK(std::isfinite(mean));
  CHECK(std::fabs(mean - m.mean) <= 5 * std::sqrt(m.var / n));
  CHECK(std::fabs(var - m.var) <= 5 * std::sqrt((m.mu4 - m.var * m.var) / n));
}

// Kolmogorov-Smirnov: sqrt(n) max |F_n - F| below 1.95 (p = 0.001).
void check_ks(std::vector<double> x, const std::function<double(double)>& cdf) {
  std::sort(x.begin(), x.end());
  const double n = double(x.size());
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, std::fabs(f - double(i) / n), std::fabs(double(i + 1) / n - f)});
  }
  INFO("KS statistic sqrt(n) D = " << std::sqrt(n) * d);
  CHECK(std::sqrt(n) * d < 1.95);
}

// Chi-square over the outcomes 0..K-1 with expected counts >= 5 (the rest
// pooled into one cell), below the 0.999 quantile.
void check_chi_square(const std::vector<double>& x, const std::function<double(int)>& pmf) {
  const double n = double(x.size());
  int k_max = 0;
  while (n * pmf(k_max + 1) >= 5 || k_max < 1)
    ++k_max;
  std::vector<double> observed(k_max + 2, 0.0);
  for (double v : x)
    observed[std::min(int(v), k_max + 1)] += 1;
  double stat = 0, p_used = 0;
  for (int k = 0; k <= k_max; ++k) {
    const double e = n * pmf(k);
    p_used += pmf(k);
    stat += (observed[k] - e) * (observed[k] - e) / e;
  }
  const double e_rest = n * (1 - p_used);
  int cells = k_max + 1;
  if (e_rest >= 5) {
    stat += (observed[k_max + 1] - e_rest) * (observed[k_max + 1] - e_rest) / e_rest;
    ++cells;
  }
  const double limit = bm::quantile(bm::chi_squared(cells - 1), 0.999);
  INFO("chi-square " << stat << " over " << cells << " cells, limit " << limit);
  CHECK(stat < limit);
}

double inv_logit(double a) {
  return 1 / (1 + std::exp(-a));
}

} // namespace

TEST_CASE("rng: location-scale families match their moments", "[distributions]") {
  {
    philox g(11, 0);
    auto x = sample([&] { return dist::normal::rng(g, 1.5, 2.0); });
    check_moments(x, boost_moments(bm::normal(1.5, 2.0)));
    const bm::normal ref(1.5, 2.0);
    check_ks(x, [&](double v) { return bm::cdf(ref, v); });
  }
  {
    philox g(12, 0);
    auto x = sample([&] { return dist::student_t::rng(g, 10.0, 1.0, 2.0); });
    check_moments(x, boost_moments(bm::students_t(10.0), 1.0, 2.0));
    const bm::students_t ref(10.0);
    check_ks(x, [&](double v) { return bm::cdf(ref, (v - 1.0) / 2.0); });
  }
  {
    philox g(13, 0);
    auto x = sample([&] { return dist::logistic::rng(g, 1.0, 0.7); });
    check_moments(x, boost_moments(bm::logistic(1.0, 0.7)));
  }
  {
    philox g(14, 0);
    auto x = sample([&] { return dist::laplace::rng(g, -1.0, 2.0); });
    check_moments(x, boost_moments(bm::laplace(-1.0, 2.0)));
  }
  {
    philox g(15, 0);
    auto x = sample([&] { return dist::uniform::rng(g, -1.0, 3.0); });
    check_moments(x, boost_moments(bm::uniform(-1.0, 3.0)));
    CHECK(std::all_of(x.begin(), x.end(), [](double v) { return v >= -1.0 && v <= 3.0; }));
  }
}

TEST_CASE("rng: cauchy families pass Kolmogorov-Smirnov", "[distributions]") {
  {
    philox g(21, 0);
    auto x = sample([&] { return dist::cauchy::rng(g, -2.0, 0.5); });
    const bm::cauchy ref(-2.0, 0.5);
    check_ks(x, [&](double v) { return bm::cdf(ref, v); });
  }
  {
    philox g(22, 0);
    auto x = sample([&] { return dist::half_cauchy::rng(g, 3.0); });
    CHECK(std::all_of(x.begin(), x.end(), [](double v) { return v >= 0.0; }));
    const bm::cauchy ref(0.0, 3.0);
    check_ks(x, [&](double v) { return 2 * bm::cdf(ref, v) - 1; });
  }
}

TEST_CASE("rng: half families match their moments", "[distributions]") {
  {
    // E|Z|^k = 2^(k/2) Gamma((k+1)/2) / sqrt(pi)
    const double s = 2.0;
    auto raw = [&](int k) {
      return std::pow(s, k) * std::pow(2.0, k / 2.0) * std::tgamma((k + 1) / 2.0) / std::sqrt(pi_d);
    };
    philox g(31, 0);
    auto x = sample([&] { return dist::half_normal::rng(g, s); });
    CHECK(std::all_of(x.begin(), x.end(), [](double v) { return v >= 0.0; }));
    check_moments(x, from_raw(raw(1), raw(2), raw(3), raw(4)));
  }
  {
    // E|T|^k = nu^(k/2) Gamma((k+1)/2) Gamma((nu-k)/2) / (sqrt(pi) Gamma(nu/2)), k < nu
    const double nu = 10.0, s = 1.5;
    auto raw = [&](int k) {
      return std::pow(s, k) * std::pow(nu, k / 2.0) * std::tgamma((k + 1) / 2.0) *
             std::tgamma((nu - k) / 2.0) / (std::sqrt(pi_d) * std::tgamma(nu / 2.0));
    };
    philox g(32, 0);
    auto x = sample([&] { return dist::half_student_t::rng(g, nu, s); });
    CHECK(std::all_of(x.begin(), x.end(), [](double v) { return v >= 0.0; }));
    check_moments(x, from_raw(raw(1), raw(2), raw(3), raw(4)));
  }
}

TEST_CASE("rng: positive and unit-interval families match their moments", "[distributions]") {
  {
    philox g(41, 0);
    check_moments(sample([&] { return dist::exponential::rng(g, 2.5); }),
                  boost_moments(bm::exponential(2.5)));
  }
  {
    philox g(42, 0);
    auto x = sample([&] { return dist::gamma::rng(g, 2.5, 1.5); });
    const bm::gamma_distribution<> ref(2.5, 1 / 1.5); // Boost: shape, scale
    check_moments(x, boost_moments(ref));
    check_ks(x, [&](double v) { return bm::cdf(ref, v); });
  }
  {
    philox g(43, 0);
    auto x = sample([&] { return dist::gamma::rng(g, 0.3, 2.0); }); // shape < 1 branch
    check_moments(x, boost_moments(bm::gamma_distribution<>(0.3, 0.5)));
  }
  {
    philox g(44, 0);
    check_moments(sample([&] { return dist::inv_gamma::rng(g, 6.0, 2.0); }),
                  boost_moments(bm::inverse_gamma(6.0, 2.0)));
  }
  {
    philox g(45, 0);
    check_moments(sample([&] { return dist::lognormal::rng(g, 0.2, 0.5); }),
                  boost_moments(bm::lognormal(0.2, 0.5)));
  }
  {
    philox g(46, 0);
    auto x = sample([&] { return dist::beta::rng(g, 2.0, 3.5); });
    const bm::beta_distribution<> ref(2.0, 3.5);
    check_moments(x, boost_moments(ref));
    check_ks(x, [&](double v) { return bm::cdf(ref, v); });
  }
  {
    philox g(47, 0);
    check_moments(sample([&] { return dist::weibull::rng(g, 1.7, 2.0); }),
                  boost_moments(bm::weibull(1.7, 2.0)));
  }
}

TEST_CASE("rng: discrete families match their moments", "[distributions]") {
  {
    philox g(51, 0);
    check_moments(sample([&] { return dist::bernoulli::rng(g, 0.3); }),
                  boost_moments(bm::bernoulli(0.3)));
  }
  {
    philox g(52, 0);
    check_moments(sample([&] { return dist::bernoulli_logit::rng(g, -0.4); }),
                  boost_moments(bm::bernoulli(inv_logit(-0.4))));
  }
  {
    philox g(53, 0);
    auto x = sample([&] { return dist::binomial::rng(g, 30, 0.35); });
    const bm::binomial ref(30, 0.35);
    check_moments(x, boost_moments(ref));
    check_chi_square(x, [&](int k) { return k > 30 ? 0.0 : bm::pdf(ref, k); });
  }
  {
    philox g(54, 0);
    check_moments(sample([&] { return dist::binomial::rng(g, 1000, 0.3); }),
                  boost_moments(bm::binomial(1000, 0.3)));
  }
  {
    philox g(55, 0);
    check_moments(sample([&] { return dist::binomial_logit::rng(g, 30, 1.2); }),
                  boost_moments(bm::binomial(30, inv_logit(1.2))));
  }
  {
    philox g(56, 0);
    auto x = sample([&] { return dist::poisson::rng(g, 4.5); });
    const bm::poisson ref(4.5);
    check_moments(x, boost_moments(ref));
    check_chi_square(x, [&](int k) { return bm::pdf(ref, k); });
  }
  {
    philox g(57, 0);
    check_moments(sample([&] { return dist::poisson::rng(g, 150.0); }),
                  boost_moments(bm::poisson(150.0)));
  }
  {
    philox g(58, 0);
    check_moments(sample([&] { return dist::poisson_log::rng(g, std::log(12.0)); }),
                  boost_moments(bm::poisson(12.0)));
  }
  {
    // NB2(mu, phi) = Boost's negative_binomial(r = phi, p = phi / (mu + phi)).
    philox g(59, 0);
    auto x = sample([&] { return dist::neg_binomial_2::rng(g, 5.0, 2.0); });
    const bm::negative_binomial ref(2.0, 2.0 / 7.0);
    check_moments(x, boost_moments(ref));
    check_chi_square(x, [&](int k) { return bm::pdf(ref, k); });
  }
}

TEST_CASE("rng: categorical_logit matches its probabilities", "[distributions]") {
  const double beta[4] = {0.5, -1.0, 2.0, 0.0};
  double p[4], sum = 0;
  for (int k = 0; k < 4; ++k)
    sum += p[k] = std::exp(beta[k]);
  double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  for (int k = 0; k < 4; ++k) {
    p[k] /= sum;
    m1 += k * p[k];
    m2 += k * k * p[k];
    m3 += k * k * k * p[k];
    m4 += k * k * k * k * p[k];
  }
  philox g(61, 0);
  auto x = sample([&] { return dist::categorical_logit::rng(g, beta, 4); });
  CHECK(std::all_of(x.begin(), x.end(), [](double v) { return v >= 0 && v <= 3; }));
  check_moments(x, from_raw(m1, m2, m3, m4));
  check_chi_square(x, [&](int k) { return k < 4 ? p[k] : 0.0; });
}

TEST_CASE("rng: the same seed gives the same draws", "[distributions]") {
  philox a(7, 3), b(7, 3), c(8, 3);
  bool all_equal = true, any_differs = false;
  for (int i = 0; i < 100; ++i) {
    const double xa = dist::gamma::rng(a, 2.0, 1.0);
    all_equal = all_equal && xa == dist::gamma::rng(b, 2.0, 1.0);
    any_differs = any_differs || xa != dist::gamma::rng(c, 2.0, 1.0);
  }
  CHECK(all_equal);
  CHECK(any_differs);
}
