#pragma once

#include "statix/core/variables.hpp"
#include "statix/distributions/distributions.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

// A term element by element, outside a density evaluation: the log density
// of each observation (for LOO) and draws from an observed or a free
// variable's family at the current values of its parameters (predictive
// draws). The context's slots hold the constrained values of a point (the
// model fills them); the parameters' nodes are evaluated there.
namespace statix {

namespace detail {
template <class V>
inline constexpr bool is_plain_observed_v = false;
template <class Name, class Dist, class Y, class... P>
inline constexpr bool is_plain_observed_v<observed_variable<Name, Dist, Y, P...>> =
    !distribution_term<Dist, P...>::vector_parameter;

template <class V>
inline constexpr bool is_plain_random_v = false;
template <class Name, class Dist, int Rank, class Lo, class Up, class... P>
inline constexpr bool is_plain_random_v<random_variable<Name, Dist, Rank, Lo, Up, P...>> =
    !distribution_term<Dist, P...>::vector_parameter;

// Calls f(i, params...) for each of n elements with the parameters' values
// at element i (a scalar broadcast; binomial's n as int).
template <class Dist, class... P, class F>
void for_each_element_params(const distribution_term<Dist, P...>& term, eval_context<double>& ctx,
                             int n, F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (term.template param<I>().forward(ctx), ...);
    const summing_context<double, typename distribution_term<Dist, P...>::refs> element_ctx(
        ctx, term.template param<I>()...);
    const auto at = [&]<std::size_t K>(std::integral_constant<std::size_t, K>, int i) {
      const auto& p = term.template param<K>();
      const double v = math::value_of(p.value(element_ctx, p.size() == 1 ? 0 : i));
      if constexpr (Dist::param_domains[K] == dist::param_domain::nonnegative_int)
        return static_cast<int>(v);
      else
        return v;
    };
    for (int i = 0; i < n; ++i)
      f(i, at(std::integral_constant<std::size_t, I>{}, i)...);
  }
  (std::make_index_sequence<sizeof...(P)>{});
}
} // namespace detail

// out[i] = log p(y_i | params at i), every constant kept.
template <class V>
void pointwise_log_density(const V& v, eval_context<double>& ctx, double* out) {
  if constexpr (!detail::is_plain_observed_v<V>) {
    throw std::invalid_argument("statix: variable \"" + std::string(V::name.view()) +
                                "\": pointwise log densities are available for observed "
                                "variables of elementwise families (not mixtures, HMMs, "
                                "truncated or multivariate terms)");
  } else {
    using Dist = typename V::distribution;
    detail::for_each_element_params(v.term, ctx, v.size(), [&](int i, auto... p) {
      const double y = v.y.data_at(i);
      if constexpr (Dist::is_discrete)
        out[i] = Dist::template lpdf<false, 0u, false, double>(static_cast<int>(y), p..., nullptr);
      else
        out[i] = Dist::template lpdf<false, 0u, false, double>(y, p..., nullptr);
    });
  }
}

// out[i] ~ the family at the parameters of element i: an observed variable's
// replicated data, or a free variable's prior draw.
template <class V, class Rng>
void draw_elements(const V& v, eval_context<double>& ctx, Rng& rng, double* out) {
  if constexpr (!detail::is_plain_observed_v<V> && !detail::is_plain_random_v<V>) {
    throw std::invalid_argument(
        "statix: variable \"" + std::string(V::name.view()) +
        "\": predictive draws are available for variables of elementwise families (not flat, "
        "structured, mixture, HMM, truncated or multivariate ones)");
  } else {
    using Dist = typename V::distribution;
    detail::for_each_element_params(v.term, ctx, v.size(), [&](int i, auto... p) {
      out[i] = static_cast<double>(Dist::rng(rng, p...));
    });
  }
}

} // namespace statix
