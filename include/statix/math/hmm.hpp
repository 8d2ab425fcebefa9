#pragma once

#include "statix/math/functions.hpp"

#include <Eigen/Core>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

// Hidden Markov models with K states over N steps: log_omega (K x N, column
// major) the log emission densities log p(y_n | z_n = k), Gamma (K x K) the
// transition matrix, Gamma(i, j) = P(z_n = j | z_{n-1} = i), rho (K) the
// initial state probabilities, as Stan's hmm_marginal.
//
// The forward algorithm runs on scaled probabilities: column n of the
// emissions is shifted by its maximum c_n (omega = exp(log_omega - c_n), all
// <= 1), and each forward vector is normalised by its total s_n, so that
//   log p(y) = sum_n (log s_n + c_n).
// The gradient is that of the forward-backward recursions (the scaled
// backward vectors b_n, b_{N-1} = 1, b_n = Gamma (omega_{n+1} .* b_{n+1}) / s_{n+1}):
//   d/d log_omega(k, n) = a_n(k) b_n(k)                (the state marginals)
//   d/d Gamma(i, j)     = sum_{n>=1} a_{n-1}(i) omega_n(j) b_n(j) / s_n
//   d/d rho(k)          = omega_0(k) b_0(k) / s_0
// with a_n the normalised forward vectors; no loop is differentiated.
namespace statix::math {

// Scratch the forward pass keeps for the gradient: omega and the forward
// vectors (K x N each), s (N) and two K-vectors for the backward pass.
inline int hmm_scratch_size(int k, int n) {
  return 2 * k * n + n + 2 * k;
}

// log p(y | Gamma, rho) summed over all state paths; fills the scratch.
// A non-finite input (or a step where no state can emit) gives NaN or -inf.
template <class T>
STATIX_HD T hmm_forward(int k, int n, const T* log_omega, const T* gamma, const T* rho,
                        T* scratch) {
  T* omega = scratch;
  T* alpha = scratch + k * n;
  T* s = scratch + 2 * k * n;
  T log_p(0.0);
  for (int t = 0; t < n; ++t) {
    const T* lo = log_omega + t * k;
    T c = lo[0];
    for (int i = 1; i < k; ++i)
      if (value_of(lo[i]) > value_of(c)) c = lo[i];
    if (!(value_of(c) > -INFINITY) || !(value_of(c) < INFINITY)) return T(NAN);
    T* om = omega + t * k;
    for (int i = 0; i < k; ++i)
      om[i] = exp(T(lo[i] - c));
    T* a = alpha + t * k;
    if (t == 0) {
      for (int j = 0; j < k; ++j)
        a[j] = rho[j] * om[j];
    } else {
      const T* prev = alpha + (t - 1) * k;
      for (int j = 0; j < k; ++j) {
        T total(0.0);
        for (int i = 0; i < k; ++i)
          total += prev[i] * gamma[j * k + i]; // Gamma(i, j), column major
        a[j] = total * om[j];
      }
    }
    T total(0.0);
    for (int j = 0; j < k; ++j)
      total += a[j];
    s[t] = total;
    if (!(value_of(total) > 0.0)) return negative_infinity<T>();
    const T inv_total = T(1.0) / total;
    for (int j = 0; j < k; ++j)
      a[j] *= inv_total;
    log_p += log(total) + c;
  }
  return log_p;
}

// Adds adjoint * the gradient of hmm_forward's result to the three adjoint
// arrays (any may be null), from the scratch hmm_forward filled.
template <class T>
STATIX_HD void hmm_backward(int k, int n, const T* gamma, const T& adjoint, T* log_omega_adjoint,
                            T* gamma_adjoint, T* rho_adjoint, T* scratch) {
  const T* omega = scratch;
  const T* alpha = scratch + k * n;
  const T* s = scratch + 2 * k * n;
  T* b = scratch + 2 * k * n + n; // b_t
  T* ob = b + k;                  // omega_t .* b_t / s_t
  for (int j = 0; j < k; ++j)
    b[j] = T(1.0);
  for (int t = n - 1; t >= 0; --t) {
    const T* a = alpha + t * k;
    const T* om = omega + t * k;
    if (log_omega_adjoint != nullptr)
      for (int j = 0; j < k; ++j)
        log_omega_adjoint[t * k + j] += adjoint * a[j] * b[j];
    const T inv_s = T(1.0) / s[t];
    for (int j = 0; j < k; ++j)
      ob[j] = om[j] * b[j] * inv_s;
    if (t == 0) {
      if (rho_adjoint != nullptr)
        for (int j = 0; j < k; ++j)
          rho_adjoint[j] += adjoint * ob[j];
      break;
    }
    const T* prev = alpha + (t - 1) * k;
    if (gamma_adjoint != nullptr)
      for (int j = 0; j < k; ++j)
        for (int i = 0; i < k; ++i)
          gamma_adjoint[j * k + i] += adjoint * prev[i] * ob[j];
    // b_{t-1} = Gamma (omega_t .* b_t / s_t)
    for (int i = 0; i < k; ++i) {
      T total(0.0);
      for (int j = 0; j < k; ++j)
        total += gamma[j * k + i] * ob[j];
      b[i] = total;
    }
  }
}

namespace detail {
inline void check_hmm_arguments(const Eigen::MatrixXd& log_omega, const Eigen::MatrixXd& gamma,
                                const Eigen::VectorXd& rho, const char* what) {
  const auto k = log_omega.rows();
  if (k < 1 || log_omega.cols() < 1)
    throw std::invalid_argument(std::string("statix: ") + what +
                                ": log_omega must be K x N with K, N >= 1");
  if (gamma.rows() != k || gamma.cols() != k || rho.size() != k)
    throw std::invalid_argument(
        std::string("statix: ") + what + ": log_omega has " + std::to_string(k) +
        " rows (states) but Gamma is " + std::to_string(gamma.rows()) + " x " +
        std::to_string(gamma.cols()) + " and rho has " + std::to_string(rho.size()) + " values");
}
} // namespace detail

} // namespace statix::math

namespace statix {

// P(z_n = k | y), K x N: the marginal posterior state probabilities of an
// HMM (Stan's hmm_hidden_state_prob), from plain matrices (a fit's draws).
inline Eigen::MatrixXd hmm_hidden_state_prob(const Eigen::MatrixXd& log_omega,
                                             const Eigen::MatrixXd& gamma,
                                             const Eigen::VectorXd& rho) {
  math::detail::check_hmm_arguments(log_omega, gamma, rho, "hmm_hidden_state_prob");
  const int k = static_cast<int>(log_omega.rows()), n = static_cast<int>(log_omega.cols());
  std::vector<double> scratch(math::hmm_scratch_size(k, n));
  const double lp =
      math::hmm_forward(k, n, log_omega.data(), gamma.data(), rho.data(), scratch.data());
  if (!std::isfinite(lp))
    throw std::domain_error("statix: hmm_hidden_state_prob: the observations have probability "
                            "zero (or a non-finite input)");
  Eigen::MatrixXd prob = Eigen::MatrixXd::Zero(k, n);
  math::hmm_backward<double>(k, n, gamma.data(), 1.0, prob.data(), nullptr, nullptr,
                             scratch.data());
  for (int t = 0; t < n; ++t)
    prob.col(t) /= prob.col(t).sum(); // exact up to rounding; renormalised
  return prob;
}

// The most likely state path (0-based states), by the Viterbi algorithm in
// log space.
inline std::vector<int> hmm_viterbi(const Eigen::MatrixXd& log_omega, const Eigen::MatrixXd& gamma,
                                    const Eigen::VectorXd& rho) {
  math::detail::check_hmm_arguments(log_omega, gamma, rho, "hmm_viterbi");
  const int k = static_cast<int>(log_omega.rows()), n = static_cast<int>(log_omega.cols());
  const Eigen::MatrixXd log_gamma = gamma.array().log().matrix();
  Eigen::VectorXd best = rho.array().log().matrix() + log_omega.col(0);
  Eigen::VectorXd next(k);
  Eigen::MatrixXi from(k, n);
  for (int t = 1; t < n; ++t) {
    for (int j = 0; j < k; ++j) {
      int arg = 0;
      double top = -INFINITY;
      for (int i = 0; i < k; ++i) {
        const double v = best[i] + log_gamma(i, j);
        if (v > top) {
          top = v;
          arg = i;
        }
      }
      next[j] = top + log_omega(j, t);
      from(j, t) = arg;
    }
    best = next;
  }
  std::vector<int> path(n);
  int state = 0;
  for (int j = 1; j < k; ++j)
    if (best[j] > best[state]) state = j;
  path[n - 1] = state;
  for (int t = n - 1; t > 0; --t)
    path[t - 1] = state = from(state, t);
  return path;
}

} // namespace statix
