// The many-chain samplers on a GPU: ChEES, MEADS and NUTS with sx::on_device
// (and ChEES and NUTS with sx::device_policy<float>) through CUDA give the host threads' draws (the
// same functors and Philox streams; the device's libm may differ from the host's in the last bit,
// so draws are compared as statistics, not bits) and eight schools' posterior. Built with nvcc
// (STATIX_ENABLE_CUDA); it runs where a GPU is present and reports, without failing, when none is.
#include "../model/reference_models.hpp"

#include <statix/parallel.hpp>
#include <statix/statix.hpp>

#include <cuda_runtime.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <utility>

namespace sx = statix;
using namespace statix_test;

int main() {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("no CUDA device: the CUDA ensemble samplers were compiled but not run\n");
    return 0;
  }
  eight_schools_data d;
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto y = sx::normal<"y">(theta, d.sigma).observe(d.y);
  auto model = sx::model(mu, tau, theta_raw, theta, y);
  int failures = 0;
  const auto check = [&](const char* name, const auto& fit, double seconds) {
    const Eigen::VectorXd mu_draws = fit.template draws<"mu">();
    const Eigen::VectorXd tau_draws = fit.template draws<"tau">();
    // posteriordb's reference: mu 4.41 (sd 3.31), tau 3.60 (sd 3.20).
    const double mu_mean = mu_draws.mean(), tau_mean = tau_draws.mean();
    const bool ok = std::abs(mu_mean - 4.41) < 0.15 && std::abs(tau_mean - 3.60) < 0.15;
    std::printf("%s, 4096 chains on the GPU: %.2f s, mu %.3f, tau %.3f, %d divergent: %s\n", name,
                seconds, mu_mean, tau_mean, fit.num_divergent(), ok ? "ok" : "FAILED");
    failures += ok ? 0 : 1;
  };
  const auto timed = [](auto run) {
    const auto start = std::chrono::steady_clock::now();
    auto fit = run();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::pair{std::move(fit), seconds};
  };
  {
    auto [fit, seconds] = timed([&] {
      return sx::sample(
          model, sx::chees{.chains = 4096, .warmup = 300, .draws = 200, .seed = 1, .progress = 0},
          sx::on_device);
    });
    check("ChEES", fit, seconds);
  }
  {
    auto [fit, seconds] = timed([&] {
      return sx::sample(
          model, sx::meads{.chains = 4096, .warmup = 1000, .draws = 500, .seed = 1, .progress = 0},
          sx::on_device);
    });
    check("MEADS", fit, seconds);
  }
  {
    auto [fit, seconds] = timed([&] {
      return sx::sample(
          model, sx::nuts{.chains = 4096, .warmup = 100, .draws = 200, .seed = 1, .progress = 0},
          sx::on_device);
    });
    check("NUTS", fit, seconds);
  }
  // The chains' vectors and the model's evaluation in single precision.
  {
    auto [fit, seconds] = timed([&] {
      return sx::sample(
          model, sx::chees{.chains = 4096, .warmup = 300, .draws = 200, .seed = 1, .progress = 0},
          sx::device_policy<float>{});
    });
    check("ChEES, float", fit, seconds);
  }
  {
    auto [fit, seconds] = timed([&] {
      return sx::sample(
          model, sx::nuts{.chains = 4096, .warmup = 100, .draws = 200, .seed = 1, .progress = 0},
          sx::device_policy<float>{});
    });
    check("NUTS, float", fit, seconds);
  }
  return failures == 0 ? 0 : 1;
}
