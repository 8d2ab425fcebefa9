// Stan's NUTS on the benchmark models: model classes written the way the Stan
// 2.21 compiler (stanc2) generates them -- a model_base_crtp subclass whose
// log_prob<propto, jacobian, T> reads the unconstrained parameters through
// stan::io::reader (which applies the constraints and adds log|J|), computes
// the transformed parameters and accumulates vectorised _log<propto> terms --
// run by stan::services::sample::hmc_nuts_diag_e_adapt, one chain after
// another, draws kept in memory by a writer callback. C++14, Stan's Eigen
// 3.3.9; see stan_nuts.hpp.
//
// The Stan programs:
//   eight schools (non-centred)
//     data { int J; vector[J] y; vector<lower=0>[J] sigma; }
//     parameters { real mu; real<lower=0> tau; vector[J] theta_raw; }
//     transformed parameters { vector[J] theta = mu + tau * theta_raw; }
//     model { mu ~ normal(0, 5); tau ~ cauchy(0, 5); theta_raw ~ normal(0, 1);
//             y ~ normal(theta, sigma); }
//   radon (centred varying intercepts and slopes)
//     data { int N; int J; int county[N]; vector[N] floor; vector[N] y; }
//     parameters { real mu_a; real<lower=0> sigma_a; real mu_b;
//                  real<lower=0> sigma_b; real<lower=0> sigma_y;
//                  vector[J] a; vector[J] b; }
//     model { mu_a ~ normal(0, 10); sigma_a ~ normal(0, 5); mu_b ~ normal(0, 10);
//             sigma_b ~ normal(0, 5); sigma_y ~ normal(0, 5);
//             a ~ normal(mu_a, sigma_a); b ~ normal(mu_b, sigma_b);
//             y ~ normal(a[county] + b[county] .* floor, sigma_y); }
//   logistic regression
//     data { int N; int D; matrix[N, D] X; int<lower=0, upper=1> y[N]; }
//     parameters { real alpha; vector[D] beta; }
//     model { alpha ~ normal(0, 2.5); beta ~ normal(0, 1);
//             y ~ bernoulli_logit(alpha + X * beta); }

#include "stan_nuts.hpp"
#include "stan_nuts_models.hpp"
#include "uniform_stream.hpp"

#include <stan/model/model_header.hpp>

#include <stan/callbacks/interrupt.hpp>
#include <stan/callbacks/logger.hpp>
#include <stan/callbacks/writer.hpp>
#include <stan/io/empty_var_context.hpp>
#include <stan/mcmc/hmc/nuts/adapt_diag_e_nuts.hpp>
#include <stan/mcmc/hmc/nuts/diag_e_nuts.hpp>
#include <stan/model/gradient.hpp>
#include <stan/services/sample/hmc_nuts_diag_e_adapt.hpp>
#include <stan/services/util/run_adaptive_sampler.hpp>

#include <chrono>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace statix_bench {
namespace {

// A Boost-style engine over the shared uniform stream: result_type double in
// [0, 1], so boost::uniform_01 (Stan's rand_uniform_) returns each value as is.
struct stream_engine {
  typedef double result_type;
  explicit stream_engine(uniform_stream& s) : stream(&s) {}
  static double min() { return 0.0; }
  static double max() { return 1.0; }
  double operator()() { return stream->next(); }
  uniform_stream* stream;
};

} // namespace
} // namespace statix_bench

// Stan's diag_e_metric::sample_p draws z.p(i) = N(0, 1) / sqrt(inv_e_metric(i))
// with boost::normal_distribution; with the stream engine the normals come
// from the shared stream by Box-Muller and are multiplied by
// 1 / sqrt(inv_e_metric(i)), exactly as Statix's side of the check draws its
// momenta (nuts_stan_equivalence.cpp), so that the
// two samplers start each transition from the same momentum to the bit.
// Everything else is Stan's own code.
#define STATIX_STREAM_SAMPLE_P(ModelType)                                                          \
  template <>                                                                                      \
  void diag_e_metric<statix_bench::ModelType, statix_bench::stream_engine>::sample_p(              \
      diag_e_point& z, statix_bench::stream_engine& rng) {                                         \
    const int n = static_cast<int>(z.p.size());                                                    \
    std::vector<double> normals(static_cast<std::size_t>(n));                                      \
    statix_bench::box_muller_fill(*rng.stream, normals.data(), n);                                 \
    for (int i = 0; i < n; ++i)                                                                    \
      z.p(i) = normals[static_cast<std::size_t>(i)] * (1.0 / sqrt(z.inv_e_metric_(i)));            \
  }
namespace stan {
namespace mcmc {
STATIX_STREAM_SAMPLE_P(eight_schools_model)
STATIX_STREAM_SAMPLE_P(eight_schools_centered_model)
STATIX_STREAM_SAMPLE_P(radon_model)
STATIX_STREAM_SAMPLE_P(logistic_regression_model)
STATIX_STREAM_SAMPLE_P(iid_normal_model)
} // namespace mcmc
} // namespace stan
#undef STATIX_STREAM_SAMPLE_P

namespace statix_bench {
namespace {

// ---------------------------------------------------------------------------
// Running the services.
// ---------------------------------------------------------------------------

// Keeps what the sample writer receives: the header (column names), every
// row of numbers, and the adapted inverse metric from the message that
// follows "Diagonal elements of inverse mass matrix:"; the other messages are
// dropped.
class memory_writer : public stan::callbacks::writer {
public:
  std::vector<std::string> names;
  std::vector<std::vector<double>> rows;
  std::vector<double> inv_metric;
  void operator()(const std::vector<std::string>& header) override { names = header; }
  void operator()(const std::vector<double>& state) override { rows.push_back(state); }
  void operator()() override {}
  void operator()(const std::string& message) override {
    if (metric_follows_) {
      inv_metric.clear();
      std::stringstream in(message);
      std::string item;
      while (std::getline(in, item, ','))
        inv_metric.push_back(std::stod(item));
    }
    metric_follows_ = message == "Diagonal elements of inverse mass matrix:";
  }

private:
  bool metric_follows_ = false;
};

// Logs warnings and errors only (divergences are in the draws).
class quiet_logger : public stan::callbacks::logger {
public:
  void warn(const std::string& message) override { last_message = message; }
  void warn(const std::stringstream& message) override { last_message = message.str(); }
  void error(const std::string& message) override { last_message = message; }
  void error(const std::stringstream& message) override { last_message = message.str(); }
  void fatal(const std::string& message) override { last_message = message; }
  void fatal(const std::stringstream& message) override { last_message = message.str(); }
  std::string last_message;
};

struct benchmark_models {
  std::unique_ptr<eight_schools_model> eight_schools;
  std::unique_ptr<eight_schools_centered_model> eight_schools_centered;
  std::unique_ptr<radon_model> radon;
  std::unique_ptr<logistic_regression_model> logistic;
  std::unique_ptr<iid_normal_model> iid_normal;
};
benchmark_models models;

template <class Model>
Model& require_model(const std::unique_ptr<Model>& model) {
  if (!model) throw std::logic_error("stan_nuts: the model's data were not set");
  return *model;
}

// Calls f(model) with the model object `which` names.
template <class F>
auto with_model(stan_nuts_model which, F f) -> decltype(f(*models.radon)) {
  switch (which) {
  case stan_nuts_model::eight_schools:
    return f(require_model(models.eight_schools));
  case stan_nuts_model::eight_schools_centered:
    return f(require_model(models.eight_schools_centered));
  case stan_nuts_model::radon:
    return f(require_model(models.radon));
  case stan_nuts_model::iid_normal:
    return f(require_model(models.iid_normal));
  default:
    return f(require_model(models.logistic));
  }
}

template <class Model>
stan_nuts_run run_chains(Model& model, unsigned seed, int chains, int warmup, int draws) {
  stan_nuts_run run;
  const long long gradients_before = gradient_counter;
  for (int chain = 1; chain <= chains; ++chain) {
    stan::io::empty_var_context init;
    stan::callbacks::interrupt interrupt;
    quiet_logger logger;
    stan::callbacks::writer init_writer, diagnostic_writer;
    memory_writer sample_writer;
    const auto start = std::chrono::steady_clock::now();
    const int code = stan::services::sample::hmc_nuts_diag_e_adapt(
        model, init, seed, static_cast<unsigned>(chain), /*init_radius=*/2.0, warmup, draws,
        /*num_thin=*/1, /*save_warmup=*/true, /*refresh=*/0, /*stepsize=*/1.0,
        /*stepsize_jitter=*/0.0, /*max_depth=*/10, /*delta=*/0.8, /*gamma=*/0.05,
        /*kappa=*/0.75, /*t0=*/10.0, /*init_buffer=*/75, /*term_buffer=*/50, /*window=*/25,
        interrupt, logger, init_writer, sample_writer, diagnostic_writer);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.chain_seconds.push_back(seconds);
    run.seconds += seconds;
    if (code != 0 && run.error_code == 0) run.error_code = code;
    if (run.column_names.empty()) run.column_names = sample_writer.names;
    run.inv_metrics.push_back(sample_writer.inv_metric);

    // save_warmup: the first `warmup` rows are warm-up iterations.
    const std::size_t columns = sample_writer.names.size();
    std::size_t n_leapfrog_column = columns;
    for (std::size_t k = 0; k < columns; ++k)
      if (sample_writer.names[k] == "n_leapfrog__") n_leapfrog_column = k;
    std::vector<double> chain_draws;
    chain_draws.reserve(static_cast<std::size_t>(draws) * columns);
    for (std::size_t r = 0; r < sample_writer.rows.size(); ++r) {
      const std::vector<double>& row = sample_writer.rows[r];
      if (row.size() != columns) continue;
      if (n_leapfrog_column < columns)
        run.leapfrog_steps += static_cast<long long>(row[n_leapfrog_column]);
      if (r >= static_cast<std::size_t>(warmup))
        chain_draws.insert(chain_draws.end(), row.begin(), row.end());
    }
    run.draws.push_back(std::move(chain_draws));
  }
  run.gradient_evaluations = gradient_counter - gradients_before;
  return run;
}

template <class Model>
double gradient_of(const Model& model, const double* x, double* grad) {
  const int n = static_cast<int>(model.num_params_r());
  const Eigen::VectorXd q = Eigen::Map<const Eigen::VectorXd>(x, n);
  Eigen::VectorXd g(n);
  double lp = 0;
  stan::model::gradient(model, q, lp, g);
  Eigen::Map<Eigen::VectorXd>(grad, n) = g;
  return lp;
}

} // namespace

void stan_set_eight_schools_data(int schools, const double* y, const double* sigma) {
  const std::vector<double> y_(y, y + schools), sigma_(sigma, sigma + schools);
  models.eight_schools.reset(new eight_schools_model(y_, sigma_));
  models.eight_schools_centered.reset(new eight_schools_centered_model(y_, sigma_));
}

void stan_set_radon_data(int groups, int rows, const int* county, const double* floor,
                         const double* log_radon) {
  models.radon.reset(new radon_model(groups, std::vector<int>(county, county + rows),
                                     std::vector<double>(floor, floor + rows),
                                     std::vector<double>(log_radon, log_radon + rows)));
}

void stan_set_logistic_regression_data(int n, int d, const double* X, const int* y) {
  models.logistic.reset(new logistic_regression_model(
      n, d, std::vector<double>(X, X + static_cast<std::size_t>(n) * d),
      std::vector<int>(y, y + n)));
}

void stan_set_iid_normal_data(int n, const double* scale) {
  models.iid_normal.reset(new iid_normal_model(std::vector<double>(scale, scale + n)));
}

stan_nuts_run stan_run_nuts(stan_nuts_model model, unsigned seed, int chains, int warmup,
                            int draws) {
  return with_model(model, [&](auto& m) { return run_chains(m, seed, chains, warmup, draws); });
}

double stan_log_density_gradient(stan_nuts_model model, const double* x, double* grad) {
  return with_model(model, [&](auto& m) { return gradient_of(m, x, grad); });
}

int stan_num_params(stan_nuts_model model) {
  return with_model(model, [](auto& m) { return static_cast<int>(m.num_params_r()); });
}

std::vector<std::string> stan_constrained_names(stan_nuts_model model) {
  return with_model(model, [](auto& m) {
    std::vector<std::string> names;
    m.constrained_param_names(names, true, true);
    return names;
  });
}

void stan_write_constrained(stan_nuts_model model, const double* x, double* out) {
  with_model(model, [&](auto& m) {
    std::vector<double> params(x, x + m.num_params_r()), vars;
    std::vector<int> params_i;
    boost::ecuyer1988 rng(1);
    m.write_array(rng, params, params_i, vars, true, true);
    std::copy(vars.begin(), vars.end(), out);
    return 0;
  });
}

// One transition of Stan's diag_e_nuts (base_nuts) from q, every random number
// from the stream.
stan_transition_result stan_stream_transition(stan_nuts_model model, const double* q,
                                              const double* inv_metric, double step_size,
                                              int max_depth, std::uint64_t stream_seed) {
  return with_model(model, [&](auto& m) {
    using model_type = typename std::decay<decltype(m)>::type;
    const int n = static_cast<int>(m.num_params_r());
    uniform_stream stream(stream_seed);
    stream_engine engine(stream);
    stan::mcmc::diag_e_nuts<model_type, stream_engine> sampler(m, engine);
    Eigen::VectorXd metric = Eigen::Map<const Eigen::VectorXd>(inv_metric, n);
    sampler.set_metric(metric);
    sampler.set_nominal_stepsize(step_size);
    sampler.set_max_depth(max_depth);
    quiet_logger logger;
    stan::mcmc::sample start(Eigen::Map<const Eigen::VectorXd>(q, n), 0, 0);
    const stan::mcmc::sample s = sampler.transition(start, logger);
    std::vector<double> params;
    sampler.get_sampler_params(params); // stepsize, treedepth, n_leapfrog, divergent, energy
    stan_transition_result r;
    r.q.assign(s.cont_params().data(), s.cont_params().data() + n);
    r.log_density = s.log_prob();
    r.accept_stat = s.accept_stat();
    r.tree_depth = static_cast<int>(params[1]);
    r.n_leapfrog = static_cast<int>(params[2]);
    r.divergent = params[3] != 0;
    r.energy = params[4];
    r.uniforms = stream.count();
    return r;
  });
}

// A whole chain of Stan's adapt_diag_e_nuts through the services' own
// run_adaptive_sampler (as hmc_nuts_diag_e_adapt sets it up, CmdStan's
// defaults), from `init`, every random number from the stream.
stan_stream_run stan_stream_chain(stan_nuts_model model, const double* init,
                                  std::uint64_t stream_seed, int warmup, int draws, int max_depth) {
  return with_model(model, [&](auto& m) {
    using model_type = typename std::decay<decltype(m)>::type;
    const int n = static_cast<int>(m.num_params_r());
    uniform_stream stream(stream_seed);
    stream_engine engine(stream);
    quiet_logger logger;
    stan::callbacks::interrupt interrupt;
    stan::callbacks::writer diagnostic_writer;
    memory_writer sample_writer;
    stan::mcmc::adapt_diag_e_nuts<model_type, stream_engine> sampler(m, engine);
    Eigen::VectorXd unit = Eigen::VectorXd::Ones(n);
    const double stepsize = 1.0;
    sampler.set_metric(unit);
    sampler.set_nominal_stepsize(stepsize);
    sampler.set_stepsize_jitter(0.0);
    sampler.set_max_depth(max_depth);
    sampler.get_stepsize_adaptation().set_mu(std::log(10 * stepsize));
    sampler.get_stepsize_adaptation().set_delta(0.8);
    sampler.get_stepsize_adaptation().set_gamma(0.05);
    sampler.get_stepsize_adaptation().set_kappa(0.75);
    sampler.get_stepsize_adaptation().set_t0(10);
    sampler.set_window_params(warmup, 75, 50, 25, logger);
    std::vector<double> cont_vector(init, init + n);
    stan::services::util::run_adaptive_sampler(sampler, m, cont_vector, warmup, draws, 1, 0, true,
                                               engine, interrupt, logger, sample_writer,
                                               diagnostic_writer);
    stan_stream_run r;
    r.column_names = sample_writer.names;
    r.rows = sample_writer.rows;
    r.step_size = sampler.get_nominal_stepsize();
    r.inv_metric.assign(sampler.z().inv_e_metric_.data(), sampler.z().inv_e_metric_.data() + n);
    r.last_position.assign(sampler.z().q.data(), sampler.z().q.data() + n);
    r.uniforms = stream.count();
    return r;
  });
}

} // namespace statix_bench
