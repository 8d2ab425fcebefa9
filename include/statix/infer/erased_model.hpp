#pragma once

// Any sampler_model behind one pointer and a table of functions, so that code
// over models can be compiled once for this one type:
//
//   const sx::erased_model erased(model); // refers to `model`: keep it alive
//   auto chains = sx::sample_chains(erased, sx::nuts{.seed = 1});
//
// A program that links statix::runtime gets NUTS and static HMC compiled
// once, in the library, over this type: sx::sample then only instantiates the
// model's own functions (log density, gradient, output) in the user's file.
// Each call through it costs one indirect call; the arithmetic, and so the
// draws, are those of the model itself.

#include <statix/infer/log_density_model.hpp>

#include <Eigen/Dense>

#include <string>
#include <vector>

namespace statix {

class erased_model {
public:
  template <sampler_model Model>
  explicit erased_model(const Model& model)
      : model_(&model), operations_(&operations_of<Model>), dim_(static_cast<int>(model.dim())),
        output_size_(static_cast<int>(model.output_size())) {}

  int dim() const { return dim_; }
  int output_size() const { return output_size_; }

  double log_density_gradient(const Eigen::VectorXd& q, Eigen::VectorXd& grad,
                              density_options options) const {
    return operations_->log_density_gradient(model_, q, grad, options);
  }
  std::vector<std::string> output_names() const { return operations_->output_names(model_); }
  void write_output(const Eigen::VectorXd& q, double* row) const {
    operations_->write_output(model_, q, row);
  }
  void unconstrain_into(const named_values& values, Eigen::VectorXd& q) const {
    operations_->unconstrain_into(model_, values, q);
  }

private:
  struct operations {
    double (*log_density_gradient)(const void*, const Eigen::VectorXd&, Eigen::VectorXd&,
                                   density_options);
    std::vector<std::string> (*output_names)(const void*);
    void (*write_output)(const void*, const Eigen::VectorXd&, double*);
    void (*unconstrain_into)(const void*, const named_values&, Eigen::VectorXd&);
  };

  template <class Model>
  static const Model& as(const void* model) {
    return *static_cast<const Model*>(model);
  }

  template <class Model>
  static constexpr operations operations_of = {
      [](const void* m, const Eigen::VectorXd& q, Eigen::VectorXd& grad, density_options o) {
        return static_cast<double>(as<Model>(m).log_density_gradient(q, grad, o));
      },
      [](const void* m) { return std::vector<std::string>(as<Model>(m).output_names()); },
      [](const void* m, const Eigen::VectorXd& q, double* row) {
        as<Model>(m).write_output(q, row);
      },
      [](const void* m, const named_values& values, Eigen::VectorXd& q) {
        as<Model>(m).unconstrain_into(values, q);
      }};

  const void* model_;
  const operations* operations_;
  int dim_;
  int output_size_;
};

} // namespace statix
