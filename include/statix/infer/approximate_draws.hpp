#pragma once

// Draws from an approximation of the posterior (ADVI, Pathfinder) with the
// fit's interface: typed access by name, any column by CmdStan name, the
// summary table, the model's quantity names. The results of sx::fit_advi and
// sx::pathfinder derive from it and add their own CmdStan CSV writers.
//
// Columns: the method's own leading columns (ADVI: lp__, log_p__, log_g__;
// Pathfinder: lp_approx__, lp__), then every recorded model quantity.

#include <statix/base/fixed_string.hpp>
#include <statix/base/output_slot.hpp>
#include <statix/diagnostics/summary.hpp>
#include <statix/infer/fit.hpp>
#include <statix/io/cmdstan_csv.hpp>

#include <Eigen/Dense>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace statix {

template <class Model>
class approximate_draws {
public:
  const Model& model() const { return model_; }
  Eigen::Index num_draws() const { return draws_.rows(); }

  // Every column: the leading ones, then the model's quantities.
  const std::vector<std::string>& column_names() const { return column_names_; }
  // The model's recorded quantities (CmdStan names), the rows of summary().
  const std::vector<std::string>& output_names() const { return output_names_; }
  const std::vector<std::string>& param_names() const { return output_names_; }

  // Draws of model variable Name on the constrained scale: Eigen::VectorXd
  // for a scalar, Eigen::MatrixXd (draws x size) for a vector, as fit::draws.
  template <fixed_string Name>
  auto draws() const {
    return detail::select_variable<Model, Name>(
        model_, output_names_.size(),
        [&](int offset) { return Eigen::VectorXd(draws_.col(leading_ + offset)); },
        [&](output_slot slot) {
          return Eigen::MatrixXd(draws_.middleCols(leading_ + slot.offset, slot.size));
        });
  }

  // One column by CmdStan name ("mu", "theta.1", "theta[1]", "log_p__").
  Eigen::VectorXd draws(std::string_view column) const {
    for (std::size_t i = 0; i < column_names_.size(); ++i)
      if (column_names_[i] == column || column_names_[i] == column_name(column))
        return draws_.col(static_cast<Eigen::Index>(i));
    throw std::out_of_range("statix: the " + what_ + " draws have no column \"" +
                            std::string(column) + "\"");
  }

  // All columns, one row per draw, in the order of column_names().
  const Eigen::MatrixXd& all_draws() const { return draws_; }
  // The same draws on the unconstrained scale (draws x dim).
  const Eigen::MatrixXd& unconstrained_draws() const { return unconstrained_draws_; }

  // ArviZ-style summary of the model's quantities (one chain of independent
  // draws: ESS is about the number of draws and R-hat about 1).
  summary_table summary(double hdi_prob = 0.94) const {
    const auto n = static_cast<Eigen::Index>(output_names_.size());
    return summarize(output_names_, {Eigen::MatrixXd(draws_.rightCols(n))}, hdi_prob);
  }

protected:
  approximate_draws(Model model, std::vector<std::string> leading_columns, Eigen::MatrixXd draws,
                    Eigen::MatrixXd unconstrained_draws, std::string what)
      : model_(std::move(model)), draws_(std::move(draws)),
        unconstrained_draws_(std::move(unconstrained_draws)), what_(std::move(what)) {
    output_names_ = model_.output_names();
    leading_ = static_cast<Eigen::Index>(leading_columns.size());
    column_names_ = std::move(leading_columns);
    column_names_.insert(column_names_.end(), output_names_.begin(), output_names_.end());
    if (draws_.cols() != static_cast<Eigen::Index>(column_names_.size()))
      throw std::invalid_argument("statix: " + what_ + ": " + std::to_string(draws_.cols()) +
                                  " columns of draws for " + std::to_string(column_names_.size()) +
                                  " column names");
  }

  // Opens `path` (creating its directory), lets `write` fill it, checks it.
  template <class Write>
  static void write_file(const std::filesystem::path& path, Write&& write) {
    namespace fs = std::filesystem;
    if (path.has_parent_path()) {
      std::error_code error;
      fs::create_directories(path.parent_path(), error);
      if (error)
        throw std::runtime_error("statix: cannot create the directory \"" +
                                 path.parent_path().string() + "\": " + error.message());
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("statix: cannot open \"" + path.string() + "\" for writing");
    write(out);
    out.close();
    if (!out) throw std::runtime_error("statix: writing \"" + path.string() + "\" failed");
  }

  void write_header(std::ostream& out) const {
    for (std::size_t i = 0; i < column_names_.size(); ++i)
      out << (i > 0 ? "," : "") << column_names_[i];
    out << '\n';
  }

  Model model_;
  Eigen::MatrixXd draws_;
  Eigen::MatrixXd unconstrained_draws_;
  std::string what_;
  Eigen::Index leading_ = 0;
  std::vector<std::string> output_names_;
  std::vector<std::string> column_names_;
};

} // namespace statix
