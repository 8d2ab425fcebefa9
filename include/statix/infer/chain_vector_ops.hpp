#pragma once

// The vector operations of the per-chain transitions (ChEES, MEADS, the
// iterative NUTS), as a policy over the number type of a chain's vectors:
// chain_vector_ops<double> on host threads and on the device system
// (sx::on_device), chain_vector_ops<float> under sx::device_policy<float>,
// where positions, momenta, gradients, the tree's scratch and the model's
// workspace are all single precision. A vector is one chain's row of `dim`
// numbers in a flat (chains x dim) array: plain loops, no allocation, so the
// same code runs in a CUDA thread.
//
// What stays in double whatever Real is: every sum that decides (kinetic
// energy, the U-turn products), energies and weights, step sizes and the
// adaptation. A kinetic energy summed in float over a thousand coordinates
// would be off by about 1e-4 of itself, an energy error of 0.05 at d = 1000;
// a multinomial weight up to e^500 does not fit in a float at all.

#include <statix/base/density_options.hpp>
#include <statix/base/macros.hpp>
#include <statix/math/philox.hpp>
#include <statix/math/random.hpp>

#include <type_traits>

namespace statix {

template <class Real>
struct chain_vector_ops {
  static_assert(std::is_same_v<Real, double> || std::is_same_v<Real, float>,
                "chain_vector_ops<Real>: Real is double or float");
  using real = Real;

  STATIX_HD static void copy(Real* to, const Real* from, int dim) {
    for (int i = 0; i < dim; ++i)
      to[i] = from[i];
  }

  // A standard normal draw, rounded to Real.
  STATIX_HD static Real std_normal(random::philox& rng) {
    return static_cast<Real>(random::std_normal(rng));
  }

  // q += c L m, with L the metric's factor (diagonal or lower triangular).
  STATIX_HD static void add_factor_product(Real* q, const Real* factor, const Real* m, double c,
                                           int dim, int dense) {
    const Real cr = static_cast<Real>(c);
    if (!dense) {
      for (int i = 0; i < dim; ++i)
        q[i] += cr * factor[i] * m[i];
      return;
    }
    for (int i = 0; i < dim; ++i) {
      Real sum = 0;
      for (int j = 0; j <= i; ++j)
        sum += factor[static_cast<long>(i) * dim + j] * m[j];
      q[i] += cr * sum;
    }
  }

  // m += c L' g. A diagonal L is its own transpose.
  STATIX_HD static void add_factor_transpose_product(Real* m, const Real* factor, const Real* g,
                                                     double c, int dim, int dense) {
    if (!dense) return add_factor_product(m, factor, g, c, dim, 0);
    const Real cr = static_cast<Real>(c);
    for (int i = 0; i < dim; ++i) {
      Real sum = 0;
      for (int j = i; j < dim; ++j)
        sum += factor[static_cast<long>(j) * dim + i] * g[j];
      m[i] += cr * sum;
    }
  }

  // m'm / 2, summed in double.
  STATIX_HD static double half_square_norm(const Real* m, int dim) {
    double k = 0;
    for (int i = 0; i < dim; ++i)
      k += static_cast<double>(m[i]) * static_cast<double>(m[i]);
    return 0.5 * k;
  }

  // Stan's U-turn criterion: both ends' (sharp) momenta point along the
  // summed one; rho_extra (may be null) is added to rho, the check across a
  // junction. The products are summed in double: only their signs count.
  STATIX_HD static bool no_u_turn(const Real* m_minus, const Real* m_plus, const Real* rho,
                                  const Real* rho_extra, int dim) {
    double a = 0, b = 0;
    for (int i = 0; i < dim; ++i) {
      const double r = rho_extra ? static_cast<double>(rho[i]) + static_cast<double>(rho_extra[i])
                                 : static_cast<double>(rho[i]);
      a += static_cast<double>(m_minus[i]) * r;
      b += static_cast<double>(m_plus[i]) * r;
    }
    return b > 0 && a > 0;
  }

  // One leapfrog step of H(q, m) = -log p(q) + m'm / 2 in the whitened
  // momentum m = L' p (inverse metric L L'): kick m by L' grad, drift q by
  // L m. The model is evaluated in Real (its workspace `values`, `adjoints`
  // holds Real numbers). Returns the new log density, in double.
  template <class Model>
  STATIX_HD static double leapfrog(const Model& model, Real* q, Real* m, Real* g,
                                   const Real* factor, int dense, double eps, int dim, Real* values,
                                   Real* adjoints) {
    constexpr density_options sampler_density{.jacobian = true, .propto = true};
    add_factor_transpose_product(m, factor, g, 0.5 * eps, dim, dense);
    add_factor_product(q, factor, m, eps, dim, dense);
    const Real lp = model.log_density_gradient(q, g, values, adjoints, sampler_density);
    add_factor_transpose_product(m, factor, g, 0.5 * eps, dim, dense);
    return static_cast<double>(lp);
  }
};

} // namespace statix
