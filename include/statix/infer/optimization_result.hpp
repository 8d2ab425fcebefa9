#pragma once

// What sx::optimize found: the mode on the constrained scale by name, the log
// density there, why L-BFGS stopped, and a CmdStan optimize CSV file.
//
//   auto opt = sx::optimize(model, sx::lbfgs{.seed = 1});
//   double mu = opt.values<"mu">();               // scalar
//   Eigen::VectorXd theta = opt.values<"theta">(); // vector
//   if (!opt.converged()) std::cerr << opt.reason() << '\n';
//   opt.write_csv("out/mode.csv");

#include <statix/base/fixed_string.hpp>
#include <statix/base/output_slot.hpp>
#include <statix/diagnostics/summary.hpp>
#include <statix/infer/fit.hpp>
#include <statix/infer/lbfgs_options.hpp>
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

// Why L-BFGS stopped; Stan's termination codes (stan/optimization/bfgs.hpp).
enum class optimization_status {
  absolute_objective, // TERM_ABSF
  relative_objective, // TERM_RELF
  absolute_gradient,  // TERM_ABSGRAD
  relative_gradient,  // TERM_RELGRAD
  absolute_parameter, // TERM_ABSX
  max_iterations,     // TERM_MAXIT
  line_search_failed, // TERM_LSFAIL
  stopped             // the caller raised the stop flag
};

inline bool is_convergence(optimization_status status) {
  return status == optimization_status::absolute_objective ||
         status == optimization_status::relative_objective ||
         status == optimization_status::absolute_gradient ||
         status == optimization_status::relative_gradient ||
         status == optimization_status::absolute_parameter;
}

inline std::string_view status_message(optimization_status status) {
  switch (status) {
  case optimization_status::absolute_objective:
    return "converged: the change in the log density fell below tol_obj";
  case optimization_status::relative_objective:
    return "converged: the relative change in the log density fell below tol_rel_obj";
  case optimization_status::absolute_gradient:
    return "converged: the norm of the gradient fell below tol_grad";
  case optimization_status::relative_gradient:
    return "converged: the relative gradient magnitude fell below tol_rel_grad";
  case optimization_status::absolute_parameter:
    return "converged: the change in the parameters fell below tol_param";
  case optimization_status::max_iterations:
    return "not converged: the maximum number of iterations (iter) was reached";
  case optimization_status::line_search_failed:
    return "not converged: the line search found no sufficient increase of the log density, "
           "even along the gradient; no more progress can be made";
  case optimization_status::stopped:
    return "not converged: stopped by the caller";
  }
  return "unknown";
}

template <class Model>
class optimization_result {
public:
  optimization_result(Model model, lbfgs options, Eigen::VectorXd unconstrained, double log_density,
                      Eigen::VectorXd gradient, optimization_status status, int iterations,
                      long long gradient_evaluations, double seconds)
      : model_(std::move(model)), options_(std::move(options)),
        unconstrained_(std::move(unconstrained)), gradient_(std::move(gradient)),
        log_density_(log_density), status_(status), iterations_(iterations),
        gradient_evaluations_(gradient_evaluations), seconds_(seconds) {
    output_names_ = model_.output_names();
    output_.resize(static_cast<Eigen::Index>(output_names_.size()));
    model_.write_output(unconstrained_, output_.data());
  }

  const Model& model() const { return model_; }
  const lbfgs& options() const { return options_; }

  // Model variable Name at the mode, constrained scale: a double for a scalar,
  // an Eigen::VectorXd for a vector (and for a model that does not tell them
  // apart at compile time).
  template <fixed_string Name>
  auto values() const {
    return detail::select_variable<Model, Name>(
        model_, static_cast<std::size_t>(output_.size()),
        [&](int offset) { return output_[offset]; },
        [&](output_slot slot) { return Eigen::VectorXd(output_.segment(slot.offset, slot.size)); });
  }

  // One recorded quantity by CmdStan name ("mu", "theta.1"; "theta[1]" too).
  double value(std::string_view column) const {
    for (std::size_t i = 0; i < output_names_.size(); ++i)
      if (output_names_[i] == column || output_names_[i] == column_name(column))
        return output_[static_cast<Eigen::Index>(i)];
    throw std::out_of_range("statix: the mode has no quantity \"" + std::string(column) + "\"");
  }

  // Every recorded quantity (free variables, then deterministics), in the
  // order of output_names().
  const Eigen::VectorXd& output() const { return output_; }
  const std::vector<std::string>& output_names() const { return output_names_; }

  // The log density at the mode, all constants included, with the Jacobian
  // when options().jacobian (the objective L-BFGS maximised). CmdStan's lp__
  // drops the constants; this keeps them.
  double log_density() const { return log_density_; }
  // Its gradient with respect to the unconstrained parameters.
  const Eigen::VectorXd& gradient() const { return gradient_; }
  const Eigen::VectorXd& unconstrained() const { return unconstrained_; }

  bool converged() const { return is_convergence(status_); }
  optimization_status status() const { return status_; }
  std::string reason() const { return std::string(status_message(status_)); }
  int iterations() const { return iterations_; }
  long long gradient_evaluations() const { return gradient_evaluations_; }
  double seconds() const { return seconds_; }

  // CmdStan's optimize output: configuration comments, the header lp__ and
  // the quantities, one row; the outcome as trailing comments.
  void write_csv(const std::filesystem::path& path,
                 std::string_view model_name = "statix_model") const {
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
    write_csv(out, model_name, path.filename().string());
    out.close();
    if (!out) throw std::runtime_error("statix: writing \"" + path.string() + "\" failed");
  }

  void write_csv(std::ostream& out, std::string_view model_name = "statix_model",
                 std::string_view file_name = "") const {
    const lbfgs defaults{};
    const auto number = [](double v) { return detail::format_csv_number(v); };
    const auto line = [&out](int level, std::string_view key, const std::string& value,
                             bool is_default) {
      out << "# " << std::string(static_cast<std::size_t>(2 * level), ' ') << key << " = " << value
          << (is_default ? " (Default)" : "") << '\n';
    };
    const auto section = [&out](int level, std::string_view name) {
      out << "# " << std::string(static_cast<std::size_t>(2 * level), ' ') << name << '\n';
    };
    const lbfgs& o = options_;
    line(0, "model", std::string(model_name), false);
    line(0, "method", "optimize", false);
    section(1, "optimize");
    line(2, "algorithm", "lbfgs", true);
    section(3, "lbfgs");
    line(4, "init_alpha", number(o.init_alpha), o.init_alpha == defaults.init_alpha);
    line(4, "tol_obj", number(o.tol_obj), o.tol_obj == defaults.tol_obj);
    line(4, "tol_rel_obj", number(o.tol_rel_obj), o.tol_rel_obj == defaults.tol_rel_obj);
    line(4, "tol_grad", number(o.tol_grad), o.tol_grad == defaults.tol_grad);
    line(4, "tol_rel_grad", number(o.tol_rel_grad), o.tol_rel_grad == defaults.tol_rel_grad);
    line(4, "tol_param", number(o.tol_param), o.tol_param == defaults.tol_param);
    line(4, "history_size", std::to_string(o.history_size),
         o.history_size == defaults.history_size);
    line(2, "jacobian", o.jacobian ? "1" : "0", o.jacobian == defaults.jacobian);
    line(2, "iter", std::to_string(o.iter), o.iter == defaults.iter);
    line(2, "save_iterations", "0", true);
    line(0, "id", "1", true);
    section(0, "random");
    line(1, "seed", std::to_string(o.seed), false);
    section(0, "output");
    line(1, "file", std::string(file_name), false);

    out << "lp__";
    for (const auto& name : output_names_)
      out << ',' << name;
    out << '\n' << number(log_density_);
    for (Eigen::Index i = 0; i < output_.size(); ++i)
      out << ',' << number(output_[i]);
    out << '\n';
    out << "# " << reason() << '\n';
    out << "# iterations = " << iterations_ << '\n';
    out << "# gradient evaluations = " << gradient_evaluations_ << '\n';
  }

private:
  Model model_;
  lbfgs options_;
  Eigen::VectorXd unconstrained_;
  Eigen::VectorXd gradient_;
  double log_density_;
  optimization_status status_;
  int iterations_;
  long long gradient_evaluations_;
  double seconds_;
  std::vector<std::string> output_names_;
  Eigen::VectorXd output_;
};

} // namespace statix
