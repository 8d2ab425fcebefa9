// The fused leapfrog step of the No-U-Turn sampler's leaves
// (hamiltonian_system::leapfrog_step) against the plain integrator: the same
// numbers to the bit, for every metric, in place and from another point.
// (benchmarks/nuts/identical_draws.sh checks whole runs against the sampler
// before the fused step.)

#include "test_models.hpp"

#include <statix/infer/hamiltonian.hpp>
#include <statix/math/random.hpp>

#include <catch2/catch.hpp>

#include <vector>

using namespace test_models;
namespace sx = statix;

namespace {

// 7 dimensions: one full chunk of four and a remainder of three.
gaussian_model seven_dimensional_gaussian() {
  Eigen::MatrixXd cov = Eigen::MatrixXd::Identity(7, 7);
  for (int i = 0; i < 7; ++i)
    for (int j = 0; j < 7; ++j)
      cov(i, j) = (i == j ? 1.0 + 0.3 * i : 0.2 / (1.0 + std::abs(i - j)));
  return gaussian_model(Eigen::VectorXd::LinSpaced(7, -1, 2), cov);
}

void set_metric(sx::euclidean_metric& metric) {
  if (metric.kind() == sx::metric::dense) {
    Eigen::MatrixXd m = 0.1 * Eigen::MatrixXd::Ones(7, 7);
    m.diagonal() = Eigen::VectorXd::LinSpaced(7, 0.5, 2.0);
    metric.set_inverse_metric(m);
  } else if (metric.kind() == sx::metric::diag) {
    metric.set_inverse_metric(Eigen::VectorXd::LinSpaced(7, 0.3, 3.0));
  }
}

} // namespace

TEST_CASE("the fused leapfrog step gives what leapfrog, hamiltonian and copies give, bit for bit",
          "[infer]") {
  const gaussian_model model = seven_dimensional_gaussian();
  for (sx::metric kind : {sx::metric::diag, sx::metric::unit, sx::metric::dense}) {
    for (bool in_place : {true, false}) {
      sx::hamiltonian_system<gaussian_model> system(model, kind);
      set_metric(system.metric());
      sx::random::philox rng(11, 0);
      sx::phase_point start(7);
      for (int i = 0; i < 7; ++i)
        start.q[i] = sx::random::normal(rng, 0.0, 1.5);
      system.evaluate(start);
      system.metric().sample_momentum(start.p, rng);

      sx::phase_point plain = start, fused = start;
      std::vector<std::vector<double>> out(7, std::vector<double>(7, -1.0));
      const sx::leapfrog_outputs outputs{.position = out[0].data(),
                                         .gradient = out[1].data(),
                                         .velocity = out[2].data(),
                                         .velocity2 = out[3].data(),
                                         .momentum = out[4].data(),
                                         .momentum2 = out[5].data(),
                                         .momentum3 = out[6].data()};
      Eigen::VectorXd velocity(7);
      for (double eps : {0.3, -0.2, 0.45}) {
        system.leapfrog(plain, eps);
        const double h = system.hamiltonian(plain, velocity);
        const double h_fused = in_place ? system.leapfrog_step(fused, fused, eps, outputs)
                                        : system.leapfrog_step(start, fused, eps, outputs);
        if (!in_place) start = fused; // the next step starts where this one ended
        CHECK(h_fused == h);
        CHECK(fused.log_density == plain.log_density);
        for (int i = 0; i < 7; ++i) {
          CHECK(fused.q[i] == plain.q[i]);
          CHECK(fused.p[i] == plain.p[i]);
          CHECK(fused.grad[i] == plain.grad[i]);
          CHECK(out[0][static_cast<std::size_t>(i)] == plain.q[i]);
          CHECK(out[1][static_cast<std::size_t>(i)] == plain.grad[i]);
          CHECK(out[2][static_cast<std::size_t>(i)] == velocity[i]);
          CHECK(out[3][static_cast<std::size_t>(i)] == velocity[i]);
          for (std::size_t k : {4u, 5u, 6u})
            CHECK(out[k][static_cast<std::size_t>(i)] == plain.p[i]);
        }
      }
      // The raw-array Hamiltonian agrees too.
      std::vector<double> v(7);
      CHECK(system.hamiltonian(plain, v.data()) == system.hamiltonian(plain, velocity));
      for (int i = 0; i < 7; ++i)
        CHECK(v[static_cast<std::size_t>(i)] == velocity[i]);
    }
  }
}
