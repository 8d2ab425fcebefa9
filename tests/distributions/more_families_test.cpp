// The families added for Stan coverage (skew_normal, exp_mod_normal, gumbel,
// frechet, pareto, pareto_type_2, rayleigh, chi_square, inv_chi_square,
// scaled_inv_chi_square, von_mises; discrete beta_binomial, neg_binomial,
// neg_binomial_2_log, discrete_range, hypergeometric) and the normal's cdfs:
// log densities against Boost.Math in long double or closed forms in long
// double (1e-12 relative, tails included); cdf, lcdf and lccdf likewise;
// partials against five-point finite differences (1e-6) and forward-mode
// duals; mean and variance of 20000 draws within 4 Monte Carlo standard errors.

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/cauchy.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/extreme_value.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/inverse_chi_squared.hpp>
#include <boost/math/distributions/laplace.hpp>
#include <boost/math/distributions/logistic.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/pareto.hpp>
#include <boost/math/distributions/rayleigh.hpp>
#include <boost/math/distributions/skew_normal.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "statix/distributions/distributions.hpp"
#include "statix/math/dual.hpp"
#include "statix/math/random.hpp"

#include "distribution_test_support.hpp"

namespace {

using namespace statix_test;
namespace bm = boost::math;
using dual1 = statix::math::dual<double, 1>;

constexpr ld pi_ld = 3.14159265358979323846264338327950288L;
constexpr double tol = 1e-12;

// Worst relative error seen per check, printed at the end of each test case.
struct worst_error {
  const char* what;
  double worst = 0;
  void add(double got, ld want) {
    if (std::isinf(want) || std::isnan(want)) return;
    const ld scale = std::fabs(want) > 1 ? std::fabs(want) : ld(1);
    const double e = double(std::fabs(ld(got) - want) / scale);
    if (e > worst) worst = e;
  }
  ~worst_error() { WARN(what << ": worst relative error " << worst); }
};

template <class D>
std::vector<args_t<D>> grid(unsigned long long seed, std::vector<args_t<D>> (*gen)(point_source&),
                            std::vector<args_t<D>> tails) {
  point_source s(seed);
  std::vector<args_t<D>> points;
  for (int i = 0; i < 10; ++i)
    for (const auto& p : gen(s))
      points.push_back(p);
  for (const auto& t : tails)
    points.push_back(t);
  return points;
}

template <class D, class Ref>
void check_values(const std::vector<args_t<D>>& points, Ref ref, double rel = tol) {
  worst_error w{D::family_name};
  for (const auto& a : points) {
    INFO(show<D>(a));
    const double got = lpdf<D>(a);
    STATIX_CHECK_CLOSE(got, ref(a), rel);
    w.add(got, ref(a));
    std::array<double, num_args<D>> d{};
    STATIX_CHECK_CLOSE((lpdf<D, false, real_args<D>, true>(a, d.data())), ref(a), rel);
  }
}

template <class D, std::size_t... I>
auto as_call_args_impl(const args_t<D>& a, std::index_sequence<I...>) {
  return std::make_tuple(arg<D, I>(a)...);
}
template <class D>
auto as_call_args(const args_t<D>& a) {
  return as_call_args_impl<D>(a, std::make_index_sequence<num_args<D>>{});
}

// cdf / lcdf / lccdf of D at the points, against long double references.
template <class D, class Cdf, class Ccdf>
void check_cdfs(const std::vector<args_t<D>>& points, Cdf ref_cdf, Ccdf ref_ccdf,
                double rel = tol) {
  worst_error w{D::family_name};
  for (const auto& a : points) {
    INFO(show<D>(a) << " cdfs");
    const ld c = ref_cdf(a), cc = ref_ccdf(a);
    std::apply(
        [&](auto y, auto... p) {
          const double got_cdf = D::cdf(y, p...);
          const double got_lcdf = D::lcdf(y, p...);
          const double got_lccdf = D::lccdf(y, p...);
          STATIX_CHECK_CLOSE(got_cdf, c, rel);
          STATIX_CHECK_CLOSE(got_lcdf, std::log(c), rel);
          STATIX_CHECK_CLOSE(got_lccdf, std::log(cc), rel);
          w.add(got_cdf, c);
          w.add(got_lcdf, std::log(c));
          w.add(got_lccdf, std::log(cc));
        },
        as_call_args<D>(a));
  }
}

// Five-point central differences of the full log density in every real
// argument (steps relative to the argument; positive arguments stay
// positive), and forward-mode duals through the same code.
template <class D>
void check_gradients(const std::vector<args_t<D>>& points, unsigned skip = 0u) {
  int checked = 0;
  for (const auto& a : points) {
    std::array<double, num_args<D>> d;
    d.fill(qnan);
    const double value = lpdf<D, false, real_args<D>, true>(a, d.data());
    if (!std::isfinite(value)) continue;
    for (int k = 0; k < num_args<D>; ++k) {
      if (!has_bit<real_args<D>>(k) || ((skip >> k) & 1u)) continue;
      const double x = a[k];
      const bool positive = k == 0 ? (D::support == dist::support_kind::positive ||
                                      D::support == dist::support_kind::nonnegative)
                                   : D::param_domains[k - 1] == dist::param_domain::positive;
      const double h = (x + 1e-5 * (positive ? x : std::max(1e-3, std::fabs(x)))) - x;
      auto f = [&](double step) {
        args_t<D> b = a;
        b[k] = x + step;
        return lpdf<D>(b);
      };
      const double f1 = f(h), fm1 = f(-h), f2 = f(2 * h), fm2 = f(-2 * h);
      // A step across the edge of the support (pareto next to y_min): no difference.
      if (!std::isfinite(f1 + fm1 + f2 + fm2)) continue;
      const double fd = (8 * (f1 - fm1) - (f2 - fm2)) / (12 * h);
      const double fmax = std::max({std::fabs(f1), std::fabs(fm1), std::fabs(f2), std::fabs(fm2)});
      INFO(show<D>(a) << ", argument " << k << ": analytic " << d[k] << ", finite difference "
                      << fd);
      CHECK(std::fabs(d[k] - fd) <= 1e-6 * std::max(1.0, std::fabs(d[k])) + 1e-14 * fmax / h);
      // Duals: the tangent is the chain rule through the same log density.
      std::array<dual1, num_args<D>> ad;
      for (int j = 0; j < num_args<D>; ++j)
        ad[j] = dual1(a[j]);
      ad[k] = dual1::variable(a[k], 0);
      const dual1 v = lpdf<D, false, real_args<D>, false>(ad);
      CHECK(v.val == value);
      CHECK(std::fabs(v.tan[0] - d[k]) <= 1e-8 * std::max(1.0, std::fabs(d[k])));
      ++checked;
    }
  }
  CHECK(checked >= 20);
}

// Mean and variance of 20000 draws within 4 standard errors; the variance's
// standard error from the sample's fourth central moment.
template <class Draw>
void check_draws(const char* what, Draw draw, double mean, double var) {
  constexpr int n = 20000;
  std::vector<double> x(n);
  for (auto& v : x)
    v = double(draw());
  double m = 0;
  for (double v : x)
    m += v;
  m /= n;
  double m2 = 0, m4 = 0;
  for (double v : x) {
    const double c = (v - m) * (v - m);
    m2 += c;
    m4 += c * c;
  }
  m2 /= (n - 1);
  m4 /= n;
  INFO(what << ": sample mean " << m << " (want " << mean << "), sample variance " << m2
            << " (want " << var << ")");
  CHECK(std::fabs(m - mean) <= 4 * std::sqrt(var / n));
  CHECK(std::fabs(m2 - var) <= 4 * std::sqrt(std::max(m4 - m2 * m2, 0.0) / n));
}

using statix::random::philox;
#ifndef STATIX_MORE_FAMILIES_SEED
#define STATIX_MORE_FAMILIES_SEED 20261204
#endif
constexpr unsigned long long rng_seed = STATIX_MORE_FAMILIES_SEED;

ld log_normal_pdf(ld z) {
  return -0.5L * std::log(2 * pi_ld) - z * z / 2;
}

// log erfc(u) in long double: erfcl until it nears underflow (u = 100, erfc ~
// 1e-4345), then the asymptotic series (A&S 7.1.23), 30 terms.
ld log_erfc_ld(ld u) {
  if (u < 100) return std::log(std::erfc(u));
  ld term = 1, sum = 1;
  for (int k = 1; k <= 30; ++k) {
    term *= -(2 * k - 1) / (2 * u * u);
    sum += term;
  }
  return -u * u - std::log(u) - 0.5L * std::log(pi_ld) + std::log(sum);
}

// Boost's log pdf, or NaN where its pdf underflows even a long double.
template <class Dist>
ld boost_log_pdf(const Dist& d, ld y) {
  const ld p = bm::pdf(d, y);
  return p > 0 ? std::log(p) : std::numeric_limits<ld>::quiet_NaN();
}

// The family against a closed form everywhere and against Boost wherever
// Boost's pdf is representable.
template <class D, class Boost>
void check_boost_where_finite(const std::vector<args_t<D>>& points, Boost boost_ref) {
  int compared = 0;
  for (const auto& a : points) {
    const ld want = boost_ref(a);
    if (std::isnan(want)) continue;
    INFO(show<D>(a) << " against Boost");
    STATIX_CHECK_CLOSE(lpdf<D>(a), want, tol);
    ++compared;
  }
  CHECK(compared >= 10);
}

} // namespace

// ------------------------------------------------------------------- normal

TEST_CASE("normal cdf, lcdf and lccdf match Boost into the tails", "[distributions]") {
  using D = dist::normal;
  std::vector<args_t<D>> pts;
  for (double y : {-40.0, -20.0, -5.0, -1.0, 0.0, 0.3, 2.0, 8.0, 30.0})
    pts.push_back({y, 0.5, 1.5});
  check_cdfs<D>(
      pts, [](auto a) { return bm::cdf(bm::normal_distribution<ld>(a[1], a[2]), ld(a[0])); },
      [](auto a) {
        return bm::cdf(bm::complement(bm::normal_distribution<ld>(a[1], a[2]), ld(a[0])));
      });
}

// The cdfs that truncation differentiates, of the families that had none
// (exponential, lognormal, cauchy, logistic, laplace, weibull), into both
// tails, against Boost.Math in long double.
TEST_CASE("cdf, lcdf and lccdf of the older continuous families match Boost", "[distributions]") {
  const auto against = [](auto family, std::vector<args_t<decltype(family)>> pts, auto make) {
    using D = decltype(family);
    check_cdfs<D>(
        pts, [&](auto a) { return bm::cdf(make(a), ld(a[0])); },
        [&](auto a) { return bm::cdf(bm::complement(make(a), ld(a[0]))); });
  };
  against(dist::exponential{}, {{1e-8, 2.0}, {0.3, 0.5}, {2.0, 1.5}, {30.0, 1.0}},
          [](auto a) { return bm::exponential_distribution<ld>(a[1]); });
  against(dist::lognormal{}, {{1e-6, 0.0, 1.0}, {0.5, 0.2, 0.8}, {3.0, 0.0, 1.0}, {1e4, 0.5, 1.5}},
          [](auto a) { return bm::lognormal_distribution<ld>(a[1], a[2]); });
  against(dist::cauchy{}, {{-1e6, 0.0, 1.0}, {-3.0, 1.0, 2.0}, {0.5, 0.0, 1.0}, {1e5, 2.0, 0.5}},
          [](auto a) { return bm::cauchy_distribution<ld>(a[1], a[2]); });
  against(dist::logistic{},
          {{-40.0, 0.0, 1.0}, {-1.0, 1.0, 2.0}, {0.5, 0.0, 1.0}, {50.0, 2.0, 1.5}},
          [](auto a) { return bm::logistic_distribution<ld>(a[1], a[2]); });
  against(dist::laplace{}, {{-40.0, 0.0, 1.0}, {-1.0, 1.0, 2.0}, {1.2, 1.0, 0.5}, {50.0, 2.0, 1.5}},
          [](auto a) { return bm::laplace_distribution<ld>(a[1], a[2]); });
  against(dist::weibull{}, {{1e-5, 1.5, 1.0}, {0.5, 2.0, 1.3}, {2.0, 0.7, 1.0}, {6.0, 2.0, 1.5}},
          [](auto a) { return bm::weibull_distribution<ld>(a[1], a[2]); });
}

// ------------------------------------------------------------------- gumbel

namespace {
std::vector<args_t<dist::gumbel>> gumbel_points(point_source& s) {
  return {{s.uniform(-20, 40), s.uniform(-5, 5), s.log_uniform(0.1, 10)}};
}
const std::vector<args_t<dist::gumbel>> gumbel_tails = {
    {-30.0, 0.0, 2.0}, {600.0, 0.0, 1.0}, {-5.0, 1.0, 1.0}, {1e-9, 0.0, 1.0}};
} // namespace

TEST_CASE("gumbel: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::gumbel;
  const auto pts = grid<D>(1, gumbel_points, gumbel_tails);
  auto bd = [](auto a) { return bm::extreme_value_distribution<ld>(a[1], a[2]); };
  check_values<D>(pts, [](auto a) {
    const ld z = (ld(a[0]) - a[1]) / a[2];
    return -std::log(ld(a[2])) - z - std::exp(-z);
  });
  check_boost_where_finite<D>(pts, [&](auto a) { return boost_log_pdf(bd(a), ld(a[0])); });
  std::vector<args_t<D>> cpts = {
      {-3.0, 0.0, 2.0}, {0.5, 0.0, 1.0}, {4.0, 1.0, 1.0}, {40.0, 0.0, 1.0}, {2.0, 1.0, 3.0}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), ld(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), ld(a[0]))); });
  check_gradients<D>(pts);
  philox g(rng_seed, 1);
  check_draws(
      "gumbel", [&] { return D::rng(g, 1.5, 2.0); }, 1.5 + 2.0 * 0.57721566490153286,
      pi_ld * pi_ld / 6 * 4.0);
}

// ------------------------------------------------------------------- pareto

namespace {
std::vector<args_t<dist::pareto>> pareto_points(point_source& s) {
  const double y_min = s.log_uniform(0.1, 10);
  return {{y_min * s.log_uniform(1.001, 1e3), y_min, s.log_uniform(0.2, 20)}};
}
const std::vector<args_t<dist::pareto>> pareto_tails = {
    {1e12, 1.0, 3.0}, {2.0, 2.0, 1.5}, {1.0 + 1e-10, 1.0, 5.0}, {1e200, 1e-3, 0.5}};
} // namespace

TEST_CASE("pareto: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::pareto;
  const auto pts = grid<D>(2, pareto_points, pareto_tails);
  auto bd = [](auto a) { return bm::pareto_distribution<ld>(a[1], a[2]); };
  check_values<D>(pts, [&](auto a) {
    // log pdf in closed form where Boost's pdf underflows even a long double.
    const ld y = a[0], m = a[1], al = a[2];
    return std::log(al) + al * std::log(m) - (al + 1) * std::log(y);
  });
  check_boost_where_finite<D>(pts, [&](auto a) { return boost_log_pdf(bd(a), ld(a[0])); });
  std::vector<args_t<D>> cpts = {
      {1.5, 1.0, 2.0}, {1.0001, 1.0, 3.0}, {50.0, 2.0, 0.7}, {1e6, 1.0, 2.0}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), ld(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), ld(a[0]))); });
  check_rejected<D>({0.5, 1.0, 2.0});
  check_gradients<D>(pts);
  philox g(rng_seed, 2);
  const double m = 2.0, al = 6.0;
  check_draws(
      "pareto", [&] { return D::rng(g, m, al); }, al * m / (al - 1),
      m * m * al / ((al - 1) * (al - 1) * (al - 2)));
}

// ------------------------------------------------------------ pareto_type_2

namespace {
std::vector<args_t<dist::pareto_type_2>> pareto_type_2_points(point_source& s) {
  const double mu = s.uniform(-5, 5);
  return {{mu + s.log_uniform(1e-3, 1e3), mu, s.log_uniform(0.1, 10), s.log_uniform(0.2, 20)}};
}
ld ref_pareto_type_2(const args_t<dist::pareto_type_2>& a) {
  const ld y = a[0], mu = a[1], la = a[2], al = a[3];
  return std::log(al) - std::log(la) - (al + 1) * std::log1p((y - mu) / la);
}
ld ccdf_pareto_type_2(const args_t<dist::pareto_type_2>& a) {
  return std::exp(-ld(a[3]) * std::log1p((ld(a[0]) - a[1]) / a[2]));
}
ld cdf_pareto_type_2(const args_t<dist::pareto_type_2>& a) {
  return -std::expm1(-ld(a[3]) * std::log1p((ld(a[0]) - a[1]) / a[2]));
}
} // namespace

TEST_CASE("pareto_type_2: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::pareto_type_2;
  const auto pts = grid<D>(3, pareto_type_2_points,
                           {{1e12, 0.0, 1.0, 3.0}, {1e-12, 0.0, 1.0, 2.0}, {0.0, 0.0, 2.0, 0.5}});
  check_values<D>(pts, ref_pareto_type_2);
  std::vector<args_t<D>> cpts = {
      {0.5, 0.0, 1.0, 2.0}, {1e-8, 0.0, 1.0, 3.0}, {40.0, 1.0, 2.0, 0.7}};
  check_cdfs<D>(cpts, cdf_pareto_type_2, ccdf_pareto_type_2);
  check_rejected<D>({-0.5, 0.0, 1.0, 2.0});
  check_gradients<D>(pts);
  philox g(rng_seed, 3);
  const double mu = 1.0, la = 2.0, al = 6.0;
  check_draws(
      "pareto_type_2", [&] { return D::rng(g, mu, la, al); }, mu + la / (al - 1),
      la * la * al / ((al - 1) * (al - 1) * (al - 2)));
}

// ----------------------------------------------------------------- rayleigh

TEST_CASE("rayleigh: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::rayleigh;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{{s.log_uniform(1e-3, 50), s.log_uniform(0.1, 10)}};
  };
  const auto pts = grid<D>(4, +gen, {{1e-200, 1.0}, {60.0, 1.0}, {1e-8, 1e3}});
  auto bd = [](auto a) { return bm::rayleigh_distribution<ld>(a[1]); };
  check_values<D>(pts, [&](auto a) { return std::log(bm::pdf(bd(a), ld(a[0]))); });
  std::vector<args_t<D>> cpts = {{0.5, 1.0}, {1e-6, 1.0}, {3.0, 1.0}, {30.0, 2.0}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), ld(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), ld(a[0]))); });
  check_gradients<D>(pts);
  philox g(rng_seed, 4);
  check_draws(
      "rayleigh", [&] { return D::rng(g, 2.0); }, 2.0 * std::sqrt(pi_ld / 2),
      (4 - pi_ld) / 2 * 4.0);
}

// --------------------------------------------------------------- chi-squares

TEST_CASE("chi_square: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::chi_square;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{{s.log_uniform(1e-3, 100), s.log_uniform(0.2, 50)}};
  };
  const auto pts = grid<D>(5, +gen, {{1e-10, 1.0}, {1e3, 3.0}, {500.0, 400.0}});
  auto bd = [](auto a) { return bm::chi_squared_distribution<ld>(a[1]); };
  check_values<D>(pts, [&](auto a) { return std::log(bm::pdf(bd(a), ld(a[0]))); });
  std::vector<args_t<D>> cpts = {{0.5, 1.0}, {3.0, 4.0}, {1e-3, 2.0}, {60.0, 5.0}, {90.0, 100.0}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), ld(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), ld(a[0]))); });
  check_gradients<D>(pts);
  philox g(rng_seed, 5);
  check_draws(
      "chi_square", [&] { return D::rng(g, 3.5); }, 3.5, 7.0);
}

TEST_CASE("inv_chi_square: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::inv_chi_square;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{{s.log_uniform(1e-2, 100), s.log_uniform(0.2, 50)}};
  };
  const auto pts = grid<D>(6, +gen, {{1e-3, 1.0}, {1e6, 3.0}});
  auto bd = [](auto a) { return bm::inverse_chi_squared_distribution<ld>(a[1]); };
  check_values<D>(pts, [&](auto a) { return std::log(bm::pdf(bd(a), ld(a[0]))); });
  std::vector<args_t<D>> cpts = {{0.5, 1.0}, {0.3, 4.0}, {0.01, 2.0}, {60.0, 5.0}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), ld(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), ld(a[0]))); });
  check_gradients<D>(pts);
  philox g(rng_seed, 6);
  const double nu = 12;
  check_draws(
      "inv_chi_square", [&] { return D::rng(g, nu); }, 1 / (nu - 2),
      2 / ((nu - 2) * (nu - 2) * (nu - 4)));
}

TEST_CASE("scaled_inv_chi_square: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::scaled_inv_chi_square;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{
        {s.log_uniform(1e-2, 100), s.log_uniform(0.2, 50), s.log_uniform(0.1, 10)}};
  };
  const auto pts = grid<D>(7, +gen, {{1e-3, 1.0, 0.1}, {1e6, 3.0, 2.0}});
  // Boost's scale is s^2.
  auto bd = [](auto a) { return bm::inverse_chi_squared_distribution<ld>(a[1], ld(a[2]) * a[2]); };
  check_values<D>(pts, [](auto a) {
    const ld y = a[0], nu = a[1], s = a[2];
    return nu / 2 * std::log(nu / 2) - std::lgamma(nu / 2) + nu * std::log(s) -
           (nu / 2 + 1) * std::log(y) - nu * s * s / (2 * y);
  });
  check_boost_where_finite<D>(pts, [&](auto a) { return boost_log_pdf(bd(a), ld(a[0])); });
  std::vector<args_t<D>> cpts = {
      {0.5, 1.0, 1.0}, {0.3, 4.0, 0.5}, {0.01, 2.0, 0.2}, {60.0, 5.0, 3.0}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), ld(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), ld(a[0]))); });
  check_gradients<D>(pts);
  philox g(rng_seed, 7);
  const double nu = 12, s = 1.5;
  check_draws(
      "scaled_inv_chi_square", [&] { return D::rng(g, nu, s); }, nu * s * s / (nu - 2),
      2 * nu * nu * s * s * s * s / ((nu - 2) * (nu - 2) * (nu - 4)));
}

// -------------------------------------------------------------- skew_normal

TEST_CASE("skew_normal: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::skew_normal;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{
        {s.uniform(-20, 20), s.uniform(-3, 3), s.log_uniform(0.2, 5), s.uniform(-6, 6)}};
  };
  // Tails: erfc's argument -alpha z / sqrt 2 past 25 (the asymptotic branch).
  const auto pts = grid<D>(8, +gen,
                           {{-40.0, 0.0, 1.0, 2.0},
                            {40.0, 0.0, 1.0, -1.5},
                            {-8.0, 0.0, 1.0, 5.0},
                            {30.0, 1.0, 2.0, 0.0},
                            {1e-9, 0.0, 1.0, 1e-9}});
  auto bd = [](auto a) { return bm::skew_normal_distribution<ld>(a[1], a[2], a[3]); };
  check_values<D>(pts, [&](auto a) {
    // 2 phi(z) Phi(alpha z) / omega in closed form, Phi by erfc in long double.
    const ld z = (ld(a[0]) - a[1]) / a[2];
    return log_normal_pdf(z) - std::log(ld(a[2])) + log_erfc_ld(-ld(a[3]) * z / std::sqrt(2.0L));
  });
  check_boost_where_finite<D>(pts, [&](auto a) { return boost_log_pdf(bd(a), ld(a[0])); });
  std::vector<args_t<D>> cpts = {{0.5, 0.0, 1.0, 2.0},
                                 {-1.0, 0.0, 1.0, 2.0},
                                 {2.0, 1.0, 2.0, -3.0},
                                 {3.0, 0.0, 1.0, 0.5},
                                 {-0.5, 0.0, 1.0, -1.0}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), ld(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), ld(a[0]))); }, 1e-11);
  // The short tail, where Phi(z) - 2 T(z, alpha) cancels (and Boost's long
  // double cdf with it): against Simpson's rule over 12 standard deviations in
  // long double, lccdf through the reflected family.
  {
    worst_error w{"skew_normal short tail"};
    for (double z : {-2.5, -3.0, -5.0, -8.0, -20.0}) {
      const ld al = 2, lo = z - 12.0L;
      // 2 phi(t) Phi(al t) = phi(t) erfc(-al t / sqrt 2).
      auto lp = [&](ld t) { return log_normal_pdf(t) + log_erfc_ld(-al * t / std::sqrt(2.0L)); };
      const int n = 200000;
      const ld h = (ld(z) - lo) / n, lp_z = lp(z);
      ld sum = 0;
      for (int i = 0; i <= n; ++i) {
        const ld wgt = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
        sum += wgt * std::exp(lp(lo + i * h) - lp_z);
      }
      const ld want = lp_z + std::log(sum * h / 3);
      INFO("skew_normal short tail at z = " << z);
      // y = 1 + 2 z with xi = 1, omega = 2.
      STATIX_CHECK_CLOSE(D::lcdf(1 + 2 * z, 1.0, 2.0, 2.0), want, tol);
      STATIX_CHECK_CLOSE(D::lccdf(1 - 2 * z, 1.0, 2.0, -2.0), want, tol);
      STATIX_CHECK_CLOSE(D::cdf(1 + 2 * z, 1.0, 2.0, 2.0), std::exp(want), tol);
      w.add(D::lcdf(1 + 2 * z, 1.0, 2.0, 2.0), want);
      w.add(D::lccdf(1 - 2 * z, 1.0, 2.0, -2.0), want);
    }
  }
  check_gradients<D>(pts);
  philox g(rng_seed, 8);
  const double xi = 1.0, om = 2.0, al = 3.0;
  const double delta = al / std::sqrt(1 + al * al);
  check_draws(
      "skew_normal", [&] { return D::rng(g, xi, om, al); },
      xi + om * delta * std::sqrt(2 / double(pi_ld)),
      om * om * (1 - 2 * delta * delta / double(pi_ld)));
}

// ----------------------------------------------------------- exp_mod_normal

namespace {
ld ref_exp_mod_normal(const args_t<dist::exp_mod_normal>& a) {
  const ld y = a[0], mu = a[1], sigma = a[2], lambda = a[3];
  const ld u = (mu + lambda * sigma * sigma - y) / (sigma * std::sqrt(2.0L));
  return std::log(lambda) - std::log(2.0L) + lambda * (mu + lambda * sigma * sigma / 2 - y) +
         log_erfc_ld(u);
}
ld Phi_ld(ld z) {
  return std::erfc(-z / std::sqrt(2.0L)) / 2;
}
ld cdf_exp_mod_normal(const args_t<dist::exp_mod_normal>& a) {
  const ld y = a[0], mu = a[1], sigma = a[2], lambda = a[3], v = (y - mu) / sigma;
  return Phi_ld(v) - std::exp(-lambda * (y - mu) + lambda * lambda * sigma * sigma / 2) *
                         Phi_ld(v - lambda * sigma);
}
ld ccdf_exp_mod_normal(const args_t<dist::exp_mod_normal>& a) {
  const ld y = a[0], mu = a[1], sigma = a[2], lambda = a[3], v = (y - mu) / sigma;
  return Phi_ld(-v) + std::exp(-lambda * (y - mu) + lambda * lambda * sigma * sigma / 2) *
                          Phi_ld(v - lambda * sigma);
}
} // namespace

TEST_CASE("exp_mod_normal: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::exp_mod_normal;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{
        {s.uniform(-10, 30), s.uniform(-3, 3), s.log_uniform(0.2, 5), s.log_uniform(0.05, 5)}};
  };
  // Tails: far left (u past 25, the closed-form branch) and far right.
  const auto pts = grid<D>(9, +gen,
                           {{-60.0, 0.0, 1.0, 1.0},
                            {-30.0, 0.0, 1.0, 5.0},
                            {200.0, 0.0, 1.0, 0.5},
                            {0.0, 0.0, 1.0, 40.0}});
  check_values<D>(pts, ref_exp_mod_normal);
  std::vector<args_t<D>> cpts = {
      {0.5, 0.0, 1.0, 2.0}, {-1.0, 0.0, 1.0, 0.5}, {3.0, 1.0, 2.0, 1.0}, {8.0, 0.0, 1.0, 3.0}};
  check_cdfs<D>(cpts, cdf_exp_mod_normal, ccdf_exp_mod_normal, 1e-11);
  check_gradients<D>(pts);
  philox g(rng_seed, 9);
  check_draws(
      "exp_mod_normal", [&] { return D::rng(g, 1.0, 2.0, 0.5); }, 1.0 + 2.0, 4.0 + 4.0);
}

// ------------------------------------------------------------------ frechet

namespace {
ld ref_frechet(const args_t<dist::frechet>& a) {
  const ld y = a[0], al = a[1], s = a[2];
  return std::log(al) + al * std::log(s) - (al + 1) * std::log(y) - std::pow(y / s, -al);
}
} // namespace

TEST_CASE("frechet: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::frechet;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{
        {s.log_uniform(1e-2, 1e3), s.log_uniform(0.3, 20), s.log_uniform(0.1, 10)}};
  };
  const auto pts = grid<D>(10, +gen, {{1e-3, 1.0, 1.0}, {1e12, 2.0, 1.0}, {0.2, 5.0, 1.0}});
  check_values<D>(pts, ref_frechet);
  std::vector<args_t<D>> cpts = {
      {0.5, 2.0, 1.0}, {3.0, 1.5, 1.0}, {0.3, 4.0, 1.0}, {50.0, 2.0, 2.0}};
  check_cdfs<D>(
      cpts, [](auto a) { return std::exp(-std::pow(ld(a[0]) / a[2], -ld(a[1]))); },
      [](auto a) { return -std::expm1(-std::pow(ld(a[0]) / a[2], -ld(a[1]))); });
  check_gradients<D>(pts);
  philox g(rng_seed, 10);
  const double al = 9, s = 2;
  const double g1 = std::tgamma(1 - 1 / al), g2 = std::tgamma(1 - 2 / al);
  check_draws(
      "frechet", [&] { return D::rng(g, al, s); }, s * g1, s * s * (g2 - g1 * g1));
}

// ---------------------------------------------------------------- von_mises

namespace {
ld ref_von_mises(const args_t<dist::von_mises>& a) {
  const ld k = a[2];
  return k * std::cos(ld(a[0]) - a[1]) - std::log(2 * pi_ld) - std::log(bm::cyl_bessel_i(0, k));
}
// The cdf of y - mu on [-pi, pi] by Simpson's rule in long double.
ld cdf_von_mises(const args_t<dist::von_mises>& a) {
  const ld lo = -pi_ld, hi = ld(a[0]) - a[1];
  const int n = 20000;
  const ld h = (hi - lo) / n;
  ld sum = 0;
  for (int i = 0; i <= n; ++i) {
    const ld x = lo + i * h;
    const ld w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
    sum += w * std::exp(ref_von_mises({double(x + a[1]), a[1], a[2]}));
  }
  return sum * h / 3;
}
} // namespace

TEST_CASE("von_mises: log density, cdfs, gradients, draws", "[distributions]") {
  using D = dist::von_mises;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{{s.uniform(-10, 10), s.uniform(-3, 3), s.log_uniform(1e-3, 500)}};
  };
  const auto pts = grid<D>(
      11, +gen,
      {{0.0, 0.0, 1e4}, {3.0, 0.0, 1e4}, {0.1, 0.0, 29.999}, {0.1, 0.0, 30.0}, {1.0, 0.5, 1e-8}});
  check_values<D>(pts, ref_von_mises);
  std::vector<args_t<D>> cpts = {
      {0.5, 0.0, 1.0}, {-1.0, 0.5, 4.0}, {2.0, 0.0, 0.1}, {0.1, 0.0, 60.0}, {-2.5, 0.0, 2.0}};
  check_cdfs<D>(
      cpts, cdf_von_mises, [](auto a) { return 1 - cdf_von_mises(a); }, 1e-10);
  // Tails of concentrated densities, where the series cancels: against
  // Simpson's rule in long double relative to the density at y.
  {
    worst_error w{"von_mises tails"};
    for (double kappa : {20.0, 200.0})
      for (double y : {-3.1, -2.5, -1.0}) {
        const args_t<D> at{y, 0.0, kappa};
        const ld lp_y = ref_von_mises(at);
        const int n = 200000;
        const ld lo = -pi_ld, h = (ld(y) - lo) / n;
        ld sum = 0;
        for (int i = 0; i <= n; ++i) {
          const ld wgt = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
          sum += wgt * std::exp(ref_von_mises({double(lo + i * h), 0.0, kappa}) - lp_y);
        }
        const ld want = lp_y + std::log(sum * h / 3);
        INFO("von_mises tail at y = " << y << ", kappa = " << kappa);
        STATIX_CHECK_CLOSE(D::lcdf(y + 0.5, 0.5, kappa), want, tol);
        STATIX_CHECK_CLOSE(D::lccdf(0.5 - y, 0.5, kappa), want, tol);
        w.add(D::lcdf(y + 0.5, 0.5, kappa), want);
        w.add(D::lccdf(0.5 - y, 0.5, kappa), want);
      }
  }
  check_gradients<D>(pts);
  philox g(rng_seed, 11);
  for (double kappa : {0.3, 2.0, 50.0}) {
    // Var(y) = E (y - mu)^2 over [-pi, pi], by Simpson's rule.
    const int n = 20000;
    const ld h = 2 * pi_ld / n;
    ld m2 = 0;
    for (int i = 0; i <= n; ++i) {
      const ld x = -pi_ld + i * h;
      const ld w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
      m2 += w * x * x * std::exp(ref_von_mises({double(x), 0.0, kappa}));
    }
    check_draws(
        "von_mises", [&] { return D::rng(g, 0.7, kappa); }, 0.7, double(m2 * h / 3));
  }
}

// ------------------------------------------------------------ beta_binomial

namespace {
// lgamma(x + k) - lgamma(x) = sum_{j<k} log(x + j) for an integer k: exact in
// long double where lgamma(1e8) alone would carry an error of 1e-10.
ld lgamma_rise(ld x, int k) {
  ld s = 0;
  for (int j = 0; j < k; ++j)
    s += std::log(x + j);
  return s;
}
ld ref_beta_binomial(const args_t<dist::beta_binomial>& a) {
  const int y = int(a[0]), n = int(a[1]);
  const ld al = a[2], be = a[3];
  return lchoose_ld(n, y) + lgamma_rise(al, y) + lgamma_rise(be, n - y) - lgamma_rise(al + be, n);
}
} // namespace

TEST_CASE("beta_binomial: log pmf, cdfs, gradients, draws", "[distributions]") {
  using D = dist::beta_binomial;
  auto gen = [](point_source& s) {
    const int n = s.integer(0, 200);
    return std::vector<args_t<D>>{
        {double(s.integer(0, n)), double(n), s.log_uniform(0.1, 100), s.log_uniform(0.1, 100)}};
  };
  const auto pts =
      grid<D>(12, +gen, {{0, 1000, 0.5, 1e4}, {1000, 1000, 200.0, 0.3}, {3, 7, 1e5, 1e5}});
  check_values<D>(pts, ref_beta_binomial);
  std::vector<args_t<D>> cpts = {{3, 10, 2.0, 3.0}, {0, 20, 0.5, 0.5}, {45, 50, 4.0, 1.0}};
  auto cdf = [](auto a) {
    ld s = 0;
    for (int k = 0; k <= int(a[0]); ++k)
      s += std::exp(ref_beta_binomial({double(k), a[1], a[2], a[3]}));
    return s;
  };
  auto ccdf = [](auto a) {
    ld s = 0;
    for (int k = int(a[0]) + 1; k <= int(a[1]); ++k)
      s += std::exp(ref_beta_binomial({double(k), a[1], a[2], a[3]}));
    return s;
  };
  check_cdfs<D>(cpts, cdf, ccdf);
  check_rejected<D>({11, 10, 1.0, 1.0});
  check_gradients<D>(pts);
  philox g(rng_seed, 12);
  const double n = 30, al = 2.5, be = 4.0;
  check_draws(
      "beta_binomial", [&] { return D::rng(g, int(n), al, be); }, n * al / (al + be),
      n * al * be * (al + be + n) / ((al + be) * (al + be) * (al + be + 1)));
}

// ---------------------------------------------------- negative binomials

TEST_CASE("neg_binomial: log pmf, cdfs, gradients, draws", "[distributions]") {
  using D = dist::neg_binomial;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{
        {double(s.integer(0, 100)), s.log_uniform(0.1, 200), s.log_uniform(0.01, 100)}};
  };
  const auto pts = grid<D>(13, +gen, {{0, 0.5, 1e-4}, {1000, 3.0, 0.01}, {7, 1e8, 2e7}});
  auto bd = [](auto a) {
    return bm::negative_binomial_distribution<ld>(a[1], ld(a[2]) / (1 + ld(a[2])));
  };
  check_values<D>(pts, [](auto a) {
    const ld y = a[0], al = a[1], be = a[2];
    return lgamma_rise(al, int(y)) - std::lgamma(y + 1) - al * std::log1p(1 / be) -
           y * std::log1p(be);
  });
  std::vector<args_t<D>> cpts = {{3, 2.0, 0.5}, {0, 1.5, 2.0}, {40, 5.0, 0.3}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), ld(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), ld(a[0]))); });
  check_gradients<D>(pts);
  philox g(rng_seed, 13);
  const double al = 3.0, be = 0.4;
  check_draws(
      "neg_binomial", [&] { return D::rng(g, al, be); }, al / be, al * (be + 1) / (be * be));
}

TEST_CASE("neg_binomial_2_log: log pmf, cdfs, gradients, draws", "[distributions]") {
  using D = dist::neg_binomial_2_log;
  auto gen = [](point_source& s) {
    return std::vector<args_t<D>>{
        {double(s.integer(0, 100)), s.uniform(-3, 6), s.log_uniform(0.05, 1e4)}};
  };
  const auto pts =
      grid<D>(14, +gen, {{0, 9.0, 0.5}, {1000, 1.0, 2.0}, {7, 1.6, 1e8}, {3, -30.0, 1.0}});
  auto bd = [](auto a) {
    const ld mu = std::exp(ld(a[1]));
    return bm::negative_binomial_distribution<ld>(a[2], ld(a[2]) / (mu + a[2]));
  };
  check_values<D>(pts, [](auto a) {
    const ld y = a[0], mu = std::exp(ld(a[1])), phi = a[2];
    return lgamma_rise(phi, int(y)) - std::lgamma(y + 1) - y * std::log1p(phi / mu) -
           phi * std::log1p(mu / phi);
  });
  std::vector<args_t<D>> cpts = {{3, 1.0, 2.0}, {0, 0.5, 2.0}, {40, 3.0, 5.0}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), ld(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), ld(a[0]))); });
  check_gradients<D>(pts);
  philox g(rng_seed, 14);
  const double eta = 1.5, phi = 4.0, mu = std::exp(eta);
  check_draws(
      "neg_binomial_2_log", [&] { return D::rng(g, eta, phi); }, mu, mu + mu * mu / phi);
}

// ----------------------------------------------------------- discrete_range

TEST_CASE("discrete_range: log pmf, cdfs, zero partials, draws", "[distributions]") {
  using D = dist::discrete_range;
  for (const args_t<D>& a : {args_t<D>{-3, -5, 7}, args_t<D>{0, 0, 0}, args_t<D>{9, 2, 9}}) {
    INFO(show<D>(a));
    STATIX_CHECK_CLOSE(lpdf<D>(a), -std::log(ld(a[2]) - a[1] + 1), tol);
    std::array<double, 3> d;
    d.fill(qnan);
    lpdf<D, false, real_args<D>, true>(a, d.data());
    CHECK(d[1] == 0.0);
    CHECK(d[2] == 0.0);
  }
  for (const args_t<D>& a :
       {args_t<D>{-6, -5, 7}, args_t<D>{8, -5, 7}, args_t<D>{0, 0.5, 7}, args_t<D>{0, 3, 2}})
    check_rejected<D>(a);
  std::vector<args_t<D>> cpts = {{-3, -5, 7}, {-5, -5, 7}, {6, -5, 7}};
  check_cdfs<D>(
      cpts, [](auto a) { return (ld(a[0]) - a[1] + 1) / (ld(a[2]) - a[1] + 1); },
      [](auto a) { return (ld(a[2]) - a[0]) / (ld(a[2]) - a[1] + 1); });
  philox g(rng_seed, 15);
  check_draws(
      "discrete_range", [&] { return D::rng(g, -5, 7); }, 1.0, (13.0 * 13.0 - 1) / 12);
}

// ----------------------------------------------------------- hypergeometric

TEST_CASE("hypergeometric: log pmf, cdfs, draws", "[distributions]") {
  using D = dist::hypergeometric;
  auto ref = [](const args_t<D>& a) {
    const int y = int(a[0]), N = int(a[1]), A = int(a[2]), B = int(a[3]);
    return lchoose_ld(A, y) + lchoose_ld(B, N - y) - lchoose_ld(A + B, N);
  };
  std::vector<args_t<D>> pts;
  point_source s(16);
  for (int i = 0; i < 40; ++i) {
    const int A = s.integer(0, 100), B = s.integer(0, 100), N = s.integer(0, A + B);
    const int lo = std::max(0, N - B), hi = std::min(A, N);
    pts.push_back({double(s.integer(lo, hi)), double(N), double(A), double(B)});
  }
  pts.push_back({500, 1000, 100000, 200000});
  pts.push_back({0, 5, 3, 2});
  check_values<D>(pts, ref);
  for (const args_t<D>& a : {args_t<D>{4, 5, 3, 2}, args_t<D>{0, 5, 3, 2}, args_t<D>{1, 6, 3, 2}})
    CHECK(lpdf<D>(a) == -inf);
  auto bd = [](auto a) {
    return bm::hypergeometric_distribution<ld>(unsigned(a[2]), unsigned(a[1]),
                                               unsigned(a[2] + a[3]));
  };
  std::vector<args_t<D>> cpts = {{3, 10, 8, 12}, {3, 5, 3, 2}, {20, 40, 50, 30}};
  check_cdfs<D>(
      cpts, [&](auto a) { return bm::cdf(bd(a), unsigned(a[0])); },
      [&](auto a) { return bm::cdf(bm::complement(bd(a), unsigned(a[0]))); });
  philox g(rng_seed, 16);
  const double N = 15, A = 20, B = 30;
  check_draws(
      "hypergeometric", [&] { return D::rng(g, int(N), int(A), int(B)); }, N * A / (A + B),
      N * A * B * (A + B - N) / ((A + B) * (A + B) * (A + B - 1)));
}
