// Random draws of the multivariate families: over 20000 draws, sample means
// of the variates and of their centred products (covariances, variances)
// within 4 Monte Carlo standard errors (estimated from the draws) of the
// closed-form moments; LKJ off-diagonals against the moments of
// Beta(eta - 1 + K/2, eta - 1 + K/2) on (r + 1)/2; invalid parameters give
// NaN or -1. Fixed seed; STATIX_MV_RNG_SEED in the environment overrides it
// (the test was run with ten seeds that way).

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "multivariate_test_support.hpp"
#include "statix/math/philox.hpp"

namespace {

using namespace statix_mv_test;
namespace sd = statix::dist;
using statix::random::philox;

constexpr int n_draws = 20000;

std::uint64_t seed() {
  const char* s = std::getenv("STATIX_MV_RNG_SEED");
  return s != nullptr ? std::stoull(s) : 20261204u;
}

// The mean of per-draw values against its expectation, within 4 standard errors.
void check_mean(const std::vector<double>& v, double expected, const std::string& what) {
  double m = 0, m2 = 0;
  for (double x : v)
    m += x;
  m /= double(v.size());
  for (double x : v)
    m2 += (x - m) * (x - m);
  const double se = std::sqrt(m2 / (double(v.size()) - 1) / double(v.size()));
  INFO(what << ": sample " << m << ", expected " << expected << ", standard error " << se);
  CHECK(std::fabs(m - expected) <= 4 * se + 1e-14);
}

// Means of x_i and of (x_i - mean_i)(x_j - mean_j) against mean and cov,
// for draws stored row after row (K values each).
void check_mean_and_covariance(const std::vector<double>& draws, int K,
                               const std::vector<double>& mean, const mat& cov,
                               const std::string& what) {
  const int n = int(draws.size()) / K;
  for (int i = 0; i < K; ++i) {
    std::vector<double> v(n);
    for (int s = 0; s < n; ++s)
      v[s] = draws[s * K + i];
    check_mean(v, mean[i], what + " mean " + std::to_string(i));
    for (int j = 0; j <= i; ++j) {
      for (int s = 0; s < n; ++s)
        v[s] = (draws[s * K + i] - mean[i]) * (draws[s * K + j] - mean[j]);
      check_mean(v, cov(i, j), what + " cov " + std::to_string(i) + "," + std::to_string(j));
    }
  }
}

TEST_CASE("multi_normal_cholesky_rng and multi_normal_rng: mean and covariance",
          "[multivariate][rng]") {
  philox rng(seed());
  const int K = 3;
  const std::vector<double> mu{1.0, -2.0, 0.5};
  mat S(3, 3);
  S << 2.0, 0.6, -0.4, 0.6, 1.0, 0.3, -0.4, 0.3, 0.8;
  const mat L = cholesky_lower(S);
  std::vector<double> a(n_draws * K), b(n_draws * K);
  for (int s = 0; s < n_draws; ++s) {
    sd::multi_normal_cholesky_rng(K, mu.data(), L.data(), rng, &a[s * K]);
    sd::multi_normal_rng(K, mu.data(), S.data(), rng, &b[s * K]);
  }
  check_mean_and_covariance(a, K, mu, S, "multi_normal_cholesky");
  check_mean_and_covariance(b, K, mu, S, "multi_normal");
  double out[3];
  mat bad = S;
  bad(0, 1) = bad(1, 0) = 5.0;
  sd::multi_normal_rng(K, mu.data(), bad.data(), rng, out);
  CHECK(std::isnan(out[0]));
  mat bad_L = L;
  bad_L(1, 1) = -1;
  sd::multi_normal_cholesky_rng(K, mu.data(), bad_L.data(), rng, out);
  CHECK(std::isnan(out[2]));
}

TEST_CASE("multi_student_t_rng: mean and covariance nu/(nu-2) Sigma", "[multivariate][rng]") {
  philox rng(seed() + 1);
  const int K = 2;
  const double nu = 9.0;
  const std::vector<double> mu{0.5, -1.0};
  mat S(2, 2);
  S << 1.5, -0.5, -0.5, 0.7;
  std::vector<double> a(n_draws * K);
  for (int s = 0; s < n_draws; ++s)
    sd::multi_student_t_rng(K, nu, mu.data(), S.data(), rng, &a[s * K]);
  check_mean_and_covariance(a, K, mu, nu / (nu - 2) * S, "multi_student_t");
  double out[2];
  sd::multi_student_t_rng(K, -1.0, mu.data(), S.data(), rng, out);
  CHECK(std::isnan(out[0]));
}

TEST_CASE("dirichlet_rng: mean and covariance, small concentrations", "[multivariate][rng]") {
  philox rng(seed() + 2);
  const int K = 3;
  const std::vector<double> alpha{0.5, 1.5, 3.0};
  const double a0 = 5.0;
  std::vector<double> mean(K);
  mat cov(K, K);
  for (int i = 0; i < K; ++i) {
    mean[i] = alpha[i] / a0;
    for (int j = 0; j < K; ++j)
      cov(i, j) = ((i == j ? alpha[i] * a0 : 0.0) - alpha[i] * alpha[j]) / (a0 * a0 * (a0 + 1));
  }
  std::vector<double> a(n_draws * K);
  for (int s = 0; s < n_draws; ++s)
    sd::dirichlet_rng(K, alpha.data(), rng, &a[s * K]);
  check_mean_and_covariance(a, K, mean, cov, "dirichlet");
  // Concentrations whose gamma draws underflow: still a point of the simplex.
  const std::vector<double> tiny{1e-3, 2e-3, 1e-2};
  for (int s = 0; s < 1000; ++s) {
    double out[3];
    sd::dirichlet_rng(K, tiny.data(), rng, out);
    double sum = 0;
    for (double v : out) {
      REQUIRE(std::isfinite(v));
      REQUIRE(v >= 0.0);
      sum += v;
    }
    REQUIRE(sum == Approx(1.0).epsilon(1e-12));
  }
  double out[3];
  const std::vector<double> bad{1.0, -1.0, 1.0};
  sd::dirichlet_rng(K, bad.data(), rng, out);
  CHECK(std::isnan(out[0]));
}

TEST_CASE("lkj_corr_cholesky_rng and lkj_corr_rng: off-diagonal Beta marginals",
          "[multivariate][rng]") {
  philox rng(seed() + 3);
  for (int K : {2, 3, 5}) {
    for (double eta : {0.7, 1.0, 3.0}) {
      // (r + 1)/2 ~ Beta(a, a): E r = 0, E r^2 = 1/(2a + 1).
      const double a = eta - 1 + K / 2.0, var = 1 / (2 * a + 1);
      std::vector<std::vector<double>> r_chol(K * K), r_corr(K * K);
      std::vector<double> L(K * K), omega(K * K);
      for (int s = 0; s < n_draws; ++s) {
        sd::lkj_corr_cholesky_rng(K, eta, rng, L.data());
        sd::lkj_corr_rng(K, eta, rng, omega.data());
        const Eigen::Map<const mat> Lm(L.data(), K, K);
        const mat c = Lm * Lm.transpose();
        for (int i = 0; i < K; ++i) {
          REQUIRE(Lm(i, i) > 0);
          REQUIRE(Lm.row(i).squaredNorm() == Approx(1.0).epsilon(1e-12));
          REQUIRE(omega[i + i * K] == 1.0);
          for (int j = i + 1; j < K; ++j) {
            REQUIRE(Lm(i, j) == 0.0);
            REQUIRE(omega[i + j * K] == omega[j + i * K]);
          }
          for (int j = 0; j < i; ++j) {
            r_chol[i + j * K].push_back(c(i, j));
            r_corr[i + j * K].push_back(omega[i + j * K]);
          }
        }
      }
      for (int j = 0; j < K; ++j) {
        for (int i = j + 1; i < K; ++i) {
          const std::string where = "K " + std::to_string(K) + " eta " + std::to_string(eta) +
                                    " (" + std::to_string(i) + "," + std::to_string(j) + ")";
          for (auto* r : {&r_chol[i + j * K], &r_corr[i + j * K]}) {
            check_mean(*r, 0.0, "lkj mean " + where);
            std::vector<double> sq(r->size());
            for (std::size_t s = 0; s < sq.size(); ++s)
              sq[s] = (*r)[s] * (*r)[s];
            check_mean(sq, var, "lkj variance " + where);
          }
        }
      }
    }
  }
  std::vector<double> L(4);
  sd::lkj_corr_cholesky_rng(2, -1.0, rng, L.data());
  CHECK(std::isnan(L[0]));
}

// Entry means and variances of matrix draws (n_draws x K x K).
void check_matrix_moments(const std::vector<double>& draws, int K, const mat& mean, const mat& var,
                          const std::string& what) {
  const int n = int(draws.size()) / (K * K);
  for (int j = 0; j < K; ++j) {
    for (int i = j; i < K; ++i) {
      std::vector<double> v(n), sq(n);
      for (int s = 0; s < n; ++s) {
        v[s] = draws[s * K * K + i + j * K];
        sq[s] = (v[s] - mean(i, j)) * (v[s] - mean(i, j));
        REQUIRE(draws[s * K * K + i + j * K] ==
                Approx(draws[s * K * K + j + i * K]).epsilon(1e-12));
      }
      const std::string where = what + " (" + std::to_string(i) + "," + std::to_string(j) + ")";
      check_mean(v, mean(i, j), where + " mean");
      check_mean(sq, var(i, j), where + " variance");
    }
  }
}

TEST_CASE("wishart_rng: mean nu S, variance nu (S_ij^2 + S_ii S_jj)", "[multivariate][rng]") {
  philox rng(seed() + 4);
  const int K = 3;
  const double nu = 6.5;
  mat S(3, 3);
  S << 1.2, 0.3, -0.2, 0.3, 0.8, 0.1, -0.2, 0.1, 0.5;
  mat var(K, K);
  for (int i = 0; i < K; ++i)
    for (int j = 0; j < K; ++j)
      var(i, j) = nu * (S(i, j) * S(i, j) + S(i, i) * S(j, j));
  std::vector<double> draws(n_draws * K * K);
  for (int s = 0; s < n_draws; ++s)
    sd::wishart_rng(K, nu, S.data(), rng, &draws[s * K * K]);
  check_matrix_moments(draws, K, nu * S, var, "wishart");
  std::vector<double> out(K * K);
  sd::wishart_rng(K, 1.5, S.data(), rng, out.data()); // nu <= K - 1
  CHECK(std::isnan(out[0]));
}

TEST_CASE("inv_wishart_rng: mean S/(nu-K-1) and variance", "[multivariate][rng]") {
  philox rng(seed() + 5);
  const int K = 3;
  const double nu = 16.0;
  mat S(3, 3);
  S << 1.2, 0.3, -0.2, 0.3, 0.8, 0.1, -0.2, 0.1, 0.5;
  const double p = K;
  mat var(K, K);
  for (int i = 0; i < K; ++i)
    for (int j = 0; j < K; ++j)
      var(i, j) = ((nu - p + 1) * S(i, j) * S(i, j) + (nu - p - 1) * S(i, i) * S(j, j)) /
                  ((nu - p) * (nu - p - 1) * (nu - p - 1) * (nu - p - 3));
  std::vector<double> draws(n_draws * K * K);
  for (int s = 0; s < n_draws; ++s)
    sd::inv_wishart_rng(K, nu, S.data(), rng, &draws[s * K * K]);
  check_matrix_moments(draws, K, S / (nu - p - 1), var, "inv_wishart");
  std::vector<double> out(K * K);
  mat bad = S;
  bad(0, 0) = -1;
  sd::inv_wishart_rng(K, nu, bad.data(), rng, out.data());
  CHECK(std::isnan(out[0]));
}

TEST_CASE("categorical_rng, multinomial_rng, ordered_logistic_rng: frequencies",
          "[multivariate][rng]") {
  philox rng(seed() + 6);
  const int K = 4;
  const std::vector<double> theta{0.1, 0.25, 0.05, 0.6};
  {
    std::vector<std::vector<double>> hit(K, std::vector<double>(n_draws, 0.0));
    for (int s = 0; s < n_draws; ++s) {
      const int y = sd::categorical_rng(K, theta.data(), rng);
      REQUIRE(y >= 0);
      REQUIRE(y < K);
      hit[y][s] = 1.0;
    }
    for (int k = 0; k < K; ++k)
      check_mean(hit[k], theta[k], "categorical " + std::to_string(k));
    const std::vector<double> bad{0.5, 0.6, 0.0, 0.0};
    CHECK(sd::categorical_rng(K, bad.data(), rng) == -1);
  }
  {
    const int n = 10;
    std::vector<double> draws(n_draws * K), mean(K);
    mat cov(K, K);
    for (int i = 0; i < K; ++i) {
      mean[i] = n * theta[i];
      for (int j = 0; j < K; ++j)
        cov(i, j) = n * ((i == j ? theta[i] : 0.0) - theta[i] * theta[j]);
    }
    for (int s = 0; s < n_draws; ++s) {
      int y[K];
      sd::multinomial_rng(K, theta.data(), n, rng, y);
      int sum = 0;
      for (int k = 0; k < K; ++k) {
        REQUIRE(y[k] >= 0);
        sum += y[k];
        draws[s * K + k] = y[k];
      }
      REQUIRE(sum == n);
    }
    check_mean_and_covariance(draws, K, mean, cov, "multinomial");
    int y[K];
    sd::multinomial_rng(K, theta.data(), -1, rng, y);
    CHECK(y[0] == -1);
  }
  {
    const double cuts[3] = {-1.0, 0.2, 1.5};
    for (double eta : {-0.7, 0.4}) {
      std::vector<std::vector<double>> hit(K, std::vector<double>(n_draws, 0.0));
      for (int s = 0; s < n_draws; ++s) {
        const int y = sd::ordered_logistic_rng(eta, K, cuts, rng);
        REQUIRE(y >= 0);
        REQUIRE(y < K);
        hit[y][s] = 1.0;
      }
      for (int k = 0; k < K; ++k) {
        const double p = std::exp(
            sd::ordered_logistic_lpmf<false>(1, &k, &eta, false, K, cuts, nullptr, nullptr));
        check_mean(hit[k], p, "ordered_logistic " + std::to_string(k));
      }
    }
    const double bad_cuts[3] = {0.0, -1.0, 1.0};
    CHECK(sd::ordered_logistic_rng(0.0, K, bad_cuts, rng) == -1);
  }
}

} // namespace
