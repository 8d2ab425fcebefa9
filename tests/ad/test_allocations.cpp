// Counts heap allocations with a replaced global operator new: gradient
// evaluation must allocate nothing once a thread's workspace exists.
#include "../model/reference_models.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long long> allocation_count{0};
}

// The replacements pair malloc with free by design; GCC cannot see that.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t n) {
  ++allocation_count;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
// The nothrow forms as well (Catch allocates with them): under
// AddressSanitizer every form not replaced here comes from its allocator, and
// such memory must not reach the free() above.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++allocation_count;
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& tag) noexcept {
  return operator new(n, tag);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace sx = statix;
using namespace statix_test;

namespace {
template <class Model>
long long allocations_in_gradients(const Model& model, int repetitions, bool forward = false) {
  Eigen::VectorXd x = Eigen::VectorXd::Constant(model.dim(), 0.1), grad(model.dim());
  if (forward)
    model.log_density_gradient(x, grad, sx::forward_mode);
  else
    model.log_density_gradient(x, grad); // the first call sizes the workspace
  const long long before = allocation_count.load();
  double total = 0;
  for (int r = 0; r < repetitions; ++r) {
    x[r % x.size()] += 1e-3;
    total += forward ? model.log_density_gradient(x, grad, sx::forward_mode)
                     : model.log_density_gradient(x, grad, {.jacobian = true, .propto = true});
    total += model.log_density(x);
  }
  const long long after = allocation_count.load();
  REQUIRE(std::isfinite(total));
  return after - before;
}
} // namespace

TEST_CASE("no heap allocation during 1000 gradient evaluations after the first", "[ad]") {
  eight_schools_data d;
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto y = sx::normal<"y">(theta, d.sigma).observe(d.y);
  auto eight_schools = sx::model(mu, tau, theta_raw, theta, y);
  CHECK(allocations_in_gradients(eight_schools, 1000) == 0);
  CHECK(allocations_in_gradients(eight_schools, 1000, true) == 0);

  const auto ld = make_logistic_data(500, 5, 7);
  auto alpha = sx::normal<"alpha">(0.0, 2.5);
  auto beta = sx::normal<"beta">(0.0, 1.0, sx::size(5));
  auto obs = sx::bernoulli_logit<"y">(alpha + ld.X * beta).observe(ld.y);
  auto logistic = sx::model(alpha, beta, obs);
  CHECK(allocations_in_gradients(logistic, 1000) == 0);

  const auto r = make_radon_data(85, 919, 5);
  auto mu_a = sx::normal<"mu_a">(0.0, 10.0);
  auto sigma_a = sx::half_normal<"sigma_a">(5.0);
  auto a = sx::normal<"a">(mu_a, sigma_a, sx::size(r.groups));
  auto sigma_y = sx::half_normal<"sigma_y">(5.0);
  auto ry = sx::normal<"y">(a[r.county] + r.floor, sigma_y).observe(r.log_radon);
  auto radon = sx::model(mu_a, sigma_a, a, sigma_y, ry);
  CHECK(allocations_in_gradients(radon, 1000) == 0);

  // A scan of 10,000 steps: its states live in the workspace, no allocation
  // per step (and no recursion).
  Eigen::VectorXd series(10000);
  for (int t = 0; t < series.size(); ++t)
    series[t] = std::sin(0.01 * t);
  auto rho = sx::uniform<"rho">(-1.0, 1.0);
  auto sigma_s = sx::half_normal<"sigma">(1.0);
  auto m = sx::deterministic<"m">(sx::scan(
      0.0, 10000, [&](auto prev, auto t) { return rho * prev + sx::data(series)[t - 1]; }));
  auto sy = sx::normal<"y">(m, sigma_s).observe(series);
  auto scanned = sx::model(rho, sigma_s, m, sy);
  CHECK(allocations_in_gradients(scanned, 100) == 0);
  CHECK(allocations_in_gradients(scanned, 100, true) == 0);

  // Pointwise log densities (sx::lpdf, their partials kept in the
  // workspace between the passes) into a hidden Markov model; a square-root
  // step (its derivative from the stored state).
  Eigen::VectorXd emissions(200);
  for (int t = 0; t < emissions.size(); ++t)
    emissions[t] = 3.0 * std::sin(0.1 * t);
  auto mus = sx::normal<"mus">(0.0, 3.0, sx::size(2));
  auto s2 = sx::lognormal<"s2">(0.0, 1.0, sx::size(2));
  auto theta1 = sx::flat<"theta1">(sx::simplex(2));
  auto theta2 = sx::flat<"theta2">(sx::simplex(2));
  auto hmm = sx::hmm_marginal<"e">(sx::stack_rows(sx::lpdf(sx::normal(mus[0], 1.0), emissions),
                                                  sx::lpdf(sx::normal(mus[1], s2[1]), emissions)),
                                   sx::stack_rows(theta1, theta2),
                                   Eigen::VectorXd(Eigen::VectorXd::Constant(2, 0.5)));
  auto hidden = sx::model(mus, s2, theta1, theta2, hmm);
  CHECK(allocations_in_gradients(hidden, 100) == 0);
  CHECK(allocations_in_gradients(hidden, 100, true) == 0);
  auto v = sx::deterministic<"v">(sx::scan(1.0, 1000, [&](auto prev, auto t) {
    return sqrt(0.5 + rho * square(prev - sx::data(series)[t - 1]));
  }));
  const Eigen::VectorXd head = series.head(1000);
  auto vy = sx::normal<"vy">(0.0, v).observe(head);
  auto scanned_sqrt = sx::model(rho, v, vy);
  CHECK(allocations_in_gradients(scanned_sqrt, 100) == 0);

  // the counter itself works
  const long long before = allocation_count.load();
  auto* p = new std::vector<double>(10);
  delete p;
  CHECK(allocation_count.load() - before >= 1);
}
