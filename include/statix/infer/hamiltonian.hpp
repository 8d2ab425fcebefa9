#pragma once

#include <statix/base/runtime_linkage.hpp>

// Euclidean Hamiltonian dynamics for the samplers: the phase-space point, the
// Gaussian kinetic energy with its (inverse) metric, and the leapfrog
// integrator. Host-only code; nothing here allocates once a chain is set up.

#include <statix/base/chain_result.hpp>
#include <statix/base/density_options.hpp>
#include <statix/base/macros.hpp>
#include <statix/infer/log_density_model.hpp>
#include <statix/infer/sampler_options.hpp>
#include <statix/math/constants.hpp>
#include <statix/math/random.hpp>

#include <Eigen/Dense>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace statix {

// A point in phase space: position q (unconstrained), momentum p, and the log
// density at q with its gradient, cached so a leapfrog step costs exactly one
// gradient evaluation. The potential energy is V(q) = -log_density.
struct phase_point {
  Eigen::VectorXd q;
  Eigen::VectorXd p;
  Eigen::VectorXd grad; // gradient of the log density at q
  double log_density = 0;

  phase_point() = default;
  explicit phase_point(int dim)
      : q(Eigen::VectorXd::Zero(dim)), p(Eigen::VectorXd::Zero(dim)),
        grad(Eigen::VectorXd::Zero(dim)) {}
};

namespace detail {

// A few elements of a vector as one Eigen array (fixed size: vectorised).
template <int N>
using chunk = Eigen::Array<double, N, 1>;

// Calls f(std::integral_constant<int, 4>, i) for i = 0, 4, 8, ... while four
// elements remain, then f(std::integral_constant<int, 1>, i) for the rest: a
// loop body written once over chunk<N> runs vectorised on the bulk.
template <class F>
STATIX_FLATTEN void for_each_chunk(int n, F f) {
  int i = 0;
  for (; i + 4 <= n; i += 4)
    f(std::integral_constant<int, 4>{}, i);
  for (; i < n; ++i)
    f(std::integral_constant<int, 1>{}, i);
}

} // namespace detail

inline const char* metric_name(metric kind) {
  switch (kind) {
  case metric::dense:
    return "dense_e";
  case metric::unit:
    return "unit_e";
  case metric::automatic:
    return "automatic";
  case metric::low_rank:
    return "low_rank";
  default:
    return "diag_e";
  }
}

// Independent standard normals by the ziggurat of Marsaglia and Tsang (2000),
// as Boost.Random's normal_distribution implements it: exact (rejection, the
// tail beyond the last layer sampled as such). Most draws take one 64-bit
// word, a table look-up and a comparison; Box-Muller's log and sincos were
// 9 % of an eight-schools run, where the gradient is cheap. Found by
// argument-dependent lookup, so a generator's namespace may supply its own
// (the Stan equivalence check draws Stan's momenta and Statix's alike).
template <class Rng>
void fill_std_normal(Eigen::VectorXd& v, Rng& rng) {
  random::bits64<Rng> bits(rng);
  boost::random::normal_distribution<double> std_normal;
  for (Eigen::Index i = 0; i < v.size(); ++i)
    v[i] = std_normal(bits);
}

// The Euclidean-Gaussian kinetic energy K(p) = p' M^{-1} p / 2 (Betancourt
// 2017, sec. 4.2). Samplers adapt and report the inverse metric M^{-1}, as
// Stan does: for a well-adapted metric it approximates the posterior
// covariance of the unconstrained parameters.
class euclidean_metric {
public:
  // metric::automatic starts diagonal; set_dense() makes any metric dense and
  // set_low_rank() any metric low-rank. A low-rank metric starts with no
  // correction (rank 0): diagonal.
  euclidean_metric(metric kind, int dim)
      : kind_(kind == metric::automatic ? metric::diag : kind), dim_(dim),
        inv_diag_(Eigen::VectorXd::Ones(dim)), inv_sqrt_diag_(Eigen::VectorXd::Ones(dim)) {
    if (kind_ == metric::dense) {
      inv_dense_ = Eigen::MatrixXd::Identity(dim, dim);
      upper_ = Eigen::MatrixXd::Identity(dim, dim);
    }
    if (kind_ == metric::low_rank) set_low_rank(inv_diag_, Eigen::MatrixXd(dim, 0), {});
  }

  metric kind() const { return kind_; }
  int dim() const { return dim_; }
  // Diagonal or unit: the samplers' fused element-wise passes apply.
  bool elementwise() const { return kind_ == metric::diag || kind_ == metric::unit; }
  // Low rank: the number of corrected directions.
  int rank() const { return static_cast<int>(lr_vectors_.cols()); }

  // A user-given inverse metric (warm restart). Diagonal and unit metrics take
  // a dim x 1 (or 1 x dim) vector; the dense metric a dim x dim symmetric
  // positive-definite matrix, or a dim x 1 vector taken as its diagonal.
  STATIX_RUNTIME_INLINE void set_inverse_metric(const Eigen::MatrixXd& inv_metric);

  // A low-rank metric keeps its kind, with no correction.
  STATIX_RUNTIME_INLINE void set_diagonal(const Eigen::VectorXd& inv_metric_diagonal);

  // The inverse metric D^{1/2} (I + V (diag(lambda) - I) V') D^{1/2}, with D
  // the diagonal `inv_metric_diagonal`, V (dim x k) orthonormal columns and
  // lambda > 0 the inverse metric's eigenvalues along them in the coordinates
  // D scales (nutpie's low-rank mass matrix). Velocity and momentum cost
  // O(dim k).
  STATIX_RUNTIME_INLINE void set_low_rank(const Eigen::VectorXd& inv_metric_diagonal,
                                          const Eigen::MatrixXd& vectors,
                                          const Eigen::VectorXd& eigenvalues);

  // Throws std::runtime_error when the matrix is not positive definite.
  STATIX_RUNTIME_INLINE void set_dense(const Eigen::MatrixXd& inv_metric);

  // dK/dp = M^{-1} p, the "sharp" momentum of Betancourt 2017, appendix A.
  void velocity(const Eigen::VectorXd& p, Eigen::VectorXd& out) const {
    switch (kind_) {
    case metric::dense:
      out.noalias() = inv_dense_ * p;
      break;
    case metric::unit:
      out = p;
      break;
    case metric::low_rank:
      // D^{1/2} (I + V (Lambda - I) V') D^{1/2} p
      lr_scratch_ = root_diag_.cwiseProduct(p);
      apply_low_rank(lr_scratch_, lr_velocity_scale_);
      out = root_diag_.cwiseProduct(lr_scratch_);
      break;
    default:
      out = inv_diag_.cwiseProduct(p);
    }
  }

  // p = B z with B B' = M, for a vector z of independent standard normals.
  // Dense: M^{-1} = U'U (U = L', Cholesky), so p = U^{-1} z has covariance
  // (U'U)^{-1} = M. Low rank: B = D^{-1/2} (I + V (Lambda^{-1/2} - I) V').
  void scale_momentum(Eigen::VectorXd& p) const {
    if (kind_ == metric::dense) {
      upper_.triangularView<Eigen::Upper>().solveInPlace(p);
    } else if (kind_ == metric::low_rank) {
      apply_low_rank(p, lr_momentum_scale_);
      p.array() *= inv_sqrt_diag_.array();
    } else if (kind_ == metric::diag) {
      p.array() *= inv_sqrt_diag_.array();
    }
  }

  // p ~ N(0, M).
  template <class Rng>
  void sample_momentum(Eigen::VectorXd& p, Rng& rng) const {
    fill_std_normal(p, rng);
    scale_momentum(p);
  }

  // diag: M^{-1} (ones for unit; low rank: D; the dense metric's is not this).
  const Eigen::VectorXd& inverse_diagonal() const { return inv_diag_; }
  // Low rank: V and lambda, as set_low_rank() took them.
  const Eigen::MatrixXd& low_rank_vectors() const { return lr_vectors_; }
  const Eigen::VectorXd& low_rank_eigenvalues() const { return lr_eigenvalues_; }

  // A column vector unless dense or low rank (then the whole matrix, which
  // chain_result keeps as the low-rank metric's factors instead).
  STATIX_RUNTIME_INLINE Eigen::MatrixXd inverse_metric() const;

private:
  static STATIX_RUNTIME_INLINE std::string shape(const Eigen::MatrixXd& m);

  // x += V (scale .* (V' x)) in place: (I + V diag(scale) V') x. Loops over
  // V's columns, not Eigen products: this header is compiled in every file
  // that samples, and each product expression costs compile time there.
  void apply_low_rank(Eigen::VectorXd& x, const Eigen::VectorXd& scale) const {
    const int k = rank();
    double* xs = x.data();
    for (int j = 0; j < k; ++j) {
      const double* v = lr_vectors_.data() + static_cast<Eigen::Index>(j) * dim_;
      double sum = 0;
      for (int i = 0; i < dim_; ++i)
        sum += v[i] * xs[i];
      lr_coefficients_[j] = scale[j] * sum;
    }
    for (int j = 0; j < k; ++j) {
      const double* v = lr_vectors_.data() + static_cast<Eigen::Index>(j) * dim_;
      const double c = lr_coefficients_[j];
      for (int i = 0; i < dim_; ++i)
        xs[i] += c * v[i];
    }
  }

  metric kind_;
  int dim_;
  Eigen::VectorXd inv_diag_;       // diag: M^{-1}; low rank: D
  Eigen::VectorXd inv_sqrt_diag_;  // diag: M^{1/2} = 1 / sqrt(M^{-1}); low rank: D^{-1/2}
  Eigen::MatrixXd inv_dense_;      // dense: M^{-1}
  Eigen::MatrixXd upper_;          // dense: U with M^{-1} = U'U
  Eigen::VectorXd root_diag_;      // low rank: D^{1/2}
  Eigen::MatrixXd lr_vectors_;     // low rank: V
  Eigen::VectorXd lr_eigenvalues_; // low rank: lambda
  Eigen::VectorXd lr_velocity_scale_, lr_momentum_scale_; // lambda - 1, lambda^{-1/2} - 1
  // Scratch of velocity() and scale_momentum(), sized once (a metric belongs
  // to one chain).
  mutable Eigen::VectorXd lr_scratch_, lr_coefficients_;
};

#if STATIX_RUNTIME_DEFINITIONS

STATIX_RUNTIME_INLINE void euclidean_metric::set_inverse_metric(const Eigen::MatrixXd& inv_metric) {
  const bool is_vector = (inv_metric.cols() == 1 && inv_metric.rows() == dim_) ||
                         (inv_metric.rows() == 1 && inv_metric.cols() == dim_);
  if (kind_ == metric::dense) {
    if (is_vector) {
      set_dense(Eigen::MatrixXd(Eigen::VectorXd(inv_metric.reshaped()).asDiagonal()));
      return;
    }
    if (inv_metric.rows() != dim_ || inv_metric.cols() != dim_)
      throw std::invalid_argument("statix: inv_metric for a dense metric must be " +
                                  std::to_string(dim_) + " x " + std::to_string(dim_) + ", got " +
                                  shape(inv_metric));
    if (!inv_metric.allFinite() || !inv_metric.isApprox(inv_metric.transpose(), 1e-10))
      throw std::invalid_argument("statix: inv_metric must be a finite symmetric matrix");
    set_dense(inv_metric);
    return;
  }
  if (!is_vector)
    throw std::invalid_argument("statix: inv_metric for a diagonal or low-rank metric must be a "
                                "vector of " +
                                std::to_string(dim_) + " values, got " + shape(inv_metric));
  const Eigen::VectorXd diag = inv_metric.reshaped();
  if (!diag.allFinite() || (diag.array() <= 0).any())
    throw std::invalid_argument("statix: inv_metric must hold finite positive values");
  set_diagonal(diag);
}

STATIX_RUNTIME_INLINE void
euclidean_metric::set_diagonal(const Eigen::VectorXd& inv_metric_diagonal) {
  if (kind_ == metric::low_rank) {
    set_low_rank(inv_metric_diagonal, Eigen::MatrixXd(dim_, 0), {});
    return;
  }
  inv_diag_ = inv_metric_diagonal;
  inv_sqrt_diag_ = inv_diag_.cwiseSqrt().cwiseInverse();
}

STATIX_RUNTIME_INLINE void
euclidean_metric::set_low_rank(const Eigen::VectorXd& inv_metric_diagonal,
                               const Eigen::MatrixXd& vectors, const Eigen::VectorXd& eigenvalues) {
  if (inv_metric_diagonal.size() != dim_ || vectors.rows() != dim_ ||
      eigenvalues.size() != vectors.cols())
    throw std::invalid_argument("statix: a low-rank metric needs a diagonal of " +
                                std::to_string(dim_) + " values, " + std::to_string(dim_) +
                                " x k vectors and k eigenvalues, got " +
                                std::to_string(inv_metric_diagonal.size()) + ", " + shape(vectors) +
                                " and " + std::to_string(eigenvalues.size()));
  kind_ = metric::low_rank;
  inv_diag_ = inv_metric_diagonal;
  inv_sqrt_diag_ = inv_diag_.cwiseSqrt().cwiseInverse();
  root_diag_ = inv_diag_.cwiseSqrt();
  lr_vectors_ = vectors;
  lr_eigenvalues_ = eigenvalues;
  lr_velocity_scale_ = eigenvalues.array() - 1.0;
  lr_momentum_scale_ = eigenvalues.cwiseSqrt().cwiseInverse().array() - 1.0;
  lr_scratch_.resize(dim_);
  lr_coefficients_.resize(vectors.cols());
}

STATIX_RUNTIME_INLINE void euclidean_metric::set_dense(const Eigen::MatrixXd& inv_metric) {
  Eigen::LLT<Eigen::MatrixXd> llt(inv_metric);
  if (llt.info() != Eigen::Success)
    throw std::runtime_error("statix: the inverse metric is not positive definite");
  inv_dense_ = inv_metric;
  upper_ = llt.matrixU();
  kind_ = metric::dense; // the warm-up of metric::automatic may choose it
}

STATIX_RUNTIME_INLINE Eigen::MatrixXd euclidean_metric::inverse_metric() const {
  if (kind_ == metric::dense) return inv_dense_;
  if (kind_ == metric::low_rank)
    return low_rank_inverse_metric(inv_diag_, lr_vectors_, lr_eigenvalues_);
  return inv_diag_;
}

STATIX_RUNTIME_INLINE std::string euclidean_metric::shape(const Eigen::MatrixXd& m) {
  return std::to_string(m.rows()) + " x " + std::to_string(m.cols());
}

#endif // STATIX_RUNTIME_DEFINITIONS

// Where a fused leapfrog step (hamiltonian_system::leapfrog_step) also writes
// what the No-U-Turn sampler keeps of the new state, in the same passes over
// the vectors: each pointer is an array of dim() doubles, none aliasing another
// or the phase points.
struct leapfrog_outputs {
  double* position = nullptr;  // q at the new point
  double* gradient = nullptr;  // the log density's gradient there
  double* velocity = nullptr;  // M^{-1} p there (the sharp momentum)
  double* velocity2 = nullptr; // a second copy of it
  double* momentum = nullptr;  // p there
  double* momentum2 = nullptr; // a second copy
  double* momentum3 = nullptr; // a third (the momentum sum of a one-state tree)
};

// The model, the metric and the leapfrog integrator. Counts every gradient
// evaluation.
template <log_density_model Model>
class hamiltonian_system {
public:
  hamiltonian_system(const Model& model, metric kind)
      : model_(model), metric_(kind, model.dim()), velocity_(model.dim()) {}

  const Model& model() const { return model_; }
  int dim() const { return metric_.dim(); }
  euclidean_metric& metric() { return metric_; }
  const euclidean_metric& metric() const { return metric_; }
  long long gradient_evaluations() const { return gradient_evaluations_; }

  // Log density (constants dropped, Jacobian included, as Stan samples) and
  // its gradient at z.q.
  void evaluate(phase_point& z) {
    z.log_density =
        model_.log_density_gradient(z.q, z.grad, density_options{.jacobian = true, .propto = true});
    ++gradient_evaluations_;
  }

  // One leapfrog (Stormer-Verlet) step of size eps, negative to go backwards
  // in time (Betancourt 2017, sec. 5.1): half kick, drift, half kick.
  void leapfrog(phase_point& z, double eps) {
    z.p.noalias() += (0.5 * eps) * z.grad;
    metric_.velocity(z.p, velocity_);
    z.q.noalias() += eps * velocity_;
    evaluate(z);
    z.p.noalias() += (0.5 * eps) * z.grad;
  }

  // H = -log density + K(p); also writes M^{-1} p into `velocity`. A
  // non-finite energy is +infinity: a point the sampler must never accept.
  double hamiltonian(const phase_point& z, Eigen::VectorXd& velocity) const {
    metric_.velocity(z.p, velocity);
    const double h = -z.log_density + 0.5 * z.p.dot(velocity);
    return std::isfinite(h) ? h : std::numeric_limits<double>::infinity();
  }
  double hamiltonian(const phase_point& z) { return hamiltonian(z, velocity_); }

  // The same, with M^{-1} p written into an array of dim() doubles.
  double hamiltonian(const phase_point& z, double* velocity) {
    if (!metric_.elementwise()) {
      const double h = hamiltonian(z, velocity_);
      std::copy(velocity_.data(), velocity_.data() + dim(), velocity);
      return h;
    }
    const int d = dim();
    const double* p = z.p.data();
    const double* inv = metric_.inverse_diagonal().data();
    const bool unit = metric_.kind() == metric::unit;
    for (int i = 0; i < d; ++i)
      velocity[i] = unit ? p[i] : inv[i] * p[i];
    return finite_or_infinity(-z.log_density + 0.5 * z.p.dot(map(velocity)));
  }

  // One leapfrog step of size eps from `from` into `to` (the same point, or
  // another whose q, p and gradient are then overwritten), returning the
  // Hamiltonian at `to` and writing `out`: what leapfrog() then hamiltonian()
  // and copies of the vectors give, bit for bit, in two passes over the
  // vectors (kick and drift; kick, velocity and copies) and the kinetic
  // energy's dot product, which Eigen sums as hamiltonian() does.
  double leapfrog_step(const phase_point& from, phase_point& to, double eps,
                       const leapfrog_outputs& out) {
    const int d = dim();
    if (!metric_.elementwise()) {
      if (&from != &to) to = from;
      leapfrog(to, eps);
      const double h = hamiltonian(to, velocity_);
      for (int i = 0; i < d; ++i) {
        out.position[i] = to.q[i];
        out.gradient[i] = to.grad[i];
        out.velocity[i] = out.velocity2[i] = velocity_[i];
        out.momentum[i] = out.momentum2[i] = out.momentum3[i] = to.p[i];
      }
      return h;
    }
    if (metric_.kind() == metric::unit)
      kick_drift<true>(from, to, eps, out.position);
    else
      kick_drift<false>(from, to, eps, out.position);
    evaluate(to);
    if (metric_.kind() == metric::unit)
      kick<true>(to, eps, out);
    else
      kick<false>(to, eps, out);
    return finite_or_infinity(-to.log_density + 0.5 * to.p.dot(map(out.velocity)));
  }

private:
  // The fused passes of leapfrog_step for the diagonal (Unit: unit) metric,
  // four elements at a time (vectorised by Eigen), each element seeing the
  // operations of leapfrog() in the same order.
  template <bool Unit>
  void kick_drift(const phase_point& from, phase_point& to, double eps, double* q_copy) {
    const double half_eps = 0.5 * eps;
    const double* inv = metric_.inverse_diagonal().data();
    const double* q0 = from.q.data();
    const double* p0 = from.p.data();
    const double* g0 = from.grad.data();
    double* q = to.q.data();
    double* p = to.p.data();
    // Pointers by value: stores through SIMD types may alias anything, so
    // pointers read through a reference would be reloaded after each store.
    detail::for_each_chunk(dim(), [=](auto width, int i) {
      using chunk = detail::chunk<decltype(width)::value>;
      const auto load = [i](const double* v) { return Eigen::Map<const chunk>(v + i); };
      const chunk pi = load(p0) + half_eps * load(g0);
      chunk qi;
      if constexpr (Unit)
        qi = load(q0) + eps * pi;
      else
        qi = load(q0) + eps * (load(inv) * pi);
      Eigen::Map<chunk>(p + i) = pi;
      Eigen::Map<chunk>(q + i) = qi;
      Eigen::Map<chunk>(q_copy + i) = qi;
    });
  }

  template <bool Unit>
  void kick(phase_point& z, double eps, const leapfrog_outputs& out) {
    const double half_eps = 0.5 * eps;
    const double* inv = metric_.inverse_diagonal().data();
    const double* g = z.grad.data();
    double* p = z.p.data();
    const leapfrog_outputs o = out;
    detail::for_each_chunk(dim(), [=](auto width, int i) {
      using chunk = detail::chunk<decltype(width)::value>;
      const auto load = [i](const double* v) { return Eigen::Map<const chunk>(v + i); };
      const chunk gi = load(g);
      const chunk pi = load(p) + half_eps * gi;
      chunk vi;
      if constexpr (Unit)
        vi = pi;
      else
        vi = load(inv) * pi;
      Eigen::Map<chunk>(p + i) = pi;
      Eigen::Map<chunk>(o.gradient + i) = gi;
      Eigen::Map<chunk>(o.velocity + i) = vi;
      Eigen::Map<chunk>(o.velocity2 + i) = vi;
      Eigen::Map<chunk>(o.momentum + i) = pi;
      Eigen::Map<chunk>(o.momentum2 + i) = pi;
      Eigen::Map<chunk>(o.momentum3 + i) = pi;
    });
  }

  static double finite_or_infinity(double h) {
    return std::isfinite(h) ? h : std::numeric_limits<double>::infinity();
  }
  Eigen::Map<const Eigen::VectorXd> map(const double* v) const { return {v, dim()}; }

  const Model& model_;
  euclidean_metric metric_;
  Eigen::VectorXd velocity_; // scratch for the drift
  long long gradient_evaluations_ = 0;
};

} // namespace statix
