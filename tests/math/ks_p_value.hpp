#pragma once

// The one-sample Kolmogorov-Smirnov test, for the tests of variate generators.

#include <boost/math/distributions/kolmogorov_smirnov.hpp>

#include <algorithm>
#include <vector>

namespace statix_test {

// p-value of the one-sample Kolmogorov-Smirnov statistic sup |F_n - F|.
template <class Cdf>
double ks_p_value(std::vector<double> xs, Cdf cdf) {
  std::sort(xs.begin(), xs.end());
  const double n = static_cast<double>(xs.size());
  double d = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double f = cdf(xs[i]);
    d = std::max({d, f - i / n, (i + 1) / n - f});
  }
  return boost::math::cdf(complement(boost::math::kolmogorov_smirnov_distribution<double>(n), d));
}

} // namespace statix_test
