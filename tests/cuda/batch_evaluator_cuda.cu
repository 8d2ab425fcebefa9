// The many-chain path on a GPU: log densities and gradients of 4096 points
// computed by a CUDA thrust::for_each equal the host path. Built with nvcc
// (STATIX_ENABLE_CUDA); it runs where a GPU is present and reports, without
// failing, when none is.
#include "../model/reference_models.hpp"

#include <statix/modeling.hpp>
#include <statix/parallel/batch_evaluator.hpp>

#include <cuda_runtime.h>

#include <chrono>
#include <cstdio>
#include <random>

namespace sx = statix;
using namespace statix_test;

template <class Model>
int check_batch(const char* name, const Model& model, int points, double scale) {
  const int dim = model.dim();
  std::mt19937_64 g(42);
  std::normal_distribution<double> z;
  std::vector<double> host_x(static_cast<std::size_t>(points) * dim);
  for (auto& v : host_x)
    v = scale * z(g);
  thrust::device_vector<double> x(host_x.begin(), host_x.end()), grad, lp;
  sx::parallel::batch_evaluator<Model> batch(model, points);
  batch.log_density_gradient(x, grad, lp); // warm-up
  cudaDeviceSynchronize();
  const auto start = std::chrono::steady_clock::now();
  const int repetitions = 20;
  for (int r = 0; r < repetitions; ++r)
    batch.log_density_gradient(x, grad, lp);
  cudaDeviceSynchronize();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> host_grad(grad.size()), host_lp(lp.size());
  thrust::copy(grad.begin(), grad.end(), host_grad.begin());
  thrust::copy(lp.begin(), lp.end(), host_lp.begin());
  int mismatches = 0;
  double worst = 0;
  for (int p = 0; p < points; ++p) {
    const Eigen::VectorXd xp =
        Eigen::Map<const Eigen::VectorXd>(host_x.data() + static_cast<long>(p) * dim, dim);
    Eigen::VectorXd expected_grad;
    const double expected = model.log_density_gradient(xp, expected_grad);
    const double e = std::abs(host_lp[p] - expected) / std::max(1.0, std::abs(expected));
    worst = std::max(worst, e);
    if (e > 1e-12) ++mismatches;
    for (int i = 0; i < dim; ++i) {
      const double ge = std::abs(host_grad[static_cast<long>(p) * dim + i] - expected_grad[i]) /
                        std::max(1.0, std::abs(expected_grad[i]));
      worst = std::max(worst, ge);
      if (ge > 1e-12) ++mismatches;
    }
  }
  std::printf("%-14s %6d points: %10.1f ns per point (log density + gradient), worst relative "
              "difference to the host %.2e, %d mismatches\n",
              name, points, 1e9 * seconds / repetitions / points, worst, mismatches);
  return mismatches;
}

int main() {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("no CUDA device: the CUDA many-chain path was compiled but not run\n");
    return 0;
  }
  int failures = 0;
  {
    eight_schools_data d;
    auto mu = sx::normal<"mu">(0.0, 5.0);
    auto tau = sx::half_cauchy<"tau">(5.0);
    auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
    auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
    auto y = sx::normal<"y">(theta, d.sigma).observe(d.y);
    failures += check_batch("eight schools", sx::model(mu, tau, theta_raw, theta, y), 4096, 1.0);
  }
  {
    const auto ld = make_logistic_data(5000, 25, 7);
    auto alpha = sx::normal<"alpha">(0.0, 2.5);
    auto beta = sx::normal<"beta">(0.0, 1.0, sx::size(25));
    auto obs = sx::bernoulli_logit<"y">(alpha + ld.X * beta).observe(ld.y);
    failures += check_batch("logistic", sx::model(alpha, beta, obs), 1024, 0.3);
  }
  {
    const auto r = make_radon_data(85, 919, 5);
    auto mu_a = sx::normal<"mu_a">(0.0, 10.0);
    auto sigma_a = sx::half_normal<"sigma_a">(5.0);
    auto mu_b = sx::normal<"mu_b">(0.0, 10.0);
    auto sigma_b = sx::half_normal<"sigma_b">(5.0);
    auto sigma_y = sx::half_normal<"sigma_y">(5.0);
    auto a = sx::normal<"a">(mu_a, sigma_a, sx::size(r.groups));
    auto b = sx::normal<"b">(mu_b, sigma_b, sx::size(r.groups));
    auto ry = sx::normal<"y">(a[r.county] + b[r.county] * r.floor, sigma_y).observe(r.log_radon);
    failures +=
        check_batch("radon", sx::model(mu_a, sigma_a, mu_b, sigma_b, sigma_y, a, b, ry), 4096, 0.5);
  }
  return failures == 0 ? 0 : 1;
}
