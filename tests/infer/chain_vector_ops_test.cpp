// chain_vector_ops<Real>: the vector operations of the per-chain transitions,
// in double and float, against Eigen; the sums that decide stay in double.
#include <statix/infer/chain_vector_ops.hpp>

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <vector>

namespace sx = statix;

namespace {

// A diagonal normal, -sum x_i^2 / (2 s_i^2), evaluated in T.
struct diagonal_normal {
  std::vector<double> scale;
  template <class T>
  T log_density_gradient(const T* x, T* grad, T*, T*, sx::density_options) const {
    T lp = 0;
    for (std::size_t i = 0; i < scale.size(); ++i) {
      const T precision = static_cast<T>(1.0 / (scale[i] * scale[i]));
      lp -= T(0.5) * precision * x[i] * x[i];
      grad[i] = -precision * x[i];
    }
    return lp;
  }
};

template <class Real>
std::vector<Real> to_real(const Eigen::VectorXd& v) {
  std::vector<Real> out(static_cast<std::size_t>(v.size()));
  for (Eigen::Index i = 0; i < v.size(); ++i)
    out[static_cast<std::size_t>(i)] = static_cast<Real>(v[i]);
  return out;
}

template <class Real>
Eigen::VectorXd to_eigen(const std::vector<Real>& v) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i)
    out[static_cast<Eigen::Index>(i)] = v[i];
  return out;
}

// The factor L as the transitions store it: a diagonal, or row-major lower.
template <class Real>
std::vector<Real> stored_factor(const Eigen::MatrixXd& lower, bool dense) {
  const auto d = lower.rows();
  std::vector<Real> out;
  if (!dense) {
    for (Eigen::Index i = 0; i < d; ++i)
      out.push_back(static_cast<Real>(lower(i, i)));
    return out;
  }
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = 0; j < d; ++j)
      out.push_back(static_cast<Real>(j <= i ? lower(i, j) : 0.0));
  return out;
}

template <class Real>
void check_factor_products(double tolerance) {
  const int d = 7;
  Eigen::MatrixXd a = Eigen::MatrixXd::Random(d, d);
  const Eigen::MatrixXd spd = a * a.transpose() + d * Eigen::MatrixXd::Identity(d, d);
  for (const bool dense : {false, true}) {
    INFO((dense ? "dense" : "diagonal"));
    const Eigen::MatrixXd lower =
        dense ? Eigen::MatrixXd(spd.llt().matrixL()) : Eigen::MatrixXd(spd.diagonal().asDiagonal());
    const std::vector<Real> factor = stored_factor<Real>(lower, dense);
    const Eigen::VectorXd q = Eigen::VectorXd::Random(d), m = Eigen::VectorXd::Random(d);
    const double c = 0.37;
    std::vector<Real> q_real = to_real<Real>(q);
    const std::vector<Real> m_real = to_real<Real>(m);
    sx::chain_vector_ops<Real>::add_factor_product(q_real.data(), factor.data(), m_real.data(), c,
                                                   d, dense ? 1 : 0);
    CHECK((to_eigen(q_real) - (q + c * lower * m)).cwiseAbs().maxCoeff() < tolerance);
    std::vector<Real> m_again = to_real<Real>(m);
    const std::vector<Real> g_real = to_real<Real>(q);
    sx::chain_vector_ops<Real>::add_factor_transpose_product(m_again.data(), factor.data(),
                                                             g_real.data(), c, d, dense ? 1 : 0);
    CHECK((to_eigen(m_again) - (m + c * lower.transpose() * q)).cwiseAbs().maxCoeff() < tolerance);
  }
}

} // namespace

TEST_CASE("chain_vector_ops: L m and L' g as Eigen computes them, diagonal and dense", "[infer]") {
  check_factor_products<double>(1e-12);
  check_factor_products<float>(1e-5);
}

TEST_CASE("chain_vector_ops<float> sums the kinetic energy and the U-turn products in double",
          "[infer]") {
  // A million coordinates of 0.1: a float accumulator is off by 1.35 %.
  const int d = 1'000'000;
  const std::vector<float> m(static_cast<std::size_t>(d), 0.1f);
  const double exact = 0.5 * d * static_cast<double>(0.1f) * static_cast<double>(0.1f);
  CHECK(std::abs(sx::chain_vector_ops<float>::half_square_norm(m.data(), d) - exact) <
        1e-9 * exact);
  // rho . m_plus is d x 0.01 - 9,999.99: positive. Summed in float the
  // positive terms come to 9,865 and the sign comes out wrong.
  std::vector<float> rho(static_cast<std::size_t>(d) + 1, 0.1f), ends(rho.size(), 0.1f);
  rho.back() = -10'000.0f;
  ends.back() = 1.0f - 1e-6f;
  const double a = [&] {
    double sum = 0;
    for (std::size_t i = 0; i < rho.size(); ++i)
      sum += static_cast<double>(rho[i]) * static_cast<double>(ends[i]);
    return sum;
  }();
  REQUIRE(a > 0);
  CHECK(
      sx::chain_vector_ops<float>::no_u_turn(ends.data(), ends.data(), rho.data(), nullptr, d + 1));
  rho.back() = -10'001.0f;
  CHECK_FALSE(
      sx::chain_vector_ops<float>::no_u_turn(ends.data(), ends.data(), rho.data(), nullptr, d + 1));
}

TEST_CASE("chain_vector_ops: a leapfrog step on a normal as the closed form gives it", "[infer]") {
  // With the diagonal factor L and precision P, one step from (q, m):
  // m1 = m + eps/2 L (-P q), q1 = q + eps L m1, m2 = m1 + eps/2 L (-P q1).
  const diagonal_normal model{{0.5, 1.0, 2.0, 4.0}};
  const Eigen::VectorXd scale = Eigen::Map<const Eigen::VectorXd>(model.scale.data(), 4);
  const Eigen::VectorXd precision = scale.cwiseAbs2().cwiseInverse();
  const Eigen::VectorXd l{{0.4, 1.1, 1.9, 3.5}};
  const Eigen::VectorXd q{{0.3, -1.2, 2.5, 4.0}}, m{{1.0, 0.5, -0.7, 0.2}};
  const double eps = 0.3;
  const Eigen::VectorXd m1 = m - 0.5 * eps * l.cwiseProduct(precision.cwiseProduct(q));
  const Eigen::VectorXd q1 = q + eps * l.cwiseProduct(m1);
  const Eigen::VectorXd g1 = -precision.cwiseProduct(q1);
  const Eigen::VectorXd m2 = m1 + 0.5 * eps * l.cwiseProduct(g1);
  const double lp1 = -0.5 * q1.dot(precision.cwiseProduct(q1));

  const auto step = [&](auto zero, double tolerance) {
    using Real = decltype(zero);
    std::vector<Real> qr = to_real<Real>(q), mr = to_real<Real>(m);
    std::vector<Real> gr = to_real<Real>(-precision.cwiseProduct(q));
    const std::vector<Real> factor = to_real<Real>(l);
    const double lp = sx::chain_vector_ops<Real>::leapfrog(
        model, qr.data(), mr.data(), gr.data(), factor.data(), 0, eps, 4, nullptr, nullptr);
    CHECK(std::abs(lp - lp1) < tolerance * std::abs(lp1));
    CHECK((to_eigen(qr) - q1).cwiseAbs().maxCoeff() < tolerance);
    CHECK((to_eigen(mr) - m2).cwiseAbs().maxCoeff() < tolerance);
    CHECK((to_eigen(gr) - g1).cwiseAbs().maxCoeff() < tolerance);
  };
  step(0.0, 1e-13);
  step(0.0f, 1e-5);
}
