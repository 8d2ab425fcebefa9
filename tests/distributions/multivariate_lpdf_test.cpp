// Log densities of the multivariate families (statix/distributions/
// multivariate): values against naive references written here in long
// double (Eigen inverse and determinant, std::lgamma) and against Boost.Math
// for the univariate special cases, to 1e-12 relative; Propto drops exactly
// the argument-free constant; gradients against finite differences (1e-6)
// and forward mode (1e-10); bad input gives -inf without an exception and
// without touching the gradients. LKJ: K = 2 against Beta(eta, eta), K = 3
// and 4 against the closed form of Lewandowski, Kurowicka & Joe (2009) and a
// Monte Carlo integral.

#include <cmath>
#include <random>
#include <vector>

#include <boost/math/distributions/bernoulli.hpp>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/inverse_gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "multivariate_test_support.hpp"

namespace {

using namespace statix_mv_test;
namespace sd = statix::dist;

constexpr double log_two_pi_l = 1.83787706640934548356065947281123528;
constexpr ld pi_l = 3.14159265358979323846264338327950288L;

template <class T>
T* at(T* g, int offset) {
  return g == nullptr ? nullptr : g + offset;
}

matl to_ld(const double* p, int r, int c) {
  return Eigen::Map<const mat>(p, r, c).cast<ld>();
}

// log Gamma_K(x) = K(K-1)/4 log pi + sum_{j=1}^K lgamma(x + (1 - j)/2).
ld lmgamma_ref(int K, ld x) {
  ld s = 0.25L * K * (K - 1) * std::log(pi_l);
  for (int j = 1; j <= K; ++j)
    s += std::lgamma(x + (1 - j) / 2.0L);
  return s;
}

// log of the LKJ normalising constant c_K (the integral of det^(eta-1)):
// Lewandowski, Kurowicka & Joe (2009), eq. (16), the vine method,
//   c_K = 2^{sum_{k=1}^{K-1} (2 eta - 2 + K - k)(K - k)}
//         prod_{k=1}^{K-1} B(eta + (K-k-1)/2, eta + (K-k-1)/2)^{K-k}.
ld log_lkj_normaliser_ref(ld eta, int K) {
  ld s = 0;
  for (int k = 1; k < K; ++k) {
    const ld b = eta + (K - k - 1) / 2.0L;
    s += (2 * eta - 2 + K - k) * (K - k) * std::log(2.0L) +
         (K - k) * (2 * std::lgamma(b) - std::lgamma(2 * b));
  }
  return s;
}

// ---------------------------------------------------------------- normal

ld multi_normal_ref(int N, int K, const double* y, const double* mu, bool per_row, const matl& S) {
  const matl inv = S.inverse();
  const ld log_det = std::log(S.determinant());
  ld lp = 0;
  for (int n = 0; n < N; ++n) {
    Eigen::Matrix<ld, Eigen::Dynamic, 1> r(K);
    for (int k = 0; k < K; ++k)
      r(k) = ld(y[n + k * N]) - (per_row ? mu[n + k * N] : mu[k]);
    lp += -0.5L * K * log_two_pi_l - 0.5L * log_det - 0.5L * r.dot(inv * r);
  }
  return lp;
}

struct mvn_case {
  int N, K;
  bool per_row;
  std::vector<double> x; // y, mu, L or Sigma
  int n_mu() const { return per_row ? N * K : K; }
};

mvn_case make_mvn(int N, int K, bool per_row, std::mt19937_64& g, bool cholesky) {
  std::normal_distribution<double> z;
  mvn_case c{N, K, per_row, {}};
  for (int i = 0; i < N * K + c.n_mu(); ++i)
    c.x.push_back(z(g));
  const mat s = random_spd(K, g);
  const mat m = cholesky ? cholesky_lower(s) : s;
  c.x.insert(c.x.end(), m.data(), m.data() + K * K);
  return c;
}

TEST_CASE("multi_normal_cholesky_lpdf: value, propto, gradients", "[multivariate]") {
  std::mt19937_64 g(11);
  for (bool per_row : {false, true}) {
    for (int K : {1, 3, 4}) {
      const int N = 3;
      mvn_case c = make_mvn(N, K, per_row, g, true);
      const int o_mu = N * K, o_L = o_mu + c.n_mu();
      auto f = [&]<class T>(const T* x, T* d) -> T {
        return sd::multi_normal_cholesky_lpdf<false>(N, K, x, x + o_mu, per_row, x + o_L, at(d, 0),
                                                     at(d, o_mu), at(d, o_L));
      };
      const double* x = c.x.data();
      const matl L = to_ld(x + o_L, K, K).triangularView<Eigen::Lower>();
      const double ref = double(multi_normal_ref(N, K, x, x + o_mu, per_row, L * L.transpose()));
      const double lp = f(x, static_cast<double*>(nullptr));
      CHECK(close(lp, ref, 1e-12));
      const double lp_propto = sd::multi_normal_cholesky_lpdf<true>(
          N, K, x, x + o_mu, per_row, x + o_L, static_cast<double*>(nullptr), nullptr, nullptr);
      CHECK(close(lp - lp_propto, -0.5 * N * K * log_two_pi_l, 1e-12));

      directions dirs = singles(0, o_L);
      append(dirs, lower_dirs(o_L, K));
      check_finite_differences(f, f, c.x, dirs);
      check_forward_mode(f, c.x, dirs, g);
      // dL: the upper part is neither read nor written.
      std::vector<double> grad = gradient(f, c.x);
      for (int j = 1; j < K; ++j)
        for (int i = 0; i < j; ++i)
          CHECK(grad[o_L + i + j * K] == 0.0);
      if (K == 1) {
        const double sigma = x[o_L];
        double sum = 0;
        for (int n = 0; n < N; ++n)
          sum += std::log(boost::math::pdf(
              boost::math::normal_distribution<double>(per_row ? x[o_mu + n] : x[o_mu], sigma),
              x[n]));
        CHECK(close(lp, sum, 1e-12));
      }
    }
  }
}

TEST_CASE("multi_normal_cholesky_lpdf: bad input gives -inf", "[multivariate]") {
  std::mt19937_64 g(12);
  const int N = 2, K = 3;
  mvn_case c = make_mvn(N, K, false, g, true);
  const int o_mu = N * K, o_L = o_mu + K;
  auto f = [&]<class T>(const T* x, T* d) -> T {
    return sd::multi_normal_cholesky_lpdf<false>(N, K, x, x + o_mu, false, x + o_L, at(d, 0),
                                                 at(d, o_mu), at(d, o_L));
  };
  auto bad = c.x;
  bad[o_L + 4] = -bad[o_L + 4]; // L(1, 1) < 0
  check_rejected(f, bad);
  bad = c.x;
  bad[o_L + 8] = 0.0;
  check_rejected(f, bad);
  bad = c.x;
  bad[1] = qnan;
  check_rejected(f, bad);
  bad = c.x;
  bad[o_mu] = inf;
  check_rejected(f, bad);
  bad = c.x;
  bad[o_L + 1] = qnan; // below the diagonal
  check_rejected(f, bad);
  bad = c.x;
  bad[o_L + 3] = qnan; // above the diagonal: not read
  CHECK(std::isfinite(f(bad.data(), static_cast<double*>(nullptr))));
}

TEST_CASE("multi_normal_lpdf: value, propto, gradients", "[multivariate]") {
  std::mt19937_64 g(13);
  for (bool per_row : {false, true}) {
    for (int K : {1, 2, 4}) {
      const int N = 3;
      mvn_case c = make_mvn(N, K, per_row, g, false);
      const int o_mu = N * K, o_S = o_mu + c.n_mu();
      auto f = [&]<class T>(const T* x, T* d) -> T {
        return sd::multi_normal_lpdf<false>(N, K, x, x + o_mu, per_row, x + o_S, at(d, 0),
                                            at(d, o_mu), at(d, o_S));
      };
      const double* x = c.x.data();
      const double ref = double(multi_normal_ref(N, K, x, x + o_mu, per_row, to_ld(x + o_S, K, K)));
      const double lp = f(x, static_cast<double*>(nullptr));
      CHECK(close(lp, ref, 1e-12));
      const double lp_propto = sd::multi_normal_lpdf<true>(
          N, K, x, x + o_mu, per_row, x + o_S, static_cast<double*>(nullptr), nullptr, nullptr);
      CHECK(close(lp - lp_propto, -0.5 * N * K * log_two_pi_l, 1e-12));
      directions dirs = singles(0, o_S);
      append(dirs, symmetric_dirs(o_S, K));
      check_finite_differences(f, f, c.x, dirs);
      check_forward_mode(f, c.x, dirs, g);
      // dSigma is symmetric.
      const std::vector<double> grad = gradient(f, c.x);
      for (int i = 0; i < K; ++i)
        for (int j = 0; j < K; ++j)
          CHECK(grad[o_S + i + j * K] == grad[o_S + j + i * K]);
    }
  }
}

TEST_CASE("multi_normal_lpdf: bad Sigma gives -inf", "[multivariate]") {
  const int N = 1, K = 2;
  auto f = [&]<class T>(const T* x, T* d) -> T {
    return sd::multi_normal_lpdf<false>(N, K, x, x + 2, false, x + 4, at(d, 0), at(d, 2), at(d, 4));
  };
  check_rejected(f, {0.1, 0.2, 0, 0, 1, 2, 2, 1});     // indefinite
  check_rejected(f, {0.1, 0.2, 0, 0, 1, 0.5, 0.4, 1}); // not symmetric
  check_rejected(f, {0.1, 0.2, 0, 0, 1, 1, 1, 1});     // singular
  check_rejected(f, {0.1, 0.2, 0, 0, qnan, 0, 0, 1});  // NaN
  check_rejected(f, {0.1, 0.2, 0, 0, -1, 0, 0, -1});   // negative definite
  check_rejected(f, {qnan, 0.2, 0, 0, 1, 0, 0, 1});    // NaN y
  CHECK(std::isfinite(f(std::vector<double>{0.1, 0.2, 0, 0, 1, 0.5, 0.5 + 1e-10, 1}.data(),
                        static_cast<double*>(nullptr))));
}

// ---------------------------------------------------------------- student t

ld multi_student_t_ref(int N, int K, const double* y, ld nu, const double* mu, bool per_row,
                       const matl& S) {
  const matl inv = S.inverse();
  const ld log_det = std::log(S.determinant());
  ld lp = 0;
  for (int n = 0; n < N; ++n) {
    Eigen::Matrix<ld, Eigen::Dynamic, 1> r(K);
    for (int k = 0; k < K; ++k)
      r(k) = ld(y[n + k * N]) - (per_row ? mu[n + k * N] : mu[k]);
    lp += std::lgamma((nu + K) / 2) - std::lgamma(nu / 2) - K / 2.0L * std::log(nu * pi_l) -
          0.5L * log_det - (nu + K) / 2 * std::log1p(r.dot(inv * r) / nu);
  }
  return lp;
}

TEST_CASE("multi_student_t_lpdf: value, propto, gradients", "[multivariate]") {
  std::mt19937_64 g(14);
  for (bool per_row : {false, true}) {
    for (int K : {1, 3}) {
      for (double nu : {0.7, 4.5, 60.0}) {
        const int N = 3;
        mvn_case c = make_mvn(N, K, per_row, g, false);
        const int o_nu = N * K, o_mu = o_nu + 1, o_S = o_mu + c.n_mu();
        c.x.insert(c.x.begin() + o_nu, nu);
        auto f = [&]<class T>(const T* x, T* d) -> T {
          return sd::multi_student_t_lpdf<false>(N, K, x, x[o_nu], x + o_mu, per_row, x + o_S,
                                                 at(d, 0), at(d, o_nu), at(d, o_mu), at(d, o_S));
        };
        const double* x = c.x.data();
        const double ref =
            double(multi_student_t_ref(N, K, x, nu, x + o_mu, per_row, to_ld(x + o_S, K, K)));
        const double lp = f(x, static_cast<double*>(nullptr));
        CHECK(close(lp, ref, 1e-12));
        const double lp_propto = sd::multi_student_t_lpdf<true>(
            N, K, x, x[o_nu], x + o_mu, per_row, x + o_S, static_cast<double*>(nullptr), nullptr,
            nullptr, nullptr);
        CHECK(close(lp - lp_propto, -0.5 * N * K * std::log(double(pi_l)), 1e-12));
        directions dirs = singles(0, o_S);
        append(dirs, symmetric_dirs(o_S, K));
        check_finite_differences(f, f, c.x, dirs);
        check_forward_mode(f, c.x, dirs, g);
        if (K == 1) {
          const double sigma = std::sqrt(x[o_S]);
          double sum = 0;
          for (int n = 0; n < N; ++n) {
            const double m = per_row ? x[o_mu + n] : x[o_mu];
            sum += std::log(boost::math::pdf(boost::math::students_t_distribution<double>(nu),
                                             (x[n] - m) / sigma) /
                            sigma);
          }
          CHECK(close(lp, sum, 1e-12));
        }
      }
    }
  }
}

TEST_CASE("multi_student_t_lpdf: bad input gives -inf", "[multivariate]") {
  const int N = 1, K = 2;
  auto f = [&]<class T>(const T* x, T* d) -> T {
    return sd::multi_student_t_lpdf<false>(N, K, x, x[2], x + 3, false, x + 5, at(d, 0), at(d, 2),
                                           at(d, 3), at(d, 5));
  };
  check_rejected(f, {0.1, 0.2, -1.0, 0, 0, 1, 0, 0, 1});
  check_rejected(f, {0.1, 0.2, 0.0, 0, 0, 1, 0, 0, 1});
  check_rejected(f, {0.1, 0.2, qnan, 0, 0, 1, 0, 0, 1});
  check_rejected(f, {0.1, 0.2, inf, 0, 0, 1, 0, 0, 1});
  check_rejected(f, {0.1, 0.2, 3.0, 0, 0, 1, 2, 2, 1});
  check_rejected(f, {0.1, qnan, 3.0, 0, 0, 1, 0, 0, 1});
}

// ---------------------------------------------------------------- dirichlet

TEST_CASE("dirichlet_lpdf: value, propto, gradients", "[multivariate]") {
  std::mt19937_64 g(15);
  std::gamma_distribution<double> ga(1.5, 1.0);
  for (bool per_row : {false, true}) {
    for (int K : {2, 3, 5}) {
      const int N = 3, n_alpha = per_row ? N * K : K;
      std::vector<double> x(N * K);
      for (int n = 0; n < N; ++n) {
        const auto t = random_simplex(K, g);
        for (int k = 0; k < K; ++k)
          x[n + k * N] = t[k];
      }
      for (int i = 0; i < n_alpha; ++i)
        x.push_back(ga(g) + 0.2);
      const int o_a = N * K;
      auto f = [&]<class T>(const T* p, T* d) -> T {
        return sd::dirichlet_lpdf<false>(N, K, p, p + o_a, per_row, at(d, 0), at(d, o_a));
      };
      ld ref = 0;
      for (int n = 0; n < N; ++n) {
        ld sum_a = 0;
        for (int k = 0; k < K; ++k) {
          const ld a = x[o_a + (per_row ? n + k * N : k)];
          sum_a += a;
          ref += (a - 1) * std::log(ld(x[n + k * N])) - std::lgamma(a);
        }
        ref += std::lgamma(sum_a);
      }
      const double lp = f(x.data(), static_cast<double*>(nullptr));
      CHECK(close(lp, double(ref), 1e-12));
      CHECK(sd::dirichlet_lpdf<true>(N, K, x.data(), x.data() + o_a, per_row,
                                     static_cast<double*>(nullptr), nullptr) == lp);
      if (K == 2) {
        double sum = 0;
        for (int n = 0; n < N; ++n) {
          const double a = x[o_a + (per_row ? n : 0)], b = x[o_a + (per_row ? n + N : 1)];
          sum += std::log(boost::math::pdf(boost::math::beta_distribution<double>(a, b), x[n]));
        }
        CHECK(close(lp, sum, 1e-12));
      }
      // Finite differences along the simplex for theta; forward mode in every direction.
      directions fd_dirs = simplex_dirs(0, N, K);
      append(fd_dirs, singles(o_a, n_alpha));
      check_finite_differences(f, f, x, fd_dirs);
      check_forward_mode(f, x, singles(0, int(x.size())), g);
    }
  }
}

TEST_CASE("dirichlet_lpdf: bad input gives -inf", "[multivariate]") {
  auto f = [&]<class T>(const T* p, T* d) -> T {
    return sd::dirichlet_lpdf<false>(1, 3, p, p + 3, false, at(d, 0), at(d, 3));
  };
  check_rejected(f, {0.2, 0.3, 0.5, 1.0, -1.0, 2.0}); // negative alpha
  check_rejected(f, {0.2, 0.3, 0.5, 1.0, 0.0, 2.0});  // zero alpha
  check_rejected(f, {0.2, 0.3, 0.5, 1.0, qnan, 2.0}); // NaN alpha
  check_rejected(f, {0.2, 0.3, 0.6, 1.0, 1.0, 2.0});  // sum 1.1
  check_rejected(f, {-0.1, 0.6, 0.5, 1.0, 1.0, 2.0}); // negative theta
  check_rejected(f, {qnan, 0.5, 0.5, 1.0, 1.0, 2.0}); // NaN theta
  // theta = 0 with alpha = 1 is 0 log 0 = 0.
  std::vector<double> edge{0.0, 0.5, 0.5, 1.0, 2.0, 2.0};
  CHECK(f(edge.data(), static_cast<double*>(nullptr)) ==
        Approx(std::lgamma(5.0) - 2 * std::lgamma(2.0) + 2 * std::log(0.5)));
  std::vector<double> grad(6, 0.0);
  f(edge.data(), grad.data());
  CHECK(grad[0] == 0.0);
  for (double v : {grad[1], grad[2], grad[4], grad[5]})
    CHECK(std::isfinite(v));
}

// ---------------------------------------------------------------- LKJ

TEST_CASE("lkj_corr_cholesky_lpdf: value, propto, gradients", "[multivariate]") {
  std::mt19937_64 g(16);
  for (int K : {2, 3, 4, 5}) {
    for (double eta : {0.6, 1.0, 1.0 + 1e-9, 3.5}) {
      const mat omega = random_corr(K, g);
      const mat L = cholesky_lower(omega);
      std::vector<double> x(L.data(), L.data() + K * K);
      x.push_back(eta);
      const int o_eta = K * K;
      auto f = [&]<class T>(const T* p, T* d) -> T {
        return sd::lkj_corr_cholesky_lpdf<false>(K, p, p[o_eta], at(d, 0), at(d, o_eta));
      };
      auto kernel = [&]<class T>(const T* p, T* d) -> T {
        return sd::multivariate_detail::lkj_corr_cholesky_kernel<false>(K, p, p[o_eta], at(d, 0),
                                                                        at(d, o_eta));
      };
      // Density of Omega (LKJ 2009) times the Jacobian of Omega = L L^T,
      // prod_{i=1}^{K-1} L(i,i)^(K-1-i).
      const matl Ll = to_ld(x.data(), K, K);
      ld ref = -log_lkj_normaliser_ref(eta, K) +
               (eta - 1) * std::log((Ll * Ll.transpose()).determinant());
      for (int i = 1; i < K; ++i)
        ref += (K - 1 - i) * std::log(Ll(i, i));
      const double lp = f(x.data(), static_cast<double*>(nullptr));
      CHECK(close(lp, double(ref), 1e-12));
      const double lp_propto = sd::lkj_corr_cholesky_lpdf<true>(
          K, x.data(), eta, static_cast<double*>(nullptr), static_cast<double*>(nullptr));
      CHECK(close(lp - lp_propto, -0.25 * K * (K - 1) * std::log(double(pi_l)), 1e-12));
      directions dirs = lower_dirs(0, K);
      append(dirs, singles(o_eta, 1));
      check_finite_differences(f, kernel, x, dirs);
      check_forward_mode(f, x, dirs, g);
    }
  }
}

TEST_CASE("lkj_corr_cholesky_lpdf: bad input gives -inf", "[multivariate]") {
  const int K = 2;
  auto f = [&]<class T>(const T* p, T* d) -> T {
    return sd::lkj_corr_cholesky_lpdf<false>(K, p, p[4], at(d, 0), at(d, 4));
  };
  const double s = std::sqrt(1 - 0.36);
  check_rejected(f, {1, 0.6, 0, s, -1.0});       // eta < 0
  check_rejected(f, {1, 0.6, 0, s, 0.0});        // eta = 0
  check_rejected(f, {1, 0.6, 0, s, qnan});       // eta NaN
  check_rejected(f, {1, 0.6, 0, -s, 2.0});       // negative diagonal
  check_rejected(f, {1, 0.6, 0, s + 1e-3, 2.0}); // row not of unit length
  check_rejected(f, {1.1, 0.6, 0, s, 2.0});      // first row not of unit length
  check_rejected(f, {1, qnan, 0, s, 2.0});       // NaN
  CHECK(std::isfinite(f(std::vector<double>{1, 0.6, 5.0, s, 2.0}.data(),
                        static_cast<double*>(nullptr)))); // upper part not read
}

TEST_CASE("lkj_corr_lpdf: value, propto, gradients", "[multivariate]") {
  std::mt19937_64 g(17);
  for (int K : {2, 3, 4}) {
    for (double eta : {0.6, 1.0, 2.5}) {
      const mat omega = random_corr(K, g);
      std::vector<double> x(omega.data(), omega.data() + K * K);
      x.push_back(eta);
      const int o_eta = K * K;
      auto f = [&]<class T>(const T* p, T* d) -> T {
        return sd::lkj_corr_lpdf<false>(K, p, p[o_eta], at(d, 0), at(d, o_eta));
      };
      const ld ref = -log_lkj_normaliser_ref(eta, K) +
                     (eta - 1) * std::log(to_ld(x.data(), K, K).determinant());
      const double lp = f(x.data(), static_cast<double*>(nullptr));
      CHECK(close(lp, double(ref), 1e-12));
      const double lp_propto =
          sd::lkj_corr_lpdf<true>(K, x.data(), eta, static_cast<double*>(nullptr), nullptr);
      CHECK(close(lp - lp_propto, -0.25 * K * (K - 1) * std::log(double(pi_l)), 1e-12));
      // Off-diagonal pairs by finite differences (the diagonal is fixed at
      // 1); every entry, diagonal too, in forward mode.
      directions fd_dirs = off_diagonal_symmetric_dirs(0, K);
      append(fd_dirs, singles(o_eta, 1));
      check_finite_differences(f, f, x, fd_dirs);
      directions fwd_dirs = symmetric_dirs(0, K);
      append(fwd_dirs, singles(o_eta, 1));
      check_forward_mode(f, x, fwd_dirs, g);
    }
  }
}

TEST_CASE("lkj_corr_lpdf: K = 2 is Beta(eta, eta) on (r + 1)/2", "[multivariate]") {
  for (double eta : {0.3, 0.9, 1.0, 1.7, 4.0, 25.0}) {
    for (double r : {-0.95, -0.3, 0.0, 0.45, 0.99}) {
      const double omega[4] = {1, r, r, 1};
      const double lp = sd::lkj_corr_lpdf<false>(2, omega, eta, static_cast<double*>(nullptr),
                                                 static_cast<double*>(nullptr));
      const double ref = std::log(boost::math::pdf(boost::math::beta_distribution<double>(eta, eta),
                                                   (r + 1) / 2)) -
                         std::log(2.0);
      INFO("eta " << eta << " r " << r);
      CHECK(close(lp, ref, 1e-12));
    }
  }
}

TEST_CASE("lkj_corr_lpdf: K = 3, 4 integrate to 1 (Monte Carlo over the cube)", "[multivariate]") {
  // Uniform points of [-1, 1]^(K(K-1)/2); outside the set of correlation
  // matrices the density is 0. The mean of the density times the cube's
  // volume estimates the integral, within 4 standard errors of 1.
  std::mt19937_64 g(18);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int K : {3, 4}) {
    for (double eta : {1.0, 2.0}) {
      const int m = K * (K - 1) / 2, n = 200000;
      const double volume = std::pow(2.0, m);
      double sum = 0, sum2 = 0;
      std::vector<double> omega(K * K);
      for (int s = 0; s < n; ++s) {
        for (int j = 0; j < K; ++j) {
          omega[j + j * K] = 1.0;
          for (int i = j + 1; i < K; ++i)
            omega[i + j * K] = omega[j + i * K] = u(g);
        }
        const double lp =
            sd::lkj_corr_lpdf<false>(K, omega.data(), eta, static_cast<double*>(nullptr), nullptr);
        const double v = lp == -inf ? 0.0 : volume * std::exp(lp);
        sum += v;
        sum2 += v * v;
      }
      const double mean = sum / n, se = std::sqrt((sum2 / n - mean * mean) / n);
      INFO("K " << K << " eta " << eta << ": integral " << mean << " +- " << se);
      CHECK(std::fabs(mean - 1.0) < 4 * se);
      CHECK(se < 0.02);
    }
  }
}

TEST_CASE("lkj_corr_lpdf: bad input gives -inf", "[multivariate]") {
  auto f = [&]<class T>(const T* p, T* d) -> T {
    return sd::lkj_corr_lpdf<false>(2, p, p[4], at(d, 0), at(d, 4));
  };
  check_rejected(f, {1, 0.5, 0.5, 1, -1.0});  // eta < 0
  check_rejected(f, {1, 0.5, 0.5, 1, qnan});  // eta NaN
  check_rejected(f, {1.1, 0.5, 0.5, 1, 2.0}); // diagonal not 1
  check_rejected(f, {1, 0.5, 0.4, 1, 2.0});   // not symmetric
  check_rejected(f, {1, 1.0, 1.0, 1, 2.0});   // singular
  check_rejected(f, {1, 1.5, 1.5, 1, 2.0});   // not positive definite
  check_rejected(f, {1, qnan, qnan, 1, 2.0}); // NaN
}

// ---------------------------------------------------------------- Wishart

ld wishart_ref(int K, const matl& W, ld nu, const matl& S) {
  return -nu * K / 2 * std::log(2.0L) - lmgamma_ref(K, nu / 2) -
         nu / 2 * std::log(S.determinant()) + (nu - K - 1) / 2 * std::log(W.determinant()) -
         0.5L * (S.inverse() * W).trace();
}
ld inv_wishart_ref(int K, const matl& W, ld nu, const matl& S) {
  return nu / 2 * std::log(S.determinant()) - nu * K / 2 * std::log(2.0L) - lmgamma_ref(K, nu / 2) -
         (nu + K + 1) / 2 * std::log(W.determinant()) - 0.5L * (S * W.inverse()).trace();
}

template <bool Inverse>
void check_wishart_family(std::mt19937_64& g) {
  for (int K : {1, 2, 3, 4}) {
    for (double extra : {0.3, 2.0, 10.0}) {
      const double nu = K - 1 + extra;
      const mat W = random_spd(K, g), S = random_spd(K, g);
      std::vector<double> x(W.data(), W.data() + K * K);
      x.push_back(nu);
      x.insert(x.end(), S.data(), S.data() + K * K);
      const int o_nu = K * K, o_S = o_nu + 1;
      auto f = [&]<class T>(const T* p, T* d) -> T {
        if constexpr (Inverse)
          return sd::inv_wishart_lpdf<false>(K, p, p[o_nu], p + o_S, at(d, 0), at(d, o_nu),
                                             at(d, o_S));
        else
          return sd::wishart_lpdf<false>(K, p, p[o_nu], p + o_S, at(d, 0), at(d, o_nu), at(d, o_S));
      };
      auto f_propto = [&](const double* p) {
        if constexpr (Inverse)
          return sd::inv_wishart_lpdf<true>(K, p, p[o_nu], p + o_S, static_cast<double*>(nullptr),
                                            nullptr, nullptr);
        else
          return sd::wishart_lpdf<true>(K, p, p[o_nu], p + o_S, static_cast<double*>(nullptr),
                                        nullptr, nullptr);
      };
      const matl Wl = to_ld(x.data(), K, K), Sl = to_ld(x.data() + o_S, K, K);
      const double ref =
          double(Inverse ? inv_wishart_ref(K, Wl, nu, Sl) : wishart_ref(K, Wl, nu, Sl));
      const double lp = f(x.data(), static_cast<double*>(nullptr));
      INFO("K " << K << " nu " << nu);
      CHECK(close(lp, ref, 1e-12));
      CHECK(close(lp - f_propto(x.data()), -0.25 * K * (K - 1) * std::log(double(pi_l)), 1e-12));
      if (K == 1) {
        const double w = x[0], s = x[o_S];
        const double boost_lp =
            Inverse ? std::log(boost::math::pdf(
                          boost::math::inverse_gamma_distribution<double>(nu / 2, s / 2), w))
                    : std::log(boost::math::pdf(
                          boost::math::gamma_distribution<double>(nu / 2, 2 * s), w));
        CHECK(close(lp, boost_lp, 1e-12));
      }
      directions dirs = symmetric_dirs(0, K);
      append(dirs, singles(o_nu, 1));
      append(dirs, symmetric_dirs(o_S, K));
      check_finite_differences(f, f, x, dirs);
      check_forward_mode(f, x, dirs, g);
    }
  }
  // Bad input.
  const int K = 2;
  auto f = [&]<class T>(const T* p, T* d) -> T {
    if constexpr (Inverse)
      return sd::inv_wishart_lpdf<false>(K, p, p[4], p + 5, at(d, 0), at(d, 4), at(d, 5));
    else
      return sd::wishart_lpdf<false>(K, p, p[4], p + 5, at(d, 0), at(d, 4), at(d, 5));
  };
  check_rejected(f, {1, 0, 0, 1, 1.0, 1, 0, 0, 1});    // nu <= K - 1
  check_rejected(f, {1, 0, 0, 1, qnan, 1, 0, 0, 1});   // nu NaN
  check_rejected(f, {1, 0, 0, 1, inf, 1, 0, 0, 1});    // nu inf
  check_rejected(f, {1, 2, 2, 1, 3.0, 1, 0, 0, 1});    // W indefinite
  check_rejected(f, {1, 0, 0, 1, 3.0, 1, 2, 2, 1});    // S indefinite
  check_rejected(f, {1, 0.5, 0, 1, 3.0, 1, 0, 0, 1});  // W not symmetric
  check_rejected(f, {1, 0, 0, 1, 3.0, qnan, 0, 0, 1}); // NaN
}

TEST_CASE("wishart_lpdf: value, multivariate gamma, K = 1 gamma, gradients", "[multivariate]") {
  std::mt19937_64 g(19);
  check_wishart_family<false>(g);
  // The multivariate gamma against its recursion
  // Gamma_K(x) = pi^((K-1)/2) Gamma(x) Gamma_{K-1}(x - 1/2).
  for (int K = 2; K <= 6; ++K) {
    for (double x : {2.6, 4.0, 11.3}) {
      const double a = sd::multivariate_detail::lmgamma<true>(K, x);
      const double b = (K - 1) / 2.0 * std::log(double(pi_l)) + std::lgamma(x) +
                       sd::multivariate_detail::lmgamma<true>(K - 1, x - 0.5);
      CHECK(close(a, b, 1e-13));
    }
  }
}

TEST_CASE("inv_wishart_lpdf: value, K = 1 inverse gamma, gradients", "[multivariate]") {
  std::mt19937_64 g(20);
  check_wishart_family<true>(g);
}

// ---------------------------------------------------------------- discrete

TEST_CASE("categorical_lpmf: value, gradients, bad input", "[multivariate]") {
  std::mt19937_64 g(21);
  for (int K : {2, 3, 6}) {
    const std::vector<double> theta = random_simplex(K, g);
    std::vector<int> y;
    for (int n = 0; n < 9; ++n)
      y.push_back(int(g() % K));
    const int N = int(y.size());
    auto f = [&]<class T>(const T* p, T* d) -> T {
      return sd::categorical_lpmf<false>(N, y.data(), K, p, d);
    };
    ld ref = 0;
    for (int v : y)
      ref += std::log(ld(theta[v]));
    const double lp = f(theta.data(), static_cast<double*>(nullptr));
    CHECK(close(lp, double(ref), 1e-12));
    CHECK(sd::categorical_lpmf<true>(N, y.data(), K, theta.data(), static_cast<double*>(nullptr)) ==
          lp);
    if (K == 2) {
      double sum = 0;
      for (int v : y)
        sum += std::log(boost::math::pdf(boost::math::bernoulli_distribution<double>(theta[1]), v));
      CHECK(close(lp, sum, 1e-12));
    }
    check_finite_differences(f, f, theta, simplex_dirs(0, 1, K));
    check_forward_mode(f, theta, singles(0, K), g);
  }
  const std::vector<int> y{0, 2};
  auto f = [&]<class T>(const T* p, T* d) -> T {
    return sd::categorical_lpmf<false>(2, y.data(), 3, p, d);
  };
  check_rejected(f, {0.2, 0.3, 0.6});
  check_rejected(f, {-0.1, 0.6, 0.5});
  check_rejected(f, {0.2, qnan, 0.5});
  check_rejected(f, {0.5, 0.5, 0.0}); // y = 2 has probability 0
  const std::vector<int> out_of_range{0, 3};
  const double theta[3] = {0.2, 0.3, 0.5};
  CHECK(sd::categorical_lpmf<false>(2, out_of_range.data(), 3, theta,
                                    static_cast<double*>(nullptr)) == -inf);
}

TEST_CASE("multinomial_lpmf: value, propto, gradients, bad input", "[multivariate]") {
  std::mt19937_64 g(22);
  for (int K : {2, 3, 5}) {
    const std::vector<double> theta = random_simplex(K, g);
    std::vector<int> y;
    for (int k = 0; k < K; ++k)
      y.push_back(int(g() % 7));
    y[0] = 0; // a zero count
    auto f = [&]<class T>(const T* p, T* d) -> T {
      return sd::multinomial_lpmf<false>(K, y.data(), p, d);
    };
    ld ref = 0, count = 0, sum_lgamma = 0;
    for (int k = 0; k < K; ++k) {
      ref += y[k] * std::log(ld(theta[k]));
      count += y[k];
      sum_lgamma += std::lgamma(y[k] + 1.0L);
    }
    const ld constant = std::lgamma(count + 1) - sum_lgamma;
    const double lp = f(theta.data(), static_cast<double*>(nullptr));
    CHECK(close(lp, double(ref + constant), 1e-12));
    CHECK(close(
        lp - sd::multinomial_lpmf<true>(K, y.data(), theta.data(), static_cast<double*>(nullptr)),
        double(constant), 1e-12));
    if (K == 2) {
      const double b =
          boost::math::pdf(boost::math::binomial_distribution<double>(y[0] + y[1], theta[1]), y[1]);
      CHECK(close(lp, std::log(b), 1e-12));
    }
    check_finite_differences(f, f, theta, simplex_dirs(0, 1, K));
    check_forward_mode(f, theta, singles(0, K), g);
  }
  std::vector<int> y{1, 0, 2};
  auto f = [&]<class T>(const T* p, T* d) -> T {
    return sd::multinomial_lpmf<false>(3, y.data(), p, d);
  };
  check_rejected(f, {0.2, 0.3, 0.6});
  check_rejected(f, {0.0, 0.5, 0.5}); // y_0 > 0 with theta_0 = 0
  check_rejected(f, {qnan, 0.5, 0.5});
  std::vector<double> zero_ok{0.5, 0.0, 0.5}; // y_1 = 0 with theta_1 = 0 is fine
  CHECK(close(f(zero_ok.data(), static_cast<double*>(nullptr)), std::log(3.0 * 0.125), 1e-14));
  y[1] = -1;
  CHECK(sd::multinomial_lpmf<false>(3, y.data(), zero_ok.data(), static_cast<double*>(nullptr)) ==
        -inf);
}

// P(y = k) = F(c_k - eta) - F(c_{k-1} - eta), F the logistic cdf, in long
// double; the difference of two upper tails when both are above 1/2.
ld ordered_logistic_ref(int y, ld eta, int K, const double* c) {
  auto cdf = [](ld x) { return 1 / (1 + std::exp(-x)); };
  auto upper = [](ld x) { return 1 / (1 + std::exp(x)); }; // 1 - F(x)
  const ld lo = y == 0 ? -INFINITY : c[y - 1] - eta, hi = y == K - 1 ? INFINITY : c[y] - eta;
  if (lo > 0) return std::log(upper(lo) - (hi == INFINITY ? 0 : upper(hi)));
  return std::log((hi == INFINITY ? 1 : cdf(hi)) - (lo == -INFINITY ? 0 : cdf(lo)));
}

TEST_CASE("ordered_logistic_lpmf: value, tails, gradients, bad input", "[multivariate]") {
  std::mt19937_64 g(23);
  std::normal_distribution<double> z;
  for (bool per_row : {false, true}) {
    for (int K : {2, 3, 5}) {
      std::vector<double> cuts{z(g)};
      for (int k = 1; k < K - 1; ++k)
        cuts.push_back(cuts.back() + 0.3 + std::fabs(z(g)));
      std::vector<int> y;
      for (int k = 0; k < K; ++k)
        y.push_back(k);
      y.push_back(0);
      const int N = int(y.size()), n_eta = per_row ? N : 1;
      std::vector<double> x;
      for (int i = 0; i < n_eta; ++i)
        x.push_back(z(g));
      x.insert(x.end(), cuts.begin(), cuts.end());
      auto f = [&]<class T>(const T* p, T* d) -> T {
        return sd::ordered_logistic_lpmf<false>(N, y.data(), p, per_row, K, p + n_eta, at(d, 0),
                                                at(d, n_eta));
      };
      ld ref = 0;
      for (int n = 0; n < N; ++n)
        ref += ordered_logistic_ref(y[n], x[per_row ? n : 0], K, cuts.data());
      const double lp = f(x.data(), static_cast<double*>(nullptr));
      CHECK(close(lp, double(ref), 1e-12));
      CHECK(sd::ordered_logistic_lpmf<true>(N, y.data(), x.data(), per_row, K, x.data() + n_eta,
                                            static_cast<double*>(nullptr), nullptr) == lp);
      const directions dirs = singles(0, int(x.size()));
      check_finite_differences(f, f, x, dirs);
      check_forward_mode(f, x, dirs, g);
    }
  }
  // Far tails: every category of a 4-category model with eta -60 .. 60.
  const double cuts[3] = {-1.0, 0.5, 2.0};
  for (double eta : {-60.0, -35.0, 35.0, 60.0}) {
    for (int y = 0; y < 4; ++y) {
      const double lp = sd::ordered_logistic_lpmf<false>(1, &y, &eta, false, 4, cuts,
                                                         static_cast<double*>(nullptr), nullptr);
      INFO("eta " << eta << " y " << y);
      CHECK(close(lp, double(ordered_logistic_ref(y, eta, 4, cuts)), 1e-12));
      CHECK(std::isfinite(lp));
      double d_eta = 0, d_cuts[3] = {0, 0, 0};
      sd::ordered_logistic_lpmf<false>(1, &y, &eta, false, 4, cuts, &d_eta, d_cuts);
      CHECK(std::isfinite(d_eta));
    }
  }
  // K = 2 is a Bernoulli with logit eta - c_0.
  {
    const double c0 = 0.4, eta = -0.3;
    for (int y = 0; y < 2; ++y) {
      const double p = 1 / (1 + std::exp(-(eta - c0)));
      CHECK(close(sd::ordered_logistic_lpmf<false>(1, &y, &eta, false, 2, &c0,
                                                   static_cast<double*>(nullptr), nullptr),
                  std::log(boost::math::pdf(boost::math::bernoulli_distribution<double>(p), y)),
                  1e-12));
    }
  }
  std::vector<int> y{0, 2};
  auto f = [&]<class T>(const T* p, T* d) -> T {
    return sd::ordered_logistic_lpmf<false>(2, y.data(), p, false, 3, p + 1, at(d, 0), at(d, 1));
  };
  check_rejected(f, {0.0, 1.0, 0.5});  // cuts not increasing
  check_rejected(f, {0.0, 1.0, 1.0});  // cuts equal
  check_rejected(f, {qnan, 0.0, 1.0}); // eta NaN
  check_rejected(f, {0.0, -inf, 1.0}); // infinite cut
  y[1] = 3;
  check_rejected(f, {0.0, 0.0, 1.0}); // y out of range
}

} // namespace
