#pragma once

#include "statix/base/name_list.hpp"
#include "statix/core/free_slot.hpp"

#include <array>
#include <string_view>

namespace statix {

// Compile-time checks of sx::model(...). A failing check takes the size of
// an incomplete specialisation whose name says what is wrong and whose
// arguments are the variables concerned, so that the compiler's error line
// carries both ("invalid application of 'sizeof' to incomplete type
// 'statix::a_variable_name_is_declared_twice_in_sx_model<...{"mu"}>'"); the
// comment at each declaration below says what to do about it.
template <fixed_string Name, bool Ok = true>
struct a_variable_name_is_declared_twice_in_sx_model {};
template <fixed_string Name> // rename one of the two variables
struct a_variable_name_is_declared_twice_in_sx_model<Name, false>;

template <fixed_string Missing, fixed_string UsedBy, bool Ok = true>
struct variable_is_used_by_another_but_not_passed_to_sx_model {};
template <fixed_string Missing, fixed_string UsedBy> // pass every variable the model uses
struct variable_is_used_by_another_but_not_passed_to_sx_model<Missing, UsedBy, false>;

template <fixed_string Name, fixed_string UsedBy, bool Ok = true>
struct observed_variable_read_by_another_variable {};
template <fixed_string Name, fixed_string UsedBy> // it is data: use the data itself
struct observed_variable_read_by_another_variable<Name, UsedBy, false>;

template <fixed_string Name, bool Ok = true>
struct discrete_variable_must_be_observed {};
template <fixed_string Name> // a discrete family is only .observe(data)d, never free
struct discrete_variable_must_be_observed<Name, false>;

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
      ((sizeof(variable_is_used_by_another_but_not_passed_to_sx_model<
               Refs::value, Var::name, name_in<Refs::value, Vars::name...>>) > 0) &&
       ... && true) &&
      ((sizeof(observed_variable_read_by_another_variable<
               Refs::value, Var::name, !is_observed_name<Refs::value, Vars...>()>) > 0) &&
       ... && true);
};

template <class... Vars>
constexpr auto check_graph() {
  constexpr bool unique =
      ((sizeof(a_variable_name_is_declared_twice_in_sx_model<
               Vars::name, count_name<Vars::name, Vars::name...>() == 1>) > 0) &&
       ...);
  constexpr bool refs_ok = (check_refs<Vars, typename Vars::refs, Vars...>::value && ...);
  constexpr bool discrete_ok =
      ((sizeof(discrete_variable_must_be_observed<Vars::name, !is_discrete_free<Vars>()>) > 0) &&
       ...);
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
