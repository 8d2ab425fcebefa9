// The hand-written digamma / trigamma / polygamma that device code uses
// (Boost.Math is host-only), checked on the host against Boost.Math in long double.
#include <catch2/catch.hpp>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/polygamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include <cfloat>
#include <cmath>
#include <limits>

#include "statix/math/polygamma_series.hpp"

namespace detail = statix::math::detail;
using ld = long double;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Relative error, with an absolute floor `scale * eps` for values that cancel
// to near zero (digamma at its root 1.4616...).
bool close(double actual, ld expected, double rel, double abs = 0) {
  if (std::fabs(expected) > DBL_MAX) {
    return std::isinf(actual) && (actual > 0) == (expected > 0);
  }
  if (std::fabs(expected) < DBL_MIN) { // underflows double
    return std::fabs(actual) < 2 * DBL_MIN;
  }
  const ld error = std::fabs(actual - expected);
  const bool ok = error <= rel * std::fabs(expected) + abs;
  if (!ok) {
    UNSCOPED_INFO("actual " << actual << " expected " << static_cast<double>(expected)
                            << " relative error "
                            << static_cast<double>(error / std::fabs(expected)));
  }
  return ok;
}

const double arguments[] = {1e-300, 1e-12, 1e-3,  0.1,  0.5,   1.0,  1.4616321449683622,
                            2.0,    3.7,   9.99,  10.0, 10.01, 17.5, 100.0,
                            1e4,    1e10,  1e200, -0.5, -1e-9, -2.3, -7.75,
                            -30.1};

} // namespace

TEST_CASE("digamma series matches Boost.Math", "[math]") {
  for (double x : arguments) {
    INFO("x = " << x);
    CHECK(close(detail::digamma_series(x), boost::math::digamma(static_cast<ld>(x)), 4e-15, 4e-15));
  }
  CHECK(std::isnan(detail::digamma_series(0.0)));
  CHECK(std::isnan(detail::digamma_series(-3.0)));
  CHECK(std::isnan(detail::digamma_series(-inf)));
  CHECK(detail::digamma_series(inf) == inf);
  CHECK(std::isnan(detail::digamma_series(std::nan(""))));
}

TEST_CASE("trigamma series matches Boost.Math", "[math]") {
  for (double x : arguments) {
    INFO("x = " << x);
    CHECK(close(detail::trigamma_series(x), boost::math::trigamma(static_cast<ld>(x)), 4e-15));
  }
  CHECK(detail::trigamma_series(0.0) == inf);
  CHECK(detail::trigamma_series(-4.0) == inf);
  CHECK(detail::trigamma_series(inf) == 0.0);
  CHECK(std::isnan(detail::trigamma_series(-inf)));
}

TEST_CASE("polygamma series matches Boost.Math for orders 2 to 6", "[math]") {
  for (int n = 2; n <= 6; ++n) {
    for (double x : arguments) {
      INFO("n = " << n << ", x = " << x);
      CHECK(close(detail::polygamma_series(n, x), boost::math::polygamma(n, static_cast<ld>(x)),
                  1e-13));
    }
  }
  CHECK(detail::polygamma_series(0, 2.5) == detail::digamma_series(2.5));
  CHECK(detail::polygamma_series(1, 2.5) == detail::trigamma_series(2.5));
  CHECK(detail::polygamma_series(3, -2.0) == inf);
  CHECK(std::isnan(detail::polygamma_series(2, -2.0)));
  CHECK(detail::polygamma_series(4, inf) == 0.0);
  CHECK(std::isnan(detail::polygamma_series(-1, 1.0)));
}

TEST_CASE("the series also work in float", "[math]") {
  for (float x : {1e-3f, 0.5f, 1.0f, 3.7f, 12.0f, 1e4f, -2.3f}) {
    INFO("x = " << x);
    const ld xl = x;
    CHECK(close(detail::digamma_series(x), boost::math::digamma(xl), 2e-6, 1e-6));
    CHECK(close(detail::trigamma_series(x), boost::math::trigamma(xl), 2e-6));
    CHECK(close(detail::polygamma_series(2, x), boost::math::polygamma(2, xl), 1e-5));
  }
}
