#pragma once

#include "statix/core/transformed_variable.hpp"
#include "statix/core/variables.hpp"

#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

// The declarations users write: `sx::normal<"mu">(0.0, 5.0)`,
// `sx::normal<"theta">(mu, tau, sx::size(8))`, `sx::flat<"p">(sx::simplex(K))`,
// `sx::dirichlet<"theta">(alpha)`: each picks the variable type for its
// shape and family.
namespace statix {

template <fixed_string Name, class... A>
auto flat_bounded(const A&... args);

namespace detail {
template <class Dist, class Term>
auto support_bounds(const Term& term) {
  using dist::support_kind;
  if constexpr (Dist::support == support_kind::positive ||
                Dist::support == support_kind::nonnegative)
    return std::pair<zero_literal, no_bound>(zero_literal{}, no_bound{});
  else if constexpr (Dist::support == support_kind::unit_interval)
    return std::pair<literal, literal>(literal(0.0), literal(1.0));
  else if constexpr (Dist::support == support_kind::parameter_bounds)
    return std::pair(term.template param<0>(), term.template param<1>());
  else
    return std::pair<no_bound, no_bound>(no_bound{}, no_bound{});
}

template <class Name, class Dist, bool HasSize, class... P>
auto build_random_variable(int n, P... p) {
  distribution_term<Dist, P...> term(std::move(p)...);
  constexpr int rank = HasSize ? 1 : distribution_term<Dist, P...>::param_rank();
  const int size = HasSize ? n : term.param_size();
  auto [lo, up] = support_bounds<Dist>(term);
  return random_variable<Name, Dist, rank, decltype(lo), decltype(up), P...>(
      std::move(term), std::move(lo), std::move(up), size);
}

// An elementwise family over a rows x cols matrix.
template <class Name, class Dist, class... P>
auto build_random_matrix(matrix_size_arg s, P... p) {
  distribution_term<Dist, P...> term(std::move(p)...);
  auto [lo, up] = support_bounds<Dist>(term);
  random_variable<Name, Dist, 2, decltype(lo), decltype(up), P...> v(
      std::move(term), std::move(lo), std::move(up), s.rows * s.cols);
  v.cols_ = s.cols;
  return v;
}

// An elementwise family over a constrained shape (sx::ordered(K), ...).
template <class Name, class Dist, class Shape, class... P>
auto build_constrained_random_variable(Shape s, P... p) {
  static_assert(Dist::support == dist::support_kind::real ||
                    Dist::support == dist::support_kind::positive,
                "statix: a constrained shape (sx::ordered, sx::simplex, ...) takes a family over "
                "the real line or the positive reals");
  using transform = typename Shape::transform;
  elementwise_prior<Dist, P...> prior{distribution_term<Dist, P...>(std::move(p)...)};
  prior.term.validate(std::string(Name::value.view()), transform::constrained_size(s.k));
  return transformed_variable<Name, transform, Shape::rank, elementwise_prior<Dist, P...>>(
      std::move(prior), s.k);
}

template <class A>
inline constexpr bool is_shape_arg_v =
    std::is_same_v<A, size_arg> || std::is_same_v<A, matrix_size_arg> || is_constrained_shape_v<A>;
} // namespace detail

namespace detail {

// The family's name for parameter I ("sigma" for normal's second), as a
// template argument, so that the compiler prints it.
template <class Dist, std::size_t I>
constexpr auto parameter_label() {
  constexpr std::string_view name = Dist::param_names[I];
  char text[name.size() + 1]{};
  for (std::size_t i = 0; i < name.size(); ++i)
    text[i] = name[i];
  return fixed_string<name.size() + 1>(text);
}

// Named in the compiler's message when a family's argument cannot stand in a
// model expression (a std::string, a std::map, ...): the variable, the
// parameter and the type given, in one error line.
template <fixed_string Variable, fixed_string Parameter, class Given>
struct cannot_use_the_type_given_for_parameter_of_variable;

// Index of the first of the parameters P that is not a model argument;
// sizeof...(P) when all are.
template <class... P>
constexpr std::size_t first_bad_argument() {
  constexpr bool ok[] = {is_model_argument_v<P>..., true};
  std::size_t i = 0;
  while (i < sizeof...(P) && ok[i])
    ++i;
  return i;
}

template <fixed_string Variable, class Dist, std::size_t I, class Given>
void report_bad_argument() {
  cannot_use_the_type_given_for_parameter_of_variable<Variable, parameter_label<Dist, I>(), Given>
      error;
  (void)error;
}

// The node of a family's argument; a literal stands in for an argument already
// reported, so that the one error is all the user reads.
template <class X>
auto argument_node(const X& x) {
  if constexpr (is_model_argument_v<X>)
    return as_node(x);
  else
    return literal(0.0);
}

} // namespace detail

// `sx::<family><"name">(params..., [shape])`, the shape sx::size(n),
// sx::size(rows, cols) or a constrained shape (sx::ordered(K), ...).
template <fixed_string Name, class Dist, class... A>
auto make_random_variable(const A&... args) {
  constexpr int num_shape = (int(detail::is_shape_arg_v<A>) + ... + 0);
  static_assert(num_shape <= 1, "statix: the shape (sx::size(n), sx::ordered(K), ...) is given "
                                "more than once");
  constexpr std::size_t num_params = sizeof...(A) - num_shape;
  static_assert(num_params == Dist::num_params,
                "statix: wrong number of parameters for this distribution (see the family in the "
                "instantiation below: normal takes mu and sigma, half_cauchy takes sigma, ...)");
  auto all = std::forward_as_tuple(args...);
  using last = std::tuple_element_t<sizeof...(A) - 1, std::tuple<A...>>;
  if constexpr (num_shape == 1)
    static_assert(detail::is_shape_arg_v<last>,
                  "statix: the shape (sx::size(n), sx::ordered(K), ...) comes after the "
                  "distribution's parameters");
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    using name_t = to_name_t<Name>;
    using params = std::tuple<std::tuple_element_t<I, std::tuple<A...>>...>;
    constexpr std::size_t bad = detail::first_bad_argument<std::tuple_element_t<I, params>...>();
    if constexpr (bad < num_params)
      detail::report_bad_argument<Name, Dist, bad, std::tuple_element_t<bad, params>>();
    if constexpr (num_shape == 0)
      return detail::build_random_variable<name_t, Dist, false>(
          -1, detail::argument_node(std::get<I>(all))...);
    else if constexpr (std::is_same_v<last, size_arg>)
      return detail::build_random_variable<name_t, Dist, true>(
          std::get<sizeof...(A) - 1>(all).n, detail::argument_node(std::get<I>(all))...);
    else if constexpr (std::is_same_v<last, matrix_size_arg>)
      return detail::build_random_matrix<name_t, Dist>(std::get<sizeof...(A) - 1>(all),
                                                       detail::argument_node(std::get<I>(all))...);
    else
      return detail::build_constrained_random_variable<name_t, Dist>(
          std::get<sizeof...(A) - 1>(all), detail::argument_node(std::get<I>(all))...);
  }
  (std::make_index_sequence<num_params>{});
}

// `sx::<multivariate family><"name">(params..., [sx::size(K)])`: a free
// variable of the family's own shape (a simplex for dirichlet, a Cholesky
// factor for lkj_corr_cholesky), or with .observe(data) a likelihood term.
// The discrete ones (categorical, multinomial, ordered_logistic) are
// observed only.
template <fixed_string Name, class Family, class... A>
auto make_multivariate(const A&... args) {
  constexpr int num_size = (int(std::is_same_v<A, size_arg>) + ... + 0);
  constexpr std::size_t num_params = sizeof...(A) - num_size;
  static_assert(num_params == Family::num_params,
                "statix: wrong number of parameters for this multivariate family (see the family "
                "in the instantiation below)");
  auto all = std::forward_as_tuple(args...);
  int size = -1;
  if constexpr (num_size == 1) size = std::get<sizeof...(A) - 1>(all).n;
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    using name_t = to_name_t<Name>;
    multivariate_term<Family, node_of_t<std::tuple_element_t<I, std::tuple<A...>>>...> term(
        as_node(std::get<I>(all))...);
    if constexpr (Family::is_discrete)
      return multivariate_declaration<name_t, Family,
                                      node_of_t<std::tuple_element_t<I, std::tuple<A...>>>...>{
          std::move(term), size};
    else
      return detail::make_free_multivariate<name_t>(std::move(term), size);
  }
  (std::make_index_sequence<num_params>{});
}

namespace detail {
template <class A>
inline constexpr bool is_lower_arg_v = false;
template <class B>
inline constexpr bool is_lower_arg_v<lower_arg<B>> = true;
template <class A>
inline constexpr bool is_upper_arg_v = false;
template <class B>
inline constexpr bool is_upper_arg_v<upper_arg<B>> = true;

inline no_bound pick_lower() {
  return {};
}
template <class First, class... Rest>
auto pick_lower(const First& first, const Rest&... rest) {
  if constexpr (is_lower_arg_v<First>)
    return as_node(first.bound);
  else
    return pick_lower(rest...);
}
inline no_bound pick_upper() {
  return {};
}
template <class First, class... Rest>
auto pick_upper(const First& first, const Rest&... rest) {
  if constexpr (is_upper_arg_v<First>)
    return as_node(first.bound);
  else
    return pick_upper(rest...);
}

template <class B>
void check_bound(const B& bound, const std::string& variable, const char* what, int size) {
  if constexpr (has_bound<B>) {
    bound.check_data(variable, what);
    if (B::rank == 1 && bound.size() != size)
      throw std::invalid_argument("statix: variable \"" + variable + "\": " + what + " has size " +
                                  std::to_string(bound.size()) + " but the variable has size " +
                                  std::to_string(size));
  }
}
template <class B>
int bound_size(const B& bound) {
  if constexpr (has_bound<B>)
    return B::rank == 1 ? bound.size() : 1;
  else
    return 1;
}
} // namespace detail

// `sx::flat<"name">([sx::lower(a)], [sx::upper(b)], [sx::size(n)])`, in any order.
template <fixed_string Name, class... A>
auto flat(const A&... args) {
  if constexpr (sizeof...(A) == 1 && (detail::is_constrained_shape_v<A> && ...)) {
    // `sx::flat<"p">(sx::simplex(K))`: flat on a constrained shape.
    const auto& s = std::get<0>(std::forward_as_tuple(args...));
    using S = std::remove_cvref_t<decltype(s)>;
    return transformed_variable<to_name_t<Name>, typename S::transform, S::rank, flat_prior>(
        flat_prior{}, s.k);
  } else {
    return flat_bounded<Name>(args...);
  }
}

// `sx::flat<"name">` with bounds and sx::size(n).
template <fixed_string Name, class... A>
auto flat_bounded(const A&... args) {
  constexpr int num_lower = (int(detail::is_lower_arg_v<A>) + ... + 0);
  constexpr int num_upper = (int(detail::is_upper_arg_v<A>) + ... + 0);
  constexpr int num_size = (int(std::is_same_v<A, size_arg>) + ... + 0);
  static_assert(num_lower <= 1 && num_upper <= 1 && num_size <= 1 &&
                    num_lower + num_upper + num_size == int(sizeof...(A)),
                "statix: sx::flat<\"name\">(...) takes at most one each of sx::lower(a), "
                "sx::upper(b) and sx::size(n)");
  auto lower_node = detail::pick_lower(args...);
  auto upper_node = detail::pick_upper(args...);
  using L = decltype(lower_node);
  using U = decltype(upper_node);
  constexpr int rank =
      num_size == 1 ? 1 : std::max(detail::bound_rank<L>(), detail::bound_rank<U>());
  int size = std::max(detail::bound_size(lower_node), detail::bound_size(upper_node));
  (
      [&](const auto& a) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(a)>, size_arg>) size = a.n;
      }(args),
      ...);
  const std::string var(Name.view());
  detail::check_bound(lower_node, var, "lower bound", size);
  detail::check_bound(upper_node, var, "upper bound", size);
  return flat_variable<to_name_t<Name>, rank, L, U>(std::move(lower_node), std::move(upper_node),
                                                    size);
}

} // namespace statix
