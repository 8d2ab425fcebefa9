#pragma once

// What the host samplers (sx::nuts, sx::hmc) ask of a model, in two parts:
//
// - log_density_model: a log density over R^dim() and its gradient, written
//   into the caller's buffer. It is all a trajectory touches.
//
//     int dim() const;
//     double log_density_gradient(const Eigen::VectorXd& q, Eigen::VectorXd& grad,
//                                 sx::density_options options) const;
//
//   q is an unconstrained point; `grad` has dim() entries on return; the
//   value includes the log-Jacobian of the constraining transform when
//   options.jacobian is set, and may drop constants when options.propto is.
//   A point outside the support gives -infinity, never an exception.
//
// - draw_writer: what a chain records once per draw, and its inverse for
//   initial values given by name.
//
//     int output_size() const;
//     std::vector<std::string> output_names() const;   // CmdStan's columns
//     void write_output(const Eigen::VectorXd& q, double* row) const;
//     void unconstrain_into(const sx::named_values& values, Eigen::VectorXd& q) const;
//
// Every sx::model satisfies both; so can a hand-written class (a density
// with an analytic gradient), which the samplers then run as they run a
// model. sx::erased_model holds either behind one pointer.

#include <statix/base/density_options.hpp>
#include <statix/base/named_values.hpp>

#include <Eigen/Dense>

#include <concepts>
#include <string>
#include <vector>

namespace statix {

template <class Model>
concept log_density_model = requires(const Model& m, const Eigen::VectorXd& q,
                                     Eigen::VectorXd& grad, density_options options) {
  { m.dim() } -> std::convertible_to<int>;
  { m.log_density_gradient(q, grad, options) } -> std::convertible_to<double>;
};

template <class Model>
concept draw_writer = requires(const Model& m, const Eigen::VectorXd& q, double* row,
                               const named_values& values, Eigen::VectorXd& x) {
  { m.output_size() } -> std::convertible_to<int>;
  { m.output_names() } -> std::convertible_to<std::vector<std::string>>;
  m.write_output(q, row);
  m.unconstrain_into(values, x);
};

// A model the host samplers can run: both of the above.
template <class Model>
concept sampler_model = log_density_model<Model> && draw_writer<Model>;

} // namespace statix
