#include <statix/diagnostics/rank_normalization.hpp>

#include <boost/math/special_functions/erf.hpp>
#include <catch2/catch.hpp>

#include <cmath>

TEST_CASE("normal quantile equals the inverse complementary error function", "[diagnostics]") {
  for (double p : {1e-300, 1e-20, 1e-8, 1e-3, 0.0242, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575,
                   0.98, 0.999, 1 - 1e-8, 1 - 1e-15}) {
    const double expected = -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * p);
    INFO("p = " << p);
    CHECK(statix::normal_quantile(p) == Approx(expected).epsilon(1e-13).margin(1e-14));
  }
  for (int i = 1; i < 4000; ++i) {
    const double p = (i - 0.375) / (4000 + 0.25);
    CHECK(statix::normal_quantile(p) ==
          Approx(-std::sqrt(2.0) * boost::math::erfc_inv(2.0 * p)).epsilon(1e-13).margin(1e-14));
  }
  CHECK(statix::normal_quantile(0.0) == -INFINITY);
  CHECK(statix::normal_quantile(1.0) == INFINITY);
}
