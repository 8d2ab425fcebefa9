// sx::ode_rk45: solutions and forward sensitivities against closed forms
// (exponential decay, a rotating-decaying linear 2-D system, the logistic
// equation), sensitivities against finite differences on Lotka-Volterra, a
// whole model's gradient against finite differences of its log density and
// forward mode against reverse mode, the failure path (a rejected point, not
// an exception) and the errors of a bad ts. sx::ode_bdf: the same closed
// forms, Lotka-Volterra against ode_rk45, a model's gradient, and van der
// Pol with mu = 1000, where ode_rk45 takes about 650 times as many steps.
#include "../ad/gradient_check.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <vector>

namespace sx = statix;
using Catch::Matchers::Contains;
using statix_test::finite_difference_gradient;

namespace {

// The solution (N x K) and the sensitivities of the node at given input
// values (y0 first, then each argument), every input treated as varying:
// sens[j] is the N x K derivative in input value j.
struct solution {
  Eigen::MatrixXd y;
  std::vector<Eigen::MatrixXd> sens;
};

template <class Node>
solution solve_node(const Node& node, const std::vector<std::vector<double>>& inputs) {
  constexpr std::size_t count = Node::num_args;
  REQUIRE(inputs.size() == count);
  sx::shape shapes[count];
  node.buffers.shapes(shapes);
  std::vector<std::vector<double>> adjoints(count);
  sx::operand<double> in[count];
  int total = 0;
  for (std::size_t k = 0; k < count; ++k) {
    REQUIRE(static_cast<int>(inputs[k].size()) == shapes[k].size());
    adjoints[k].assign(inputs[k].size(), 0.0);
    in[k] =
        sx::operand<double>{inputs[k].data(), adjoints[k].data(), shapes[k].rows, shapes[k].cols};
    total += shapes[k].size();
  }
  const int n = node.rows(), k_state = node.cols();
  std::vector<double> out(n * k_state), scratch(node.scratch_size_);
  node.op.forward(in, out.data(), scratch.data());
  solution s;
  s.y = Eigen::Map<Eigen::MatrixXd>(out.data(), n, k_state);
  for (int j = 0; j < total; ++j)
    s.sens.push_back(Eigen::Map<Eigen::MatrixXd>(scratch.data() + j * n * k_state, n, k_state));
  return s;
}

std::vector<double> output_times(int n, double last) {
  std::vector<double> ts(n);
  for (int i = 0; i < n; ++i)
    ts[i] = last * (i + 1) / n;
  return ts;
}

// |a - b| <= tol * (1 + |b|): the error the tolerances ask for, with a
// margin of 10 for the accumulation over the steps.
double scaled_error(double a, double b) {
  return std::abs(a - b) / (1 + std::abs(b));
}

using dual3 = sx::math::dual<double, 3>;

} // namespace

TEST_CASE("exponential decay: solution and sensitivities against the closed form", "[model][ode]") {
  const double k = 0.7, y0 = 2.5;
  const std::vector<double> ts = output_times(10, 5.0);
  for (double tol : {1e-6, 1e-8, 1e-10}) {
    auto z = sx::ode_rk45(
        [](double, const auto& y, const auto& rate) {
          using T = std::decay_t<decltype(y[0] * rate)>;
          return std::array<T, 1>{-rate * y[0]};
        },
        1.0, 0.0, ts, 1.0, sx::ode_options{.rel_tol = tol, .abs_tol = tol});
    const solution s = solve_node(z, {{y0}, {k}});
    double worst = 0;
    for (int n = 0; n < 10; ++n) {
      const double t = ts[n], e = std::exp(-k * t);
      worst = std::max({worst, scaled_error(s.y(n, 0), y0 * e), scaled_error(s.sens[0](n, 0), e),
                        scaled_error(s.sens[1](n, 0), -t * y0 * e)});
    }
    INFO("tolerance " << tol << ": largest error " << worst);
    CHECK(worst < 10 * tol);
  }
}

TEST_CASE("a linear 2-D system: the matrix exponential and its derivatives", "[model][ode]") {
  // dy/dt = A y, A = [[-a, b], [-b, -a]]: y(t) = exp(-a t) R(b t) y0 with
  // R(u) = [[cos u, sin u], [-sin u, cos u]].
  const double a = 0.3, b = 2.0;
  const std::vector<double> ts = output_times(8, 4.0);
  const auto f = [](double, const auto& y, const auto& theta) {
    using T = std::decay_t<decltype(y[0] * theta[0])>;
    return std::array<T, 2>{-theta[0] * y[0] + theta[1] * y[1], -theta[1] * y[0] - theta[0] * y[1]};
  };
  const double tol = 1e-8;
  auto z = sx::ode_rk45(f, Eigen::Vector2d(1, 0), 0.0, ts, Eigen::Vector2d(a, b),
                        sx::ode_options{.rel_tol = tol, .abs_tol = tol});
  const std::vector<double> y0 = {1.0, -0.5};
  const solution s = solve_node(z, {y0, {a, b}});
  REQUIRE(s.sens.size() == 4);
  double worst = 0;
  for (int n = 0; n < 8; ++n) {
    // The closed form on duals: lanes y0[0], y0[1], a, b (b in a separate pass).
    for (int pass = 0; pass < 2; ++pass) {
      const dual3 u0 = pass == 0 ? dual3::variable(y0[0], 0) : dual3(y0[0]);
      const dual3 u1 = pass == 0 ? dual3::variable(y0[1], 1) : dual3(y0[1]);
      const dual3 ad = pass == 0 ? dual3::variable(a, 2) : dual3(a);
      const dual3 bd = pass == 1 ? dual3::variable(b, 0) : dual3(b);
      const double t = ts[n];
      const dual3 decay = exp(-ad * t), c = cos(bd * t), sn = sin(bd * t);
      const dual3 exact[2] = {decay * (c * u0 + sn * u1), decay * (-sn * u0 + c * u1)};
      for (int i = 0; i < 2; ++i) {
        if (pass == 0) {
          worst = std::max(worst, scaled_error(s.y(n, i), exact[i].val));
          for (int j = 0; j < 3; ++j)
            worst = std::max(worst, scaled_error(s.sens[j](n, i), exact[i].tan[j]));
        } else {
          worst = std::max(worst, scaled_error(s.sens[3](n, i), exact[i].tan[0]));
        }
      }
    }
  }
  INFO("largest error " << worst);
  CHECK(worst < 10 * tol);

  // The same system with A given as a matrix argument (data).
  Eigen::Matrix2d A;
  A << -a, b, -b, -a;
  auto zm = sx::ode_rk45([](double, const auto& y, const auto& m) { return (m * y).eval(); },
                         Eigen::Vector2d(1, -0.5), 0.0, ts, A,
                         sx::ode_options{.rel_tol = tol, .abs_tol = tol});
  const solution sm = solve_node(zm, {y0, {-a, -b, b, -a}});
  CHECK((sm.y - s.y).cwiseAbs().maxCoeff() < 10 * tol);
  // d y / d A_01 (the entry b of the first row) is the sensitivity in b less
  // that in A_10 = -b: compare the sum of both with the theta version.
  double worst_b = 0;
  for (int n = 0; n < 8; ++n)
    for (int i = 0; i < 2; ++i)
      worst_b = std::max(
          worst_b, scaled_error(sm.sens[2 + 2](n, i) - sm.sens[2 + 1](n, i), s.sens[3](n, i)));
  CHECK(worst_b < 10 * tol);
}

TEST_CASE("the logistic equation: solution and sensitivities against the closed form",
          "[model][ode]") {
  // dy/dt = r y (1 - y / K): y(t) = K y0 e^{rt} / (K + y0 (e^{rt} - 1)).
  const double r = 1.3, cap = 10.0, y0 = 0.5;
  const std::vector<double> ts = output_times(12, 8.0);
  const double tol = 1e-7;
  auto z = sx::ode_rk45(
      [](double, const auto& y, const auto& rate, const auto& capacity) {
        using T = std::decay_t<decltype(y[0] * rate * capacity)>;
        Eigen::Matrix<T, 1, 1> d;
        d[0] = rate * y[0] * (1.0 - y[0] / capacity);
        return d;
      },
      Eigen::VectorXd::Constant(1, 1.0), 0.0, ts, 1.0, 1.0,
      sx::ode_options{.rel_tol = tol, .abs_tol = tol});
  const solution s = solve_node(z, {{y0}, {r}, {cap}});
  double worst = 0;
  for (int n = 0; n < 12; ++n) {
    const dual3 u = dual3::variable(y0, 0), rd = dual3::variable(r, 1),
                kd = dual3::variable(cap, 2);
    const dual3 g = exp(rd * ts[n]);
    const dual3 exact = kd * u * g / (kd + u * (g - 1.0));
    worst = std::max(worst, scaled_error(s.y(n, 0), exact.val));
    for (int j = 0; j < 3; ++j)
      worst = std::max(worst, scaled_error(s.sens[j](n, 0), exact.tan[j]));
  }
  INFO("largest error " << worst);
  CHECK(worst < 10 * tol);
}

namespace {

const auto lotka_volterra = [](double, const auto& z, const auto& theta) {
  using T = std::decay_t<decltype(z[0] * theta[0])>;
  return std::array<T, 2>{(theta[0] - theta[1] * z[1]) * z[0],
                          (-theta[2] + theta[3] * z[0]) * z[1]};
};

// Hudson Bay lynx-hare populations (thousands), 1900-1920: Stan's case study.
const std::vector<double> hare = {30,   47.2, 70.2, 77.4, 36.3, 20.6, 18.1, 21.4, 22,   25.4, 27.1,
                                  40.3, 57,   76.6, 52.3, 19.5, 11.2, 7.6,  14.6, 16.2, 24.7};
const std::vector<double> lynx = {4, 6.1,  9.8,  35.2, 59.4, 41.7, 19,   13,  8.3,  9.1, 7.4,
                                  8, 12.3, 19.5, 45.7, 51.1, 29.7, 15.8, 9.7, 10.1, 8.6};

} // namespace

TEST_CASE("Lotka-Volterra: sensitivities in 4 parameters and 2 initial states against finite "
          "differences",
          "[model][ode]") {
  const std::vector<double> ts = output_times(20, 20.0);
  const sx::ode_options tight{.rel_tol = 1e-11, .abs_tol = 1e-11};
  auto z = sx::ode_rk45(lotka_volterra, Eigen::Vector2d(1, 1), 0.0, ts, Eigen::Vector4d(1, 1, 1, 1),
                        tight);
  const std::vector<double> y0 = {33.0, 6.2};
  const std::vector<double> theta = {0.55, 0.028, 0.80, 0.024};
  const solution s = solve_node(z, {y0, theta});
  REQUIRE(s.sens.size() == 6);
  double worst = 0;
  for (int j = 0; j < 6; ++j) {
    std::vector<double> up0 = y0, dn0 = y0, upt = theta, dnt = theta;
    const double base = j < 2 ? y0[j] : theta[j - 2];
    const double h = 1e-5 * std::abs(base);
    (j < 2 ? up0[j] : upt[j - 2]) += h;
    (j < 2 ? dn0[j] : dnt[j - 2]) -= h;
    const Eigen::MatrixXd fd =
        (solve_node(z, {up0, upt}).y - solve_node(z, {dn0, dnt}).y) / (2 * h);
    for (int n = 0; n < 20; ++n)
      for (int i = 0; i < 2; ++i) {
        const double scale = std::max(1.0, fd.col(i).cwiseAbs().maxCoeff());
        worst = std::max(worst, std::abs(s.sens[j](n, i) - fd(n, i)) / scale);
      }
  }
  INFO("largest error relative to each sensitivity's scale " << worst);
  CHECK(worst < 1e-6);
}

namespace {

// Stan's Lotka-Volterra case study (Carpenter 2018), with a tolerance given.
auto lotka_volterra_model(sx::ode_options options) {
  const int n = 20;
  const std::vector<double> ts = output_times(n, 20.0);
  Eigen::VectorXd y_hare(n), y_lynx(n);
  for (int i = 0; i < n; ++i) {
    y_hare[i] = hare[i + 1];
    y_lynx[i] = lynx[i + 1];
  }
  auto theta = sx::lognormal<"theta">(
      Eigen::Vector4d(std::log(1.0), std::log(0.05), std::log(1.0), std::log(0.05)), 0.5);
  auto z_init = sx::lognormal<"z_init">(std::log(10.0), 1.0, sx::size(2));
  auto sigma = sx::lognormal<"sigma">(-1.0, 1.0, sx::size(2));
  auto z = sx::ode_rk45(lotka_volterra, z_init, 0.0, ts, theta, options);
  auto y0_hare = sx::lognormal<"y0_hare">(log(z_init[0]), sigma[0]).observe(hare[0]);
  auto y0_lynx = sx::lognormal<"y0_lynx">(log(z_init[1]), sigma[1]).observe(lynx[0]);
  auto obs_hare = sx::lognormal<"hare">(log(sx::col(z, 0)), sigma[0]).observe(y_hare);
  auto obs_lynx = sx::lognormal<"lynx">(log(sx::col(z, 1)), sigma[1]).observe(y_lynx);
  return sx::model(theta, z_init, sigma, y0_hare, y0_lynx, obs_hare, obs_lynx);
}

Eigen::VectorXd lotka_volterra_point(const auto& model, double jitter, unsigned seed) {
  // Near the posterior mode of the case study, unconstrained, with a jitter.
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, jitter);
  Eigen::VectorXd x(model.dim());
  const double constrained[8] = {0.55, 0.028, 0.80, 0.024, 33.0, 6.0, 0.25, 0.25};
  for (int i = 0; i < 8; ++i)
    x[i] = std::log(constrained[i]) + normal(rng);
  return x;
}

} // namespace

TEST_CASE("a Lotka-Volterra model: reverse-mode gradient against finite differences, forward "
          "mode equal to reverse",
          "[model][ode]") {
  auto model = lotka_volterra_model({.rel_tol = 1e-11, .abs_tol = 1e-11});
  REQUIRE(model.dim() == 8);
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const Eigen::VectorXd x = lotka_volterra_point(model, 0.05, seed);
    Eigen::VectorXd grad, grad_forward;
    const double lp = model.log_density_gradient(x, grad);
    REQUIRE(std::isfinite(lp));
    // Without a gradient no sensitivities are integrated, so the step sizes
    // (controlled on the coupled state otherwise) and the value differ
    // within the tolerance.
    CHECK(model.log_density(x) == Approx(lp).epsilon(1e-10));
    const Eigen::VectorXd fd = finite_difference_gradient(
        [&](const Eigen::VectorXd& v) { return model.log_density(v); }, x);
    for (int i = 0; i < model.dim(); ++i) {
      INFO("coordinate " << i);
      CHECK(grad[i] == Approx(fd[i]).epsilon(1e-5).margin(1e-4));
    }
    CHECK(model.log_density_gradient(x, grad_forward, sx::forward_mode) ==
          Approx(lp).epsilon(1e-12));
    for (int i = 0; i < model.dim(); ++i)
      CHECK(grad_forward[i] == Approx(grad[i]).epsilon(1e-8).margin(1e-8));
  }
}

TEST_CASE("y0 and arguments as expressions and data: gradient against finite differences",
          "[model][ode]") {
  // y' = -k y + c, y0 = exp(log_y0), k a parameter, c data: a scalar state.
  const std::vector<double> ts = output_times(6, 3.0);
  const Eigen::VectorXd y_obs = (Eigen::VectorXd(6) << 1.9, 1.5, 1.3, 1.1, 1.05, 1.0).finished();
  auto log_y0 = sx::normal<"log_y0">(0.0, 1.0);
  auto k = sx::lognormal<"k">(0.0, 1.0);
  auto sigma = sx::half_normal<"sigma">(1.0);
  auto z = sx::ode_rk45(
      [](double, const auto& y, const auto& rate, const auto& input) {
        using T = std::decay_t<decltype(y[0] * rate)>;
        return std::array<T, 1>{-rate * y[0] + input[0]};
      },
      exp(log_y0), 0.0, ts, k * 2.0, Eigen::VectorXd::Constant(1, 0.4),
      sx::ode_options{.rel_tol = 1e-11, .abs_tol = 1e-11});
  auto obs = sx::normal<"y">(sx::col(z, 0), sigma).observe(y_obs);
  auto model = sx::model(log_y0, k, sigma, obs);
  const Eigen::VectorXd x = (Eigen::VectorXd(3) << 0.6, -0.3, -1.0).finished();
  Eigen::VectorXd grad, grad_forward;
  const double lp = model.log_density_gradient(x, grad);
  REQUIRE(std::isfinite(lp));
  const Eigen::VectorXd fd =
      finite_difference_gradient([&](const Eigen::VectorXd& v) { return model.log_density(v); }, x);
  for (int i = 0; i < 3; ++i)
    CHECK(grad[i] == Approx(fd[i]).epsilon(1e-6).margin(1e-6));
  model.log_density_gradient(x, grad_forward, sx::forward_mode);
  for (int i = 0; i < 3; ++i)
    CHECK(grad_forward[i] == Approx(grad[i]).epsilon(1e-8).margin(1e-8));
}

TEST_CASE("a solver failure rejects the point: -inf, no exception", "[model][ode]") {
  auto model = lotka_volterra_model({.max_steps = 3});
  const Eigen::VectorXd x = lotka_volterra_point(model, 0.0, 1);
  Eigen::VectorXd grad, grad_forward;
  double lp = 0, lp_grad = 0, lp_forward = 0;
  REQUIRE_NOTHROW(lp = model.log_density(x));
  REQUIRE_NOTHROW(lp_grad = model.log_density_gradient(x, grad));
  REQUIRE_NOTHROW(lp_forward = model.log_density_gradient(x, grad_forward, sx::forward_mode));
  CHECK(lp == -std::numeric_limits<double>::infinity());
  CHECK(lp_grad == -std::numeric_limits<double>::infinity());
  CHECK(lp_forward == -std::numeric_limits<double>::infinity());
  // The same point with Stan's default tolerances and steps is finite.
  auto ok = lotka_volterra_model({});
  CHECK(std::isfinite(ok.log_density(x)));

  // A state that blows up in finite time (dy/dt = y^2 from 1: y = 1 / (1 - t)).
  auto blow_up = sx::ode_rk45(
      [](double, const auto& y) {
        return std::array<std::decay_t<decltype(y[0])>, 1>{y[0] * y[0]};
      },
      1.0, 0.0, std::vector<double>{0.5, 2.0});
  const solution s = solve_node(blow_up, {{1.0}});
  CHECK(std::isnan(s.y(1, 0)));
  // ode_bdf: the same blow-up, and too few steps.
  auto blow_up_bdf = sx::ode_bdf(
      [](double, const auto& y) {
        return std::array<std::decay_t<decltype(y[0])>, 1>{y[0] * y[0]};
      },
      1.0, 0.0, std::vector<double>{0.5, 2.0});
  CHECK(std::isnan(solve_node(blow_up_bdf, {{1.0}}).y(1, 0)));
  auto few_steps = sx::ode_bdf(
      [](double, const auto& y, const auto& k) {
        return std::array<std::decay_t<decltype(y[0] * k)>, 1>{-k * y[0]};
      },
      1.0, 0.0, std::vector<double>{10.0}, 1.0, sx::ode_options{.max_steps = 2});
  const solution f = solve_node(few_steps, {{1.0}, {0.5}});
  CHECK(std::isnan(f.y(0, 0)));
}

namespace {

// dy/dt = a y^2, y(0) = 1: y = 1 / (1 - a t), which blows up at t = 1 / a,
// before the last output time t = 1 whenever a > 1.
template <bool Stiff, class A>
auto blow_up_solution(const A& a) {
  const auto f = [](double, const auto& y, const auto& rate) {
    using T = std::decay_t<decltype(y[0] * rate)>;
    return std::array<T, 1>{rate * y[0] * y[0]};
  };
  const std::vector<double> ts = {0.5, 1.0};
  if constexpr (Stiff)
    return sx::ode_bdf(f, 1.0, 0.0, ts, a, sx::ode_options{.max_steps = 10000});
  else
    return sx::ode_rk45(f, 1.0, 0.0, ts, a, sx::ode_options{.max_steps = 10000});
}

template <bool Stiff>
void check_failures_counted() {
  // Observations of y(0.5) = 4/3 and y(1) = 2 (a = 0.5), a ~ lognormal(0, 1):
  // random inits on (-2, 2) put a above 1 about half the time.
  auto a = sx::lognormal<"a">(0.0, 1.0);
  auto y = blow_up_solution<Stiff>(a);
  auto obs = sx::normal<"y">(sx::col(y, 0), 0.05).observe(Eigen::Vector2d(1.35, 1.98));
  auto model = sx::model(a, obs);
  sx::ode_failure_counter& failures = sx::ode_failures(y);
  REQUIRE(failures.total() == 0);

  // One rejected evaluation per failed solve, read through the user's node
  // although the model evaluates its own copy; reset() clears it.
  const Eigen::VectorXd blows_up = Eigen::VectorXd::Constant(1, std::log(2.0));
  const Eigen::VectorXd fine = Eigen::VectorXd::Constant(1, std::log(0.5));
  Eigen::VectorXd grad;
  CHECK(model.log_density(blows_up) == -std::numeric_limits<double>::infinity());
  CHECK(failures.total() == 1);
  CHECK(model.log_density_gradient(blows_up, grad) == -std::numeric_limits<double>::infinity());
  CHECK(failures.total() == 2);
  CHECK(failures.too_many_steps() + failures.non_finite() + failures.step_size_underflow() == 2);
  CHECK(std::isfinite(model.log_density_gradient(fine, grad)));
  CHECK(failures.total() == 2);
  failures.reset();
  CHECK(failures.total() == 0);

  // Sampling: failures in the initialisation and the warm-up are rejected
  // points, never exceptions; with one thread the callback attributes the
  // failures to transitions, and a post-warm-up transition with a failure
  // ends as a divergence.
  long long seen = 0, after_warmup = 0, failed_not_divergent = 0;
  sx::nuts options{
      .chains = 2, .warmup = 300, .draws = 300, .seed = 3, .threads = 1, .progress = 0};
  options.callback = [&](const sx::draw_event& e) {
    const long long now = failures.total();
    if (!e.warmup) {
      after_warmup += now - seen;
      if (now > seen && e.row[5] == 0) ++failed_not_divergent;
    }
    seen = now;
  };
  std::optional<decltype(sx::sample(model, options))> fit;
  REQUIRE_NOTHROW(fit.emplace(sx::sample(model, options)));
  INFO("failures " << failures.total() << " (too many steps " << failures.too_many_steps()
                   << ", non-finite " << failures.non_finite() << ", step size underflow "
                   << failures.step_size_underflow() << "), " << after_warmup
                   << " after the warm-up; " << fit->num_divergent() << " divergent");
  CHECK(failures.total() > 0);
  CHECK(failed_not_divergent == 0);
  CHECK(fit->num_divergent() >= (after_warmup > 0 ? 1 : 0));
  const Eigen::VectorXd draws = fit->template draws<"a">();
  CHECK((draws.array() < 1.0).all());
  CHECK(draws.mean() == Approx(0.5).margin(0.05));

  // A posterior cut by the failures: y(0.5) = 2 (a = 1) observed with sd 0.3
  // and y(1) with sd 1000, so about half the mass the data allow lies
  // beyond a = 1, where y(1) does not exist. Trajectories run into the
  // failures after the warm-up too: each such transition is divergent, no
  // draw has a >= 1, and nothing is thrown.
  auto b = sx::lognormal<"a">(0.0, 1.0);
  auto w = blow_up_solution<Stiff>(b);
  auto obs_w = sx::normal<"y">(sx::col(w, 0), Eigen::Vector2d(0.3, 1000.0))
                   .observe(Eigen::Vector2d(2.0, 2.0));
  auto cut = sx::model(b, obs_w);
  sx::ode_failure_counter& cut_failures = sx::ode_failures(w);
  seen = after_warmup = failed_not_divergent = 0;
  options.callback = [&](const sx::draw_event& e) {
    const long long now = cut_failures.total();
    if (!e.warmup) {
      after_warmup += now - seen;
      if (now > seen && e.row[5] == 0) ++failed_not_divergent;
    }
    seen = now;
  };
  std::optional<decltype(sx::sample(cut, options))> cut_fit;
  REQUIRE_NOTHROW(cut_fit.emplace(sx::sample(cut, options)));
  INFO("cut posterior: failures " << cut_failures.total() << ", " << after_warmup
                                  << " after the warm-up; " << cut_fit->num_divergent()
                                  << " divergent");
  CHECK(after_warmup > 0);
  CHECK(failed_not_divergent == 0);
  CHECK(cut_fit->num_divergent() > 0);
  CHECK((cut_fit->template draws<"a">().array() < 1.0).all());
}

} // namespace

TEST_CASE("solver failures are counted (sx::ode_failures) and never thrown out of the sampler",
          "[model][ode]") {
  SECTION("ode_rk45") {
    check_failures_counted<false>();
  }
  SECTION("ode_bdf") {
    check_failures_counted<true>();
  }
}

TEST_CASE("a bad ts is an error naming it", "[model][ode]") {
  const auto f = [](double, const auto& y, const auto& k) {
    return std::array<std::decay_t<decltype(y[0] * k)>, 1>{-k * y[0]};
  };
  CHECK_THROWS_WITH(sx::ode_rk45(f, 1.0, 0.0, std::vector<double>{1, 3, 2}, 0.5),
                    Contains("ts must be increasing") && Contains("ts[2]"));
  CHECK_THROWS_WITH(sx::ode_rk45(f, 1.0, 1.0, std::vector<double>{1, 2, 3}, 0.5),
                    Contains("ts[0]") && Contains("t0"));
  CHECK_THROWS_WITH(sx::ode_rk45(f, 1.0, 2.0, Eigen::Vector3d(1, 2, 3), 0.5),
                    Contains("is not after t0"));
  CHECK_THROWS_WITH(sx::ode_rk45(f, 1.0, 0.0, std::vector<double>{}, 0.5), Contains("empty"));
  CHECK_THROWS_WITH(sx::ode_bdf(f, 1.0, 0.0, std::vector<double>{2, 1}, 0.5),
                    Contains("sx::ode_bdf: ts must be increasing"));
  CHECK_THROWS_WITH(
      sx::ode_rk45(f, 1.0, 0.0, std::vector<double>{1}, 0.5, sx::ode_options{.rel_tol = -1}),
      Contains("rel_tol"));
}

TEST_CASE("sx::ode_bdf: solution and sensitivities against the closed forms", "[model][ode]") {
  const std::vector<double> ts = output_times(10, 5.0);
  for (double tol : {1e-6, 1e-8}) {
    auto z = sx::ode_bdf(
        [](double, const auto& y, const auto& rate) {
          using T = std::decay_t<decltype(y[0] * rate)>;
          return std::array<T, 1>{-rate * y[0]};
        },
        1.0, 0.0, ts, 1.0, sx::ode_options{.rel_tol = tol, .abs_tol = tol});
    const double k = 0.7, y0 = 2.5;
    const solution s = solve_node(z, {{y0}, {k}});
    double worst = 0;
    for (int n = 0; n < 10; ++n) {
      const double t = ts[n], e = std::exp(-k * t);
      worst = std::max({worst, scaled_error(s.y(n, 0), y0 * e), scaled_error(s.sens[0](n, 0), e),
                        scaled_error(s.sens[1](n, 0), -t * y0 * e)});
    }
    INFO("decay, tolerance " << tol << ": largest error " << worst);
    CHECK(worst < 10 * tol);
  }
  // The logistic equation.
  const double r = 1.3, cap = 10.0, y0 = 0.5, tol = 1e-8;
  const std::vector<double> tl = output_times(12, 8.0);
  auto z = sx::ode_bdf(
      [](double, const auto& y, const auto& rate, const auto& capacity) {
        using T = std::decay_t<decltype(y[0] * rate * capacity)>;
        return std::array<T, 1>{rate * y[0] * (1.0 - y[0] / capacity)};
      },
      1.0, 0.0, tl, 1.0, 1.0, sx::ode_options{.rel_tol = tol, .abs_tol = tol});
  const solution s = solve_node(z, {{y0}, {r}, {cap}});
  double worst = 0;
  for (int n = 0; n < 12; ++n) {
    const dual3 u = dual3::variable(y0, 0), rd = dual3::variable(r, 1),
                kd = dual3::variable(cap, 2);
    const dual3 g = exp(rd * tl[n]);
    const dual3 exact = kd * u * g / (kd + u * (g - 1.0));
    worst = std::max(worst, scaled_error(s.y(n, 0), exact.val));
    for (int j = 0; j < 3; ++j)
      worst = std::max(worst, scaled_error(s.sens[j](n, 0), exact.tan[j]));
  }
  INFO("logistic: largest error " << worst);
  CHECK(worst < 10 * tol);
}

TEST_CASE("sx::ode_bdf: Lotka-Volterra sensitivities against ode_rk45's, and a model's gradient",
          "[model][ode]") {
  const std::vector<double> ts = output_times(20, 20.0);
  auto z_rk = sx::ode_rk45(lotka_volterra, Eigen::Vector2d(1, 1), 0.0, ts,
                           Eigen::Vector4d(1, 1, 1, 1), sx::ode_options{1e-11, 1e-11});
  auto z_bdf = sx::ode_bdf(lotka_volterra, Eigen::Vector2d(1, 1), 0.0, ts,
                           Eigen::Vector4d(1, 1, 1, 1), sx::ode_options{1e-8, 1e-8});
  const std::vector<double> y0 = {33.0, 6.2};
  const std::vector<double> theta = {0.55, 0.028, 0.80, 0.024};
  const solution a = solve_node(z_rk, {y0, theta}), b = solve_node(z_bdf, {y0, theta});
  double worst_y = 0, worst_s = 0;
  for (int i = 0; i < 2; ++i)
    worst_y = std::max(worst_y, (a.y.col(i) - b.y.col(i)).cwiseAbs().maxCoeff() /
                                    a.y.col(i).cwiseAbs().maxCoeff());
  for (int j = 0; j < 6; ++j)
    for (int i = 0; i < 2; ++i)
      worst_s = std::max(worst_s, (a.sens[j].col(i) - b.sens[j].col(i)).cwiseAbs().maxCoeff() /
                                      std::max(1.0, a.sens[j].col(i).cwiseAbs().maxCoeff()));
  INFO("relative to each column's scale: states " << worst_y << ", sensitivities " << worst_s);
  CHECK(worst_y < 1e-5);
  CHECK(worst_s < 1e-4);

  // The decay model with y0 an expression, through ode_bdf.
  const std::vector<double> td = output_times(6, 3.0);
  const Eigen::VectorXd y_obs = (Eigen::VectorXd(6) << 1.9, 1.5, 1.3, 1.1, 1.05, 1.0).finished();
  auto log_y0 = sx::normal<"log_y0">(0.0, 1.0);
  auto k = sx::lognormal<"k">(0.0, 1.0);
  auto sigma = sx::half_normal<"sigma">(1.0);
  auto z = sx::ode_bdf(
      [](double, const auto& y, const auto& rate) {
        return std::array<std::decay_t<decltype(y[0] * rate)>, 1>{-rate * y[0] + 0.4};
      },
      exp(log_y0), 0.0, td, k, sx::ode_options{.rel_tol = 1e-10, .abs_tol = 1e-10});
  auto obs = sx::normal<"y">(sx::col(z, 0), sigma).observe(y_obs);
  auto model = sx::model(log_y0, k, sigma, obs);
  const Eigen::VectorXd x = (Eigen::VectorXd(3) << 0.6, -0.3, -1.0).finished();
  Eigen::VectorXd grad, grad_forward;
  const double lp = model.log_density_gradient(x, grad);
  REQUIRE(std::isfinite(lp));
  const Eigen::VectorXd fd =
      finite_difference_gradient([&](const Eigen::VectorXd& v) { return model.log_density(v); }, x);
  for (int i = 0; i < 3; ++i)
    CHECK(grad[i] == Approx(fd[i]).epsilon(1e-4).margin(1e-4));
  // Forward mode integrates 8 sensitivity columns (one per tangent lane)
  // where reverse mode integrates 3; both are in the error norm, so the step
  // sequences differ and so do the results, within BDF2's global error.
  model.log_density_gradient(x, grad_forward, sx::forward_mode);
  for (int i = 0; i < 3; ++i)
    CHECK(grad_forward[i] == Approx(grad[i]).epsilon(1e-5).margin(1e-6));
}

namespace {

// van der Pol with mu = 1000 (y'' - mu (1 - y^2) y' + y = 0, Hairer & Wanner's
// stiff test problem unscaled: a relaxation period of about 1614), for the
// solvers of math/ode directly.
struct van_der_pol {
  double mu = 1000;
  int n() const { return 2; }
  int columns() const { return 0; }
  void rhs(double, const double* y, double* dy) const {
    dy[0] = y[1];
    dy[1] = mu * (1 - y[0] * y[0]) * y[1] - y[0];
  }
  void jacobian(double, const double* y, double* j) const {
    j[0] = 0;
    j[1] = -2 * mu * y[0] * y[1] - 1;
    j[2] = 1;
    j[3] = mu * (1 - y[0] * y[0]);
  }
  void param_rhs(double, const double*, double*) const {}
};

} // namespace

TEST_CASE("stiff: van der Pol with mu = 1000, ode_bdf's steps against ode_rk45's", "[model][ode]") {
  // The slow phase before the first fast transition (near t = 807).
  const std::vector<double> ts = {100, 200, 300, 400, 500, 600, 700};
  van_der_pol vdp;
  auto record = [](Eigen::MatrixXd& out) {
    return [&out](int k, const double* y, const double* = nullptr) {
      out(k, 0) = y[0];
      out(k, 1) = y[1];
    };
  };
  Eigen::MatrixXd reference(7, 2), rk(7, 2), bdf(7, 2);
  const double start[2] = {2.0, 0.0};
  double y[2] = {start[0], start[1]};
  const auto ref_info = sx::math::ode::dormand_prince(
      [&](double t, const double* v, double* d) { vdp.rhs(t, v, d); }, 2, y, 0.0, ts.data(), 7,
      {.rel_tol = 1e-10, .abs_tol = 1e-10}, record(reference));
  REQUIRE(ref_info.ok());
  y[0] = start[0];
  y[1] = start[1];
  const auto rk_info =
      sx::math::ode::dormand_prince([&](double t, const double* v, double* d) { vdp.rhs(t, v, d); },
                                    2, y, 0.0, ts.data(), 7, {}, record(rk));
  y[0] = start[0];
  y[1] = start[1];
  const auto bdf_info = sx::math::ode::bdf2(vdp, y, nullptr, 0.0, ts.data(), 7, {}, record(bdf));
  REQUIRE(rk_info.ok());
  REQUIRE(bdf_info.ok());
  const double error = (bdf - reference).col(0).cwiseAbs().maxCoeff();
  INFO("steps: ode_rk45 " << rk_info.steps << " (" << rk_info.rejected << " rejected, "
                          << rk_info.rhs_evaluations << " evaluations of f), ode_bdf "
                          << bdf_info.steps << " (" << bdf_info.rejected << " rejected, "
                          << bdf_info.rhs_evaluations << " evaluations of f); bdf's error in y1 "
                          << error << ", rk45's " << (rk - reference).col(0).cwiseAbs().maxCoeff());
  CHECK(error < 1e-4);
  CHECK(rk_info.steps > 100 * bdf_info.steps);
  WARN("van der Pol mu = 1000 on [0, 700]: ode_rk45 "
       << rk_info.steps << " steps, ode_bdf " << bdf_info.steps << " steps; bdf error " << error);

  // Through the node: ode_bdf with mu as a parameter gives the same solution.
  auto z = sx::ode_bdf(
      [](double, const auto& v, const auto& mu) {
        using T = std::decay_t<decltype(v[0] * mu)>;
        return std::array<T, 2>{v[1], mu * (1.0 - v[0] * v[0]) * v[1] - v[0]};
      },
      Eigen::Vector2d(2, 0), 0.0, ts, 1000.0);
  const solution s = solve_node(z, {{2.0, 0.0}, {1000.0}});
  CHECK((s.y.col(0) - reference.col(0)).cwiseAbs().maxCoeff() < 1e-4);
}
