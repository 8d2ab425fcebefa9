#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <Eigen/Dense>

#include <complex>
#include <vector>

namespace statix {

namespace detail {

// Smallest size >= n whose only prime factors are 2, 3 and 5: the sizes kissfft
// (behind Eigen's FFT module) transforms fastest.
STATIX_RUNTIME_INLINE Eigen::Index next_fast_fft_size(Eigen::Index n);

} // namespace detail

// Autocovariance of one sequence at every lag 0..n-1, with the biased (1/n)
// normalisation Geyer (1992) recommends and ArviZ/posterior use:
//   acov[t] = (1/n) sum_{i=0}^{n-1-t} (x_i - mean)(x_{i+t} - mean).
// Computed by FFT in O(n log n); the sequence is zero-padded to at least 2n so
// the circular correlation equals the linear one.
STATIX_RUNTIME_INLINE Eigen::VectorXd autocovariance(const Eigen::Ref<const Eigen::VectorXd>& x);

// Autocorrelation at every lag: autocovariance / autocovariance at lag 0.
// A constant sequence has no defined autocorrelation: every entry is NaN.
STATIX_RUNTIME_INLINE Eigen::VectorXd autocorrelation(const Eigen::Ref<const Eigen::VectorXd>& x);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

#include <unsupported/Eigen/FFT>

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE Eigen::Index next_fast_fft_size(Eigen::Index n) {
  if (n <= 2) return 2;
  for (;; ++n) {
    Eigen::Index m = n;
    for (const Eigen::Index p : {2, 3, 5})
      while (m % p == 0)
        m /= p;
    if (m == 1) return n;
  }
}

} // namespace detail

STATIX_RUNTIME_INLINE Eigen::VectorXd autocovariance(const Eigen::Ref<const Eigen::VectorXd>& x) {
  const Eigen::Index n = x.size();
  Eigen::VectorXd acov = Eigen::VectorXd::Zero(n);
  if (n == 0) return acov;
  const double mean = x.mean();
  // Twice a fast size keeps the padded length even, which kissfft's real
  // transforms need.
  const Eigen::Index padded_size = 2 * detail::next_fast_fft_size(n);
  std::vector<double> padded(static_cast<std::size_t>(padded_size), 0.0);
  for (Eigen::Index i = 0; i < n; ++i)
    padded[static_cast<std::size_t>(i)] = x(i) - mean;

  // One FFT object per thread: it caches the twiddle tables of each size.
  thread_local Eigen::FFT<double> fft;
  std::vector<std::complex<double>> spectrum;
  fft.fwd(spectrum, padded);
  for (auto& c : spectrum)
    c = std::complex<double>(std::norm(c), 0.0); // power spectrum
  std::vector<double> correlation;
  fft.inv(correlation, spectrum); // Eigen scales the inverse by 1/padded_size
  for (Eigen::Index t = 0; t < n; ++t)
    acov(t) = correlation[static_cast<std::size_t>(t)] / static_cast<double>(n);
  return acov;
}

STATIX_RUNTIME_INLINE Eigen::VectorXd autocorrelation(const Eigen::Ref<const Eigen::VectorXd>& x) {
  Eigen::VectorXd acov = autocovariance(x);
  if (acov.size() > 0) acov /= acov(0);
  return acov;
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
