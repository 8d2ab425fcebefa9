#include "test_models.hpp"

#include <statix/infer/iterative_nuts_transition.hpp>
#include <statix/infer/sample_chains.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace test_models;
namespace sx = statix;

namespace {

// Means within 4 Monte Carlo standard errors, variances within `rel_var`.
void check_moments(const std::vector<sx::chain_result>& chains, const Eigen::VectorXd& mean,
                   const Eigen::VectorXd& variance, double rel_var = 0.10) {
  for (int i = 0; i < mean.size(); ++i) {
    const column_estimate e = estimate_column(chains, first_output_col + i);
    INFO("coordinate " << i << ": mean " << e.mean << " (expected " << mean[i] << ", mcse "
                       << e.mcse << "), variance " << e.variance << " (expected " << variance[i]
                       << ")");
    CHECK(e.mcse > 0);
    CHECK(std::abs(e.mean - mean[i]) < 4 * e.mcse);
    CHECK(std::abs(e.variance / variance[i] - 1) < rel_var);
  }
}

// Dual averaging drives the mean acceptance statistic of the warm-up
// iterations to the target. After warm-up Stan's sampler uses exp(mean log
// step size), smaller than the noisy iterates: the mean then lies at or above
// the target (markedly so in few dimensions), never clearly below it.
void check_accept_stat(const std::vector<sx::chain_result>& chains, double target) {
  double warmup_sum = 0;
  long long warmup_n = 0;
  for (const auto& c : chains) {
    REQUIRE(c.warmup_draws.rows() > 0);
    warmup_sum += c.warmup_draws.col(accept_stat_col).sum();
    warmup_n += c.warmup_draws.rows();
  }
  const double warmup_mean = warmup_sum / static_cast<double>(warmup_n);
  const double sampling_mean = column_mean(chains, accept_stat_col);
  INFO("mean accept_stat: warm-up " << warmup_mean << ", sampling " << sampling_mean);
  CHECK(std::abs(warmup_mean - target) < 0.05);
  CHECK(sampling_mean > target - 0.05);
  CHECK(sampling_mean < 1.0);
}

} // namespace

TEST_CASE("NUTS samples a 100-dimensional iid normal", "[infer]") {
  const int d = 100;
  const Eigen::VectorXd mean = Eigen::VectorXd::LinSpaced(d, -5, 5);
  const Eigen::VectorXd sd = Eigen::VectorXd::LinSpaced(d, 0.1, 10).array().sqrt();
  const iid_normal_model model(mean, sd);
  const auto chains = sx::sample_chains(
      model, sx::nuts{.chains = 4, .draws = 4000, .seed = 42, .progress = 0, .save_warmup = true});
  REQUIRE(chains.size() == 4);
  for (const auto& c : chains) {
    REQUIRE(c.draws.rows() == 4000);
    REQUIRE(c.draws.cols() == 7 + d);
    CHECK_FALSE(c.dense_metric);
    REQUIRE(c.inv_metric.rows() == d);
    REQUIRE(c.inv_metric.cols() == 1);
    // The adapted inverse metric estimates the variances (from the last
    // window's 500 draws: each within a few tens of percent, unbiased overall).
    const Eigen::ArrayXd ratio = c.inv_metric.col(0).array() / sd.array().square();
    CHECK(ratio.minCoeff() > 0.5);
    CHECK(ratio.maxCoeff() < 2.0);
    CHECK(std::abs(ratio.mean() - 1) < 0.05);
    // After adaptation the problem is ~isotropic: the step size is of order d^(-1/4).
    CHECK(c.step_size > 0.2);
    CHECK(c.step_size < 1.2);
    CHECK((c.draws.col(stepsize_col).array() == c.step_size).all());
    CHECK(c.draws.col(divergent_col).sum() == 0);
    CHECK(c.draws.col(treedepth_col).maxCoeff() <= 10);
  }
  check_moments(chains, mean, sd.array().square());
  check_accept_stat(chains, 0.8);
}

TEST_CASE("NUTS samples a correlated 2-D Gaussian with diagonal and dense metrics", "[infer]") {
  Eigen::Matrix2d cov;
  cov << 4.0, 0.95 * 2.0 * 0.5, 0.95 * 2.0 * 0.5, 0.25;
  const gaussian_model model(Eigen::Vector2d(1.0, -2.0), cov);
  for (sx::metric kind : {sx::metric::diag, sx::metric::dense}) {
    INFO("metric " << sx::metric_name(kind));
    const auto chains = sx::sample_chains(model, sx::nuts{.chains = 4,
                                                          .warmup = 1000,
                                                          .draws = 5000,
                                                          .seed = 7,
                                                          .metric = kind,
                                                          .progress = 0,
                                                          .save_warmup = true});
    check_moments(chains, model.mean, cov.diagonal());
    // Correlation of the draws.
    Eigen::MatrixXd all(0, 2);
    for (const auto& c : chains) {
      all.conservativeResize(all.rows() + c.draws.rows(), 2);
      all.bottomRows(c.draws.rows()) = c.draws.middleCols(first_output_col, 2);
    }
    const Eigen::MatrixXd centered = all.rowwise() - all.colwise().mean();
    const Eigen::Matrix2d sample_cov = centered.transpose() * centered / (all.rows() - 1.0);
    CHECK(sample_cov(0, 1) / std::sqrt(sample_cov(0, 0) * sample_cov(1, 1)) ==
          Approx(0.95).margin(0.02));
    check_accept_stat(chains, 0.8);
    if (kind == sx::metric::dense) {
      // The dense metric removes the correlation: a large step size.
      for (const auto& c : chains) {
        CHECK(c.dense_metric);
        REQUIRE(c.inv_metric.rows() == 2);
        REQUIRE(c.inv_metric.cols() == 2);
        CHECK(c.step_size > 0.5);
      }
    }
  }
}

TEST_CASE("NUTS with a dense metric adapts to a correlated 10-D Gaussian", "[infer]") {
  const int d = 10;
  const Eigen::MatrixXd cov = correlated_covariance(d, 3);
  const gaussian_model model(Eigen::VectorXd::LinSpaced(d, -3, 3), cov);
  const auto chains = sx::sample_chains(model, sx::nuts{.chains = 4,
                                                        .draws = 3000,
                                                        .seed = 11,
                                                        .metric = sx::metric::dense,
                                                        .progress = 0,
                                                        .save_warmup = true});
  check_moments(chains, model.mean, cov.diagonal());
  check_accept_stat(chains, 0.8);
  for (const auto& c : chains) {
    // The last slow window (500 draws) estimates the covariance.
    const double rel = (c.inv_metric - cov).norm() / cov.norm();
    CHECK(rel < 0.25);
    CHECK(c.step_size > 0.3);
    CHECK(c.step_size < 1.5);
  }
  // The same target with a diagonal metric needs a much smaller step and deeper trees.
  const auto diag_chains =
      sx::sample_chains(model, sx::nuts{.chains = 2, .seed = 11, .progress = 0});
  CHECK(diag_chains[0].step_size < 0.5 * chains[0].step_size);
  CHECK(column_mean(diag_chains, n_leapfrog_col) > 2 * column_mean(chains, n_leapfrog_col));
}

TEST_CASE("NUTS reports divergences in Neal's funnel", "[infer]") {
  // Two dimensions: the neck (v << 0) is reached often, and its curvature
  // defeats any single step size.
  const funnel_model model(2);
  const auto chains = sx::sample_chains(
      model, sx::nuts{.chains = 4, .warmup = 500, .draws = 500, .seed = 3, .progress = 0});
  double divergent = 0;
  for (const auto& c : chains) {
    divergent += c.draws.col(divergent_col).sum();
    // A divergent transition is a 0/1 flag.
    CHECK(((c.draws.col(divergent_col).array() == 0) || (c.draws.col(divergent_col).array() == 1))
              .all());
  }
  CHECK(divergent > 20);
}

TEST_CASE("NUTS is exact on a hierarchical model: E[tau] against quadrature", "[infer]") {
  // Skewed, funnel-shaped, and sampled with small steps and deep trees
  // (target_accept 0.95): a trajectory builder whose stopping rule depends on
  // how the tree was grown, not only on the states in it, breaks detailed
  // balance and shows here as a bias in tau of several standard errors.
  hierarchical_normal_model model;
  model.y = Eigen::Vector4d(0.5, 1.0, -1.0, 2.0);
  model.sigma = Eigen::Vector4d(0.5, 1.0, 1.5, 2.0);
  const double exact = exact_tau_posterior_mean(model);
  const int n_chains = 200;
  const auto chains = sx::sample_chains(model, sx::nuts{.chains = n_chains,
                                                        .warmup = 500,
                                                        .draws = 2000,
                                                        .seed = 8,
                                                        .target_accept = 0.95,
                                                        .progress = 0});
  // Independent chains: the spread of their means gives the standard error.
  Eigen::VectorXd chain_means(n_chains);
  for (int c = 0; c < n_chains; ++c)
    chain_means[c] = chains[static_cast<std::size_t>(c)].draws.col(first_output_col + 1).mean();
  const double mean = chain_means.mean();
  const double standard_error =
      std::sqrt((chain_means.array() - mean).square().sum() / (n_chains - 1) / n_chains);
  INFO("E[tau] " << mean << " (exact " << exact << ", standard error " << standard_error << ")");
  CHECK(std::abs(mean - exact) < 4 * standard_error);
  CHECK(standard_error < 0.002);
}

TEST_CASE("NUTS draws record lp__, energy__ and the tree statistics consistently", "[infer]") {
  const positive_scale_model model;
  const auto chains = sx::sample_chains(
      model, sx::nuts{.chains = 2, .warmup = 300, .draws = 300, .seed = 5, .progress = 0});
  for (const auto& c : chains) {
    REQUIRE(c.column_names.size() == 9);
    CHECK(c.column_names[0] == "lp__");
    CHECK(c.column_names[7] == "mu");
    CHECK(c.column_names[8] == "sigma");
    for (int i = 0; i < c.draws.rows(); ++i) {
      const double mu = c.draws(i, 7), sigma = c.draws(i, 8);
      // lp__ is the log density with constants dropped and the Jacobian, at the draw.
      const Eigen::Vector2d x(mu, std::log(sigma));
      CHECK(c.draws(i, lp_col) == Approx(model.log_density(x, {.jacobian = true, .propto = true})));
      // energy__ = -lp__ + kinetic energy >= -lp__.
      CHECK(c.draws(i, energy_col) >= -c.draws(i, lp_col));
      const double depth = c.draws(i, treedepth_col);
      const double n_leapfrog = c.draws(i, n_leapfrog_col);
      // A tree of depth k holds up to 2^k - 1 steps when built in full, and at
      // least 2^(k-1) (the last doubling started), more if a subtree was rejected.
      CHECK(n_leapfrog >= 1);
      CHECK(n_leapfrog <= std::pow(2.0, depth + 1) - 1);
      CHECK(c.draws(i, accept_stat_col) >= 0);
      CHECK(c.draws(i, accept_stat_col) <= 1);
    }
    CHECK(c.gradient_evaluations > c.sampling_gradient_evaluations);
    CHECK(c.sampling_gradient_evaluations >= c.draws.col(n_leapfrog_col).sum());
    CHECK(c.last_position.size() == 2);
    CHECK(c.last_position[0] == c.draws(c.draws.rows() - 1, 7));
    CHECK(c.warmup_seconds > 0);
    CHECK(c.sampling_seconds > 0);
    CHECK(c.warmup_draws.rows() == 0);
  }
  // sigma ~ lognormal(0, 1): E[sigma] = exp(1/2); mu ~ N(1, 2).
  CHECK(column_mean(chains, 7) == Approx(1.0).margin(0.25));
  CHECK(column_mean(chains, 8) == Approx(std::exp(0.5)).margin(0.25));
}

// A normal with sd 3 whose log density jumps up by `cliff` at x = 0 and again
// at x = 1. The gradient does not see the jumps, so the leapfrog trajectory
// is the same whatever their height.
struct cliff_model {
  double cliff = 0;
  int dim() const { return 1; }
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad,
                              sx::density_options = {}) const {
    grad[0] = -x[0] / 9;
    return -x[0] * x[0] / 18 + (x[0] >= 0 ? cliff : 0) + (x[0] >= 1 ? cliff : 0);
  }
};

TEST_CASE("NUTS's multinomial weights stay exact through energy drops of thousands", "[infer]") {
  // The weights exp(H0 - H) are summed in linear space and rescaled when one
  // would exceed e^500. Cliffs of 1000 (two rescalings) and of 100 (none)
  // both make a state beyond a cliff outweigh every state before it by e^100
  // or more, so from the same start and random numbers the two take the same
  // decisions and select the same state.
  int beyond_both = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    double x[2], energy[2], accept[2];
    int leapfrogs[2];
    for (int k = 0; k < 2; ++k) {
      const cliff_model model{k == 0 ? 1000.0 : 100.0};
      sx::hamiltonian_system<cliff_model> system(model, sx::metric::unit);
      sx::nuts_kernel<cliff_model> kernel(system, 10, 1000.0);
      sx::phase_point z(1);
      z.q[0] = -2;
      system.evaluate(z);
      sx::random::philox rng(seed, 0);
      const sx::transition_stats s = kernel.transition(z, 0.5, rng);
      x[k] = z.q[0];
      energy[k] = s.energy;
      accept[k] = s.accept_stat;
      leapfrogs[k] = s.n_leapfrog;
    }
    INFO("seed " << seed << ": x " << x[0] << " and " << x[1]);
    REQUIRE(std::isfinite(x[0]));
    CHECK(x[0] == x[1]);
    CHECK(accept[0] == accept[1]);
    CHECK(leapfrogs[0] == leapfrogs[1]);
    if (x[0] >= 1) {
      ++beyond_both;
      CHECK(energy[0] == Approx(energy[1] - 1800));
    }
  }
  // The rescaling was exercised: 65 of the 200 selected states lie beyond
  // both cliffs (two rescalings each).
  CHECK(beyond_both >= 20);
}

// cliff_model over the flat arrays of the many-chain samplers.
struct flat_cliff_model {
  double cliff = 0;
  double log_density_gradient(const double* x, double* grad, double*, double*,
                              sx::density_options) const {
    grad[0] = -x[0] / 9;
    return -x[0] * x[0] / 18 + (x[0] >= 0 ? cliff : 0) + (x[0] >= 1 ? cliff : 0);
  }
};

// What one transition of the many-chain NUTS (iterative_nuts_transition.hpp)
// reports for one chain of dimension 1 over flat arrays, unit metric, from x.
struct iterative_transition_result {
  double x = 0, log_density = 0, energy = 0, accept = 0;
  int divergent = 0, n_leapfrog = 0;
};

template <class Model>
iterative_transition_result iterative_transition_from(const Model& model, double x,
                                                      double step_size, std::uint64_t seed) {
  const int max_depth = 10;
  iterative_transition_result r;
  r.x = x;
  double grad = 0;
  const double factor = 1;
  int depth = 0;
  sx::random::philox rng(seed, 0);
  std::vector<double> tree(static_cast<std::size_t>(sx::iterative_nuts_scratch_size(1, max_depth)));
  std::vector<double> levels(
      static_cast<std::size_t>(sx::iterative_nuts_level_scratch_size(max_depth)));
  r.log_density = model.log_density_gradient(&r.x, &grad, nullptr, nullptr, {});
  sx::ensemble_arrays<double> a;
  a.q = &r.x;
  a.grad = &grad;
  a.log_density = &r.log_density;
  a.energy = &r.energy;
  a.accept = &r.accept;
  a.divergent = &r.divergent;
  a.rng = &rng;
  a.factor = &factor;
  a.tree_depth = &depth;
  a.n_leapfrog = &r.n_leapfrog;
  a.tree = tree.data();
  a.tree_levels = levels.data();
  const sx::iterative_nuts_transition<Model> transition{.model = &model,
                                                        .a = a,
                                                        .dim = 1,
                                                        .workspace = 0,
                                                        .step_size = step_size,
                                                        .max_depth = max_depth,
                                                        .max_energy_error = 1000.0};
  transition(0);
  return r;
}

TEST_CASE("The iterative NUTS's weights stay exact through energy drops of thousands", "[infer]") {
  // The many-chain NUTS (iterative_nuts_transition.hpp) sums its weights as
  // the host kernel does; the same cliffs, one chain over flat arrays.
  int beyond_both = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const iterative_transition_result high =
        iterative_transition_from(flat_cliff_model{1000.0}, -2.0, 0.5, seed);
    const iterative_transition_result low =
        iterative_transition_from(flat_cliff_model{100.0}, -2.0, 0.5, seed);
    INFO("seed " << seed << ": x " << high.x << " and " << low.x);
    REQUIRE(std::isfinite(high.x));
    CHECK(high.x == low.x);
    CHECK(high.accept == low.accept);
    CHECK(high.n_leapfrog == low.n_leapfrog);
    if (high.x >= 1) {
      ++beyond_both;
      CHECK(high.energy == Approx(low.energy - 1800));
    }
  }
  CHECK(beyond_both >= 20);
}

TEST_CASE("The iterative NUTS never takes a state whose log density is not finite", "[infer]") {
  // Beyond x = 1 the log density is +infinity (or NaN): the energy there is
  // not finite, so the state diverges and weighs nothing, as in the host
  // kernel.
  struct spiked_model {
    double beyond;
    double log_density_gradient(const double* x, double* grad, double*, double*,
                                sx::density_options) const {
      grad[0] = -x[0] / 9;
      return x[0] >= 1 ? beyond : -x[0] * x[0] / 18;
    }
  };
  for (double beyond :
       {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    int reached = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
      const iterative_transition_result r =
          iterative_transition_from(spiked_model{beyond}, -2.0, 1.5, seed);
      INFO("beyond " << beyond << ", seed " << seed << ": x " << r.x);
      CHECK(r.x < 1);
      CHECK(std::isfinite(r.log_density));
      CHECK(std::isfinite(r.energy));
      CHECK(r.accept >= 0);
      CHECK(r.accept <= 1);
      reached += r.divergent;
    }
    // The trajectories do reach the spike.
    CHECK(reached >= 10);
  }
}

TEST_CASE("max_depth caps the tree depth", "[infer]") {
  const int d = 10;
  const gaussian_model model(Eigen::VectorXd::Zero(d), correlated_covariance(d, 5));
  const auto chains = sx::sample_chains(
      model,
      sx::nuts{.chains = 1, .warmup = 200, .draws = 200, .seed = 2, .max_depth = 2, .progress = 0});
  const auto& c = chains[0];
  CHECK(c.draws.col(treedepth_col).maxCoeff() <= 2);
  CHECK(c.draws.col(n_leapfrog_col).maxCoeff() <= 3 + 4); // 2^2 - 1 plus a rejected subtree
  CHECK(c.draws.col(treedepth_col).maxCoeff() == 2);      // saturated on this target
}

TEST_CASE("static HMC samples a correlated Gaussian", "[infer]") {
  // Static HMC mixes well only if the integration time stays away from
  // multiples of half the target's periods: two steps on a mildly correlated
  // Gaussian keep it there.
  Eigen::Matrix2d cov;
  cov << 1.0, 0.3 * 1.5, 0.3 * 1.5, 2.25;
  const gaussian_model model(Eigen::Vector2d(-1.0, 3.0), cov);
  for (sx::metric kind : {sx::metric::diag, sx::metric::dense}) {
    INFO("metric " << sx::metric_name(kind));
    const auto chains = sx::sample_chains(model, sx::hmc{.steps = 2,
                                                         .chains = 4,
                                                         .warmup = 1000,
                                                         .draws = 4000,
                                                         .seed = 9,
                                                         .metric = kind,
                                                         .progress = 0,
                                                         .save_warmup = true});
    check_moments(chains, model.mean, cov.diagonal());
    for (const auto& c : chains) {
      CHECK((c.draws.col(n_leapfrog_col).array() == 2).all());
      CHECK((c.draws.col(treedepth_col).array() == 0).all());
    }
    check_accept_stat(chains, 0.8);
  }
}
