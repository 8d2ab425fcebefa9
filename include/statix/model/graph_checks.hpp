#pragma once

#include "statix/base/name_list.hpp"
#include "statix/core/free_slot.hpp"

#include <array>
#include <string_view>

namespace statix {

// Compile-time checks of sx::model(...). Each failing check instantiates a
// template whose arguments carry the offending variable's name, so the
// compiler's "required from" line names it next to the sentence.
template <fixed_string Name, bool Ok>
struct variable_declared_twice {
  static_assert(Ok, "statix: a variable name is declared twice in sx::model(...); the name is the "
                    "template argument in the 'In instantiation of' line above");
};

template <fixed_string Missing, fixed_string UsedBy, bool Ok>
struct variable_not_passed_to_model {
  static_assert(Ok, "statix: a variable is used by another variable but was not passed to "
                    "sx::model(...); pass every variable the model uses (the missing name, then "
                    "the variable that uses it, are the template arguments in the 'In "
                    "instantiation of' line above)");
};

template <fixed_string Name, fixed_string UsedBy, bool Ok>
struct observed_variable_used_in_expression {
  static_assert(Ok,
                "statix: an observed variable cannot be used in an expression: it is data; use "
                "the data itself (the names are the template arguments in the 'In instantiation "
                "of' line above)");
};

template <fixed_string Name, bool Ok>
struct discrete_variable_not_observed {
  static_assert(Ok, "statix: a discrete distribution can only be observed (.observe(data)); it "
                    "cannot be a free variable of the model (the name is the template argument in "
                    "the 'In instantiation of' line above)");
};

namespace detail {

template <class Var>
constexpr bool is_discrete_free() {
  if constexpr (Var::kind == variable_kind::free && requires { typename Var::distribution; })
    return Var::distribution::is_discrete;
  else
    return false;
}

template <fixed_string Name, fixed_string... All>
constexpr int count_name() {
  return (int(Name == All) + ... + 0);
}

template <fixed_string Name, class... Vars>
constexpr bool is_observed_name() {
  return ((Vars::name == Name && Vars::kind == variable_kind::observed) || ...);
}

template <class Var, class Refs, class... Vars>
struct check_refs;
template <class Var, class... Refs, class... Vars>
struct check_refs<Var, name_list<Refs...>, Vars...> {
  static constexpr bool value =
      ((sizeof(variable_not_passed_to_model<Refs::value, Var::name,
                                            name_in<Refs::value, Vars::name...>>) > 0) &&
       ... && true) &&
      ((sizeof(observed_variable_used_in_expression<Refs::value, Var::name,
                                                    !is_observed_name<Refs::value, Vars...>()>) >
        0) &&
       ... && true);
};

template <class... Vars>
constexpr bool check_graph() {
  constexpr bool unique =
      ((sizeof(variable_declared_twice<Vars::name, count_name<Vars::name, Vars::name...>() == 1>) >
        0) &&
       ...);
  constexpr bool refs_ok = (check_refs<Vars, typename Vars::refs, Vars...>::value && ...);
  constexpr bool discrete_ok =
      ((sizeof(discrete_variable_not_observed<Vars::name, !is_discrete_free<Vars>()>) > 0) && ...);
  return unique && refs_ok && discrete_ok;
}

template <class Refs>
struct ref_views;
template <class... Refs>
struct ref_views<name_list<Refs...>> {
  static constexpr std::array<std::string_view, sizeof...(Refs)> values = {Refs::value.view()...};
};

// A topological order of the variables (Kahn), keeping the order they were
// passed in wherever the dependencies allow it.
template <class... Vars>
constexpr std::array<int, sizeof...(Vars)> evaluation_order() {
  constexpr int n = sizeof...(Vars);
  std::array<std::string_view, n> names = {Vars::name.view()...};
  std::array<std::array<bool, n>, n> depends{};
  int i = 0;
  (
      [&] {
        for (std::string_view r : ref_views<typename Vars::refs>::values)
          for (int j = 0; j < n; ++j)
            if (names[j] == r) depends[i][j] = true;
        ++i;
      }(),
      ...);
  std::array<int, n> order{};
  std::array<bool, n> placed{};
  for (int step = 0; step < n; ++step) {
    for (int c = 0; c < n; ++c) {
      if (placed[c]) continue;
      bool ready = true;
      for (int j = 0; j < n; ++j)
        if (depends[c][j] && !placed[j] && j != c) ready = false;
      if (ready) {
        order[step] = c;
        placed[c] = true;
        break;
      }
    }
  }
  return order;
}

} // namespace detail
} // namespace statix
