#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Hypergeometric, as Stan's hypergeometric(y | N, a, b): y successes in N
// draws without replacement from an urn of a successes and b failures,
//   log p(y) = lchoose(a, y) + lchoose(b, N - y) - lchoose(a + b, N),
// on max(0, N - b) <= y <= min(a, N); N <= a + b. Every argument is an integer,
// so nothing has a partial, and with Propto the whole value is a constant.
struct hypergeometric {
  static constexpr const char* family_name = "hypergeometric";
  static constexpr int num_params = 3;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::int_upto_param0;
  static constexpr std::array<const char*, 3> param_names = {"N", "a", "b"};
  static constexpr std::array<param_domain, 3> param_domains = {
      param_domain::nonnegative_int, param_domain::nonnegative_int, param_domain::nonnegative_int};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, int N, int a, int b, T*) {
    if (N < 0 || a < 0 || b < 0 || N > a + b || y < 0 || y > a || y > N || N - y > b)
      return math::negative_infinity<T>();
    if constexpr (Propto) {
      return T(0.0);
    } else {
      const double yd = y, Nd = N, ad = a, bd = b;
      return T(math::lchoose(ad, yd) + math::lchoose(bd, Nd - yd) - math::lchoose(ad + bd, Nd));
    }
  }

  static double lcdf(int y, int N, int a, int b) {
    const int lo = N - b > 0 ? N - b : 0;
    if (y < lo) return math::negative_infinity<double>();
    double acc = math::negative_infinity<double>();
    for (int k = lo; k <= y && k <= a && k <= N; ++k)
      acc = math::log_sum_exp(acc, lpdf<false, 0u, false, double>(k, N, a, b, nullptr));
    return acc;
  }
  static double lccdf(int y, int N, int a, int b) {
    const int hi = a < N ? a : N;
    if (y >= hi) return math::negative_infinity<double>();
    double acc = math::negative_infinity<double>();
    for (int k = (y + 1 > 0 ? y + 1 : 0); k <= hi; ++k)
      acc = math::log_sum_exp(acc, lpdf<false, 0u, false, double>(k, N, a, b, nullptr));
    return acc;
  }
  static double cdf(int y, int N, int a, int b) { return math::exp(lcdf(y, N, a, b)); }

  // N draws from the urn, one at a time.
  template <class Rng>
  STATIX_HD static int rng(Rng& g, int N, int a, int b) {
    if (N < 0 || a < 0 || b < 0 || N > a + b) return -1;
    int successes = 0, left_a = a, left = a + b;
    for (int i = 0; i < N; ++i) {
      if (random::uniform01(g) * left < left_a) {
        ++successes;
        --left_a;
      }
      --left;
    }
    return successes;
  }
};

} // namespace statix::dist
