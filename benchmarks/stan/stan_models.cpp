// The benchmark models written with Stan Math 3.0 (Stan 2.21) the way a Stan
// program compiles: unconstrained parameters read into vars, positive
// parameters through lb_constrain (which adds log|J| to lp), vectorised
// `_lpdf<propto = true>` calls, and the gradient taken as
// stan::model::log_prob_grad does it (one reverse sweep, then
// recover_memory). C++14, Stan's own Eigen 3.3.9; see stan_models.hpp.
//
// The Stan programs:
//   eight schools (non-centred)
//     parameters { real mu; real<lower=0> tau; vector[J] theta_raw; }
//     transformed parameters { vector[J] theta = mu + tau * theta_raw; }
//     model { mu ~ normal(0, 5); tau ~ cauchy(0, 5); theta_raw ~ normal(0, 1);
//             y ~ normal(theta, sigma); }
//   logistic regression
//     parameters { real alpha; vector[D] beta; }
//     model { alpha ~ normal(0, 2.5); beta ~ normal(0, 1);
//             y ~ bernoulli_logit(alpha + X * beta); }       // or
//             y ~ bernoulli_logit_glm(X, alpha, beta);
//   radon
//     parameters { real mu_a; real<lower=0> sigma_a; real mu_b;
//                  real<lower=0> sigma_b; real<lower=0> sigma_y;
//                  vector[J] a; vector[J] b; }
//     model { mu_a ~ normal(0, 10); sigma_a ~ normal(0, 5); mu_b ~ normal(0, 10);
//             sigma_b ~ normal(0, 5); sigma_y ~ normal(0, 5);
//             a ~ normal(mu_a, sigma_a); b ~ normal(mu_b, sigma_b);
//             y ~ normal(a[county] + b[county] .* floor, sigma_y); }

#include "stan_models.hpp"

#include <stan/math.hpp>

#include <vector>

namespace statix_bench {
namespace {

using stan::math::var;
template <class T>
using vector_t = Eigen::Matrix<T, Eigen::Dynamic, 1>;

// The unconstrained parameters as a Stan model reads them (in__.vector()).
template <class T>
vector_t<T> segment(const std::vector<T>& x, int start, int size) {
  vector_t<T> v(size);
  for (int i = 0; i < size; ++i)
    v[i] = x[start + i];
  return v;
}

struct eight_schools_model {
  Eigen::VectorXd y, sigma;

  template <class T>
  T log_prob(const std::vector<T>& x) const {
    const int schools = static_cast<int>(y.size());
    T lp(0.0);
    const T mu = x[0];
    const T tau = stan::math::lb_constrain(x[1], 0.0, lp);
    const vector_t<T> theta_raw = segment(x, 2, schools);
    const vector_t<T> theta = stan::math::add(mu, stan::math::multiply(tau, theta_raw));
    lp += stan::math::normal_lpdf<true>(mu, 0.0, 5.0);
    lp += stan::math::cauchy_lpdf<true>(tau, 0.0, 5.0);
    lp += stan::math::normal_lpdf<true>(theta_raw, 0.0, 1.0);
    lp += stan::math::normal_lpdf<true>(y, theta, sigma);
    return lp;
  }
};

struct logistic_regression_model {
  Eigen::MatrixXd X;
  std::vector<int> y;
  bool glm = false;

  template <class T>
  T log_prob(const std::vector<T>& x) const {
    T lp(0.0);
    const T alpha = x[0];
    const vector_t<T> beta = segment(x, 1, static_cast<int>(X.cols()));
    lp += stan::math::normal_lpdf<true>(alpha, 0.0, 2.5);
    lp += stan::math::normal_lpdf<true>(beta, 0.0, 1.0);
    if (glm)
      lp += stan::math::bernoulli_logit_glm_lpmf<true>(y, X, alpha, beta);
    else
      lp += stan::math::bernoulli_logit_lpmf<true>(
          y, stan::math::add(alpha, stan::math::multiply(X, beta)));
    return lp;
  }
};

struct radon_model {
  int groups = 0;
  std::vector<int> county; // 0-based
  Eigen::VectorXd floor, log_radon;

  template <class T>
  T log_prob(const std::vector<T>& x) const {
    const int rows = static_cast<int>(county.size());
    T lp(0.0);
    const T mu_a = x[0];
    const T sigma_a = stan::math::lb_constrain(x[1], 0.0, lp);
    const T mu_b = x[2];
    const T sigma_b = stan::math::lb_constrain(x[3], 0.0, lp);
    const T sigma_y = stan::math::lb_constrain(x[4], 0.0, lp);
    const vector_t<T> a = segment(x, 5, groups);
    const vector_t<T> b = segment(x, 5 + groups, groups);
    lp += stan::math::normal_lpdf<true>(mu_a, 0.0, 10.0);
    lp += stan::math::normal_lpdf<true>(sigma_a, 0.0, 5.0);
    lp += stan::math::normal_lpdf<true>(mu_b, 0.0, 10.0);
    lp += stan::math::normal_lpdf<true>(sigma_b, 0.0, 5.0);
    lp += stan::math::normal_lpdf<true>(sigma_y, 0.0, 5.0);
    lp += stan::math::normal_lpdf<true>(a, mu_a, sigma_a);
    lp += stan::math::normal_lpdf<true>(b, mu_b, sigma_b);
    // a[county] and b[county]: multi-indexing copies the vars, no new nodes.
    vector_t<T> a_county(rows), b_county(rows);
    for (int i = 0; i < rows; ++i) {
      a_county[i] = a[county[i]];
      b_county[i] = b[county[i]];
    }
    lp += stan::math::normal_lpdf<true>(
        log_radon, stan::math::add(a_county, stan::math::elt_multiply(b_county, floor)), sigma_y);
    return lp;
  }
};

// stan::model::log_prob_grad<true, true> on a model object: vars for the
// parameters, one reverse sweep, the adjoints, then the arena is freed.
template <class Model>
double log_prob_grad(const Model& model, int dim, const double* x, double* grad) {
  double lp = 0;
  try {
    std::vector<var> params(x, x + dim);
    var lp_var = model.log_prob(params);
    lp = lp_var.val();
    stan::math::grad(lp_var.vi_);
    for (int i = 0; i < dim; ++i)
      grad[i] = params[i].adj();
  } catch (...) {
    stan::math::recover_memory();
    throw;
  }
  stan::math::recover_memory();
  return lp;
}

eight_schools_model eight_schools;
logistic_regression_model logistic, logistic_glm;
radon_model radon;

} // namespace

void stan_set_eight_schools_data(int schools, const double* y, const double* sigma) {
  eight_schools.y = Eigen::Map<const Eigen::VectorXd>(y, schools);
  eight_schools.sigma = Eigen::Map<const Eigen::VectorXd>(sigma, schools);
}

double stan_eight_schools_gradient(const double* x, double* grad) {
  return log_prob_grad(eight_schools, 2 + static_cast<int>(eight_schools.y.size()), x, grad);
}

void stan_set_logistic_regression_data(int n, int d, const double* X, const int* y) {
  logistic.X = Eigen::Map<const Eigen::MatrixXd>(X, n, d);
  logistic.y.assign(y, y + n);
  logistic.glm = false;
  logistic_glm = logistic;
  logistic_glm.glm = true;
}

double stan_logistic_regression_gradient(const double* x, double* grad) {
  return log_prob_grad(logistic, 1 + static_cast<int>(logistic.X.cols()), x, grad);
}

double stan_logistic_regression_glm_gradient(const double* x, double* grad) {
  return log_prob_grad(logistic_glm, 1 + static_cast<int>(logistic_glm.X.cols()), x, grad);
}

void stan_set_radon_data(int groups, int rows, const int* county, const double* floor,
                         const double* log_radon) {
  radon.groups = groups;
  radon.county.assign(county, county + rows);
  radon.floor = Eigen::Map<const Eigen::VectorXd>(floor, rows);
  radon.log_radon = Eigen::Map<const Eigen::VectorXd>(log_radon, rows);
}

double stan_radon_gradient(const double* x, double* grad) {
  return log_prob_grad(radon, 5 + 2 * radon.groups, x, grad);
}

} // namespace statix_bench
