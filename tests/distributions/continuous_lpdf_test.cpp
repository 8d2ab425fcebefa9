// Log densities of the continuous families against Boost.Math distribution
// objects evaluated in long double (or closed forms in long double where Boost
// has no such family or loses the tail), at ordinary points, far tails and the
// boundaries of the support; invalid arguments; the Propto flag.

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/cauchy.hpp>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/inverse_gamma.hpp>
#include <boost/math/distributions/laplace.hpp>
#include <boost/math/distributions/logistic.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/distributions/weibull.hpp>

#include "distribution_test_support.hpp"

namespace {

using namespace statix_test;
namespace bm = boost::math;

constexpr ld pi_ld = 3.14159265358979323846264338327950288L;
constexpr double tol = 1e-12;

// --------------------------------------------------------------- references

ld ref_normal(const args_t<dist::normal>& a) {
  return bm::logpdf(bm::normal_distribution<ld>(a[1], a[2]), ld(a[0]));
}
ld student_t_ld(ld y, ld nu, ld mu, ld sigma) {
  return std::log(bm::pdf(bm::students_t_distribution<ld>(nu), (y - mu) / sigma)) - std::log(sigma);
}
ld ref_student_t(const args_t<dist::student_t>& a) {
  return student_t_ld(a[0], a[1], a[2], a[3]);
}
ld ref_cauchy(const args_t<dist::cauchy>& a) {
  return std::log(bm::pdf(bm::cauchy_distribution<ld>(a[1], a[2]), ld(a[0])));
}
// half_*: twice the symmetric density at y >= 0.
ld ref_half_normal(const args_t<dist::half_normal>& a) {
  return std::log(2.0L) + bm::logpdf(bm::normal_distribution<ld>(0, a[1]), ld(a[0]));
}
ld ref_half_cauchy(const args_t<dist::half_cauchy>& a) {
  return std::log(2.0L) + std::log(bm::pdf(bm::cauchy_distribution<ld>(0, a[1]), ld(a[0])));
}
ld ref_half_student_t(const args_t<dist::half_student_t>& a) {
  return std::log(2.0L) + student_t_ld(a[0], a[1], 0, a[2]);
}
ld ref_exponential(const args_t<dist::exponential>& a) {
  return bm::logpdf(bm::exponential_distribution<ld>(a[1]), ld(a[0]));
}
ld ref_gamma(const args_t<dist::gamma>& a) { // Boost takes the scale 1 / beta
  return bm::logpdf(bm::gamma_distribution<ld>(a[1], 1 / ld(a[2])), ld(a[0]));
}
ld ref_inv_gamma(const args_t<dist::inv_gamma>& a) {
  return bm::logpdf(bm::inverse_gamma_distribution<ld>(a[1], a[2]), ld(a[0]));
}
ld ref_lognormal(const args_t<dist::lognormal>& a) {
  return std::log(bm::pdf(bm::lognormal_distribution<ld>(a[1], a[2]), ld(a[0])));
}
// The lognormal closed form: Boost's pdf underflows even a long double once
// (log y - mu)^2 / (2 sigma^2) passes ~11000.
ld closed_lognormal(ld y, ld mu, ld sigma) {
  const ld z = (std::log(y) - mu) / sigma;
  return -0.5L * std::log(2 * pi_ld) - std::log(sigma) - std::log(y) - z * z / 2;
}
ld ref_beta(const args_t<dist::beta>& a) {
  return std::log(bm::pdf(bm::beta_distribution<ld>(a[1], a[2]), ld(a[0])));
}
ld ref_uniform(const args_t<dist::uniform>& a) {
  return std::log(bm::pdf(bm::uniform_distribution<ld>(a[1], a[2]), ld(a[0])));
}
ld ref_logistic(const args_t<dist::logistic>& a) {
  return std::log(bm::pdf(bm::logistic_distribution<ld>(a[1], a[2]), ld(a[0])));
}
// log(pdf), not Boost 1.81's logpdf for the laplace distribution, which swaps
// its location and scale.
ld ref_laplace(const args_t<dist::laplace>& a) {
  return std::log(bm::pdf(bm::laplace_distribution<ld>(a[1], a[2]), ld(a[0])));
}
ld ref_weibull(const args_t<dist::weibull>& a) {
  return bm::logpdf(bm::weibull_distribution<ld>(a[1], a[2]), ld(a[0]));
}

template <class D, class Ref>
void check_against(const std::vector<args_t<D>>& points, Ref ref, double rel = tol) {
  for (const auto& a : points) {
    INFO(show<D>(a));
    STATIX_CHECK_CLOSE(lpdf<D>(a), ref(a), rel);
    // The value does not depend on which arguments vary or on Grad.
    std::array<double, num_args<D>> d{};
    STATIX_CHECK_CLOSE((lpdf<D, false, real_args<D>, true>(a, d.data())), ref(a), rel);
  }
}

// Ordinary points drawn by the family's generator plus its tail points.
template <class D>
std::vector<args_t<D>> value_points(unsigned long long seed, bool with_tails = true) {
  point_source s(seed);
  std::vector<args_t<D>> points;
  for (int i = 0; i < 50; ++i)
    points.push_back(spec<D>::random_point(s));
  if (with_tails)
    for (const auto& t : spec<D>::tail_points())
      points.push_back(t);
  return points;
}

} // namespace

TEST_CASE("normal log density matches Boost", "[distributions]") {
  check_against<dist::normal>(value_points<dist::normal>(1), ref_normal);
  // 40 sigmas and beyond: Boost's logpdf is the closed form, no underflow.
  check_against<dist::normal>({{40.0, 0.0, 1.0}, {-4e3, 0.0, 10.0}, {1e150, 0.0, 1e140}},
                              ref_normal);
}

TEST_CASE("student_t log density matches Boost", "[distributions]") {
  check_against<dist::student_t>(value_points<dist::student_t>(2), ref_student_t);
  check_against<dist::student_t>(
      {{1e6, 3.0, 0.0, 1.0}, {-1e6, 1.0, 5.0, 2.0}, {1e6, 50.0, 0.0, 1.0}, {0.3, 1e7, 0.0, 1.0}},
      ref_student_t);
}

TEST_CASE("cauchy log density matches Boost", "[distributions]") {
  check_against<dist::cauchy>(value_points<dist::cauchy>(3), ref_cauchy);
  check_against<dist::cauchy>({{1e8, 0.0, 1.0}, {-1e12, 3.0, 1e-3}}, ref_cauchy);
}

TEST_CASE("half_normal log density is log 2 plus Boost's normal", "[distributions]") {
  check_against<dist::half_normal>(value_points<dist::half_normal>(4), ref_half_normal);
  // y = 0 is in the support and finite: log 2 - log(2 pi)/2 - log sigma.
  check_against<dist::half_normal>({{0.0, 1.0}, {0.0, 3.5}, {40.0, 1.0}}, ref_half_normal);
}

TEST_CASE("half_cauchy log density is log 2 plus Boost's cauchy", "[distributions]") {
  check_against<dist::half_cauchy>(value_points<dist::half_cauchy>(5), ref_half_cauchy);
  check_against<dist::half_cauchy>({{0.0, 1.0}, {0.0, 0.01}, {1e10, 2.0}}, ref_half_cauchy);
}

TEST_CASE("half_student_t log density is log 2 plus Boost's student t", "[distributions]") {
  check_against<dist::half_student_t>(value_points<dist::half_student_t>(6), ref_half_student_t);
  check_against<dist::half_student_t>({{0.0, 3.0, 1.0}, {1e6, 3.0, 1.0}}, ref_half_student_t);
}

TEST_CASE("exponential log density matches Boost", "[distributions]") {
  check_against<dist::exponential>(value_points<dist::exponential>(7), ref_exponential);
  // exponential(0 | lambda) = log lambda
  for (double lambda : {0.01, 1.0, 250.0}) {
    const args_t<dist::exponential> a{0.0, lambda};
    STATIX_CHECK_CLOSE(lpdf<dist::exponential>(a), std::log(ld(lambda)), tol);
  }
}

TEST_CASE("gamma log density matches Boost", "[distributions]") {
  check_against<dist::gamma>(value_points<dist::gamma>(8), ref_gamma);
  check_against<dist::gamma>({{1e4, 2.0, 1.0}, {1e-200, 0.5, 3.0}, {1e-200, 30.0, 3.0}}, ref_gamma);
  // y = 0: the limit of the density, log beta for alpha = 1.
  STATIX_CHECK_CLOSE((lpdf<dist::gamma>(args_t<dist::gamma>{0.0, 1.0, 2.5})), std::log(2.5L), tol);
  CHECK(lpdf<dist::gamma>(args_t<dist::gamma>{0.0, 0.5, 2.5}) == inf);
  CHECK(lpdf<dist::gamma>(args_t<dist::gamma>{0.0, 1.5, 2.5}) == -inf);
}

TEST_CASE("inv_gamma log density matches Boost", "[distributions]") {
  check_against<dist::inv_gamma>(value_points<dist::inv_gamma>(9), ref_inv_gamma);
  check_against<dist::inv_gamma>({{1e-3, 2.0, 1.0}, {1e8, 0.5, 2.0}}, ref_inv_gamma);
  CHECK(lpdf<dist::inv_gamma>(args_t<dist::inv_gamma>{0.0, 2.0, 1.0}) == -inf);
}

TEST_CASE("lognormal log density matches Boost", "[distributions]") {
  check_against<dist::lognormal>(value_points<dist::lognormal>(10, false), ref_lognormal);
  check_against<dist::lognormal>({{1e-30, 0.0, 1.0}, {1e30, 1.0, 2.0}}, ref_lognormal);
  // Far tails beyond Boost's long double pdf: closed form in long double.
  for (args_t<dist::lognormal> a :
       {args_t<dist::lognormal>{1e-300, 0.0, 1.0}, args_t<dist::lognormal>{1e300, 2.0, 0.5}}) {
    INFO(show<dist::lognormal>(a));
    STATIX_CHECK_CLOSE(lpdf<dist::lognormal>(a), closed_lognormal(a[0], a[1], a[2]), tol);
  }
  CHECK(lpdf<dist::lognormal>(args_t<dist::lognormal>{0.0, 0.0, 1.0}) == -inf);
}

TEST_CASE("beta log density matches Boost", "[distributions]") {
  check_against<dist::beta>(value_points<dist::beta>(11), ref_beta);
  check_against<dist::beta>({{1e-200, 0.5, 2.0},
                             {1 - 1e-12, 3.0, 0.7},
                             {0.5, 1e3, 2e3},
                             {0.3, 1e5, 2e5},
                             {1e-3, 1e-3, 1e-3}},
                            ref_beta);
  // Ends of the support: the limit. With a = 1 the density at 0 is b.
  STATIX_CHECK_CLOSE((lpdf<dist::beta>(args_t<dist::beta>{0.0, 1.0, 3.0})), std::log(3.0L), tol);
  STATIX_CHECK_CLOSE((lpdf<dist::beta>(args_t<dist::beta>{1.0, 2.0, 1.0})), std::log(2.0L), tol);
  CHECK(lpdf<dist::beta>(args_t<dist::beta>{0.0, 0.5, 3.0}) == inf);
  CHECK(lpdf<dist::beta>(args_t<dist::beta>{1.0, 2.0, 0.5}) == inf);
  CHECK(lpdf<dist::beta>(args_t<dist::beta>{0.0, 2.0, 3.0}) == -inf);
  CHECK(lpdf<dist::beta>(args_t<dist::beta>{1.0, 2.0, 3.0}) == -inf);
  STATIX_CHECK_CLOSE((lpdf<dist::beta>(args_t<dist::beta>{0.0, 1.0, 1.0})), 0.0L, tol);
}

TEST_CASE("uniform log density matches Boost", "[distributions]") {
  check_against<dist::uniform>(value_points<dist::uniform>(12), ref_uniform);
  // Both ends belong to the support.
  check_against<dist::uniform>({{-1.0, -1.0, 2.0}, {2.0, -1.0, 2.0}, {1e-12, -1e-12, 2e-12}},
                               ref_uniform);
  CHECK(lpdf<dist::uniform>(args_t<dist::uniform>{2.0000001, -1.0, 2.0}) == -inf);
  CHECK(lpdf<dist::uniform>(args_t<dist::uniform>{-1.5, -1.0, 2.0}) == -inf);
}

TEST_CASE("logistic log density matches Boost", "[distributions]") {
  check_against<dist::logistic>(value_points<dist::logistic>(13), ref_logistic);
  // exp(-800) underflows a double but not a long double.
  check_against<dist::logistic>({{800.0, 0.0, 1.0}, {-800.0, 0.0, 1.0}, {0.0, 0.0, 1.0}},
                                ref_logistic);
}

TEST_CASE("laplace log density matches Boost", "[distributions]") {
  check_against<dist::laplace>(value_points<dist::laplace>(14), ref_laplace);
  check_against<dist::laplace>({{800.0, 0.0, 1.0}, {-1e3, 3.0, 0.5}, {3.0, 3.0, 0.5}}, ref_laplace);
  // Beyond a long double's range: the closed form -log(2 sigma) - |y - mu| / sigma.
  STATIX_CHECK_CLOSE((lpdf<dist::laplace>(args_t<dist::laplace>{-1e6, 3.0, 0.5})),
                     -std::log(1.0L) - (1e6L + 3) / 0.5L, tol);
}

TEST_CASE("weibull log density matches Boost", "[distributions]") {
  check_against<dist::weibull>(value_points<dist::weibull>(15), ref_weibull);
  check_against<dist::weibull>({{1e-100, 0.5, 1.0}, {1e-100, 3.0, 1.0}, {50.0, 2.0, 1.0}},
                               ref_weibull);
  // y = 0: the limit, -log sigma for alpha = 1 (the exponential).
  STATIX_CHECK_CLOSE((lpdf<dist::weibull>(args_t<dist::weibull>{0.0, 1.0, 4.0})), -std::log(4.0L),
                     tol);
  CHECK(lpdf<dist::weibull>(args_t<dist::weibull>{0.0, 0.5, 4.0}) == inf);
  CHECK(lpdf<dist::weibull>(args_t<dist::weibull>{0.0, 2.0, 4.0}) == -inf);
}

// ------------------------------------------------------------ invalid inputs

TEST_CASE("continuous families: invalid parameters and y outside the support give -inf",
          "[distributions]") {
  using n = args_t<dist::normal>;
  for (const n& a : {n{0, 0, -1}, n{0, 0, 0}, n{0, qnan, 1}, n{qnan, 0, 1}, n{0, 0, qnan},
                     n{0, inf, 1}, n{0, 0, inf}, n{inf, 0, 1}})
    check_rejected<dist::normal>(a);
  using t = args_t<dist::student_t>;
  for (const t& a :
       {t{0, -1, 0, 1}, t{0, 0, 0, 1}, t{0, qnan, 0, 1}, t{0, 3, 0, -2}, t{qnan, 3, 0, 1}})
    check_rejected<dist::student_t>(a);
  using c = args_t<dist::cauchy>;
  for (const c& a : {c{0, 0, -1}, c{0, qnan, 1}, c{qnan, 0, 1}})
    check_rejected<dist::cauchy>(a);
  using hn = args_t<dist::half_normal>;
  for (const hn& a : {hn{-1e-300, 1}, hn{1, -1}, hn{qnan, 1}, hn{1, qnan}, hn{1, 0}})
    check_rejected<dist::half_normal>(a);
  using hc = args_t<dist::half_cauchy>;
  for (const hc& a : {hc{-1, 1}, hc{1, -1}, hc{qnan, 1}})
    check_rejected<dist::half_cauchy>(a);
  using ht = args_t<dist::half_student_t>;
  for (const ht& a : {ht{-1, 3, 1}, ht{1, -3, 1}, ht{1, 3, -1}, ht{1, qnan, 1}})
    check_rejected<dist::half_student_t>(a);
  using e = args_t<dist::exponential>;
  for (const e& a : {e{-1, 1}, e{1, 0}, e{1, -2}, e{qnan, 1}, e{1, qnan}, e{inf, 1}})
    check_rejected<dist::exponential>(a);
  using g = args_t<dist::gamma>;
  for (const g& a :
       {g{-1, 1, 1}, g{1, -1, 1}, g{1, 1, -1}, g{1, 0, 1}, g{1, qnan, 1}, g{qnan, 1, 1}})
    check_rejected<dist::gamma>(a);
  using ig = args_t<dist::inv_gamma>;
  for (const ig& a : {ig{-1, 1, 1}, ig{0, 1, 1}, ig{1, -1, 1}, ig{1, 1, 0}, ig{1, qnan, 1}})
    check_rejected<dist::inv_gamma>(a);
  using ln = args_t<dist::lognormal>;
  for (const ln& a : {ln{-1, 0, 1}, ln{0, 0, 1}, ln{1, 0, -1}, ln{1, qnan, 1}, ln{qnan, 0, 1}})
    check_rejected<dist::lognormal>(a);
  using b = args_t<dist::beta>;
  for (const b& a :
       {b{-0.1, 1, 1}, b{1.1, 1, 1}, b{0.5, -1, 1}, b{0.5, 1, 0}, b{qnan, 1, 1}, b{0.5, qnan, 1}})
    check_rejected<dist::beta>(a);
  using u = args_t<dist::uniform>;
  for (const u& a : {u{0.5, 1, 0}, u{0.5, 1, 1}, u{3, 0, 1}, u{-1, 0, 1}, u{qnan, 0, 1},
                     u{0.5, qnan, 1}, u{0.5, -inf, 1}})
    check_rejected<dist::uniform>(a);
  using lo = args_t<dist::logistic>;
  for (const lo& a : {lo{0, 0, -1}, lo{0, qnan, 1}, lo{qnan, 0, 1}})
    check_rejected<dist::logistic>(a);
  using la = args_t<dist::laplace>;
  for (const la& a : {la{0, 0, -1}, la{0, qnan, 1}, la{qnan, 0, 1}})
    check_rejected<dist::laplace>(a);
  using w = args_t<dist::weibull>;
  for (const w& a : {w{-1, 1, 1}, w{1, -1, 1}, w{1, 1, -1}, w{1, qnan, 1}, w{qnan, 1, 1}})
    check_rejected<dist::weibull>(a);
}

// ------------------------------------------------------------------- Propto

TEST_CASE("continuous families: Propto drops only terms constant in the varying arguments",
          "[distributions]") {
  unsigned long long seed = 100;
  for_each_family(continuous_families{}, [&](auto* family) {
    using D = std::remove_pointer_t<decltype(family)>;
    INFO(D::family_name);
    check_propto<D>(++seed);
  });
}

TEST_CASE("continuous families: metadata", "[distributions]") {
  STATIC_REQUIRE(dist::normal::num_params == 2);
  STATIC_REQUIRE(dist::student_t::param_domains[0] == dist::param_domain::positive);
  STATIC_REQUIRE(dist::half_normal::support == dist::support_kind::nonnegative);
  STATIC_REQUIRE(dist::lognormal::support == dist::support_kind::positive);
  STATIC_REQUIRE(dist::inv_gamma::support == dist::support_kind::positive);
  STATIC_REQUIRE(dist::beta::support == dist::support_kind::unit_interval);
  STATIC_REQUIRE(dist::uniform::support == dist::support_kind::parameter_bounds);
  for_each_family(continuous_families{}, [](auto* family) {
    using D = std::remove_pointer_t<decltype(family)>;
    CHECK_FALSE(D::is_discrete);
    CHECK(D::param_names.size() == std::size_t(D::num_params));
    CHECK(D::param_domains.size() == std::size_t(D::num_params));
  });
}
