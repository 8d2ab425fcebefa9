#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/distribution_term.hpp"
#include "statix/core/free_slot.hpp"
#include "statix/core/gather_nodes.hpp"
#include "statix/core/one_child_node.hpp"

#include <string>
#include <tuple>
#include <type_traits>

namespace statix {

namespace detail {
// .truncate(...) of an observed or a free variable (core/truncation.hpp).
template <class V, class... A>
auto truncate_observed(const V& v, const A&... args);
template <class V, class... A>
auto truncate_free(const V& v, const A&... args);

inline std::string support_description(dist::support_kind s) {
  switch (s) {
  case dist::support_kind::real:
    return "(-inf, inf)";
  case dist::support_kind::positive:
    return "(0, inf)";
  case dist::support_kind::nonnegative:
    return "[0, inf)";
  case dist::support_kind::unit_interval:
    return "[0, 1]";
  case dist::support_kind::parameter_bounds:
    return "[lower, upper]";
  case dist::support_kind::binary:
    return "{0, 1}";
  case dist::support_kind::nonnegative_int:
    return "{0, 1, 2, ...}";
  case dist::support_kind::int_upto_param0:
    return "{0, ..., n}";
  case dist::support_kind::category:
    return "{0, ..., K-1}";
  }
  return "";
}
} // namespace detail

// y ~ Dist(params) with y data: a likelihood term.
template <class Name, class Dist, class Y, class... P>
struct observed_variable : variable_tag {
  static constexpr auto name = Name::value;
  static constexpr variable_kind kind = variable_kind::observed;
  static constexpr int rank = Y::rank;
  using distribution = Dist;
  using refs = typename distribution_term<Dist, P...>::refs;

  Y y;
  distribution_term<Dist, P...> term;

  observed_variable(Y data, distribution_term<Dist, P...> t)
      : y(std::move(data)), term(std::move(t)) {
    const std::string var(Name::value.view());
    if constexpr (!Dist::is_discrete) y.check_data(var, "observed data");
    check_support(var);
    term.validate(var, y.size());
  }

  // Stan's T[L, U]: .truncate(l, u), .truncate(sx::lower(l)), .truncate(sx::upper(u)).
  template <class... A>
  auto truncate(const A&... bounds) const {
    return detail::truncate_observed(*this, bounds...);
  }

  STATIX_HD int size() const { return y.size(); }
  void allocate_slot(slot_layout&) {}
  void bind(slot_layout& layout) { term.bind(layout); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    y.rebind_data(relocate);
    term.rebind_data(relocate);
  }

  template <bool Propto, bool Grad, class T>
  STATIX_HD T evaluate_term(eval_context<T>& ctx) const {
    return term.template evaluate<Propto, Grad, T>(ctx, y, y.size());
  }

  // The likelihood as an element loop that the model may run with others.
  static constexpr bool loops_over_elements =
      distribution_term<Dist, P...>::template loops_over_elements<Y>;
  STATIX_HD int loop_size() const { return y.size(); }
  template <bool Propto, bool Grad, class T>
  STATIX_HD auto element_loop(const eval_context<T>& ctx) const {
    return term.template make_element_loop<Propto, Grad, T, Y, false>(ctx, y);
  }

private:
  template <std::size_t I>
  static constexpr bool constant_param() {
    if constexpr (I < sizeof...(P))
      return detail::constant_leaf<std::remove_cvref_t<
          decltype(std::declval<const distribution_term<Dist, P...>&>().template param<I>())>>;
    else
      return false;
  }

  bool in_support(double v, int i) const {
    using dist::support_kind;
    constexpr support_kind s = Dist::support;
    if constexpr (s == support_kind::real)
      return true;
    else if constexpr (s == support_kind::positive)
      return v > 0;
    else if constexpr (s == support_kind::nonnegative)
      return v >= 0;
    else if constexpr (s == support_kind::unit_interval)
      return v >= 0 && v <= 1;
    else if constexpr (s == support_kind::parameter_bounds) {
      if constexpr (constant_param<0>() && constant_param<1>())
        return v >= term.template param<0>().data_at(i) && v <= term.template param<1>().data_at(i);
      else
        return true;
    } else if constexpr (s == support_kind::binary)
      return v == 0 || v == 1;
    else if constexpr (s == support_kind::nonnegative_int)
      return v >= 0;
    else if constexpr (s == support_kind::int_upto_param0) {
      if constexpr (constant_param<0>())
        return v >= 0 && v <= term.template param<0>().data_at(i);
      else
        return v >= 0;
    } else if constexpr (s == support_kind::category)
      return v >= 0 && v < term.template param<0>().size();
    else
      return true;
  }

  void check_support(const std::string& var) const {
    for (int i = 0; i < y.size(); ++i) {
      const double v = y.data_at(i);
      if (!in_support(v, i))
        throw std::domain_error(
            "statix: variable \"" + var + "\": observed value " + detail::format_number(v) +
            (Y::rank == 1 ? " at index " + std::to_string(i) : "") + " is outside the support of " +
            Dist::family_name + " " + detail::support_description(Dist::support));
    }
  }
};

namespace detail {
template <class Dist, class Data>
auto observed_node(const Data& data) {
  if constexpr (Dist::is_discrete) {
    if constexpr (std::is_integral_v<Data>)
      return int_literal(static_cast<int>(data));
    else if constexpr (is_int_vector_v<Data>)
      return as_int_data(data);
    else
      static_assert(dependent_false<Data>,
                    "statix: a discrete distribution observes integer data: pass an int, an "
                    "Eigen::VectorXi or a std::vector<int>");
  } else {
    static_assert(
        !is_node_v<Data> && !is_variable_v<Data>,
        "statix: .observe(...) takes data (a number or a vector), not a model expression");
    return as_node(data);
  }
}
} // namespace detail

// Dist(params) over a free variable: a prior term plus the slot.
template <class Name, class Dist, int Rank, class Lower, class Upper, class... P>
struct random_variable : free_slot<Name, Rank, Lower, Upper, true> {
  using base = free_slot<Name, Rank, Lower, Upper, true>;
  using distribution = Dist;
  using refs =
      concat_names_t<typename distribution_term<Dist, P...>::refs, typename base::bound_refs>;

  distribution_term<Dist, P...> term;

  random_variable(distribution_term<Dist, P...> t, Lower lo, Upper up, int n)
      : base(std::move(lo), std::move(up), n), term(std::move(t)) {
    term.validate(std::string(Name::value.view()), n);
  }

  // The same declaration as a likelihood term over data.
  template <class Data>
  auto observe(const Data& data) const {
    auto y = detail::observed_node<Dist>(data);
    return observed_variable<Name, Dist, decltype(y), P...>(std::move(y), term);
  }

  // Stan's T[L, U] on a parameter: the support becomes [L, U].
  template <class... A>
  auto truncate(const A&... bounds) const {
    return detail::truncate_free(*this, bounds...);
  }

  void allocate_slot(slot_layout& layout) {
    this->offset_ = layout.add_variable(Name::value.view(), this->size_);
  }
  void bind(slot_layout& layout) {
    this->bind_bounds(layout);
    term.bind(layout);
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    this->rebind_bounds(relocate);
    term.rebind_data(relocate);
  }
  template <bool Propto, bool Grad, class T>
  STATIX_HD T evaluate_term(eval_context<T>& ctx) const {
    return term.template evaluate<Propto, Grad, T, decltype(this->ref_bound()), true>(
        ctx, this->ref_bound(), this->size());
  }

  // The prior as an element loop that the model may run with others.
  static constexpr bool loops_over_elements = distribution_term<
      Dist, P...>::template loops_over_elements<decltype(std::declval<const base&>().ref_bound())>;
  STATIX_HD int loop_size() const { return this->size(); }
  template <bool Propto, bool Grad, class T>
  STATIX_HD auto element_loop(const eval_context<T>& ctx) const {
    return term.template make_element_loop<Propto, Grad, T, decltype(this->ref_bound()), true>(
        ctx, this->ref_bound());
  }
};

// An improper flat prior on the variable's support (Stan's parameter with no
// sampling statement): no density term, only the transform.
template <class Name, int Rank, class Lower, class Upper>
struct flat_variable : free_slot<Name, Rank, Lower, Upper, false> {
  using base = free_slot<Name, Rank, Lower, Upper, false>;
  using refs = typename base::bound_refs;

  flat_variable(Lower lo, Upper up, int n) : base(std::move(lo), std::move(up), n) {}

  void allocate_slot(slot_layout& layout) {
    this->offset_ = layout.add_variable(Name::value.view(), this->size_);
  }
  void bind(slot_layout& layout) { this->bind_bounds(layout); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    this->rebind_bounds(relocate);
  }
  template <bool Propto, bool Grad, class T>
  STATIX_HD T evaluate_term(eval_context<T>&) const {
    return T(0.0);
  }
};

// A read of deterministic variable `Name` = E whose elements depend on the
// leaves' elements alone: element i is E's element i, evaluated where it is
// read, and adjoints go straight through E to the variables it reads. So
// during a density evaluation the deterministic needs no slot, no loop to
// fill it and no backward loop; its slot is filled only for output.
template <class Name, class E>
struct deterministic_ref : one_child_node<deterministic_ref<Name, E>, E> {
  static constexpr int rank = E::rank;
  static constexpr bool varies = E::varies;
  static constexpr bool writes_own_element = E::writes_own_element;
  static constexpr auto name = Name::value;
  using refs = concat_names_t<name_list<Name>, typename E::refs>;
  using one_child_node<deterministic_ref<Name, E>, E>::a; // the expression

  int size_ = 1;

  deterministic_ref(E e, int size)
      : one_child_node<deterministic_ref<Name, E>, E>(std::move(e)), size_(size) {}
  STATIX_HD int size() const { return rank == 0 ? 1 : size_; }
  STATIX_HD int rows() const { return detail::rows_of(a); }
  STATIX_HD int cols() const { return detail::cols_of(a); }
  // The deterministic variable runs its expression's forward and backward
  // and checks its data, once; a reference to it does none of them again.
  void check_data(const std::string&, const std::string&) const {}
  template <class T>
  STATIX_HD void forward(eval_context<T>&) const {}
  template <class T>
  STATIX_HD void backward(eval_context<T>&) const {}
  template <class Ctx>
  STATIX_HD auto value(const Ctx& ctx, int i) const {
    return a.value(ctx, i);
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int i, const T& adj) const {
    if constexpr (E::varies) a.backprop(ctx, i, adj);
  }
};

// .observe(data) on a deterministic variable is an error on this incomplete
// type, whose first argument is the variable's name.
template <fixed_string Name, class Data>
struct a_deterministic_variable_cannot_be_observed;

// A function of other variables, recorded with every draw.
template <class Name, class E>
struct deterministic_variable : variable_tag {
  static constexpr auto name = Name::value;
  static constexpr variable_kind kind = variable_kind::deterministic;
  static constexpr int rank = E::rank;
  using refs = typename E::refs;

  E expr;
  int offset_ = -1;

  explicit deterministic_variable(E e) : expr(std::move(e)) {
    expr.check_data(std::string(Name::value.view()), "data in the expression");
  }

  // Reads of an elementwise expression pass their adjoints through it
  // (deterministic_ref); others add to this variable's adjoint slot, which
  // backward() pushes through the expression once.
  static constexpr bool passes_through = E::elementwise;

  STATIX_HD int size() const { return expr.size(); }
  STATIX_HD int rows() const { return detail::rows_of(expr); }
  STATIX_HD int cols() const { return detail::cols_of(expr); }
  auto ref() const {
    if constexpr (passes_through)
      return deterministic_ref<Name, E>(expr, size());
    else
      return variable_ref<Name, rank>(size(), cols());
  }
  template <class Index>
  auto operator[](const Index& index) const {
    return make_index_node(ref(), index);
  }

  // Observe a random variable instead, e.g. sx::normal<"y">(mean, sd).observe(data).
  template <class Data>
  void observe(const Data&) const {
    static_cast<void>(sizeof(a_deterministic_variable_cannot_be_observed<Name::value, Data>));
  }

  void allocate_slot(slot_layout& layout) {
    offset_ = layout.add_variable(Name::value.view(), size());
  }
  void bind(slot_layout& layout) { expr.bind(layout); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    expr.rebind_data(relocate);
  }

  template <class T>
  STATIX_HD void compute(eval_context<T>& ctx) const {
    expr.forward(ctx);
    const int n = size();
    const summing_context<T, refs> element_ctx(ctx, expr);
    for (int i = 0; i < n; ++i)
      ctx.values[offset_ + i] = T(expr.value(element_ctx, i));
    if (ctx.adjoints != nullptr)
      for (int i = 0; i < n; ++i)
        ctx.adjoints[offset_ + i] = T(0.0);
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    if constexpr (passes_through) {
      expr.backward(ctx);
    } else if constexpr (E::varies) {
      const int n = size();
      summing_context<T, refs> element_ctx(ctx, expr);
      for (int i = 0; i < n; ++i)
        expr.backprop(element_ctx, i, ctx.adjoints[offset_ + i]);
      element_ctx.flush();
      expr.backward(ctx);
    }
  }
};

// ---- builders ---------------------------------------------------------------

template <fixed_string Name, class A>
auto deterministic(const A& expr) {
  static_assert(is_node_v<A> || is_variable_v<A>,
                "statix: sx::deterministic<\"name\">(expr) takes an expression of variables");
  return deterministic_variable<to_name_t<Name>, node_of_t<A>>(as_node(expr));
}

} // namespace statix
