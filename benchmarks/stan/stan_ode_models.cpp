// posteriordb's lotka_volterra (Stan's case study, Carpenter 2018) written
// with Stan Math 3.0 (Stan 2.21) as stanc 2.21 compiles it: the ODE's
// right-hand side as a user function (locals initialised to a NaN of the
// promoted scalar type, the result built with array_builder) behind its
// functor, the parameters read by lb_constrain (adding log|J| to lp__), the
// transformed parameter z from integrate_ode_rk45 with the program's
// tolerances (rel 1e-5, abs 1e-3, 500 steps), the `~` statements as
// `_lpdf<propto__>` calls collected in an accumulator, and the gradient
// taken as stan::model::log_prob_grad does (one sweep, then
// recover_memory). integrate_ode_rk45 integrates Stan's coupled system (the
// 2 states and their sensitivities to theta[4] and z_init[2]: 14 values)
// with Boost.Odeint's dense-output Dormand-Prince 5(4), the Jacobian of the
// right-hand side from nested reverse mode at every evaluation. C++14,
// Stan's own Eigen 3.3.9; see stan_ode_models.hpp.
//
// The Stan program (posteriordb, lotka_volterra):
//   functions {
//     real[] dz_dt(real t, real[] z, real[] theta, real[] x_r, int[] x_i) {
//       real u = z[1];  real v = z[2];
//       real alpha = theta[1];  real beta = theta[2];
//       real gamma = theta[3];  real delta = theta[4];
//       real du_dt = (alpha - beta * v) * u;
//       real dv_dt = (-gamma + delta * u) * v;
//       return { du_dt, dv_dt };
//     }
//   }
//   data { int<lower=0> N; real ts[N]; real y_init[2]; real<lower=0> y[N, 2]; }
//   parameters { real<lower=0> theta[4]; real<lower=0> z_init[2];
//                real<lower=0> sigma[2]; }
//   transformed parameters {
//     real z[N, 2] = integrate_ode_rk45(dz_dt, z_init, 0, ts, theta,
//                                       rep_array(0.0, 0), rep_array(0, 0),
//                                       1e-5, 1e-3, 5e2);
//   }
//   model {
//     theta[{1, 3}] ~ normal(1, 0.5);
//     theta[{2, 4}] ~ normal(0.05, 0.05);
//     sigma ~ lognormal(-1, 1);
//     z_init ~ lognormal(log(10), 1);
//     for (k in 1:2) {
//       y_init[k] ~ lognormal(log(z_init[k]), sigma[k]);
//       y[ , k] ~ lognormal(log(z[, k]), sigma[k]);
//     }
//   }
// stanc's initialize / fill passes over the locals, its statement-number
// bookkeeping and the NaN checks of the transformed parameter are left out.

#include "stan_ode_models.hpp"

#include <stan/math.hpp>

#include <cmath>
#include <exception>
#include <iosfwd>
#include <limits>
#include <vector>

namespace statix_bench {
namespace {

using stan::math::get_base1;
using stan::math::var;

// The user function, as stanc 2.21 writes it.
template <typename T0__, typename T1__, typename T2__, typename T3__>
std::vector<typename boost::math::tools::promote_args<T0__, T1__, T2__, T3__>::type>
dz_dt(const T0__& t, const std::vector<T1__>& z, const std::vector<T2__>& theta,
      const std::vector<T3__>& x_r, const std::vector<int>& x_i, std::ostream* pstream__) {
  (void)t;
  (void)x_r;
  (void)x_i;
  (void)pstream__;
  typedef typename boost::math::tools::promote_args<T0__, T1__, T2__, T3__>::type local_scalar_t__;
  const local_scalar_t__ DUMMY_VAR__(std::numeric_limits<double>::quiet_NaN());
  local_scalar_t__ u(DUMMY_VAR__);
  stan::math::assign(u, get_base1(z, 1, "z", 1));
  local_scalar_t__ v(DUMMY_VAR__);
  stan::math::assign(v, get_base1(z, 2, "z", 1));
  local_scalar_t__ alpha(DUMMY_VAR__);
  stan::math::assign(alpha, get_base1(theta, 1, "theta", 1));
  local_scalar_t__ beta(DUMMY_VAR__);
  stan::math::assign(beta, get_base1(theta, 2, "theta", 1));
  local_scalar_t__ gamma(DUMMY_VAR__);
  stan::math::assign(gamma, get_base1(theta, 3, "theta", 1));
  local_scalar_t__ delta(DUMMY_VAR__);
  stan::math::assign(delta, get_base1(theta, 4, "theta", 1));
  local_scalar_t__ du_dt(DUMMY_VAR__);
  stan::math::assign(du_dt, ((alpha - (beta * v)) * u));
  local_scalar_t__ dv_dt(DUMMY_VAR__);
  stan::math::assign(dv_dt, ((-(gamma) + (delta * u)) * v));
  return stan::math::promote_scalar<local_scalar_t__>(static_cast<std::vector<local_scalar_t__>>(
      stan::math::array_builder<local_scalar_t__>().add(du_dt).add(dv_dt).array()));
}

struct dz_dt_functor__ {
  template <typename T0__, typename T1__, typename T2__, typename T3__>
  std::vector<typename boost::math::tools::promote_args<T0__, T1__, T2__, T3__>::type>
  operator()(const T0__& t, const std::vector<T1__>& z, const std::vector<T2__>& theta,
             const std::vector<T3__>& x_r, const std::vector<int>& x_i,
             std::ostream* pstream__) const {
    return dz_dt(t, z, theta, x_r, x_i, pstream__);
  }
};

struct lotka_volterra_model {
  int N = 0;
  std::vector<double> ts;
  std::vector<double> y_init;
  std::vector<std::vector<double>> y; // N x 2

  int dim() const { return 8; }

  template <class T>
  T log_prob(const std::vector<T>& params) const {
    const bool propto__ = true;
    T lp__(0.0);
    stan::math::accumulator<T> lp_accum__;
    std::size_t pos = 0;
    std::vector<T> theta, z_init, sigma;
    for (int i = 0; i < 4; ++i)
      theta.push_back(stan::math::lb_constrain(params[pos++], 0, lp__));
    for (int i = 0; i < 2; ++i)
      z_init.push_back(stan::math::lb_constrain(params[pos++], 0, lp__));
    for (int i = 0; i < 2; ++i)
      sigma.push_back(stan::math::lb_constrain(params[pos++], 0, lp__));

    // transformed parameters
    std::vector<std::vector<T>> z = stan::math::integrate_ode_rk45(
        dz_dt_functor__(), z_init, 0, ts, theta, std::vector<double>(), std::vector<int>(), nullptr,
        1e-5, 1e-3, 5e2);

    // model
    const std::vector<T> theta_13{get_base1(theta, 1, "theta", 1), get_base1(theta, 3, "theta", 1)};
    const std::vector<T> theta_24{get_base1(theta, 2, "theta", 1), get_base1(theta, 4, "theta", 1)};
    lp_accum__.add(stan::math::normal_lpdf<propto__>(theta_13, 1, 0.5));
    lp_accum__.add(stan::math::normal_lpdf<propto__>(theta_24, 0.05, 0.05));
    lp_accum__.add(stan::math::lognormal_lpdf<propto__>(sigma, -(1), 1));
    lp_accum__.add(stan::math::lognormal_lpdf<propto__>(z_init, stan::math::log(10), 1));
    for (int k = 1; k <= 2; ++k) {
      lp_accum__.add(stan::math::lognormal_lpdf<propto__>(
          get_base1(y_init, k, "y_init", 1), stan::math::log(get_base1(z_init, k, "z_init", 1)),
          get_base1(sigma, k, "sigma", 1)));
      // y[ , k] and z[, k]: stanc's rvalue(..., cons_list(index_omni(),
      // cons_list(index_uni(k), nil_index_list()))) copies a column.
      std::vector<double> y_k(N);
      std::vector<T> z_k(N);
      for (int n = 0; n < N; ++n) {
        y_k[n] = y[n][k - 1];
        z_k[n] = z[n][k - 1];
      }
      lp_accum__.add(stan::math::lognormal_lpdf<propto__>(y_k, stan::math::log(z_k),
                                                          get_base1(sigma, k, "sigma", 1)));
    }
    lp_accum__.add(lp__);
    return lp_accum__.sum();
  }
};

// stan::model::log_prob_grad<true, true>, as in stan_models.cpp; a solver
// error (Stan's sampler rejects the point) gives -inf.
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
  } catch (const std::exception&) {
    stan::math::recover_memory();
    for (int i = 0; i < dim; ++i)
      grad[i] = 0;
    return -std::numeric_limits<double>::infinity();
  }
  stan::math::recover_memory();
  return lp;
}

std::vector<lotka_volterra_model> lotka_volterra_models;

} // namespace

int stan_make_lotka_volterra(int n, const double* ts, const double* y_init, const double* y) {
  lotka_volterra_model model;
  model.N = n;
  model.ts.assign(ts, ts + n);
  model.y_init.assign(y_init, y_init + 2);
  for (int i = 0; i < n; ++i)
    model.y.push_back({y[2 * i], y[2 * i + 1]});
  lotka_volterra_models.push_back(model);
  return static_cast<int>(lotka_volterra_models.size()) - 1;
}

double stan_lotka_volterra_gradient(int model, const double* x, double* grad) {
  return log_prob_grad(lotka_volterra_models[model], x, grad);
}

} // namespace statix_bench
