// Nanoseconds per log density + gradient of three models, for Statix reverse
// mode, Statix forward mode, a hand-written analytic gradient and (when
// StanHeaders is installed) Stan Math reverse mode. Every implementation sees
// the same seeded data and is timed at the same point; at startup the
// hand-written gradients must match Statix's value and gradient to 1e-9
// relative (and Stan's must match too), or the program aborts.
//
// Benchmark names are <model>/<method>; the counter `dim` is the number of
// unconstrained parameters. Ratios between methods are taken afterwards from
// the medians (benchmarks/README.md).

#include "benchmark_data.hpp"
#include "gp_reference.hpp"
#include "hand_written_gradients.hpp"
#if STATIX_BENCH_HAVE_STAN
#include "stan/stan_matrix_models.hpp"
#include "stan/stan_models.hpp"
#endif

#include <statix/statix.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace sx = statix;
using namespace statix_bench;

namespace {

constexpr sx::density_options sampler_options{.jacobian = true, .propto = true};

// ---- the Statix models ---------------------------------------------------------

Eigen::VectorXd to_eigen(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

auto eight_schools_model(const eight_schools_data& d) {
  const Eigen::VectorXd y = to_eigen(d.y), sigma = to_eigen(d.sigma);
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(static_cast<int>(y.size())));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto obs = sx::normal<"y">(theta, sigma).observe(y);
  return sx::model(mu, tau, theta_raw, theta, obs);
}

auto logistic_regression_model(const logistic_data& d) {
  const Eigen::MatrixXd X = Eigen::Map<const Eigen::MatrixXd>(d.X.data(), d.n, d.d);
  auto alpha = sx::normal<"alpha">(0.0, 2.5);
  auto beta = sx::normal<"beta">(0.0, 1.0, sx::size(d.d));
  auto y = sx::bernoulli_logit<"y">(alpha + X * beta).observe(d.y);
  return sx::model(alpha, beta, y);
}

auto radon_model(const radon_data& d) {
  const Eigen::VectorXd floor = to_eigen(d.floor), log_radon = to_eigen(d.log_radon);
  auto mu_a = sx::normal<"mu_a">(0.0, 10.0);
  auto sigma_a = sx::half_normal<"sigma_a">(5.0);
  auto mu_b = sx::normal<"mu_b">(0.0, 10.0);
  auto sigma_b = sx::half_normal<"sigma_b">(5.0);
  auto sigma_y = sx::half_normal<"sigma_y">(5.0);
  auto a = sx::normal<"a">(mu_a, sigma_a, sx::size(d.groups));
  auto b = sx::normal<"b">(mu_b, sigma_b, sx::size(d.groups));
  auto y = sx::normal<"y">(a[d.county] + b[d.county] * floor, sigma_y).observe(log_radon);
  return sx::model(mu_a, sigma_a, mu_b, sigma_b, sigma_y, a, b, y);
}

// A Gaussian process Poisson regression (posteriordb's gp_pois_regr at N
// points): a parameter-dependent kernel matrix, its Cholesky factor and a
// matrix-vector product per evaluation.
auto gp_poisson_model(const gp_poisson_data& d) {
  const Eigen::VectorXd x = to_eigen(d.x);
  auto rho = sx::gamma<"rho">(25.0, 4.0);
  auto alpha = sx::half_normal<"alpha">(2.0);
  auto f_tilde = sx::normal<"f_tilde">(0.0, 1.0, sx::size(d.n));
  auto f = sx::deterministic<"f">(
      sx::cholesky_decompose(sx::add_diag(sx::gp_exp_quad_cov(x, alpha, rho), 1e-10)) * f_tilde);
  auto k = sx::poisson_log<"k">(f).observe(d.k);
  return sx::model(rho, alpha, f_tilde, f, k);
}

// Correlated rows: an LKJ prior on a K x K correlation's Cholesky factor and
// a multivariate normal over n rows, one Cholesky factor for all of them.
auto lkj_multi_normal_model(const lkj_multi_normal_data& d) {
  const Eigen::MatrixXd y = Eigen::Map<const Eigen::MatrixXd>(d.Y.data(), d.n, d.k);
  auto l_omega = sx::lkj_corr_cholesky<"L_Omega">(2.0, sx::size(d.k));
  auto tau = sx::half_cauchy<"tau">(2.5, sx::size(d.k));
  auto mu = sx::normal<"mu">(0.0, 5.0, sx::size(d.k));
  auto obs = sx::multi_normal_cholesky<"Y">(mu, sx::diag_pre_multiply(tau, l_omega)).observe(y);
  return sx::model(l_omega, tau, mu, obs);
}

// ---- agreement checks at startup ------------------------------------------------

// A gradient function in the common form: log density returned, gradient
// written to grad.
using gradient_function = std::function<double(const double*, double*)>;

// |a - b| <= tolerance * max(|a|, |b|), elementwise, value and gradient.
double worst_relative_difference(double a, double b) {
  const double scale = std::max(std::abs(a), std::abs(b));
  return scale == 0 ? 0 : std::abs(a - b) / scale;
}

void require_agreement(const std::string& model, const std::string& method,
                       const gradient_function& reference, const gradient_function& candidate,
                       const std::vector<double>& x, double tolerance) {
  const int dim = static_cast<int>(x.size());
  std::vector<double> g_reference(dim), g_candidate(dim);
  const double lp_reference = reference(x.data(), g_reference.data());
  const double lp_candidate = candidate(x.data(), g_candidate.data());
  double worst = worst_relative_difference(lp_reference, lp_candidate);
  int worst_index = -1;
  for (int i = 0; i < dim; ++i) {
    const double r = worst_relative_difference(g_reference[i], g_candidate[i]);
    if (!(r <= worst) && !std::isnan(worst)) {
      worst = r;
      worst_index = i;
    }
    if (std::isnan(g_candidate[i]) || std::isnan(g_reference[i])) worst = NAN;
  }
  std::fprintf(stderr, "check %-20s %-18s lp %.17g, worst relative difference %.2e (%s)\n",
               model.c_str(), method.c_str(), lp_candidate, worst,
               worst_index < 0 ? "value" : ("gradient " + std::to_string(worst_index)).c_str());
  if (!(worst <= tolerance)) {
    std::fprintf(stderr, "%s/%s disagrees with the reference beyond %.0e: aborting\n",
                 model.c_str(), method.c_str(), tolerance);
    std::abort();
  }
}

// ---- benchmarks ---------------------------------------------------------------

// A method of one model: `check` in the common (x, grad) form for the
// agreement checks; `timed` registers the benchmark with the concrete callable
// so that the timed loop has no indirect call of its own.
struct method {
  std::string name;
  gradient_function check;
  std::function<void(const std::string&, bool)> register_benchmark; // (name, chained)
};

// The chained variant of every benchmark makes each evaluation depend on
// the one before, as in a sampler, where the next point is computed from
// the gradient: x += 1e-200 * grad after each call (the same few additions
// for every method, and the point does not move: |x| is far above 1e-184).
// Without it, evaluations at the same point overlap in the processor, and
// the figure is a throughput; with it, a latency.
inline void chain_step(double* x, const double* grad, int n) {
  for (int k = 0; k < n; ++k)
    x[k] += 1e-200 * grad[k];
}

struct benchmark_case {
  std::string model;
  int dim;
  std::vector<double> point;
  std::vector<method> methods;
  // Agreement of the methods other than hand-written: different summation
  // orders give differences of the order of the condition number times
  // the rounding error (a GP's kernel matrix with a 1e-10 jitter is far from
  // well conditioned at some of the check points).
  double peer_tolerance = 1e-8;
  double hand_tolerance = 1e-9;
};

// f(x, grad) on raw arrays: the hand-written gradients and Stan's functions.
template <class F>
method pointer_method(std::string name, F f, const std::vector<double>& point) {
  auto check = [f](const double* x, double* grad) mutable { return f(x, grad); };
  auto reg = [f, point](const std::string& full_name, bool chained) {
    benchmark::RegisterBenchmark(full_name.c_str(),
                                 [f, point, chained](benchmark::State& state) mutable {
                                   std::vector<double> x = point, grad(point.size());
                                   const int n = static_cast<int>(point.size());
                                   for (auto _ : state) {
                                     double lp = f(x.data(), grad.data());
                                     benchmark::DoNotOptimize(lp);
                                     benchmark::DoNotOptimize(grad.data());
                                     if (chained) chain_step(x.data(), grad.data(), n);
                                     benchmark::ClobberMemory();
                                   }
                                   state.counters["dim"] = static_cast<double>(point.size());
                                 });
  };
  return {std::move(name), check, reg};
}

// Statix through its public interface, as a sampler calls it: Eigen vectors
// for x and the gradient, kept across calls.
template <class Model, class... Mode>
method statix_method(std::string name, const Model& model, const std::vector<double>& point,
                     Mode... mode) {
  auto check = [&model, mode...](const double* x, double* grad) {
    const Eigen::VectorXd xe = Eigen::Map<const Eigen::VectorXd>(x, model.dim());
    Eigen::VectorXd ge(model.dim());
    const double lp = model.log_density_gradient(xe, ge, mode..., sampler_options);
    std::copy(ge.data(), ge.data() + model.dim(), grad);
    return lp;
  };
  auto reg = [&model, point, mode...](const std::string& full_name, bool chained) {
    benchmark::RegisterBenchmark(
        full_name.c_str(), [&model, point, chained, mode...](benchmark::State& state) {
          Eigen::VectorXd x = to_eigen(point);
          Eigen::VectorXd grad(model.dim());
          for (auto _ : state) {
            double lp = model.log_density_gradient(x, grad, mode..., sampler_options);
            benchmark::DoNotOptimize(lp);
            benchmark::DoNotOptimize(grad.data());
            if (chained) chain_step(x.data(), grad.data(), model.dim());
            benchmark::ClobberMemory();
          }
          state.counters["dim"] = model.dim();
        });
  };
  return {std::move(name), check, reg};
}

template <class Model, class Hand>
benchmark_case make_case(std::string name, const Model& model, Hand& hand,
                         std::vector<double> point) {
  if (hand.dim() != model.dim()) {
    std::fprintf(stderr, "%s: the hand-written gradient has dimension %d, the model %d\n",
                 name.c_str(), hand.dim(), model.dim());
    std::abort();
  }
  benchmark_case c{std::move(name), model.dim(), point, {}};
  c.methods.push_back(statix_method("statix_reverse", model, point));
  c.methods.push_back(statix_method("statix_forward", model, point, sx::forward_mode));
  c.methods.push_back(pointer_method(
      "hand_written", [&hand](const double* x, double* g) { return hand(x, g); }, point));
  return c;
}

} // namespace

int main(int argc, char** argv) {
  const eight_schools_data schools;
  const logistic_data logistic = make_logistic_data(5000, 25, 20240601u);
  const radon_data radon = make_radon_data(85, 919, 20240602u);

  const auto schools_model = eight_schools_model(schools);
  const auto logistic_model = logistic_regression_model(logistic);
  const auto radon_statix = radon_model(radon);

  eight_schools_gradient schools_hand(schools);
  logistic_regression_gradient<> logistic_hand(logistic);
  logistic_regression_gradient<true> logistic_hand_eigen(logistic);
  radon_gradient radon_hand(radon);

#if STATIX_BENCH_HAVE_STAN
  stan_set_eight_schools_data(static_cast<int>(schools.y.size()), schools.y.data(),
                              schools.sigma.data());
  stan_set_logistic_regression_data(logistic.n, logistic.d, logistic.X.data(), logistic.y.data());
  stan_set_radon_data(radon.groups, static_cast<int>(radon.county.size()), radon.county.data(),
                      radon.floor.data(), radon.log_radon.data());
#endif

  const gp_poisson_data gp_data[] = {make_gp_poisson_data(50, 20261204u),
                                     make_gp_poisson_data(100, 20261205u),
                                     make_gp_poisson_data(200, 20261206u)};
  const lkj_multi_normal_data lkj_data = make_lkj_multi_normal_data(1000, 4, 20261207u);
  const auto gp50 = gp_poisson_model(gp_data[0]);
  const auto gp100 = gp_poisson_model(gp_data[1]);
  const auto gp200 = gp_poisson_model(gp_data[2]);
  const auto lkj_statix = lkj_multi_normal_model(lkj_data);
  gp_poisson_gradient gp_hand[] = {gp_poisson_gradient(gp_data[0]), gp_poisson_gradient(gp_data[1]),
                                   gp_poisson_gradient(gp_data[2])};
  lkj_multi_normal_gradient lkj_hand(lkj_data);

  std::vector<benchmark_case> cases;
  cases.push_back(make_case("eight_schools", schools_model, schools_hand,
                            benchmark_point(schools_model.dim(), 11u, 1.0)));
  cases.push_back(make_case("logistic_regression", logistic_model, logistic_hand,
                            benchmark_point(logistic_model.dim(), 12u, 0.5)));
  cases.push_back(
      make_case("radon", radon_statix, radon_hand, benchmark_point(radon_statix.dim(), 13u, 0.5)));
  cases.push_back(
      make_case("gp_poisson_50", gp50, gp_hand[0], benchmark_point(gp50.dim(), 14u, 0.3)));
  cases.push_back(
      make_case("gp_poisson_100", gp100, gp_hand[1], benchmark_point(gp100.dim(), 15u, 0.3)));
  cases.push_back(
      make_case("gp_poisson_200", gp200, gp_hand[2], benchmark_point(gp200.dim(), 16u, 0.3)));
  cases.push_back(make_case("lkj_multi_normal", lkj_statix, lkj_hand,
                            benchmark_point(lkj_statix.dim(), 17u, 0.3)));
  for (int g = 3; g < 6; ++g)
    cases[g].peer_tolerance = cases[g].hand_tolerance = 1e-5;
  cases[1].methods.push_back(pointer_method(
      "hand_written_eigen",
      [&logistic_hand_eigen](const double* x, double* g) { return logistic_hand_eigen(x, g); },
      cases[1].point));
#if STATIX_BENCH_HAVE_STAN
  cases[0].methods.push_back(
      pointer_method("stan_reverse", &stan_eight_schools_gradient, cases[0].point));
  cases[1].methods.push_back(
      pointer_method("stan_reverse", &stan_logistic_regression_gradient, cases[1].point));
  cases[1].methods.push_back(
      pointer_method("stan_reverse_glm", &stan_logistic_regression_glm_gradient, cases[1].point));
  cases[2].methods.push_back(pointer_method("stan_reverse", &stan_radon_gradient, cases[2].point));
  // The Stan peer keeps one GP data set at a time: each GP method sets its
  // own when another one was set last (only when the benchmarks switch).
  for (int g = 0; g < 3; ++g) {
    const gp_poisson_data* data = &gp_data[g];
    cases[3 + g].methods.push_back(pointer_method(
        "stan_reverse",
        [data](const double* x, double* grad) {
          static const gp_poisson_data* current = nullptr;
          if (current != data) {
            stan_set_gp_poisson_data(data->n, data->x.data(), data->k.data());
            current = data;
          }
          return stan_gp_poisson_gradient(x, grad);
        },
        cases[3 + g].point));
  }
  stan_set_lkj_multi_normal_data(lkj_data.n, lkj_data.k, lkj_data.Y.data());
  cases[6].methods.push_back(
      pointer_method("stan_reverse", &stan_lkj_multi_normal_gradient, cases[6].point));
#endif

  // Every method against Statix reverse mode at the benchmark point and at a
  // few other points: the hand-written gradients to 1e-9 relative, the other
  // methods (different summation orders) to 1e-8.
  for (const auto& c : cases) {
    const gradient_function& statix_reverse = c.methods.front().check;
    for (unsigned seed = 0; seed < 4; ++seed) {
      const std::vector<double> x =
          seed == 0 ? c.point : benchmark_point(c.dim, 100u + seed, 0.5 + 0.25 * seed);
      for (std::size_t m = 1; m < c.methods.size(); ++m) {
        const method& candidate = c.methods[m];
        require_agreement(c.model, candidate.name, statix_reverse, candidate.check, x,
                          candidate.name.starts_with("hand_written") ? c.hand_tolerance
                                                                     : c.peer_tolerance);
      }
    }
  }
#if !STATIX_BENCH_HAVE_STAN
  std::fprintf(stderr, "Stan Math comparison not built: StanHeaders was not found at configure "
                       "time (apt-get install --no-install-recommends r-cran-stanheaders)\n");
#endif

  for (const bool chained : {false, true})
    for (const auto& c : cases)
      for (const auto& m : c.methods)
        m.register_benchmark(c.model + "/" + m.name + (chained ? "/chained" : ""), chained);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
