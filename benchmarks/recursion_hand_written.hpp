#pragma once

// Hand-derived log densities and gradients of the recursion benchmark's
// models (recursion_benchmark.cpp), over the same unconstrained
// parameterisation as the Statix models, as hand_written_gradients.hpp does
// for the gradient benchmark: plain loops, every intermediate kept in a
// buffer allocated once.

#include "recursion_data.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace statix_bench {

// hmm_example at K states. x = (theta[0] free[K - 1], ..., theta[K-1] free[K - 1],
// mu free[K]): each theta row by Stan's centred stick-breaking (z_k =
// inv_logit(x_k - log(K - 1 - k)), row_k = stick_k z_k, the last element the
// stick left), mu by positive_ordered (mu_0 = exp(x_0), mu_k = mu_{k-1} +
// exp(x_k)), log|J| of both added. mu[k] ~ normal(prior_mean[k], 1);
// log p(y) by the forward algorithm with initial probabilities rho = 1 / K
// (as Statix's sx::hmm_marginal with a uniform rho), on probabilities scaled
// per step (each forward vector normalised to sum 1, each emission column
// shifted by its maximum), and its gradient by the backward recursion:
//   d log p / d log_omega(k, t) = a_t(k) b_t(k),
//   d log p / d Gamma(i, j) = sum_t a_{t-1}(i) omega_t(j) b_t(j) / s_t,
// with a_t the normalised forward and b_t the scaled backward vectors.
// The emission densities keep their -log(2 pi) / 2 (it is inside a sum over
// states, as in Statix's sx::lpdf); the priors drop it (propto).
class hmm_gradient {
public:
  explicit hmm_gradient(const hmm_data& data)
      : y_(data.y), prior_mean_(data.prior_mean), k_(data.k), n_(static_cast<int>(data.y.size())),
        gamma_(k_ * k_), z_(k_ * k_), stick_(k_ * k_), log_omega_(k_ * n_), omega_(k_ * n_),
        alpha_(k_ * n_), s_(n_), b_(k_), ob_(k_), gamma_adj_(k_ * k_), mu_(k_), mu_adj_(k_) {}
  int dim() const { return k_ * (k_ - 1) + k_; }

  double operator()(const double* x, double* grad) {
    const int K = k_, N = n_;
    double lp = 0;
    // theta rows: Gamma(i, j) = theta_i[j], stored row by row.
    for (int i = 0; i < K; ++i) {
      const double* xi = x + i * (K - 1);
      double stick = 1, log_stick = 0;
      for (int j = 0; j < K - 1; ++j) {
        const double a = xi[j] - std::log(static_cast<double>(K - 1 - j));
        const double z = 1 / (1 + std::exp(-a));
        const double log_z = -std::log1p(std::exp(-a)), log_1mz = -std::log1p(std::exp(a));
        z_[i * K + j] = z;
        stick_[i * K + j] = stick;
        gamma_[i * K + j] = stick * z;
        lp += log_stick + log_z + log_1mz;
        stick *= 1 - z;
        log_stick += log_1mz;
      }
      gamma_[i * K + K - 1] = stick;
    }
    // mu, positive and ordered, and its prior.
    const double* xm = x + K * (K - 1);
    for (int k = 0; k < K; ++k) {
      mu_[k] = (k == 0 ? 0.0 : mu_[k - 1]) + std::exp(xm[k]);
      lp += xm[k];
      const double d = mu_[k] - prior_mean_[k];
      lp -= 0.5 * d * d;
      mu_adj_[k] = -d;
    }
    // Emissions and the scaled forward pass.
    const double half_log_2pi = 0.5 * std::log(2 * std::numbers::pi);
    double log_p = 0;
    for (int t = 0; t < N; ++t) {
      double* lo = &log_omega_[t * K];
      double c = -INFINITY;
      for (int k = 0; k < K; ++k) {
        const double d = y_[t] - mu_[k];
        lo[k] = -0.5 * d * d - half_log_2pi;
        c = std::max(c, lo[k]);
      }
      double* om = &omega_[t * K];
      double* a = &alpha_[t * K];
      for (int k = 0; k < K; ++k)
        om[k] = std::exp(lo[k] - c);
      if (t == 0) {
        for (int j = 0; j < K; ++j)
          a[j] = om[j] / K;
      } else {
        const double* prev = &alpha_[(t - 1) * K];
        for (int j = 0; j < K; ++j) {
          double total = 0;
          for (int i = 0; i < K; ++i)
            total += prev[i] * gamma_[i * K + j];
          a[j] = total * om[j];
        }
      }
      double total = 0;
      for (int j = 0; j < K; ++j)
        total += a[j];
      s_[t] = total;
      const double inv_total = 1 / total;
      for (int j = 0; j < K; ++j)
        a[j] *= inv_total;
      log_p += std::log(total) + c;
    }
    lp += log_p;
    // Backward pass: adjoints of log_omega and Gamma.
    std::fill(gamma_adj_.begin(), gamma_adj_.end(), 0.0);
    std::fill(b_.begin(), b_.end(), 1.0);
    for (int t = N - 1; t >= 0; --t) {
      const double* a = &alpha_[t * K];
      const double* om = &omega_[t * K];
      for (int j = 0; j < K; ++j) {
        const double d_lo = a[j] * b_[j];
        mu_adj_[j] += d_lo * (y_[t] - mu_[j]);
      }
      if (t == 0) break;
      const double inv_s = 1 / s_[t];
      for (int j = 0; j < K; ++j)
        ob_[j] = om[j] * b_[j] * inv_s;
      const double* prev = &alpha_[(t - 1) * K];
      for (int i = 0; i < K; ++i) {
        double total = 0;
        for (int j = 0; j < K; ++j) {
          gamma_adj_[i * K + j] += prev[i] * ob_[j];
          total += gamma_[i * K + j] * ob_[j];
        }
        b_[i] = total;
      }
    }
    // Through the stick-breaking of each row, plus d log|J|.
    for (int i = 0; i < K; ++i) {
      const double* g_adj = &gamma_adj_[i * K];
      double* gi = grad + i * (K - 1);
      double stick_adj = g_adj[K - 1];
      for (int j = K - 2; j >= 0; --j) {
        const double z = z_[i * K + j], stick = stick_[i * K + j];
        const double z_adj = stick * (g_adj[j] - stick_adj);
        gi[j] = z_adj * z * (1 - z) + 1 - z * (K - j);
        stick_adj = z * g_adj[j] + (1 - z) * stick_adj;
      }
    }
    // Through positive_ordered: d mu_k / d x_i = exp(x_i) for k >= i.
    double tail = 0;
    for (int k = K - 1; k >= 0; --k) {
      tail += mu_adj_[k];
      grad[K * (K - 1) + k] = tail * std::exp(xm[k]) + 1;
    }
    return lp;
  }

private:
  std::vector<double> y_, prior_mean_;
  int k_, n_;
  std::vector<double> gamma_, z_, stick_, log_omega_, omega_, alpha_, s_, b_, ob_, gamma_adj_, mu_,
      mu_adj_;
};

// garch11 as posteriordb writes it: the recursion over sigma, a square root
// in every step. x = (mu, log alpha0, logit alpha1, logit(beta1 / (1 - alpha1))),
// log|J| of the three bounds added; flat priors.
//   sigma_0 = sigma1, sigma_t = sqrt(u_t), u_t = alpha0 + alpha1 e_{t-1}^2 + beta1 sigma_{t-1}^2,
//   e_t = y_t - mu; lp = sum_t -log(sigma_t) - e_t^2 / (2 sigma_t^2)  (propto).
// Reverse, with c the adjoint carried from step t + 1 to sigma_t:
//   d lp / d sigma_t = (z_t^2 - 1) / sigma_t + c, z_t = e_t / sigma_t,
//   d lp / d u_t = (d lp / d sigma_t) / (2 sigma_t), c <- (d lp / d u_t) 2 beta1 sigma_{t-1}.
class garch_gradient {
public:
  explicit garch_gradient(const garch_data& data)
      : y_(data.y), sigma1_(data.sigma1), sigma_(data.y.size()), e_(data.y.size()) {}
  int dim() const { return 4; }

  double operator()(const double* x, double* grad) {
    const int n = static_cast<int>(y_.size());
    const double mu = x[0];
    const double alpha0 = std::exp(x[1]);
    const double alpha1 = 1 / (1 + std::exp(-x[2]));
    const double z = 1 / (1 + std::exp(-x[3]));
    const double beta1 = (1 - alpha1) * z;
    double lp = x[1] + 2 * std::log1p(-alpha1) + std::log(alpha1) + std::log(z) + std::log1p(-z);
    const double* y = y_.data();
    double* sigma = sigma_.data();
    double* e = e_.data();
    for (int t = 0; t < n; ++t)
      e[t] = y[t] - mu;
    double prev = sigma1_;
    sigma[0] = prev;
    for (int t = 1; t < n; ++t) {
      prev = std::sqrt(alpha0 + alpha1 * e[t - 1] * e[t - 1] + beta1 * prev * prev);
      sigma[t] = prev;
    }
    // The logarithms in a loop of their own: a call clobbers every xmm
    // register, so a call inside the recursions would put their running
    // values through memory.
    double log_sigma_sum = 0;
    for (int t = 0; t < n; ++t)
      log_sigma_sum += std::log(sigma[t]);
    lp -= log_sigma_sum;
    double d_mu = 0, d_alpha0 = 0, d_alpha1 = 0, d_beta1 = 0, carry = 0, quad = 0;
    for (int t = n - 1; t >= 1; --t) {
      const double inv_s = 1 / sigma[t], zt = e[t] * inv_s;
      quad += zt * zt;
      d_mu += zt * inv_s;
      const double d_u = 0.5 * ((zt * zt - 1) * inv_s + carry) * inv_s;
      d_alpha0 += d_u;
      d_alpha1 += d_u * e[t - 1] * e[t - 1];
      d_beta1 += d_u * sigma[t - 1] * sigma[t - 1];
      d_mu -= 2 * alpha1 * d_u * e[t - 1];
      carry = d_u * 2 * beta1 * sigma[t - 1];
    }
    const double z0 = e[0] / sigma[0];
    quad += z0 * z0;
    d_mu += z0 / sigma[0];
    lp -= 0.5 * quad;
    d_alpha1 += -z * d_beta1; // beta1 = (1 - alpha1) z
    grad[0] = d_mu;
    grad[1] = d_alpha0 * alpha0 + 1;
    grad[2] = d_alpha1 * alpha1 * (1 - alpha1) + 1 - 3 * alpha1;
    grad[3] = d_beta1 * (1 - alpha1) * z * (1 - z) + 1 - 2 * z;
    return lp;
  }

private:
  std::vector<double> y_;
  double sigma1_;
  std::vector<double> sigma_, e_;
};

// The same density with the recursion over the variance (no square root on
// the chain from one step to the next; the garch11 rewrite of the
// *_variance rows).
//   v_0 = sigma1^2, v_t = alpha0 + alpha1 e_{t-1}^2 + beta1 v_{t-1}, e_t = y_t - mu;
//   lp = sum_t -log(v_t) / 2 - e_t^2 / (2 v_t)  (propto: no log(2 pi)).
// Reverse: with g_t = d lp / d v_t (direct) and G_t = g_t + beta1 G_{t+1},
//   d/d alpha0 = sum_{t>=1} G_t, d/d alpha1 = sum G_t e_{t-1}^2,
//   d/d beta1 = sum G_t v_{t-1}, d/d mu = sum_t e_t / v_t - 2 alpha1 sum G_t e_{t-1}.
class garch_variance_gradient {
public:
  explicit garch_variance_gradient(const garch_data& data)
      : y_(data.y), sigma1_(data.sigma1), v_(data.y.size()), e_(data.y.size()) {}
  int dim() const { return 4; }

  double operator()(const double* x, double* grad) {
    const int n = static_cast<int>(y_.size());
    const double mu = x[0];
    const double alpha0 = std::exp(x[1]);
    const double alpha1 = 1 / (1 + std::exp(-x[2]));
    const double z = 1 / (1 + std::exp(-x[3]));
    const double beta1 = (1 - alpha1) * z;
    // log|J|: x1; log alpha1 + log(1 - alpha1); log(1 - alpha1) + log z + log(1 - z).
    double lp = x[1] + 2 * std::log1p(-alpha1) + std::log(alpha1) + std::log(z) + std::log1p(-z);
    double log_v_sum = 0, quad = 0, v = sigma1_ * sigma1_;
    for (int t = 0; t < n; ++t) {
      if (t > 0) v = alpha0 + alpha1 * e_[t - 1] * e_[t - 1] + beta1 * v;
      const double e = y_[t] - mu;
      v_[t] = v;
      e_[t] = e;
      quad += e * e / v;
    }
    for (int t = 0; t < n; ++t) // no call inside the recursion (see garch_gradient)
      log_v_sum += std::log(v_[t]);
    lp -= 0.5 * (log_v_sum + quad);
    double d_mu = 0, d_alpha0 = 0, d_alpha1 = 0, d_beta1 = 0, G = 0;
    for (int t = n - 1; t >= 1; --t) {
      const double inv_v = 1 / v_[t];
      const double e = e_[t];
      d_mu += e * inv_v;
      G = 0.5 * inv_v * (e * e * inv_v - 1) + beta1 * G;
      d_alpha0 += G;
      d_alpha1 += G * e_[t - 1] * e_[t - 1];
      d_beta1 += G * v_[t - 1];
      d_mu -= 2 * alpha1 * G * e_[t - 1];
    }
    d_mu += e_[0] / v_[0];
    // beta1 = (1 - alpha1) z depends on alpha1 too.
    d_alpha1 += -z * d_beta1;
    grad[0] = d_mu;
    grad[1] = d_alpha0 * alpha0 + 1;
    grad[2] = d_alpha1 * alpha1 * (1 - alpha1) + 1 - 3 * alpha1;
    grad[3] = d_beta1 * (1 - alpha1) * z * (1 - z) + 1 - 2 * z;
    return lp;
  }

private:
  std::vector<double> y_;
  double sigma1_;
  std::vector<double> v_, e_;
};

} // namespace statix_bench
