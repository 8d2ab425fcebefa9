// The recursion benchmark's models written with Stan Math 3.0 (Stan 2.21)
// as stanc 2.21 compiles posteriordb's hmm_example and garch11: the
// parameters read by stan::io::reader's calls (simplex_constrain,
// positive_ordered_constrain, lb/lub_constrain adding log|J| to lp__), the
// model block's local arrays as std::vectors of var filled with a NaN var,
// every user-written `_lpdf` call in an expression at propto = false (only a
// `~` statement gets propto__), the terms collected in an accumulator and
// summed at the end, and the gradient taken as stan::model::log_prob_grad
// does (one sweep, then recover_memory). Stan 2.21 has no hmm_marginal: the
// forward algorithm is the model's own log_sum_exp loop over vars. C++14,
// Stan's own Eigen 3.3.9; see stan_recursion_models.hpp.
//
// The Stan programs (posteriordb, hmm_example generalised from K = 2, whose
// priors are mu[1] ~ normal(3, 1), mu[2] ~ normal(10, 1), to one prior per
// state):
//   hmm_example
//     data { int<lower=1> K; int<lower=1> N; real y[N]; vector[K] m; }
//     parameters { simplex[K] theta[K]; positive_ordered[K] mu; }
//     model {
//       for (k in 1:K) target += normal_lpdf(mu[k] | m[k], 1);
//       {
//         real acc[K];
//         real gamma[N, K];
//         for (k in 1:K) gamma[1, k] = normal_lpdf(y[1] | mu[k], 1);
//         for (t in 2:N) {
//           for (k in 1:K) {
//             for (j in 1:K)
//               acc[j] = gamma[t - 1, j] + log(theta[j, k]) + normal_lpdf(y[t] | mu[k], 1);
//             gamma[t, k] = log_sum_exp(acc);
//           }
//         }
//         target += log_sum_exp(gamma[N]);
//       }
//     }
//   garch11
//     data { int<lower=0> T; real y[T]; real<lower=0> sigma1; }
//     parameters { real mu; real<lower=0> alpha0; real<lower=0, upper=1> alpha1;
//                  real<lower=0, upper=(1 - alpha1)> beta1; }
//     model {
//       real sigma[T];
//       sigma[1] = sigma1;
//       for (t in 2:T)
//         sigma[t] = sqrt(alpha0 + alpha1 * pow(y[t - 1] - mu, 2) + beta1 * pow(sigma[t - 1], 2));
//       y ~ normal(mu, sigma);
//     }
//   garch11 rewritten over the variance (stan_garch_variance_gradient): the
//   same density, with `real v[T]; v[1] = sigma1^2; v[t] = alpha0 + alpha1 *
//   pow(y[t - 1] - mu, 2) + beta1 * v[t - 1]; y ~ normal(mu, sqrt(v));`.
// stanc's initialize / fill passes over the local arrays (which assign the
// NaN var again) are left out.

#include "stan_recursion_models.hpp"

#include <stan/math.hpp>

#include <limits>
#include <vector>

namespace statix_bench {
namespace {

using stan::math::get_base1;
using stan::math::var;
template <class T>
using vector_t = Eigen::Matrix<T, Eigen::Dynamic, 1>;

// stan::io::reader: the next `size` unconstrained values as a vector.
template <class T>
struct reader {
  const std::vector<T>& x;
  std::size_t pos = 0;
  vector_t<T> vector(int size) {
    vector_t<T> v(size);
    for (int i = 0; i < size; ++i)
      v(i) = x[pos++];
    return v;
  }
  T scalar() { return x[pos++]; }
};

struct hmm_model {
  int N = 0;
  int K = 0;
  std::vector<double> y;
  vector_t<double> m; // prior means of mu

  int dim() const { return K * (K - 1) + K; }

  template <class T>
  T log_prob(const std::vector<T>& params) const {
    const T DUMMY_VAR__(std::numeric_limits<double>::quiet_NaN());
    T lp__(0.0);
    stan::math::accumulator<T> lp_accum__;
    reader<T> in__{params};
    std::vector<vector_t<T>> theta;
    theta.reserve(K);
    for (int d = 0; d < K; ++d)
      theta.push_back(stan::math::simplex_constrain(in__.vector(K - 1), lp__));
    vector_t<T> mu = stan::math::positive_ordered_constrain(in__.vector(K), lp__);

    for (int k = 1; k <= K; ++k)
      lp_accum__.add(
          stan::math::normal_lpdf(get_base1(mu, k, "mu", 1), get_base1(m, k, "m", 1), 1));
    {
      std::vector<T> acc(K, DUMMY_VAR__);
      std::vector<std::vector<T>> gamma(N, std::vector<T>(K, DUMMY_VAR__));
      for (int k = 1; k <= K; ++k)
        gamma[0][k - 1] =
            stan::math::normal_lpdf(get_base1(y, 1, "y", 1), get_base1(mu, k, "mu", 1), 1);
      for (int t = 2; t <= N; ++t) {
        for (int k = 1; k <= K; ++k) {
          for (int j = 1; j <= K; ++j)
            acc[j - 1] =
                get_base1(get_base1(gamma, t - 1, "gamma", 1), j, "gamma", 2) +
                stan::math::log(get_base1(get_base1(theta, j, "theta", 1), k, "theta", 2)) +
                stan::math::normal_lpdf(get_base1(y, t, "y", 1), get_base1(mu, k, "mu", 1), 1);
          gamma[t - 1][k - 1] = stan::math::log_sum_exp(acc);
        }
      }
      lp_accum__.add(stan::math::log_sum_exp(get_base1(gamma, N, "gamma", 1)));
    }
    lp_accum__.add(lp__);
    return lp_accum__.sum();
  }
};

struct garch_model {
  int T_ = 0;
  std::vector<double> y;
  double sigma1 = 0;
  bool variance = false; // the rewrite of stan_garch_variance_gradient

  int dim() const { return 4; }

  template <class T>
  T log_prob(const std::vector<T>& params) const {
    const T DUMMY_VAR__(std::numeric_limits<double>::quiet_NaN());
    T lp__(0.0);
    stan::math::accumulator<T> lp_accum__;
    reader<T> in__{params};
    const T mu = in__.scalar();
    const T alpha0 = stan::math::lb_constrain(in__.scalar(), 0, lp__);
    const T alpha1 = stan::math::lub_constrain(in__.scalar(), 0, 1, lp__);
    const T beta1 = stan::math::lub_constrain(in__.scalar(), 0, (1 - alpha1), lp__);
    if (!variance) {
      std::vector<T> sigma(T_, DUMMY_VAR__);
      sigma[0] = sigma1;
      for (int t = 2; t <= T_; ++t)
        sigma[t - 1] = stan::math::sqrt(
            (alpha0 + (alpha1 * stan::math::pow((get_base1(y, t - 1, "y", 1) - mu), 2))) +
            (beta1 * stan::math::pow(get_base1(sigma, t - 1, "sigma", 1), 2)));
      lp_accum__.add(stan::math::normal_lpdf<true>(y, mu, sigma));
    } else {
      std::vector<T> v(T_, DUMMY_VAR__);
      v[0] = stan::math::square(sigma1);
      for (int t = 2; t <= T_; ++t)
        v[t - 1] = (alpha0 + (alpha1 * stan::math::pow((get_base1(y, t - 1, "y", 1) - mu), 2))) +
                   (beta1 * get_base1(v, t - 1, "v", 1));
      lp_accum__.add(stan::math::normal_lpdf<true>(y, mu, stan::math::sqrt(v)));
    }
    lp_accum__.add(lp__);
    return lp_accum__.sum();
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

std::vector<hmm_model> hmm_models;
std::vector<garch_model> garch_models, garch_variance_models;

} // namespace

int stan_make_hmm(int n, int k, const double* y, const double* prior_mean) {
  hmm_model model;
  model.N = n;
  model.K = k;
  model.y.assign(y, y + n);
  model.m = Eigen::Map<const Eigen::VectorXd>(prior_mean, k);
  hmm_models.push_back(model);
  return static_cast<int>(hmm_models.size()) - 1;
}

double stan_hmm_gradient(int model, const double* x, double* grad) {
  return log_prob_grad(hmm_models[model], x, grad);
}

int stan_make_garch(int n, const double* y, double sigma1) {
  garch_model model;
  model.T_ = n;
  model.y.assign(y, y + n);
  model.sigma1 = sigma1;
  garch_models.push_back(model);
  model.variance = true;
  garch_variance_models.push_back(model);
  return static_cast<int>(garch_models.size()) - 1;
}

double stan_garch_gradient(int model, const double* x, double* grad) {
  return log_prob_grad(garch_models[model], x, grad);
}

double stan_garch_variance_gradient(int model, const double* x, double* grad) {
  return log_prob_grad(garch_variance_models[model], x, grad);
}

} // namespace statix_bench
