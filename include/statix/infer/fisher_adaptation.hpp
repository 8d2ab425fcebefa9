#pragma once

#include <statix/base/runtime_linkage.hpp>

// A warm-up that learns the metric from draws and gradients (the schedule and
// diagonal estimator of nutpie / nuts-rs, Seyboldt et al.): the inverse metric
// that minimises the Fisher divergence between the posterior and a Gaussian
// with that covariance. For a diagonal metric it is sqrt(var(q) / var(grad))
// per coordinate; for a dense one the symmetric positive-definite S with
// S Cov(grad) S = Cov(q). Gradients carry as much information about the scale
// as draws do, so a few draws already give a usable metric: the metric is
// updated after every draw from an early start, not once per doubling window.
//
// Schedule over N warm-up draws (nuts-rs's defaults):
// - draws and gradients go into two estimators, a foreground one that sets the
//   metric and a background one that is younger; when the background one holds
//   `switch_every` draws (10 in the first 30 % of warm-up, 80 after) it
//   becomes the foreground one and a new background one starts, so the
//   metric forgets the early, transient draws;
// - the last 15 % of warm-up keeps the metric fixed and adapts only the step
//   size (the caller restarts dual averaging there).
//
// metric::low_rank keeps of the dense estimate only the directions whose
// eigenvalue (in the coordinates the diagonal estimate scales) lies outside
// [1/2, 2] (nutpie's cutoff), so a leapfrog step costs O(d k), not O(d^2).
//
// metric::automatic estimates the dense metric (up to 300 parameters) or the
// low-rank one (up to 5000) as well, once the foreground window holds enough
// draws, and takes it when it predicts gradients better than the diagonal one
// on held-out draws (a cross-validated Fisher loss, weighed over the latest
// windows until they hold 40 draws); it never goes back to the diagonal one,
// and the first late window that keeps the diagonal one ends the choice.

#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/sampler_options.hpp>
#include <statix/infer/step_size_action.hpp>
#include <statix/infer/structure_evidence.hpp>
#include <statix/infer/welford.hpp>
#include <statix/math/symmetric_eigen.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace statix {

// Draws and gradients of one estimation window: running variances always,
// the vectors themselves when a dense metric may be estimated.
class draw_gradient_window {
public:
  draw_gradient_window(int dim, int capacity)
      : draws_(dim), grads_(dim), q_(dim, capacity), g_(dim, capacity) {}

  void restart() {
    draws_.restart();
    grads_.restart();
    stored_ = 0;
  }

  void add(const Eigen::VectorXd& q, const Eigen::VectorXd& g) {
    draws_.add_sample(q);
    grads_.add_sample(g);
    if (stored_ < q_.cols()) {
      q_.col(stored_) = q;
      g_.col(stored_) = g;
      ++stored_;
    }
  }

  long long count() const { return draws_.num_samples(); }
  const welford_variance& draws() const { return draws_; }
  const welford_variance& gradients() const { return grads_; }
  // The stored draws and gradients, one column each (the first capacity ones).
  int stored() const { return stored_; }
  auto stored_draws() const { return q_.leftCols(stored_); }
  auto stored_gradients() const { return g_.leftCols(stored_); }

private:
  welford_variance draws_, grads_;
  Eigen::MatrixXd q_, g_;
  int stored_ = 0;
};

namespace detail {

// The estimates below are model-independent but compiled in every file that
// samples, so they keep to few distinct Eigen instantiations: every matrix
// product goes through `product` (one GEMM kernel; each distinct product
// expression would add about a second of compile time), transposes are
// copies, and diagonal scalings are coefficient-wise.
STATIX_RUNTIME_INLINE Eigen::MatrixXd product(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b);

STATIX_RUNTIME_INLINE Eigen::MatrixXd transposed(const Eigen::MatrixXd& a);

// V diag(s) V' for the eigenvectors V of a symmetric matrix.
STATIX_RUNTIME_INLINE Eigen::MatrixXd eigen_function(const Eigen::MatrixXd& v,
                                                     const Eigen::VectorXd& s);

// Columns minus their mean column.
STATIX_RUNTIME_INLINE Eigen::MatrixXd centred_columns(const Eigen::MatrixXd& x);

// The Fisher loss of a Gaussian with covariance S and mean mu on draws x
// with gradients g is the mean of |S^{1/2} g + S^{-1/2} (x - mu)|^2, which is
// zero for every draw of that Gaussian and is what the estimators minimise.
// Both functions below take S = R (I + U (M - I) U') R with R = diag(root)
// and U of orthonormal columns, so that S^{-1} = R^{-1} (I + U (M^{-1} - I)
// U') R^{-1}, and work in O(d k) per draw (k columns of U), never with a
// d x d matrix: g'Sg = |Rg|^2 + a'(M - I)a with a = U'Rg, and likewise the
// inverse with b = U'R^{-1}(x - mu).

// M = diag(lambda) (a low-rank metric; no columns: the diagonal one).
STATIX_RUNTIME_INLINE double
fisher_loss_low_rank(const Eigen::VectorXd& root, const Eigen::MatrixXd& v,
                     const Eigen::VectorXd& lambda, const Eigen::VectorXd& mu,
                     const Eigen::MatrixXd& x, const Eigen::MatrixXd& g);

// Any symmetric positive-definite M (the dense estimate in its span);
// +infinity when M is not positive definite.
STATIX_RUNTIME_INLINE double
fisher_loss_in_span(const Eigen::VectorXd& root, const Eigen::MatrixXd& u, const Eigen::MatrixXd& m,
                    const Eigen::VectorXd& mu, const Eigen::MatrixXd& x, const Eigen::MatrixXd& g);

// Clamped as nuts-rs does: a coordinate whose gradient never moves must not
// give an infinite or zero metric.
STATIX_RUNTIME_INLINE double clamp_metric(double v);

// The diagonal Fisher estimate sqrt(var(q) / var(grad)) per coordinate, from
// the two variances (or any common multiple of them); a coordinate that has
// not moved keeps its entry in `diag`.
STATIX_RUNTIME_INLINE void fisher_diagonal(const Eigen::VectorXd& var_q,
                                           const Eigen::VectorXd& var_g, Eigen::VectorXd& diag);

} // namespace detail

// A template only so that a file that includes the header without sampling
// does not compile the estimates (their eigensolvers cost seconds per file).
template <class = void>
class basic_fisher_metric_adaptation {
public:
  // Largest dimension for which metric::automatic considers a dense metric:
  // above it a leapfrog step's d^2 products cost more than most gradients.
  static constexpr int max_dense_dim = 300;
  // Largest for which it considers a low-rank one: the windows keep up to
  // 2 x 242 draws and gradients of d values each (39 MB per chain at 5000),
  // and an estimate costs d (2n)^2 operations for n draws.
  static constexpr int max_low_rank_dim = 5000;
  // Eigenvalues of the scaled estimate in [1/cutoff, cutoff] are left to the
  // diagonal (nutpie's eigval_cutoff).
  static constexpr double low_rank_cutoff = 2.0;

  basic_fisher_metric_adaptation(metric kind, int dim, int num_warmup)
      : kind_(kind), dim_(dim), num_warmup_(num_warmup),
        early_end_(static_cast<int>(0.3 * num_warmup)),
        final_window_start_(num_warmup - static_cast<int>(0.15 * num_warmup)),
        keeps_vectors_(kind == metric::dense || kind == metric::low_rank ||
                       (kind == metric::automatic && dim <= max_low_rank_dim)),
        foreground_(dim, keeps_vectors_ ? window_capacity : 0),
        background_(dim, keeps_vectors_ ? window_capacity : 0), var_q_(dim), var_g_(dim),
        diag_(dim) {}

  // metric::automatic: the metric chosen so far (diag until another wins).
  metric chosen() const { return chosen_; }
  bool dense_chosen() const { return chosen_ == metric::dense; }
  int final_window_start() const { return final_window_start_; }

  // At the initial point: a diagonal inverse metric 1 / |grad| (nuts-rs's
  // start), and the point is the windows' first draw.
  void start(const phase_point& z, euclidean_metric& target) {
    if (kind_ == metric::unit) return;
    Eigen::VectorXd diag(dim_);
    for (int i = 0; i < dim_; ++i)
      diag[i] = z.grad[i] != 0 ? detail::clamp_metric(1.0 / std::abs(z.grad[i])) : 1.0;
    if (kind_ == metric::dense)
      target.set_dense(Eigen::MatrixXd(diag.asDiagonal()));
    else
      target.set_diagonal(diag); // a low-rank metric: with no correction yet
    foreground_.add(z.q, z.grad);
    background_.add(z.q, z.grad);
  }

  // Feeds warm-up draw `iteration` (0-based) and its gradient.
  step_size_action learn(int iteration, const phase_point& z, euclidean_metric& target) {
    if (kind_ == metric::unit || iteration >= num_warmup_) return step_size_action::keep;
    if (iteration >= final_window_start_) return step_size_action::keep;
    if (z.q.allFinite() && z.grad.allFinite()) {
      foreground_.add(z.q, z.grad);
      background_.add(z.q, z.grad);
    }
    const int switch_every = iteration < early_end_ ? early_switch : late_switch;
    const bool late = iteration + switch_every > final_window_start_;
    const bool last = iteration == final_window_start_ - 1;
    // metric::automatic decides on the window that is complete: the outgoing
    // foreground one at a switch (10-20 draws early, 80-160 late), the final
    // one at the end. The first late window it scores (80 draws or more)
    // ends the choice: such a window's loss ratio is far less noisy than an
    // early one's, and each later scoring costs eigendecompositions of up to
    // min(d, 2 n) dimensions for n draws (the final window's took about 40 %
    // of a centred radon run, 175 parameters, and changed none of 180 chains'
    // choices on nine posteriors).
    bool became_structured = false;
    bool switched = false;
    if (background_.count() >= switch_every && !late) {
      if (!choice_over_) became_structured = consider_structured();
      std::swap(foreground_, background_);
      background_.restart();
      switched = true;
    } else if (last && !choice_over_) {
      became_structured = consider_structured();
    }
    bool changed = false;
    if (foreground_.count() >= 3) {
      // A dense or low-rank metric is costly to estimate: only at switches
      // and at the end.
      if (kind_ == metric::dense || chosen_ == metric::dense) {
        if (switched || last || became_structured) changed = set_dense(target);
      } else if (kind_ == metric::low_rank || chosen_ == metric::low_rank) {
        if (switched || last || became_structured) changed = set_low_rank(target);
      } else {
        changed = set_diagonal(target);
      }
    }
    if (last) return step_size_action::restart;
    if (changed && !metric_set_) {
      metric_set_ = true;
      return step_size_action::reinitialise;
    }
    return step_size_action::keep;
  }

private:
  static constexpr int early_switch = 10;
  static constexpr int late_switch = 80;
  // The most draws a foreground window can gather: the late switch's 80, and
  // up to twice that before the fixed-metric window (no switch when late).
  static constexpr int window_capacity = 3 * late_switch + 2;

  // The foreground window's diagonal estimate into diag_. A coordinate that
  // has not moved in the window (early draws are often rejections: the chain
  // stays put) keeps its current value.
  void diagonal_estimate(const euclidean_metric& current) {
    foreground_.draws().sample_variance(var_q_);
    foreground_.gradients().sample_variance(var_g_);
    if (current.kind() == metric::dense)
      diag_ = current.inverse_metric().diagonal();
    else
      diag_ = current.inverse_diagonal();
    detail::fisher_diagonal(var_q_, var_g_, diag_);
  }

  bool set_diagonal(euclidean_metric& target) {
    diagonal_estimate(target);
    if (!diag_.allFinite()) return false;
    target.set_diagonal(diag_);
    return true;
  }

  // An orthonormal basis of the span of the columns of `both` (its left
  // singular vectors), from the eigenvectors of the smaller Gram matrix;
  // directions under 1e-6 of the largest singular value are left out. The
  // eigensolver is the one the estimate needs anyway: an SVD would add a
  // decomposition that costs every file that samples seconds of compile time.
  static Eigen::MatrixXd span_basis(const Eigen::MatrixXd& both) {
    using detail::product, detail::transposed;
    const bool wide = both.rows() <= both.cols();
    const symmetric_eigen_result gram =
        symmetric_eigen(wide ? product(both, transposed(both)) : product(transposed(both), both));
    const Eigen::VectorXd& values = gram.values; // increasing
    const Eigen::Index m = values.size();
    Eigen::Index k = 0;
    while (k < m && values[m - 1 - k] > 1e-12 * values[m - 1])
      ++k;
    if (k == 0) return Eigen::MatrixXd(both.rows(), 0);
    if (wide) return gram.vectors.rightCols(k);
    // Tall: U = both V / sigma, then U (U'U)^{-1/2} restores the
    // orthonormality that rounding erodes for the small singular values.
    Eigen::MatrixXd v = gram.vectors.rightCols(k);
    for (Eigen::Index j = 0; j < k; ++j)
      v.col(j) /= std::sqrt(values[m - k + j]);
    const Eigen::MatrixXd u = product(both, v);
    const symmetric_eigen_result overlap = symmetric_eigen(product(transposed(u), u));
    return product(
        u, detail::eigen_function(overlap.vectors, overlap.values.cwiseSqrt().cwiseInverse()));
  }

  // The Fisher estimate from draws x and gradients g (columns), in the
  // coordinates that the diagonal estimate d scales to unit size. Inside the
  // span of the centred draws and gradients (nutpie's low-rank idea: with n
  // draws it holds up to 2n directions, so a few draws already find strong
  // correlations) S solves S G S = X for the projected sample covariances,
  // S = G^{-1/2} (G^{1/2} X G^{1/2})^{1/2} G^{-1/2}, which is exact for draws
  // of a Gaussian; outside the span S is the identity, i.e. the diagonal
  // metric. In the scaled coordinates the estimate is I + U (S - I) U'.
  struct subspace_estimate {
    Eigen::VectorXd root;  // sqrt(d), the scaling
    Eigen::MatrixXd basis; // U: orthonormal basis of the span
    Eigen::MatrixXd inner; // S, symmetric, in that basis
  };

  subspace_estimate estimate_in_span(const Eigen::VectorXd& d, const Eigen::MatrixXd& x,
                                     const Eigen::MatrixXd& g) const {
    using detail::eigen_function, detail::product, detail::transposed;
    const Eigen::Index n = x.cols();
    const Eigen::VectorXd root = d.cwiseSqrt();
    Eigen::MatrixXd both(dim_, 2 * n);
    both.leftCols(n) = detail::centred_columns(x);
    both.rightCols(n) = detail::centred_columns(g);
    for (Eigen::Index j = 0; j < n; ++j) {
      both.col(j).array() /= root.array();
      both.col(n + j).array() *= root.array();
    }
    const Eigen::MatrixXd U = span_basis(both);
    const Eigen::MatrixXd projected = product(transposed(U), both);
    // A small ridge keeps the roots finite where draws are fewer than the
    // span's dimension.
    const auto covariance = [&](const Eigen::MatrixXd& centred) {
      Eigen::MatrixXd c = product(centred, transposed(centred)) / (static_cast<double>(n) - 1.0);
      c.diagonal().array() += 1e-5;
      return c;
    };
    const Eigen::MatrixXd X = covariance(projected.leftCols(n));
    const Eigen::MatrixXd G = covariance(projected.rightCols(n));
    const symmetric_eigen_result g_eigen = symmetric_eigen(G);
    const Eigen::VectorXd g_values = g_eigen.values.cwiseMax(1e-12);
    const Eigen::MatrixXd g_root = eigen_function(g_eigen.vectors, g_values.cwiseSqrt());
    const Eigen::MatrixXd g_inv_root =
        eigen_function(g_eigen.vectors, g_values.cwiseSqrt().cwiseInverse());
    const Eigen::MatrixXd middle = product(product(g_root, X), g_root);
    const symmetric_eigen_result m_eigen = symmetric_eigen(0.5 * (middle + transposed(middle)));
    const Eigen::MatrixXd m_root =
        eigen_function(m_eigen.vectors, m_eigen.values.cwiseMax(1e-24).cwiseSqrt());
    const Eigen::MatrixXd su = product(product(g_inv_root, m_root), g_inv_root);
    return {root, U, 0.5 * (su + transposed(su))};
  }

  // The estimate as a dense inverse metric.
  Eigen::MatrixXd dense_estimate(const Eigen::VectorXd& d, const Eigen::MatrixXd& x,
                                 const Eigen::MatrixXd& g) const {
    using detail::product, detail::transposed;
    subspace_estimate e = estimate_in_span(d, x, g);
    Eigen::MatrixXd& inner = e.inner;
    inner.diagonal().array() -= 1.0;
    Eigen::MatrixXd scaled = product(product(e.basis, inner), transposed(e.basis));
    scaled.diagonal().array() += 1.0;
    for (Eigen::Index j = 0; j < dim_; ++j)
      scaled.col(j).array() *= e.root.array() * e.root[j];
    return scaled;
  }

  // The estimate as a low-rank inverse metric: S's eigenvectors (in the full
  // space) and eigenvalues outside [1/cutoff, cutoff].
  struct low_rank_part {
    Eigen::MatrixXd vectors;
    Eigen::VectorXd values;
  };
  low_rank_part low_rank_estimate(const Eigen::VectorXd& d, const Eigen::MatrixXd& x,
                                  const Eigen::MatrixXd& g) const {
    const subspace_estimate e = estimate_in_span(d, x, g);
    const symmetric_eigen_result inner = symmetric_eigen(e.inner);
    std::vector<Eigen::Index> kept;
    for (Eigen::Index j = 0; j < inner.values.size(); ++j)
      if (inner.values[j] > low_rank_cutoff || inner.values[j] < 1.0 / low_rank_cutoff)
        kept.push_back(j);
    Eigen::MatrixXd w(inner.vectors.rows(), static_cast<Eigen::Index>(kept.size()));
    Eigen::VectorXd values(w.cols());
    for (Eigen::Index j = 0; j < w.cols(); ++j) {
      w.col(j) = inner.vectors.col(kept[static_cast<std::size_t>(j)]);
      values[j] = inner.values[kept[static_cast<std::size_t>(j)]];
    }
    return {detail::product(e.basis, w), values};
  }

  bool set_low_rank(euclidean_metric& target) {
    diagonal_estimate(target);
    if (!diag_.allFinite()) return false;
    if (foreground_.stored() < 3) {
      target.set_low_rank(diag_, Eigen::MatrixXd(dim_, 0), {});
      return true;
    }
    const low_rank_part part =
        low_rank_estimate(diag_, foreground_.stored_draws(), foreground_.stored_gradients());
    if (!part.vectors.allFinite() || !part.values.allFinite() || (part.values.array() <= 0).any())
      return false;
    target.set_low_rank(diag_, part.vectors, part.values);
    return true;
  }

  bool set_dense(euclidean_metric& target) {
    diagonal_estimate(target);
    Eigen::MatrixXd S;
    if (foreground_.stored() >= 3)
      S = dense_estimate(diag_, foreground_.stored_draws(), foreground_.stored_gradients());
    else
      S = Eigen::MatrixXd(diag_.asDiagonal());
    if (!S.allFinite()) return false;
    try {
      target.set_dense(S);
    } catch (const std::runtime_error&) {
      return false; // not positive definite: keep the current metric
    }
    return true;
  }

  // metric::automatic's choice between diagonal and dense (up to
  // max_dense_dim parameters) or low rank (above), made once: each estimate is
  // fitted on one half of the foreground window and scored by the Fisher loss
  // on the other (both ways round). The structured one must win by a margin,
  // with the evidence weighed over the latest windows (structure_evidence).
  bool consider_structured() {
    if (kind_ != metric::automatic || chosen_ != metric::diag || !keeps_vectors_) return false;
    const bool dense = dim_ <= max_dense_dim;
    const int n = foreground_.stored();
    if (n < detail::structure_evidence::min_window_draws) return false;
    const int half = n / 2;
    double loss_diag = 0, loss_structured = 0;
    for (int fold = 0; fold < 2; ++fold) {
      const int fit_begin = fold == 0 ? 0 : half, fit_size = fold == 0 ? half : n - half;
      const int test_begin = fold == 0 ? half : 0, test_size = fold == 0 ? n - half : half;
      const Eigen::MatrixXd x_fit = foreground_.stored_draws().middleCols(fit_begin, fit_size);
      const Eigen::MatrixXd g_fit = foreground_.stored_gradients().middleCols(fit_begin, fit_size);
      const Eigen::MatrixXd x_test = foreground_.stored_draws().middleCols(test_begin, test_size);
      const Eigen::MatrixXd g_test =
          foreground_.stored_gradients().middleCols(test_begin, test_size);
      const Eigen::VectorXd mu = x_fit.rowwise().mean();
      // The fold's diagonal estimate; sums of squares stand for the variances
      // (same count), and a coordinate that has not moved gets 1.
      Eigen::VectorXd d = Eigen::VectorXd::Ones(dim_);
      detail::fisher_diagonal((x_fit.colwise() - mu).rowwise().squaredNorm(),
                              (g_fit.colwise() - g_fit.rowwise().mean()).rowwise().squaredNorm(),
                              d);
      // Both losses in O(d k) per test draw: the dense estimate is scored in
      // its span, never built as a d x d matrix.
      const Eigen::VectorXd root = d.cwiseSqrt();
      loss_diag +=
          detail::fisher_loss_low_rank(root, Eigen::MatrixXd(dim_, 0), {}, mu, x_test, g_test);
      if (dense) {
        const subspace_estimate e = estimate_in_span(d, x_fit, g_fit);
        loss_structured += detail::fisher_loss_in_span(root, e.basis, e.inner, mu, x_test, g_test);
      } else {
        const low_rank_part part = low_rank_estimate(d, x_fit, g_fit);
        loss_structured +=
            detail::fisher_loss_low_rank(root, part.vectors, part.values, mu, x_test, g_test);
      }
    }
    if (!evidence_.add(n, loss_structured / loss_diag)) {
      choice_over_ = n >= late_switch;
      return false;
    }
    chosen_ = dense ? metric::dense : metric::low_rank;
    return true;
  }

  metric kind_;
  int dim_;
  int num_warmup_, early_end_, final_window_start_;
  bool keeps_vectors_;
  draw_gradient_window foreground_, background_;
  metric chosen_ = metric::diag; // automatic: the metric chosen so far
  bool metric_set_ = false;      // the first estimate has been set
  // automatic: a late window kept the diagonal metric, which ends the choice.
  bool choice_over_ = false;
  detail::structure_evidence evidence_;  // automatic: the latest scored windows
  Eigen::VectorXd var_q_, var_g_, diag_; // the diagonal estimate's work, sized once
};

using fisher_metric_adaptation = basic_fisher_metric_adaptation<>;

#if STATIX_RUNTIME_EXTERN_TEMPLATES
// Compiled once in statix_runtime (base/runtime_linkage.hpp).
extern template class basic_fisher_metric_adaptation<void>;
#endif

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE Eigen::MatrixXd product(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  Eigen::MatrixXd c(a.rows(), b.cols());
  c.noalias() = a * b;
  return c;
}

STATIX_RUNTIME_INLINE Eigen::MatrixXd transposed(const Eigen::MatrixXd& a) {
  return a.transpose();
}

STATIX_RUNTIME_INLINE Eigen::MatrixXd eigen_function(const Eigen::MatrixXd& v,
                                                     const Eigen::VectorXd& s) {
  Eigen::MatrixXd scaled = v;
  for (Eigen::Index j = 0; j < v.cols(); ++j)
    scaled.col(j) *= s[j];
  return product(scaled, transposed(v));
}

STATIX_RUNTIME_INLINE Eigen::MatrixXd centred_columns(const Eigen::MatrixXd& x) {
  const Eigen::VectorXd mean = x.rowwise().mean();
  Eigen::MatrixXd centred = x;
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    centred.col(j) -= mean;
  return centred;
}

// What both losses share: the scaled gradients R g and residuals
// R^{-1} (x - mu), one column per draw, and their coordinates along the
// columns of U.
struct scaled_fisher_residuals {
  Eigen::MatrixXd g, e, along_g, along_e;

  scaled_fisher_residuals(const Eigen::VectorXd& root, const Eigen::MatrixXd& u,
                          const Eigen::VectorXd& mu, const Eigen::MatrixXd& x,
                          const Eigen::MatrixXd& gradients)
      : g(gradients), e(x) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      g.col(j).array() *= root.array();
      e.col(j) = (x.col(j) - mu).cwiseQuotient(root);
    }
    const Eigen::MatrixXd ut = transposed(u);
    along_g = product(ut, g);
    along_e = product(ut, e);
  }

  // |R g + R^{-1} (x - mu)|^2 for draw j: the diagonal metric's loss.
  double base_term(Eigen::Index j) const {
    return g.col(j).squaredNorm() + 2.0 * g.col(j).dot(e.col(j)) + e.col(j).squaredNorm();
  }
};

STATIX_RUNTIME_INLINE double
fisher_loss_in_span(const Eigen::VectorXd& root, const Eigen::MatrixXd& u, const Eigen::MatrixXd& m,
                    const Eigen::VectorXd& mu, const Eigen::MatrixXd& x, const Eigen::MatrixXd& g) {
  const Eigen::LLT<Eigen::MatrixXd> llt(m);
  if (llt.info() != Eigen::Success) return std::numeric_limits<double>::infinity();
  const scaled_fisher_residuals r(root, u, mu, x, g);
  const Eigen::MatrixXd m_along_g = product(m, r.along_g);
  const Eigen::MatrixXd m_inverse_along_e = llt.solve(r.along_e);
  double total = 0;
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    total += r.base_term(j) + r.along_g.col(j).dot(m_along_g.col(j)) -
             r.along_g.col(j).squaredNorm() + r.along_e.col(j).dot(m_inverse_along_e.col(j)) -
             r.along_e.col(j).squaredNorm();
  return total / static_cast<double>(x.cols());
}

STATIX_RUNTIME_INLINE double
fisher_loss_low_rank(const Eigen::VectorXd& root, const Eigen::MatrixXd& v,
                     const Eigen::VectorXd& lambda, const Eigen::VectorXd& mu,
                     const Eigen::MatrixXd& x, const Eigen::MatrixXd& g) {
  const scaled_fisher_residuals r(root, v, mu, x, g);
  double total = 0;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    total += r.base_term(j);
    for (Eigen::Index k = 0; k < v.cols(); ++k)
      total += (lambda[k] - 1.0) * r.along_g(k, j) * r.along_g(k, j) +
               (1.0 / lambda[k] - 1.0) * r.along_e(k, j) * r.along_e(k, j);
  }
  return total / static_cast<double>(x.cols());
}

STATIX_RUNTIME_INLINE double clamp_metric(double v) {
  if (!std::isfinite(v)) return 1.0;
  return std::clamp(v, 1e-20, 1e20);
}

STATIX_RUNTIME_INLINE void fisher_diagonal(const Eigen::VectorXd& var_q,
                                           const Eigen::VectorXd& var_g, Eigen::VectorXd& diag) {
  for (Eigen::Index i = 0; i < diag.size(); ++i)
    if (var_q[i] > 0 && var_g[i] > 0) diag[i] = clamp_metric(std::sqrt(var_q[i] / var_g[i]));
}

} // namespace detail

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
