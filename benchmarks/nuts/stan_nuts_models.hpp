#pragma once

// The benchmark models as Stan 2.21's compiler (stanc2) writes them, shared by
// the Stan peers of benchmarks/nuts (stan_nuts.cpp: NUTS) and
// benchmarks/inference (stan_inference.cpp: optimize, ADVI); the Stan
// programs are in stan_nuts.cpp's opening comment. C++14, Stan's Eigen 3.3.9:
// include only from a translation unit of a Stan peer library, after
// <stan/model/model_header.hpp>. Everything is in an unnamed namespace, so
// each including translation unit has its own gradient_counter.

#include <stan/model/model_header.hpp>

#include <limits>
#include <string>
#include <vector>

namespace statix_bench {
namespace {

using stan::math::var;
using vector_d = Eigen::Matrix<double, Eigen::Dynamic, 1>;

// Every log_prob on vars is one gradient evaluation (stan::model::gradient and
// log_prob_grad both take one reverse sweep per log_prob call). Chains run one
// after another, so a plain counter will do. log_density_counter counts every
// log_prob call, on doubles (ADVI's ELBO estimates) as well as on vars.
long long gradient_counter = 0;
long long log_density_counter = 0;
template <class T>
void count_gradient() {
  ++log_density_counter;
}
template <>
void count_gradient<var>() {
  ++gradient_counter;
  ++log_density_counter;
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

} // namespace
} // namespace statix_bench
