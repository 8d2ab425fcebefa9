#pragma once

// Hand-derived log densities and gradients of two matrix models, the
// references of Statix's matrix expression nodes (as hand_written_gradients.hpp
// is for the scalar models): the same unconstrained parameterisation as the
// Statix and Stan versions (a positive parameter is exp(x), log|J| = x; a
// Cholesky factor of a correlation matrix is Stan's cholesky_corr_constrain)
// and the constant terms dropped as `propto` drops them (a summand stays only
// when it depends on a parameter: Stan's include_summand rule). The matrix
// kernels are Statix's own (statix/math/linear_algebra), in double.
//
//   GP Poisson regression, N points (stan/stan_matrix_models.cpp has the Stan program)
//     x = (log rho, log alpha, f_tilde[N])
//     rho ~ gamma(25, 4), alpha ~ normal(0, 2) (alpha > 0), f_tilde ~ normal(0, 1),
//     L = cholesky(gp_exp_quad_cov(x, alpha, rho) + 1e-10 I), f = L f_tilde,
//     k ~ poisson_log(f).
//   LKJ + multi-normal, K-dimensional rows (K = 4, 1000 rows in the benchmark)
//     x = (L_Omega free[K (K - 1) / 2], log tau[K], mu[K])
//     L_Omega ~ lkj_corr_cholesky(2), tau ~ cauchy(0, 2.5) (tau > 0),
//     mu ~ normal(0, 5), Y[n] ~ multi_normal_cholesky(mu, diag(tau) L_Omega).

#include <statix/math/linear_algebra/cholesky_decompose.hpp>
#include <statix/math/linear_algebra/gp_exp_quad_cov.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace statix_bench {

// ---- data -------------------------------------------------------------------

// x: n sorted inputs, uniform on [0, 2n] (about two length scales of rho ~ 6
// hold a dozen points: K + 1e-10 I stays factorable); k: counts drawn from
// poisson(exp(f)) with f a smooth function of x.
struct gp_poisson_data {
  int n = 0;
  std::vector<double> x;
  std::vector<int> k;
};

inline gp_poisson_data make_gp_poisson_data(int n, unsigned seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0.0, 2.0 * n);
  gp_poisson_data d{n, std::vector<double>(n), std::vector<int>(n)};
  for (double& v : d.x)
    v = u(g);
  std::sort(d.x.begin(), d.x.end());
  for (int i = 0; i < n; ++i) {
    const double f = 1.0 + std::sin(d.x[i] / 6.0) + 0.5 * std::cos(d.x[i] / 15.0);
    std::poisson_distribution<int> counts(std::exp(f));
    d.k[i] = counts(g);
  }
  return d;
}

// Y: n rows of dimension k, column-major n x k (Y[i + j * n]), drawn from
// multi_normal(mu, diag(tau) Omega diag(tau)) with a fixed Omega of
// correlations 0.3 to 0.6.
struct lkj_multi_normal_data {
  int n = 0;
  int k = 0;
  std::vector<double> Y;
};

inline lkj_multi_normal_data make_lkj_multi_normal_data(int n, int k, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  std::vector<double> omega(static_cast<std::size_t>(k) * k), L(omega.size());
  for (int j = 0; j < k; ++j) {
    for (int i = 0; i < k; ++i)
      omega[i + j * k] = i == j ? 1.0 : 0.3 + 0.3 * std::exp(-std::abs(i - j));
  }
  statix::math::cholesky_decompose(k, omega.data(), L.data());
  lkj_multi_normal_data d{n, k, std::vector<double>(static_cast<std::size_t>(n) * k)};
  std::vector<double> draw(k);
  for (int r = 0; r < n; ++r) {
    for (double& v : draw)
      v = z(g);
    for (int i = 0; i < k; ++i) {
      double correlated = 0;
      for (int j = 0; j <= i; ++j)
        correlated += L[i + j * k] * draw[j];
      const double tau = 0.5 + 0.5 * i, mu = 1.0 - 0.75 * i;
      d.Y[r + static_cast<std::size_t>(i) * n] = mu + tau * correlated;
    }
  }
  return d;
}

// ---- GP Poisson regression ----------------------------------------------------

// Reverse sweep: with f_adj = k - exp(f),
//   f_tilde_adj = L^T f_adj - f_tilde,  L_adj = tril(f_adj f_tilde^T),
//   K_adj = cholesky adjoint (Murray 2016), then alpha and rho through
//   gp_exp_quad_cov's adjoint (the jitter is a constant).
class gp_poisson_gradient {
public:
  explicit gp_poisson_gradient(const gp_poisson_data& data)
      : data_(data), K_(size2()), L_(size2()), L_adj_(size2()), K_adj_(size2()),
        scratch_(statix::math::cholesky_adjoint_scratch_size(data.n)), f_(data.n), f_adj_(data.n) {}
  int dim() const { return 2 + data_.n; }

  double operator()(const double* x, double* grad) {
    const int n = data_.n;
    const double log_rho = x[0], log_alpha = x[1];
    const double rho = std::exp(log_rho), alpha = std::exp(log_alpha);
    const double* f_tilde = x + 2;

    // priors with their log|J|: gamma(25, 4) kernel 24 log rho - 4 rho, half
    // normal(0, 2) kernel -alpha^2 / 8
    double lp = 25.0 * log_rho - 4.0 * rho - alpha * alpha / 8.0 + log_alpha;
    double d_rho = 0, d_alpha = 0;
    for (int i = 0; i < n; ++i)
      lp -= 0.5 * f_tilde[i] * f_tilde[i];

    statix::math::gp_exp_quad_cov(n, data_.x.data(), alpha, rho, K_.data());
    for (int i = 0; i < n; ++i)
      K_[i + i * n] += 1e-10;
    if (!statix::math::cholesky_decompose(n, K_.data(), L_.data())) {
      std::fill(grad, grad + dim(), 0.0);
      return -std::numeric_limits<double>::infinity();
    }
    for (int i = 0; i < n; ++i) { // f = L f_tilde, row by row
      double sum = 0;
      for (int j = 0; j <= i; ++j)
        sum += L_[i + j * n] * f_tilde[j];
      f_[i] = sum;
    }
    for (int i = 0; i < n; ++i) { // poisson_log kernel k f - exp(f)
      const double rate = std::exp(f_[i]);
      lp += data_.k[i] * f_[i] - rate;
      f_adj_[i] = data_.k[i] - rate;
    }

    for (int j = 0; j < n; ++j) {
      double sum = 0; // (L^T f_adj)_j
      for (int i = j; i < n; ++i) {
        sum += L_[i + j * n] * f_adj_[i];
        L_adj_[i + j * n] = f_adj_[i] * f_tilde[j];
      }
      grad[2 + j] = sum - f_tilde[j];
    }
    std::fill(K_adj_.begin(), K_adj_.end(), 0.0);
    statix::math::cholesky_decompose_adjoint(n, L_.data(), L_adj_.data(), K_adj_.data(),
                                             scratch_.data());
    for (int i = 0; i < n; ++i) // the adjoint reads gp_exp_quad_cov's K, without the jitter
      K_[i + i * n] = alpha * alpha;
    statix::math::gp_exp_quad_cov_adjoint(n, data_.x.data(), alpha, rho, K_.data(), K_adj_.data(),
                                          &d_alpha, &d_rho);
    grad[0] = d_rho * rho + 25.0 - 4.0 * rho;
    grad[1] = d_alpha * alpha - alpha * alpha / 4.0 + 1.0;
    return lp;
  }

private:
  std::size_t size2() const { return static_cast<std::size_t>(data_.n) * data_.n; }

  gp_poisson_data data_;
  std::vector<double> K_, L_, L_adj_, K_adj_, scratch_, f_, f_adj_;
};

// ---- LKJ + multi-normal ---------------------------------------------------------

// L_Omega from Stan's cholesky_corr_constrain: row i from the partial
// correlations z_ij = tanh(x_ij) (row by row in x), L(i, j) = z_ij q_ij,
// q_i0 = 1, q_i(j+1) = q_ij sech(x_ij), L(i, i) = q_ii; log|J| =
// sum_ij (i + 1 - j) / 2 log(1 - z_ij^2). Then with Sigma's factor
// L = diag(tau) L_Omega and z_n = L^-1 (y_n - mu), the likelihood is
//   -N sum_i log L(i, i) - 1/2 sum_n |z_n|^2,
// whose reverse sweep needs only Z = sum_n z_n z_n^T and s = sum_n z_n:
//   mu_adj = L^-T s,  L_adj = tril(L^-T Z) - N diag(1 / L(i, i)).
class lkj_multi_normal_gradient {
public:
  explicit lkj_multi_normal_gradient(const lkj_multi_normal_data& data) : data_(data) {}
  int dim() const { return data_.k * (data_.k - 1) / 2 + 2 * data_.k; }

  double operator()(const double* x, double* grad) {
    const int K = data_.k, N = data_.n, free = K * (K - 1) / 2;
    const double* log_tau = x + free;
    const double* mu = x + free + K;
    std::vector<double>& L_omega = L_omega_;
    L_omega.assign(static_cast<std::size_t>(K) * K, 0.0);
    z_.resize(free);
    sech_.resize(free);
    q_after_.resize(free);

    // cholesky_corr_constrain and its log|J|
    double lp = 0;
    L_omega[0] = 1.0;
    for (int i = 1; i < K; ++i) {
      double q = 1.0;
      for (int j = 0; j < i; ++j) {
        const int at = i * (i - 1) / 2 + j;
        const double a = std::abs(x[at]), e2 = std::exp(-2.0 * a);
        z_[at] = std::tanh(x[at]);
        sech_[at] = 2.0 * std::exp(-a) / (1.0 + e2);
        L_omega[i + j * K] = z_[at] * q;
        q *= sech_[at];
        q_after_[at] = q;
        lp += (i + 1 - j) * (std::log(2.0) - a - std::log1p(e2)); // (i+1-j)/2 log(1 - z^2)
      }
      L_omega[i + i * K] = q;
    }
    // lkj_corr_cholesky(eta = 2) kernel: sum_{i >= 1} (K - i - 1 + 2 (eta - 1)) log L(i, i)
    for (int i = 1; i < K; ++i)
      lp += (K - i - 1 + 2.0) * std::log(L_omega[i + i * K]);
    tau_.resize(K);
    for (int i = 0; i < K; ++i) {
      tau_[i] = std::exp(log_tau[i]);
      const double t = tau_[i] / 2.5;
      lp += -std::log1p(t * t) + log_tau[i]; // half-Cauchy kernel + log|J|
      lp -= 0.5 * (mu[i] / 5.0) * (mu[i] / 5.0);
    }

    // L = diag(tau) L_Omega; the likelihood by rows
    L_.assign(static_cast<std::size_t>(K) * K, 0.0);
    for (int j = 0; j < K; ++j) {
      for (int i = j; i < K; ++i)
        L_[i + j * K] = tau_[i] * L_omega[i + j * K];
    }
    Z_.assign(static_cast<std::size_t>(K) * K, 0.0);
    s_.assign(K, 0.0);
    zn_.resize(K);
    double quadratic = 0;
    for (int r = 0; r < N; ++r) {
      for (int i = 0; i < K; ++i) { // forward substitution
        double v = data_.Y[r + static_cast<std::size_t>(i) * N] - mu[i];
        for (int j = 0; j < i; ++j)
          v -= L_[i + j * K] * zn_[j];
        zn_[i] = v / L_[i + i * K];
      }
      for (int j = 0; j < K; ++j) {
        quadratic += zn_[j] * zn_[j];
        s_[j] += zn_[j];
        for (int i = j; i < K; ++i)
          Z_[i + j * K] += zn_[i] * zn_[j];
      }
    }
    lp -= 0.5 * quadratic;
    for (int i = 0; i < K; ++i)
      lp -= N * std::log(L_[i + i * K]);

    // mu_adj = L^-T s (back substitution); grad of the prior added
    for (int i = K - 1; i >= 0; --i) {
      double v = s_[i];
      for (int j = i + 1; j < K; ++j)
        v -= L_[j + i * K] * grad[free + K + j];
      grad[free + K + i] = v / L_[i + i * K];
    }
    for (int i = 0; i < K; ++i)
      grad[free + K + i] -= mu[i] / 25.0;
    // L_adj = tril(L^-T Z) - N diag(1 / L(i, i)); Z symmetric (lower stored)
    L_adj_.assign(static_cast<std::size_t>(K) * K, 0.0);
    for (int c = 0; c < K; ++c) { // column c of L^-T Z by back substitution
      for (int i = K - 1; i >= 0; --i) {
        double v = i >= c ? Z_[i + c * K] : Z_[c + i * K];
        for (int j = i + 1; j < K; ++j)
          v -= L_[j + i * K] * column_[j];
        column_[i] = v / L_[i + i * K];
      }
      for (int i = c; i < K; ++i)
        L_adj_[i + c * K] = column_[i];
      L_adj_[c + c * K] -= N / L_[c + c * K];
    }
    // through L = diag(tau) L_Omega, then tau = exp(log tau)
    L_omega_adj_.assign(static_cast<std::size_t>(K) * K, 0.0);
    for (int i = 0; i < K; ++i) {
      double d_tau = 0;
      for (int j = 0; j <= i; ++j) {
        d_tau += L_adj_[i + j * K] * L_omega[i + j * K];
        L_omega_adj_[i + j * K] = tau_[i] * L_adj_[i + j * K];
      }
      const double t = tau_[i] / 2.5;
      grad[free + i] = (d_tau - 2.0 * t / 2.5 / (1.0 + t * t)) * tau_[i] + 1.0;
    }
    for (int i = 1; i < K; ++i) // lkj kernel
      L_omega_adj_[i + i * K] += (K - i - 1 + 2.0) / L_omega[i + i * K];
    // reverse of cholesky_corr_constrain, row by row; q_adj is the adjoint of
    // q_i(j+1), x_adj = q_i(j+1) (sech L_adj(i, j) - z q_adj) - (i + 1 - j) z
    for (int i = 1; i < K; ++i) {
      double q_adj = L_omega_adj_[i + i * K];
      for (int j = i - 1; j >= 0; --j) {
        const int at = i * (i - 1) / 2 + j;
        const double entry_adj = L_omega_adj_[i + j * K];
        grad[at] = q_after_[at] * (sech_[at] * entry_adj - z_[at] * q_adj) - (i + 1 - j) * z_[at];
        q_adj = z_[at] * entry_adj + sech_[at] * q_adj;
      }
    }
    return lp;
  }

private:
  lkj_multi_normal_data data_;
  std::vector<double> L_omega_, L_omega_adj_, L_, L_adj_, Z_, s_, zn_, tau_, z_, sech_, q_after_;
  std::vector<double> column_ = std::vector<double>(static_cast<std::size_t>(data_.k));
};

} // namespace statix_bench
