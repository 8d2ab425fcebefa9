#pragma once

// Shared plumbing of the multivariate distribution tests: random symmetric
// positive definite and correlation matrices, directions of perturbation
// that respect an argument's structure (symmetric, lower triangular, on the
// simplex), a central finite difference with one Richardson step, and the
// gradient checks (finite differences of the double version; forward mode
// with dual<double, 1> and dual<dual<double, 1>, 1> along random directions
// against the dot with the reverse gradient; gradients added with +=).

#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include "statix/distributions/multivariate/multivariate.hpp"

namespace statix_mv_test {

using ld = long double;
using mat = Eigen::MatrixXd;
using matl = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
using dual1 = statix::math::dual<double, 1>;
using dual2 = statix::math::dual<dual1, 1>;

inline constexpr double inf = std::numeric_limits<double>::infinity();
inline constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

// |a - b| <= tol max(1, |b|).
inline bool close(double a, double b, double tol) {
  return std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b));
}

inline mat random_spd(int K, std::mt19937_64& g) {
  std::normal_distribution<double> z;
  mat a(K, K);
  for (int i = 0; i < K * K; ++i)
    a.data()[i] = z(g);
  mat s = a * a.transpose() / K + 0.5 * mat::Identity(K, K);
  return 0.5 * (s + s.transpose());
}

inline mat random_corr(int K, std::mt19937_64& g) {
  const mat s = random_spd(K, g);
  const Eigen::VectorXd d = s.diagonal().cwiseSqrt().cwiseInverse();
  mat c = d.asDiagonal() * s * d.asDiagonal();
  for (int k = 0; k < K; ++k)
    c(k, k) = 1.0;
  return 0.5 * (c + c.transpose());
}

inline mat cholesky_lower(const mat& s) {
  return s.llt().matrixL();
}

inline std::vector<double> random_simplex(int K, std::mt19937_64& g) {
  std::gamma_distribution<double> ga(2.0, 1.0);
  std::vector<double> t(K);
  double s = 0;
  for (auto& v : t)
    s += (v = ga(g) + 0.05);
  for (auto& v : t)
    v /= s;
  return t;
}

// A perturbation of the flat argument vector: entries (index, weight).
using direction = std::vector<std::pair<int, double>>;
using directions = std::vector<direction>;

inline void append(directions& to, const directions& from) {
  to.insert(to.end(), from.begin(), from.end());
}
inline directions singles(int offset, int n) {
  directions d;
  for (int i = 0; i < n; ++i)
    d.push_back({{offset + i, 1.0}});
  return d;
}
// K x K symmetric at offset: (i, i), and (i, j) with (j, i) together.
inline directions symmetric_dirs(int offset, int K) {
  directions d;
  for (int j = 0; j < K; ++j) {
    for (int i = j; i < K; ++i) {
      if (i == j)
        d.push_back({{offset + i + j * K, 1.0}});
      else
        d.push_back({{offset + i + j * K, 1.0}, {offset + j + i * K, 1.0}});
    }
  }
  return d;
}
inline directions off_diagonal_symmetric_dirs(int offset, int K) {
  directions d;
  for (int j = 0; j < K; ++j) {
    for (int i = j + 1; i < K; ++i)
      d.push_back({{offset + i + j * K, 1.0}, {offset + j + i * K, 1.0}});
  }
  return d;
}
inline directions lower_dirs(int offset, int K) {
  directions d;
  for (int j = 0; j < K; ++j) {
    for (int i = j; i < K; ++i)
      d.push_back({{offset + i + j * K, 1.0}});
  }
  return d;
}
// Along the simplex of each row of an N x K array: +e_k - e_{K-1}.
inline directions simplex_dirs(int offset, int N, int K) {
  directions d;
  for (int n = 0; n < N; ++n) {
    for (int k = 0; k + 1 < K; ++k)
      d.push_back({{offset + n + k * N, 1.0}, {offset + n + (K - 1) * N, -1.0}});
  }
  return d;
}

// f(const T* x, T* grad) -> T, grad nullable, for T = double and duals.
template <class F>
std::vector<double> gradient(F& f, const std::vector<double>& x) {
  std::vector<double> g(x.size(), 0.0);
  f(x.data(), g.data());
  return g;
}

template <class F>
double along(F& f, std::vector<double> x, const direction& d, double h) {
  for (auto [i, w] : d)
    x[i] += h * w;
  return f(x.data(), static_cast<double*>(nullptr));
}

// Central difference with one Richardson step: (4 D(h/2) - D(h)) / 3.
template <class F>
double finite_difference(F& f, const std::vector<double>& x, const direction& d) {
  double scale = 0.0;
  for (auto [i, w] : d)
    scale = std::max(scale, std::fabs(x[i]));
  const double h = 1e-3 * std::max(0.05, std::min(scale, 1.0));
  auto central = [&](double s) { return (along(f, x, d, s) - along(f, x, d, -s)) / (2 * s); };
  return (4 * central(h / 2) - central(h)) / 3;
}

// Finite differences of `fd` (the function, or its unchecked kernel) along
// each direction against the reverse gradient of `f`; the gradient is added
// to what the buffer held.
template <class F, class G>
void check_finite_differences(F& f, G& fd, const std::vector<double>& x, const directions& dirs,
                              double tol = 1e-6) {
  const std::vector<double> g = gradient(f, x);
  std::vector<double> g2(x.size(), 0.5);
  f(x.data(), g2.data());
  for (std::size_t i = 0; i < x.size(); ++i)
    REQUIRE(g2[i] == Approx(g[i] + 0.5).epsilon(1e-14));
  for (const auto& d : dirs) {
    double analytic = 0.0;
    for (auto [i, w] : d)
      analytic += w * g[i];
    const double numeric = finite_difference(fd, x, d);
    INFO("direction at index " << d[0].first << ": analytic " << analytic << ", numeric "
                               << numeric);
    CHECK(close(analytic, numeric, tol));
  }
}

// The value and the derivative along a random combination of the
// directions, in forward mode (dual<double, 1> and, its outer lane,
// dual<dual<double, 1>, 1>) against the reverse gradient.
template <class F>
void check_forward_mode(F& f, const std::vector<double>& x, const directions& dirs,
                        std::mt19937_64& rng, double tol = 1e-10) {
  std::normal_distribution<double> z;
  std::vector<double> v(x.size(), 0.0);
  for (const auto& d : dirs) {
    const double c = z(rng);
    for (auto [i, w] : d)
      v[i] += c * w;
  }
  const std::vector<double> g = gradient(f, x);
  double dot = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i)
    dot += g[i] * v[i];
  const double value = f(x.data(), static_cast<double*>(nullptr));

  std::vector<dual1> x1(x.size());
  std::vector<dual2> x2(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    x1[i] = dual1(x[i]);
    x1[i].tan[0] = v[i];
    x2[i] = dual2(dual1(x[i]));
    x2[i].tan[0] = dual1(v[i]);
  }
  const dual1 r1 = f(x1.data(), static_cast<dual1*>(nullptr));
  const dual2 r2 = f(x2.data(), static_cast<dual2*>(nullptr));
  CHECK(r1.val == Approx(value).epsilon(1e-13));
  CHECK(close(r1.tan[0], dot, tol));
  CHECK(r2.val.val == Approx(value).epsilon(1e-13));
  CHECK(close(r2.tan[0].val, dot, tol));
  // The gradient in dual numbers: its value is the double gradient.
  std::vector<dual1> g1(x.size(), dual1(0.0));
  f(x1.data(), g1.data());
  for (std::size_t i = 0; i < x.size(); ++i)
    CHECK(close(g1[i].val, g[i], 1e-12));
}

// -inf, no exception, and the gradient buffer left as it was.
template <class F>
void check_rejected(F& f, const std::vector<double>& x) {
  std::vector<double> g(x.size(), 7.0);
  double lp = 0.0;
  REQUIRE_NOTHROW(lp = f(x.data(), g.data()));
  CHECK(lp == -inf);
  for (double v : g)
    CHECK(v == 7.0);
  std::vector<dual1> x1(x.begin(), x.end());
  CHECK(f(x1.data(), static_cast<dual1*>(nullptr)).val == -inf);
}

} // namespace statix_mv_test
