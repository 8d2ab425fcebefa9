#pragma once

#include <statix/base/runtime_linkage.hpp>

// Pathfinder's local normal approximation at one L-BFGS iterate (Zhang,
// Carpenter, Gelman & Vehtari 2022, JMLR 23(306), Algorithms 2-4; Stan's
// services/pathfinder/single.hpp): N(x - H g, H), with x the iterate, g the
// gradient of f = -log p there and H the L-BFGS estimate of the inverse
// Hessian of f from the last m pairs s = x_{k+1} - x_k, y = g_{k+1} - g_k
// (Byrd, Nocedal & Schnabel 1994's compact form over a diagonal alpha):
//
//   H = diag(alpha) + beta gamma beta',  beta = [diag(alpha) Y, S],
//   gamma = [[0, -R^-1], [-R^-T, R^-T (D + Y' diag(alpha) Y) R^-1]],
//
// R the upper triangle of S'Y, D its diagonal. When 2m >= N (parameters)
// H is formed and factored, H = L L', and a draw is x - H g + L u, u ~ N(0,
// I). Otherwise only the rank-2m part is factored: with the thin QR
// decomposition diag(alpha)^-1/2 beta~ = Q R~ and L L' = I + R~ M R~'
// (M = [[0, I], [I, D + Y' diag(alpha) Y]]), a draw is
// x - H g + diag(alpha)^1/2 (Q (L - I) Q' u + u), whose covariance is H
// (the paper's Algorithm 4 with its lower-triangular L), at O(N m^2) cost.
// (Stan's single.hpp, as read here, applies the transpose L' in this form;
// the covariance of its draws is then diag(alpha)^1/2 (I + Q (L'L - I) Q')
// diag(alpha)^1/2, which differs from H, though with the same determinant.
// This follows the paper; the tests check the draws' covariance against the
// explicit BFGS recursion.)
// In both cases log q(draw) = -log|det L~| - (u'u + N log 2 pi) / 2 with L~
// the square root used.
//
// The diagonal alpha is updated at each accepted pair by Gilbert &
// Lemarechal (1989), eq. 4.9, as Stan does; a pair is accepted when
// s'y > 0 and y'y / s'y <= 1e12 (Stan's check_curve).

#include <statix/math/constants.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <optional>

namespace statix {

// The normal approximation N(center, H), H given by its factors (above).
struct pathfinder_normal {
  Eigen::VectorXd center;
  Eigen::VectorXd alpha;
  bool dense = true;
  Eigen::MatrixXd factor;  // dense: L with H = L L' (N x N); sparse: L with L L' = I + R M R'
  Eigen::MatrixXd q;       // sparse: Q, N x 2m with orthonormal columns
  double log_det_root = 0; // log |det| of the square root of H that draw() applies

  Eigen::Index dim() const { return center.size(); }

  // x = centre + (square root of H) u.
  void draw(const Eigen::VectorXd& u, Eigen::VectorXd& x) const {
    if (dense) {
      x = center + factor.triangularView<Eigen::Lower>() * u;
    } else {
      const Eigen::VectorXd qu = q.transpose() * u;
      const Eigen::VectorXd inner = factor.triangularView<Eigen::Lower>() * qu - qu;
      x = center.array() + alpha.array().sqrt() * (q * inner + u).array();
    }
  }
  // log q at the draw made from u.
  double log_density(const Eigen::VectorXd& u) const {
    return -log_det_root - 0.5 * (u.squaredNorm() + static_cast<double>(dim()) * math::log_two_pi);
  }
  // The covariance H (N x N).
  Eigen::MatrixXd covariance() const {
    if (dense) {
      const Eigen::MatrixXd l = factor.triangularView<Eigen::Lower>();
      return l * l.transpose();
    }
    const Eigen::MatrixXd l = factor.triangularView<Eigen::Lower>();
    const Eigen::MatrixXd low_rank =
        q * (l * l.transpose() - Eigen::MatrixXd::Identity(l.rows(), l.cols())) * q.transpose();
    const Eigen::VectorXd root = alpha.array().sqrt();
    Eigen::MatrixXd h = root.asDiagonal() * low_rank * root.asDiagonal();
    h.diagonal() += alpha;
    return h;
  }
  // Its diagonal, without forming H: O(N m^2) in the low-rank form.
  Eigen::VectorXd variances() const {
    if (dense) return factor.triangularView<Eigen::Lower>().toDenseMatrix().rowwise().squaredNorm();
    const Eigen::MatrixXd l = factor.triangularView<Eigen::Lower>();
    const Eigen::MatrixXd inner = l * l.transpose() - Eigen::MatrixXd::Identity(l.rows(), l.cols());
    const Eigen::VectorXd low_rank = (q * inner).cwiseProduct(q).rowwise().sum();
    return alpha.array() * (1.0 + low_rank.array());
  }
};

} // namespace statix

namespace statix::detail {

// Whether the pair (s, y) has the curvature Pathfinder needs.
STATIX_RUNTIME_INLINE bool pathfinder_curvature_ok(const Eigen::VectorXd& s,
                                                   const Eigen::VectorXd& y);

// Gilbert & Lemarechal's update of the inverse Hessian diagonal alpha by the
// pair (s, y). An update that is not positive and finite everywhere is not
// taken (alpha stays as it was).
STATIX_RUNTIME_INLINE void pathfinder_update_diagonal(Eigen::VectorXd& alpha,
                                                      const Eigen::VectorXd& s,
                                                      const Eigen::VectorXd& y);

// form: 0 chooses as Stan (dense when 2m >= N), 1 dense, 2 the low-rank form
// (needs 2m < N). None when H is not positive definite.
STATIX_RUNTIME_INLINE std::optional<pathfinder_normal>
pathfinder_approximation(const Eigen::VectorXd& x, const Eigen::VectorXd& g,
                         const Eigen::MatrixXd& s, const Eigen::MatrixXd& y,
                         const Eigen::VectorXd& alpha, int form = 0);

} // namespace statix::detail

#if STATIX_RUNTIME_DEFINITIONS

namespace statix::detail {

STATIX_RUNTIME_INLINE bool pathfinder_curvature_ok(const Eigen::VectorXd& s,
                                                   const Eigen::VectorXd& y) {
  const double sy = s.dot(y);
  return sy > 0 && std::fabs(y.squaredNorm() / sy) <= 1e12;
}

STATIX_RUNTIME_INLINE void pathfinder_update_diagonal(Eigen::VectorXd& alpha,
                                                      const Eigen::VectorXd& s,
                                                      const Eigen::VectorXd& y) {
  const double y_alpha_y = y.dot(alpha.cwiseProduct(y));
  const double y_s = y.dot(s);
  const double s_inv_alpha_s = s.dot(s.cwiseQuotient(alpha));
  const Eigen::ArrayXd next =
      y_s / (y_alpha_y / alpha.array() + y.array().square() -
             (y_alpha_y / s_inv_alpha_s) * (s.array() / alpha.array()).square());
  if ((next > 0).all() && next.isFinite().all()) alpha = next.matrix();
}

STATIX_RUNTIME_INLINE std::optional<pathfinder_normal>
pathfinder_approximation(const Eigen::VectorXd& x, const Eigen::VectorXd& g,
                         const Eigen::MatrixXd& s, const Eigen::MatrixXd& y,
                         const Eigen::VectorXd& alpha, int form) {
  const Eigen::Index n = x.size(), m = s.cols();
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(m, m);
  r.triangularView<Eigen::Upper>() = s.transpose() * y;
  const Eigen::VectorXd d = r.diagonal();
  if (!(d.array() > 0).all()) return std::nullopt;
  // -R^-1 S' (m x N).
  const Eigen::MatrixXd neg_inv_r_st =
      -r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd(s.transpose()));
  const Eigen::MatrixXd alpha_y = alpha.asDiagonal() * y; // N x m
  Eigen::MatrixXd middle = y.transpose() * alpha_y;       // Y' diag(alpha) Y + D
  middle.diagonal() += d;

  pathfinder_normal approx;
  approx.alpha = alpha;
  approx.dense = form == 1 || (form == 0 && 2 * m >= n);
  if (!approx.dense && 2 * m >= n) return std::nullopt;
  if (approx.dense) {
    Eigen::MatrixXd h = alpha_y * neg_inv_r_st;
    h += h.transpose().eval();
    h += neg_inv_r_st.transpose() * middle * neg_inv_r_st;
    h.diagonal() += alpha;
    const Eigen::LLT<Eigen::MatrixXd> llt(h);
    if (llt.info() != Eigen::Success) return std::nullopt;
    approx.factor = llt.matrixL();
    if (!(approx.factor.diagonal().array() > 0).all() || !approx.factor.allFinite())
      return std::nullopt;
    approx.log_det_root = approx.factor.diagonal().array().log().sum();
    approx.center = x - h * g;
  } else {
    const Eigen::VectorXd root = alpha.array().sqrt();
    Eigen::MatrixXd w(n, 2 * m);
    w.leftCols(m) = root.asDiagonal() * y;
    w.rightCols(m) = root.cwiseInverse().asDiagonal() * neg_inv_r_st.transpose();
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(w);
    approx.q = qr.householderQ() * Eigen::MatrixXd::Identity(n, 2 * m);
    const Eigen::MatrixXd r_tilde = qr.matrixQR().topRows(2 * m).triangularView<Eigen::Upper>();
    Eigen::MatrixXd big_m = Eigen::MatrixXd::Zero(2 * m, 2 * m);
    big_m.topRightCorner(m, m).setIdentity();
    big_m.bottomLeftCorner(m, m).setIdentity();
    big_m.bottomRightCorner(m, m) = middle;
    Eigen::MatrixXd inner = r_tilde * big_m * r_tilde.transpose();
    inner.diagonal().array() += 1.0;
    const Eigen::LLT<Eigen::MatrixXd> llt(inner);
    if (llt.info() != Eigen::Success) return std::nullopt;
    approx.factor = llt.matrixL();
    if (!(approx.factor.diagonal().array() > 0).all() || !approx.factor.allFinite())
      return std::nullopt;
    approx.log_det_root =
        approx.factor.diagonal().array().log().sum() + 0.5 * alpha.array().log().sum();
    // H g = alpha g + alpha Y (N g) + N' (Y' alpha g + middle N g), N = -R^-1 S'.
    const Eigen::VectorXd ng = neg_inv_r_st * g;
    const Eigen::VectorXd alpha_g = alpha.cwiseProduct(g);
    const Eigen::VectorXd hg =
        alpha_g + alpha_y * ng + neg_inv_r_st.transpose() * (y.transpose() * alpha_g + middle * ng);
    approx.center = x - hg;
  }
  if (!approx.center.allFinite()) return std::nullopt;
  return approx;
}

} // namespace statix::detail

#endif // STATIX_RUNTIME_DEFINITIONS
