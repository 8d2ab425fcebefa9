// The hand-derived partials of every family: against finite differences of the
// log density, against forward-mode duals carried through the same log
// density, and the contract on which partial slots are written.

#include <cfloat>

#include "statix/math/dual.hpp"

#include "distribution_test_support.hpp"

namespace {

using namespace statix_test;
using dual1 = statix::math::dual<double, 1>;

enum class axis { real, positive, unit };

template <class D>
axis axis_of(int k) {
  if (k == 0) {
    switch (D::support) {
    case dist::support_kind::positive:
    case dist::support_kind::nonnegative:
      return axis::positive;
    case dist::support_kind::unit_interval:
      return axis::unit;
    default:
      return axis::real;
    }
  }
  switch (D::param_domains[k - 1]) {
  case dist::param_domain::positive:
  case dist::param_domain::nonnegative:
    return axis::positive;
  case dist::param_domain::unit_interval_closed:
    return axis::unit;
  default:
    return axis::real;
  }
}

// Step of the finite difference in argument k: relative to the distance to the
// boundary of its domain, so x +- 2h stays inside; 0 when no step of at least
// 1000 ulps fits (the argument is then checked by the dual test only).
template <class D>
double fd_step(const args_t<D>& a, int k) {
  const double x = a[k];
  double h = 0;
  switch (axis_of<D>(k)) {
  case axis::real:
    h = 1e-5 * std::max(1.0, std::fabs(x));
    if constexpr (std::is_same_v<D, dist::uniform>) h = std::min(h, 1e-5 * (a[2] - a[1]));
    break;
  case axis::positive:
    h = 1e-5 * x;
    break;
  case axis::unit:
    h = 1e-5 * std::min(x, 1 - x);
    break;
  }
  const double h_exact = (x + h) - x; // a step the argument can take exactly
  const double ulp = std::nextafter(std::fabs(x), DBL_MAX) - std::fabs(x);
  return h_exact >= 1000 * ulp ? h_exact : 0.0;
}

// Five-point central difference of the full log density in argument k, and the
// size of its rounding error.
template <class D>
std::pair<double, double> finite_difference(args_t<D> a, int k, double h) {
  const double x = a[k];
  auto f = [&](double step) {
    a[k] = x + step;
    return lpdf<D>(a);
  };
  const double f1 = f(h), fm1 = f(-h), f2 = f(2 * h), fm2 = f(-2 * h);
  const double derivative = (8 * (f1 - fm1) - (f2 - fm2)) / (12 * h);
  const double fmax = std::max({std::fabs(f1), std::fabs(fm1), std::fabs(f2), std::fabs(fm2)});
  return {derivative, 1e-14 * fmax / h};
}

template <class D>
std::array<double, num_args<D>> partials(const args_t<D>& a) {
  std::array<double, num_args<D>> d;
  d.fill(qnan);
  lpdf<D, false, real_args<D>, true>(a, d.data());
  return d;
}

template <class D>
std::vector<args_t<D>> gradient_points(unsigned long long seed) {
  point_source s(seed);
  std::vector<args_t<D>> points;
  for (int i = 0; i < 60; ++i)
    points.push_back(spec<D>::random_point(s));
  for (const auto& t : spec<D>::tail_points())
    points.push_back(t);
  return points;
}

template <class D>
void check_finite_differences(unsigned long long seed) {
  int checked = 0;
  for (const auto& a : gradient_points<D>(seed)) {
    const auto d = partials<D>(a);
    for (int k = 0; k < num_args<D>; ++k) {
      if (!has_bit<real_args<D>>(k)) continue;
      const double h = fd_step<D>(a, k);
      if (h == 0) continue;
      const auto [fd, rounding] = finite_difference<D>(a, k, h);
      INFO(show<D>(a) << ", argument " << k << ": analytic " << d[k] << ", finite difference "
                      << fd);
      CHECK(std::fabs(d[k] - fd) <= 1e-6 * std::max(1.0, std::fabs(d[k])) + rounding);
      ++checked;
    }
  }
  CHECK(checked >= 60);
}

// The tangent of a dual seeded on argument k is d lpdf / d arg k computed by the
// chain rule through the same code; it must agree with the hand-derived
// partial. `rel` is 1e-12 except where the partial is a sum of terms that
// cancel (the caller passes the size of those terms through `scale`).
template <class D, class Scale>
void check_duals(const std::vector<args_t<D>>& points, Scale scale, double rel = 1e-12) {
  for (const auto& a : points) {
    const auto d = partials<D>(a);
    const double value = lpdf<D>(a);
    for (int k = 0; k < num_args<D>; ++k) {
      if (!has_bit<real_args<D>>(k)) continue;
      std::array<dual1, num_args<D>> ad;
      for (int j = 0; j < num_args<D>; ++j)
        ad[j] = dual1(a[j]);
      ad[k] = dual1::variable(a[k], 0);
      const dual1 v = lpdf<D, false, real_args<D>, false>(ad);
      INFO(show<D>(a) << ", argument " << k << ": analytic " << d[k] << ", dual " << v.tan[0]);
      CHECK(v.val == value);
      const double s = std::max({1.0, std::fabs(d[k]), scale(a, k)});
      CHECK(std::fabs(v.tan[0] - d[k]) <= rel * s);
      // Partials in dual arithmetic: their values are the double partials.
      std::array<dual1, num_args<D>> dd;
      const dual1 w = lpdf<D, false, real_args<D>, true>(ad, dd.data());
      CHECK(w.val == value);
      CHECK(dd[k].val == d[k]);
    }
  }
}

struct no_scale {
  template <class A>
  double operator()(const A&, int) const {
    return 0.0;
  }
};

// For every subset V of the real arguments and both Propto: exactly the slots
// in V are written, with the all-varying partials; the value does not depend
// on Grad.
template <class D>
void check_slots(const args_t<D>& a) {
  const auto full = partials<D>(a);
  for_each_subset<real_args<D>>([&](auto varying) {
    constexpr unsigned V = decltype(varying)::value;
    auto run = [&](auto propto) {
      constexpr bool P = decltype(propto)::value;
      std::array<double, num_args<D>> d;
      d.fill(12345.0);
      const double with_grad = lpdf<D, P, V, true>(a, d.data());
      CHECK(with_grad == lpdf<D, P, V, false>(a));
      for (int k = 0; k < num_args<D>; ++k) {
        INFO(show<D>(a) << ", Propto " << P << ", varying " << V << ", slot " << k);
        if ((V >> k) & 1u)
          CHECK(d[k] == full[k]);
        else
          CHECK(d[k] == 12345.0);
      }
    };
    run(std::false_type{});
    run(std::true_type{});
  });
}

} // namespace

TEST_CASE("partials match finite differences: continuous families", "[distributions]") {
  unsigned long long seed = 300;
  for_each_family(continuous_families{}, [&](auto* family) {
    using D = std::remove_pointer_t<decltype(family)>;
    INFO(D::family_name);
    check_finite_differences<D>(++seed);
  });
}

TEST_CASE("partials match finite differences: discrete families", "[distributions]") {
  unsigned long long seed = 400;
  for_each_family(discrete_families{}, [&](auto* family) {
    using D = std::remove_pointer_t<decltype(family)>;
    INFO(D::family_name);
    check_finite_differences<D>(++seed);
  });
}

TEST_CASE("partials match forward-mode duals", "[distributions]") {
  unsigned long long seed = 500;
  auto all = [&](auto* family) {
    using D = std::remove_pointer_t<decltype(family)>;
    INFO(D::family_name);
    check_duals<D>(gradient_points<D>(++seed), no_scale{});
  };
  for_each_family(continuous_families{}, all);
  for_each_family(discrete_families{}, all);
}

TEST_CASE("partials are written to exactly the varying slots", "[distributions]") {
  unsigned long long seed = 600;
  auto all = [&](auto* family) {
    using D = std::remove_pointer_t<decltype(family)>;
    INFO(D::family_name);
    point_source s(++seed);
    for (int i = 0; i < 5; ++i)
      check_slots<D>(spec<D>::random_point(s));
  };
  for_each_family(continuous_families{}, all);
  for_each_family(discrete_families{}, all);
}

TEST_CASE("partials at the boundaries of the support", "[distributions]") {
  // Finite limits at y = 0 have their one-sided partials.
  double d[3];
  dist::exponential::lpdf<false, 3u, true>(0.0, 2.5, d);
  CHECK(d[0] == -2.5);
  CHECK(d[1] == Approx(1 / 2.5).epsilon(1e-15));
  dist::gamma::lpdf<false, 5u, true>(0.0, 1.0, 2.5, d); // alpha = 1: exponential(2.5)
  CHECK(d[0] == -2.5);
  CHECK(d[2] == Approx(1 / 2.5).epsilon(1e-15));
  dist::weibull::lpdf<false, 5u, true>(0.0, 1.0, 4.0, d); // alpha = 1: exponential(1/4)
  CHECK(d[0] == Approx(-0.25).epsilon(1e-15));
  CHECK(d[2] == Approx(-0.25).epsilon(1e-15));
  dist::half_normal::lpdf<false, 3u, true>(0.0, 2.0, d);
  CHECK(d[0] == 0.0);
  CHECK(d[1] == Approx(-0.5).epsilon(1e-15));
  dist::beta::lpdf<false, 1u, true>(0.0, 1.0, 3.0, d); // density b (1 - y)^(b-1)
  CHECK(d[0] == Approx(-2.0).epsilon(1e-15));
  // Infinite limits: the value is the limit and every requested partial is 0.
  d[0] = d[1] = d[2] = 7.0;
  CHECK((dist::gamma::lpdf<false, 7u, true>(0.0, 0.5, 2.0, d)) == inf);
  CHECK((d[0] == 0.0 && d[1] == 0.0 && d[2] == 0.0));
  d[0] = d[1] = d[2] = 7.0;
  CHECK((dist::beta::lpdf<false, 7u, true>(1.0, 2.0, 0.5, d)) == inf);
  CHECK((d[0] == 0.0 && d[1] == 0.0 && d[2] == 0.0));
  d[0] = d[1] = d[2] = 7.0;
  CHECK((dist::weibull::lpdf<false, 7u, true>(0.0, 2.0, 1.0, d)) == -inf);
  CHECK((d[0] == 0.0 && d[1] == 0.0 && d[2] == 0.0));
  // Discrete limits: bernoulli at theta = 0 with y = 0 has log p = 0, slope -1.
  dist::bernoulli::lpdf<false, 2u, true>(0, 0.0, d);
  CHECK(d[1] == -1.0);
  dist::poisson::lpdf<false, 2u, true>(0, 0.0, d);
  CHECK(d[1] == -1.0);
  dist::bernoulli_logit::lpdf<false, 2u, true>(1, 800.0, d);
  CHECK(d[1] == 0.0);
  dist::bernoulli_logit::lpdf<false, 2u, true>(1, -800.0, d);
  CHECK(d[1] == 1.0);
}

TEST_CASE("categorical_logit partials: finite differences, duals and slots", "[distributions]") {
  point_source s(700);
  for (int trial = 0; trial < 40; ++trial) {
    const int K = s.integer(1, 9);
    std::vector<double> beta(K);
    for (auto& b : beta)
      b = s.uniform(-20, 20);
    const int y = s.integer(0, K - 1);
    std::vector<double> d(K, qnan);
    const double value =
        dist::categorical_logit::lpdf<false, 2u, true>(y, beta.data(), K, d.data());
    for (int k = 0; k < K; ++k) {
      INFO("K " << K << ", y " << y << ", k " << k);
      // finite difference
      const double h = 1e-5 * std::max(1.0, std::fabs(beta[k]));
      auto f = [&](double step) {
        std::vector<double> b = beta;
        b[k] += step;
        return dist::categorical_logit::lpdf<false, 0u, false>(y, b.data(), K, (double*)nullptr);
      };
      const double fd = (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
      CHECK(std::fabs(fd - d[k]) <=
            1e-6 * std::max(1.0, std::fabs(d[k])) + 1e-14 * std::max(1.0, std::fabs(value)) / h);
      // dual
      std::vector<dual1> db(K);
      for (int j = 0; j < K; ++j)
        db[j] = dual1(beta[j]);
      db[k] = dual1::variable(beta[k], 0);
      const dual1 v =
          dist::categorical_logit::lpdf<false, 2u, false>(y, db.data(), K, (dual1*)nullptr);
      CHECK(v.val == value);
      CHECK(std::fabs(v.tan[0] - d[k]) <= 1e-12 * std::max(1.0, std::fabs(d[k])));
    }
    // Not varying: the slots are left alone.
    std::vector<double> untouched(K, 12345.0);
    CHECK((dist::categorical_logit::lpdf<false, 0u, true>(y, beta.data(), K, untouched.data())) ==
          value);
    for (double u : untouched)
      CHECK(u == 12345.0);
  }
  // The partials sum to 0 (softmax sums to 1), also with a dominant category.
  const double beta[4] = {700.0, 0.0, -3.0, 2.0};
  double d[4];
  dist::categorical_logit::lpdf<false, 2u, true>(0, beta, 4, d);
  // 1 - softmax_0 = 1e-304, not a rounded 0
  CHECK(d[0] == Approx(std::exp(-700.0) + std::exp(-703.0) + std::exp(-698.0)).epsilon(1e-13));
  CHECK(std::fabs(d[0] + d[1] + d[2] + d[3]) <= 1e-300);
}
