#pragma once

#include "statix/core/fixed_string.hpp"

#include <string_view>

namespace statix {

// The names of the variables an expression reads, as a type: the edges of the
// model's dependency graph.
template <fixed_string... Names>
struct name_list {
  static constexpr int size = sizeof...(Names);
};

namespace detail {
template <class... Lists>
struct concat_names;
template <>
struct concat_names<> {
  using type = name_list<>;
};
template <fixed_string... A>
struct concat_names<name_list<A...>> {
  using type = name_list<A...>;
};
template <fixed_string... A, fixed_string... B, class... Rest>
struct concat_names<name_list<A...>, name_list<B...>, Rest...> {
  using type = typename concat_names<name_list<A..., B...>, Rest...>::type;
};
} // namespace detail

template <class... Lists>
using concat_names_t = typename detail::concat_names<Lists...>::type;

template <fixed_string Needle, fixed_string... Haystack>
inline constexpr bool name_in = ((Needle == Haystack) || ...);

template <class List>
struct name_views;
template <fixed_string... Names>
struct name_views<name_list<Names...>> {
  static constexpr std::string_view values[sizeof...(Names) + 1] = {Names.view()..., {}};
};

} // namespace statix
