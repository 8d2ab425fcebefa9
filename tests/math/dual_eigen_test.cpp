// Duals as the scalar of Eigen vectors and matrices.
#include <catch2/catch.hpp>

#include <Eigen/Core>

#include "statix/math/dual_eigen.hpp"

namespace m = statix::math;
using d2 = m::dual<double, 2>;

TEST_CASE("dual as an Eigen scalar: reductions, norms and mixed products", "[math]") {
  // v = (x, y, x*y) with x = 1.5, y = -2 seeded in lanes 0 and 1
  const d2 x = d2::variable(1.5, 0);
  const d2 y = d2::variable(-2.0, 1);
  Eigen::Matrix<d2, 3, 1> v;
  v << x, y, x * y;

  // sum = x + y + xy: gradient (1 + y, 1 + x)
  const d2 sum = v.sum();
  CHECK(sum.val == Approx(1.5 - 2.0 - 3.0));
  CHECK(sum.tan[0] == Approx(1 - 2.0));
  CHECK(sum.tan[1] == Approx(1 + 1.5));

  // squared norm = x^2 + y^2 + x^2 y^2: gradient (2x + 2x y^2, 2y + 2y x^2)
  const d2 sq = v.squaredNorm();
  CHECK(sq.val == Approx(2.25 + 4 + 9));
  CHECK(sq.tan[0] == Approx(2 * 1.5 + 2 * 1.5 * 4));
  CHECK(sq.tan[1] == Approx(2 * -2.0 + 2 * -2.0 * 2.25));
  const d2 norm = v.norm();
  CHECK(norm.val == Approx(std::sqrt(sq.val)));
  CHECK(norm.tan[0] == Approx(sq.tan[0] / (2 * norm.val)));

  // a double matrix times a dual vector: the tangents are the matrix times the tangents
  Eigen::Matrix3d a;
  a << 1, 2, 3, 4, 5, 6, 7, 8, 10;
  const Eigen::Matrix<d2, 3, 1> av = a * v;
  for (int i = 0; i < 3; ++i) {
    CHECK(av(i).val == Approx(a(i, 0) * 1.5 + a(i, 1) * -2.0 + a(i, 2) * -3.0));
    CHECK(av(i).tan[0] == Approx(a(i, 0) + a(i, 2) * -2.0)); // d(xy)/dx = y
    CHECK(av(i).tan[1] == Approx(a(i, 1) + a(i, 2) * 1.5));
  }
  const Eigen::Matrix<d2, 3, 1> scaled = 2.0 * v + v.cwiseProduct(v);
  CHECK(scaled(0).tan[0] == Approx(2 + 2 * 1.5));
  const Eigen::Vector3d values = v.unaryExpr([](const d2& d) { return d.val; });
  CHECK(values(2) == Approx(-3.0));
  const Eigen::Matrix<d2, 3, 1> cast = Eigen::Vector3d(1, 2, 3).cast<d2>();
  CHECK(cast(1).val == 2.0);
  CHECK(cast(1).tan[0] == 0.0);
}
