// Many chains: ESS per second and per gradient of
//   host NUTS (sx::nuts, one chain per thread task),
//   ChEES and MEADS on host threads, and on the Thrust device system (OpenMP
//   on CPUs here; CUDA where built for a GPU), and NUTS on the device system
//   with its warm-up pooled over the chains (200 iterations), and the three
//   device samplers again with sx::device_policy<float> (the log density
//   and gradient in single precision),
// on eight schools (non-centred), radon (85 counties) and logistic regression
// (N = 5000, D = 25), for 1 (NUTS only), 64, 1024 and 4096 chains where the
// run fits in the time this machine has (see README.md).
//
//   many_chains_benchmark [model] [max_chains]
//
// ESS: the smallest bulk ESS (statix::ess_bulk over all chains) of the
// model's quantities; seconds: the wall time of sx::sample, warm-up
// included; gradients: every chain's, warm-up included.
#include "../../tests/model/statix_models.hpp"

#include <statix/infer/ensemble.hpp>
#include <statix/statix.hpp>
#ifdef STATIX_BENCH_HAVE_THRUST
#include <statix/parallel.hpp>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace sx = statix;
using namespace statix_test;

namespace {

struct result {
  double seconds = 0, min_ess = 0;
  long long gradients = 0;
  int divergent = 0;
};

template <class Fit>
result measure(const Fit& fit, double seconds) {
  result r;
  r.seconds = seconds;
  r.min_ess = std::numeric_limits<double>::infinity();
  const auto& names = fit.chains().front().column_names;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::string& name = names[k];
    if (name.size() > 2 && name.compare(name.size() - 2, 2, "__") == 0) continue;
    r.min_ess = std::min(r.min_ess, sx::ess_bulk(fit.draws_by_chain(name)));
  }
  for (const auto& c : fit.chains())
    r.gradients += c.gradient_evaluations;
  r.divergent = fit.num_divergent();
  return r;
}

template <class Run>
result timed(Run run) {
  const auto start = std::chrono::steady_clock::now();
  const auto fit = run();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return measure(fit, seconds);
}

void print(const char* model, const char* sampler, int chains, int warmup, int draws,
           const result& r) {
  std::printf("%-14s %-15s %6d %5d+%-5d %9.2f %11.0f %12lld %11.1f %11.2e %5d\n", model, sampler,
              chains, warmup, draws, r.seconds, r.min_ess, r.gradients, r.min_ess / r.seconds,
              r.min_ess / static_cast<double>(r.gradients), r.divergent);
  std::fflush(stdout);
}

template <class Model>
void run_model(const char* name, const Model& model, const std::vector<int>& chain_counts,
               int nuts_warmup, int nuts_draws) {
  const int threads = static_cast<int>(std::thread::hardware_concurrency());
  for (int chains : chain_counts) {
    // NUTS: the usual warm-up per chain; with many chains, fewer draws each.
    const int nuts_each = std::max(100, nuts_draws * 4 / std::max(chains, 4));
    print(name, "nuts (host)", chains, nuts_warmup, nuts_each, timed([&] {
            return sx::sample(model, sx::nuts{.chains = chains,
                                              .warmup = nuts_warmup,
                                              .draws = nuts_each,
                                              .seed = 1,
                                              .threads = threads,
                                              .progress = 0});
          }));
    if (chains < 64) continue;
    const int draws = std::max(100, 64000 / chains);
    const sx::chees chees{
        .chains = chains, .warmup = 300, .draws = draws, .seed = 1, .progress = 0};
    const sx::meads meads{
        .chains = chains, .warmup = 1000, .draws = 4 * draws, .seed = 1, .progress = 0};
    print(name, "chees (host)", chains, chees.warmup, chees.draws,
          timed([&] { return sx::sample(model, chees); }));
    print(name, "meads (host)", chains, meads.warmup, meads.draws,
          timed([&] { return sx::sample(model, meads); }));
#ifdef STATIX_BENCH_HAVE_THRUST
    print(name, "chees (device)", chains, chees.warmup, chees.draws,
          timed([&] { return sx::sample(model, chees, sx::on_device); }));
    print(name, "meads (device)", chains, meads.warmup, meads.draws,
          timed([&] { return sx::sample(model, meads, sx::on_device); }));
    // NUTS per chain on the device system, one warm-up pooled over the chains.
    const sx::nuts pooled{
        .chains = chains, .warmup = 200, .draws = draws, .seed = 1, .progress = 0};
    print(name, "nuts (device)", chains, pooled.warmup, pooled.draws,
          timed([&] { return sx::sample(model, pooled, sx::on_device); }));
    // The same on the device with the log density and gradient in float.
    const sx::device_policy<float> single;
    print(name, "chees (dev f32)", chains, chees.warmup, chees.draws,
          timed([&] { return sx::sample(model, chees, single); }));
    print(name, "meads (dev f32)", chains, meads.warmup, meads.draws,
          timed([&] { return sx::sample(model, meads, single); }));
    print(name, "nuts (dev f32)", chains, pooled.warmup, pooled.draws,
          timed([&] { return sx::sample(model, pooled, single); }));
#endif
  }
}

} // namespace

int main(int argc, char** argv) {
  const std::string only = argc > 1 ? argv[1] : "";
  const int max_chains = argc > 2 ? std::atoi(argv[2]) : 4096;
  const auto counts = [&](std::vector<int> all) {
    all.erase(std::remove_if(all.begin(), all.end(), [&](int c) { return c > max_chains; }),
              all.end());
    return all;
  };
  std::printf("%-14s %-15s %6s %11s %9s %11s %12s %11s %11s %5s\n", "model", "sampler", "chains",
              "iterations", "seconds", "min ESS", "gradients", "ESS/s", "ESS/grad", "div");
  if (only.empty() || only == "eight_schools") {
    const eight_schools_data data;
    run_model("eight_schools", eight_schools_model(data), counts({1, 64, 1024, 4096}), 1000, 1000);
  }
  if (only.empty() || only == "radon") {
    const radon_data data = make_radon_data(85, 919, 7);
    run_model("radon", radon_model(data), counts({1, 64, 1024}), 1000, 1000);
  }
  if (only.empty() || only == "logistic") {
    const logistic_data data = make_logistic_data(5000, 25, 3);
    run_model("logistic", logistic_model(data), counts({1, 64}), 1000, 1000);
  }
  return 0;
}
