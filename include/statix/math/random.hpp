#pragma once

#include <cstdint>
#include <type_traits>

#include "statix/base/macros.hpp"
#include "statix/math/constants.hpp"
#include "statix/math/philox.hpp"
#include "statix/math/scalar_functions.hpp"

// Variate generators for the distributions, templated on any
// UniformRandomBitGenerator (statix::random::philox in the library). All are
// exact methods (no approximations beyond double rounding), stateless (no
// cached second normal), and usable in device code. Integer draws return int;
// invalid parameters give NaN for real draws and -1 for integer draws.
namespace statix::random {

// Larger Poisson rates would overflow int (Stan's POISSON_MAX_RATE).
inline constexpr double poisson_max_rate = 1073741824.0; // 2^30

// A uniform double in (0, 1) with 53 random bits: k / 2^53, k uniform on
// 1 .. 2^53 - 1. Generators with a uniform01() member (philox) are asked
// directly, so both spellings give the same stream.
template <class Rng>
STATIX_HD double uniform01(Rng& g) {
  if constexpr (requires { g.uniform01(); }) {
    return g.uniform01();
  } else {
    static_assert(Rng::min() == 0, "statix: the generator must produce every bit pattern");
    for (;;) {
      std::uint64_t k = 0;
      if constexpr (Rng::max() == 0xFFFFFFFFu) {
        const std::uint64_t high = g();
        const std::uint64_t low = g();
        k = (high << 21) | (low >> 11);
      } else {
        static_assert(Rng::max() == 0xFFFFFFFFFFFFFFFFu,
                      "statix: the generator must produce 32 or 64 random bits per call");
        k = static_cast<std::uint64_t>(g()) >> 11;
      }
      if (k != 0) {
        return static_cast<double>(k) * 0x1.0p-53;
      }
    }
  }
}

// A 64-bit UniformRandomBitGenerator over a 32- or 64-bit one: two words of a
// 32-bit generator make one, the first the high half. Boost.Random's
// distributions then take the 53 bits of a double from one call.
template <class Rng>
class bits64 {
public:
  using result_type = std::uint64_t;
  static_assert(Rng::min() == 0 && (Rng::max() == 0xFFFFFFFFu || Rng::max() == 0xFFFFFFFFFFFFFFFFu),
                "statix: the generator must produce 32 or 64 random bits per call");

  STATIX_HD explicit bits64(Rng& g) : g_(&g) {}
  STATIX_HD static constexpr result_type min() { return 0u; }
  STATIX_HD static constexpr result_type max() { return 0xFFFFFFFFFFFFFFFFu; }

  STATIX_HD result_type operator()() {
    if constexpr (Rng::max() == 0xFFFFFFFFu) {
      const std::uint64_t high = (*g_)();
      return (high << 32) | std::uint64_t{(*g_)()};
    } else {
      return static_cast<std::uint64_t>((*g_)());
    }
  }

private:
  Rng* g_;
};

template <class Rng>
STATIX_HD double uniform(Rng& g, double lower, double upper) {
  return lower + (upper - lower) * uniform01(g);
}

// Box-Muller (1958), one of the pair: sqrt(-2 log u1) cos(2 pi u2).
template <class Rng>
STATIX_HD double std_normal(Rng& g) {
  const double u1 = uniform01(g);
  const double u2 = uniform01(g);
  return math::sqrt(-2.0 * math::log(u1)) * math::cos(double(math::two_pi) * u2);
}

template <class Rng>
STATIX_HD double normal(Rng& g, double mu, double sigma) {
  return mu + sigma * std_normal(g);
}

template <class Rng>
STATIX_HD double lognormal(Rng& g, double mu, double sigma) {
  return math::exp(mu + sigma * std_normal(g));
}

// Inversion: -log(u) / rate.
template <class Rng>
STATIX_HD double exponential(Rng& g, double rate) {
  if (!(rate > 0)) {
    return math::quiet_nan<double>();
  }
  return -math::log(uniform01(g)) / rate;
}

namespace detail {

// Marsaglia & Tsang (2000), "A simple method for generating gamma variables",
// ACM TOMS 26(3), for shape >= 1: d (1 + c x)^3 with x standard normal, the
// squeeze u < 1 - 0.0331 x^4, then the exact log test.
template <class Rng>
STATIX_HD double marsaglia_tsang(Rng& g, double shape) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / math::sqrt(9.0 * d);
  for (;;) {
    double x = 0;
    double v = 0;
    do {
      x = std_normal(g);
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = uniform01(g);
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) {
      return d * v;
    }
    if (math::log(u) < 0.5 * x2 + d * (1.0 - v + math::log(v))) {
      return d * v;
    }
  }
}

} // namespace detail

// The logarithm of a Gamma(shape, 1) draw. For shape < 1 it uses
// G(a) = G(a + 1) U^(1/a) (Marsaglia & Tsang, section 6) in log space, which
// keeps draws that would underflow to 0 in double (tiny shapes).
template <class Rng>
STATIX_HD double log_std_gamma(Rng& g, double shape) {
  if (!(shape > 0)) {
    return math::quiet_nan<double>();
  }
  if (shape == math::infinity<double>()) {
    return shape;
  }
  if (shape < 1) {
    const double boosted = detail::marsaglia_tsang(g, shape + 1.0);
    return math::log(boosted) + math::log(uniform01(g)) / shape;
  }
  return math::log(detail::marsaglia_tsang(g, shape));
}

// Gamma(shape, rate 1).
template <class Rng>
STATIX_HD double std_gamma(Rng& g, double shape) {
  if (!(shape > 0)) {
    return math::quiet_nan<double>();
  }
  if (shape == math::infinity<double>()) {
    return shape;
  }
  if (shape < 1) {
    const double boosted = detail::marsaglia_tsang(g, shape + 1.0);
    return boosted * math::pow(uniform01(g), 1.0 / shape);
  }
  return detail::marsaglia_tsang(g, shape);
}

// Gamma with shape and rate (mean shape / rate), as Stan's gamma.
template <class Rng>
STATIX_HD double gamma(Rng& g, double shape, double rate) {
  if (!(rate > 0)) {
    return math::quiet_nan<double>();
  }
  return std_gamma(g, shape) / rate;
}

// Inverse gamma with shape and scale: scale / Gamma(shape, 1).
template <class Rng>
STATIX_HD double inv_gamma(Rng& g, double shape, double scale) {
  if (!(scale > 0)) {
    return math::quiet_nan<double>();
  }
  return scale / std_gamma(g, shape);
}

template <class Rng>
STATIX_HD double chi_square(Rng& g, double nu) {
  return 2.0 * std_gamma(g, 0.5 * nu);
}

// Beta(a, b) = Ga / (Ga + Gb) = inv_logit(log Ga - log Gb), in log space so
// that small shapes, whose gamma draws underflow, still work.
template <class Rng>
STATIX_HD double beta(Rng& g, double a, double b) {
  const double log_ga = log_std_gamma(g, a);
  const double log_gb = log_std_gamma(g, b);
  return math::inv_logit(log_ga - log_gb);
}

// Student's t with nu degrees of freedom: z / sqrt(chi2_nu / nu).
template <class Rng>
STATIX_HD double student_t(Rng& g, double nu) {
  if (!(nu > 0)) {
    return math::quiet_nan<double>();
  }
  const double z = std_normal(g);
  if (nu == math::infinity<double>()) {
    return z;
  }
  return z / math::sqrt(chi_square(g, nu) / nu);
}

template <class Rng>
STATIX_HD double student_t(Rng& g, double nu, double mu, double sigma) {
  return mu + sigma * student_t(g, nu);
}

// Inversion of the Cauchy cdf: mu + sigma tan(pi (u - 1/2)).
template <class Rng>
STATIX_HD double cauchy(Rng& g, double mu, double sigma) {
  return mu + sigma * math::tan(double(math::pi) * (uniform01(g) - 0.5));
}

// Inversion of the logistic cdf: mu + s logit(u).
template <class Rng>
STATIX_HD double logistic(Rng& g, double mu, double s) {
  return mu + s * math::logit(uniform01(g));
}

// Inversion of the Laplace (double exponential) cdf, each half separately
// so that 1 - u is exact.
template <class Rng>
STATIX_HD double laplace(Rng& g, double mu, double scale) {
  const double u = uniform01(g);
  if (u < 0.5) {
    return mu + scale * math::log(2.0 * u);
  }
  return mu - scale * math::log(2.0 * (1.0 - u));
}

// Inversion: sigma (-log u)^(1/alpha), shape alpha, scale sigma (Stan's order).
template <class Rng>
STATIX_HD double weibull(Rng& g, double alpha, double sigma) {
  return sigma * math::pow(-math::log(uniform01(g)), 1.0 / alpha);
}

template <class Rng>
STATIX_HD int bernoulli(Rng& g, double p) {
  if (!(p >= 0 && p <= 1)) {
    return -1;
  }
  return uniform01(g) < p ? 1 : 0;
}

namespace detail {

// Sequential-search inversion for rate < 10 (expected rate + 1 steps). When
// rounding leaves u beyond the summed pmf, the draw is repeated.
template <class Rng>
STATIX_HD int poisson_inversion(Rng& g, double rate) {
  const double p0 = math::exp(-rate);
  for (;;) {
    double u = uniform01(g);
    double p = p0;
    int k = 0;
    while (u > p && k < 1000) {
      u -= p;
      ++k;
      p *= rate / k;
    }
    if (k < 1000) {
      return k;
    }
  }
}

// PTRS, transformed rejection with squeeze: W. Hoermann (1993), "The
// transformed rejection method for generating Poisson random variables",
// Insurance: Mathematics and Economics 12, 39-45. For rate >= 10.
template <class Rng>
STATIX_HD int poisson_ptrs(Rng& g, double rate) {
  const double sqrt_rate = math::sqrt(rate);
  const double log_rate = math::log(rate);
  const double b = 0.931 + 2.53 * sqrt_rate;
  const double a = -0.059 + 0.02483 * b;
  const double log_inv_alpha = math::log(1.1239 + 1.1328 / (b - 3.4));
  const double v_r = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform01(g) - 0.5;
    const double v = uniform01(g);
    const double us = 0.5 - math::fabs(u);
    const double k = math::floor((2.0 * a / us + b) * u + rate + 0.43);
    if (us >= 0.07 && v <= v_r) {
      return static_cast<int>(k);
    }
    if (k < 0 || k > 2147483647.0 || (us < 0.013 && v > us)) {
      continue;
    }
    if (math::log(v) + log_inv_alpha - math::log(a / (us * us) + b) <=
        -rate + k * log_rate - math::lgamma(k + 1.0)) {
      return static_cast<int>(k);
    }
  }
}

} // namespace detail

// Poisson(rate), 0 <= rate < 2^30: inversion below rate 10, PTRS above.
template <class Rng>
STATIX_HD int poisson(Rng& g, double rate) {
  if (!(rate >= 0 && rate < poisson_max_rate)) {
    return -1;
  }
  if (rate == 0) {
    return 0;
  }
  if (rate < 10) {
    return detail::poisson_inversion(g, rate);
  }
  return detail::poisson_ptrs(g, rate);
}

namespace detail {

// BINV (Kachitvichyanukul & Schmeiser 1988): sequential search from 0 with
// the pmf ratio f(x)/f(x-1) = (n+1)s/x - s, s = p/q. For n p < 10, p <= 1/2.
template <class Rng>
STATIX_HD int binomial_inversion(Rng& g, int n, double p) {
  const double q = 1.0 - p;
  const double s = p / q;
  const double a = (n + 1.0) * s;
  const double f0 = math::exp(n * math::log1p(-p));
  for (;;) {
    double u = uniform01(g);
    double f = f0;
    int x = 0;
    while (u > f && x <= n) {
      u -= f;
      ++x;
      f *= a / x - s;
    }
    if (x <= n) {
      return x;
    }
  }
}

// BTRS, transformed rejection with squeeze: W. Hoermann (1993), "The
// generation of binomial random variates", J. Statist. Comput. Simul. 46,
// 101-110 (constants of its Table 1). The exact test compares with
// f(k)/f(m), m the mode. For n p >= 10, p <= 1/2.
template <class Rng>
STATIX_HD int binomial_btrs(Rng& g, int n, double p) {
  const double nd = n;
  const double q = 1.0 - p;
  const double spq = math::sqrt(nd * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = nd * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double v_r = 0.92 - 4.2 / b;
  const double m = math::floor((nd + 1.0) * p);
  const double log_p_over_q = math::log(p / q);
  const double log_f_mode = math::lgamma(m + 1.0) + math::lgamma(nd - m + 1.0);
  for (;;) {
    const double u = uniform01(g) - 0.5;
    const double v = uniform01(g);
    const double us = 0.5 - math::fabs(u);
    const double k = math::floor((2.0 * a / us + b) * u + c);
    if (k < 0 || k > nd) {
      continue;
    }
    if (us >= 0.07 && v <= v_r) {
      return static_cast<int>(k);
    }
    const double log_v = math::log(v * alpha / (a / (us * us) + b));
    if (log_v <=
        log_f_mode - math::lgamma(k + 1.0) - math::lgamma(nd - k + 1.0) + (k - m) * log_p_over_q) {
      return static_cast<int>(k);
    }
  }
}

template <class Rng>
STATIX_HD int binomial_lower_half(Rng& g, int n, double p) {
  if (n * p < 10) {
    return binomial_inversion(g, n, p);
  }
  return binomial_btrs(g, n, p);
}

} // namespace detail

// Binomial(n, p): inversion for n min(p, 1-p) < 10, BTRS above; p > 1/2 by
// symmetry (n - Binomial(n, 1 - p)).
template <class Rng>
STATIX_HD int binomial(Rng& g, int n, double p) {
  if (n < 0 || !(p >= 0 && p <= 1)) {
    return -1;
  }
  if (n == 0 || p == 0) {
    return 0;
  }
  if (p == 1) {
    return n;
  }
  if (p > 0.5) {
    return n - detail::binomial_lower_half(g, n, 1.0 - p);
  }
  return detail::binomial_lower_half(g, n, p);
}

// Negative binomial with mean mu and dispersion phi (variance mu + mu^2/phi),
// as the gamma-Poisson mixture Poisson(Gamma(phi, rate phi / mu)); -1 when the
// gamma draw exceeds poisson_max_rate (possible for huge mu / phi).
template <class Rng>
STATIX_HD int negative_binomial_2(Rng& g, double mu, double phi) {
  if (!(mu >= 0) || !(phi > 0) || mu == math::infinity<double>()) {
    return -1;
  }
  if (mu == 0) {
    return 0;
  }
  if (phi == math::infinity<double>()) {
    return poisson(g, mu);
  }
  return poisson(g, std_gamma(g, phi) * (mu / phi));
}

// A 0-based index with probabilities softmax(beta[0..K-1]), by inversion of
// the cumulative weights exp(beta_k - max beta).
template <class Rng>
STATIX_HD int categorical_logit(Rng& g, const double* beta, int K) {
  if (K <= 0) {
    return -1;
  }
  double largest = beta[0];
  for (int k = 1; k < K; ++k) {
    largest = beta[k] > largest ? beta[k] : largest;
  }
  if (!(largest > math::negative_infinity<double>()) || largest == math::infinity<double>()) {
    return -1; // no finite positive weight, or NaN
  }
  double total = 0;
  for (int k = 0; k < K; ++k) {
    total += math::exp(beta[k] - largest);
  }
  double u = uniform01(g) * total;
  int last_positive = 0;
  for (int k = 0; k < K; ++k) {
    const double w = math::exp(beta[k] - largest);
    if (w > 0) {
      if (u < w) {
        return k;
      }
      u -= w;
      last_positive = k;
    }
  }
  return last_positive; // rounding left u at the very end
}

// A 0-based index with probabilities proportional to theta[0..K-1] >= 0.
template <class Rng>
STATIX_HD int categorical(Rng& g, const double* theta, int K) {
  if (K <= 0) {
    return -1;
  }
  double total = 0;
  for (int k = 0; k < K; ++k) {
    if (!(theta[k] >= 0)) {
      return -1;
    }
    total += theta[k];
  }
  if (!(total > 0) || total == math::infinity<double>()) {
    return -1;
  }
  double u = uniform01(g) * total;
  int last_positive = 0;
  for (int k = 0; k < K; ++k) {
    if (theta[k] > 0) {
      if (u < theta[k]) {
        return k;
      }
      u -= theta[k];
      last_positive = k;
    }
  }
  return last_positive;
}

// Dirichlet(alpha[0..K-1]) into out[0..K-1], normalised gamma draws taken in
// log space (small concentrations do not underflow to 0/0).
template <class Rng>
STATIX_HD void dirichlet(Rng& g, const double* alpha, int K, double* out) {
  double largest = math::negative_infinity<double>();
  for (int k = 0; k < K; ++k) {
    out[k] = log_std_gamma(g, alpha[k]);
    largest = out[k] > largest ? out[k] : largest;
  }
  double total = 0;
  for (int k = 0; k < K; ++k) {
    out[k] = math::exp(out[k] - largest);
    total += out[k];
  }
  for (int k = 0; k < K; ++k) {
    out[k] /= total;
  }
}

} // namespace statix::random
