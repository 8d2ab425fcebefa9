// Nanoseconds per log density + gradient of two recursive models,
// posteriordb's hmm_example (generalised to K states) and garch11, for
// Statix reverse mode, hand-written analytic gradients and (when StanHeaders
// is installed) Stan Math reverse mode on the model as stanc 2.21 writes it
// (stan/stan_recursion_models.cpp). A separate executable from
// gradient_benchmark, so that neither's compile time grows with the other.
//
// Methods (benchmarks/README.md, "Recursion and HMM"):
//   statix_reverse           the model as tests/posteriordb writes it
//   hand_written             recursion_hand_written.hpp, the same algorithm
//   stan_reverse             Stan Math, the model as stanc writes it
//   statix_reverse_expr      HMM: log emissions as expressions, not sx::lpdf
//   *_variance               GARCH: the recursion over sigma^2, sqrt outside it
//
// At startup every method is checked against Statix reverse mode at the
// benchmark point and three other points: the hand-written gradients to
// 1e-9 relative in the value and every gradient entry, the others to 1e-8,
// or the program aborts. Where a method's value differs from Statix's
// `propto` one by a known constant (Stan keeps the constants of its
// `target +=` statements), the check adds that constant.
//
// Benchmark names are <model>/<method>; the counter `dim` is the number of
// unconstrained parameters. Ratios are taken afterwards from the medians.

#include "recursion_data.hpp"
#include "recursion_hand_written.hpp"
#if STATIX_BENCH_HAVE_STAN
#include "stan/stan_recursion_models.hpp"
#endif

#include <statix/statix.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <numbers>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace sx = statix;
using namespace statix_bench;

namespace {

constexpr sx::density_options sampler_options{.jacobian = true, .propto = true};

Eigen::VectorXd to_eigen(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

// ---- the Statix models ---------------------------------------------------------

// hmm_example at K states, as tests/posteriordb/recursion_posteriordb_test.cpp
// writes it for K = 2: K flat simplex rows theta1..thetaK of the transition
// matrix, mu positive_ordered(K) with mu[k] ~ normal(prior_mean[k], 1), the
// K x N log emission densities stacked from sx::lpdf rows, and
// sx::hmm_marginal with the uniform initial distribution rho = 1 / K (Stan's
// model has none: its first step is the emission alone, log K more).
constexpr sx::fixed_string<7> theta_names[] = {"theta1", "theta2", "theta3", "theta4",
                                               "theta5", "theta6", "theta7", "theta8"};

template <std::size_t... I>
auto hmm_model_of(const hmm_data& d, std::index_sequence<I...>) {
  constexpr int K = static_cast<int>(sizeof...(I));
  const Eigen::VectorXd y = to_eigen(d.y), prior_mean = to_eigen(d.prior_mean);
  const Eigen::VectorXd rho = Eigen::VectorXd::Constant(K, 1.0 / K);
  auto thetas = std::make_tuple(sx::flat<theta_names[I]>(sx::simplex(K))...);
  auto mu = sx::normal<"mu">(prior_mean, 1.0, sx::positive_ordered(K));
  auto log_omega = sx::stack_rows(sx::lpdf(sx::normal(mu[static_cast<int>(I)], 1.0), y)...);
  auto obs = sx::hmm_marginal<"y">(log_omega, sx::stack_rows(std::get<I>(thetas)...), rho);
  return sx::model(std::get<I>(thetas)..., mu, obs);
}

template <int K>
auto hmm_model(const hmm_data& d) {
  return hmm_model_of(d, std::make_index_sequence<K>{});
}

// The same model with the log emission densities written as expressions,
// -(y - mu[k])^2 / 2, instead of sx::lpdf rows (the constant -log(2 pi) / 2
// of each left out: N log(2 pi) / 2 more in the value, the same gradient).
// A measurement of what sx::lpdf's per-element work costs (see README).
template <std::size_t... I>
auto hmm_expression_model_of(const hmm_data& d, std::index_sequence<I...>) {
  constexpr int K = static_cast<int>(sizeof...(I));
  const Eigen::VectorXd y = to_eigen(d.y), prior_mean = to_eigen(d.prior_mean);
  const Eigen::VectorXd rho = Eigen::VectorXd::Constant(K, 1.0 / K);
  auto thetas = std::make_tuple(sx::flat<theta_names[I]>(sx::simplex(K))...);
  auto mu = sx::normal<"mu">(prior_mean, 1.0, sx::positive_ordered(K));
  auto log_omega = sx::stack_rows((-0.5 * square(y - mu[static_cast<int>(I)]))...);
  auto obs = sx::hmm_marginal<"y">(log_omega, sx::stack_rows(std::get<I>(thetas)...), rho);
  return sx::model(std::get<I>(thetas)..., mu, obs);
}

template <int K>
auto hmm_expression_model(const hmm_data& d) {
  return hmm_expression_model_of(d, std::make_index_sequence<K>{});
}

// garch11, as the posteriordb test writes it: sigma by sx::scan.
auto garch_model(const garch_data& d) {
  const Eigen::VectorXd y = to_eigen(d.y);
  const int T = static_cast<int>(d.y.size());
  auto mu = sx::flat<"mu">();
  auto alpha0 = sx::flat<"alpha0">(sx::lower(0.0));
  auto alpha1 = sx::flat<"alpha1">(sx::lower(0.0), sx::upper(1.0));
  auto beta1 = sx::flat<"beta1">(sx::lower(0.0), sx::upper(1.0 - alpha1));
  auto sigma = sx::scan(d.sigma1, T, [&](auto prev, auto t) {
    return sqrt(alpha0 + alpha1 * square(sx::data(y)[t - 1] - mu) + beta1 * square(prev));
  });
  auto obs = sx::normal<"y">(mu, sigma).observe(y);
  return sx::model(mu, alpha0, alpha1, beta1, obs);
}

// The same density with the recursion over the variance, v[t] = alpha0 +
// alpha1 (y[t-1] - mu)^2 + beta1 v[t-1], and sigma = sqrt(v) taken outside
// it: no square root on the chain from one step to the next.
auto garch_variance_model(const garch_data& d) {
  const Eigen::VectorXd y = to_eigen(d.y);
  const int T = static_cast<int>(d.y.size());
  auto mu = sx::flat<"mu">();
  auto alpha0 = sx::flat<"alpha0">(sx::lower(0.0));
  auto alpha1 = sx::flat<"alpha1">(sx::lower(0.0), sx::upper(1.0));
  auto beta1 = sx::flat<"beta1">(sx::lower(0.0), sx::upper(1.0 - alpha1));
  auto v = sx::scan(d.sigma1 * d.sigma1, T, [&](auto prev, auto t) {
    return alpha0 + alpha1 * square(sx::data(y)[t - 1] - mu) + beta1 * prev;
  });
  auto obs = sx::normal<"y">(mu, sqrt(v)).observe(y);
  return sx::model(mu, alpha0, alpha1, beta1, obs);
}

// ---- points ---------------------------------------------------------------------

// Near the simulated truth on the unconstrained scale: theta rows near
// uniform, log increments of mu near those of the true means.
std::vector<double> hmm_point(const hmm_data& d, unsigned seed, double scale) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  const int K = d.k;
  std::vector<double> x;
  for (int i = 0; i < K * (K - 1); ++i)
    x.push_back(0.3 * scale * z(g));
  for (int k = 0; k < K; ++k)
    x.push_back(std::log(d.true_mu[k] - (k == 0 ? 0.0 : d.true_mu[k - 1])) + 0.05 * scale * z(g));
  return x;
}

// mu near the returns' mean, alpha0 near a tenth of their variance,
// alpha1 near 0.3, beta1 near half of 1 - alpha1.
std::vector<double> garch_point(const garch_data& d, unsigned seed, double scale) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  double mean = 0, var = 0;
  for (double v : d.y)
    mean += v / static_cast<double>(d.y.size());
  for (double v : d.y)
    var += (v - mean) * (v - mean) / static_cast<double>(d.y.size());
  return {mean + 0.2 * scale * z(g), std::log(0.1 * var) + 0.3 * scale * z(g),
          std::log(0.3 / 0.7) + 0.3 * scale * z(g), 0.3 * scale * z(g)};
}

// ---- agreement checks -----------------------------------------------------------

using gradient_function = std::function<double(const double*, double*)>;

// The fastest repetition beside Google Benchmark's mean, median and
// deviation: on a shared machine, other work only adds time.
benchmark::internal::Benchmark* with_min(benchmark::internal::Benchmark* b) {
  return b->ComputeStatistics(
      "min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });
}

double relative_difference(double a, double b) {
  const double scale = std::max(std::abs(a), std::abs(b));
  return scale == 0 ? 0 : std::abs(a - b) / scale;
}

// value_offset: the candidate's value minus the reference's, a constant.
void require_agreement(const std::string& model, const std::string& method,
                       const gradient_function& reference, const gradient_function& candidate,
                       const std::vector<double>& x, double value_offset, double tolerance) {
  const int dim = static_cast<int>(x.size());
  std::vector<double> g_reference(dim), g_candidate(dim);
  const double lp_reference = reference(x.data(), g_reference.data()) + value_offset;
  const double lp_candidate = candidate(x.data(), g_candidate.data());
  double worst = relative_difference(lp_reference, lp_candidate);
  int worst_index = -1;
  for (int i = 0; i < dim; ++i) {
    const double r = relative_difference(g_reference[i], g_candidate[i]);
    if (std::isnan(g_candidate[i]) || std::isnan(g_reference[i])) {
      worst = NAN;
      break;
    }
    if (r > worst) {
      worst = r;
      worst_index = i;
    }
  }
  std::fprintf(stderr, "check %-16s %-14s lp %.17g, worst relative difference %.2e (%s)\n",
               model.c_str(), method.c_str(), lp_candidate, worst,
               worst_index < 0 ? "value" : ("gradient " + std::to_string(worst_index)).c_str());
  if (!(worst <= tolerance)) {
    std::fprintf(stderr, "%s/%s disagrees with the reference beyond %.0e: aborting\n",
                 model.c_str(), method.c_str(), tolerance);
    std::abort();
  }
}

// ---- benchmarks -----------------------------------------------------------------

struct method {
  std::string name;
  gradient_function check;
  std::function<void(const std::string&)> register_benchmark;
  double value_offset = 0; // its value minus Statix's
};

template <class F>
method pointer_method(std::string name, F f, const std::vector<double>& point,
                      double value_offset = 0) {
  auto check = [f](const double* x, double* grad) mutable { return f(x, grad); };
  auto reg = [f, point](const std::string& full_name) {
    with_min(benchmark::RegisterBenchmark(
        full_name.c_str(), [f, point](benchmark::State& state) mutable {
          std::vector<double> x = point, grad(point.size());
          for (auto _ : state) {
            double lp = f(x.data(), grad.data());
            benchmark::DoNotOptimize(lp);
            benchmark::DoNotOptimize(grad.data());
            benchmark::ClobberMemory();
          }
          state.counters["dim"] = static_cast<double>(point.size());
        }));
  };
  return {std::move(name), check, reg, value_offset};
}

// Statix as a sampler calls it: Eigen vectors kept across calls.
template <class Model>
method statix_method(const Model& model, const std::vector<double>& point,
                     std::string name = "statix_reverse", double value_offset = 0) {
  auto check = [&model](const double* x, double* grad) {
    const Eigen::VectorXd xe = Eigen::Map<const Eigen::VectorXd>(x, model.dim());
    Eigen::VectorXd ge(model.dim());
    const double lp = model.log_density_gradient(xe, ge, sampler_options);
    std::copy(ge.data(), ge.data() + model.dim(), grad);
    return lp;
  };
  auto reg = [&model, point](const std::string& full_name) {
    with_min(
        benchmark::RegisterBenchmark(full_name.c_str(), [&model, point](benchmark::State& state) {
          Eigen::VectorXd x = to_eigen(point);
          Eigen::VectorXd grad(model.dim());
          for (auto _ : state) {
            double lp = model.log_density_gradient(x, grad, sampler_options);
            benchmark::DoNotOptimize(lp);
            benchmark::DoNotOptimize(grad.data());
            benchmark::ClobberMemory();
          }
          state.counters["dim"] = model.dim();
        }));
  };
  return {std::move(name), check, reg, value_offset};
}

struct benchmark_case {
  std::string model;
  std::vector<double> point;
  std::function<std::vector<double>(unsigned, double)> other_point;
  std::vector<method> methods;
};

template <class Model, class Hand>
benchmark_case make_case(std::string name, const Model& model, Hand& hand,
                         std::vector<double> point,
                         std::function<std::vector<double>(unsigned, double)> other_point) {
  if (hand.dim() != model.dim() || static_cast<int>(point.size()) != model.dim()) {
    std::fprintf(stderr, "%s: the hand-written gradient has dimension %d, the model %d\n",
                 name.c_str(), hand.dim(), model.dim());
    std::abort();
  }
  benchmark_case c{std::move(name), point, std::move(other_point), {}};
  c.methods.push_back(statix_method(model, point));
  c.methods.push_back(pointer_method(
      "hand_written", [&hand](const double* x, double* g) { return hand(x, g); }, point));
  return c;
}

#if STATIX_BENCH_HAVE_STAN
// Stan's hmm_example minus Statix's propto density: Stan keeps the
// -log(2 pi) / 2 of its K `target += normal_lpdf(mu[k] | ...)` priors
// (Statix's `propto` drops them) and has no initial distribution (Statix's
// rho = 1 / K gives log K less). The emission densities keep their
// constants on both sides. garch11: `y ~ normal(...)`, propto on both sides.
double stan_hmm_offset(int K) {
  return std::log(static_cast<double>(K)) - 0.5 * K * std::log(2 * std::numbers::pi);
}
#endif

} // namespace

int main(int argc, char** argv) {
  const hmm_data hmm_100_2 = make_hmm_data(100, 2, 20261210u);
  const hmm_data hmm_100_4 = make_hmm_data(100, 4, 20261211u);
  const hmm_data hmm_1000_2 = make_hmm_data(1000, 2, 20261212u);
  const hmm_data hmm_1000_4 = make_hmm_data(1000, 4, 20261213u);
  const garch_data garch_pdb = read_posteriordb_garch_data(STATIX_BENCH_GARCH_DATA);
  const garch_data garch_1000 = make_garch_data(1000, 20261214u);
  if (garch_pdb.y.empty()) {
    std::fprintf(stderr, "cannot read posteriordb's garch data from %s\n", STATIX_BENCH_GARCH_DATA);
    return 1;
  }

  const auto hmm_100_2_model = hmm_model<2>(hmm_100_2);
  const auto hmm_100_4_model = hmm_model<4>(hmm_100_4);
  const auto hmm_1000_2_model = hmm_model<2>(hmm_1000_2);
  const auto hmm_1000_4_model = hmm_model<4>(hmm_1000_4);
  const auto garch_pdb_model = garch_model(garch_pdb);
  const auto garch_1000_model = garch_model(garch_1000);
  const auto hmm_100_2_expression = hmm_expression_model<2>(hmm_100_2);
  const auto hmm_100_4_expression = hmm_expression_model<4>(hmm_100_4);
  const auto hmm_1000_2_expression = hmm_expression_model<2>(hmm_1000_2);
  const auto hmm_1000_4_expression = hmm_expression_model<4>(hmm_1000_4);
  const auto garch_pdb_variance = garch_variance_model(garch_pdb);
  const auto garch_1000_variance = garch_variance_model(garch_1000);

  hmm_gradient hmm_hand[] = {hmm_gradient(hmm_100_2), hmm_gradient(hmm_100_4),
                             hmm_gradient(hmm_1000_2), hmm_gradient(hmm_1000_4)};
  garch_gradient garch_hand[] = {garch_gradient(garch_pdb), garch_gradient(garch_1000)};
  garch_variance_gradient garch_variance_hand[] = {garch_variance_gradient(garch_pdb),
                                                   garch_variance_gradient(garch_1000)};
  const hmm_data* hmm_sets[] = {&hmm_100_2, &hmm_100_4, &hmm_1000_2, &hmm_1000_4};
  const garch_data* garch_sets[] = {&garch_pdb, &garch_1000};

  auto hmm_points = [](const hmm_data* d) {
    return [d](unsigned seed, double scale) { return hmm_point(*d, seed, scale); };
  };
  auto garch_points = [](const garch_data* d) {
    return [d](unsigned seed, double scale) { return garch_point(*d, seed, scale); };
  };

  std::vector<benchmark_case> cases;
  cases.push_back(make_case("hmm_N100_K2", hmm_100_2_model, hmm_hand[0],
                            hmm_point(hmm_100_2, 21u, 1.0), hmm_points(hmm_sets[0])));
  cases.push_back(make_case("hmm_N100_K4", hmm_100_4_model, hmm_hand[1],
                            hmm_point(hmm_100_4, 22u, 1.0), hmm_points(hmm_sets[1])));
  cases.push_back(make_case("hmm_N1000_K2", hmm_1000_2_model, hmm_hand[2],
                            hmm_point(hmm_1000_2, 23u, 1.0), hmm_points(hmm_sets[2])));
  cases.push_back(make_case("hmm_N1000_K4", hmm_1000_4_model, hmm_hand[3],
                            hmm_point(hmm_1000_4, 24u, 1.0), hmm_points(hmm_sets[3])));
  cases.push_back(make_case("garch11_T200", garch_pdb_model, garch_hand[0],
                            garch_point(garch_pdb, 25u, 1.0), garch_points(garch_sets[0])));
  cases.push_back(make_case("garch11_T1000", garch_1000_model, garch_hand[1],
                            garch_point(garch_1000, 26u, 1.0), garch_points(garch_sets[1])));

  // The rewritten models (README: what they show); values offset by the
  // constants left out.
  const double half_log_2pi = 0.5 * std::log(2 * std::numbers::pi);
  auto add_expression = [&](int h, const auto& model) {
    cases[h].methods.push_back(statix_method(model, cases[h].point, "statix_reverse_expr",
                                             hmm_sets[h]->y.size() * half_log_2pi));
  };
  add_expression(0, hmm_100_2_expression);
  add_expression(1, hmm_100_4_expression);
  add_expression(2, hmm_1000_2_expression);
  add_expression(3, hmm_1000_4_expression);
  cases[4].methods.push_back(
      statix_method(garch_pdb_variance, cases[4].point, "statix_reverse_variance"));
  cases[5].methods.push_back(
      statix_method(garch_1000_variance, cases[5].point, "statix_reverse_variance"));
  for (int m = 0; m < 2; ++m) {
    garch_variance_gradient* hand = &garch_variance_hand[m];
    cases[4 + m].methods.push_back(pointer_method(
        "hand_written_variance", [hand](const double* x, double* g) { return (*hand)(x, g); },
        cases[4 + m].point));
  }

#if STATIX_BENCH_HAVE_STAN
  for (int h = 0; h < 4; ++h) {
    const hmm_data& d = *hmm_sets[h];
    const int id =
        stan_make_hmm(static_cast<int>(d.y.size()), d.k, d.y.data(), d.prior_mean.data());
    cases[h].methods.push_back(pointer_method(
        "stan_reverse", [id](const double* x, double* g) { return stan_hmm_gradient(id, x, g); },
        cases[h].point, stan_hmm_offset(d.k)));
  }
  for (int m = 0; m < 2; ++m) {
    const garch_data& d = *garch_sets[m];
    const int id = stan_make_garch(static_cast<int>(d.y.size()), d.y.data(), d.sigma1);
    cases[4 + m].methods.push_back(pointer_method(
        "stan_reverse", [id](const double* x, double* g) { return stan_garch_gradient(id, x, g); },
        cases[4 + m].point));
    cases[4 + m].methods.push_back(pointer_method(
        "stan_reverse_variance",
        [id](const double* x, double* g) { return stan_garch_variance_gradient(id, x, g); },
        cases[4 + m].point));
  }
#endif

  for (const auto& c : cases) {
    const gradient_function& statix_reverse = c.methods.front().check;
    for (unsigned seed = 0; seed < 4; ++seed) {
      const std::vector<double> x = seed == 0 ? c.point : c.other_point(100u + seed, 1.0 + seed);
      for (std::size_t m = 1; m < c.methods.size(); ++m) {
        const method& candidate = c.methods[m];
        require_agreement(c.model, candidate.name, statix_reverse, candidate.check, x,
                          candidate.value_offset,
                          candidate.name.starts_with("hand_written") ? 1e-9 : 1e-8);
      }
    }
  }
#if !STATIX_BENCH_HAVE_STAN
  std::fprintf(stderr, "Stan Math comparison not built: StanHeaders was not found at configure "
                       "time (apt-get install --no-install-recommends r-cran-stanheaders)\n");
#endif

  // --calls=<model>/<method>:<n>: call one method n times at the benchmark
  // point and exit, for instruction counts (valgrind --tool=callgrind with n
  // and n + 10 calls: the difference over 10 is one call, startup and checks
  // cancelled out).
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (!arg.starts_with("--calls=")) continue;
    const std::size_t colon = arg.rfind(':');
    const std::string wanted = arg.substr(8, colon - 8);
    const long n = std::strtol(arg.c_str() + colon + 1, nullptr, 10);
    for (const auto& c : cases)
      for (const auto& m : c.methods)
        if (c.model + "/" + m.name == wanted) {
          std::vector<double> grad(c.point.size());
          double total = 0;
          for (long k = 0; k < n; ++k)
            total += m.check(c.point.data(), grad.data());
          std::printf("%s: %ld calls, sum of values %.17g\n", wanted.c_str(), n, total);
          return 0;
        }
    std::fprintf(stderr, "--calls: no method %s\n", wanted.c_str());
    return 1;
  }

  for (const auto& c : cases)
    for (const auto& m : c.methods)
      m.register_benchmark(c.model + "/" + m.name);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
