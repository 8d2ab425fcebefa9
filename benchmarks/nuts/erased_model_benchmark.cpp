// What sampling through sx::erased_model costs (the path of a program linked
// with statix::runtime, where NUTS is compiled once in the library): the same
// runs of NUTS over each model directly and through erased_model, alternately,
// one thread, 4 chains x (1000 warm-up + 1000 draws) per seed. The draws are
// the same bit for bit (checked), so the ratio of the wall times is the ratio
// of ESS per second. Then the gradient alone, called directly and through the
// erased model's function table, at the chains' final positions.
//
//   erased_model_benchmark [seeds [model]]   (default 5 seeds, every model;
//   model: eight_schools, radon or logistic)

#include "../../tests/model/statix_models.hpp"

#include <statix/infer/erased_model.hpp>
#include <statix/infer/sample_chains.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace sx = statix;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

template <class Model>
std::pair<double, std::vector<sx::chain_result>> timed_run(const Model& model, std::uint64_t seed) {
  const sx::nuts options{
      .chains = 4, .warmup = 1000, .draws = 1000, .seed = seed, .threads = 1, .progress = 0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<sx::chain_result> chains = sx::sample_chains(model, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {seconds, std::move(chains)};
}

// Seconds per call of log_density_gradient, over the points, for at least
// `budget` seconds.
template <class Model>
double seconds_per_gradient(const Model& model, const std::vector<Eigen::VectorXd>& points,
                            double budget = 0.5) {
  Eigen::VectorXd grad(points.front().size());
  const sx::density_options density{.jacobian = true, .propto = true};
  double sink = 0;
  for (const auto& x : points)
    sink += model.log_density_gradient(x, grad, density);
  long long calls = 0;
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < budget) {
    for (int repeat = 0; repeat < 64; ++repeat)
      for (const auto& x : points) {
        sink += model.log_density_gradient(x, grad, density);
        ++calls;
      }
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  if (sink == 42.125) std::printf(" "); // keep the calls
  return elapsed / static_cast<double>(calls);
}

template <class Model>
void compare(const std::string& name, const Model& model, int seeds) {
  const sx::erased_model erased(model);
  std::vector<double> direct_seconds, erased_seconds;
  std::vector<Eigen::VectorXd> points;
  for (int s = 1; s <= seeds; ++s) {
    const auto seed = static_cast<std::uint64_t>(s);
    // Alternate which goes first, so that neither always meets a cold cache.
    auto first = s % 2 ? timed_run(model, seed) : timed_run(erased, seed);
    auto second = s % 2 ? timed_run(erased, seed) : timed_run(model, seed);
    auto& direct = s % 2 ? first : second;
    auto& through = s % 2 ? second : first;
    for (std::size_t c = 0; c < direct.second.size(); ++c)
      if (direct.second[c].draws != through.second[c].draws)
        throw std::runtime_error(name + ": the draws differ at seed " + std::to_string(s));
    direct_seconds.push_back(direct.first);
    erased_seconds.push_back(through.first);
    for (const auto& chain : direct.second)
      points.push_back(chain.last_position);
  }
  std::fprintf(stderr, "%s, seconds per seed (direct / erased):", name.c_str());
  for (std::size_t s = 0; s < direct_seconds.size(); ++s)
    std::fprintf(stderr, " %.4f/%.4f", direct_seconds[s], erased_seconds[s]);
  std::fprintf(stderr, "\n");
  const double direct_run = median(direct_seconds), erased_run = median(erased_seconds);
  // The gradient: direct and erased alternately, three times each.
  std::vector<double> direct_gradient, erased_gradient;
  for (int repeat = 0; repeat < 3; ++repeat) {
    direct_gradient.push_back(seconds_per_gradient(model, points));
    erased_gradient.push_back(seconds_per_gradient(erased, points));
  }
  const double g_direct = median(direct_gradient), g_erased = median(erased_gradient);
  std::printf("| %s | %.4f | %.4f | %.3f | %.1f | %.1f | %+.1f |\n", name.c_str(), direct_run,
              erased_run, direct_run / erased_run, 1e9 * g_direct, 1e9 * g_erased,
              1e9 * (g_erased - g_direct));
}

} // namespace

int main(int argc, char** argv) {
  try {
    const int seeds = argc > 1 ? std::atoi(argv[1]) : 5;
    if (seeds < 1) throw std::invalid_argument("seeds must be at least 1");
    std::printf("erased_model_benchmark: %d seeds, 4 chains x (1000 + 1000), one thread; the "
                "same draws both ways (checked)\n\n",
                seeds);
    std::printf("| model | direct run (s, median) | erased run (s, median) | ESS/s erased / "
                "direct | gradient direct (ns) | gradient erased (ns) | difference (ns) |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    const std::string only = argc > 2 ? argv[2] : "";
    const statix_test::eight_schools_data eight_schools;
    if (only.empty() || only == "eight_schools")
      compare("eight schools", statix_test::eight_schools_model(eight_schools), seeds);
    const auto radon = statix_test::make_radon_data(85, 919, 3);
    if (only.empty() || only == "radon") compare("radon", statix_test::radon_model(radon), seeds);
    const auto logistic = statix_test::make_logistic_data(5000, 25, 11);
    if (only.empty() || only == "logistic")
      compare("logistic", statix_test::logistic_model(logistic), seeds);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "erased_model_benchmark: %s\n", e.what());
    return 1;
  }
}
