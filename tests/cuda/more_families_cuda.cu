// The families added for Stan coverage evaluated in device code: log density
// and every partial of 512 points per family computed by a CUDA kernel equal
// the host values (1e-12 relative for values, 1e-10 for partials; device libm
// may differ by a few ulps), and
// random draws made on the device are finite and inside the support. Built
// with nvcc (STATIX_ENABLE_CUDA); it runs where a GPU is present and reports,
// without failing, when none is.
#include <statix/distributions/distributions.hpp>
#include <statix/math/philox.hpp>
#include <statix/math/random.hpp>

#include <cuda_runtime.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <utility>
#include <vector>

namespace dist = statix::dist;

namespace {

constexpr int points = 512;

template <class D>
constexpr int num_args = D::num_params + 1;

// The variate of a discrete family and nonnegative-integer parameters are int.
template <class D, int I>
__host__ __device__ auto arg(const double* a) {
  if constexpr (I == 0 && D::is_discrete)
    return static_cast<int>(a[0]);
  else if constexpr (I > 0 && D::param_domains[I - 1] == dist::param_domain::nonnegative_int)
    return static_cast<int>(a[I]);
  else
    return a[I];
}

template <class D>
constexpr unsigned real_mask() {
  unsigned m = 0;
  for (int k = 0; k < num_args<D>; ++k) {
    const bool is_int = (k == 0 && D::is_discrete) ||
                        (k > 0 && D::param_domains[k - 1] == dist::param_domain::nonnegative_int);
    if (!is_int) m |= 1u << k;
  }
  return m;
}

// out[p * (num_args + 1)]: the value, then the partials.
template <class D, std::size_t... I>
__host__ __device__ void evaluate(const double* a, double* out, std::index_sequence<I...>) {
  double d[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  out[0] = D::template lpdf<false, real_mask<D>(), true, double>(arg<D, int(I)>(a)..., d);
  for (int k = 0; k < num_args<D>; ++k)
    out[k + 1] = d[k];
}

template <class D>
__global__ void lpdf_kernel(const double* args, double* out) {
  const int p = blockIdx.x * blockDim.x + threadIdx.x;
  if (p < points)
    evaluate<D>(args + p * num_args<D>, out + p * (num_args<D> + 1),
                std::make_index_sequence<num_args<D>>{});
}

template <class D, std::size_t... I>
__device__ double draw(statix::random::philox& g, const double* a, std::index_sequence<I...>) {
  return static_cast<double>(D::rng(g, arg<D, int(I) + 1>(a - 1)...));
}

template <class D>
__global__ void rng_kernel(const double* params, double* out) {
  const int p = blockIdx.x * blockDim.x + threadIdx.x;
  if (p < points) {
    statix::random::philox g(7, p);
    out[p] = draw<D>(g, params, std::make_index_sequence<D::num_params>{});
  }
}

template <class D, class Gen>
int check_family(Gen gen, std::array<double, num_args<D>> draw_params) {
  std::mt19937_64 engine(11);
  std::vector<double> host_args(points * num_args<D>);
  for (int p = 0; p < points; ++p) {
    const auto a = gen(engine);
    for (int k = 0; k < num_args<D>; ++k)
      host_args[p * num_args<D> + k] = a[k];
  }
  const int width = num_args<D> + 1;
  std::vector<double> want(points * width), got(points * width);
  for (int p = 0; p < points; ++p)
    evaluate<D>(&host_args[p * num_args<D>], &want[p * width],
                std::make_index_sequence<num_args<D>>{});
  double *dev_args = nullptr, *dev_out = nullptr, *dev_params = nullptr, *dev_draws = nullptr;
  cudaMalloc(&dev_args, host_args.size() * sizeof(double));
  cudaMalloc(&dev_out, got.size() * sizeof(double));
  cudaMemcpy(dev_args, host_args.data(), host_args.size() * sizeof(double), cudaMemcpyHostToDevice);
  lpdf_kernel<D><<<(points + 127) / 128, 128>>>(dev_args, dev_out);
  cudaMemcpy(got.data(), dev_out, got.size() * sizeof(double), cudaMemcpyDeviceToHost);
  int failures = 0;
  double worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double w = want[i], g = got[i];
    if (std::isinf(w) || std::isinf(g)) {
      if (w != g) ++failures;
      continue;
    }
    const double e = std::fabs(g - w) / std::fmax(1.0, std::fabs(w));
    worst = std::fmax(worst, e);
    // Values to 1e-12; partials to 1e-10, as some are differences of nearly
    // equal terms (exp_mod_normal's d/dsigma) that magnify ulp differences
    // between the host's and the device's erfc and exp.
    const bool is_value = i % width == 0;
    if (!(e <= (is_value ? 1e-12 : 1e-10))) {
      ++failures;
      std::printf("  point %d slot %d: host %.17g device %.17g\n", int(i / width), int(i % width),
                  w, g);
    }
  }
  // Draws: finite and in the support (checked by a finite host log density).
  std::vector<double> draws(points);
  cudaMalloc(&dev_params, D::num_params * sizeof(double));
  cudaMalloc(&dev_draws, points * sizeof(double));
  cudaMemcpy(dev_params, draw_params.data() + 1, D::num_params * sizeof(double),
             cudaMemcpyHostToDevice);
  rng_kernel<D><<<(points + 127) / 128, 128>>>(dev_params, dev_draws);
  cudaMemcpy(draws.data(), dev_draws, points * sizeof(double), cudaMemcpyDeviceToHost);
  int bad_draws = 0;
  double mean = 0;
  for (double y : draws) {
    auto a = draw_params;
    a[0] = y;
    double out[8];
    evaluate<D>(a.data(), out, std::make_index_sequence<num_args<D>>{});
    if (!std::isfinite(y) || !std::isfinite(out[0])) ++bad_draws;
    mean += y / points;
  }
  cudaFree(dev_args);
  cudaFree(dev_out);
  cudaFree(dev_params);
  cudaFree(dev_draws);
  std::printf("%-22s worst relative difference %.2e, %d mismatches, %d bad draws, draw mean %g\n",
              D::family_name, worst, failures, bad_draws, mean);
  return failures + bad_draws;
}

} // namespace

int main() {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("no CUDA device: more_families_cuda not run\n");
    return 0;
  }
  auto u = [](std::mt19937_64& e, double a, double b) {
    return std::uniform_real_distribution<double>(a, b)(e);
  };
  auto lu = [&](std::mt19937_64& e, double a, double b) {
    return std::exp(u(e, std::log(a), std::log(b)));
  };
  auto ui = [](std::mt19937_64& e, int a, int b) {
    return double(std::uniform_int_distribution<int>(a, b)(e));
  };
  using A2 = std::array<double, 2>;
  using A3 = std::array<double, 3>;
  using A4 = std::array<double, 4>;
  int failures = 0;
  failures += check_family<dist::skew_normal>(
      [&](auto& e) {
        return A4{u(e, -40, 40), u(e, -3, 3), lu(e, 0.2, 5), u(e, -6, 6)};
      },
      {0, 1, 2, 3});
  failures += check_family<dist::exp_mod_normal>(
      [&](auto& e) {
        return A4{u(e, -60, 60), u(e, -3, 3), lu(e, 0.2, 5), lu(e, 0.05, 40)};
      },
      {0, 1, 2, 0.5});
  failures += check_family<dist::gumbel>(
      [&](auto& e) {
        return A3{u(e, -20, 600), u(e, -5, 5), lu(e, 0.1, 10)};
      },
      {0, 1, 2});
  failures += check_family<dist::frechet>(
      [&](auto& e) {
        return A3{lu(e, 1e-2, 1e6), lu(e, 0.3, 20), lu(e, 0.1, 10)};
      },
      {0, 3, 2});
  failures += check_family<dist::pareto>(
      [&](auto& e) {
        return A3{lu(e, 10, 1e12), lu(e, 0.1, 9), lu(e, 0.2, 20)};
      },
      {0, 2, 3});
  failures += check_family<dist::pareto_type_2>(
      [&](auto& e) {
        return A4{lu(e, 5, 1e6), u(e, -5, 4), lu(e, 0.1, 10), lu(e, 0.2, 20)};
      },
      {0, 1, 2, 3});
  failures += check_family<dist::rayleigh>(
      [&](auto& e) {
        return A2{lu(e, 1e-3, 60), lu(e, 0.1, 10)};
      },
      {0, 2});
  failures += check_family<dist::chi_square>(
      [&](auto& e) {
        return A2{lu(e, 1e-3, 1e3), lu(e, 0.2, 400)};
      },
      {0, 3.5});
  failures += check_family<dist::inv_chi_square>(
      [&](auto& e) {
        return A2{lu(e, 1e-3, 1e6), lu(e, 0.2, 50)};
      },
      {0, 12});
  failures += check_family<dist::scaled_inv_chi_square>(
      [&](auto& e) {
        return A3{lu(e, 1e-3, 1e6), lu(e, 0.2, 50), lu(e, 0.1, 10)};
      },
      {0, 12, 1.5});
  failures += check_family<dist::von_mises>(
      [&](auto& e) {
        return A3{u(e, -10, 10), u(e, -3, 3), lu(e, 1e-3, 1e4)};
      },
      {0, 0.7, 2});
  failures += check_family<dist::beta_binomial>(
      [&](auto& e) {
        const double n = ui(e, 0, 1000);
        return A4{ui(e, 0, int(n)), n, lu(e, 0.1, 1e5), lu(e, 0.1, 1e5)};
      },
      {0, 30, 2.5, 4});
  failures += check_family<dist::neg_binomial>(
      [&](auto& e) {
        return A3{ui(e, 0, 1000), lu(e, 0.1, 1e8), lu(e, 1e-4, 1e7)};
      },
      {0, 3, 0.4});
  failures += check_family<dist::neg_binomial_2_log>(
      [&](auto& e) {
        return A3{ui(e, 0, 1000), u(e, -30, 9), lu(e, 0.05, 1e8)};
      },
      {0, 1.5, 4});
  failures += check_family<dist::discrete_range>(
      [&](auto& e) {
        return A3{ui(e, -5, 7), -5.0, 7.0};
      },
      {0, -5, 7});
  failures += check_family<dist::hypergeometric>(
      [&](auto& e) {
        return A4{ui(e, 0, 3), ui(e, 3, 6), ui(e, 3, 10), ui(e, 6, 10)};
      },
      {0, 15, 20, 30});
  std::printf(failures == 0 ? "more_families_cuda: OK\n" : "more_families_cuda: %d FAILURES\n",
              failures);
  return failures == 0 ? 0 : 1;
}
