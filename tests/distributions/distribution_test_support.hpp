#pragma once

// Shared plumbing of the distribution tests: calling any family's lpdf with its
// arguments in one array, random valid argument points per family (every
// argument drawn on its own, so any mix of two points is valid too), points in
// the tails, and comparison helpers.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "statix/distributions/distributions.hpp"

namespace statix_test {

namespace dist = statix::dist;
using ld = long double;

inline constexpr double inf = std::numeric_limits<double>::infinity();
inline constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

// --------------------------------------------------------------- calling lpdf

// Arguments passed as int: the variate of a discrete family, binomial's n.
template <class D>
inline constexpr unsigned int_args = D::is_discrete ? 1u : 0u;
template <>
inline constexpr unsigned int_args<dist::binomial> = 3u;
template <>
inline constexpr unsigned int_args<dist::binomial_logit> = 3u;
template <>
inline constexpr unsigned int_args<dist::beta_binomial> = 3u;
template <>
inline constexpr unsigned int_args<dist::hypergeometric> = 15u;

template <class D>
inline constexpr int num_args = D::num_params + 1;
template <class D>
inline constexpr unsigned all_args = (1u << num_args<D>)-1u;
template <class D>
inline constexpr unsigned real_args = all_args<D> & ~int_args<D>;

// Whether bit k of Mask is set.
template <unsigned Mask>
constexpr bool has_bit(int k) {
  return ((Mask >> k) & 1u) != 0u;
}

template <class D>
using args_t = std::array<double, num_args<D>>;

template <class D, std::size_t I, class T>
auto arg(const std::array<T, num_args<D>>& a) {
  if constexpr (has_bit<int_args<D>>(I))
    return static_cast<int>(statix::math::value_of(a[I]));
  else
    return a[I];
}

template <class D, bool Propto, unsigned V, bool Grad, class T, std::size_t... I>
T call_lpdf(const std::array<T, num_args<D>>& a, T* d, std::index_sequence<I...>) {
  return D::template lpdf<Propto, V, Grad, T>(arg<D, I>(a)..., d);
}

// lpdf at the point `a`; d (num_args slots) receives the partials when Grad.
template <class D, bool Propto = false, unsigned V = 0u, bool Grad = false, class T>
T lpdf(const std::array<T, num_args<D>>& a, T* d = nullptr) {
  return call_lpdf<D, Propto, V, Grad>(a, d, std::make_index_sequence<num_args<D>>{});
}

template <class D>
std::string show(const args_t<D>& a) {
  std::ostringstream os;
  os.precision(17);
  os << D::family_name << "(";
  for (int k = 0; k < num_args<D>; ++k)
    os << (k ? ", " : "") << a[k];
  os << ")";
  return os.str();
}

// ------------------------------------------------------------- comparisons

// |got - want| <= rel * max(|want|, 1): relative, absolute near 0; infinities
// must match exactly.
inline bool close_to(double got, ld want, double rel) {
  if (std::isnan(got) || std::isnan(want)) return false;
  if (std::isinf(want) || std::isinf(got)) return static_cast<ld>(got) == want;
  const ld scale = std::fabs(want) > 1 ? std::fabs(want) : ld(1);
  return std::fabs(static_cast<ld>(got) - want) <= rel * scale;
}

#define STATIX_CHECK_CLOSE(got, want, rel)                                                         \
  do {                                                                                             \
    const double got_ = (got);                                                                     \
    const long double want_ = (want);                                                              \
    INFO("got " << got_ << ", want " << static_cast<double>(want_) << ", difference "              \
                << static_cast<double>(static_cast<long double>(got_) - want_));                   \
    CHECK(::statix_test::close_to(got_, want_, (rel)));                                            \
  } while (0)

// ------------------------------------------------------ random argument points

struct point_source {
  std::mt19937_64 engine;
  explicit point_source(unsigned long long seed) : engine(seed) {}
  double uniform(double a, double b) {
    return std::uniform_real_distribution<double>(a, b)(engine);
  }
  double log_uniform(double a, double b) { return std::exp(uniform(std::log(a), std::log(b))); }
  int integer(int a, int b) { return std::uniform_int_distribution<int>(a, b)(engine); }
};

// spec<D>::random_point(src): a valid point, each argument drawn independently
// (any argument of one point may be swapped for that of another).
// spec<D>::tail_points(): valid points far in the tails or near the boundary.
// spec<D>::all_varying_constant(a): what Propto drops when every real argument
// varies (the true constants only), in long double.
template <class D>
struct spec;

template <>
struct spec<dist::normal> {
  static args_t<dist::normal> random_point(point_source& s) {
    return {s.uniform(-50, 50), s.uniform(-5, 5), s.log_uniform(0.05, 20)};
  }
  static std::vector<args_t<dist::normal>> tail_points() {
    return {{40.0, 0.0, 1.0}, {-1e3, 3.0, 25.0}, {1e-8, 0.0, 1e-6}};
  }
  static ld all_varying_constant(const args_t<dist::normal>&) {
    return -0.5L * std::log(2 * 3.14159265358979323846264338327950288L);
  }
};

template <>
struct spec<dist::student_t> {
  static args_t<dist::student_t> random_point(point_source& s) {
    return {s.uniform(-100, 100), s.log_uniform(0.3, 200), s.uniform(-5, 5),
            s.log_uniform(0.05, 20)};
  }
  static std::vector<args_t<dist::student_t>> tail_points() {
    return {{1e6, 3.0, 0.0, 1.0}, {-1e5, 0.5, 2.0, 0.1}, {30.0, 1e4, 0.0, 1.0}};
  }
  static ld all_varying_constant(const args_t<dist::student_t>&) {
    return -0.5L * std::log(3.14159265358979323846264338327950288L);
  }
};

template <>
struct spec<dist::cauchy> {
  static args_t<dist::cauchy> random_point(point_source& s) {
    return {s.uniform(-100, 100), s.uniform(-5, 5), s.log_uniform(0.05, 20)};
  }
  static std::vector<args_t<dist::cauchy>> tail_points() {
    return {{1e8, 0.0, 1.0}, {-1e5, 2.0, 0.01}};
  }
  static ld all_varying_constant(const args_t<dist::cauchy>&) {
    return -std::log(3.14159265358979323846264338327950288L);
  }
};

template <>
struct spec<dist::half_normal> {
  static args_t<dist::half_normal> random_point(point_source& s) {
    return {s.log_uniform(1e-3, 50), s.log_uniform(0.05, 20)};
  }
  static std::vector<args_t<dist::half_normal>> tail_points() {
    return {{40.0, 1.0}, {1e-10, 2.0}, {300.0, 0.5}};
  }
  static ld all_varying_constant(const args_t<dist::half_normal>&) {
    return 0.5L * std::log(2 / 3.14159265358979323846264338327950288L);
  }
};

template <>
struct spec<dist::half_cauchy> {
  static args_t<dist::half_cauchy> random_point(point_source& s) {
    return {s.log_uniform(1e-3, 1e3), s.log_uniform(0.05, 20)};
  }
  static std::vector<args_t<dist::half_cauchy>> tail_points() { return {{1e8, 1.0}, {1e-10, 2.0}}; }
  static ld all_varying_constant(const args_t<dist::half_cauchy>&) {
    return std::log(2 / 3.14159265358979323846264338327950288L);
  }
};

template <>
struct spec<dist::half_student_t> {
  static args_t<dist::half_student_t> random_point(point_source& s) {
    return {s.log_uniform(1e-3, 1e3), s.log_uniform(0.3, 200), s.log_uniform(0.05, 20)};
  }
  static std::vector<args_t<dist::half_student_t>> tail_points() {
    return {{1e6, 3.0, 1.0}, {1e-10, 5.0, 2.0}};
  }
  static ld all_varying_constant(const args_t<dist::half_student_t>&) {
    return std::log(2.0L) - 0.5L * std::log(3.14159265358979323846264338327950288L);
  }
};

template <>
struct spec<dist::exponential> {
  static args_t<dist::exponential> random_point(point_source& s) {
    return {s.log_uniform(1e-4, 50), s.log_uniform(0.01, 100)};
  }
  static std::vector<args_t<dist::exponential>> tail_points() {
    return {{1e3, 1.0}, {1e-12, 3.0}, {5e4, 0.02}};
  }
  static ld all_varying_constant(const args_t<dist::exponential>&) { return 0; }
};

template <>
struct spec<dist::gamma> {
  static args_t<dist::gamma> random_point(point_source& s) {
    return {s.log_uniform(1e-3, 100), s.log_uniform(0.1, 50), s.log_uniform(0.01, 10)};
  }
  static std::vector<args_t<dist::gamma>> tail_points() {
    return {{1e3, 2.0, 1.0}, {1e-8, 0.5, 2.0}, {1e-8, 3.0, 2.0}, {200.0, 150.0, 0.5}};
  }
  static ld all_varying_constant(const args_t<dist::gamma>&) { return 0; }
};

template <>
struct spec<dist::inv_gamma> {
  static args_t<dist::inv_gamma> random_point(point_source& s) {
    return {s.log_uniform(1e-2, 100), s.log_uniform(0.1, 50), s.log_uniform(0.01, 10)};
  }
  static std::vector<args_t<dist::inv_gamma>> tail_points() {
    return {{1e-3, 2.0, 1.0}, {1e6, 0.5, 2.0}};
  }
  static ld all_varying_constant(const args_t<dist::inv_gamma>&) { return 0; }
};

template <>
struct spec<dist::lognormal> {
  static args_t<dist::lognormal> random_point(point_source& s) {
    return {s.log_uniform(1e-4, 1e4), s.uniform(-3, 3), s.log_uniform(0.1, 5)};
  }
  static std::vector<args_t<dist::lognormal>> tail_points() {
    return {{1e-300, 0.0, 1.0}, {1e100, 1.0, 2.0}};
  }
  static ld all_varying_constant(const args_t<dist::lognormal>&) {
    return -0.5L * std::log(2 * 3.14159265358979323846264338327950288L);
  }
};

template <>
struct spec<dist::beta> {
  static args_t<dist::beta> random_point(point_source& s) {
    return {s.uniform(0.001, 0.999), s.log_uniform(0.1, 50), s.log_uniform(0.1, 50)};
  }
  static std::vector<args_t<dist::beta>> tail_points() {
    return {{1e-10, 0.5, 2.0}, {1.0 - 1e-10, 3.0, 0.7}, {0.5, 1e3, 2e3}};
  }
  static ld all_varying_constant(const args_t<dist::beta>&) { return 0; }
};

template <>
struct spec<dist::uniform> {
  static args_t<dist::uniform> random_point(point_source& s) {
    return {s.uniform(0.4, 0.6), s.uniform(-2, 0.3), s.uniform(0.7, 3)};
  }
  static std::vector<args_t<dist::uniform>> tail_points() {
    return {{1e-12, -1e-12, 2e-12}, {1e6, -1e6, 1e7}};
  }
  static ld all_varying_constant(const args_t<dist::uniform>&) { return 0; }
};

template <>
struct spec<dist::logistic> {
  static args_t<dist::logistic> random_point(point_source& s) {
    return {s.uniform(-100, 100), s.uniform(-5, 5), s.log_uniform(0.05, 20)};
  }
  static std::vector<args_t<dist::logistic>> tail_points() {
    return {{800.0, 0.0, 1.0}, {-800.0, 0.0, 1.0}, {1e-9, 0.0, 1.0}};
  }
  static ld all_varying_constant(const args_t<dist::logistic>&) { return 0; }
};

template <>
struct spec<dist::laplace> {
  static args_t<dist::laplace> random_point(point_source& s) {
    return {s.uniform(-100, 100), s.uniform(-5, 5), s.log_uniform(0.05, 20)};
  }
  static std::vector<args_t<dist::laplace>> tail_points() {
    return {{800.0, 0.0, 1.0}, {-1e3, 3.0, 0.5}};
  }
  static ld all_varying_constant(const args_t<dist::laplace>&) { return -std::log(2.0L); }
};

template <>
struct spec<dist::weibull> {
  static args_t<dist::weibull> random_point(point_source& s) {
    return {s.log_uniform(1e-3, 20), s.log_uniform(0.2, 10), s.log_uniform(0.1, 10)};
  }
  static std::vector<args_t<dist::weibull>> tail_points() {
    return {{1e-10, 0.5, 1.0}, {1e-10, 3.0, 1.0}, {50.0, 2.0, 1.0}};
  }
  static ld all_varying_constant(const args_t<dist::weibull>&) { return 0; }
};

template <>
struct spec<dist::bernoulli> {
  static args_t<dist::bernoulli> random_point(point_source& s) {
    return {double(s.integer(0, 1)), s.uniform(0.001, 0.999)};
  }
  static std::vector<args_t<dist::bernoulli>> tail_points() {
    return {{1, 1e-12}, {0, 1 - 1e-12}, {0, 1e-300}};
  }
  static ld all_varying_constant(const args_t<dist::bernoulli>&) { return 0; }
};

template <>
struct spec<dist::bernoulli_logit> {
  static args_t<dist::bernoulli_logit> random_point(point_source& s) {
    return {double(s.integer(0, 1)), s.uniform(-30, 30)};
  }
  static std::vector<args_t<dist::bernoulli_logit>> tail_points() {
    return {{1, -800.0}, {0, 800.0}, {1, 800.0}, {0, -800.0}, {1, 1e-12}};
  }
  static ld all_varying_constant(const args_t<dist::bernoulli_logit>&) { return 0; }
};

inline ld lchoose_ld(int n, int k) {
  return std::lgamma(ld(n) + 1) - std::lgamma(ld(k) + 1) - std::lgamma(ld(n - k) + 1);
}

template <>
struct spec<dist::binomial> {
  static args_t<dist::binomial> random_point(point_source& s) {
    const int n = s.integer(0, 200);
    return {double(s.integer(0, n)), double(n), s.uniform(0.001, 0.999)};
  }
  static std::vector<args_t<dist::binomial>> tail_points() {
    return {{500123, 1000000, 0.5}, {3, 1000, 1e-6}, {0, 50, 1e-9}, {999, 1000, 1 - 1e-9}};
  }
  static ld all_varying_constant(const args_t<dist::binomial>& a) {
    return lchoose_ld(int(a[1]), int(a[0]));
  }
};

template <>
struct spec<dist::binomial_logit> {
  static args_t<dist::binomial_logit> random_point(point_source& s) {
    const int n = s.integer(0, 200);
    return {double(s.integer(0, n)), double(n), s.uniform(-30, 30)};
  }
  static std::vector<args_t<dist::binomial_logit>> tail_points() {
    return {{500123, 1000000, 0.0004}, {3, 10, -800.0}, {10, 10, 800.0}, {0, 7, -700.0}};
  }
  static ld all_varying_constant(const args_t<dist::binomial_logit>& a) {
    return lchoose_ld(int(a[1]), int(a[0]));
  }
};

template <>
struct spec<dist::poisson> {
  static args_t<dist::poisson> random_point(point_source& s) {
    return {double(s.integer(0, 100)), s.log_uniform(0.01, 200)};
  }
  static std::vector<args_t<dist::poisson>> tail_points() {
    return {{0, 1e4}, {1000000, 1e6}, {300, 1e-3}, {12, 1e5}};
  }
  static ld all_varying_constant(const args_t<dist::poisson>& a) {
    return -std::lgamma(ld(a[0]) + 1);
  }
};

template <>
struct spec<dist::poisson_log> {
  static args_t<dist::poisson_log> random_point(point_source& s) {
    return {double(s.integer(0, 100)), s.uniform(-5, 6)};
  }
  static std::vector<args_t<dist::poisson_log>> tail_points() {
    return {{0, 9.2}, {1000000, 13.8}, {300, -7.0}, {0, -700.0}, {5, 700.0}};
  }
  static ld all_varying_constant(const args_t<dist::poisson_log>& a) {
    return -std::lgamma(ld(a[0]) + 1);
  }
};

template <>
struct spec<dist::neg_binomial_2> {
  static args_t<dist::neg_binomial_2> random_point(point_source& s) {
    return {double(s.integer(0, 100)), s.log_uniform(0.1, 200), s.log_uniform(0.05, 1e4)};
  }
  static std::vector<args_t<dist::neg_binomial_2>> tail_points() {
    return {{0, 1e4, 0.5}, {1000, 3.0, 2.0}, {7, 5.0, 1e8}, {100000, 1e5, 30.0}};
  }
  static ld all_varying_constant(const args_t<dist::neg_binomial_2>& a) {
    return -std::lgamma(ld(a[0]) + 1);
  }
};

// The families added for Stan coverage (more_families_test.cpp checks their
// values, cdfs and draws). pareto and pareto_type_2 keep y above y_min / mu
// for any mix of points.
template <>
struct spec<dist::skew_normal> {
  static args_t<dist::skew_normal> random_point(point_source& s) {
    return {s.uniform(-20, 20), s.uniform(-3, 3), s.log_uniform(0.2, 5), s.uniform(-6, 6)};
  }
  static std::vector<args_t<dist::skew_normal>> tail_points() {
    return {{-40.0, 0.0, 1.0, 2.0}, {40.0, 0.0, 1.0, -1.5}, {1e-9, 0.0, 1.0, 1e-9}};
  }
  static ld all_varying_constant(const args_t<dist::skew_normal>&) {
    return -0.5L * std::log(2 * 3.14159265358979323846264338327950288L);
  }
};

template <>
struct spec<dist::exp_mod_normal> {
  static args_t<dist::exp_mod_normal> random_point(point_source& s) {
    return {s.uniform(-10, 30), s.uniform(-3, 3), s.log_uniform(0.2, 5), s.log_uniform(0.05, 5)};
  }
  static std::vector<args_t<dist::exp_mod_normal>> tail_points() {
    return {{-60.0, 0.0, 1.0, 1.0}, {200.0, 0.0, 1.0, 0.5}, {0.0, 0.0, 1.0, 40.0}};
  }
  static ld all_varying_constant(const args_t<dist::exp_mod_normal>&) { return -std::log(2.0L); }
};

template <>
struct spec<dist::gumbel> {
  static args_t<dist::gumbel> random_point(point_source& s) {
    return {s.uniform(-20, 40), s.uniform(-5, 5), s.log_uniform(0.1, 10)};
  }
  static std::vector<args_t<dist::gumbel>> tail_points() {
    return {{-30.0, 0.0, 2.0}, {600.0, 0.0, 1.0}, {1e-9, 0.0, 1.0}};
  }
  static ld all_varying_constant(const args_t<dist::gumbel>&) { return 0; }
};

template <>
struct spec<dist::frechet> {
  static args_t<dist::frechet> random_point(point_source& s) {
    return {s.log_uniform(1e-2, 1e3), s.log_uniform(0.3, 20), s.log_uniform(0.1, 10)};
  }
  static std::vector<args_t<dist::frechet>> tail_points() {
    return {{1e-3, 1.0, 1.0}, {1e12, 2.0, 1.0}, {0.2, 5.0, 1.0}};
  }
  static ld all_varying_constant(const args_t<dist::frechet>&) { return 0; }
};

template <>
struct spec<dist::pareto> {
  static args_t<dist::pareto> random_point(point_source& s) {
    return {s.log_uniform(10, 1e4), s.log_uniform(0.1, 9), s.log_uniform(0.2, 20)};
  }
  static std::vector<args_t<dist::pareto>> tail_points() {
    return {{1e12, 1.0, 3.0}, {2.5, 2.0, 1.5}, {1e200, 1e-3, 0.5}};
  }
  static ld all_varying_constant(const args_t<dist::pareto>&) { return 0; }
};

template <>
struct spec<dist::pareto_type_2> {
  static args_t<dist::pareto_type_2> random_point(point_source& s) {
    return {s.uniform(5, 100), s.uniform(-5, 4), s.log_uniform(0.1, 10), s.log_uniform(0.2, 20)};
  }
  static std::vector<args_t<dist::pareto_type_2>> tail_points() {
    return {{1e12, 0.0, 1.0, 3.0}, {1e-3, 0.0, 1.0, 2.0}};
  }
  static ld all_varying_constant(const args_t<dist::pareto_type_2>&) { return 0; }
};

template <>
struct spec<dist::rayleigh> {
  static args_t<dist::rayleigh> random_point(point_source& s) {
    return {s.log_uniform(1e-3, 50), s.log_uniform(0.1, 10)};
  }
  static std::vector<args_t<dist::rayleigh>> tail_points() {
    return {{1e-200, 1.0}, {60.0, 1.0}, {1e-8, 1e3}};
  }
  static ld all_varying_constant(const args_t<dist::rayleigh>&) { return 0; }
};

template <>
struct spec<dist::chi_square> {
  static args_t<dist::chi_square> random_point(point_source& s) {
    return {s.log_uniform(1e-3, 100), s.log_uniform(0.2, 50)};
  }
  static std::vector<args_t<dist::chi_square>> tail_points() {
    return {{1e-10, 1.0}, {1e3, 3.0}, {500.0, 400.0}};
  }
  static ld all_varying_constant(const args_t<dist::chi_square>&) { return 0; }
};

template <>
struct spec<dist::inv_chi_square> {
  static args_t<dist::inv_chi_square> random_point(point_source& s) {
    return {s.log_uniform(1e-2, 100), s.log_uniform(0.2, 50)};
  }
  static std::vector<args_t<dist::inv_chi_square>> tail_points() {
    return {{1e-3, 1.0}, {1e6, 3.0}};
  }
  static ld all_varying_constant(const args_t<dist::inv_chi_square>&) { return 0; }
};

template <>
struct spec<dist::scaled_inv_chi_square> {
  static args_t<dist::scaled_inv_chi_square> random_point(point_source& s) {
    return {s.log_uniform(1e-2, 100), s.log_uniform(0.2, 50), s.log_uniform(0.1, 10)};
  }
  static std::vector<args_t<dist::scaled_inv_chi_square>> tail_points() {
    return {{1e-3, 1.0, 0.1}, {1e6, 3.0, 2.0}};
  }
  static ld all_varying_constant(const args_t<dist::scaled_inv_chi_square>&) { return 0; }
};

template <>
struct spec<dist::von_mises> {
  static args_t<dist::von_mises> random_point(point_source& s) {
    return {s.uniform(-10, 10), s.uniform(-3, 3), s.log_uniform(1e-3, 500)};
  }
  static std::vector<args_t<dist::von_mises>> tail_points() {
    return {{0.0, 0.0, 1e4}, {3.0, 0.0, 1e4}, {0.1, 0.0, 30.0}};
  }
  static ld all_varying_constant(const args_t<dist::von_mises>&) {
    return -std::log(2 * 3.14159265358979323846264338327950288L);
  }
};

template <>
struct spec<dist::beta_binomial> {
  static args_t<dist::beta_binomial> random_point(point_source& s) {
    const int n = s.integer(0, 200);
    return {double(s.integer(0, n)), double(n), s.log_uniform(0.1, 100), s.log_uniform(0.1, 100)};
  }
  static std::vector<args_t<dist::beta_binomial>> tail_points() {
    return {{0, 1000, 0.5, 1e4}, {1000, 1000, 200.0, 0.3}, {3, 7, 1e5, 1e5}};
  }
  static ld all_varying_constant(const args_t<dist::beta_binomial>& a) {
    return lchoose_ld(int(a[1]), int(a[0]));
  }
};

template <>
struct spec<dist::neg_binomial> {
  static args_t<dist::neg_binomial> random_point(point_source& s) {
    return {double(s.integer(0, 100)), s.log_uniform(0.1, 200), s.log_uniform(0.01, 100)};
  }
  static std::vector<args_t<dist::neg_binomial>> tail_points() {
    return {{0, 0.5, 1e-4}, {1000, 3.0, 0.01}, {7, 1e8, 2e7}};
  }
  static ld all_varying_constant(const args_t<dist::neg_binomial>& a) {
    return -std::lgamma(ld(a[0]) + 1);
  }
};

template <>
struct spec<dist::neg_binomial_2_log> {
  static args_t<dist::neg_binomial_2_log> random_point(point_source& s) {
    return {double(s.integer(0, 100)), s.uniform(-3, 6), s.log_uniform(0.05, 1e4)};
  }
  static std::vector<args_t<dist::neg_binomial_2_log>> tail_points() {
    return {{0, 9.0, 0.5}, {1000, 1.0, 2.0}, {7, 1.6, 1e8}, {3, -30.0, 1.0}};
  }
  static ld all_varying_constant(const args_t<dist::neg_binomial_2_log>& a) {
    return -std::lgamma(ld(a[0]) + 1);
  }
};

// -------------------------------------------------- running over every family

template <class... D>
struct family_list {};

using continuous_families =
    family_list<dist::normal, dist::student_t, dist::cauchy, dist::half_normal, dist::half_cauchy,
                dist::half_student_t, dist::exponential, dist::gamma, dist::inv_gamma,
                dist::lognormal, dist::beta, dist::uniform, dist::logistic, dist::laplace,
                dist::weibull, dist::skew_normal, dist::exp_mod_normal, dist::gumbel, dist::frechet,
                dist::pareto, dist::pareto_type_2, dist::rayleigh, dist::chi_square,
                dist::inv_chi_square, dist::scaled_inv_chi_square, dist::von_mises>;
using discrete_families =
    family_list<dist::bernoulli, dist::bernoulli_logit, dist::binomial, dist::binomial_logit,
                dist::poisson, dist::poisson_log, dist::neg_binomial_2, dist::beta_binomial,
                dist::neg_binomial, dist::neg_binomial_2_log>;
// discrete_range and hypergeometric have no partials (integer-valued
// arguments); more_families_test.cpp checks them.

template <class... D, class F>
void for_each_family(family_list<D...>, F&& f) {
  (f(static_cast<D*>(nullptr)), ...);
}

// Calls f(std::integral_constant<unsigned, V>{}) for every subset V of Mask.
template <unsigned Mask, unsigned V = 0u, class F>
void for_each_subset(F&& f) {
  if constexpr (V <= Mask) {
    if constexpr ((V & ~Mask) == 0u) f(std::integral_constant<unsigned, V>{});
    for_each_subset<Mask, V + 1u>(f);
  }
}

// ------------------------------------------------------ shared test bodies

// -inf, with every partial slot of a real argument written 0.
template <class D>
void check_rejected(const args_t<D>& a) {
  INFO(show<D>(a));
  CHECK(lpdf<D>(a) == -inf);
  CHECK(lpdf<D, true, real_args<D>>(a) == -inf);
  std::array<double, num_args<D>> d;
  d.fill(qnan);
  CHECK((lpdf<D, false, real_args<D>, true>(a, d.data())) == -inf);
  for (int k = 0; k < num_args<D>; ++k) {
    if (has_bit<real_args<D>>(k)) CHECK(d[k] == 0.0);
  }
}

// With Propto the value differs from the full one by a term that does not
// depend on the varying arguments: compare two points that differ only there.
// With every argument varying, that term is the family's true constant.
template <class D>
void check_propto(unsigned long long seed) {
  point_source s(seed);
  for (int trial = 0; trial < 20; ++trial) {
    const args_t<D> a = spec<D>::random_point(s);
    const args_t<D> c = spec<D>::random_point(s);
    for_each_subset<real_args<D>>([&](auto varying) {
      constexpr unsigned V = decltype(varying)::value;
      if constexpr (V == 0u) {
        CHECK(lpdf<D, true, 0u>(a) == 0.0);
      } else {
        args_t<D> b = a;
        for (int k = 0; k < num_args<D>; ++k)
          if ((V >> k) & 1u) b[k] = c[k];
        INFO(show<D>(a) << " and " << show<D>(b) << ", varying mask " << V);
        const double dropped_a = lpdf<D>(a) - lpdf<D, true, V>(a);
        const double dropped_b = lpdf<D>(b) - lpdf<D, true, V>(b);
        const double scale =
            std::max({1.0, std::fabs(lpdf<D>(a)), std::fabs(lpdf<D>(b)),
                      std::fabs(lpdf<D, true, V>(a)), std::fabs(lpdf<D, true, V>(b))});
        CHECK(std::fabs(dropped_a - dropped_b) <= 1e-12 * scale);
        if constexpr (V == real_args<D>) {
          STATIX_CHECK_CLOSE(dropped_a, spec<D>::all_varying_constant(a), 1e-12 * scale);
        }
      }
    });
  }
}

} // namespace statix_test
