// Corners of Stan's windowed warm-up that the default options never reach,
// checked against what Stan 2.21 does (stan/mcmc/var_adaptation.hpp,
// covar_adaptation.hpp and the Welford estimators of Stan Math). The default
// path is checked against Stan's own sampler, draw for draw, by
// benchmarks/nuts/nuts_stan_equivalence.

#include "test_models.hpp"

#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/sample_chains.hpp>
#include <statix/infer/windowed_adaptation.hpp>
#include <statix/math/random.hpp>

#include <catch2/catch.hpp>

using namespace test_models;
namespace sx = statix;

namespace {

gaussian_model correlated_gaussian() {
  Eigen::MatrixXd cov(2, 2);
  cov << 1.0, 0.5, 0.5, 2.0;
  return gaussian_model(Eigen::Vector2d(1.0, -1.0), cov);
}

} // namespace

TEST_CASE("a slow window of one draw regularises the current metric, as Stan's estimators do",
          "[infer]") {
  // adapt_window = 1: the first slow window is iteration 10 alone. Stan's
  // estimator leaves its output alone below two draws, so the current inverse
  // metric is shrunk as an estimate would be: (1 / 6) m + 1e-3 (5 / 6).
  const sx::adaptation_windows windows(100, 10, 10, 1);
  for (sx::metric kind : {sx::metric::diag, sx::metric::dense}) {
    sx::windowed_metric_adaptation adaptation(kind, 2, windows);
    sx::euclidean_metric metric(kind, 2);
    metric.set_inverse_metric(Eigen::Vector2d(4.0, 0.25));
    sx::random::philox rng(5, 0);
    for (int i = 0; i <= 10; ++i) {
      const Eigen::Vector2d q(sx::random::std_normal(rng), sx::random::std_normal(rng));
      CHECK((adaptation.learn(q, metric) == sx::step_size_action::reinitialise) == (i == 10));
    }
    const Eigen::Vector2d expected(4.0 / 6 + 1e-3 * 5.0 / 6, 0.25 / 6 + 1e-3 * 5.0 / 6);
    const Eigen::MatrixXd m = metric.inverse_metric();
    if (kind == sx::metric::dense) {
      CHECK(m.diagonal().isApprox(expected, 1e-14));
      CHECK(m(0, 1) == 0.0);
    } else {
      CHECK(m.col(0).isApprox(expected, 1e-14));
    }
  }
}

TEST_CASE("NUTS warms up with one-draw first windows (adapt_window = 1)", "[infer]") {
  const gaussian_model model = correlated_gaussian();
  for (sx::metric kind : {sx::metric::diag, sx::metric::dense}) {
    const auto chains = sx::sample_chains(model, sx::nuts{.chains = 1,
                                                          .warmup = 300,
                                                          .draws = 50,
                                                          .seed = 2,
                                                          .metric = kind,
                                                          .progress = 0,
                                                          .adapt_window = 1});
    CHECK(chains[0].inv_metric.allFinite());
    CHECK(chains[0].step_size > 0);
    CHECK(chains[0].draws.rows() == 50);
  }
}
