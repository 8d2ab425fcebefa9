#pragma once

// Draws from the Laplace (normal) approximation at a mode, as Stan's
// laplace_sample (stan/services/optimize/laplace_sample.hpp; CmdStan guide,
// "Laplace sampling"):
//
//   auto opt = sx::optimize(model, sx::lbfgs{.seed = 1, .jacobian = true});
//   auto lap = sx::laplace(model, opt, {.draws = 1000, .seed = 1});
//   Eigen::VectorXd mu = lap.draws<"mu">();
//   std::cout << lap.summary();
//   lap.write_csv("out/laplace.csv");
//
// On the unconstrained scale the approximation is N(x̂, (-H)^-1), H the
// Hessian at the mode x̂ of the log density with the Jacobian (`.jacobian =
// true`, Stan's default; false: without it). Statix computes H exactly
// (forward over reverse mode) where Stan uses finite differences. Each draw
// x = x̂ + L'^-1 z, z ~ N(0, I), L L' = -H, is mapped to the constrained
// scale. Columns as CmdStan's: log_p__, the log density at the draw (with the
// Jacobian when `.jacobian`), and log_g__, the log density of the normal
// approximation there; then the model's quantities. Unlike Stan, both keep
// their normalising constants, so for an exactly Gaussian posterior
// log_p__ - log_g__ is the log normalising constant of the model at every
// draw; importance weights exp(log_p__ - log_g__) are the same up to a factor.
//
// The mode should be the one of the same density (Stan's advice): given
// sx::optimize's result found with the other `.jacobian`, laplace moves it
// there first (see below); an unconstrained vector is used as given.

#include <statix/base/density_options.hpp>
#include <statix/base/fixed_string.hpp>
#include <statix/base/output_slot.hpp>
#include <statix/diagnostics/summary.hpp>
#include <statix/infer/approximate_draws.hpp>
#include <statix/infer/fit.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/optimization_result.hpp>
#include <statix/infer/optimize.hpp> // the mode comes from sx::optimize; this header brings both
#include <statix/io/cmdstan_csv.hpp>
#include <statix/math/philox.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace statix {

// Members in the order of the documented form {.draws, .seed}; new ones after.
struct laplace_options {
  int draws = 1000;
  std::uint64_t seed = 1;
  bool jacobian = true; // the Hessian (and log_p__) of the density with the Jacobian
};

template <class Model>
class laplace_result : public approximate_draws<Model> {
public:
  laplace_result(Model model, laplace_options options, Eigen::VectorXd mode,
                 Eigen::MatrixXd negative_hessian, Eigen::MatrixXd draws,
                 Eigen::MatrixXd unconstrained_draws)
      : approximate_draws<Model>(std::move(model), {"log_p__", "log_g__"}, std::move(draws),
                                 std::move(unconstrained_draws), "Laplace"),
        options_(options), mode_(std::move(mode)), negative_hessian_(std::move(negative_hessian)) {}

  const laplace_options& options() const { return options_; }
  Eigen::VectorXd log_p() const { return this->draws_.col(0); }
  Eigen::VectorXd log_g() const { return this->draws_.col(1); }

  // The centre and the precision -H of the approximation, unconstrained scale.
  const Eigen::VectorXd& mode() const { return mode_; }
  const Eigen::MatrixXd& negative_hessian() const { return negative_hessian_; }
  Eigen::MatrixXd covariance() const {
    return negative_hessian_.llt().solve(
        Eigen::MatrixXd::Identity(negative_hessian_.rows(), negative_hessian_.cols()));
  }

  // One CmdStan CSV file at `path` as CmdStan's laplace method writes it.
  void write_csv(const std::filesystem::path& path,
                 std::string_view model_name = "statix_model") const {
    this->write_file(
        path, [&](std::ostream& out) { write_csv(out, model_name, path.filename().string()); });
  }

  void write_csv(std::ostream& out, std::string_view model_name = "statix_model",
                 std::string_view file_name = "") const {
    out << "# model = " << model_name << '\n';
    out << "# method = laplace\n";
    out << "#   laplace\n";
    out << "#     jacobian = " << (options_.jacobian ? 1 : 0)
        << (options_.jacobian ? " (Default)" : "") << '\n';
    out << "#     draws = " << options_.draws << (options_.draws == 1000 ? " (Default)" : "")
        << '\n';
    out << "# id = 1 (Default)\n";
    out << "# random\n";
    out << "#   seed = " << options_.seed << '\n';
    out << "# output\n";
    out << "#   file = " << file_name << '\n';
    this->write_header(out);
    detail::write_rows(out, this->draws_);
  }

private:
  laplace_options options_;
  Eigen::VectorXd mode_;
  Eigen::MatrixXd negative_hessian_;
};

// From an unconstrained mode (e.g. optimization_result::unconstrained()).
template <class Model>
laplace_result<Model> laplace(const Model& model, const Eigen::VectorXd& mode,
                              const laplace_options& options = {}) {
  if (options.draws < 1)
    throw std::invalid_argument("statix: laplace: draws must be at least 1, got " +
                                std::to_string(options.draws));
  const int d = model.dim();
  if (mode.size() != d)
    throw std::invalid_argument("statix: laplace: the mode has " + std::to_string(mode.size()) +
                                " values, the model has " + std::to_string(d) +
                                " unconstrained dimensions");
  const density_options density{.jacobian = options.jacobian, .propto = false};

  Eigen::VectorXd gradient(d);
  Eigen::MatrixXd hessian(d, d);
  const double log_density_at_mode = model.log_density_hessian(mode, gradient, hessian, density);
  if (!std::isfinite(log_density_at_mode) || !hessian.allFinite())
    throw std::runtime_error("statix: laplace: the log density or its Hessian is not finite at "
                             "the mode");
  Eigen::MatrixXd precision = -0.5 * (hessian + hessian.transpose());
  const Eigen::LLT<Eigen::MatrixXd> llt(precision);
  if (llt.info() != Eigen::Success || (llt.matrixLLT().diagonal().array() <= 0).any())
    throw std::runtime_error(
        "statix: laplace: the Hessian of the log density at the mode is not negative definite, "
        "so there is no normal approximation: the point is not a strict local maximum (run "
        "sx::optimize to convergence, with .jacobian = " +
        std::string(options.jacobian ? "true" : "false") +
        " as here) or the posterior is flat or improper in some direction");
  const Eigen::MatrixXd lower = llt.matrixL();
  // log N(x | x̂, P^-1) = -d/2 log 2 pi + log det L - z'z / 2 with L'(x - x̂) = z.
  const double log_normaliser =
      -0.5 * d * std::log(2.0 * math::pi) + lower.diagonal().array().log().sum();

  const int columns = 2 + static_cast<int>(model.output_names().size());
  Eigen::MatrixXd draws(options.draws, columns);
  Eigen::MatrixXd unconstrained(options.draws, d);
  random::philox rng(options.seed, 0);
  Eigen::VectorXd z(d), x(d);
  std::vector<double> row(static_cast<std::size_t>(columns - 2));
  for (int m = 0; m < options.draws; ++m) {
    fill_std_normal(z, rng);
    // x = x̂ + L'^-1 z has covariance (L L')^-1 = P^-1.
    x = lower.transpose().triangularView<Eigen::Upper>().solve(z);
    x += mode;
    unconstrained.row(m) = x.transpose();
    draws(m, 0) = model.log_density(x, density);
    draws(m, 1) = log_normaliser - 0.5 * z.squaredNorm();
    model.write_output(x, row.data());
    for (int j = 0; j + 2 < columns; ++j)
      draws(m, 2 + j) = row[static_cast<std::size_t>(j)];
  }
  return laplace_result<Model>(model, options, mode, std::move(precision), std::move(draws),
                               std::move(unconstrained));
}

// From sx::optimize's result. A mode of the other density (sx::optimize's
// default `.jacobian = false` with laplace's default `.jacobian = true`) is
// first moved to the mode of this one by L-BFGS from there, with the same
// options: the approximation is centred where its Hessian is taken, as
// cmdstanr's laplace() does by optimising with the same `jacobian`.
template <class Model>
laplace_result<Model> laplace(const Model& model, const optimization_result<Model>& mode,
                              const laplace_options& options = {}) {
  if (mode.options().jacobian == options.jacobian)
    return laplace(model, mode.unconstrained(), options);
  lbfgs refine = mode.options();
  refine.jacobian = options.jacobian;
  refine.init_position = mode.unconstrained();
  return laplace(model, optimize(model, refine).unconstrained(), options);
}

} // namespace statix
