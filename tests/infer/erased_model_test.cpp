#include "../model/statix_models.hpp"
#include "same_draws.hpp"
#include "test_models.hpp"

#include <statix/infer/erased_model.hpp>
#include <statix/infer/log_density_model.hpp>
#include <statix/infer/sample.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace sx = statix;

namespace {

// A log density and nothing else: what a trajectory needs, not what a chain
// writes out.
struct bare_density {
  int dim() const { return 2; }
  double log_density_gradient(const Eigen::VectorXd& q, Eigen::VectorXd& grad,
                              sx::density_options) const {
    grad = -q;
    return -0.5 * q.squaredNorm();
  }
};

using eight_schools_t =
    decltype(statix_test::eight_schools_model(statix_test::eight_schools_data{}));

static_assert(sx::sampler_model<eight_schools_t>);
static_assert(sx::sampler_model<test_models::iid_normal_model>);
static_assert(sx::sampler_model<test_models::positive_scale_model>);
static_assert(sx::sampler_model<sx::erased_model>);
static_assert(sx::log_density_model<bare_density>);
static_assert(!sx::draw_writer<bare_density>);
static_assert(!sx::sampler_model<bare_density>);
static_assert(!sx::log_density_model<int>);

// Chain by chain: the draws, the adaptation and the gradient counts.
void require_same_chains(const std::vector<sx::chain_result>& a,
                         const std::vector<sx::chain_result>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t c = 0; c < a.size(); ++c) {
    CAPTURE(c);
    CHECK(a[c].column_names == b[c].column_names);
    CHECK(a[c].draws == b[c].draws);
    CHECK(a[c].warmup_draws == b[c].warmup_draws);
    CHECK(a[c].step_size == b[c].step_size);
    CHECK(a[c].inv_metric == b[c].inv_metric);
    CHECK(a[c].last_position == b[c].last_position);
    CHECK(a[c].gradient_evaluations == b[c].gradient_evaluations);
  }
}

} // namespace

TEST_CASE("infer/erased_model forwards every operation of the model it refers to") {
  const statix_test::eight_schools_data data;
  const auto model = statix_test::eight_schools_model(data);
  const sx::erased_model erased(model);
  REQUIRE(erased.dim() == model.dim());
  REQUIRE(erased.output_size() == model.output_size());
  CHECK(erased.output_names() == model.output_names());

  Eigen::VectorXd q(model.dim());
  for (int i = 0; i < q.size(); ++i)
    q[i] = 0.3 * i - 1.1;
  Eigen::VectorXd g_model(model.dim()), g_erased(model.dim());
  for (const bool jacobian : {true, false}) {
    const sx::density_options options{.jacobian = jacobian, .propto = !jacobian};
    CHECK(erased.log_density_gradient(q, g_erased, options) ==
          model.log_density_gradient(q, g_model, options));
    CHECK(g_erased == g_model);
  }

  std::vector<double> row_model(static_cast<std::size_t>(model.output_size()));
  std::vector<double> row_erased(row_model.size());
  model.write_output(q, row_model.data());
  erased.write_output(q, row_erased.data());
  CHECK(row_erased == row_model);

  const sx::named_values inits{{"mu", {1.5}}, {"tau", {2.0}}};
  Eigen::VectorXd x_model = Eigen::VectorXd::Zero(model.dim());
  Eigen::VectorXd x_erased = x_model;
  model.unconstrain_into(inits, x_model);
  erased.unconstrain_into(inits, x_erased);
  CHECK(x_erased == x_model);
  CHECK(x_erased[1] == Approx(std::log(2.0))); // tau is sampled as log(tau)
}

TEST_CASE("infer/erased_model: NUTS and HMC give the model's own draws bit for bit") {
  SECTION("eight schools, NUTS with inits by name") {
    const statix_test::eight_schools_data data;
    const auto model = statix_test::eight_schools_model(data);
    sx::nuts options{.chains = 2, .warmup = 300, .draws = 200, .seed = 11, .progress = 0};
    options.inits = {{"tau", {3.0}}};
    options.save_warmup = true;
    require_same_chains(sx::sample_chains(model, options),
                        sx::sample_chains(sx::erased_model(model), options));
  }
  SECTION("a hand-written model, static HMC") {
    const test_models::positive_scale_model model;
    const sx::hmc options{
        .steps = 7, .chains = 2, .warmup = 200, .draws = 200, .seed = 5, .progress = 0};
    require_same_chains(sx::sample_chains(model, options),
                        sx::sample_chains(sx::erased_model(model), options));
  }
  SECTION("the dense metric") {
    Eigen::MatrixXd cov(3, 3);
    cov << 1.0, 0.9, 0.2, 0.9, 2.0, 0.1, 0.2, 0.1, 0.5;
    const test_models::gaussian_model model(Eigen::VectorXd::Zero(3), cov);
    const sx::nuts options{.chains = 2,
                           .warmup = 300,
                           .draws = 200,
                           .seed = 2,
                           .metric = sx::metric::dense,
                           .progress = 0};
    require_same_chains(sx::sample_chains(model, options),
                        sx::sample_chains(sx::erased_model(model), options));
  }
}
