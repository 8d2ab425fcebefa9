#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/elementwise_nodes.hpp"
#include "statix/core/eval_context.hpp"
#include "statix/core/gather_nodes.hpp"
#include "statix/core/reduction_nodes.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

// sx::scan(init, n, step): a vector whose element 0 is init and element t is
// step(element t - 1, t). The step is called once, when the model is built,
// with symbolic arguments (the previous element and the time index); the
// expression it returns is the step's node type.
// - With a vector init of K values, elements 0..K-1 are init and the steps
//   start at t = K; a step may read the scan's own state at t - k as prev(k)
//   (prev itself is prev(1)) and data at t - k, for k up to K: AR(K).
// - A step that returns a std::tuple of K expressions makes a vector state:
//   an n x K matrix whose row 0 is init and row t the tuple's values at row
//   t - 1, which the step reads as prev[j] (a local linear trend: level and
//   slope).
// Values run the steps forwards into the scan's slot; reverse mode runs them
// backwards over the stored states, each step pushing its adjoint to the
// states it read and to what else it reads, with no allocation per step and
// no recursion. A scalar state t - 1 and its adjoint travel from one step to
// the next in the step's context (a register), not through the slot: a
// store and a load on the chain from one step to the next would add their
// latency to every step. A step whose outermost operation has a derivative
// in terms of its result (sqrt: 0.5 / sqrt(x), exp) takes it from the stored
// state instead of evaluating the step again.
namespace statix {

// The symbolic time index t of a scan step, or t - lag.
struct scan_time {
  int lag = 0;
};
inline scan_time operator-(scan_time t, int k) {
  return {t.lag + k};
}
inline scan_time operator+(scan_time t, int k) {
  return {t.lag - k};
}

namespace detail {
// The reads at t - lag made while a step expression is built, checked by the
// scan against its length (a read before element 0 or past the data's end is
// an error when the model is built, not at run time).
struct scan_read {
  int lag;
  int size; // of what is read
  std::string what;
  int component = -1; // prev[j]: j
};
inline std::vector<scan_read>*& scan_reads() {
  thread_local std::vector<scan_read>* reads = nullptr;
  return reads;
}
} // namespace detail

// The context of one step: the evaluation context of its reads (scalar
// variables cached and their adjoints summed, as in an element loop), the
// step t and the scan's states and their adjoints.
template <class T, class Names>
struct scan_context : summing_context<T, Names> {
  int scan_t = 0;
  T previous{0.0};           // state t - 1
  T previous_adjoint{0.0};   // what step t adds to the adjoint of state t - 1
  const T* states = nullptr; // every state, for reads at t - k (k > 1)
  T* state_adjoints = nullptr;

  template <class... Nodes>
  STATIX_HD explicit scan_context(const eval_context<T>& base, const Nodes&... nodes)
      : summing_context<T, Names>(base, nodes...) {}
};

// Element t - lag of the scan, inside its step: read from the stored states
// (prev(k); the state t - 1 itself travels in a register, scan_previous).
struct scan_lagged_state : node_base<scan_lagged_state> {
  static constexpr int rank = 0;
  static constexpr bool varies = true;
  using refs = name_list<>;
  int lag;
  STATIX_HD int size() const { return 1; }
  template <class Ctx>
  STATIX_HD auto value(const Ctx& ctx, int) const {
    return ctx.states[ctx.scan_t - lag];
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int, const T& adj) const {
    ctx.state_adjoints[ctx.scan_t - lag] += adj;
  }
};

// Element j of state t - 1 of a scan with a vector state (prev[j]), from the
// stored states: column j of the n x K result.
struct scan_state_component : node_base<scan_state_component> {
  static constexpr int rank = 0;
  static constexpr bool varies = true;
  using refs = name_list<>;
  int component;
  STATIX_HD int size() const { return 1; }
  template <class Ctx>
  STATIX_HD auto value(const Ctx& ctx, int) const {
    static_assert(
        requires { ctx.rows; },
        "statix: prev[j] reads element j of a vector state: the step returns a "
        "std::tuple of the state's elements (for the scalar state at t - k, prev(k))");
    return ctx.states[ctx.scan_t - 1 + ctx.rows * component];
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int, const T& adj) const {
    ctx.state_adjoints[ctx.scan_t - 1 + ctx.rows * component] += adj;
  }
};

// The context of one step of a scan with a vector state: the states are
// read from the slot (column-major n x K).
template <class T, class Names>
struct vector_scan_context : summing_context<T, Names> {
  int scan_t = 0;
  int rows = 0;
  const T* states = nullptr;
  T* state_adjoints = nullptr;

  template <class... Nodes>
  STATIX_HD explicit vector_scan_context(const eval_context<T>& base, const Nodes&... nodes)
      : summing_context<T, Names>(base, nodes...) {}
};

// Element t - 1 of the scan, inside its step.
struct scan_previous : node_base<scan_previous> {
  static constexpr int rank = 0;
  static constexpr bool varies = true;
  using refs = name_list<>;
  STATIX_HD int size() const { return 1; }
  template <class Ctx>
  STATIX_HD auto value(const Ctx& ctx, int) const {
    static_assert(
        requires { ctx.previous; },
        "statix: in a sx::scan whose step returns a tuple (a vector state), read "
        "element j of the previous state as prev[j]");
    return ctx.previous;
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int, const T& adj) const {
    ctx.previous_adjoint += adj;
  }
  // The state at t - k, k >= 1 (the scan checks k against its initial values).
  scan_lagged_state operator()(int k) const;
  // Element j of the previous state, in a scan with a vector state.
  scan_state_component operator[](int j) const;
};

inline scan_state_component scan_previous::operator[](int j) const {
  if (j < 0)
    throw std::invalid_argument("statix: sx::scan: prev[j] needs j >= 0; got " + std::to_string(j));
  if (auto* reads = detail::scan_reads())
    reads->push_back({-1, std::numeric_limits<int>::max(), "the vector state", j});
  else
    throw std::logic_error("statix: prev[j] is read only inside sx::scan's step");
  scan_state_component c;
  c.component = j;
  return c;
}

inline scan_lagged_state scan_previous::operator()(int k) const {
  if (auto* reads = detail::scan_reads())
    reads->push_back({k, std::numeric_limits<int>::max(), "the scan's own state"});
  else
    throw std::logic_error("statix: prev(k) is read only inside sx::scan's step");
  if (k < 1)
    throw std::invalid_argument("statix: sx::scan: prev(k) reads the state at t - k, k >= 1; got " +
                                std::to_string(k));
  scan_lagged_state lagged;
  lagged.lag = k;
  return lagged;
}

namespace detail {
// The derivative of a unary operation from its result y = f(x), where the
// scan has y stored: the same value as Op::df(x), without evaluating f's
// argument or f again.
template <class Op>
struct derivative_from_result {
  static constexpr bool defined = false;
};
template <>
struct derivative_from_result<ops::sqrt> {
  static constexpr bool defined = true;
  template <class T>
  STATIX_HD static T df(const T& y) {
    return T(0.5 / y);
  }
};
template <>
struct derivative_from_result<ops::exp> {
  static constexpr bool defined = true;
  template <class T>
  STATIX_HD static T df(const T& y) {
    return y;
  }
};

// Pushes adj, the adjoint of a step's result y, through the step.
template <class Step>
struct step_backprop {
  template <class Ctx, class T>
  STATIX_HD static void run(const Step& step, Ctx& ctx, const T&, const T& adj) {
    step.backprop(ctx, 0, adj);
  }
};
template <class Op, class A>
requires derivative_from_result<Op>::defined struct step_backprop<unary_node<Op, A>> {
  template <class Ctx, class T>
  STATIX_HD static void run(const unary_node<Op, A>& step, Ctx& ctx, const T& y, const T& adj) {
    if constexpr (A::varies) step.a.backprop(ctx, 0, T(adj * derivative_from_result<Op>::df(y)));
  }
};
} // namespace detail

// Element t - lag of a vector (data, a variable or an expression), inside a
// scan's step.
template <class A>
struct time_indexed_node : node_base<time_indexed_node<A>> {
  static constexpr int rank = 0;
  static constexpr bool varies = A::varies;
  static constexpr bool elementwise = A::elementwise;
  static constexpr bool writes_own_element = false;
  using refs = typename A::refs;
  static_assert(A::rank == 1, "statix: only a vector can be read at t - k in a scan's step");

  A a;
  int lag;

  time_indexed_node(A a_, scan_time t) : a(std::move(a_)), lag(t.lag) {
    if (auto* reads = detail::scan_reads())
      reads->push_back({lag, a.size(), detail::operand_name<A>()});
    else
      throw std::logic_error("statix: v[t - k] with the time index of sx::scan is read only "
                             "inside the scan's step");
  }
  STATIX_HD int size() const { return 1; }
  void bind(slot_layout& layout) { a.bind(layout); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    a.rebind_data(relocate);
  }
  void check_data(const std::string& v, const std::string& w) const { a.check_data(v, w); }
  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    a.forward(ctx);
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    a.backward(ctx);
  }
  template <class Ctx>
  STATIX_HD void cache_scalars(Ctx& ctx) const {
    a.cache_scalars(ctx);
  }
  template <class Ctx>
  STATIX_HD auto value(const Ctx& ctx, int) const {
    return a.value(ctx, ctx.scan_t - lag);
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int, const T& adj) const {
    if constexpr (A::varies) a.backprop(ctx, ctx.scan_t - lag, adj);
  }
};

// `sx::data(v)`: data that a scan's step reads at t - k, `sx::data(y)[t - 1]`.
template <class V>
auto data(const V& v) {
  static_assert(is_eigen_vector_v<V> || std::is_same_v<V, std::vector<double>> ||
                    is_eigen_expression_v<V>,
                "statix: sx::data(v) takes a data vector (an Eigen vector or a "
                "std::vector<double>)");
  return as_node(v);
}

template <class A>
auto make_index_node(const A& a, const scan_time& t) {
  return time_indexed_node<A>(a, t);
}

// The scan: its states in a slot of n values.
template <class Init, class Step>
struct scan_node : stored_node<scan_node<Init, Step>, 1> {
  static constexpr bool varies = Init::varies || Step::varies;
  using refs = concat_names_t<typename Init::refs, typename Step::refs>;
  static_assert(Init::rank <= 1,
                "statix: sx::scan(init, n, step): init is a scalar or a vector of initial values");
  static_assert(Step::rank == 0, "statix: sx::scan(init, n, step): the step returns a scalar "
                                 "expression (of prev, the time index, variables and data)");
  static_assert(Step::elementwise,
                "statix: sx::scan's step is made of elementwise operations (no sums, matrix "
                "functions or other stored results that depend on the step)");

  Init init;
  Step step;
  int n_;

  scan_node(Init i, Step s, int n) : init(std::move(i)), step(std::move(s)), n_(n) {}
  STATIX_HD int size() const { return n_; }
  void bind(slot_layout& layout) {
    init.bind(layout);
    step.bind(layout);
    this->offset_ = layout.allocate(n_);
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    init.rebind_data(relocate);
    step.rebind_data(relocate);
  }
  void check_data(const std::string& v, const std::string& w) const {
    init.check_data(v, w);
    step.check_data(v, w);
  }

  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    init.forward(ctx);
    step.forward(ctx);
    T* states = ctx.values + this->offset_;
    scan_context<T, typename Step::refs> step_ctx(ctx, step);
    const int k = init.size();
    for (int i = 0; i < k; ++i)
      states[i] = T(init.value(ctx, i));
    step_ctx.previous = states[k - 1];
    step_ctx.states = states;
    for (int t = k; t < n_; ++t) {
      step_ctx.scan_t = t;
      const T state = T(step.value(step_ctx, 0));
      states[t] = state;
      step_ctx.previous = state;
    }
    this->clear_adjoints(ctx, n_);
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    if constexpr (varies) {
      const T* states = ctx.values + this->offset_;
      T* adjoints = ctx.adjoints + this->offset_;
      scan_context<T, typename Step::refs> step_ctx(ctx, step);
      step_ctx.states = states;
      step_ctx.state_adjoints = adjoints; // reads at t - k, k > 1, add there
      // The adjoint of state t: what the scan's readers and the steps
      // after t + 1 added (the slot) plus what step t + 1 added (carried).
      const int k = init.size();
      T adjoint = adjoints[n_ - 1];
      for (int t = n_ - 1; t >= k; --t) {
        step_ctx.scan_t = t;
        step_ctx.previous = states[t - 1];
        step_ctx.previous_adjoint = T(-0.0); // -0.0 + x is x
        detail::step_backprop<Step>::run(step, step_ctx, states[t], adjoint);
        adjoint = adjoints[t - 1] + step_ctx.previous_adjoint;
        adjoints[t - 1] = adjoint;
      }
      step_ctx.flush();
      if constexpr (Init::varies)
        for (int i = 0; i < k; ++i)
          init.backprop(ctx, i, adjoints[i]);
      step.backward(ctx);
      init.backward(ctx);
    }
  }
};

// A scan with a vector state of K = sizeof...(Steps) values: an n x K matrix
// in one slot (column-major), row 0 = init, row t = the steps' values.
template <class Init, class... Steps>
struct vector_scan_node : stored_node<vector_scan_node<Init, Steps...>, 2> {
  static constexpr int width = sizeof...(Steps);
  static constexpr bool varies = Init::varies || (Steps::varies || ...);
  using refs = concat_names_t<typename Init::refs, typename Steps::refs...>;
  using step_names = concat_names_t<typename Steps::refs...>;
  static_assert(Init::rank <= 1, "statix: sx::scan: init of a vector state is a vector");
  static_assert(((Steps::rank == 0) && ...),
                "statix: sx::scan: each element of the tuple the step returns is a scalar "
                "expression");
  static_assert((Steps::elementwise && ...),
                "statix: sx::scan's step is made of elementwise operations (no sums, matrix "
                "functions or other stored results that depend on the step)");

  Init init;
  std::tuple<Steps...> steps;
  int n_;

  vector_scan_node(Init i, std::tuple<Steps...> s, int n)
      : init(std::move(i)), steps(std::move(s)), n_(n) {}
  STATIX_HD int size() const { return n_ * width; }
  STATIX_HD int rows() const { return n_; }
  STATIX_HD int cols() const { return width; }
  void bind(slot_layout& layout) {
    init.bind(layout);
    std::apply([&](auto&... step) { (step.bind(layout), ...); }, steps);
    this->offset_ = layout.allocate(n_ * width);
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    init.rebind_data(relocate);
    std::apply([&](auto&... step) { (step.rebind_data(relocate), ...); }, steps);
  }
  void check_data(const std::string& v, const std::string& w) const {
    init.check_data(v, w);
    std::apply([&](const auto&... step) { (step.check_data(v, w), ...); }, steps);
  }

  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    init.forward(ctx);
    std::apply([&](const auto&... step) { (step.forward(ctx), ...); }, steps);
    T* states = ctx.values + this->offset_;
    auto step_ctx = make_context(ctx);
    step_ctx.states = states;
    for (int j = 0; j < width; ++j)
      states[n_ * j] = T(init.value(ctx, init.size() == 1 ? 0 : j));
    for (int t = 1; t < n_; ++t) {
      step_ctx.scan_t = t;
      [&]<std::size_t... J>(std::index_sequence<J...>) {
        ((states[t + n_ * int(J)] = T(std::get<J>(steps).value(step_ctx, 0))), ...);
      }
      (std::make_index_sequence<width>{});
    }
    this->clear_adjoints(ctx, n_ * width);
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    if constexpr (varies) {
      const T* states = ctx.values + this->offset_;
      T* adjoints = ctx.adjoints + this->offset_;
      auto step_ctx = make_context(ctx);
      step_ctx.states = states;
      step_ctx.state_adjoints = adjoints;
      // Row t's adjoints are complete once the steps after t have run: each
      // step reads only row t - 1.
      for (int t = n_ - 1; t >= 1; --t) {
        step_ctx.scan_t = t;
        [&]<std::size_t... J>(std::index_sequence<J...>) {
          (detail::step_backprop<std::tuple_element_t<J, std::tuple<Steps...>>>::run(
               std::get<J>(steps), step_ctx, states[t + n_ * int(J)], adjoints[t + n_ * int(J)]),
           ...);
        }
        (std::make_index_sequence<width>{});
      }
      step_ctx.flush();
      if constexpr (Init::varies)
        for (int j = 0; j < width; ++j)
          init.backprop(ctx, init.size() == 1 ? 0 : j, adjoints[n_ * j]);
      std::apply([&](const auto&... step) { (step.backward(ctx), ...); }, steps);
      init.backward(ctx);
    }
  }

private:
  template <class T>
  STATIX_HD auto make_context(const eval_context<T>& ctx) const {
    auto step_ctx = std::apply(
        [&](const auto&... step) { return vector_scan_context<T, step_names>(ctx, step...); },
        steps);
    step_ctx.rows = n_;
    return step_ctx;
  }
};

namespace detail {
template <class X>
inline constexpr bool is_tuple_v = false;
template <class... X>
inline constexpr bool is_tuple_v<std::tuple<X...>> = true;

template <class Init, class... E>
auto make_vector_scan(const Init& init, int n, const std::tuple<E...>& e,
                      const std::vector<scan_read>& reads) {
  static_assert(((is_node_v<E> || is_variable_v<E> || std::is_arithmetic_v<E>)&&...),
                "statix: sx::scan: the tuple the step returns holds expressions of prev[j], the "
                "time index, variables and data");
  constexpr int width = sizeof...(E);
  auto init_node = as_node(init);
  if (init_node.size() != width && init_node.size() != 1)
    throw std::invalid_argument("statix: sx::scan: the step returns a state of " +
                                std::to_string(width) + " values, init has " +
                                std::to_string(init_node.size()));
  for (const auto& r : reads) {
    if (r.component >= width)
      throw std::invalid_argument("statix: sx::scan: prev[" + std::to_string(r.component) +
                                  "] is outside the state of " + std::to_string(width) + " values");
    if (r.component >= 0) continue;
    if (r.what == "the scan's own state")
      throw std::invalid_argument("statix: sx::scan: prev(k) reads a scalar state at t - k; a "
                                  "vector state is read as prev[j] (state t - 1)");
    if (r.lag < 0 || r.lag > 1)
      throw std::invalid_argument("statix: sx::scan: the step reads " + r.what + " at t - " +
                                  std::to_string(r.lag) +
                                  ", outside the steps t = 1..n-1 for some t (a vector state "
                                  "reads at t and t - 1)");
    if (n - 1 - r.lag >= r.size)
      throw std::invalid_argument("statix: sx::scan of length " + std::to_string(n) + " reads " +
                                  r.what + " of size " + std::to_string(r.size) + " at t - " +
                                  std::to_string(r.lag) + " up to index " +
                                  std::to_string(n - 1 - r.lag));
  }
  return std::apply(
      [&](const auto&... x) {
        return vector_scan_node<node_of_t<Init>, node_of_t<E>...>(
            std::move(init_node), std::tuple<node_of_t<E>...>(as_node(x)...), n);
      },
      e);
}
} // namespace detail

// `sx::scan(init, n, step)`.
template <class Init, class Step>
requires expression_like<Init>
auto scan(const Init& init, int n, Step&& step) {
  if (n < 1) throw std::invalid_argument("statix: sx::scan needs n >= 1, got " + std::to_string(n));
  std::vector<detail::scan_read> reads;
  auto*& current = detail::scan_reads();
  auto* outer = current;
  current = &reads;
  struct restore {
    std::vector<detail::scan_read>*& current;
    std::vector<detail::scan_read>* outer;
    ~restore() { current = outer; }
  } restore_reads{current, outer};
  auto e = step(scan_previous{}, scan_time{});
  if constexpr (detail::is_tuple_v<decltype(e)>) {
    return detail::make_vector_scan(init, n, e, reads);
  } else {
    static_assert(is_node_v<decltype(e)> || is_variable_v<decltype(e)>,
                  "statix: sx::scan's step returns an expression of prev, the time index, "
                  "variables and data (or a std::tuple of them, for a vector state)");
    auto step_node = as_node(e);
    auto init_node = as_node(init);
    for (const auto& r : reads)
      if (r.component >= 0)
        throw std::invalid_argument("statix: sx::scan: prev[" + std::to_string(r.component) +
                                    "] reads a vector state, but the step returns one "
                                    "expression (return a std::tuple for a vector state)");
    const int k = init_node.size();
    if (n < k)
      throw std::invalid_argument("statix: sx::scan of length " + std::to_string(n) + " has " +
                                  std::to_string(k) + " initial values");
    for (const auto& r : reads) {
      if (r.lag < 0 || r.lag > k)
        throw std::invalid_argument(
            "statix: sx::scan: the step reads " + r.what + " at t - " + std::to_string(r.lag) +
            ", outside the steps t = " + std::to_string(k) + "..n-1 for some t (reads at t - " +
            std::to_string(k) + " at the earliest: elements 0.." + std::to_string(k - 1) +
            " are init; give init " + std::to_string(std::max(r.lag, 1)) +
            " values to read further back)");
      if (n - 1 - r.lag >= r.size)
        throw std::invalid_argument("statix: sx::scan of length " + std::to_string(n) + " reads " +
                                    r.what + " of size " + std::to_string(r.size) + " at t - " +
                                    std::to_string(r.lag) + " up to index " +
                                    std::to_string(n - 1 - r.lag));
    }
    return scan_node<node_of_t<Init>, decltype(step_node)>(std::move(init_node),
                                                           std::move(step_node), n);
  }
}

} // namespace statix
