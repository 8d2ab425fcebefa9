// Log probability mass functions of the discrete families against Boost.Math
// distribution objects evaluated in long double (closed forms in long double
// where Boost has no such family), at ordinary points, far tails and the ends
// of the parameter ranges; invalid arguments; the Propto flag.

#include <boost/math/distributions/bernoulli.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/poisson.hpp>

#include "distribution_test_support.hpp"

namespace {

using namespace statix_test;
namespace bm = boost::math;

constexpr double tol = 1e-12;

ld ref_bernoulli(const args_t<dist::bernoulli>& a) {
  return std::log(bm::pdf(bm::bernoulli_distribution<ld>(a[1]), ld(a[0])));
}
// Closed form in long double: log inv_logit(+-alpha) = -log1p(exp(-+alpha));
// exp(800) = 2.7e347 is still inside a long double's range.
ld ref_bernoulli_logit(const args_t<dist::bernoulli_logit>& a) {
  const ld alpha = a[1];
  return a[0] == 1 ? -std::log1p(std::exp(-alpha)) : -std::log1p(std::exp(alpha));
}
ld ref_binomial(const args_t<dist::binomial>& a) {
  return std::log(bm::pdf(bm::binomial_distribution<ld>(a[1], a[2]), ld(a[0])));
}
// Boost's binomial with p = inv_logit(alpha) computed in long double. Boost
// forms 1 - p itself, which for |alpha| > 10 keeps too few digits of the small
// probability even in long double; there the closed form in long double,
// lchoose(n, y) - y log1p(exp(-alpha)) - (n - y) log1p(exp(alpha)), is used.
ld ref_binomial_logit(const args_t<dist::binomial_logit>& a) {
  const ld alpha = a[2];
  if (std::fabs(alpha) <= 10) {
    const ld p = 1 / (1 + std::exp(-alpha));
    return std::log(bm::pdf(bm::binomial_distribution<ld>(a[1], p), ld(a[0])));
  }
  const int y = int(a[0]), n = int(a[1]);
  return lchoose_ld(n, y) - y * std::log1p(std::exp(-alpha)) -
         (n - y) * std::log1p(std::exp(alpha));
}
ld ref_poisson(const args_t<dist::poisson>& a) {
  return bm::logpdf(bm::poisson_distribution<ld>(a[1]), ld(a[0]));
}
ld ref_poisson_log(const args_t<dist::poisson_log>& a) {
  return bm::logpdf(bm::poisson_distribution<ld>(std::exp(ld(a[1]))), ld(a[0]));
}
// NB2(mu, phi) is Boost's negative_binomial(r = phi, p = phi / (mu + phi)).
// For phi > 1e6 Boost forms 1 - p = mu / (mu + phi) from p itself, losing
// digits even in long double (8e-13 at phi = 1e8); there the closed form in
// long double is used,
//   sum_{j<y} log((phi + j) / (mu + phi)) + y log mu - lgamma(y + 1) - phi log1p(mu / phi).
ld ref_neg_binomial_2(const args_t<dist::neg_binomial_2>& a) {
  const ld mu = a[1], phi = a[2];
  const int y = int(a[0]);
  if (phi <= 1e6)
    return std::log(bm::pdf(bm::negative_binomial_distribution<ld>(phi, phi / (mu + phi)), ld(y)));
  ld sum = 0;
  for (int j = 0; j < y; ++j)
    sum += std::log((phi + j) / (mu + phi));
  return sum + y * std::log(mu) - std::lgamma(ld(y) + 1) - phi * std::log1p(mu / phi);
}

template <class D, class Ref>
void check_against(const std::vector<args_t<D>>& points, Ref ref, double rel = tol) {
  for (const auto& a : points) {
    INFO(show<D>(a));
    STATIX_CHECK_CLOSE(lpdf<D>(a), ref(a), rel);
    std::array<double, num_args<D>> d{};
    STATIX_CHECK_CLOSE((lpdf<D, false, real_args<D>, true>(a, d.data())), ref(a), rel);
  }
}

template <class D>
std::vector<args_t<D>> value_points(unsigned long long seed, bool with_tails = true) {
  point_source s(seed);
  std::vector<args_t<D>> points;
  for (int i = 0; i < 60; ++i)
    points.push_back(spec<D>::random_point(s));
  if (with_tails)
    for (const auto& t : spec<D>::tail_points())
      points.push_back(t);
  return points;
}

} // namespace

TEST_CASE("bernoulli log pmf matches Boost", "[distributions]") {
  check_against<dist::bernoulli>(value_points<dist::bernoulli>(21), ref_bernoulli);
  // theta at 0 and 1: the certain outcome has log probability 0.
  check_against<dist::bernoulli>({{0, 0.0}, {1, 1.0}, {1, 0.5}}, ref_bernoulli);
  CHECK(lpdf<dist::bernoulli>(args_t<dist::bernoulli>{1, 0.0}) == -inf);
  CHECK(lpdf<dist::bernoulli>(args_t<dist::bernoulli>{0, 1.0}) == -inf);
}

TEST_CASE("bernoulli_logit log pmf matches the long double closed form", "[distributions]") {
  check_against<dist::bernoulli_logit>(value_points<dist::bernoulli_logit>(22),
                                       ref_bernoulli_logit);
  // +-800: log1p(exp(800)) overflows a double, not a long double.
  check_against<dist::bernoulli_logit>(
      {{1, -800.0}, {0, 800.0}, {1, 800.0}, {0, -800.0}, {1, 0.0}, {0, 36.0}, {1, -37.5}},
      ref_bernoulli_logit);
  // Infinite log odds: the limits.
  CHECK(lpdf<dist::bernoulli_logit>(args_t<dist::bernoulli_logit>{1, inf}) == 0.0);
  CHECK(lpdf<dist::bernoulli_logit>(args_t<dist::bernoulli_logit>{0, -inf}) == 0.0);
  CHECK(lpdf<dist::bernoulli_logit>(args_t<dist::bernoulli_logit>{0, inf}) == -inf);
}

TEST_CASE("binomial log pmf matches Boost", "[distributions]") {
  check_against<dist::binomial>(value_points<dist::binomial>(23), ref_binomial);
  check_against<dist::binomial>({{0, 0, 0.3},
                                 {0, 10, 0.0},
                                 {10, 10, 1.0},
                                 {5000, 10000, 0.5},
                                 {1, 100000, 1e-5},
                                 {99990, 100000, 0.9999}},
                                ref_binomial);
  CHECK(lpdf<dist::binomial>(args_t<dist::binomial>{1, 10, 0.0}) == -inf);
  CHECK(lpdf<dist::binomial>(args_t<dist::binomial>{9, 10, 1.0}) == -inf);
}

TEST_CASE("binomial_logit log pmf matches Boost with inv_logit in long double", "[distributions]") {
  check_against<dist::binomial_logit>(value_points<dist::binomial_logit>(24), ref_binomial_logit);
  check_against<dist::binomial_logit>({{0, 0, 0.3},
                                       {10, 10, 800.0},
                                       {0, 10, -800.0},
                                       {3, 10, -800.0},
                                       {5000, 10000, 0.0},
                                       {2, 1000, -6.0}},
                                      ref_binomial_logit);
}

TEST_CASE("poisson log pmf matches Boost", "[distributions]") {
  check_against<dist::poisson>(value_points<dist::poisson>(25), ref_poisson);
  // lambda 1e4 at k = 0 (log p = -1e4 exactly), large counts near and far from the mean.
  check_against<dist::poisson>(
      {{0, 1e4}, {1000000, 1e6}, {1000, 1000.5}, {300, 1e-3}, {12, 1e5}, {10, 10.0}}, ref_poisson);
  // lambda = 0: all mass at 0.
  CHECK(lpdf<dist::poisson>(args_t<dist::poisson>{0, 0.0}) == 0.0);
  CHECK(lpdf<dist::poisson>(args_t<dist::poisson>{1, 0.0}) == -inf);
}

TEST_CASE("poisson_log log pmf matches Boost with exp(alpha) in long double", "[distributions]") {
  check_against<dist::poisson_log>(value_points<dist::poisson_log>(26, false), ref_poisson_log);
  check_against<dist::poisson_log>({{0, 9.2}, {1000000, 13.8}, {300, -7.0}, {0, -700.0}},
                                   ref_poisson_log);
  // exp(700) = 1e304 is a double; the log pmf is y alpha - exp(alpha) - lgamma(y + 1).
  {
    const args_t<dist::poisson_log> a{5, 700.0};
    STATIX_CHECK_CLOSE(lpdf<dist::poisson_log>(a),
                       5 * 700.0L - std::exp(700.0L) - std::lgamma(6.0L), tol);
  }
  // exp(alpha) overflows: the value is below -DBL_MAX, so -inf; alpha = -inf: mass at 0.
  CHECK(lpdf<dist::poisson_log>(args_t<dist::poisson_log>{5, 800.0}) == -inf);
  CHECK(lpdf<dist::poisson_log>(args_t<dist::poisson_log>{0, -inf}) == 0.0);
  CHECK(lpdf<dist::poisson_log>(args_t<dist::poisson_log>{2, -inf}) == -inf);
}

TEST_CASE("neg_binomial_2 log pmf matches Boost", "[distributions]") {
  check_against<dist::neg_binomial_2>(value_points<dist::neg_binomial_2>(27), ref_neg_binomial_2);
  check_against<dist::neg_binomial_2>({{0, 1e4, 0.5},
                                       {1000, 3.0, 2.0},
                                       {100000, 1e5, 30.0},
                                       {20000, 200.0, 0.01},
                                       {7, 5.0, 1e4},
                                       {7, 5.0, 1e8},
                                       {300, 250.0, 1e9}},
                                      ref_neg_binomial_2);
}

TEST_CASE("neg_binomial_2 tends to the poisson for large phi", "[distributions]") {
  // log NB(y | mu, phi) = log Poisson(y | mu) + ((y - mu)^2 - y) / (2 phi) + O(phi^-2):
  // exact to 1e-22 here, where lgamma(phi) = 2.6e13 would ruin a naive evaluation.
  for (int y : {0, 1, 3, 7, 20}) {
    for (double mu : {0.5, 5.0, 12.0}) {
      const double phi = 1e12;
      const ld poisson = bm::logpdf(bm::poisson_distribution<ld>(mu), ld(y));
      const ld want = poisson + ((y - ld(mu)) * (y - ld(mu)) - y) / (2 * ld(phi));
      INFO("y " << y << ", mu " << mu);
      STATIX_CHECK_CLOSE(
          lpdf<dist::neg_binomial_2>(args_t<dist::neg_binomial_2>{double(y), mu, phi}), want, tol);
    }
  }
}

TEST_CASE("categorical_logit log pmf matches the long double closed form", "[distributions]") {
  point_source s(28);
  for (int trial = 0; trial < 100; ++trial) {
    const int K = s.integer(1, 12);
    std::vector<double> beta(K);
    for (auto& b : beta)
      b = s.uniform(-40, 40);
    if (trial % 10 == 0) beta[0] = 800.0; // one dominant category
    const int y = s.integer(0, K - 1);
    ld sum = 0;
    for (double b : beta)
      sum += std::exp(ld(b));
    const ld want = ld(beta[y]) - std::log(sum);
    INFO("K " << K << ", y " << y);
    STATIX_CHECK_CLOSE(
        (dist::categorical_logit::lpdf<false, 2u, false>(y, beta.data(), K, (double*)nullptr)),
        want, tol);
    std::vector<double> d(K);
    STATIX_CHECK_CLOSE(
        (dist::categorical_logit::lpdf<false, 2u, true>(y, beta.data(), K, d.data())), want, tol);
  }
  // beta_y far below the rest: log p = beta_y - beta_max - log1p(...), no underflow.
  const double beta[3] = {-800.0, 800.0, 0.0};
  STATIX_CHECK_CLOSE(
      (dist::categorical_logit::lpdf<false, 2u, false>(0, beta, 3, (double*)nullptr)),
      -1600.0L - std::log1p(std::exp(-800.0L) + std::exp(-1600.0L)), tol);
}

// ------------------------------------------------------------ invalid inputs

TEST_CASE("discrete families: invalid parameters and y outside the support give -inf",
          "[distributions]") {
  using be = args_t<dist::bernoulli>;
  for (const be& a : {be{2, 0.5}, be{-1, 0.5}, be{1, 1.5}, be{1, -0.1}, be{1, qnan}})
    check_rejected<dist::bernoulli>(a);
  using bl = args_t<dist::bernoulli_logit>;
  for (const bl& a : {bl{2, 0.5}, bl{-1, 0.5}, bl{1, qnan}})
    check_rejected<dist::bernoulli_logit>(a);
  using bi = args_t<dist::binomial>;
  for (const bi& a : {bi{11, 10, 0.5}, bi{-1, 10, 0.5}, bi{0, -1, 0.5}, bi{3, 10, 1.5},
                      bi{3, 10, -0.5}, bi{3, 10, qnan}})
    check_rejected<dist::binomial>(a);
  using bil = args_t<dist::binomial_logit>;
  for (const bil& a : {bil{11, 10, 0.5}, bil{-1, 10, 0.5}, bil{0, -1, 0.5}, bil{3, 10, qnan}})
    check_rejected<dist::binomial_logit>(a);
  using po = args_t<dist::poisson>;
  for (const po& a : {po{-1, 1.0}, po{1, -1.0}, po{1, qnan}, po{1, inf}})
    check_rejected<dist::poisson>(a);
  using pl = args_t<dist::poisson_log>;
  for (const pl& a : {pl{-1, 1.0}, pl{1, qnan}, pl{1, inf}})
    check_rejected<dist::poisson_log>(a);
  using nb = args_t<dist::neg_binomial_2>;
  for (const nb& a : {nb{-1, 1.0, 1.0}, nb{1, 0.0, 1.0}, nb{1, 1.0, 0.0}, nb{1, -1.0, 1.0},
                      nb{1, 1.0, -2.0}, nb{1, qnan, 1.0}, nb{1, 1.0, qnan}, nb{1, 1.0, inf}})
    check_rejected<dist::neg_binomial_2>(a);

  // categorical_logit: y outside {0, ..., K-1}, non-finite beta, K < 1.
  const double beta[3] = {0.1, -0.2, 0.3};
  const double bad_beta[3] = {0.1, qnan, 0.3};
  const double inf_beta[3] = {0.1, inf, 0.3};
  for (int y : {-1, 3}) {
    double d[3] = {qnan, qnan, qnan};
    CHECK((dist::categorical_logit::lpdf<false, 2u, true>(y, beta, 3, d)) == -inf);
    for (double v : d)
      CHECK(v == 0.0);
  }
  for (const double* b : {bad_beta, inf_beta}) {
    double d[3] = {qnan, qnan, qnan};
    CHECK((dist::categorical_logit::lpdf<false, 2u, true>(0, b, 3, d)) == -inf);
    for (double v : d)
      CHECK(v == 0.0);
  }
  CHECK((dist::categorical_logit::lpdf<false, 2u, false>(0, beta, 0, (double*)nullptr)) == -inf);
}

// ------------------------------------------------------------------- Propto

TEST_CASE("discrete families: Propto drops only terms constant in the varying arguments",
          "[distributions]") {
  unsigned long long seed = 200;
  for_each_family(discrete_families{}, [&](auto* family) {
    using D = std::remove_pointer_t<decltype(family)>;
    INFO(D::family_name);
    check_propto<D>(++seed);
  });
  // categorical_logit has no constant term: Propto changes nothing while beta varies.
  const double beta[4] = {0.3, -1.0, 2.0, 0.0};
  CHECK((dist::categorical_logit::lpdf<true, 2u, false>(1, beta, 4, (double*)nullptr)) ==
        (dist::categorical_logit::lpdf<false, 2u, false>(1, beta, 4, (double*)nullptr)));
  CHECK((dist::categorical_logit::lpdf<true, 0u, false>(1, beta, 4, (double*)nullptr)) == 0.0);
}

TEST_CASE("discrete families: metadata", "[distributions]") {
  STATIC_REQUIRE(dist::binomial::support == dist::support_kind::int_upto_param0);
  STATIC_REQUIRE(dist::binomial::param_domains[0] == dist::param_domain::nonnegative_int);
  STATIC_REQUIRE(dist::bernoulli::param_domains[0] == dist::param_domain::unit_interval_closed);
  STATIC_REQUIRE(dist::poisson::param_domains[0] == dist::param_domain::nonnegative);
  STATIC_REQUIRE(dist::categorical_logit::support == dist::support_kind::category);
  STATIC_REQUIRE(dist::categorical_logit::param_domains[0] == dist::param_domain::vector);
  for_each_family(discrete_families{}, [](auto* family) {
    using D = std::remove_pointer_t<decltype(family)>;
    CHECK(D::is_discrete);
    CHECK(D::param_names.size() == std::size_t(D::num_params));
  });
  CHECK(dist::categorical_logit::is_discrete);
}
