#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/linear_algebra_ops.hpp"
#include "statix/core/matrix_function_node.hpp"
#include "statix/math/dual.hpp"
#include "statix/math/dual_eigen.hpp"
#include "statix/math/ode/bdf2.hpp"
#include "statix/math/ode/dormand_prince.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

// Ordinary differential equations in a model, as Stan's variadic
// `ode_rk45(f, y0, t0, ts, ...)`:
//
//   auto z = sx::ode_rk45([](double t, const auto& z, const auto& th) {
//              using T = std::decay_t<decltype(z[0] * th[0])>;
//              return std::array<T, 2>{(th[0] - th[1] * z[1]) * z[0],
//                                      (-th[2] + th[3] * z[0]) * z[1]};
//            }, z_init, t0, ts, theta);   // N x 2, row n = z(ts[n])
//
// y0 (a scalar or a vector of K values) and each argument (a scalar, vector
// or matrix) may be data, parameters or expressions. f receives the time as
// a double, the state as an Eigen vector and each argument as a scalar, an
// Eigen vector or an Eigen matrix, all of one scalar type (double, or the
// library's dual numbers), and returns K derivatives as a std::array or an
// Eigen vector of that type.
//
// Gradients by forward sensitivities (Stan's choice for rk45): the solver
// integrates the coupled system of the state y (K values) and of its
// derivatives S_j = dy/dp_j for every input p_j that varies,
//   dS_j/dt = J_y S_j + df/dp_j,  S_j(t0) = dy0/dp_j,
// with the step size controlled on the whole coupled state (the error norm
// includes the sensitivities, as Stan's coupled_ode_system does). J_y S_j +
// df/dp_j is one directional derivative of f, so the right-hand side runs f
// on dual numbers with up to 8 lanes, 8 columns of S per call (2, 4 or 6
// lanes when there are that few columns): no Jacobian is formed and the
// adaptive steps are never differentiated. The sensitivities at the output
// times are kept in the node's scratch and the reverse sweep
// adds S^T times the result's adjoint to each input. Adjoint sensitivities
// (Stan's ode_adjoint_tol_ctl) would cost less for many parameters; with
// the few inputs of the usual ODE model, forward sensitivities are simpler
// and as fast.
//
// Forward mode (the model evaluated on dual<double, N>): each tangent lane
// is one direction, so the solver integrates N sensitivity columns seeded
// with the inputs' tangents. Second derivatives (the Hessian, forward over
// reverse) are not implemented: asking for them throws std::logic_error.
//
// sx::ode_bdf has the same call for stiff problems: a variable-step BDF2
// (math/ode/bdf2.hpp) whose sensitivities are solved exactly at each step
// after the state's Newton iterations (the staggered direct method), so
// the implicit solve needs the Jacobian of f alone, again from duals. BDF2
// is of order 2 (Stan's CVODES BDF goes to order 5): tight tolerances cost
// more steps than a higher order would; the stiff problems it is for are
// limited by stability, not accuracy, in an explicit method.
//
// A failure of the solver (more than max_steps steps between two output
// times, a non-finite state, a step size that underflows) makes the result
// NaN: the log density is non-finite and the model rejects the point, as
// for any matrix function (NUTS then ends the trajectory as a divergence).
// Each failure is counted, by kind, in a counter that the node shares with
// its copies (the model's, each chain's): sx::ode_failures(z) reads it after
// sampling. A bad ts (decreasing, or not after t0) throws
// std::invalid_argument when the node is built.
namespace statix {

// Stan's defaults for ode_rk45: rel_tol 1e-6, abs_tol 1e-6, 1e6 steps.
struct ode_options {
  double rel_tol = 1e-6;
  double abs_tol = 1e-6;
  long max_steps = 1000000;
};

// The solver failures of one sx::ode_rk45 / sx::ode_bdf node, each a
// rejected evaluation of the log density, counted over every evaluation of
// the node and of its copies since it was built or reset(): initialisation,
// warm-up and sampling alike, chains on threads included (atomic counts).
//
//   auto z = sx::ode_rk45(f, y0, t0, ts, theta);
//   ...                                     // sx::model(..., z, ...), sx::sample
//   sx::ode_failures(z).total();            // rejected evaluations
class ode_failure_counter {
public:
  long long too_many_steps() const { return too_many_steps_.load(std::memory_order_relaxed); }
  long long non_finite() const { return non_finite_.load(std::memory_order_relaxed); }
  long long step_size_underflow() const {
    return step_size_underflow_.load(std::memory_order_relaxed);
  }
  long long total() const { return too_many_steps() + non_finite() + step_size_underflow(); }
  void reset() {
    too_many_steps_.store(0, std::memory_order_relaxed);
    non_finite_.store(0, std::memory_order_relaxed);
    step_size_underflow_.store(0, std::memory_order_relaxed);
  }
  void record(math::ode::solve_status status) {
    switch (status) {
    case math::ode::solve_status::ok:
      return;
    case math::ode::solve_status::too_many_steps:
      too_many_steps_.fetch_add(1, std::memory_order_relaxed);
      return;
    case math::ode::solve_status::non_finite:
      non_finite_.fetch_add(1, std::memory_order_relaxed);
      return;
    case math::ode::solve_status::step_size_underflow:
      step_size_underflow_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }

private:
  std::atomic<long long> too_many_steps_{0};
  std::atomic<long long> non_finite_{0};
  std::atomic<long long> step_size_underflow_{0};
};

namespace ops {

template <class S, int Rank>
struct ode_argument_type {
  using type = S;
};
template <class S>
struct ode_argument_type<S, 1> {
  using type = Eigen::Matrix<S, Eigen::Dynamic, 1>;
};
template <class S>
struct ode_argument_type<S, 2> {
  using type = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
};

// The ODE solution as a matrix function of (y0, args...). ArgRanks: the
// ranks of the arguments after y0, which fix the types f receives.
template <class F, bool Stiff, int... ArgRanks>
struct ode_op {
  static constexpr int rank = 2;
  static constexpr const char* name = Stiff ? "ode_bdf" : "ode_rk45";
  static constexpr int num_args = sizeof...(ArgRanks);
  static constexpr int lanes = 8; // sensitivity columns per call of f, at most

  F f;
  double t0 = 0;
  std::vector<double> ts;
  ode_options options;
  // Shared by the copies of the node (see ode_failure_counter).
  std::shared_ptr<ode_failure_counter> failures = std::make_shared<ode_failure_counter>();

  shape result_shape(const shape* s) const {
    require(s[0].cols == 1, name, "the initial state is a scalar or a vector");
    return {static_cast<int>(ts.size()), s[0].size()};
  }
  // The sensitivities at the output times, one N x K block per input value.
  int scratch_size(const shape* s) const {
    int inputs = 0;
    for (int k = 0; k <= num_args; ++k)
      inputs += s[k].size();
    return static_cast<int>(ts.size()) * s[0].size() * inputs;
  }

  template <class T>
  void forward(const operand<T>* in, T* out, T* scratch) const {
    if constexpr (std::is_same_v<T, double>) {
      std::vector<int> column_of; // per input value: its column, or -1
      const int p = varying_columns(in, column_of);
      const int k_state = in[0].size();
      const int nt = static_cast<int>(ts.size());
      const std::size_t n_out = static_cast<std::size_t>(nt) * k_state;
      const std::size_t n_sens = n_out * p;
      // The last solve of this node on this thread: a model that uses the
      // solution twice (sx::col(z, 0) and sx::col(z, 1)) holds two copies
      // of the node, which one evaluation of the log density runs one after
      // the other at the same inputs; the second copies the first's result
      // and sensitivities instead of solving again (on the Lotka-Volterra
      // benchmark, half of the gradient's time). A hit needs the same node
      // (the failure counter its copies share), another copy than the one
      // that solved (the copy that solved, evaluated again, is the next
      // evaluation of the log density, and solves again: nothing is reused
      // across evaluations by a model that uses the solution once), the
      // inputs' values bit for bit and the same varying inputs. A failed
      // solve is counted again on a hit, as a second solve counted it.
      solve_cache& cache = last_solve();
      const int n_in = total_inputs(in);
      auto same_inputs = [&] {
        if (cache.node != failures.get() || cache.solver == this || cache.column_of != column_of)
          return false;
        for (int k = 0, e = 0; k <= num_args; e += in[k].size(), ++k)
          if (std::memcmp(in[k].value, cache.inputs.data() + e,
                          sizeof(double) * static_cast<std::size_t>(in[k].size())) != 0)
            return false;
        return true;
      };
      if (cache.inputs.size() == static_cast<std::size_t>(n_in) && same_inputs()) {
        if (cache.failed) {
          failures->record(cache.status);
          for (std::size_t e = 0; e < n_out; ++e)
            out[e] = std::numeric_limits<double>::quiet_NaN();
        } else {
          std::copy(cache.out.begin(), cache.out.end(), out);
          std::copy(cache.sens.begin(), cache.sens.end(), scratch);
        }
        return;
      }
      // Unit seeds: column j is the derivative in input value j.
      std::vector<double> seeds(static_cast<std::size_t>(n_in) * p, 0.0);
      for (int e = 0; e < n_in; ++e)
        if (column_of[e] >= 0) seeds[static_cast<std::size_t>(column_of[e]) * n_in + e] = 1.0;
      bool failed = false;
      const math::ode::solve_status status = solve(
          in, seeds.data(), p,
          [&](int n, const double* z, const double* sens) {
            for (int i = 0; i < k_state; ++i)
              out[n + nt * i] = z[i];
            for (int j = 0; j < p; ++j)
              for (int i = 0; i < k_state; ++i)
                scratch[static_cast<std::size_t>(j) * nt * k_state + n + nt * i] =
                    sens[j * k_state + i];
          },
          [&] {
            failed = true;
            for (std::size_t e = 0; e < n_out; ++e)
              out[e] = std::numeric_limits<double>::quiet_NaN();
          });
      cache.node = failures.get();
      cache.solver = this;
      cache.column_of = std::move(column_of);
      cache.inputs.resize(n_in);
      for (int k = 0, e = 0; k <= num_args; e += in[k].size(), ++k)
        std::copy(in[k].value, in[k].value + in[k].size(), cache.inputs.begin() + e);
      cache.failed = failed;
      cache.status = status;
      if (!failed) {
        cache.out.assign(out, out + n_out);
        cache.sens.assign(scratch, scratch + n_sens);
      }
    } else if constexpr (math::is_dual_v<T> && std::is_same_v<typename T::value_type, double>) {
      // Forward mode: one sensitivity column per tangent lane, seeded with
      // the inputs' tangents.
      constexpr int p = T::lanes;
      const int n_in = total_inputs(in);
      std::vector<double> values(n_in), seeds(static_cast<std::size_t>(n_in) * p);
      for (int k = 0, e = 0; k <= num_args; ++k)
        for (int i = 0; i < in[k].size(); ++i, ++e) {
          values[e] = in[k].value[i].val;
          for (int l = 0; l < p; ++l)
            seeds[static_cast<std::size_t>(l) * n_in + e] = in[k].value[i].tan[l];
        }
      operand<double> plain[num_args + 1];
      for (int k = 0, e = 0; k <= num_args; e += in[k].size(), ++k)
        plain[k] = operand<double>{values.data() + e, nullptr, in[k].rows, in[k].cols};
      const int k_state = in[0].size();
      const int nt = static_cast<int>(ts.size());
      solve(
          plain, seeds.data(), p,
          [&](int n, const double* z, const double* sens) {
            for (int i = 0; i < k_state; ++i) {
              T& o = out[n + nt * i];
              o = T(z[i]);
              for (int l = 0; l < p; ++l)
                o.tan[l] = sens[l * k_state + i];
            }
          },
          [&] {
            for (int e = 0; e < nt * k_state; ++e)
              out[e] = T(std::numeric_limits<double>::quiet_NaN());
          });
    } else {
      static_assert(
          dependent_false<T>,
          "statix: sx::ode_rk45 and sx::ode_bdf evaluate on double or on dual<double, N>");
    }
  }

  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T* scratch) const {
    if constexpr (std::is_same_v<T, double>) {
      std::vector<int> column_of;
      varying_columns(in, column_of);
      const int block = static_cast<int>(ts.size()) * in[0].size();
      for (int k = 0, e = 0; k <= num_args; ++k)
        for (int i = 0; i < in[k].size(); ++i, ++e)
          if (column_of[e] >= 0) {
            const double* s = scratch + static_cast<std::size_t>(column_of[e]) * block;
            double total = 0;
            for (int m = 0; m < block; ++m)
              total += adj[m] * s[m];
            in[k].adjoint[i] += total;
          }
    } else {
      for (int k = 0; k <= num_args; ++k)
        if (in[k].adjoint != nullptr)
          throw std::logic_error(std::string("statix: sx::") + name +
                                 " has no second derivatives (the Hessian, forward over reverse, "
                                 "is not implemented)");
    }
  }

private:
  struct solve_cache {
    const void* node = nullptr;   // the node's identity, shared by its copies
    const void* solver = nullptr; // the copy that solved
    std::vector<int> column_of;
    std::vector<double> inputs, out, sens;
    bool failed = false;
    math::ode::solve_status status = math::ode::solve_status::ok;
  };
  // One per thread (chains on threads evaluate their copies of the node
  // concurrently) and per type of node.
  static solve_cache& last_solve() {
    thread_local solve_cache cache;
    return cache;
  }

  template <class T>
  static int total_inputs(const operand<T>* in) {
    int n = 0;
    for (int k = 0; k <= num_args; ++k)
      n += in[k].size();
    return n;
  }
  // The inputs that need a gradient: those with an adjoint.
  static int varying_columns(const operand<double>* in, std::vector<int>& column_of) {
    column_of.assign(total_inputs(in), -1);
    int p = 0;
    for (int k = 0, e = 0; k <= num_args; ++k)
      for (int i = 0; i < in[k].size(); ++i, ++e)
        if (in[k].adjoint != nullptr) column_of[e] = p++;
    return p;
  }

  // The argument buffers f is called with, of scalar S.
  template <class S>
  using argument_tuple = std::tuple<typename ode_argument_type<S, ArgRanks>::type...>;

  template <class S>
  static void size_arguments(argument_tuple<S>& args, const operand<double>* in) {
    [&]<std::size_t... A>(std::index_sequence<A...>) {
      (
          [&] {
            auto& a = std::get<A>(args);
            if constexpr (requires { a.resize(1, 1); }) {
              if constexpr (std::remove_cvref_t<decltype(a)>::ColsAtCompileTime == 1)
                a.resize(in[A + 1].size());
              else
                a.resize(in[A + 1].rows, in[A + 1].cols);
            }
          }(),
          ...);
    }
    (std::make_index_sequence<num_args>{});
  }
  // Value and, for duals, the tangents of lanes [first, first + lanes) from
  // the seeds of the arguments' values.
  template <class S, class Fill>
  static void fill_arguments(argument_tuple<S>& args, const operand<double>* in, Fill&& fill) {
    int e = in[0].size();
    [&]<std::size_t... A>(std::index_sequence<A...>) {
      (
          [&] {
            auto& a = std::get<A>(args);
            const operand<double>& o = in[A + 1];
            if constexpr (std::is_same_v<std::remove_cvref_t<decltype(a)>, S>)
              a = fill(o.value[0], e);
            else
              for (int i = 0; i < o.size(); ++i)
                a.data()[i] = fill(o.value[i], e + i);
            e += o.size();
          }(),
          ...);
    }
    (std::make_index_sequence<num_args>{});
  }

  // to[0, width) = from[0, width), 1 <= width <= lanes: a loop of
  // compile-time length for each width (the coupled right-hand side copies
  // the tangents of each state in and out at every call).
  template <int Lanes>
  static void copy_lanes(int width, double* __restrict to, const double* __restrict from) {
    if (width == Lanes) return copy_fixed<Lanes>(to, from); // one group of p = Lanes
    [&]<int... W>(std::integer_sequence<int, W...>) {
      (void)((width == W + 1 ? (copy_fixed<W + 1>(to, from), true) : false) || ...);
    }
    (std::make_integer_sequence<int, Lanes>{});
  }
  template <int W>
  static void copy_fixed(double* __restrict to, const double* __restrict from) {
    for (int l = 0; l < W; ++l)
      to[l] = from[l];
  }

  // f on its own, not inlined into the right-hand side around it: compiled
  // apart, GCC vectorises f's dual arithmetic (inlined into the solver's
  // right-hand side, it left it scalar: about three times the instructions).
  template <class Y, class Args>
  [[gnu::noinline]] static auto call_apart(const F& f, double t, const Y& y, const Args& args) {
    return std::apply([&](const auto&... a) { return f(t, y, a...); }, args);
  }

  template <class R>
  static void check_result(const R& r, int k_state) {
    if (static_cast<int>(r.size()) != k_state)
      throw_result_size(static_cast<int>(r.size()), k_state);
  }
  [[gnu::cold, gnu::noinline]] static void throw_result_size(int size, int k_state) {
    throw std::invalid_argument(std::string("statix: sx::") + name + ": f returned " +
                                std::to_string(size) + " derivatives for a state of " +
                                std::to_string(k_state));
  }

  // Integrates the state and p sensitivity columns; seeds (n_in x p, column
  // major) are each column's derivatives of the inputs (y0 first). rk45
  // runs f on dual numbers of as few lanes as p needs (2, 4, 6 or 8; more
  // columns go in groups of 8): the lanes past p would be computed for
  // nothing at every call of f. ode_bdf keeps 8 (its Jacobian takes
  // k_state columns).
  template <class Observe, class Fail>
  math::ode::solve_status solve(const operand<double>* in, const double* seeds, int p,
                                Observe&& observe, Fail&& fail) const {
    if constexpr (Stiff)
      return solve_lanes<lanes>(in, seeds, p, observe, fail);
    else if (p <= 2)
      return solve_lanes<2>(in, seeds, p, observe, fail);
    else if (p <= 4)
      return solve_lanes<4>(in, seeds, p, observe, fail);
    else if (p <= 6)
      return solve_lanes<6>(in, seeds, p, observe, fail);
    else
      return solve_lanes<lanes>(in, seeds, p, observe, fail);
  }

  // Not inlined into the model's sweep: compiled on its own, f's dual
  // arithmetic is vectorised (inlined into the whole log density, GCC 12
  // left it scalar: about twice the instructions of the solve).
  template <int Lanes, class Observe, class Fail>
  [[gnu::noinline]] math::ode::solve_status solve_lanes(const operand<double>* in,
                                                        const double* seeds, int p,
                                                        Observe& observe, Fail& fail) const {
    using dual_t = math::dual<double, Lanes>;
    const int k_state = in[0].size();
    const int n_in = total_inputs(in);
    const int n = k_state * (1 + p);
    std::vector<double> z(n);
    for (int i = 0; i < k_state; ++i)
      z[i] = in[0].value[i];
    for (int j = 0; j < p; ++j)
      for (int i = 0; i < k_state; ++i)
        z[k_state + j * k_state + i] = seeds[static_cast<std::size_t>(j) * n_in + i];

    Eigen::VectorXd y(k_state);
    argument_tuple<double> args;
    size_arguments<double>(args, in);
    fill_arguments<double>(args, in, [](double v, int) { return v; });
    Eigen::Matrix<dual_t, Eigen::Dynamic, 1> yd(k_state);
    argument_tuple<dual_t> args_d;
    if (p > 0) size_arguments<dual_t>(args_d, in);

    auto plain_rhs = [&](double t, const double* ys, double* dy) {
      for (int i = 0; i < k_state; ++i)
        y[i] = ys[i];
      const auto r = std::apply([&](const auto&... a) { return f(t, y, a...); }, args);
      check_result(r, k_state);
      for (int i = 0; i < k_state; ++i)
        dy[i] = static_cast<double>(r[i]);
    };
    // m directional derivatives of f at (t, ys): column l has the state's
    // tangent y_tangent(i, l) and the arguments' seed(e, l); store(i, l, d).
    // value, when not null, receives f itself.
    auto directions = [&](double t, const double* ys, int m, auto&& y_tangent, auto&& seed,
                          auto&& store, double* value) {
      for (int first = 0; first < m; first += Lanes) {
        const int width = std::min(Lanes, m - first);
        for (int i = 0; i < k_state; ++i) {
          yd[i] = dual_t(ys[i]);
          for (int l = 0; l < width; ++l)
            yd[i].tan[l] = y_tangent(i, first + l);
        }
        fill_arguments<dual_t>(args_d, in, [&](double v, int e) {
          dual_t d(v);
          for (int l = 0; l < width; ++l)
            d.tan[l] = seed(e, first + l);
          return d;
        });
        const auto r = std::apply([&](const auto&... a) { return f(t, yd, a...); }, args_d);
        check_result(r, k_state);
        for (int i = 0; i < k_state; ++i) {
          const dual_t d = r[i];
          if (first == 0 && value != nullptr) value[i] = d.val;
          for (int l = 0; l < width; ++l)
            store(i, first + l, d.tan[l]);
        }
      }
    };
    auto seed_of = [&](int e, int j) { return seeds[static_cast<std::size_t>(j) * n_in + e]; };
    const math::ode::tolerances tol{options.rel_tol, options.abs_tol, options.max_steps};
    math::ode::solve_info info;
    if constexpr (!Stiff) {
      // The coupled system [y, S_1, ..., S_p]: S_j' = J_y S_j + f_p seed_j.
      // The arguments' tangents (their seeds) are the same at every call:
      // they are set once per group of `lanes` columns, and each call of the
      // right-hand side writes the state and its tangents alone.
      const int groups = (p + Lanes - 1) / Lanes;
      std::vector<argument_tuple<dual_t>> group_args(static_cast<std::size_t>(groups));
      for (int c = 0; c < groups; ++c) {
        const int first = c * Lanes, width = std::min(Lanes, p - first);
        size_arguments<dual_t>(group_args[c], in);
        fill_arguments<dual_t>(group_args[c], in, [&](double v, int e) {
          dual_t d(v);
          for (int l = 0; l < width; ++l)
            d.tan[l] = seed_of(e, first + l);
          return d;
        });
      }
      // Here the coupled state holds the sensitivities state by state,
      // z[k_state + i * p + j] = S_j[i], so that the tangents of state i
      // are contiguous, as the lanes of its dual number (the observer gets
      // them column by column, S_j[i] at j * k_state + i).
      for (int j = 0; j < p; ++j)
        for (int i = 0; i < k_state; ++i)
          z[k_state + i * p + j] = seeds[static_cast<std::size_t>(j) * n_in + i];
      for (int i = 0; i < k_state; ++i)
        yd[i] = dual_t(0.0);
      auto rhs = [&](double t, const double* zs, double* dz) {
        if (p == 0) return plain_rhs(t, zs, dz);
        for (int c = 0; c < groups; ++c) {
          const int first = c * Lanes, width = std::min(Lanes, p - first);
          dual_t* y_lanes = yd.data();
          for (int i = 0; i < k_state; ++i) {
            y_lanes[i].val = zs[i];
            copy_lanes<Lanes>(width, y_lanes[i].tan, zs + k_state + i * p + first);
            if (groups > 1) // lanes past the last group's width stay 0
              for (int l = width; l < Lanes; ++l)
                y_lanes[i].tan[l] = 0.0;
          }
          const auto r = call_apart(f, t, yd, group_args[c]);
          check_result(r, k_state);
          for (int i = 0; i < k_state; ++i) {
            if (c == 0) dz[i] = r[i].val;
            copy_lanes<Lanes>(width, dz + k_state + i * p + first, r[i].tan);
          }
        }
      };
      std::vector<double> by_column(static_cast<std::size_t>(k_state) * p);
      info =
          math::ode::dormand_prince(rhs, n, z.data(), t0, ts.data(), static_cast<int>(ts.size()),
                                    tol, [&](int k, const double* zs) {
                                      for (int i = 0; i < k_state; ++i)
                                        for (int j = 0; j < p; ++j)
                                          by_column[static_cast<std::size_t>(j) * k_state + i] =
                                              zs[k_state + i * p + j];
                                      observe(k, zs, static_cast<const double*>(by_column.data()));
                                    });
    } else {
      struct system {
        int k, p;
        decltype(plain_rhs)& rhs_;
        decltype(directions)& directions_;
        decltype(seed_of)& seed_;
        int n() const { return k; }
        int columns() const { return p; }
        void rhs(double t, const double* ys, double* dy) { rhs_(t, ys, dy); }
        void jacobian(double t, const double* ys, double* jac) {
          directions_(
              t, ys, k, [](int i, int j) { return i == j ? 1.0 : 0.0; },
              [](int, int) { return 0.0; }, [&](int i, int j, double d) { jac[j * k + i] = d; },
              nullptr);
        }
        void param_rhs(double t, const double* ys, double* fp) {
          directions_(
              t, ys, p, [](int, int) { return 0.0; }, seed_,
              [&](int i, int j, double d) { fp[j * k + i] = d; }, nullptr);
        }
      } sys{k_state, p, plain_rhs, directions, seed_of};
      info = math::ode::bdf2(sys, z.data(), z.data() + k_state, t0, ts.data(),
                             static_cast<int>(ts.size()), tol, observe);
    }
    if (!info.ok()) {
      failures->record(info.status);
      fail();
    }
    return info.status;
  }
};

} // namespace ops

namespace detail {

template <class TS>
std::vector<double> ode_times(const TS& ts, double t0, const char* function) {
  std::vector<double> out;
  if constexpr (std::is_arithmetic_v<TS>)
    out.push_back(static_cast<double>(ts));
  else
    for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(ts.size()); ++i)
      out.push_back(static_cast<double>(ts[i]));
  const std::string prefix = std::string("statix: sx::") + function + ": ";
  if (out.empty()) throw std::invalid_argument(prefix + "ts, the output times, is empty");
  if (!std::isfinite(t0)) throw std::invalid_argument(prefix + "t0 is not finite");
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!std::isfinite(out[i]))
      throw std::invalid_argument(prefix + "ts[" + std::to_string(i) + "] is not finite");
    if (i > 0 && out[i] < out[i - 1])
      throw std::invalid_argument(prefix + "ts must be increasing, but ts[" + std::to_string(i) +
                                  "] = " + std::to_string(out[i]) + " is before ts[" +
                                  std::to_string(i - 1) + "] = " + std::to_string(out[i - 1]));
  }
  if (!(out[0] > t0))
    throw std::invalid_argument(prefix + "ts[0] = " + std::to_string(out[0]) +
                                " is not after t0 = " + std::to_string(t0));
  return out;
}

template <bool Stiff, class F, class Y0, class TS, class... Args, std::size_t... I>
auto make_ode(F f, const Y0& y0, double t0, const TS& ts, ode_options options,
              const std::tuple<const Args&...>& args, std::index_sequence<I...>) {
  using Op =
      ops::ode_op<F, Stiff, node_of_t<std::tuple_element_t<I, std::tuple<Args...>>>::rank...>;
  static_assert(
      node_of_t<Y0>::rank <= 1,
      "statix: sx::ode_rk45 / sx::ode_bdf(f, y0, t0, ts, ...): y0 is a scalar or a vector");
  if (!(options.rel_tol > 0) || !(options.abs_tol > 0) || options.max_steps < 1)
    throw std::invalid_argument(std::string("statix: sx::") + Op::name +
                                ": ode_options needs rel_tol > 0, abs_tol > 0 "
                                "and max_steps >= 1");
  // Aggregate initialisation: f may be a lambda with captures, which has no
  // default constructor and no assignment.
  Op op{std::move(f), t0, ode_times(ts, t0, Op::name), options};
  return make_matrix_function(std::move(op), as_node(y0), as_node(std::get<I>(args))...);
}

template <class... X>
struct last_is_ode_options_impl : std::false_type {};
template <class X>
struct last_is_ode_options_impl<X> : std::is_same<std::remove_cvref_t<X>, ode_options> {};
template <class X, class Y, class... Z>
struct last_is_ode_options_impl<X, Y, Z...> : last_is_ode_options_impl<Y, Z...> {};
template <class... X>
inline constexpr bool last_is_ode_options = last_is_ode_options_impl<X...>::value;

} // namespace detail

namespace detail {
template <bool Stiff, class F, class Y0, class TS, class... Rest>
auto ode_dispatch(F f, const Y0& y0, double t0, const TS& ts, const Rest&... rest) {
  if constexpr (last_is_ode_options<Rest...>) {
    const auto all = std::tuple<const Rest&...>(rest...);
    const ode_options options = std::get<sizeof...(Rest) - 1>(all);
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      using args_t = std::tuple<std::tuple_element_t<I, std::tuple<Rest...>>...>;
      return [&]<class... A>(std::type_identity<std::tuple<A...>>) {
        return make_ode<Stiff>(std::move(f), y0, t0, ts, options,
                               std::tuple<const A&...>(std::get<I>(all)...),
                               std::make_index_sequence<sizeof...(I)>{});
      }(std::type_identity<args_t>{});
    }
    (std::make_index_sequence<sizeof...(Rest) - 1>{});
  } else {
    return make_ode<Stiff>(std::move(f), y0, t0, ts, ode_options{},
                           std::tuple<const Rest&...>(rest...), std::index_sequence_for<Rest...>{});
  }
}
} // namespace detail

// The solution of dy/dt = f(t, y, args...), y(t0) = y0, at the increasing
// times ts (all after t0): an N x K matrix expression, row n = y(ts[n]).
// An optional last argument sx::ode_options{.rel_tol, .abs_tol, .max_steps}.
// ode_rk45: adaptive Dormand-Prince 5(4), for non-stiff problems.
template <class F, class Y0, class TS, class... Rest>
auto ode_rk45(F f, const Y0& y0, double t0, const TS& ts, const Rest&... rest) {
  return detail::ode_dispatch<false>(std::move(f), y0, t0, ts, rest...);
}
// ode_bdf: variable-step BDF2 (math/ode/bdf2.hpp), for stiff problems, with
// the same call and the same defaults as Stan's ode_bdf.
template <class F, class Y0, class TS, class... Rest>
auto ode_bdf(F f, const Y0& y0, double t0, const TS& ts, const Rest&... rest) {
  return detail::ode_dispatch<true>(std::move(f), y0, t0, ts, rest...);
}

// The solver failures counted by an sx::ode_rk45 / sx::ode_bdf node (and the
// copies a model and its chains hold): sx::ode_failures(z).total() after
// sampling; .reset() before a run to count that run alone.
template <class F, bool Stiff, int... R, class... A>
ode_failure_counter&
ode_failures(const matrix_function_node<ops::ode_op<F, Stiff, R...>, A...>& z) {
  return *z.op.failures;
}

} // namespace statix
