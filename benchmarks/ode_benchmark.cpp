// Nanoseconds per log density + gradient of an ODE posterior, posteriordb's
// hudson_lynx_hare-lotka_volterra (Stan's case study, Carpenter 2018: 4
// parameters of the Lotka-Volterra equations and 2 initial states solved
// with rk45, rel_tol 1e-5, abs_tol 1e-3, 500 steps; 8 unconstrained
// parameters), for Statix reverse mode (sx::ode_rk45, forward
// sensitivities), a hand-written limit (the same Dormand-Prince solver on the
// coupled system written out by hand) and, when StanHeaders is installed,
// Stan Math 3.0 (Stan 2.21's integrate_ode_rk45, forward sensitivities by
// Boost.Odeint's dopri5) on the model as stanc 2.21 writes it
// (stan/stan_ode_models.cpp).
//
// Methods (benchmarks/README.md, "ODE models"):
//   statix_reverse   the model as tests/posteriordb writes it
//   hand_written     math::ode::dormand_prince on the coupled system of the
//                    state and its 6 sensitivities, f and its Jacobian by hand
//   stan_reverse     Stan Math, the model as stanc writes it
//
// The solvers stop at different places (Statix lands each step on an output
// time, Odeint's dense output interpolates), so the methods agree to the
// solver's tolerance, not to rounding. At startup each is checked at the
// benchmark point (near the posterior mean) and four random draws around it
// against Statix with rel_tol = abs_tol = 1e-10 (the exact solution, for
// this purpose): the value and every gradient entry to 1e-3 relative (the
// largest differences seen are printed; see README), and the hand-written
// gradient against Statix at the benchmark's own tolerances to 1e-9, or the
// program aborts. Stan's `~` statements drop other constants than Statix's
// `propto`: the check compares Stan with Statix's full density (propto =
// false) plus the constants Stan drops minus Statix's truncation normaliser.
//
// Benchmark names are lotka_volterra/<method>; `dim` is the number of
// unconstrained parameters. Ratios are taken afterwards from the medians.

// GCC 12 at -O3 warns -Wrestrict in std::string's operator+ inlined into an
// error message of sx::lognormal(..., sigma[0]) (a false positive, GCC bug
// 105329); the message is only built on a bad index.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include "statix/math/ode/dormand_prince.hpp"
#if STATIX_BENCH_HAVE_STAN
#include "stan/stan_ode_models.hpp"
#endif

#include <statix/statix.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <numbers>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sx = statix;

namespace {

constexpr sx::density_options sampler_options{.jacobian = true, .propto = true};
constexpr sx::density_options full_density{.jacobian = true, .propto = false};

// posteriordb's hudson_lynx_hare (thousands of pelts): y_init at t = 0, then
// (hares, lynxes) at t = 1, ..., 20.
constexpr int N = 20;
constexpr double y_init_data[2] = {30.0, 4.0};
constexpr double y_data[N][2] = {{47.2, 6.1},  {70.2, 9.8},  {77.4, 35.2}, {36.3, 59.4},
                                 {20.6, 41.7}, {18.1, 19.0}, {21.4, 13.0}, {22.0, 8.3},
                                 {25.4, 9.1},  {27.1, 7.4},  {40.3, 8.0},  {57.0, 12.3},
                                 {76.6, 19.5}, {52.3, 45.7}, {19.5, 51.1}, {11.2, 29.7},
                                 {7.6, 15.8},  {14.6, 9.7},  {16.2, 10.1}, {24.7, 8.6}};

// Stan's (and the case study's) tolerances.
constexpr sx::ode_options case_study_tolerances{.rel_tol = 1e-5, .abs_tol = 1e-3, .max_steps = 500};

// ---- the Statix model -----------------------------------------------------------

// As tests/posteriordb/ode_posteriordb_test.cpp writes it.
auto lotka_volterra_model(sx::ode_options tolerances) {
  Eigen::VectorXd ts(N), y_hare(N), y_lynx(N);
  for (int n = 0; n < N; ++n) {
    ts[n] = n + 1;
    y_hare[n] = y_data[n][0];
    y_lynx[n] = y_data[n][1];
  }
  const Eigen::Vector2d y_init(y_init_data[0], y_init_data[1]);
  const Eigen::Vector4d prior_mean(1.0, 0.05, 1.0, 0.05), prior_sd(0.5, 0.05, 0.5, 0.05);
  auto theta = sx::normal<"theta">(prior_mean, prior_sd, sx::size(4)).truncate(sx::lower(0.0));
  auto z_init = sx::lognormal<"z_init">(std::log(10.0), 1.0, sx::size(2));
  auto sigma = sx::lognormal<"sigma">(-1.0, 1.0, sx::size(2));
  auto z = sx::ode_rk45(
      [](double, const auto& u, const auto& th) {
        using T = std::decay_t<decltype(u[0] * th[0])>;
        return std::array<T, 2>{(th[0] - th[1] * u[1]) * u[0], (-th[2] + th[3] * u[0]) * u[1]};
      },
      z_init, 0.0, ts, theta, tolerances);
  auto obs_init = sx::lognormal<"y_init">(log(z_init), sigma).observe(y_init);
  auto obs_hare = sx::lognormal<"y_hare">(log(sx::col(z, 0)), sigma[0]).observe(y_hare);
  auto obs_lynx = sx::lognormal<"y_lynx">(log(sx::col(z, 1)), sigma[1]).observe(y_lynx);
  return sx::model(theta, z_init, sigma, obs_init, obs_hare, obs_lynx);
}

// ---- the hand-written limit -------------------------------------------------------

// x = (log theta[4], log z_init[2], log sigma[2]). The coupled system (the
// state z = (u, v) and S_j = dz/dp_j for p = (theta, z_init)), 14 values in
// the order of sx::ode_rk45's, S_j' = J S_j + df/dp_j, solved by the same
// math::ode::dormand_prince; the value with Stan's constants (its `~`
// statements at propto), the gradient by the chain rule.
double hand_written(const double* x, double* grad, const sx::ode_options& options) {
  double th[4], z0[2], sg[2];
  for (int i = 0; i < 4; ++i)
    th[i] = std::exp(x[i]);
  for (int k = 0; k < 2; ++k) {
    z0[k] = std::exp(x[4 + k]);
    sg[k] = std::exp(x[6 + k]);
  }
  const double a = th[0], b = th[1], g = th[2], d = th[3];
  constexpr int n = 14;
  double z[n] = {z0[0], z0[1]};
  for (int i = 2; i < n; ++i)
    z[i] = 0;
  z[2 + 2 * 4 + 0] = 1; // dz/dz_init[0]
  z[2 + 2 * 5 + 1] = 1; // dz/dz_init[1]
  auto rhs = [&](double, const double* s, double* ds) {
    const double u = s[0], v = s[1];
    const double j00 = a - b * v, j01 = -b * u, j10 = d * v, j11 = -g + d * u;
    ds[0] = j00 * u;
    ds[1] = j11 * v;
    const double fp[6][2] = {{u, 0}, {-u * v, 0}, {0, -v}, {0, u * v}, {0, 0}, {0, 0}};
    for (int j = 0; j < 6; ++j) {
      const double s0 = s[2 + 2 * j], s1 = s[3 + 2 * j];
      ds[2 + 2 * j] = j00 * s0 + j01 * s1 + fp[j][0];
      ds[3 + 2 * j] = j10 * s0 + j11 * s1 + fp[j][1];
    }
  };
  double ts[N];
  for (int t = 0; t < N; ++t)
    ts[t] = t + 1;
  double lp = 0;
  double dp[6] = {0, 0, 0, 0, 0, 0}; // d lp / d (theta, z_init), the observations' part
  double dsigma[2] = {0, 0};
  double sq[2] = {0, 0}; // sum of squared log residuals per column
  const sx::math::ode::tolerances tol{options.rel_tol, options.abs_tol, options.max_steps};
  const auto info =
      sx::math::ode::dormand_prince(rhs, n, z, 0.0, ts, N, tol, [&](int t, const double* s) {
        for (int k = 0; k < 2; ++k) {
          const double r = std::log(y_data[t][k]) - std::log(s[k]);
          sq[k] += r * r;
          const double w = r / (sg[k] * sg[k] * s[k]); // d lp / d z[t][k]
          for (int j = 0; j < 6; ++j)
            dp[j] += w * s[2 + 2 * j + k];
        }
      });
  if (!info.ok()) {
    std::fill(grad, grad + 8, 0.0);
    return -INFINITY;
  }
  for (int k = 0; k < 2; ++k) {
    const double s2 = sg[k] * sg[k];
    lp += -N * std::log(sg[k]) - 0.5 * sq[k] / s2;
    dsigma[k] += -N / sg[k] + sq[k] / (s2 * sg[k]);
  }
  // theta[{1, 3}] ~ normal(1, 0.5); theta[{2, 4}] ~ normal(0.05, 0.05).
  const double m[4] = {1, 0.05, 1, 0.05}, s[4] = {0.5, 0.05, 0.5, 0.05};
  for (int i = 0; i < 4; ++i) {
    const double r = (th[i] - m[i]) / s[i];
    lp += -0.5 * r * r + x[i];
    grad[i] = (dp[i] - r / s[i]) * th[i] + 1;
  }
  for (int k = 0; k < 2; ++k) {
    // z_init ~ lognormal(log(10), 1); sigma ~ lognormal(-1, 1);
    // y_init[k] ~ lognormal(log(z_init[k]), sigma[k]).
    const double lz = x[4 + k], ls = x[6 + k];
    const double r0 = std::log(y_init_data[k]) - lz;
    lp += -lz - 0.5 * (lz - std::log(10.0)) * (lz - std::log(10.0)) + lz;
    lp += -ls - 0.5 * (ls + 1) * (ls + 1) + ls;
    lp += -ls - 0.5 * r0 * r0 / (sg[k] * sg[k]);
    grad[4 + k] = (dp[4 + k] + r0 / (sg[k] * sg[k] * z0[k])) * z0[k] - (lz - std::log(10.0));
    dsigma[k] += -1 / sg[k] + r0 * r0 / (sg[k] * sg[k] * sg[k]);
    grad[6 + k] = dsigma[k] * sg[k] - (ls + 1);
  }
  return lp;
}

// Stan's `~` statements drop, from the full density: the normal priors'
// -log(sigma) - log(2 pi) / 2 (4 terms), the lognormals' -log(2 pi) / 2 (50
// terms) and -log(y) of the data (y_init and y); Statix's full density has
// the normaliser of the truncation at 0 of the theta priors, -log P(theta >
// 0), which Stan's bounded parameters leave out. stan + this = statix full.
double stan_to_full_density() {
  const double half_log_2pi = 0.5 * std::log(2 * std::numbers::pi);
  double c = -(4 + 2 + 2 + 2 + 2 * N) * half_log_2pi - 2 * std::log(0.5) - 2 * std::log(0.05);
  for (int k = 0; k < 2; ++k) {
    c -= std::log(y_init_data[k]);
    for (int t = 0; t < N; ++t)
      c -= std::log(y_data[t][k]);
  }
  // P(theta > 0) = Phi(m / s): Phi(2) for alpha, gamma; Phi(1) for beta, delta.
  const auto Phi = [](double q) { return 0.5 * std::erfc(-q / std::numbers::sqrt2); };
  c -= 2 * std::log(Phi(2.0)) + 2 * std::log(Phi(1.0));
  return c;
}

// ---- points -----------------------------------------------------------------------

// Near the case study's posterior mean: theta (0.55, 0.028, 0.80, 0.024),
// z_init (33.9, 5.9), sigma (0.25, 0.25); the other points are draws around
// it on the unconstrained scale (sd 0.05 scale, about a posterior sd).
std::vector<double> lotka_volterra_point(unsigned seed, double scale) {
  const double mean[8] = {0.55, 0.028, 0.80, 0.024, 33.9, 5.9, 0.25, 0.25};
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> z;
  std::vector<double> x(8);
  for (int i = 0; i < 8; ++i)
    x[i] = std::log(mean[i]) + (seed == 0 ? 0.0 : 0.05 * scale * z(gen));
  return x;
}

// ---- agreement checks -------------------------------------------------------------

using gradient_function = std::function<double(const double*, double*)>;

benchmark::internal::Benchmark* with_min(benchmark::internal::Benchmark* b) {
  return b->ComputeStatistics(
      "min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });
}

double relative_difference(double a, double b) {
  const double scale = std::max(std::abs(a), std::abs(b));
  return scale == 0 ? 0 : std::abs(a - b) / scale;
}

// The worst relative difference of value and gradient entries (value_offset:
// the candidate's value minus the reference's, a constant); aborts beyond
// tolerance.
double require_agreement(const std::string& what, const gradient_function& reference,
                         const gradient_function& candidate, const std::vector<double>& x,
                         double value_offset, double tolerance) {
  const int dim = static_cast<int>(x.size());
  std::vector<double> g_reference(dim), g_candidate(dim);
  const double lp_reference = reference(x.data(), g_reference.data()) + value_offset;
  const double lp_candidate = candidate(x.data(), g_candidate.data());
  double worst = relative_difference(lp_reference, lp_candidate);
  int worst_index = -1;
  if (!std::isfinite(lp_reference) || !std::isfinite(lp_candidate)) worst = NAN;
  for (int i = 0; i < dim && !std::isnan(worst); ++i) {
    if (!std::isfinite(g_candidate[i]) || !std::isfinite(g_reference[i])) {
      worst = NAN;
      break;
    }
    const double r = relative_difference(g_reference[i], g_candidate[i]);
    if (r > worst) {
      worst = r;
      worst_index = i;
    }
  }
  std::fprintf(stderr, "check %-42s lp %.10g, worst relative difference %.2e (%s)\n", what.c_str(),
               lp_candidate, worst,
               worst_index < 0 ? "value" : ("gradient " + std::to_string(worst_index)).c_str());
  if (!(worst <= tolerance)) {
    std::fprintf(stderr, "%s: beyond %.0e, aborting\n", what.c_str(), tolerance);
    std::abort();
  }
  return worst;
}

template <class Model>
gradient_function statix_gradient(const Model& model, sx::density_options options) {
  return [&model, options](const double* x, double* grad) {
    const Eigen::VectorXd xe = Eigen::Map<const Eigen::VectorXd>(x, model.dim());
    Eigen::VectorXd ge(model.dim());
    const double lp = model.log_density_gradient(xe, ge, options);
    std::copy(ge.data(), ge.data() + model.dim(), grad);
    return lp;
  };
}

void register_pointer(const std::string& name, gradient_function f,
                      const std::vector<double>& point) {
  with_min(benchmark::RegisterBenchmark(name.c_str(), [f, point](benchmark::State& state) {
    std::vector<double> x = point, grad(point.size());
    for (auto _ : state) {
      double lp = f(x.data(), grad.data());
      benchmark::DoNotOptimize(lp);
      benchmark::DoNotOptimize(grad.data());
      benchmark::ClobberMemory();
    }
    state.counters["dim"] = static_cast<double>(point.size());
  }));
}

} // namespace

int main(int argc, char** argv) {
  const auto model = lotka_volterra_model(case_study_tolerances);
  const auto exact = lotka_volterra_model(sx::ode_options{.rel_tol = 1e-10, .abs_tol = 1e-10});
  const std::vector<double> point = lotka_volterra_point(0, 1.0);

  struct method {
    std::string name;
    gradient_function f;
    double to_full_density; // added to its value: Statix's full density
  };
  std::vector<method> methods;
  methods.push_back({"statix_reverse", statix_gradient(model, sampler_options), 0.0});
  methods.push_back(
      {"hand_written",
       [](const double* x, double* g) { return hand_written(x, g, case_study_tolerances); },
       stan_to_full_density()});
#if STATIX_BENCH_HAVE_STAN
  std::vector<double> ts(N), y(2 * N);
  for (int t = 0; t < N; ++t) {
    ts[t] = t + 1;
    y[2 * t] = y_data[t][0];
    y[2 * t + 1] = y_data[t][1];
  }
  const int stan_id = statix_bench::stan_make_lotka_volterra(N, ts.data(), y_init_data, y.data());
  methods.push_back({"stan_reverse",
                     [stan_id](const double* x, double* g) {
                       return statix_bench::stan_lotka_volterra_gradient(stan_id, x, g);
                     },
                     stan_to_full_density()});
#endif

  // Statix's propto value differs from its full density by a constant.
  {
    std::vector<double> g(8);
    const gradient_function propto = statix_gradient(model, sampler_options);
    const gradient_function full = statix_gradient(model, full_density);
    methods[0].to_full_density = full(point.data(), g.data()) - propto(point.data(), g.data());
  }

  const gradient_function reference = statix_gradient(exact, full_density);
  const gradient_function statix_full = statix_gradient(model, full_density);
  for (unsigned seed = 0; seed < 5; ++seed) {
    const std::vector<double> x = lotka_volterra_point(seed, 1.0);
    const std::string at = seed == 0 ? "mean" : "draw " + std::to_string(seed);
    for (const method& m : methods)
      require_agreement(m.name + " vs exact at " + at, reference, m.f, x, -m.to_full_density, 1e-3);
    require_agreement("hand_written vs statix_reverse at " + at, statix_full, methods[1].f, x,
                      -methods[1].to_full_density, 1e-9);
#if STATIX_BENCH_HAVE_STAN
    require_agreement("stan_reverse vs statix_reverse at " + at, statix_full, methods[2].f, x,
                      -methods[2].to_full_density, 1e-3);
#endif
  }
#if !STATIX_BENCH_HAVE_STAN
  std::fprintf(stderr, "Stan Math comparison not built: StanHeaders was not found at configure "
                       "time (apt-get install --no-install-recommends r-cran-stanheaders)\n");
#endif

  // --calls=<method>:<n>: call one method n times at the benchmark point and
  // exit, for instruction counts (valgrind --tool=callgrind, as in
  // recursion_benchmark.cpp).
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (!arg.starts_with("--calls=")) continue;
    const std::size_t colon = arg.rfind(':');
    const std::string wanted = arg.substr(8, colon - 8);
    const long n = std::strtol(arg.c_str() + colon + 1, nullptr, 10);
    for (const method& m : methods)
      if ("lotka_volterra/" + m.name == wanted) {
        std::vector<double> grad(point.size());
        double total = 0;
        for (long k = 0; k < n; ++k)
          total += m.f(point.data(), grad.data());
        std::printf("%s: %ld calls, sum of values %.17g\n", wanted.c_str(), n, total);
        return 0;
      }
    std::fprintf(stderr, "--calls: no method %s\n", wanted.c_str());
    return 1;
  }

  // Statix as a sampler calls it: Eigen vectors kept across calls.
  with_min(benchmark::RegisterBenchmark(
      "lotka_volterra/statix_reverse", [&model, &point](benchmark::State& state) {
        Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(point.data(), model.dim());
        Eigen::VectorXd grad(model.dim());
        for (auto _ : state) {
          double lp = model.log_density_gradient(x, grad, sampler_options);
          benchmark::DoNotOptimize(lp);
          benchmark::DoNotOptimize(grad.data());
          benchmark::ClobberMemory();
        }
        state.counters["dim"] = model.dim();
      }));
  for (std::size_t m = 1; m < methods.size(); ++m)
    register_pointer("lotka_volterra/" + methods[m].name, methods[m].f, point);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
