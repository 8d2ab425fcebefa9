#include "test_models.hpp"

#include "../math/ks_p_value.hpp"

#include <statix/infer/dual_averaging.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/welford.hpp>
#include <statix/infer/windowed_adaptation.hpp>
#include <statix/math/random.hpp>

#include <catch2/catch.hpp>

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace test_models;
using statix_test::ks_p_value;
namespace sx = statix;

namespace {

gaussian_model quadratic_target() {
  Eigen::MatrixXd cov(3, 3);
  cov << 2.0, 0.6, 0.1, //
      0.6, 1.0, -0.3,   //
      0.1, -0.3, 0.5;
  return gaussian_model(Eigen::Vector3d(0.5, -1.0, 2.0), cov);
}

// A start point with a fresh momentum, log density and gradient set.
template <class Model>
sx::phase_point start_point(sx::hamiltonian_system<Model>& system, std::uint64_t stream) {
  sx::random::philox rng(7, stream);
  sx::phase_point z(system.dim());
  z.q = Eigen::Vector3d(1.0, 0.3, -0.4);
  system.evaluate(z);
  system.metric().sample_momentum(z.p, rng);
  return z;
}

void set_metric(sx::euclidean_metric& metric) {
  if (metric.kind() == sx::metric::dense) {
    Eigen::MatrixXd m(3, 3);
    m << 1.5, 0.3, 0.0, 0.3, 0.8, 0.1, 0.0, 0.1, 0.6;
    metric.set_inverse_metric(m);
  } else {
    metric.set_inverse_metric(Eigen::Vector3d(1.5, 0.8, 0.6));
  }
}

} // namespace

TEST_CASE("leapfrog is reversible: negating the momentum retraces the path", "[infer]") {
  const gaussian_model model = quadratic_target();
  for (sx::metric kind : {sx::metric::unit, sx::metric::diag, sx::metric::dense}) {
    sx::hamiltonian_system<gaussian_model> system(model, kind);
    set_metric(system.metric());
    const sx::phase_point z0 = start_point(system, 1);
    sx::phase_point z = z0;
    for (int i = 0; i < 25; ++i)
      system.leapfrog(z, 0.1);
    REQUIRE((z.q - z0.q).norm() > 0.1); // it moved
    z.p = -z.p;
    for (int i = 0; i < 25; ++i)
      system.leapfrog(z, 0.1);
    CHECK((z.q - z0.q).norm() < 1e-12);
    CHECK((z.p + z0.p).norm() < 1e-12);
    // Integrating with a negative step is the same as going back in time.
    z = z0;
    for (int i = 0; i < 25; ++i)
      system.leapfrog(z, 0.1);
    for (int i = 0; i < 25; ++i)
      system.leapfrog(z, -0.1);
    CHECK((z.q - z0.q).norm() < 1e-12);
    CHECK((z.p - z0.p).norm() < 1e-12);
  }
}

TEST_CASE("leapfrog energy error is second order in the step size", "[infer]") {
  const gaussian_model model = quadratic_target();
  for (sx::metric kind : {sx::metric::diag, sx::metric::dense}) {
    sx::hamiltonian_system<gaussian_model> system(model, kind);
    set_metric(system.metric());
    const sx::phase_point z0 = start_point(system, 2);
    const double h0 = system.hamiltonian(z0);
    // Largest |H - H0| over a trajectory of fixed length 2 for each step size.
    const auto max_error = [&](double eps) {
      sx::phase_point z = z0;
      double worst = 0;
      const int steps = static_cast<int>(std::lround(2.0 / eps));
      for (int i = 0; i < steps; ++i) {
        system.leapfrog(z, eps);
        worst = std::max(worst, std::abs(system.hamiltonian(z) - h0));
      }
      return worst;
    };
    const double e1 = max_error(0.1), e2 = max_error(0.05), e3 = max_error(0.025);
    CHECK(e1 > 0);
    CHECK(e1 / e2 > 3.5);
    CHECK(e1 / e2 < 4.5);
    CHECK(e2 / e3 > 3.5);
    CHECK(e2 / e3 < 4.5);
    CHECK(e1 < 0.1);
  }
}

TEST_CASE("the Hamiltonian is potential plus Gaussian kinetic energy", "[infer]") {
  const gaussian_model model = quadratic_target();
  sx::hamiltonian_system<gaussian_model> system(model, sx::metric::dense);
  set_metric(system.metric());
  sx::phase_point z = start_point(system, 3);
  const Eigen::MatrixXd inv_metric = system.metric().inverse_metric();
  const double expected = -model.log_density(z.q) + 0.5 * z.p.dot(inv_metric * z.p);
  CHECK(system.hamiltonian(z) == Approx(expected).epsilon(1e-12));
  // A point outside the support has infinite energy, never NaN.
  z.log_density = std::numeric_limits<double>::quiet_NaN();
  CHECK(system.hamiltonian(z) == std::numeric_limits<double>::infinity());
}

TEST_CASE("momenta are drawn from N(0, M) for the inverse metric given", "[infer]") {
  for (sx::metric kind : {sx::metric::diag, sx::metric::dense}) {
    sx::euclidean_metric metric(kind, 3);
    set_metric(metric);
    const Eigen::MatrixXd inv_metric = metric.inverse_metric();
    const Eigen::MatrixXd expected =
        kind == sx::metric::dense ? Eigen::MatrixXd(inv_metric.inverse())
                                  : Eigen::MatrixXd(inv_metric.col(0).cwiseInverse().asDiagonal());
    sx::random::philox rng(11, 0);
    const int n = 40000;
    Eigen::MatrixXd draws(n, 3);
    Eigen::VectorXd p(3);
    for (int i = 0; i < n; ++i) {
      metric.sample_momentum(p, rng);
      draws.row(i) = p.transpose();
    }
    const Eigen::MatrixXd centered = draws.rowwise() - draws.colwise().mean();
    const Eigen::MatrixXd cov = centered.transpose() * centered / (n - 1.0);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        const double sd = std::sqrt(expected(i, i) * expected(j, j));
        CHECK(std::abs(cov(i, j) - expected(i, j)) < 0.03 * sd);
      }
  }
}

namespace {

// n standard normals from fill_std_normal, in vectors of 7 (an odd length).
template <class Rng>
std::vector<double> ziggurat_draws(Rng& rng, int n) {
  std::vector<double> xs;
  xs.reserve(n);
  Eigen::VectorXd v(7);
  while (static_cast<int>(xs.size()) < n) {
    sx::fill_std_normal(v, rng);
    for (int i = 0; i < v.size() && static_cast<int>(xs.size()) < n; ++i)
      xs.push_back(v[i]);
  }
  return xs;
}

double lag_one_correlation(const std::vector<double>& xs, bool squared) {
  const auto at = [&](std::size_t i) { return squared ? xs[i] * xs[i] : xs[i]; };
  double mean = 0;
  for (std::size_t i = 0; i < xs.size(); ++i)
    mean += at(i);
  mean /= xs.size();
  double cross = 0, var = 0;
  for (std::size_t i = 0; i + 1 < xs.size(); ++i)
    cross += (at(i) - mean) * (at(i + 1) - mean);
  for (std::size_t i = 0; i < xs.size(); ++i)
    var += (at(i) - mean) * (at(i) - mean);
  return cross / var;
}

template <class Rng>
void check_standard_normals(Rng rng) {
  const boost::math::normal normal;
  const int n = 1000000;
  const std::vector<double> xs = ziggurat_draws(rng, n);
  // The whole distribution, on the first 200,000.
  CHECK(ks_p_value({xs.begin(), xs.begin() + 200000},
                   [&](double x) { return boost::math::cdf(normal, x); }) > 1e-4);
  // The tail beyond the ziggurat's last layer (r = 3.4426 for Boost's 128
  // layers), drawn by its own method: how often, and its shape.
  const double r = 3.4426198558966521;
  const double tail_mass = 2 * boost::math::cdf(complement(normal, r));
  std::vector<double> tail;
  for (double x : xs)
    if (std::abs(x) > r) tail.push_back(std::abs(x));
  const double expected = n * tail_mass;
  CHECK(std::abs(tail.size() - expected) < 5 * std::sqrt(expected));
  CHECK(ks_p_value(tail, [&](double x) {
          return 1 - 2 * boost::math::cdf(complement(normal, x)) / tail_mass;
        }) > 1e-4);
  // Consecutive draws share a generator word's neighbours: no correlation of
  // the values or of their squares.
  CHECK(std::abs(lag_one_correlation(xs, false)) < 5 / std::sqrt(double(n)));
  CHECK(std::abs(lag_one_correlation(xs, true)) < 5 / std::sqrt(double(n)));
}

} // namespace

TEST_CASE("fill_std_normal's ziggurat draws standard normals, tails included", "[infer]") {
  // The bounds hold at seeds 1-200 for each generator (checked when written).
  check_standard_normals(sx::random::philox(3, 1));
  check_standard_normals(std::mt19937(3));
  check_standard_normals(std::mt19937_64(3));
}

TEST_CASE("inverse metric input is checked", "[infer]") {
  sx::euclidean_metric diag(sx::metric::diag, 3);
  CHECK_THROWS_AS(diag.set_inverse_metric(Eigen::MatrixXd::Ones(2, 1)), std::invalid_argument);
  CHECK_THROWS_AS(diag.set_inverse_metric(Eigen::Vector3d(1, -1, 1)), std::invalid_argument);
  CHECK_NOTHROW(diag.set_inverse_metric(Eigen::RowVector3d(1, 2, 3)));
  CHECK(diag.inverse_metric().col(0).isApprox(Eigen::Vector3d(1, 2, 3)));
  sx::euclidean_metric dense(sx::metric::dense, 2);
  Eigen::Matrix2d not_pd;
  not_pd << 1, 2, 2, 1;
  CHECK_THROWS(dense.set_inverse_metric(not_pd));
  CHECK_THROWS_AS(dense.set_inverse_metric(Eigen::MatrixXd::Identity(3, 3)), std::invalid_argument);
  CHECK_NOTHROW(dense.set_inverse_metric(Eigen::Vector2d(2, 3))); // taken as a diagonal
  CHECK(dense.inverse_metric().isApprox(Eigen::Vector2d(2, 3).asDiagonal().toDenseMatrix()));
}

TEST_CASE("Welford estimators match two-pass mean, variance and covariance", "[infer]") {
  sx::random::philox rng(5, 0);
  const int n = 500;
  Eigen::MatrixXd x(n, 4);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < 4; ++j)
      x(i, j) = 1e3 + (j + 1) * sx::random::std_normal(rng) + (j == 2 ? x(i, 0) : 0.0);
  sx::welford_variance var(4);
  sx::welford_covariance cov(4);
  for (int i = 0; i < n; ++i) {
    var.add_sample(x.row(i).transpose());
    cov.add_sample(x.row(i).transpose());
  }
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Eigen::MatrixXd centered = x.rowwise() - mean;
  const Eigen::MatrixXd expected = centered.transpose() * centered / (n - 1.0);
  Eigen::VectorXd v;
  Eigen::MatrixXd c;
  var.sample_variance(v);
  cov.sample_covariance(c);
  CHECK(var.mean().isApprox(mean.transpose(), 1e-12));
  CHECK(v.isApprox(expected.diagonal(), 1e-9));
  CHECK(c.isApprox(expected, 1e-9));
  var.restart();
  CHECK(var.num_samples() == 0);
}

TEST_CASE("dual averaging converges to the step size hitting the target", "[infer]") {
  // A made-up acceptance curve accept(eps) = exp(-eps): the target 0.8 is met
  // at eps = -log(0.8).
  sx::dual_averaging da(0.8);
  da.set_mu(std::log(10 * 1.0));
  double eps = 1.0;
  for (int i = 0; i < 3000; ++i)
    eps = da.learn(std::exp(-eps));
  CHECK(da.final_step_size() == Approx(-std::log(0.8)).epsilon(0.02));
  CHECK(da.iterations() == 3000);
  // Hoffman & Gelman 2014, Alg. 5: the first iterate is mu - sqrt(1) / gamma *
  // (delta - accept) / (1 + t0).
  sx::dual_averaging first(0.8, 0.05, 0.75, 10);
  first.set_mu(std::log(10 * 0.5));
  CHECK(first.learn(0.3) == Approx(std::exp(std::log(5.0) - (0.8 - 0.3) / 11.0 / 0.05)));
  // Acceptance above 1 is capped.
  sx::dual_averaging capped(0.8);
  sx::dual_averaging one(0.8);
  CHECK(capped.learn(1.7) == one.learn(1.0));
}

TEST_CASE("warm-up windows follow Stan's schedule", "[infer]") {
  const auto window_ends = [](sx::adaptation_windows w, int warmup, int& in_window) {
    std::vector<int> ends;
    in_window = 0;
    for (int i = 0; i < warmup; ++i) {
      in_window += w.in_window();
      if (w.window_ends()) {
        ends.push_back(i);
        w.compute_next_window();
      }
      w.advance();
    }
    return ends;
  };
  int in_window = 0;
  // Default 1000 iterations: 75 fast, slow windows 25, 50, 100, 200, 500, 50 fast.
  CHECK(window_ends(sx::adaptation_windows(1000), 1000, in_window) ==
        std::vector<int>{99, 149, 249, 449, 949});
  CHECK(in_window == 875);
  // 2000 iterations: the last window stretches to the terminal buffer.
  CHECK(window_ends(sx::adaptation_windows(2000), 2000, in_window) ==
        std::vector<int>{99, 149, 249, 449, 849, 1949});
  // Too short for 75 + 25 + 50: 15% / 75% / 10%.
  const sx::adaptation_windows short_windows(100);
  CHECK(short_windows.shortened());
  CHECK(short_windows.init_buffer() == 15);
  CHECK(short_windows.term_buffer() == 10);
  CHECK(short_windows.base_window() == 75);
  CHECK(window_ends(short_windows, 100, in_window) == std::vector<int>{89});
  CHECK(in_window == 75);
  // Exactly 150 fits one window of 25.
  CHECK(window_ends(sx::adaptation_windows(150), 150, in_window) == std::vector<int>{99});
  // Under 20 iterations: no metric adaptation at all.
  CHECK(window_ends(sx::adaptation_windows(19), 19, in_window).empty());
  CHECK(in_window == 0);
}

TEST_CASE("metric adaptation regularises each window's estimate as Stan does", "[infer]") {
  const int warmup = 150; // one slow window: iterations 75..99
  sx::adaptation_windows windows(warmup);
  for (sx::metric kind : {sx::metric::diag, sx::metric::dense}) {
    sx::windowed_metric_adaptation adaptation(kind, 2, windows);
    sx::euclidean_metric metric(kind, 2);
    sx::random::philox rng(3, 0);
    Eigen::MatrixXd window_draws(25, 2);
    int updates = 0, row = 0;
    for (int i = 0; i < warmup; ++i) {
      const Eigen::Vector2d q(2 * sx::random::std_normal(rng), sx::random::std_normal(rng));
      if (i >= 75 && i < 100) window_draws.row(row++) = q.transpose();
      const bool updated = adaptation.learn(q, metric) == sx::step_size_action::reinitialise;
      updates += updated;
      CHECK(updated == (i == 99));
    }
    CHECK(updates == 1);
    const Eigen::MatrixXd centered = window_draws.rowwise() - window_draws.colwise().mean();
    Eigen::MatrixXd s = centered.transpose() * centered / 24.0;
    const double n = 25;
    const Eigen::MatrixXd expected =
        (n / (n + 5)) * s + 1e-3 * (5 / (n + 5)) * Eigen::MatrixXd::Identity(2, 2);
    if (kind == sx::metric::dense)
      CHECK(metric.inverse_metric().isApprox(expected, 1e-10));
    else
      CHECK(metric.inverse_metric().col(0).isApprox(expected.diagonal(), 1e-10));
  }
}
