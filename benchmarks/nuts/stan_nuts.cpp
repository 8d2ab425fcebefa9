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

using stan::math::var;
using vector_d = Eigen::Matrix<double, Eigen::Dynamic, 1>;

// Every log_prob on vars is one gradient evaluation (stan::model::gradient and
// log_prob_grad both take one reverse sweep per log_prob call). Chains run one
// after another, so a plain counter will do.
long long gradient_counter = 0;
template <class T>
void count_gradient() {}
template <>
void count_gradient<var>() {
  ++gradient_counter;
}

// stanc2 appends ".k" (1-based) to the names of vector elements.
void add_vector_names(std::vector<std::string>& names, const std::string& base, int size) {
  for (int k = 0; k < size; ++k)
    names.push_back(base + "." + std::to_string(k + 1));
}

// The Eigen entry points stanc2 generates next to the std::vector ones.
#define STATIX_STAN_EIGEN_ENTRY_POINTS                                                             \
  template <bool propto, bool jacobian, typename T_>                                               \
  T_ log_prob(Eigen::Matrix<T_, Eigen::Dynamic, 1>& params_r, std::ostream* pstream = 0) const {   \
    std::vector<T_> vec_params_r;                                                                  \
    vec_params_r.reserve(params_r.size());                                                         \
    for (int i = 0; i < params_r.size(); ++i)                                                      \
      vec_params_r.push_back(params_r(i));                                                         \
    std::vector<int> vec_params_i;                                                                 \
    return log_prob<propto, jacobian, T_>(vec_params_r, vec_params_i, pstream);                    \
  }                                                                                                \
  template <typename RNG>                                                                          \
  void write_array(RNG& base_rng, Eigen::Matrix<double, Eigen::Dynamic, 1>& params_r,              \
                   Eigen::Matrix<double, Eigen::Dynamic, 1>& vars, bool include_tparams = true,    \
                   bool include_gqs = true, std::ostream * pstream = 0) const {                    \
    std::vector<double> params_r_vec(params_r.data(), params_r.data() + params_r.size());          \
    std::vector<double> vars_vec;                                                                  \
    std::vector<int> params_i_vec;                                                                 \
    write_array(base_rng, params_r_vec, params_i_vec, vars_vec, include_tparams, include_gqs,      \
                pstream);                                                                          \
    vars.resize(vars_vec.size());                                                                  \
    for (int i = 0; i < vars.size(); ++i)                                                          \
      vars(i) = vars_vec[i];                                                                       \
  }                                                                                                \
  void transform_inits(const stan::io::var_context& context, Eigen::VectorXd& params_r,            \
                       std::ostream* pstream) const {                                              \
    std::vector<double> params_r_vec;                                                              \
    std::vector<int> params_i_vec;                                                                 \
    transform_inits(context, params_i_vec, params_r_vec, pstream);                                 \
    params_r.resize(params_r_vec.size());                                                          \
    for (int i = 0; i < params_r.size(); ++i)                                                      \
      params_r(i) = params_r_vec[i];                                                               \
  }

// ---------------------------------------------------------------------------
// Eight schools, non-centred.
// ---------------------------------------------------------------------------
class eight_schools_model : public stan::model::model_base_crtp<eight_schools_model> {
  int J;
  vector_d y, sigma;

public:
  eight_schools_model(const std::vector<double>& y_, const std::vector<double>& sigma_)
      : model_base_crtp(0), J(static_cast<int>(y_.size())) {
    y = Eigen::Map<const vector_d>(y_.data(), J);
    sigma = Eigen::Map<const vector_d>(sigma_.data(), J);
    num_params_r__ = 2 + J;
  }

  std::string model_name() const { return "eight_schools_noncentered"; }

  template <bool propto__, bool jacobian__, typename T__>
  T__ log_prob(std::vector<T__>& params_r__, std::vector<int>& params_i__,
               std::ostream* pstream__ = 0) const {
    using namespace stan::math;
    typedef T__ local_scalar_t__;
    count_gradient<T__>();
    local_scalar_t__ DUMMY_VAR__(std::numeric_limits<double>::quiet_NaN());
    T__ lp__(0.0);
    accumulator<T__> lp_accum__;
    stan::io::reader<local_scalar_t__> in__(params_r__, params_i__);

    local_scalar_t__ mu;
    if (jacobian__)
      mu = in__.scalar_constrain(lp__);
    else
      mu = in__.scalar_constrain();
    local_scalar_t__ tau;
    if (jacobian__)
      tau = in__.scalar_lb_constrain(0, lp__);
    else
      tau = in__.scalar_lb_constrain(0);
    Eigen::Matrix<local_scalar_t__, Eigen::Dynamic, 1> theta_raw;
    if (jacobian__)
      theta_raw = in__.vector_constrain(J, lp__);
    else
      theta_raw = in__.vector_constrain(J);

    // transformed parameters
    Eigen::Matrix<local_scalar_t__, Eigen::Dynamic, 1> theta(J);
    stan::math::initialize(theta, DUMMY_VAR__);
    stan::math::fill(theta, DUMMY_VAR__);
    stan::math::assign(theta, add(mu, multiply(tau, theta_raw)));
    for (int i0__ = 0; i0__ < J; ++i0__)
      if (stan::math::is_uninitialized(theta(i0__)))
        throw std::domain_error("Undefined transformed parameter: theta");

    // model
    lp_accum__.add(normal_log<propto__>(mu, 0, 5));
    lp_accum__.add(cauchy_log<propto__>(tau, 0, 5));
    lp_accum__.add(normal_log<propto__>(theta_raw, 0, 1));
    lp_accum__.add(normal_log<propto__>(y, theta, sigma));
    lp_accum__.add(lp__);
    return lp_accum__.sum();
  }

  template <typename RNG>
  void write_array(RNG& base_rng__, std::vector<double>& params_r__, std::vector<int>& params_i__,
                   std::vector<double>& vars__, bool include_tparams__ = true,
                   bool include_gqs__ = true, std::ostream* pstream__ = 0) const {
    vars__.resize(0);
    stan::io::reader<double> in__(params_r__, params_i__);
    const double mu = in__.scalar_constrain();
    const double tau = in__.scalar_lb_constrain(0);
    const vector_d theta_raw = in__.vector_constrain(J);
    vars__.push_back(mu);
    vars__.push_back(tau);
    for (int k = 0; k < J; ++k)
      vars__.push_back(theta_raw(k));
    if (!include_tparams__ && !include_gqs__) return;
    const vector_d theta = stan::math::add(mu, stan::math::multiply(tau, theta_raw));
    if (!include_tparams__) return;
    for (int k = 0; k < J; ++k)
      vars__.push_back(theta(k));
  }

  void transform_inits(const stan::io::var_context& context__, std::vector<int>& params_i__,
                       std::vector<double>& params_r__, std::ostream* pstream__) const {
    stan::io::writer<double> writer__(params_r__, params_i__);
    writer__.scalar_unconstrain(context__.vals_r("mu")[0]);
    writer__.scalar_lb_unconstrain(0, context__.vals_r("tau")[0]);
    const std::vector<double> theta_raw = context__.vals_r("theta_raw");
    writer__.vector_unconstrain(Eigen::Map<const vector_d>(theta_raw.data(), J));
    params_r__ = writer__.data_r();
    params_i__ = writer__.data_i();
  }

  void get_param_names(std::vector<std::string>& names__) const {
    names__ = {"mu", "tau", "theta_raw", "theta"};
  }
  void get_dims(std::vector<std::vector<size_t>>& dimss__) const {
    const size_t j = static_cast<size_t>(J);
    dimss__ = {{}, {}, {j}, {j}};
  }
  void constrained_param_names(std::vector<std::string>& param_names__,
                               bool include_tparams__ = true, bool include_gqs__ = true) const {
    param_names__.push_back("mu");
    param_names__.push_back("tau");
    add_vector_names(param_names__, "theta_raw", J);
    if (!include_tparams__ && !include_gqs__) return;
    if (include_tparams__) add_vector_names(param_names__, "theta", J);
  }
  void unconstrained_param_names(std::vector<std::string>& param_names__,
                                 bool include_tparams__ = true, bool include_gqs__ = true) const {
    constrained_param_names(param_names__, include_tparams__, include_gqs__);
  }

  STATIX_STAN_EIGEN_ENTRY_POINTS
};

// ---------------------------------------------------------------------------
// Radon-style centred varying intercepts and slopes.
// ---------------------------------------------------------------------------
class radon_model : public stan::model::model_base_crtp<radon_model> {
  int N, J;
  std::vector<int> county; // 1-based, as Stan data
  vector_d floor, y;

public:
  radon_model(int groups, const std::vector<int>& county0, const std::vector<double>& floor_,
              const std::vector<double>& y_)
      : model_base_crtp(0), N(static_cast<int>(county0.size())), J(groups), county(county0) {
    for (int& c : county)
      ++c;
    floor = Eigen::Map<const vector_d>(floor_.data(), N);
    y = Eigen::Map<const vector_d>(y_.data(), N);
    num_params_r__ = 5 + 2 * J;
  }

  std::string model_name() const { return "radon_varying_intercepts_slopes"; }

  template <bool propto__, bool jacobian__, typename T__>
  T__ log_prob(std::vector<T__>& params_r__, std::vector<int>& params_i__,
               std::ostream* pstream__ = 0) const {
    using namespace stan::math;
    typedef T__ local_scalar_t__;
    count_gradient<T__>();
    T__ lp__(0.0);
    accumulator<T__> lp_accum__;
    stan::io::reader<local_scalar_t__> in__(params_r__, params_i__);

    local_scalar_t__ mu_a, sigma_a, mu_b, sigma_b, sigma_y;
    Eigen::Matrix<local_scalar_t__, Eigen::Dynamic, 1> a, b;
    if (jacobian__) {
      mu_a = in__.scalar_constrain(lp__);
      sigma_a = in__.scalar_lb_constrain(0, lp__);
      mu_b = in__.scalar_constrain(lp__);
      sigma_b = in__.scalar_lb_constrain(0, lp__);
      sigma_y = in__.scalar_lb_constrain(0, lp__);
      a = in__.vector_constrain(J, lp__);
      b = in__.vector_constrain(J, lp__);
    } else {
      mu_a = in__.scalar_constrain();
      sigma_a = in__.scalar_lb_constrain(0);
      mu_b = in__.scalar_constrain();
      sigma_b = in__.scalar_lb_constrain(0);
      sigma_y = in__.scalar_lb_constrain(0);
      a = in__.vector_constrain(J);
      b = in__.vector_constrain(J);
    }

    // model
    lp_accum__.add(normal_log<propto__>(mu_a, 0, 10));
    lp_accum__.add(normal_log<propto__>(sigma_a, 0, 5));
    lp_accum__.add(normal_log<propto__>(mu_b, 0, 10));
    lp_accum__.add(normal_log<propto__>(sigma_b, 0, 5));
    lp_accum__.add(normal_log<propto__>(sigma_y, 0, 5));
    lp_accum__.add(normal_log<propto__>(a, mu_a, sigma_a));
    lp_accum__.add(normal_log<propto__>(b, mu_b, sigma_b));
    // a[county] + b[county] .* floor: multi-indexing copies the vars.
    lp_accum__.add(normal_log<propto__>(
        y,
        add(stan::model::rvalue(a,
                                stan::model::cons_list(stan::model::index_multi(county),
                                                       stan::model::nil_index_list()),
                                "a"),
            elt_multiply(
                stan::model::rvalue(b,
                                    stan::model::cons_list(stan::model::index_multi(county),
                                                           stan::model::nil_index_list()),
                                    "b"),
                floor)),
        sigma_y));
    lp_accum__.add(lp__);
    return lp_accum__.sum();
  }

  template <typename RNG>
  void write_array(RNG& base_rng__, std::vector<double>& params_r__, std::vector<int>& params_i__,
                   std::vector<double>& vars__, bool include_tparams__ = true,
                   bool include_gqs__ = true, std::ostream* pstream__ = 0) const {
    vars__.resize(0);
    stan::io::reader<double> in__(params_r__, params_i__);
    vars__.push_back(in__.scalar_constrain());
    vars__.push_back(in__.scalar_lb_constrain(0));
    vars__.push_back(in__.scalar_constrain());
    vars__.push_back(in__.scalar_lb_constrain(0));
    vars__.push_back(in__.scalar_lb_constrain(0));
    const vector_d a = in__.vector_constrain(J);
    const vector_d b = in__.vector_constrain(J);
    for (int k = 0; k < J; ++k)
      vars__.push_back(a(k));
    for (int k = 0; k < J; ++k)
      vars__.push_back(b(k));
  }

  void transform_inits(const stan::io::var_context& context__, std::vector<int>& params_i__,
                       std::vector<double>& params_r__, std::ostream* pstream__) const {
    stan::io::writer<double> writer__(params_r__, params_i__);
    writer__.scalar_unconstrain(context__.vals_r("mu_a")[0]);
    writer__.scalar_lb_unconstrain(0, context__.vals_r("sigma_a")[0]);
    writer__.scalar_unconstrain(context__.vals_r("mu_b")[0]);
    writer__.scalar_lb_unconstrain(0, context__.vals_r("sigma_b")[0]);
    writer__.scalar_lb_unconstrain(0, context__.vals_r("sigma_y")[0]);
    const std::vector<double> a = context__.vals_r("a"), b = context__.vals_r("b");
    writer__.vector_unconstrain(Eigen::Map<const vector_d>(a.data(), J));
    writer__.vector_unconstrain(Eigen::Map<const vector_d>(b.data(), J));
    params_r__ = writer__.data_r();
    params_i__ = writer__.data_i();
  }

  void get_param_names(std::vector<std::string>& names__) const {
    names__ = {"mu_a", "sigma_a", "mu_b", "sigma_b", "sigma_y", "a", "b"};
  }
  void get_dims(std::vector<std::vector<size_t>>& dimss__) const {
    const size_t j = static_cast<size_t>(J);
    dimss__ = {{}, {}, {}, {}, {}, {j}, {j}};
  }
  void constrained_param_names(std::vector<std::string>& param_names__,
                               bool include_tparams__ = true, bool include_gqs__ = true) const {
    for (const char* name : {"mu_a", "sigma_a", "mu_b", "sigma_b", "sigma_y"})
      param_names__.push_back(name);
    add_vector_names(param_names__, "a", J);
    add_vector_names(param_names__, "b", J);
  }
  void unconstrained_param_names(std::vector<std::string>& param_names__,
                                 bool include_tparams__ = true, bool include_gqs__ = true) const {
    constrained_param_names(param_names__, include_tparams__, include_gqs__);
  }

  STATIX_STAN_EIGEN_ENTRY_POINTS
};

// ---------------------------------------------------------------------------
// Logistic regression.
// ---------------------------------------------------------------------------
class logistic_regression_model : public stan::model::model_base_crtp<logistic_regression_model> {
  int N, D;
  Eigen::MatrixXd X;
  std::vector<int> y;

public:
  logistic_regression_model(int n, int d, const std::vector<double>& X_, const std::vector<int>& y_)
      : model_base_crtp(0), N(n), D(d), y(y_) {
    X = Eigen::Map<const Eigen::MatrixXd>(X_.data(), N, D);
    num_params_r__ = 1 + D;
  }

  std::string model_name() const { return "logistic_regression"; }

  template <bool propto__, bool jacobian__, typename T__>
  T__ log_prob(std::vector<T__>& params_r__, std::vector<int>& params_i__,
               std::ostream* pstream__ = 0) const {
    using namespace stan::math;
    typedef T__ local_scalar_t__;
    count_gradient<T__>();
    T__ lp__(0.0);
    accumulator<T__> lp_accum__;
    stan::io::reader<local_scalar_t__> in__(params_r__, params_i__);

    local_scalar_t__ alpha;
    Eigen::Matrix<local_scalar_t__, Eigen::Dynamic, 1> beta;
    if (jacobian__) {
      alpha = in__.scalar_constrain(lp__);
      beta = in__.vector_constrain(D, lp__);
    } else {
      alpha = in__.scalar_constrain();
      beta = in__.vector_constrain(D);
    }

    // model
    lp_accum__.add(normal_log<propto__>(alpha, 0, 2.5));
    lp_accum__.add(normal_log<propto__>(beta, 0, 1));
    lp_accum__.add(bernoulli_logit_log<propto__>(y, add(alpha, multiply(X, beta))));
    lp_accum__.add(lp__);
    return lp_accum__.sum();
  }

  template <typename RNG>
  void write_array(RNG& base_rng__, std::vector<double>& params_r__, std::vector<int>& params_i__,
                   std::vector<double>& vars__, bool include_tparams__ = true,
                   bool include_gqs__ = true, std::ostream* pstream__ = 0) const {
    vars__.resize(0);
    stan::io::reader<double> in__(params_r__, params_i__);
    vars__.push_back(in__.scalar_constrain());
    const vector_d beta = in__.vector_constrain(D);
    for (int k = 0; k < D; ++k)
      vars__.push_back(beta(k));
  }

  void transform_inits(const stan::io::var_context& context__, std::vector<int>& params_i__,
                       std::vector<double>& params_r__, std::ostream* pstream__) const {
    stan::io::writer<double> writer__(params_r__, params_i__);
    writer__.scalar_unconstrain(context__.vals_r("alpha")[0]);
    const std::vector<double> beta = context__.vals_r("beta");
    writer__.vector_unconstrain(Eigen::Map<const vector_d>(beta.data(), D));
    params_r__ = writer__.data_r();
    params_i__ = writer__.data_i();
  }

  void get_param_names(std::vector<std::string>& names__) const { names__ = {"alpha", "beta"}; }
  void get_dims(std::vector<std::vector<size_t>>& dimss__) const {
    dimss__ = {{}, {static_cast<size_t>(D)}};
  }
  void constrained_param_names(std::vector<std::string>& param_names__,
                               bool include_tparams__ = true, bool include_gqs__ = true) const {
    param_names__.push_back("alpha");
    add_vector_names(param_names__, "beta", D);
  }
  void unconstrained_param_names(std::vector<std::string>& param_names__,
                                 bool include_tparams__ = true, bool include_gqs__ = true) const {
    constrained_param_names(param_names__, include_tparams__, include_gqs__);
  }

  STATIX_STAN_EIGEN_ENTRY_POINTS
};

// ---------------------------------------------------------------------------
// Eight schools, centred: the funnel between tau and theta.
// ---------------------------------------------------------------------------
class eight_schools_centered_model
    : public stan::model::model_base_crtp<eight_schools_centered_model> {
  int J;
  vector_d y, sigma;

public:
  eight_schools_centered_model(const std::vector<double>& y_, const std::vector<double>& sigma_)
      : model_base_crtp(0), J(static_cast<int>(y_.size())) {
    y = Eigen::Map<const vector_d>(y_.data(), J);
    sigma = Eigen::Map<const vector_d>(sigma_.data(), J);
    num_params_r__ = 2 + J;
  }

  std::string model_name() const { return "eight_schools_centered"; }

  template <bool propto__, bool jacobian__, typename T__>
  T__ log_prob(std::vector<T__>& params_r__, std::vector<int>& params_i__,
               std::ostream* pstream__ = 0) const {
    using namespace stan::math;
    typedef T__ local_scalar_t__;
    count_gradient<T__>();
    T__ lp__(0.0);
    accumulator<T__> lp_accum__;
    stan::io::reader<local_scalar_t__> in__(params_r__, params_i__);

    local_scalar_t__ mu;
    if (jacobian__)
      mu = in__.scalar_constrain(lp__);
    else
      mu = in__.scalar_constrain();
    local_scalar_t__ tau;
    if (jacobian__)
      tau = in__.scalar_lb_constrain(0, lp__);
    else
      tau = in__.scalar_lb_constrain(0);
    Eigen::Matrix<local_scalar_t__, Eigen::Dynamic, 1> theta;
    if (jacobian__)
      theta = in__.vector_constrain(J, lp__);
    else
      theta = in__.vector_constrain(J);

    // model
    lp_accum__.add(normal_log<propto__>(mu, 0, 5));
    lp_accum__.add(cauchy_log<propto__>(tau, 0, 5));
    lp_accum__.add(normal_log<propto__>(theta, mu, tau));
    lp_accum__.add(normal_log<propto__>(y, theta, sigma));
    lp_accum__.add(lp__);
    return lp_accum__.sum();
  }

  template <typename RNG>
  void write_array(RNG& base_rng__, std::vector<double>& params_r__, std::vector<int>& params_i__,
                   std::vector<double>& vars__, bool include_tparams__ = true,
                   bool include_gqs__ = true, std::ostream* pstream__ = 0) const {
    vars__.resize(0);
    stan::io::reader<double> in__(params_r__, params_i__);
    vars__.push_back(in__.scalar_constrain());
    vars__.push_back(in__.scalar_lb_constrain(0));
    const vector_d theta = in__.vector_constrain(J);
    for (int k = 0; k < J; ++k)
      vars__.push_back(theta(k));
  }

  void transform_inits(const stan::io::var_context& context__, std::vector<int>& params_i__,
                       std::vector<double>& params_r__, std::ostream* pstream__) const {
    stan::io::writer<double> writer__(params_r__, params_i__);
    writer__.scalar_unconstrain(context__.vals_r("mu")[0]);
    writer__.scalar_lb_unconstrain(0, context__.vals_r("tau")[0]);
    const std::vector<double> theta = context__.vals_r("theta");
    writer__.vector_unconstrain(Eigen::Map<const vector_d>(theta.data(), J));
    params_r__ = writer__.data_r();
    params_i__ = writer__.data_i();
  }

  void get_param_names(std::vector<std::string>& names__) const {
    names__ = {"mu", "tau", "theta"};
  }
  void get_dims(std::vector<std::vector<size_t>>& dimss__) const {
    dimss__ = {{}, {}, {static_cast<size_t>(J)}};
  }
  void constrained_param_names(std::vector<std::string>& param_names__,
                               bool include_tparams__ = true, bool include_gqs__ = true) const {
    param_names__.push_back("mu");
    param_names__.push_back("tau");
    add_vector_names(param_names__, "theta", J);
  }
  void unconstrained_param_names(std::vector<std::string>& param_names__,
                                 bool include_tparams__ = true, bool include_gqs__ = true) const {
    constrained_param_names(param_names__, include_tparams__, include_gqs__);
  }

  STATIX_STAN_EIGEN_ENTRY_POINTS
};

// ---------------------------------------------------------------------------
// Independent normals x ~ normal(0, scale): for the equivalence check, where
// the leapfrog map is linear and rounding differences do not grow.
// ---------------------------------------------------------------------------
class iid_normal_model : public stan::model::model_base_crtp<iid_normal_model> {
  int N;
  vector_d scale;

public:
  explicit iid_normal_model(const std::vector<double>& scale_)
      : model_base_crtp(0), N(static_cast<int>(scale_.size())) {
    scale = Eigen::Map<const vector_d>(scale_.data(), N);
    num_params_r__ = N;
  }

  std::string model_name() const { return "iid_normal"; }

  template <bool propto__, bool jacobian__, typename T__>
  T__ log_prob(std::vector<T__>& params_r__, std::vector<int>& params_i__,
               std::ostream* pstream__ = 0) const {
    using namespace stan::math;
    typedef T__ local_scalar_t__;
    count_gradient<T__>();
    T__ lp__(0.0);
    accumulator<T__> lp_accum__;
    stan::io::reader<local_scalar_t__> in__(params_r__, params_i__);
    Eigen::Matrix<local_scalar_t__, Eigen::Dynamic, 1> x;
    if (jacobian__)
      x = in__.vector_constrain(N, lp__);
    else
      x = in__.vector_constrain(N);
    lp_accum__.add(normal_log<propto__>(x, 0, scale));
    lp_accum__.add(lp__);
    return lp_accum__.sum();
  }

  template <typename RNG>
  void write_array(RNG& base_rng__, std::vector<double>& params_r__, std::vector<int>& params_i__,
                   std::vector<double>& vars__, bool include_tparams__ = true,
                   bool include_gqs__ = true, std::ostream* pstream__ = 0) const {
    vars__.assign(params_r__.begin(), params_r__.begin() + N);
  }

  void transform_inits(const stan::io::var_context& context__, std::vector<int>& params_i__,
                       std::vector<double>& params_r__, std::ostream* pstream__) const {
    params_r__ = context__.vals_r("x");
  }

  void get_param_names(std::vector<std::string>& names__) const { names__ = {"x"}; }
  void get_dims(std::vector<std::vector<size_t>>& dimss__) const {
    dimss__ = {{static_cast<size_t>(N)}};
  }
  void constrained_param_names(std::vector<std::string>& param_names__,
                               bool include_tparams__ = true, bool include_gqs__ = true) const {
    add_vector_names(param_names__, "x", N);
  }
  void unconstrained_param_names(std::vector<std::string>& param_names__,
                                 bool include_tparams__ = true, bool include_gqs__ = true) const {
    constrained_param_names(param_names__, include_tparams__, include_gqs__);
  }

  STATIX_STAN_EIGEN_ENTRY_POINTS
};

#undef STATIX_STAN_EIGEN_ENTRY_POINTS

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
// 1 / sqrt(inv_e_metric(i)), exactly as Statix draws its momenta, so that the
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
