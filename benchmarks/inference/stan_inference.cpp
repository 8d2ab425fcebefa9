// Stan's L-BFGS and ADVI on the benchmark models: the model classes of
// benchmarks/nuts (stan_nuts_models.hpp, written as stanc2 writes them) run by
// stan::services::optimize::lbfgs and stan::services::experimental::advi::
// meanfield / fullrank with CmdStan's defaults, what the services write kept
// in memory by writer and logger callbacks. C++14, Stan's Eigen 3.3.9; see
// stan_inference.hpp.

#include "stan_inference.hpp"
#include "../nuts/stan_nuts_models.hpp"

#include <stan/callbacks/interrupt.hpp>
#include <stan/callbacks/logger.hpp>
#include <stan/callbacks/writer.hpp>
#include <stan/io/empty_var_context.hpp>
#include <stan/services/experimental/advi/fullrank.hpp>
#include <stan/services/experimental/advi/meanfield.hpp>
#include <stan/services/optimize/lbfgs.hpp>

#include <chrono>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace statix_bench {
namespace {

// Keeps the header, the numeric rows and the text messages a writer gets.
class memory_writer : public stan::callbacks::writer {
public:
  std::vector<std::string> names;
  std::vector<std::vector<double>> rows;
  std::vector<std::string> messages;
  void operator()(const std::vector<std::string>& header) override { names = header; }
  void operator()(const std::vector<double>& state) override { rows.push_back(state); }
  void operator()() override {}
  void operator()(const std::string& message) override { messages.push_back(message); }
};

// Keeps every message (L-BFGS reports its iterations through info()).
class memory_logger : public stan::callbacks::logger {
public:
  std::vector<std::string> info_messages;
  std::string last_problem;
  void info(const std::string& message) override { info_messages.push_back(message); }
  void info(const std::stringstream& message) override { info_messages.push_back(message.str()); }
  void warn(const std::string& message) override { last_problem = message; }
  void warn(const std::stringstream& message) override { last_problem = message.str(); }
  void error(const std::string& message) override { last_problem = message; }
  void error(const std::stringstream& message) override { last_problem = message.str(); }
  void fatal(const std::string& message) override { last_problem = message; }
  void fatal(const std::stringstream& message) override { last_problem = message.str(); }
};

struct inference_models {
  std::unique_ptr<radon_model> radon;
  std::unique_ptr<logistic_regression_model> logistic;
};
inference_models models;

template <class F>
auto with_model(stan_inference_model which, F f) -> decltype(f(*models.radon)) {
  if (which == stan_inference_model::radon) {
    if (!models.radon) throw std::logic_error("stan_inference: the radon data were not set");
    return f(*models.radon);
  }
  if (!models.logistic)
    throw std::logic_error("stan_inference: the logistic regression data were not set");
  return f(*models.logistic);
}

// The iteration number of L-BFGS's last progress row: "  <iter>  <log prob>
// <||dx||> <||grad||> <alpha> <alpha0> <# evals> <notes>" (printed whenever
// the run ends, whatever refresh is).
int last_lbfgs_iteration(const std::vector<std::string>& messages) {
  int iteration = 0;
  for (const std::string& message : messages) {
    std::istringstream in(message);
    int iter = 0;
    double numbers[6];
    if (!(in >> iter)) continue;
    bool row = true;
    for (double& v : numbers)
      row = row && static_cast<bool>(in >> v);
    if (row) iteration = iter;
  }
  return iteration;
}

template <class Model>
stan_inference_run run_lbfgs(Model& model, unsigned seed) {
  stan::io::empty_var_context init;
  stan::callbacks::interrupt interrupt;
  memory_logger logger;
  stan::callbacks::writer init_writer;
  memory_writer parameter_writer;
  const long long gradients_before = gradient_counter;
  const long long densities_before = log_density_counter;
  const auto start = std::chrono::steady_clock::now();
  // refresh is large so that only the first and the last progress rows are
  // formatted (the last gives the iteration count).
  const int code = stan::services::optimize::lbfgs(
      model, init, seed, /*chain=*/1u, /*init_radius=*/2.0, /*history_size=*/5,
      /*init_alpha=*/0.001, /*tol_obj=*/1e-12, /*tol_rel_obj=*/1e4, /*tol_grad=*/1e-8,
      /*tol_rel_grad=*/1e7, /*tol_param=*/1e-8, /*num_iterations=*/2000,
      /*save_iterations=*/false, /*refresh=*/1000000, interrupt, logger, init_writer,
      parameter_writer);
  stan_inference_run run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.return_code = code;
  run.gradient_evaluations = gradient_counter - gradients_before;
  run.log_density_evaluations = log_density_counter - densities_before;
  run.iterations = last_lbfgs_iteration(logger.info_messages);
  if (!logger.info_messages.empty()) run.message = logger.info_messages.back();
  const std::size_t first = run.message.find_first_not_of(' ');
  run.message = first == std::string::npos ? std::string() : run.message.substr(first);
  if (parameter_writer.rows.empty() || parameter_writer.names.empty())
    throw std::runtime_error("stan_inference: lbfgs wrote no mode (" + logger.last_problem + ")");
  const std::vector<double>& row = parameter_writer.rows.back(); // lp__, then the quantities
  run.objective = row.front();
  run.names.assign(parameter_writer.names.begin() + 1, parameter_writer.names.end());
  run.values.assign(row.begin() + 1, row.end());
  return run;
}

template <class Model>
stan_inference_run run_advi(Model& model, unsigned seed, bool fullrank, double tol_rel_obj) {
  stan::io::empty_var_context init;
  stan::callbacks::interrupt interrupt;
  memory_logger logger;
  stan::callbacks::writer init_writer;
  memory_writer parameter_writer, diagnostic_writer;
  const long long gradients_before = gradient_counter;
  const long long densities_before = log_density_counter;
  const auto start = std::chrono::steady_clock::now();
  const int code =
      fullrank ? stan::services::experimental::advi::fullrank(
                     model, init, seed, /*chain=*/1u, /*init_radius=*/2.0, /*grad_samples=*/1,
                     /*elbo_samples=*/100, /*max_iterations=*/10000, tol_rel_obj,
                     /*eta=*/1.0, /*adapt_engaged=*/true, /*adapt_iterations=*/50,
                     /*eval_elbo=*/100, /*output_samples=*/1000, interrupt, logger, init_writer,
                     parameter_writer, diagnostic_writer)
               : stan::services::experimental::advi::meanfield(
                     model, init, seed, /*chain=*/1u, /*init_radius=*/2.0, /*grad_samples=*/1,
                     /*elbo_samples=*/100, /*max_iterations=*/10000, tol_rel_obj,
                     /*eta=*/1.0, /*adapt_engaged=*/true, /*adapt_iterations=*/50,
                     /*eval_elbo=*/100, /*output_samples=*/1000, interrupt, logger, init_writer,
                     parameter_writer, diagnostic_writer);
  stan_inference_run run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.return_code = code;
  run.gradient_evaluations = gradient_counter - gradients_before;
  run.log_density_evaluations = log_density_counter - densities_before;
  // Diagnostic rows: iter, time_in_seconds, ELBO, one per eval_elbo iterations;
  // convergence is only tested there, so the last row's iter is the count.
  if (!diagnostic_writer.rows.empty()) {
    const std::vector<double>& last = diagnostic_writer.rows.back();
    run.iterations = static_cast<int>(last.at(0));
    run.objective = last.at(2);
  }
  for (const std::string& message : parameter_writer.messages)
    if (message.compare(0, 6, "eta = ") == 0) run.eta = std::stod(message.substr(6));
  if (parameter_writer.rows.empty() || parameter_writer.names.size() < 3)
    throw std::runtime_error("stan_inference: ADVI wrote no approximation (" + logger.last_problem +
                             ")");
  // The first row: 0, 0, 0, then the quantities at the mean of q.
  const std::vector<double>& mean = parameter_writer.rows.front();
  run.names.assign(parameter_writer.names.begin() + 3, parameter_writer.names.end());
  run.values.assign(mean.begin() + 3, mean.end());
  return run;
}

} // namespace

void stan_inference_set_radon_data(int groups, int rows, const int* county, const double* floor,
                                   const double* log_radon) {
  models.radon.reset(new radon_model(groups, std::vector<int>(county, county + rows),
                                     std::vector<double>(floor, floor + rows),
                                     std::vector<double>(log_radon, log_radon + rows)));
}

void stan_inference_set_logistic_regression_data(int n, int d, const double* X, const int* y) {
  models.logistic.reset(new logistic_regression_model(
      n, d, std::vector<double>(X, X + static_cast<std::size_t>(n) * d),
      std::vector<int>(y, y + n)));
}

stan_inference_run stan_run_lbfgs(stan_inference_model model, unsigned seed) {
  return with_model(model, [&](auto& m) { return run_lbfgs(m, seed); });
}

stan_inference_run stan_run_advi(stan_inference_model model, unsigned seed, bool fullrank,
                                 double tol_rel_obj) {
  return with_model(model, [&](auto& m) { return run_advi(m, seed, fullrank, tol_rel_obj); });
}

} // namespace statix_bench
