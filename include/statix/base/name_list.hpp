#pragma once

#include "statix/base/fixed_string.hpp"

#include <string_view>
#include <utility>

namespace statix {

// A variable name as a type made of its characters: node and variable types
// carry names this way rather than as class-type template arguments, which
// nvcc cannot spell in the kernel names it generates for device functors.
template <char... C>
struct name_t {
  static constexpr char text[sizeof...(C) + 1] = {C..., '\0'};
  static constexpr fixed_string<sizeof...(C) + 1> value{text};
};

namespace detail {
template <fixed_string S, std::size_t... I>
name_t<S.value[I]...> make_name(std::index_sequence<I...>);
} // namespace detail

// The name type of the string `S`: to_name_t<"mu"> is name_t<'m', 'u'>.
template <fixed_string S>
using to_name_t = decltype(detail::make_name<S>(std::make_index_sequence<S.size()>{}));

// The names of the variables an expression reads, as a type: the edges of the
// model's dependency graph. Each element is a name_t.
template <class... Tags>
struct name_list {
  static constexpr int size = sizeof...(Tags);
};

namespace detail {
template <class... Lists>
struct concat_names;
template <>
struct concat_names<> {
  using type = name_list<>;
};
template <class... A>
struct concat_names<name_list<A...>> {
  using type = name_list<A...>;
};
template <class... A, class... B, class... Rest>
struct concat_names<name_list<A...>, name_list<B...>, Rest...> {
  using type = typename concat_names<name_list<A..., B...>, Rest...>::type;
};
} // namespace detail

template <class... Lists>
using concat_names_t = typename detail::concat_names<Lists...>::type;

template <fixed_string Needle, fixed_string... Haystack>
inline constexpr bool name_in = ((Needle == Haystack) || ...);

} // namespace statix
