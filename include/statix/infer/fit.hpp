#pragma once

// The result of sampling: the model, every chain's draws and adaptation, and
// the run's settings, with typed access to the draws, the ArviZ-style summary,
// Stan's warnings and CmdStan CSV output.
//
//   auto fit = sx::sample(model, sx::nuts{.chains = 4});
//   Eigen::VectorXd mu = fit.draws<"mu">();       // scalar: one value per draw
//   Eigen::MatrixXd theta = fit.draws<"theta">(); // vector: draws x size
//   Eigen::VectorXd lp = fit.draws("lp__");       // any column by CmdStan name
//   std::cout << fit.summary();
//   fit.write_csv("out/fit.csv");                 // out/fit_1.csv, out/fit_2.csv, ...

#include <statix/base/chain_result.hpp>
#include <statix/base/fixed_string.hpp>
#include <statix/base/output_slot.hpp>
#include <statix/diagnostics/summary.hpp>
#include <statix/diagnostics/warnings.hpp>
#include <statix/io/cmdstan_csv.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace statix {

namespace detail {

// Whether a model variable is a scalar must be known at compile time to pick
// draws<Name>()'s return type. A model says so through a static constexpr
// `output_is_scalar<Name>()`, or through the static `rank` of the variable
// type its `variable<Name>()` returns.
template <class Model, fixed_string Name>
concept declares_output_is_scalar = requires {
  typename std::bool_constant<Model::template output_is_scalar<Name>()>;
};

template <class Model, fixed_string Name>
concept exposes_variable_rank = requires(const Model& m) {
  typename std::integral_constant<int,
                                  std::remove_cvref_t<decltype(m.template variable<Name>())>::rank>;
};

// Named in the compiler's message when fit.draws<"name">() (or values,
// param, ...) asks for a variable the model does not have: one error, not a
// cascade through the model's internals.
template <fixed_string Name>
struct the_model_has_no_variable_named;
template <fixed_string Name>
void report_unknown_variable() {
  the_model_has_no_variable_named<Name> missing;
  (void)missing;
}
template <class Model, fixed_string Name>
constexpr bool known_variable() {
  if constexpr (requires { Model::template index_of<Name>(); })
    return Model::template index_of<Name>() >= 0;
  else
    return true;
}

// 1: scalar, 0: vector, -1: not known at compile time.
template <class Model, fixed_string Name>
constexpr int output_scalar_kind() {
  if constexpr (declares_output_is_scalar<Model, Name>)
    return Model::template output_is_scalar<Name>() ? 1 : 0;
  else if constexpr (exposes_variable_rank<Model, Name>)
    return std::remove_cvref_t<
               decltype(std::declval<const Model&>().template variable<Name>())>::rank == 0
               ? 1
               : 0;
  else
    return -1;
}

// The typed accessor of model variable Name among `count` recorded
// quantities, shared by fits, approximations and optimisation results:
// scalar(offset) for a scalar, vector(slot) for a vector (and for a model
// that does not tell them apart at compile time). A name the model lacks is
// one compile error naming it, not a cascade through the model's internals.
template <class Model, fixed_string Name, class Scalar, class Vector>
auto select_variable(const Model& model, std::size_t count, Scalar&& scalar, Vector&& vector) {
  if constexpr (!known_variable<Model, Name>()) {
    report_unknown_variable<Name>();
    return vector(output_slot{0, 0, false});
  } else {
    const output_slot slot = model.template output_range<Name>();
    if (slot.offset < 0 || slot.size < 0 ||
        static_cast<std::size_t>(slot.offset + slot.size) > count)
      throw std::out_of_range("statix: variable \"" + std::string(Name.view()) +
                              "\" lies outside the recorded quantities");
    if constexpr (output_scalar_kind<Model, Name>() == 1)
      return scalar(slot.offset);
    else
      return vector(slot);
  }
}

} // namespace detail

template <class Model>
class fit {
public:
  fit(Model model, std::vector<chain_result> chains, run_info info)
      : model_(std::move(model)), chains_(std::move(chains)), info_(std::move(info)) {
    if (chains_.empty()) throw std::invalid_argument("statix: a fit needs at least one chain");
    const auto& columns = chains_.front().column_names;
    for (std::size_t c = 0; c < chains_.size(); ++c) {
      const chain_result& chain = chains_[c];
      if (chain.column_names != columns)
        throw std::invalid_argument("statix: chain " + std::to_string(c + 1) +
                                    " has other columns than chain 1");
      if (chain.draws.cols() != static_cast<Eigen::Index>(columns.size()))
        throw std::invalid_argument("statix: chain " + std::to_string(c + 1) + " has " +
                                    std::to_string(chain.draws.cols()) + " columns of draws for " +
                                    std::to_string(columns.size()) + " column names");
    }
    for (const auto& name : model_.output_names()) {
      const Eigen::Index index = find_column(name);
      if (index < 0)
        throw std::invalid_argument("statix: the chains have no column \"" + std::string(name) +
                                    "\" for the model quantity of that name");
      output_names_.emplace_back(name);
      output_columns_.push_back(index);
    }
  }

  const Model& model() const { return model_; }
  const std::vector<chain_result>& chains() const { return chains_; }
  const run_info& info() const { return info_; }
  int num_chains() const { return static_cast<int>(chains_.size()); }
  // Post-warm-up draws over all chains.
  Eigen::Index num_draws() const {
    Eigen::Index total = 0;
    for (const auto& chain : chains_)
      total += chain.draws.rows();
    return total;
  }
  // Every CSV column: the sampler's (lp__, ...) then the model's quantities.
  const std::vector<std::string>& column_names() const { return chains_.front().column_names; }
  // The model's recorded quantities (CmdStan names), the rows of summary().
  const std::vector<std::string>& output_names() const { return output_names_; }

  // Post-warm-up draws of model variable Name, chains concatenated in chain
  // order: Eigen::VectorXd for a scalar, Eigen::MatrixXd (draws x size) for a
  // vector. (A model that does not tell scalars from vectors at compile time
  // gets a draws x size matrix in both cases.)
  template <fixed_string Name>
  auto draws() const {
    return detail::select_variable<Model, Name>(
        model_, output_columns_.size(),
        [&](int offset) { return column_draws(output_columns_[static_cast<std::size_t>(offset)]); },
        [&](output_slot slot) {
          Eigen::MatrixXd out(num_draws(), slot.size);
          for (int j = 0; j < slot.size; ++j)
            out.col(j) = column_draws(output_columns_[static_cast<std::size_t>(slot.offset + j)]);
          return out;
        });
  }

  // Post-warm-up draws of one column by CmdStan name ("mu", "theta.1",
  // "lp__", "divergent__"; "theta[1]" is accepted too), chains concatenated.
  // Throws std::out_of_range naming the column if there is none.
  Eigen::VectorXd draws(std::string_view column) const { return column_draws(index_of(column)); }

  // Every model quantity's post-warm-up draws as one matrix (draws x
  // output_names().size(), chains concatenated), the columns in the order of
  // output_names().
  Eigen::MatrixXd draws_matrix() const {
    Eigen::MatrixXd out(num_draws(), static_cast<Eigen::Index>(output_columns_.size()));
    for (std::size_t j = 0; j < output_columns_.size(); ++j)
      out.col(static_cast<Eigen::Index>(j)) = column_draws(output_columns_[j]);
    return out;
  }

  // The same draws one column per chain (rows = draws), the layout the
  // diagnostics take: sx::rhat(fit.draws_by_chain("mu")). Chains of unequal
  // length (a stopped run) are cut to the shortest.
  Eigen::MatrixXd draws_by_chain(std::string_view column) const {
    const Eigen::Index index = index_of(column);
    Eigen::Index shortest = chains_.front().draws.rows();
    for (const auto& chain : chains_)
      shortest = std::min(shortest, chain.draws.rows());
    Eigen::MatrixXd out(shortest, num_chains());
    for (int c = 0; c < num_chains(); ++c)
      out.col(c) = chains_[static_cast<std::size_t>(c)].draws.col(index).head(shortest);
    return out;
  }

  // ArviZ-style summary of every recorded model quantity (not the sampler
  // columns): mean, sd, HDI, MCSE, bulk/tail ESS, R-hat.
  summary_table summary(double hdi_prob = 0.94) const {
    std::vector<Eigen::MatrixXd> per_chain;
    per_chain.reserve(chains_.size());
    for (const auto& chain : chains_) {
      Eigen::MatrixXd quantities(chain.draws.rows(),
                                 static_cast<Eigen::Index>(output_columns_.size()));
      for (std::size_t k = 0; k < output_columns_.size(); ++k)
        quantities.col(static_cast<Eigen::Index>(k)) = chain.draws.col(output_columns_[k]);
      per_chain.push_back(std::move(quantities));
    }
    summary_table table = summarize(output_names_, per_chain, hdi_prob);
    if (info_.precision != "double")
      table.set_note(
          "positions, momenta, gradients and log density in " +
          std::string(info_.precision == "float" ? "single precision (float)" : info_.precision) +
          "; energies and adaptation in double");
    return table;
  }

  // Divergences, tree depth saturation, low E-BFMI, high R-hat, low ESS.
  std::vector<diagnostic_warning> diagnostic_warnings() const {
    return diagnose(chains_, info_, summary());
  }
  std::vector<std::string> warnings() const { return warning_messages(diagnostic_warnings()); }

  // Post-warm-up transitions that ended with a divergence, all chains.
  long long num_divergent() const {
    long long total = 0;
    const Eigen::Index index = find_column("divergent__");
    if (index < 0) return 0;
    for (const auto& chain : chains_)
      total += (chain.draws.col(index).array() != 0.0).count();
    return total;
  }

  // CmdStan CSV files, one per chain: "dir/fit.csv" -> dir/fit_1.csv, ...; with
  // more than 64 chains one file, "dir/fit.csv", with a chain__ column.
  void write_csv(const std::filesystem::path& path,
                 std::string_view model_name = "statix_model") const {
    statix::write_csv(path, chains_, info_, model_name);
  }

  // Adapted step sizes, inverse metrics and last positions of the chains, in
  // chain order: what a warm restart passes back to the sampler.
  std::vector<double> step_sizes() const {
    std::vector<double> out;
    for (const auto& chain : chains_)
      out.push_back(chain.step_size);
    return out;
  }
  // A column per chain for a diagonal metric, a matrix for a dense or a
  // low-rank one (built here from the low-rank factors the chain keeps).
  std::vector<Eigen::MatrixXd> inv_metrics() const {
    std::vector<Eigen::MatrixXd> out;
    for (const auto& chain : chains_)
      out.push_back(inverse_metric_matrix(chain));
    return out;
  }
  std::vector<Eigen::VectorXd> last_positions() const {
    std::vector<Eigen::VectorXd> out;
    for (const auto& chain : chains_)
      out.push_back(chain.last_position);
    return out;
  }

  // Gradient evaluations of all chains, warm-up included.
  long long gradient_evaluations() const {
    long long total = 0;
    for (const auto& chain : chains_)
      total += chain.gradient_evaluations;
    return total;
  }

private:
  Eigen::Index find_column(std::string_view name) const {
    const auto& columns = chains_.front().column_names;
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i] == name) return static_cast<Eigen::Index>(i);
    return -1;
  }

  Eigen::Index index_of(std::string_view column) const {
    Eigen::Index index = find_column(column);
    if (index < 0) index = find_column(column_name(column)); // "theta[1]" -> "theta.1"
    if (index >= 0) return index;
    std::string known;
    const auto& columns = chains_.front().column_names;
    for (std::size_t i = 0; i < columns.size() && i < 20; ++i)
      known += (i > 0 ? ", " : "") + columns[i];
    if (columns.size() > 20) known += ", ...";
    throw std::out_of_range("statix: the fit has no column \"" + std::string(column) +
                            "\"; its columns are " + known);
  }

  Eigen::VectorXd column_draws(Eigen::Index index) const {
    Eigen::VectorXd out(num_draws());
    Eigen::Index offset = 0;
    for (const auto& chain : chains_) {
      out.segment(offset, chain.draws.rows()) = chain.draws.col(index);
      offset += chain.draws.rows();
    }
    return out;
  }

  Model model_;
  std::vector<chain_result> chains_;
  run_info info_;
  std::vector<std::string> output_names_;
  std::vector<Eigen::Index> output_columns_;
};

} // namespace statix
