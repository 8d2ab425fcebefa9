#pragma once

#include "statix/base/density_options.hpp"
#include "statix/parallel/device_model.hpp"

#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>

#include <stdexcept>
#include <string>

namespace statix::parallel {

// One chain's log density and gradient: the same model code the host path
// runs, on the chain's slice of the batch and its own workspace.
template <class Model>
struct log_density_gradient_functor {
  const Model* model;
  const double* x;
  double* grad;
  double* log_density;
  double* values;
  double* adjoints;
  int dim;
  int workspace;
  density_options options;

  STATIX_HD void operator()(int point) const {
    const long p = point;
    log_density[point] = model->log_density_gradient(
        x + p * dim, grad + p * dim, values + p * workspace, adjoints + p * workspace, options);
  }
};

template <class Model>
struct log_density_functor {
  const Model* model;
  const double* x;
  double* log_density;
  double* values;
  int dim;
  int workspace;
  density_options options;

  STATIX_HD void operator()(int point) const {
    const long p = point;
    log_density[point] = model->log_density(x + p * dim, values + p * workspace, options);
  }
};

// Log densities and gradients at many points at once (one per chain), with
// thrust::for_each on the configured device system: CUDA on a GPU, OpenMP,
// TBB or serial C++ on the CPU. Points are rows of a row-major
// (points x dim) array in device memory.
template <class Model>
class batch_evaluator {
public:
  batch_evaluator(const Model& model, int points)
      : model_(model), points_(points), dim_(model.dim()), workspace_(model.workspace_size()),
        values_(static_cast<std::size_t>(points) * workspace_),
        adjoints_(static_cast<std::size_t>(points) * workspace_) {}

  int points() const { return points_; }
  int dim() const { return dim_; }

  void log_density_gradient(const thrust::device_vector<double>& x,
                            thrust::device_vector<double>& grad,
                            thrust::device_vector<double>& log_density,
                            density_options options = {}) {
    check(x);
    grad.resize(x.size());
    log_density.resize(points_);
    log_density_gradient_functor<Model> f{model_.get(),
                                          thrust::raw_pointer_cast(x.data()),
                                          thrust::raw_pointer_cast(grad.data()),
                                          thrust::raw_pointer_cast(log_density.data()),
                                          thrust::raw_pointer_cast(values_.data()),
                                          thrust::raw_pointer_cast(adjoints_.data()),
                                          dim_,
                                          workspace_,
                                          options};
    thrust::for_each(thrust::device, thrust::counting_iterator<int>(0),
                     thrust::counting_iterator<int>(points_), f);
  }

  void log_density(const thrust::device_vector<double>& x,
                   thrust::device_vector<double>& log_density, density_options options = {}) {
    check(x);
    log_density.resize(points_);
    log_density_functor<Model> f{model_.get(),
                                 thrust::raw_pointer_cast(x.data()),
                                 thrust::raw_pointer_cast(log_density.data()),
                                 thrust::raw_pointer_cast(values_.data()),
                                 dim_,
                                 workspace_,
                                 options};
    thrust::for_each(thrust::device, thrust::counting_iterator<int>(0),
                     thrust::counting_iterator<int>(points_), f);
  }

private:
  void check(const thrust::device_vector<double>& x) const {
    if (x.size() != static_cast<std::size_t>(points_) * dim_)
      throw std::invalid_argument("statix: batch of " + std::to_string(x.size()) +
                                  " numbers, expected points x dim = " + std::to_string(points_) +
                                  " x " + std::to_string(dim_));
  }

  device_model<Model> model_;
  int points_;
  int dim_;
  int workspace_;
  thrust::device_vector<double> values_;
  thrust::device_vector<double> adjoints_;
};

} // namespace statix::parallel
