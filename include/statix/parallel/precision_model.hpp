#pragma once

// A model as the device transitions see it under sx::device_policy<Real>:
// the log density and gradient evaluated in Real (float: single precision)
// while the sampler's state (positions, momenta, energies, adaptation) stays
// in double. Each evaluation rounds the position to Real, runs the model's
// own templated evaluation on Real numbers, and widens the gradient and log
// density back to double.
//
// The workspace is the model's double workspace, reused: a chain's `values`
// array holds the Real position and the Real node values, its `adjoints`
// array the Real gradient and adjoints. That needs dim + workspace Real
// numbers in workspace doubles (fits(), checked before sampling).

#include <statix/base/density_options.hpp>
#include <statix/base/macros.hpp>

#include <cstddef>
#include <new>
#include <utility>

namespace statix::parallel {

template <class Model, class Real>
class precision_model {
public:
  explicit precision_model(const Model& model)
      : model_(model), dim_(model.dim()), workspace_(model.workspace_size()) {}

  int dim() const { return dim_; }
  int workspace_size() const { return workspace_; }

  // Whether the Real arrays fit in the model's double workspace.
  bool fits() const {
    return static_cast<std::size_t>(dim_ + workspace_) * sizeof(Real) <=
           static_cast<std::size_t>(workspace_) * sizeof(double);
  }

  STATIX_HD double log_density_gradient(const double* x, double* grad, double* values,
                                        double* adjoints, density_options options) const {
    Real* x_real = start_reals(values, dim_ + workspace_);
    Real* grad_real = start_reals(adjoints, dim_ + workspace_);
    for (int i = 0; i < dim_; ++i)
      x_real[i] = static_cast<Real>(x[i]);
    const Real lp =
        model_.log_density_gradient(x_real, grad_real, x_real + dim_, grad_real + dim_, options);
    if (grad != nullptr)
      for (int i = 0; i < dim_; ++i)
        grad[i] = static_cast<double>(grad_real[i]);
    return static_cast<double>(lp);
  }

  STATIX_HD double log_density(const double* x, double* values, density_options options) const {
    Real* x_real = start_reals(values, dim_ + workspace_);
    for (int i = 0; i < dim_; ++i)
      x_real[i] = static_cast<Real>(x[i]);
    return static_cast<double>(model_.log_density(x_real, x_real + dim_, options));
  }

  // For CUDA: the model's data arrays move to device memory with it.
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    model_.rebind_data(std::forward<Relocate>(relocate));
  }

private:
  // Real objects in storage that held doubles: the doubles' lifetime ends
  // (nothing reads them as doubles again), so the model's Real reads and
  // writes are well defined.
  STATIX_HD static Real* start_reals(double* storage, int count) {
    Real* first = ::new (static_cast<void*>(storage)) Real;
    for (int i = 1; i < count; ++i)
      ::new (static_cast<void*>(first + i)) Real;
    return first;
  }

  Model model_; // a copy: device_model places this object in device memory
  int dim_;
  int workspace_;
};

} // namespace statix::parallel
