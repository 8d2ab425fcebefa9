#pragma once

// Predictive draws, as PyMC's sample_prior_predictive and
// sample_posterior_predictive:
//
//   auto prior = sx::sample_prior_predictive(model, 1000, /*seed*/ 1);
//   auto ppc = sx::sample_posterior_predictive(model, fit, /*seed*/ 1);
//   Eigen::MatrixXd y_rep = ppc.draws<"y">();   // draws x observations
//
// Prior predictive: each draw takes every free variable from its family at
// its parents' drawn values (in dependency order), then every observed
// variable's data from its family at those values. Posterior predictive:
// for each draw of a fit (any result with the fit's columns: sx::sample,
// sx::laplace, sx::fit_advi, ...) the observed variables' data are drawn at
// that draw's values. Each draw has its own Philox stream, keyed by (seed,
// draw), so the result does not depend on how draws are split up.

#include <statix/base/fixed_string.hpp>
#include <statix/core/pointwise_terms.hpp>
#include <statix/math/philox.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace statix {

// Draws, one row each, under CmdStan column names ("mu", "y.1", ...).
class predictive_draws {
public:
  predictive_draws(std::vector<std::string> names, Eigen::MatrixXd values)
      : names_(std::move(names)), values_(std::move(values)) {}

  const std::vector<std::string>& column_names() const { return names_; }
  const Eigen::MatrixXd& all_draws() const { return values_; }
  Eigen::Index num_draws() const { return values_.rows(); }

  // One column by name ("y.3", or "mu").
  Eigen::VectorXd draws(std::string_view column) const {
    for (std::size_t j = 0; j < names_.size(); ++j)
      if (names_[j] == column) return values_.col(static_cast<Eigen::Index>(j));
    throw std::out_of_range("statix: the predictive draws have no column \"" + std::string(column) +
                            "\"");
  }
  // Every column of variable Name (draws x its size).
  template <fixed_string Name>
  Eigen::MatrixXd draws() const {
    const std::string name(Name.view()), prefix = name + ".";
    std::vector<Eigen::Index> columns;
    for (std::size_t j = 0; j < names_.size(); ++j)
      if (names_[j] == name || names_[j].compare(0, prefix.size(), prefix) == 0)
        columns.push_back(static_cast<Eigen::Index>(j));
    if (columns.empty())
      throw std::out_of_range("statix: the predictive draws have no variable \"" + name + "\"");
    Eigen::MatrixXd out(values_.rows(), static_cast<Eigen::Index>(columns.size()));
    for (std::size_t k = 0; k < columns.size(); ++k)
      out.col(static_cast<Eigen::Index>(k)) = values_.col(columns[k]);
    return out;
  }

private:
  std::vector<std::string> names_;
  Eigen::MatrixXd values_;
};

namespace detail {
template <class Model>
std::vector<std::string> observed_column_names(const Model& model) {
  std::vector<std::string> names;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(model.dim());
  model.for_each_variable([&](const auto& v) {
    using V = std::remove_cvref_t<decltype(v)>;
    if constexpr (V::kind == variable_kind::observed) {
      const std::string name(V::name.view());
      if (V::rank == 0)
        names.push_back(name);
      else
        for (int i = 0; i < v.size(); ++i)
          names.push_back(name + "." + std::to_string(i + 1));
    }
  });
  return names;
}

// Each draw of a fit (any result with draws("name") of the model's
// quantities) on the unconstrained scale, draws x dim: the free variables'
// constrained values are the first num_constrained quantities.
template <class Model, class Fit>
Eigen::MatrixXd unconstrained_draws(const Model& model, const Fit& fit) {
  const auto outputs = model.output_names();
  const int free = model.num_constrained();
  std::vector<Eigen::VectorXd> columns;
  for (int j = 0; j < free; ++j)
    columns.push_back(fit.draws(outputs[static_cast<std::size_t>(j)]));
  const Eigen::Index draws = free > 0 ? columns.front().size() : fit.num_draws();
  Eigen::MatrixXd points(draws, model.dim());
  Eigen::VectorXd constrained(free);
  for (Eigen::Index s = 0; s < draws; ++s) {
    for (int j = 0; j < free; ++j)
      constrained[j] = columns[static_cast<std::size_t>(j)][s];
    points.row(s) = model.param_unconstrain(constrained).transpose();
  }
  return points;
}

// The observed variables' data drawn at unconstrained point x, into row.
template <class Model, class Rng>
void draw_observed(const Model& model, const Eigen::VectorXd& x, Rng& rng, double* row) {
  int k = 0;
  model.visit_observed(x, [&](const auto& v, eval_context<double>& ctx) {
    draw_elements(v, ctx, rng, row + k);
    k += v.size();
  });
}
} // namespace detail

template <class Model>
predictive_draws sample_prior_predictive(const Model& model, int draws, std::uint64_t seed = 1) {
  if (draws < 1)
    throw std::invalid_argument("statix: sample_prior_predictive: draws must be at least 1, got " +
                                std::to_string(draws));
  std::vector<std::string> names = model.output_names();
  const auto observed = detail::observed_column_names(model);
  const int outputs = static_cast<int>(names.size());
  names.insert(names.end(), observed.begin(), observed.end());
  Eigen::MatrixXd values(draws, static_cast<Eigen::Index>(names.size()));
  std::vector<double> row(names.size());
  for (int s = 0; s < draws; ++s) {
    random::philox rng(seed, static_cast<std::uint64_t>(s));
    const Eigen::VectorXd x = model.param_unconstrain(model.draw_from_prior(rng));
    model.write_output(x, row.data());
    detail::draw_observed(model, x, rng, row.data() + outputs);
    for (std::size_t j = 0; j < row.size(); ++j)
      values(s, static_cast<Eigen::Index>(j)) = row[j];
  }
  return predictive_draws(std::move(names), std::move(values));
}

template <class Model, class Fit>
predictive_draws sample_posterior_predictive(const Model& model, const Fit& fit,
                                             std::uint64_t seed = 1) {
  const Eigen::MatrixXd points = detail::unconstrained_draws(model, fit);
  std::vector<std::string> names = detail::observed_column_names(model);
  Eigen::MatrixXd values(points.rows(), static_cast<Eigen::Index>(names.size()));
  std::vector<double> row(names.size());
  for (Eigen::Index s = 0; s < points.rows(); ++s) {
    random::philox rng(seed, static_cast<std::uint64_t>(s));
    detail::draw_observed(model, points.row(s).transpose(), rng, row.data());
    for (std::size_t j = 0; j < row.size(); ++j)
      values(s, static_cast<Eigen::Index>(j)) = row[j];
  }
  return predictive_draws(std::move(names), std::move(values));
}

} // namespace statix
