// The structured constraining transforms (simplex, ordered, Cholesky factors,
// correlation and covariance matrices): round trips, log|J| against a
// finite-difference Jacobian, the hand-written adjoint against finite
// differences and dual numbers, the tails, and the errors of free().
#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "statix/math/functions.hpp"
#include "statix/transforms/structured_transforms.hpp"

namespace tr = statix::transforms;
namespace m = statix::math;
using d1 = m::dual<double, 1>;
using dd1 = m::dual<d1, 1>;

namespace {

// -------------------------------------------------------------- per transform

// Which entries of y are its free coordinates (the rest are fixed or
// determined by them), and a random point of the constrained set made
// directly (not through constrain).
template <class Tr>
struct shape;

std::vector<int> all_entries(int K) {
  std::vector<int> entries(K);
  for (int k = 0; k < K; ++k) {
    entries[k] = k;
  }
  return entries;
}

// Column-major indices of the lower triangle, with or without the diagonal.
std::vector<int> lower_triangle(int K, bool with_diagonal) {
  std::vector<int> entries;
  for (int column = 0; column < K; ++column) {
    for (int row = with_diagonal ? column : column + 1; row < K; ++row) {
      entries.push_back(row + column * K);
    }
  }
  return entries;
}

std::vector<double> to_vector(const Eigen::MatrixXd& matrix) {
  return std::vector<double>(matrix.data(), matrix.data() + matrix.size());
}

Eigen::MatrixXd random_covariance(int K, std::mt19937& rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  Eigen::MatrixXd a(K, K + 2);
  for (int i = 0; i < a.size(); ++i) {
    a.data()[i] = normal(rng);
  }
  return a * a.transpose() / (K + 2) + 0.1 * Eigen::MatrixXd::Identity(K, K);
}

Eigen::MatrixXd random_correlation(int K, std::mt19937& rng) {
  const Eigen::MatrixXd sigma = random_covariance(K, rng);
  const Eigen::VectorXd inv_sd = sigma.diagonal().array().sqrt().inverse();
  Eigen::MatrixXd omega = inv_sd.asDiagonal() * sigma * inv_sd.asDiagonal();
  omega.diagonal().setOnes();
  return omega;
}

template <>
struct shape<tr::ordered> {
  static std::vector<int> free_coordinates(int K) { return all_entries(K); }
  static std::vector<double> random_y(int K, std::mt19937& rng) {
    std::normal_distribution<double> normal(0.0, 3.0);
    std::vector<double> y(K);
    for (double& value : y) {
      value = normal(rng);
    }
    std::sort(y.begin(), y.end());
    return y;
  }
};

template <>
struct shape<tr::positive_ordered> {
  static std::vector<int> free_coordinates(int K) { return all_entries(K); }
  static std::vector<double> random_y(int K, std::mt19937& rng) {
    std::exponential_distribution<double> exponential(0.5);
    std::vector<double> y(K);
    for (double& value : y) {
      value = exponential(rng);
    }
    std::sort(y.begin(), y.end());
    return y;
  }
};

template <>
struct shape<tr::simplex> {
  static std::vector<int> free_coordinates(int K) {
    std::vector<int> entries = all_entries(K);
    entries.pop_back();
    return entries;
  }
  static std::vector<double> random_y(int K, std::mt19937& rng) {
    std::gamma_distribution<double> gamma(0.7, 1.0);
    std::vector<double> y(K);
    double sum = 0.0;
    for (double& value : y) {
      value = gamma(rng);
      sum += value;
    }
    for (double& value : y) {
      value /= sum;
    }
    return y;
  }
};

template <>
struct shape<tr::cholesky_corr> {
  static std::vector<int> free_coordinates(int K) { return lower_triangle(K, false); }
  static std::vector<double> random_y(int K, std::mt19937& rng) {
    const Eigen::MatrixXd L = random_correlation(K, rng).llt().matrixL();
    // rows of unit length to rounding (the Cholesky factor of a unit diagonal)
    Eigen::MatrixXd normalized = L;
    for (int i = 0; i < K; ++i) {
      normalized.row(i) /= L.row(i).norm();
    }
    return to_vector(normalized);
  }
};

template <>
struct shape<tr::cholesky_cov> {
  static std::vector<int> free_coordinates(int K) { return lower_triangle(K, true); }
  static std::vector<double> random_y(int K, std::mt19937& rng) {
    const Eigen::MatrixXd L = random_covariance(K, rng).llt().matrixL();
    return to_vector(L);
  }
};

template <>
struct shape<tr::corr_matrix> {
  static std::vector<int> free_coordinates(int K) { return lower_triangle(K, false); }
  static std::vector<double> random_y(int K, std::mt19937& rng) {
    return to_vector(random_correlation(K, rng));
  }
};

template <>
struct shape<tr::cov_matrix> {
  static std::vector<int> free_coordinates(int K) { return lower_triangle(K, true); }
  static std::vector<double> random_y(int K, std::mt19937& rng) {
    return to_vector(random_covariance(K, rng));
  }
};

// ------------------------------------------------------------------ helpers

template <class Tr, class T>
T constrain(int K, const std::vector<T>& x, std::vector<T>& y) {
  REQUIRE(static_cast<int>(x.size()) == Tr::unconstrained_size(K));
  y.assign(Tr::constrained_size(K), T(0.0));
  std::vector<T> scratch(Tr::scratch_size(K), T(0.0));
  return Tr::constrain(K, x.data(), y.data(), scratch.data());
}

template <class Tr>
std::vector<double> adjoint(int K, const std::vector<double>& x, const std::vector<double>& w,
                            double c) {
  std::vector<double> y;
  constrain<Tr>(K, x, y);
  std::vector<double> x_adj(x.size(), std::nan(""));
  std::vector<double> scratch(Tr::scratch_size(K), std::nan(""));
  Tr::constrain_adjoint(K, x.data(), y.data(), w.data(), c, x_adj.data(), scratch.data());
  return x_adj;
}

template <class Tr>
std::vector<double> free(int K, const std::vector<double>& y) {
  std::vector<double> x(Tr::unconstrained_size(K), std::nan(""));
  Tr::free(K, y.data(), x.data(), "theta");
  return x;
}

// w . y + c log|J|
template <class Tr>
double objective(int K, const std::vector<double>& x, const std::vector<double>& w, double c) {
  std::vector<double> y;
  const double log_jacobian = constrain<Tr>(K, x, y);
  double sum = c * log_jacobian;
  for (std::size_t i = 0; i < y.size(); ++i) {
    sum += w[i] * y[i];
  }
  return sum;
}

std::vector<double> random_vector(std::size_t n, double scale, std::mt19937& rng) {
  std::normal_distribution<double> normal(0.0, scale);
  std::vector<double> v(n);
  for (double& value : v) {
    value = normal(rng);
  }
  return v;
}

double max_abs(const std::vector<double>& v) {
  double largest = 0.0;
  for (double value : v) {
    largest = std::max(largest, std::fabs(value));
  }
  return largest;
}

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double value) { return std::isfinite(value); });
}

// Random points of the free space for the checks: moderate ones, and for the
// round trip also large |x| where free(constrain(x)) is well conditioned in
// double (a sum y_{k-1} + exp(x_k) keeps exp(x_k) only to the digits of
// y_{k-1}; Omega = L L^T with partial correlations near +-1 is ill
// conditioned, so corr_matrix and cov_matrix stay moderate).
template <class Tr>
double large_scale() {
  if constexpr (std::is_same_v<Tr, tr::simplex> || std::is_same_v<Tr, tr::cholesky_corr> ||
                std::is_same_v<Tr, tr::cholesky_cov>) {
    return 12.0;
  } else if constexpr (std::is_same_v<Tr, tr::ordered> ||
                       std::is_same_v<Tr, tr::positive_ordered>) {
    return 5.0;
  } else {
    return 2.0;
  }
}

// How closely free(constrain(x)) can give x back. A covariance or correlation
// matrix held in double determines its Cholesky factor, and so x, only to
// about cond(y) * epsilon (measured: 1e-17 cond); the bound keeps 1e-8 up to
// cond(y) = 1e7.
template <class Tr>
double round_trip_tolerance(int K, const std::vector<double>& y) {
  if constexpr (std::is_same_v<Tr, tr::corr_matrix> || std::is_same_v<Tr, tr::cov_matrix>) {
    const Eigen::Map<const Eigen::MatrixXd> matrix(y.data(), K, K);
    const Eigen::VectorXd singular_values =
        Eigen::JacobiSVD<Eigen::MatrixXd>(matrix).singularValues();
    return 1e-8 + 1e-15 * singular_values(0) / singular_values(K - 1);
  } else {
    return 1e-8;
  }
}

constexpr int sizes[] = {1, 2, 3, 4, 6};

} // namespace

#define STATIX_STRUCTURED_TRANSFORMS                                                               \
  tr::ordered, tr::positive_ordered, tr::simplex, tr::cholesky_corr, tr::cholesky_cov,             \
      tr::corr_matrix, tr::cov_matrix

TEMPLATE_TEST_CASE("structured transforms: sizes and free(constrain(x)) == x", "[transforms]",
                   STATIX_STRUCTURED_TRANSFORMS) {
  using Tr = TestType;
  std::mt19937 rng(11);
  for (int K : sizes) {
    CAPTURE(Tr::name, K);
    CHECK(Tr::constrained_size(K) == static_cast<int>(shape<Tr>::random_y(K, rng).size()));
    for (int draw = 0; draw < 20; ++draw) {
      CAPTURE(draw);
      const double scale = draw < 10 ? 1.0 : large_scale<Tr>();
      const std::vector<double> x = random_vector(Tr::unconstrained_size(K), scale, rng);
      std::vector<double> y;
      const double log_jacobian = constrain<Tr>(K, x, y);
      REQUIRE(std::isfinite(log_jacobian));
      REQUIRE(all_finite(y));
      const std::vector<double> x_back = free<Tr>(K, y);
      const double tolerance = round_trip_tolerance<Tr>(K, y);
      for (std::size_t i = 0; i < x.size(); ++i) {
        CAPTURE(i, x[i]);
        CHECK(x_back[i] == Approx(x[i]).epsilon(tolerance).margin(tolerance));
      }
    }
  }
}

TEMPLATE_TEST_CASE("structured transforms: constrain(free(y)) == y", "[transforms]",
                   STATIX_STRUCTURED_TRANSFORMS) {
  using Tr = TestType;
  std::mt19937 rng(12);
  for (int K : sizes) {
    for (int draw = 0; draw < 10; ++draw) {
      CAPTURE(Tr::name, K, draw);
      const std::vector<double> y = shape<Tr>::random_y(K, rng);
      const std::vector<double> x = free<Tr>(K, y);
      REQUIRE(all_finite(x));
      std::vector<double> y_back;
      constrain<Tr>(K, x, y_back);
      for (std::size_t i = 0; i < y.size(); ++i) {
        CAPTURE(i);
        CHECK(y_back[i] == Approx(y[i]).epsilon(1e-8).margin(1e-10));
      }
    }
  }
}

TEMPLATE_TEST_CASE("structured transforms: log|J| is the log-determinant of the Jacobian of x -> "
                   "the free coordinates of y",
                   "[transforms]", STATIX_STRUCTURED_TRANSFORMS) {
  using Tr = TestType;
  std::mt19937 rng(13);
  for (int K : sizes) {
    const std::vector<int> coordinates = shape<Tr>::free_coordinates(K);
    const int n = Tr::unconstrained_size(K);
    REQUIRE(static_cast<int>(coordinates.size()) == n);
    for (int draw = 0; draw < 8; ++draw) {
      CAPTURE(Tr::name, K, draw);
      const std::vector<double> x = random_vector(n, draw < 4 ? 0.7 : 1.5, rng);
      std::vector<double> y;
      const double log_jacobian = constrain<Tr>(K, x, y);
      Eigen::MatrixXd jacobian(n, n);
      const double h = 1e-5;
      for (int j = 0; j < n; ++j) {
        std::vector<double> x_plus = x, x_minus = x, y_plus, y_minus;
        x_plus[j] += h;
        x_minus[j] -= h;
        constrain<Tr>(K, x_plus, y_plus);
        constrain<Tr>(K, x_minus, y_minus);
        for (int i = 0; i < n; ++i) {
          jacobian(i, j) = (y_plus[coordinates[i]] - y_minus[coordinates[i]]) / (2 * h);
        }
      }
      const double expected = n == 0 ? 0.0 : std::log(std::fabs(jacobian.determinant()));
      CHECK(log_jacobian == Approx(expected).margin(1e-6));
    }
  }
}

TEMPLATE_TEST_CASE("structured transforms: constrain_adjoint against finite differences of "
                   "w . y + c log|J|",
                   "[transforms]", STATIX_STRUCTURED_TRANSFORMS) {
  using Tr = TestType;
  std::mt19937 rng(14);
  for (int K : sizes) {
    const int n = Tr::unconstrained_size(K);
    for (int draw = 0; draw < 8; ++draw) {
      CAPTURE(Tr::name, K, draw);
      const std::vector<double> x = random_vector(n, draw < 4 ? 0.7 : 2.0, rng);
      const std::vector<double> w = random_vector(Tr::constrained_size(K), 1.0, rng);
      const double c = random_vector(1, 1.0, rng)[0];
      const std::vector<double> x_adj = adjoint<Tr>(K, x, w, c);
      std::vector<double> expected(n);
      const double h = 1e-5;
      for (int j = 0; j < n; ++j) {
        std::vector<double> x_plus = x, x_minus = x;
        x_plus[j] += h;
        x_minus[j] -= h;
        expected[j] = (objective<Tr>(K, x_plus, w, c) - objective<Tr>(K, x_minus, w, c)) / (2 * h);
      }
      const double margin = 1e-6 * (1.0 + max_abs(expected));
      for (int j = 0; j < n; ++j) {
        CAPTURE(j);
        CHECK(x_adj[j] == Approx(expected[j]).epsilon(1e-6).margin(margin));
      }
    }
  }
}

TEMPLATE_TEST_CASE("structured transforms: constrain with duals agrees with the adjoint",
                   "[transforms]", STATIX_STRUCTURED_TRANSFORMS) {
  using Tr = TestType;
  std::mt19937 rng(15);
  for (int K : sizes) {
    const int n = Tr::unconstrained_size(K);
    for (int draw = 0; draw < 5; ++draw) {
      CAPTURE(Tr::name, K, draw);
      // draw 0 at x = 0, where an |x| inside a transform would lose the
      // second derivative
      const std::vector<double> x =
          draw == 0 ? std::vector<double>(n, 0.0) : random_vector(n, 1.0, rng);
      const std::vector<double> v = random_vector(n, 1.0, rng); // direction
      const std::vector<double> u = random_vector(n, 1.0, rng); // second direction
      const std::vector<double> w = random_vector(Tr::constrained_size(K), 1.0, rng);
      const double c = random_vector(1, 1.0, rng)[0];

      // first order: d/dt (w . y + c log|J|)(x + t v) = adjoint . v
      std::vector<d1> x_dual(n);
      for (int j = 0; j < n; ++j) {
        x_dual[j] = d1(x[j]);
        x_dual[j].tan[0] = v[j];
      }
      std::vector<d1> y_dual;
      const d1 log_jacobian = constrain<Tr>(K, x_dual, y_dual);
      d1 f = c * log_jacobian;
      std::vector<double> y;
      const double log_jacobian_plain = constrain<Tr>(K, x, y);
      CHECK(log_jacobian.val == Approx(log_jacobian_plain).epsilon(1e-14).margin(1e-14));
      for (std::size_t i = 0; i < y.size(); ++i) {
        CHECK(y_dual[i].val == Approx(y[i]).epsilon(1e-14).margin(1e-14));
        f += w[i] * y_dual[i];
      }
      const std::vector<double> x_adj = adjoint<Tr>(K, x, w, c);
      double directional = 0.0;
      for (int j = 0; j < n; ++j) {
        directional += x_adj[j] * v[j];
      }
      CHECK(f.tan[0] == Approx(directional).epsilon(1e-10).margin(1e-12));

      // second order (nested duals): d2/ds dt along u and v equals the
      // derivative of adjoint . v along u (central differences)
      std::vector<dd1> x_nested(n);
      for (int j = 0; j < n; ++j) {
        x_nested[j] = dd1(d1(x[j]));
        x_nested[j].val.tan[0] = u[j];
        x_nested[j].tan[0] = d1(v[j]);
      }
      std::vector<dd1> y_nested;
      dd1 g = c * constrain<Tr>(K, x_nested, y_nested);
      for (std::size_t i = 0; i < y_nested.size(); ++i) {
        g += w[i] * y_nested[i];
      }
      CHECK(g.tan[0].val == Approx(directional).epsilon(1e-10).margin(1e-12));
      const double h = 1e-5;
      std::vector<double> x_plus = x, x_minus = x;
      for (int j = 0; j < n; ++j) {
        x_plus[j] += h * u[j];
        x_minus[j] -= h * u[j];
      }
      const std::vector<double> adj_plus = adjoint<Tr>(K, x_plus, w, c);
      const std::vector<double> adj_minus = adjoint<Tr>(K, x_minus, w, c);
      double second = 0.0;
      for (int j = 0; j < n; ++j) {
        second += (adj_plus[j] - adj_minus[j]) / (2 * h) * v[j];
      }
      CHECK(g.tan[0].tan[0] == Approx(second).epsilon(1e-6).margin(1e-6));
    }
  }
}

TEST_CASE("simplex: elements near 0 and near 1 stay finite", "[transforms]") {
  const int K = 5;
  const std::vector<std::vector<double>> points = {{-40, -40, -40, -40}, {40, 40, 40, 40},
                                                   {-40, 40, -40, 40},   {40, -40, 40, -40},
                                                   {0, -40, 0, 40},      {-700, 3, 700, -3}};
  for (const std::vector<double>& x : points) {
    CAPTURE(x);
    std::vector<double> y;
    const double log_jacobian = constrain<tr::simplex>(K, x, y);
    CHECK(std::isfinite(log_jacobian));
    CHECK(all_finite(y));
    double sum = 0.0;
    for (double value : y) {
      CHECK(value >= 0.0);
      CHECK(value <= 1.0);
      sum += value;
    }
    CHECK(sum == Approx(1.0).epsilon(1e-14));
    const std::vector<double> w = {1.0, -2.0, 0.5, 3.0, -1.0};
    CHECK(all_finite(adjoint<tr::simplex>(K, x, w, 1.3)));
  }
  // x = -40 first: y_0 = e^-40 / 4 to full relative precision, the rest share
  // the stick; x = +40 first: y_0 = 1 - 4 e^-40 (rounds to 1), y_1.. tiny, positive
  std::vector<double> y;
  constrain<tr::simplex>(K, std::vector<double>{-40, 0, 0, 0}, y);
  CHECK(y[0] == Approx(std::exp(-40.0) / 4).epsilon(1e-12));
  constrain<tr::simplex>(K, std::vector<double>{40, 0, 0, 0}, y);
  CHECK(y[0] == Approx(1.0));
  CHECK(y[1] > 0.0);
  CHECK(y[4] == Approx(std::exp(-40.0)).epsilon(1e-12)); // 4 e^-40 / 4
  // log|J| there: log z_0 + log(1 - z_0) + 3 log(1/4) ... with stick = 4 e^-40
  const double log_jacobian = constrain<tr::simplex>(K, std::vector<double>{40, 0, 0, 0}, y);
  // stick after element 0 is 1 - z_0 = inv_logit(-(40 - log 4)); then the uniform
  // split of it: log|J| = log z_0 + log(1 - z_0) + sum_{k=1..3} [log(stick_k) + log z_k + log(1 -
  // z_k)]
  const double log_rest = -(40 - std::log(4.0)) - std::log1p(std::exp(-(40 - std::log(4.0))));
  double expected = -std::log1p(std::exp(-(40 - std::log(4.0)))) + log_rest;
  double log_stick = log_rest;
  for (int k = 1; k < 4; ++k) {
    const double z = 1.0 / (4 - k + 1);
    expected += log_stick + std::log(z) + std::log1p(-z);
    log_stick += std::log1p(-z);
  }
  CHECK(log_jacobian == Approx(expected).epsilon(1e-12));
}

TEST_CASE("cholesky_corr and corr_matrix: partial correlations near +-1 stay finite",
          "[transforms]") {
  const int K = 4;
  const std::vector<std::vector<double>> points = {
      {20, 20, 20, 20, 20, 20}, {-20, -20, -20, -20, -20, -20}, {20, -20, 20, -20, 20, -20},
      {0, 20, -20, 0.5, 20, 1}, {40, 40, 40, 40, 40, 40},       {-400, 300, 1, 2, -3, 400}};
  std::mt19937 rng(3);
  const std::vector<double> w = random_vector(K * K, 1.0, rng);
  for (const std::vector<double>& x : points) {
    CAPTURE(x);
    std::vector<double> y;
    const double logj_cholesky = constrain<tr::cholesky_corr>(K, x, y);
    CHECK(std::isfinite(logj_cholesky));
    CHECK(all_finite(y));
    for (int i = 0; i < K; ++i) {
      double squared_norm = 0.0;
      for (int j = 0; j < K; ++j) {
        squared_norm += y[i + j * K] * y[i + j * K];
      }
      CHECK(squared_norm == Approx(1.0).epsilon(1e-14));
      CHECK(y[i + i * K] > 0.0);
    }
    CHECK(all_finite(adjoint<tr::cholesky_corr>(K, x, w, 0.7)));
    const double logj_corr = constrain<tr::corr_matrix>(K, x, y);
    CHECK(std::isfinite(logj_corr));
    CHECK(all_finite(y));
    CHECK(max_abs(y) <= 1.0 + 1e-15);
    CHECK(all_finite(adjoint<tr::corr_matrix>(K, x, w, 0.7)));
  }
  // x = 20 everywhere: log(1 - tanh(20)^2) = 2 log sech(20), not log(0)
  std::vector<double> y;
  const double log_sech_squared = 2 * (std::log(2.0) - 20 - std::log1p(std::exp(-40.0)));
  CHECK(constrain<tr::cholesky_corr>(2, std::vector<double>{20}, y) ==
        Approx(log_sech_squared).epsilon(1e-13));
  CHECK(y[3] == Approx(std::exp(0.5 * log_sech_squared)).epsilon(1e-13));
  // and the round trip survives the saturation (the diagonal carries the information)
  const std::vector<double> x_back = free<tr::cholesky_corr>(2, y);
  CHECK(x_back[0] == Approx(20.0).epsilon(1e-10));
}

TEST_CASE("structured transforms: free() names the variable and says what is wrong",
          "[transforms]") {
  auto message_of = [](auto&& call) -> std::string {
    try {
      call();
    } catch (const std::domain_error& error) {
      return error.what();
    }
    return "(no std::domain_error)";
  };
  using Catch::Matchers::Contains;
  using Catch::Matchers::StartsWith;
  const std::string prefix = "statix: variable \"theta\": ";
  std::vector<double> x(10);

  // ordered, positive_ordered
  {
    const std::vector<double> y = {0.0, 2.0, 1.0};
    const std::string message =
        message_of([&] { tr::ordered::free(3, y.data(), x.data(), "theta"); });
    CHECK_THAT(message, StartsWith(prefix) && Contains("not ordered at index 2"));
    const std::vector<double> ties = {0.5, 1.0, 1.0};
    CHECK_THAT(message_of([&] { tr::positive_ordered::free(3, ties.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("not ordered at index 2"));
    const std::vector<double> negative = {-1.0, 1.0, 2.0};
    CHECK_THAT(
        message_of([&] { tr::positive_ordered::free(3, negative.data(), x.data(), "theta"); }),
        StartsWith(prefix) && Contains("not positive"));
    const std::vector<double> nan = {0.0, std::nan(""), 2.0};
    CHECK_THAT(message_of([&] { tr::ordered::free(3, nan.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("not finite"));
  }
  // simplex
  {
    const std::vector<double> off = {0.3, 0.3, 0.3};
    CHECK_THAT(message_of([&] { tr::simplex::free(3, off.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("sum is 0.9, not 1"));
    const std::vector<double> just_off = {0.5, 0.5 + 2e-8};
    CHECK_THAT(message_of([&] { tr::simplex::free(2, just_off.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("not 1"));
    const std::vector<double> within = {0.5, 0.5 + 5e-9}; // Stan's tolerance 1e-8
    CHECK_NOTHROW(tr::simplex::free(2, within.data(), x.data(), "theta"));
    const std::vector<double> negative = {1.2, -0.2, 0.0};
    CHECK_THAT(message_of([&] { tr::simplex::free(3, negative.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("element 1 is -0.2, negative"));
  }
  // matrices (column-major)
  {
    const std::vector<double> not_symmetric = {2.0, 0.5, 0.4, 2.0};
    CHECK_THAT(
        message_of([&] { tr::cov_matrix::free(2, not_symmetric.data(), x.data(), "theta"); }),
        StartsWith(prefix) && Contains("not symmetric"));
    const std::vector<double> not_pd = {1.0, 2.0, 2.0, 1.0};
    CHECK_THAT(message_of([&] { tr::cov_matrix::free(2, not_pd.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("not positive definite"));
    const std::vector<double> corr_not_pd = {1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0};
    CHECK_THAT(message_of([&] { tr::corr_matrix::free(3, corr_not_pd.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("not positive definite"));
    const std::vector<double> corr_not_symmetric = {1.0, 0.5, 0.4, 1.0};
    CHECK_THAT(
        message_of([&] { tr::corr_matrix::free(2, corr_not_symmetric.data(), x.data(), "theta"); }),
        StartsWith(prefix) && Contains("not symmetric"));
    const std::vector<double> diagonal_not_1 = {1.0, 0.5, 0.5, 1.1};
    CHECK_THAT(
        message_of([&] { tr::corr_matrix::free(2, diagonal_not_1.data(), x.data(), "theta"); }),
        StartsWith(prefix) && Contains("diagonal not 1"));
    const std::vector<double> upper = {1.0, 0.0, 0.1, 1.0};
    CHECK_THAT(message_of([&] { tr::cholesky_cov::free(2, upper.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("not lower triangular"));
    CHECK_THAT(message_of([&] { tr::cholesky_corr::free(2, upper.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("not lower triangular"));
    const std::vector<double> negative_diagonal = {1.0, 0.5, 0.0, -1.0};
    CHECK_THAT(
        message_of([&] { tr::cholesky_cov::free(2, negative_diagonal.data(), x.data(), "theta"); }),
        StartsWith(prefix) && Contains("not positive"));
    const std::vector<double> long_row = {1.0, 0.6, 0.0, 0.9};
    CHECK_THAT(message_of([&] { tr::cholesky_corr::free(2, long_row.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("row 1 has squared length"));
    const std::vector<double> infinite = {1.0, INFINITY, INFINITY, 1.0};
    CHECK_THAT(message_of([&] { tr::cov_matrix::free(2, infinite.data(), x.data(), "theta"); }),
               StartsWith(prefix) && Contains("not finite"));
  }
}

TEST_CASE("structured transforms: Stan's orders and values at known points", "[transforms]") {
  // x = 0 gives the uniform simplex
  std::vector<double> y;
  constrain<tr::simplex>(4, std::vector<double>{0, 0, 0}, y);
  for (double value : y) {
    CHECK(value == Approx(0.25));
  }
  // ordered and positive_ordered
  CHECK(constrain<tr::ordered>(3, std::vector<double>{1.0, 0.0, std::log(2.0)}, y) ==
        Approx(std::log(2.0)));
  CHECK(y == std::vector<double>{1.0, 2.0, 4.0});
  CHECK(constrain<tr::positive_ordered>(2, std::vector<double>{0.0, std::log(3.0)}, y) ==
        Approx(std::log(3.0)));
  CHECK(y[0] == Approx(1.0));
  CHECK(y[1] == Approx(4.0));

  // K = 3 Cholesky factors: cholesky_corr reads rows (x_10, x_20, x_21),
  // corr_matrix reads columns (x_10, x_20, x_21) too for K = 3 -- tell them
  // apart at K = 4, where rows give (10, 20, 21, 30, 31, 32) and columns
  // (10, 20, 30, 21, 31, 32).
  const std::vector<double> x = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  std::vector<double> L, omega;
  constrain<tr::cholesky_corr>(4, x, L);
  constrain<tr::corr_matrix>(4, x, omega);
  CHECK(L[1 + 0 * 4] == Approx(std::tanh(0.1)));
  CHECK(L[2 + 0 * 4] == Approx(std::tanh(0.2)));
  CHECK(L[3 + 0 * 4] == Approx(std::tanh(0.4)));
  CHECK(L[2 + 1 * 4] == Approx(std::tanh(0.3) * std::sqrt(1 - std::pow(std::tanh(0.2), 2))));
  // omega's first column is the first column of its factor: (1, z_10, z_20, z_30)
  CHECK(omega[1] == Approx(std::tanh(0.1)));
  CHECK(omega[2] == Approx(std::tanh(0.2)));
  CHECK(omega[3] == Approx(std::tanh(0.3)));

  // cholesky_cov and cov_matrix read rows, the diagonal last: (L00, L10, L11, L20, L21, L22)
  const std::vector<double> x_cov = {0.0, 0.5, std::log(2.0), -1.0, 0.25, std::log(3.0)};
  constrain<tr::cholesky_cov>(3, x_cov, L);
  const std::vector<double> expected_L = {1.0, 0.5, -1.0, 0.0, 2.0, 0.25, 0.0, 0.0, 3.0};
  for (int i = 0; i < 9; ++i) {
    CHECK(L[i] == Approx(expected_L[i]));
  }
  // cov_matrix: log|J| = K log 2 + sum_m (K - m + 1) log L_mm = 3 log 2 + 3 log 2 + 2 log 3
  CHECK(constrain<tr::cov_matrix>(3, x_cov, y) ==
        Approx(3 * std::log(2.0) + 3 * std::log(2.0) + 2 * std::log(3.0)));
  CHECK(y[0] == Approx(1.0));
  CHECK(y[1] == Approx(0.5));
  CHECK(y[4] == Approx(0.25 + 4.0));
  CHECK(y[8] == Approx(1.0 + 0.0625 + 9.0));
}
