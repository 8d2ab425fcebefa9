#pragma once

#include <cstddef>
#include <string_view>

namespace statix {

// A string usable as a template argument, so a variable's name is part of its
// type: `sx::normal<"mu">(0, 5)`.
template <std::size_t N>
struct fixed_string {
  char value[N]{};

  constexpr fixed_string(const char (&text)[N]) {
    for (std::size_t i = 0; i < N; ++i)
      value[i] = text[i];
  }

  static constexpr std::size_t size() { return N - 1; }
  constexpr std::string_view view() const { return std::string_view(value, N - 1); }
  constexpr const char* c_str() const { return value; }
};

template <std::size_t N, std::size_t M>
constexpr bool operator==(const fixed_string<N>& a, const fixed_string<M>& b) {
  return a.view() == b.view();
}

} // namespace statix
