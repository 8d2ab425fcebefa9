#pragma once

#include "statix/ad/forward_mode.hpp"
#include "statix/ad/reverse_sweep.hpp"
#include "statix/base/density_options.hpp"
#include "statix/base/named_values.hpp"
#include "statix/base/output_slot.hpp"
#include "statix/core/pointwise_terms.hpp"
#include "statix/core/variables.hpp"
#include "statix/model/graph_checks.hpp"

#include <Eigen/Core>
#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace statix {

namespace detail {
// Whether variable V's term is an element loop that may share a loop.
template <class V>
constexpr bool loops_over_elements_of() {
  if constexpr (requires { V::loops_over_elements; })
    return V::loops_over_elements;
  else
    return false;
}
} // namespace detail

// A model: the variables passed to sx::model(...), their evaluation order (a
// topological sort of the dependency graph, fixed at compile time), the
// workspace layout and the unconstrained layout (free variables in the order
// they were passed). Immutable once built: every evaluation takes its
// workspace from the caller or from a per-thread buffer.
template <class... Vars>
class compiled_model {
  // The graph checks (model/graph_checks.hpp) run as the deduction of
  // check_graph's return type: a failed check is then one error, with no
  // second "non-constant condition" error after it.
  using graph_checked_ = decltype(detail::check_graph<Vars...>());

public:
  static constexpr int num_variables = sizeof...(Vars);
  static constexpr std::array<int, num_variables> order = detail::evaluation_order<Vars...>();

  explicit compiled_model(Vars... vars) : vars_(std::move(vars)...) {
    slot_layout layout;
    for_each_variable([&](auto& v) {
      if constexpr (std::remove_cvref_t<decltype(v)>::kind != variable_kind::observed)
        v.allocate_slot(layout);
    });
    for_each_variable([&](auto& v) {
      using V = std::remove_cvref_t<decltype(v)>;
      if constexpr (V::kind == variable_kind::free) {
        v.x_offset_ = dim_;
        layout.set_unconstrained_offset(V::name.view(), dim_);
        dim_ += v.unconstrained_size();
        num_constrained_ += v.size();
        append_names(param_names_, std::string(V::name.view()), v.rows(), v.cols(), V::rank);
      }
    });
    for_each_variable([&](auto& v) { v.bind(layout); });
    output_names_ = param_names_;
    for_each_variable([&](auto& v) {
      using V = std::remove_cvref_t<decltype(v)>;
      if constexpr (V::kind == variable_kind::deterministic)
        append_names(output_names_, std::string(V::name.view()), detail::rows_of(v),
                     detail::cols_of(v), V::rank);
    });
    workspace_size_ = std::max(1, layout.total());
  }

  // ---- the flat interface ---------------------------------------------------
  int dim() const { return dim_; }
  // The free variables' values on the constrained scale (a simplex of K has
  // K - 1 unconstrained coordinates and K values).
  int num_constrained() const { return num_constrained_; }
  std::vector<std::string> param_names() const { return param_names_; }
  std::vector<std::string> output_names() const { return output_names_; }
  int output_size() const { return static_cast<int>(output_names_.size()); }
  int workspace_size() const { return workspace_size_; }

  double log_density(const Eigen::VectorXd& x, density_options options = {}) const {
    check_dim(x);
    return log_density(x.data(), thread_workspace().values(), options);
  }

  // Reverse mode: returns the log density and fills grad. Const and
  // thread-safe; no allocation after a thread's first call. Flattened: the
  // evaluation is inlined here, in one frame with the checks.
  STATIX_FLATTEN double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad,
                                             density_options options = {}) const {
    check_dim(x);
    if (grad.size() != dim_) [[unlikely]]
      resize_gradient(grad);
    workspace& w = thread_workspace();
    return log_density_gradient(x.data(), grad.data(), w.values(), w.adjoints(), options);
  }

  // Forward mode: dual numbers with forward_lanes tangents, one pass per
  // forward_lanes coordinates. Same value and gradient as reverse mode.
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad, forward_mode_t,
                              density_options options = {}) const {
    using dual_t = math::dual<double, forward_lanes>;
    check_dim(x);
    if (grad.size() != dim_) grad.resize(dim_);
    auto& xs = thread_dual_buffer<dual_t, 0>(dim_);
    auto& values = thread_dual_buffer<dual_t, 1>(workspace_size_);
    double lp = 0;
    for (int start = 0; start < std::max(dim_, 1); start += forward_lanes) {
      for (int i = 0; i < dim_; ++i) {
        xs[i] = dual_t(x[i]);
        if (i >= start && i < start + forward_lanes) xs[i].tan[i - start] = 1.0;
      }
      const dual_t result = log_density(xs.data(), values.data(), options);
      lp = result.val;
      for (int l = 0; l < forward_lanes && start + l < dim_; ++l)
        grad[start + l] = result.tan[l];
    }
    return lp;
  }

  // Hessian by forward over reverse: the reverse sweep run on dual numbers
  // gives hessian_lanes Hessian-vector products per pass.
  double log_density_hessian(const Eigen::VectorXd& x, Eigen::VectorXd& grad, Eigen::MatrixXd& hess,
                             density_options options = {}) const {
    using dual_t = math::dual<double, hessian_lanes>;
    check_dim(x);
    grad.resize(dim_);
    hess.resize(dim_, dim_);
    auto& xs = thread_dual_buffer<dual_t, 2>(dim_);
    auto& gs = thread_dual_buffer<dual_t, 3>(dim_);
    auto& values = thread_dual_buffer<dual_t, 4>(workspace_size_);
    auto& adjoints = thread_dual_buffer<dual_t, 5>(workspace_size_);
    double lp = 0;
    for (int start = 0; start < dim_; start += hessian_lanes) {
      for (int i = 0; i < dim_; ++i) {
        xs[i] = dual_t(x[i]);
        if (i >= start && i < start + hessian_lanes) xs[i].tan[i - start] = 1.0;
      }
      lp = log_density_gradient(xs.data(), gs.data(), values.data(), adjoints.data(), options).val;
      for (int i = 0; i < dim_; ++i) {
        grad[i] = gs[i].val;
        for (int l = 0; l < hessian_lanes && start + l < dim_; ++l)
          hess(i, start + l) = gs[i].tan[l];
      }
    }
    return lp;
  }

  // Hessian-vector product H v by one forward-over-reverse pass.
  Eigen::VectorXd hessian_vector_product(const Eigen::VectorXd& x, const Eigen::VectorXd& v,
                                         density_options options = {}) const {
    using dual_t = math::dual<double, 1>;
    check_dim(x);
    auto& xs = thread_dual_buffer<dual_t, 6>(dim_);
    auto& gs = thread_dual_buffer<dual_t, 7>(dim_);
    auto& values = thread_dual_buffer<dual_t, 8>(workspace_size_);
    auto& adjoints = thread_dual_buffer<dual_t, 9>(workspace_size_);
    for (int i = 0; i < dim_; ++i) {
      xs[i] = dual_t(x[i]);
      xs[i].tan[0] = v[i];
    }
    log_density_gradient(xs.data(), gs.data(), values.data(), adjoints.data(), options);
    Eigen::VectorXd hv(dim_);
    for (int i = 0; i < dim_; ++i)
      hv[i] = gs[i].tan[0];
    return hv;
  }

  // The same with the caller's workspace (two buffers of workspace_size()).
  template <class T>
  STATIX_HD T log_density_gradient(const T* x, T* grad, T* values, T* adjoints,
                                   density_options options = {}) const {
    // Adjoints are accumulated into: each slot clears its own as its value is
    // computed, or its first writer assigns it. The gradient is assigned
    // (each entry of x belongs to one free variable), so it needs no
    // clearing. A model without free variables may be given no gradient.
    T no_gradient[1];
    if (grad == nullptr) grad = no_gradient;
    return options.propto ? evaluate<true, true>(x, grad, values, adjoints, options.jacobian)
                          : evaluate<false, true>(x, grad, values, adjoints, options.jacobian);
  }

  template <class T>
  STATIX_HD T log_density(const T* x, T* values, density_options options = {}) const {
    T* none = nullptr;
    return options.propto ? evaluate<true, false>(x, none, values, none, options.jacobian)
                          : evaluate<false, false>(x, none, values, none, options.jacobian);
  }

  // Free variables on the constrained scale (and the deterministics after
  // them when asked), flattened in model order.
  Eigen::VectorXd param_constrain(const Eigen::VectorXd& x,
                                  bool include_deterministics = false) const {
    Eigen::VectorXd out(include_deterministics ? output_size() : num_constrained_);
    std::vector<double> all(output_size());
    write_output(x, all.data());
    for (int i = 0; i < out.size(); ++i)
      out[i] = all[i];
    return out;
  }

  void write_output(const Eigen::VectorXd& x, double* out) const {
    check_dim(x);
    double* values = thread_workspace().values();
    eval_context<double> ctx{values, nullptr, x.data()};
    forward_slots<true>(ctx, x.data(), false);
    int k = 0;
    for_each_variable([&](const auto& v) {
      if constexpr (std::remove_cvref_t<decltype(v)>::kind == variable_kind::free)
        for (int i = 0; i < v.size(); ++i)
          out[k++] = values[v.offset_ + i];
    });
    for_each_variable([&](const auto& v) {
      if constexpr (std::remove_cvref_t<decltype(v)>::kind == variable_kind::deterministic)
        for (int i = 0; i < v.size(); ++i)
          out[k++] = values[v.offset_ + i];
    });
  }

  // Calls f(variable, ctx) for every observed variable in model order, the
  // context's slots holding the constrained values at x (for
  // sx::pointwise_log_density and sx::draw_elements).
  template <class F>
  void visit_observed(const Eigen::VectorXd& x, F&& f) const {
    check_dim(x);
    eval_context<double> ctx{thread_workspace().values(), nullptr, x.data()};
    forward_slots<true>(ctx, x.data(), false);
    for_each_variable([&](const auto& v) {
      if constexpr (std::remove_cvref_t<decltype(v)>::kind == variable_kind::observed) f(v, ctx);
    });
  }

  // The number of observed values (the rows of every observed variable).
  int num_observed() const {
    int n = 0;
    for_each_variable([&](const auto& v) {
      if constexpr (std::remove_cvref_t<decltype(v)>::kind == variable_kind::observed)
        n += v.size();
    });
    return n;
  }

  // Constrained values of the free variables drawn from their priors (each
  // at its parents' drawn values), flattened in model order as
  // param_unconstrain takes them. A variable with no family to draw from
  // (flat, structured) is an exception naming it.
  template <class Rng>
  Eigen::VectorXd draw_from_prior(Rng& rng) const {
    double* values = thread_workspace().values();
    Eigen::VectorXd x = Eigen::VectorXd::Zero(dim_);
    eval_context<double> ctx{values, nullptr, x.data()};
    for_each_in_order([&](const auto& v) {
      using V = std::remove_cvref_t<decltype(v)>;
      if constexpr (V::kind == variable_kind::free) {
        if constexpr (detail::is_plain_random_v<V>) {
          draw_elements(v, ctx, rng, values + v.offset_);
          if constexpr (V::direct)
            for (int i = 0; i < v.size(); ++i)
              x[v.x_offset_ + i] = values[v.offset_ + i];
        } else {
          draw_elements(v, ctx, rng, nullptr); // throws, naming the variable
        }
      } else if constexpr (V::kind == variable_kind::deterministic) {
        v.compute(ctx);
      }
    });
    Eigen::VectorXd constrained(num_constrained_);
    int k = 0;
    for_each_variable([&](const auto& v) {
      if constexpr (std::remove_cvref_t<decltype(v)>::kind == variable_kind::free)
        for (int i = 0; i < v.size(); ++i)
          constrained[k++] = values[v.offset_ + i];
    });
    return constrained;
  }

  // Constrained values of every free variable, flattened in model order.
  Eigen::VectorXd param_unconstrain(const Eigen::VectorXd& constrained) const {
    if (constrained.size() != num_constrained_)
      throw std::invalid_argument("statix: param_unconstrain expects " +
                                  std::to_string(num_constrained_) + " constrained values, got " +
                                  std::to_string(constrained.size()));
    named_values values;
    int k = 0;
    for_each_variable([&](const auto& v) {
      using V = std::remove_cvref_t<decltype(v)>;
      if constexpr (V::kind == variable_kind::free) {
        values[std::string(V::name.view())] =
            std::vector<double>(constrained.data() + k, constrained.data() + k + v.size());
        k += v.size();
      }
    });
    Eigen::VectorXd x = Eigen::VectorXd::Zero(dim_);
    unconstrain_into(values, x);
    return x;
  }

  // Overwrites the entries of x that belong to the named variables; the
  // others keep their values (and are used for bounds that depend on them).
  void unconstrain_into(const named_values& values, Eigen::VectorXd& x) const {
    check_dim(x);
    for (const auto& entry : values) {
      const auto& name = entry.first; // not a binding: the lambda captures it
      const auto& v = entry.second;
      bool known = false;
      for_each_variable([&](const auto& var) {
        using V = std::remove_cvref_t<decltype(var)>;
        if (V::name.view() == name) {
          known = true;
          if constexpr (V::kind != variable_kind::free)
            throw std::invalid_argument("statix: variable \"" + name +
                                        "\" is not a free variable; only free variables take "
                                        "values");
          else if (static_cast<int>(v.size()) != var.size())
            throw std::invalid_argument("statix: variable \"" + name + "\" has size " +
                                        std::to_string(var.size()) + ", got " +
                                        std::to_string(v.size()) + " values");
        }
      });
      if (!known)
        throw std::invalid_argument("statix: the model has no variable named \"" + name + "\"");
    }
    eval_context<double> ctx{thread_workspace().values(), nullptr, x.data()};
    for_each_in_order([&](const auto& v) {
      using V = std::remove_cvref_t<decltype(v)>;
      if constexpr (V::kind == variable_kind::free) {
        auto it = values.find(std::string(V::name.view()));
        if (it != values.end()) {
          v.unconstrain(ctx, it->second.data(), x.data());
        } else {
          v.template constrain_forward<true>(ctx, x.data(), false);
        }
      } else if constexpr (V::kind == variable_kind::deterministic) {
        v.compute(ctx);
      }
    });
  }

  // Where variable Name sits among write_output's values.
  template <fixed_string Name>
  output_slot output_range() const {
    constexpr int index = index_of<Name>();
    static_assert(index >= 0, "statix: the model has no variable of this name");
    using V = std::remove_cvref_t<decltype(boost::hana::at_c<index>(vars_))>;
    static_assert(V::kind != variable_kind::observed,
                  "statix: an observed variable is data; it has no draws");
    int offset = 0;
    bool found = false;
    auto visit = [&](const auto& v, variable_kind wanted) {
      using W = std::remove_cvref_t<decltype(v)>;
      if (found || W::kind != wanted) return;
      if (W::name == Name) {
        found = true;
        return;
      }
      offset += v.size();
    };
    for_each_variable([&](const auto& v) { visit(v, variable_kind::free); });
    for_each_variable([&](const auto& v) { visit(v, variable_kind::deterministic); });
    const auto& var = boost::hana::at_c<index>(vars_);
    return {offset, var.size(), V::rank == 0};
  }

  // Points every data array of the model at another copy (device memory for
  // the many-chain CUDA path): relocate(const T* pointer, int count) -> const T*.
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    for_each_variable([&](auto& v) { v.rebind_data(relocate); });
  }

  // Whether variable Name is a scalar (else a vector), known at compile time.
  template <fixed_string Name>
  static constexpr bool output_is_scalar() {
    constexpr int index = index_of<Name>();
    static_assert(index >= 0, "statix: the model has no variable of this name");
    using V = std::remove_cvref_t<decltype(boost::hana::at_c<index>(
        std::declval<boost::hana::tuple<Vars...>>()))>;
    return V::rank == 0;
  }

  template <fixed_string Name>
  static constexpr int index_of() {
    int index = -1, i = 0;
    ((Vars::name == Name ? (index = i, ++i) : ++i), ...);
    return index;
  }

  template <fixed_string Name>
  const auto& variable() const {
    constexpr int index = index_of<Name>();
    static_assert(index >= 0, "statix: the model has no variable of this name");
    return boost::hana::at_c<index>(vars_);
  }

  template <class F>
  void for_each_variable(F&& f) const {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f(boost::hana::at_c<I>(vars_)), ...);
    }
    (std::make_index_sequence<num_variables>{});
  }

  // The log density and gradient of the priors alone: every term but the
  // observed variables' (with the Jacobian as `options` say). Minibatch SVI
  // combines it with the full density to scale the likelihood.
  double log_prior_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad,
                            density_options options = {}) const {
    check_dim(x);
    if (grad.size() != dim_) resize_gradient(grad);
    workspace& w = thread_workspace();
    return options.propto ? evaluate<true, true, double, true>(x.data(), grad.data(), w.values(),
                                                               w.adjoints(), options.jacobian)
                          : evaluate<false, true, double, true>(x.data(), grad.data(), w.values(),
                                                                w.adjoints(), options.jacobian);
  }

  // ---- evaluation -------------------------------------------------------------
  template <bool Propto, bool Grad, class T, bool PriorsOnly = false>
  STATIX_FLATTEN STATIX_HD T evaluate(const T* x, T* grad, T* values, T* adjoints,
                                      bool jacobian) const {
    // The context is made here, in the one function the evaluation is: its
    // pointers then stay in registers.
    eval_context<T> ctx{values, adjoints, x, grad};
    // With a gradient, both adjoint buffers are there (log_density_gradient):
    // the checks for a values-only evaluation fold away.
    if constexpr (Grad)
      STATIX_ASSUME(ctx.adjoints != nullptr && ctx.unconstrained_adjoints != nullptr);
    T lp = forward_slots(ctx, x, jacobian);
    [&]<std::size_t... J>(std::index_sequence<J...>) {
      ((lp += evaluate_run<J, Propto, Grad, T, PriorsOnly>(ctx)), ...);
    }
    (std::make_index_sequence<num_terms>{});
    // The terms have added their partials to the adjoints; the reverse sweep
    // (ad/reverse_sweep.hpp) pushes them through the deterministics and the
    // transforms into the gradient.
    if constexpr (Grad) ad::reverse_sweep<order>(vars_, ctx, x, grad, jacobian);
    // A rejected point (an argument outside its domain, which a term without
    // per-element checks shows as a NaN or -inf total): -inf and a zero
    // gradient, never a NaN.
    if (!(math::value_of(lp) > -INFINITY)) {
      if constexpr (Grad)
        for (int i = 0; i < dim_; ++i)
          grad[i] = T(0.0);
      return math::negative_infinity<T>();
    }
    return lp;
  }

private:
  // ---- the terms, and runs of element loops evaluated as one --------------
  // Terms in evaluation order (a deterministic has none). A run is a stretch
  // of consecutive terms that are element loops. When their lengths agree at
  // run time (a prior over a vector and the likelihood that reads it) they
  // share one loop and one context: an element read by several terms is
  // loaded once, and there is one set-up. Each element's work stays in term
  // order, so a prior still writes its variable's adjoint before the
  // likelihood adds to it.
  static constexpr std::array<variable_kind, num_variables> kinds = {Vars::kind...};
  static constexpr std::array<bool, num_variables> element_loops = {
      detail::loops_over_elements_of<Vars>()...};
  static constexpr int num_terms = [] {
    int n = 0;
    for (int k = 0; k < num_variables; ++k)
      n += kinds[order[k]] != variable_kind::deterministic ? 1 : 0;
    return n;
  }();
  static constexpr std::array<int, num_terms> term_order = [] {
    std::array<int, num_terms> t{};
    int n = 0;
    for (int k = 0; k < num_variables; ++k)
      if (kinds[order[k]] != variable_kind::deterministic) t[n++] = order[k];
    return t;
  }();
  // At a run's first term, the run's length; 0 at its other terms.
  static constexpr std::array<int, num_terms> run_length = [] {
    std::array<int, num_terms> r{};
    for (int j = 0; j < num_terms;) {
      int end = j + 1;
      if (element_loops[term_order[j]])
        while (end < num_terms && element_loops[term_order[end]])
          ++end;
      r[j] = end - j;
      j = end;
    }
    return r;
  }();

  // Runs are joined for the gradient in a plain floating-point type, the
  // sampler's hot path; values only, forward mode and Hessians evaluate the
  // terms one by one (joined code for them would cost compile time for
  // little).
  template <int J, bool Propto, bool Grad, class T, bool PriorsOnly = false>
  STATIX_HD T evaluate_run(eval_context<T>& ctx) const {
    constexpr bool join = Grad && std::is_floating_point_v<T> && !PriorsOnly;
    if constexpr (PriorsOnly && kinds[term_order[J]] == variable_kind::observed) {
      return T(-0.0);
    } else if constexpr (!join || run_length[J] == 1) {
      return boost::hana::at_c<term_order[J]>(vars_).template evaluate_term<Propto, Grad, T>(ctx);
    } else if constexpr (run_length[J] == 0) {
      return T(-0.0); // inside a run, evaluated with its first term; -0.0 + lp is lp
    } else {
      return [&]<std::size_t... K>(std::index_sequence<K...>) {
        return evaluate_joined<Propto, Grad, T, term_order[J + K]...>(ctx);
      }
      (std::make_index_sequence<run_length[J]>{});
    }
  }

  template <bool Propto, bool Grad, class T, int... V>
  STATIX_HD T evaluate_joined(eval_context<T>& ctx) const {
    constexpr int run[] = {V...};
    constexpr int count = sizeof...(V);
    const int n = boost::hana::at_c<run[0]>(vars_).loop_size();
    if (!((boost::hana::at_c<V>(vars_).loop_size() == n) && ...)) {
      T total(-0.0);
      ((total += boost::hana::at_c<V>(vars_).template evaluate_term<Propto, Grad, T>(ctx)), ...);
      return total;
    }
    (boost::hana::at_c<V>(vars_).term.forward(ctx), ...);
    const T total = detail::run_element_loops<Grad>(
        ctx, n, boost::hana::at_c<V>(vars_).template element_loop<Propto, Grad, T>(ctx)...);
    if constexpr (Grad) [&]<std::size_t... K>(std::index_sequence<K...>) {
        (boost::hana::at_c<run[count - 1 - K]>(vars_).term.backward(ctx), ...);
      }
    (std::make_index_sequence<count>{});
    return total;
  }

  template <class F>
  void for_each_variable(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f(boost::hana::at_c<I>(vars_)), ...);
    }
    (std::make_index_sequence<num_variables>{});
  }

  template <class F>
  STATIX_HD void for_each_in_order(F&& f) const {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f(boost::hana::at_c<order[I]>(vars_)), ...);
    }
    (std::make_index_sequence<num_variables>{});
  }

  // Fills the slots of the free variables, and of the deterministics: all of
  // them for output, for a density only those that are read from their slot.
  template <bool ForOutput = false, class T>
  STATIX_HD T forward_slots(eval_context<T>& ctx, const T* x, bool jacobian) const {
    T log_jacobian(0.0);
    for_each_in_order([&](const auto& v) {
      using V = std::remove_cvref_t<decltype(v)>;
      if constexpr (V::kind == variable_kind::free)
        log_jacobian += v.template constrain_forward<ForOutput>(ctx, x, jacobian);
      else if constexpr (V::kind == variable_kind::deterministic)
        if constexpr (ForOutput || !V::passes_through) v.compute(ctx);
    });
    return log_jacobian;
  }

  void check_dim(const Eigen::VectorXd& x) const {
    if (x.size() != dim_) [[unlikely]]
      throw_dim_mismatch(x.size());
  }
  [[gnu::cold, gnu::noinline]] void resize_gradient(Eigen::VectorXd& grad) const {
    grad.resize(dim_);
  }
  [[gnu::cold, gnu::noinline]] void throw_dim_mismatch(Eigen::Index size) const {
    throw std::invalid_argument("statix: the unconstrained vector has size " +
                                std::to_string(size) + " but the model's dimension is " +
                                std::to_string(dim_));
  }

  // The values and the adjoints of one evaluation, capacity doubles each.
  struct workspace {
    std::vector<double> storage;
    int capacity = 0;
    double* values() { return storage.data(); }
    double* adjoints() { return storage.data() + capacity; }
  };
  // One workspace per thread and model type, grown on demand: the reason
  // evaluation allocates nothing after a thread's first call.
  workspace& thread_workspace() const {
    thread_local workspace w;
    if (w.capacity < workspace_size_) [[unlikely]]
      grow(w, workspace_size_);
    return w;
  }
  [[gnu::cold, gnu::noinline]] static void grow(workspace& w, int size) {
    w.storage.assign(2 * static_cast<std::size_t>(size), 0.0);
    w.capacity = size;
  }

  template <class T, int Role>
  static std::vector<T>& thread_dual_buffer(int n) {
    thread_local std::vector<T> buffer;
    if (static_cast<int>(buffer.size()) < n) buffer.resize(n);
    return buffer;
  }

  // CmdStan's names: theta.1, ...; a matrix column-major, L.1.1, L.2.1, ...
  static void append_names(std::vector<std::string>& names, const std::string& name, int rows,
                           int cols, int rank) {
    if (rank == 0) {
      names.push_back(name);
      return;
    }
    if (rank == 1) {
      for (int i = 0; i < rows; ++i)
        names.push_back(name + "." + std::to_string(i + 1));
      return;
    }
    for (int j = 0; j < cols; ++j)
      for (int i = 0; i < rows; ++i)
        names.push_back(name + "." + std::to_string(i + 1) + "." + std::to_string(j + 1));
  }

  boost::hana::tuple<Vars...> vars_;
  int dim_ = 0;             // unconstrained coordinates
  int num_constrained_ = 0; // the free variables' constrained values
  int workspace_size_ = 1;
  std::vector<std::string> param_names_;
  std::vector<std::string> output_names_;
};

template <class... Vars>
auto model(const Vars&... vars) {
  static_assert(sizeof...(Vars) > 0, "statix: sx::model(...) needs at least one variable");
  static_assert((is_variable_v<Vars> && ...),
                "statix: sx::model(...) takes variables (sx::normal<\"mu\">(...), "
                "sx::deterministic<\"name\">(...), ...), not expressions");
  if constexpr ((is_variable_v<Vars> && ...))
    return compiled_model<Vars...>(vars...);
  else
    return compiled_model<>(); // reported above: no cascade through the model's checks
}

} // namespace statix
