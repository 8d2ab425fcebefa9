// The matrix benchmark models written with Stan Math 3.0 (Stan 2.21) the way
// stanc compiles them (see stan_models.cpp for the conventions): positive
// parameters through lb_constrain, the correlation factor through
// cholesky_corr_constrain, `_lpdf<propto = true>` calls, one reverse sweep
// then recover_memory. C++14, Stan's own Eigen 3.3.9; see stan_matrix_models.hpp.
//
// The Stan programs:
//   GP Poisson regression
//     data { int N; array[N] real x; array[N] int k; }
//     parameters { real<lower=0> rho; real<lower=0> alpha; vector[N] f_tilde; }
//     model {
//       matrix[N, N] L = cholesky_decompose(add_diag(gp_exp_quad_cov(x, alpha, rho), 1e-10));
//       vector[N] f = L * f_tilde;
//       rho ~ gamma(25, 4); alpha ~ normal(0, 2); f_tilde ~ normal(0, 1);
//       k ~ poisson_log(f);
//     }
//   LKJ + multi-normal
//     data { int N; int K; array[N] vector[K] Y; }
//     parameters { cholesky_factor_corr[K] L_Omega; vector<lower=0>[K] tau; vector[K] mu; }
//     model {
//       L_Omega ~ lkj_corr_cholesky(2); tau ~ cauchy(0, 2.5); mu ~ normal(0, 5);
//       Y ~ multi_normal_cholesky(mu, diag_pre_multiply(tau, L_Omega));
//     }

#include "stan_matrix_models.hpp"

#include <stan/math.hpp>

#include <vector>

namespace statix_bench {
namespace {

using stan::math::var;
template <class T>
using vector_t = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <class T>
using matrix_t = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

template <class T>
vector_t<T> segment(const std::vector<T>& x, int start, int size) {
  vector_t<T> v(size);
  for (int i = 0; i < size; ++i)
    v[i] = x[start + i];
  return v;
}

struct gp_poisson_model {
  std::vector<double> x;
  std::vector<int> k;

  int dim() const { return 2 + static_cast<int>(x.size()); }

  template <class T>
  T log_prob(const std::vector<T>& params) const {
    const int n = static_cast<int>(x.size());
    T lp(0.0);
    const T rho = stan::math::lb_constrain(params[0], 0.0, lp);
    const T alpha = stan::math::lb_constrain(params[1], 0.0, lp);
    const vector_t<T> f_tilde = segment(params, 2, n);
    const matrix_t<T> L_K = stan::math::cholesky_decompose(
        stan::math::add_diag(stan::math::gp_exp_quad_cov(x, alpha, rho), 1e-10));
    const vector_t<T> f = stan::math::multiply(L_K, f_tilde);
    lp += stan::math::gamma_lpdf<true>(rho, 25.0, 4.0);
    lp += stan::math::normal_lpdf<true>(alpha, 0.0, 2.0);
    lp += stan::math::normal_lpdf<true>(f_tilde, 0.0, 1.0);
    lp += stan::math::poisson_log_lpmf<true>(k, f);
    return lp;
  }
};

struct lkj_multi_normal_model {
  int K = 0;
  std::vector<Eigen::VectorXd> Y; // the rows

  int dim() const { return K * (K - 1) / 2 + 2 * K; }

  template <class T>
  T log_prob(const std::vector<T>& params) const {
    const int free = K * (K - 1) / 2;
    T lp(0.0);
    const matrix_t<T> L_Omega =
        stan::math::cholesky_corr_constrain(segment(params, 0, free), K, lp);
    vector_t<T> tau(K);
    for (int i = 0; i < K; ++i) // stanc's vector_lb_constrain: element by element
      tau[i] = stan::math::lb_constrain(params[free + i], 0.0, lp);
    const vector_t<T> mu = segment(params, free + K, K);
    lp += stan::math::lkj_corr_cholesky_lpdf<true>(L_Omega, 2.0);
    lp += stan::math::cauchy_lpdf<true>(tau, 0.0, 2.5);
    lp += stan::math::normal_lpdf<true>(mu, 0.0, 5.0);
    lp += stan::math::multi_normal_cholesky_lpdf<true>(Y, mu,
                                                       stan::math::diag_pre_multiply(tau, L_Omega));
    return lp;
  }
};

// stan::model::log_prob_grad<true, true>, as in stan_models.cpp.
template <class Model>
double log_prob_grad(const Model& model, const double* x, double* grad) {
  const int dim = model.dim();
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

gp_poisson_model gp_poisson;
lkj_multi_normal_model lkj_multi_normal;

} // namespace

void stan_set_gp_poisson_data(int n, const double* x, const int* k) {
  gp_poisson.x.assign(x, x + n);
  gp_poisson.k.assign(k, k + n);
}

double stan_gp_poisson_gradient(const double* x, double* grad) {
  return log_prob_grad(gp_poisson, x, grad);
}

void stan_set_lkj_multi_normal_data(int n, int k, const double* Y) {
  lkj_multi_normal.K = k;
  lkj_multi_normal.Y.assign(n, Eigen::VectorXd(k));
  for (int r = 0; r < n; ++r) {
    for (int i = 0; i < k; ++i)
      lkj_multi_normal.Y[r][i] = Y[r + static_cast<std::size_t>(i) * n];
  }
}

double stan_lkj_multi_normal_gradient(const double* x, double* grad) {
  return log_prob_grad(lkj_multi_normal, x, grad);
}

} // namespace statix_bench
