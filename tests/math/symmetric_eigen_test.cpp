// statix::symmetric_eigen against Eigen's SelfAdjointEigenSolver, and the
// decomposition itself: V diag(values) V' = A with V orthonormal.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include "statix/math/symmetric_eigen.hpp"

namespace {

Eigen::MatrixXd random_symmetric(Eigen::Index n, std::mt19937_64& rng, double scale = 1) {
  std::normal_distribution<double> normal;
  Eigen::MatrixXd a(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      a(i, j) = scale * normal(rng);
  return 0.5 * (a + a.transpose());
}

void check_decomposition(const Eigen::MatrixXd& a, double tolerance) {
  const statix::symmetric_eigen_result ours = statix::symmetric_eigen(a);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(a);
  const Eigen::Index n = a.rows();
  const double size = std::max(a.cwiseAbs().maxCoeff(), 1e-300);
  REQUIRE(ours.values.size() == n);
  REQUIRE(ours.vectors.rows() == n);
  REQUIRE(ours.vectors.cols() == n);
  for (Eigen::Index i = 0; i < n; ++i)
    CHECK(std::abs(ours.values[i] - eigen.eigenvalues()[i]) <= tolerance * size);
  const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(n, n);
  CHECK((ours.vectors.transpose() * ours.vectors - identity).cwiseAbs().maxCoeff() <= tolerance);
  const Eigen::MatrixXd rebuilt =
      ours.vectors * ours.values.asDiagonal() * ours.vectors.transpose();
  CHECK((rebuilt - a).cwiseAbs().maxCoeff() <= tolerance * size);
}

} // namespace

TEST_CASE("symmetric_eigen equals Eigen's solver on random symmetric matrices", "[math]") {
  std::mt19937_64 rng(20261205);
  for (const Eigen::Index n : {1, 2, 3, 5, 17, 64, 150})
    for (int repeat = 0; repeat < 3; ++repeat)
      check_decomposition(random_symmetric(n, rng), 1e-11);
}

TEST_CASE("symmetric_eigen on structured and badly scaled matrices", "[math]") {
  std::mt19937_64 rng(7);
  SECTION("zero and diagonal") {
    check_decomposition(Eigen::MatrixXd::Zero(4, 4), 1e-12);
    check_decomposition(Eigen::VectorXd::LinSpaced(6, -3, 7).asDiagonal().toDenseMatrix(), 1e-12);
  }
  SECTION("already tridiagonal") {
    Eigen::MatrixXd t = Eigen::MatrixXd::Zero(8, 8);
    for (int i = 0; i < 8; ++i) {
      t(i, i) = i;
      if (i + 1 < 8) t(i, i + 1) = t(i + 1, i) = 0.5;
    }
    check_decomposition(t, 1e-12);
  }
  SECTION("rank deficient Gram matrix, as the metric estimate's span basis makes") {
    std::normal_distribution<double> normal;
    Eigen::MatrixXd b(30, 6);
    for (Eigen::Index j = 0; j < b.cols(); ++j)
      for (Eigen::Index i = 0; i < b.rows(); ++i)
        b(i, j) = normal(rng);
    check_decomposition(b * b.transpose(), 1e-11);
  }
  SECTION("repeated eigenvalues") {
    const Eigen::MatrixXd q =
        Eigen::HouseholderQR<Eigen::MatrixXd>(random_symmetric(7, rng)).householderQ();
    Eigen::VectorXd values(7);
    values << 1, 1, 1, 2, 2, 5, 5;
    check_decomposition(q * values.asDiagonal() * q.transpose(), 1e-11);
  }
  SECTION("tiny and huge entries") {
    check_decomposition(random_symmetric(20, rng, 1e-150), 1e-11);
    check_decomposition(random_symmetric(20, rng, 1e150), 1e-11);
  }
  SECTION("only the lower triangle is read") {
    Eigen::MatrixXd a = random_symmetric(9, rng);
    Eigen::MatrixXd lower_only = a;
    lower_only.triangularView<Eigen::StrictlyUpper>().setConstant(1e6);
    const auto ours = statix::symmetric_eigen(lower_only);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(a);
    CHECK((ours.values - eigen.eigenvalues()).cwiseAbs().maxCoeff() < 1e-12);
  }
}
