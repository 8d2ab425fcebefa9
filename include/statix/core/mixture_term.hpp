#pragma once

#include "statix/core/distribution_term.hpp"
#include "statix/core/free_slot.hpp"
#include "statix/core/operand_buffers.hpp"
#include "statix/core/unnamed_distribution.hpp"

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>

#include <array>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

// `sx::mixture<"y">(weights, component...).observe(data)`: the likelihood
//   sum_i log sum_k w_k p_k(y_i)
// with unnamed components (`sx::normal(m, s)`, scalar or vector parameters)
// and weights a simplex of K values, or for two components the first one's
// probability. Each element's log-sum-exp is evaluated stably (shifted by its
// largest summand) and its gradient fused into the same pass: component k's
// partials are scaled by its responsibility exp(log w_k + lpdf_k - lse), the
// weights get exp(lpdf_k - lse). Per-element work lives in fixed-size arrays
// (K = the number of components): no allocation per component or element.
namespace statix {

// One component: its parameters evaluated into workspace slots.
template <class C>
struct mixture_component;
template <class Dist, class... P>
struct mixture_component<unnamed_distribution<Dist, P...>> {
  using distribution = Dist;
  static constexpr int num_params = sizeof...(P);
  static constexpr unsigned varying = unnamed_distribution<Dist, P...>::varying_mask();
  static constexpr bool varies = (P::varies || ... || false);
  using refs = concat_names_t<typename P::refs...>;

  operand_buffers<P...> buffers;

  explicit mixture_component(const unnamed_distribution<Dist, P...>& d)
      : buffers(std::apply([](const P&... p) { return operand_buffers<P...>(p...); }, d.params)) {}

  template <class T>
  struct operands {
    operand<T> p[num_params > 0 ? num_params : 1];
  };
  template <class T>
  STATIX_HD operands<T> get(const eval_context<T>& ctx, bool grad) const {
    operands<T> o;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((o.p[I] = buffers.template get<I>(ctx)), ...);
    }
    (std::make_index_sequence<num_params>{});
    if (!grad)
      for (int k = 0; k < num_params; ++k)
        o.p[k].adjoint = nullptr;
    return o;
  }

  void validate(const std::string& variable, int index, int n) const {
    shape s[num_params > 0 ? num_params : 1];
    buffers.shapes(s);
    int k = 0;
    buffers.for_each([&](const auto& p) {
      using PT = std::remove_cvref_t<decltype(p)>;
      const std::string what = std::string("parameter ") + Dist::param_names[k] + " of component " +
                               std::to_string(index) + " (" + Dist::family_name + ")";
      p.check_data(variable, what);
      if (s[k].cols != 1 || (s[k].rows != 1 && s[k].rows != n))
        throw std::invalid_argument("statix: variable \"" + variable + "\": " + what + " has " +
                                    std::to_string(s[k].size()) + " values but the data has " +
                                    std::to_string(n));
      if constexpr (detail::constant_leaf<PT>)
        for (int i = 0; i < p.size(); ++i)
          if (!detail::in_param_domain(Dist::param_domains[k], p.data_at(i)))
            throw std::domain_error("statix: variable \"" + variable + "\": " + what + " must be " +
                                    detail::param_domain_text(Dist::param_domains[k]) + ", got " +
                                    detail::format_number(p.data_at(i)));
      ++k;
    });
  }
};

template <class Name, class W, class... C>
struct mixture_observed_variable : variable_tag {
  static constexpr auto name = Name::value;
  static constexpr variable_kind kind = variable_kind::observed;
  static constexpr int rank = 1;
  static constexpr int K = sizeof...(C);
  static constexpr bool varies = W::varies || (C::varies || ...);
  using refs = concat_names_t<typename W::refs, typename C::refs...>;

  operand_buffers<W> weights;
  boost::hana::tuple<C...> components;
  std::shared_ptr<const std::vector<double>> storage_;
  const double* y_ = nullptr;
  int n_ = 0;
  bool probability_ = false; // one weight: theta for the first of two components

  template <class... U>
  mixture_observed_variable(W w, std::vector<double> data, const U&... unnamed)
      : weights(std::move(w)), components(C(unnamed)...),
        storage_(std::make_shared<const std::vector<double>>(std::move(data))),
        y_(storage_->data()), n_(static_cast<int>(storage_->size())) {
    const std::string var(Name::value.view());
    const auto& wn = weights.template arg<0>();
    const int ws = wn.size();
    probability_ = K == 2 && ws == 1 && W::rank == 0;
    if (!probability_ && (W::rank != 1 || ws != K))
      throw std::invalid_argument(
          "statix: variable \"" + var + "\": sx::mixture has " + std::to_string(K) +
          " components but the weights have " + std::to_string(ws) + " values" +
          (K == 2 ? " (give a simplex of 2, or the first component's probability)"
                  : " (give a simplex of " + std::to_string(K) + ")"));
    wn.check_data(var, "mixture weights");
    if constexpr (detail::constant_leaf<W>) {
      double total = 0;
      for (int k = 0; k < ws; ++k) {
        const double v = wn.data_at(k);
        if (!(v >= 0.0) || !(v <= 1.0))
          throw std::domain_error("statix: variable \"" + var + "\": the mixture weights are " +
                                  (probability_ ? "not a probability" : "not a simplex") + ": " +
                                  "weight " + std::to_string(k) + " is " +
                                  detail::format_number(v));
        total += v;
      }
      if (!probability_ && std::abs(total - 1.0) > 1e-8)
        throw std::domain_error("statix: variable \"" + var +
                                "\": the mixture weights are not a simplex: they sum to " +
                                detail::format_number(total));
    }
    int index = 0;
    boost::hana::for_each(components, [&](const auto& c) { c.validate(var, index++, n_); });
  }

  STATIX_HD int size() const { return n_; }
  void allocate_slot(slot_layout&) {}
  void bind(slot_layout& layout) {
    weights.bind(layout);
    boost::hana::for_each(components, [&](auto& c) { c.buffers.bind(layout); });
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    weights.rebind_data(relocate);
    boost::hana::for_each(components, [&](auto& c) { c.buffers.rebind_data(relocate); });
    y_ = relocate(y_, n_);
  }

  template <bool Propto, bool Grad, class T>
  STATIX_HD T evaluate_term(eval_context<T>& ctx) const {
    if constexpr (Propto && !varies) {
      return T(0.0);
    } else {
      return evaluate < Grad && varies > (ctx);
    }
  }

private:
  template <std::size_t J>
  using component_t = std::remove_cvref_t<decltype(boost::hana::at_c<J>(
      std::declval<const boost::hana::tuple<C...>&>()))>;

  template <bool Grad, class T>
  STATIX_HD T evaluate(eval_context<T>& ctx) const {
    using std::size_t;
    weights.forward(ctx);
    operand<T> w = weights.template get<0>(ctx);
    if (!Grad) w.adjoint = nullptr;
    T log_w[K];
    if (probability_) {
      log_w[0] = math::log(w.value[0]);
      log_w[1] = math::log(T(1.0 - w.value[0]));
    } else {
      for (int k = 0; k < K; ++k)
        log_w[k] = math::log(w.value[k]);
    }
    boost::hana::for_each(components, [&](const auto& c) { c.buffers.forward(ctx); });
    const auto ops = [&]<size_t... J>(std::index_sequence<J...>) {
      return std::tuple{boost::hana::at_c<J>(components).get(ctx, Grad)...};
    }
    (std::make_index_sequence<K>{});

    T total(0.0);
    for (int i = 0; i < n_; ++i) {
      T lc[K];
      T lp[K];
      std::tuple<std::array<T, C::num_params + 1>...> partials_storage;
      [&]<size_t... J>(std::index_sequence<J...>) {
        ((lc[J] = detail::family_lpdf<typename component_t<J>::distribution,
                                      component_t<J>::varying, Grad, T>(
              y_[i], std::get<J>(ops).p, i, std::get<J>(partials_storage).data()),
          lp[J] = log_w[J] + lc[J]),
         ...);
      }
      (std::make_index_sequence<K>{});
      T m = lp[0];
      for (int k = 1; k < K; ++k)
        if (math::value_of(lp[k]) > math::value_of(m)) m = lp[k];
      if (!(math::value_of(m) > -INFINITY) || !(math::value_of(m) < INFINITY)) {
        total += m; // -inf (no component can emit y_i) or NaN: a rejected point
        continue;
      }
      T sum(0.0);
      for (int k = 0; k < K; ++k)
        sum += math::exp(T(lp[k] - m));
      const T lse = m + math::log(sum);
      total += lse;
      if constexpr (Grad) {
        [&]<size_t... J>(std::index_sequence<J...>) {
          (push_component<J>(std::get<J>(ops).p, i, std::get<J>(partials_storage).data(),
                             math::exp(T(lp[J] - lse))),
           ...);
        }
        (std::make_index_sequence<K>{});
        if (w.adjoint != nullptr) {
          if (probability_) {
            w.adjoint[0] += math::exp(T(lc[0] - lse)) - math::exp(T(lc[1] - lse));
          } else {
            for (int k = 0; k < K; ++k)
              w.adjoint[k] += math::exp(T(lc[k] - lse));
          }
        }
      }
    }
    if constexpr (Grad) {
      [&]<size_t... J>(std::index_sequence<J...>) {
        (boost::hana::at_c<K - 1 - J>(components).buffers.backward(ctx), ...);
      }
      (std::make_index_sequence<K>{});
      weights.backward(ctx);
    }
    return total;
  }

  template <std::size_t J, class T>
  STATIX_HD static void push_component(const operand<T>* p, int i, const T* d, const T& r) {
    using CJ = component_t<J>;
    if constexpr (CJ::varying != 0u)
      detail::push_family_partials<typename CJ::distribution, CJ::varying, T>(p, i, d, r);
  }
};

// A mixture's declaration: `.observe(data)` makes the likelihood term.
template <class Name, class W, class... U>
struct mixture_declaration {
  W weights;
  std::tuple<U...> components;

  template <class Data>
  auto observe(const Data& data) const {
    using first = typename std::tuple_element_t<0, std::tuple<U...>>::distribution;
    std::vector<double> y =
        detail::family_data<first>(data, "variable \"" + std::string(Name::value.view()) + "\"");
    return std::apply(
        [&](const U&... u) {
          return mixture_observed_variable<Name, W, mixture_component<U>...>(weights, std::move(y),
                                                                             u...);
        },
        components);
  }
};

// `sx::mixture<"y">(weights, sx::normal(m1, s1), sx::normal(m2, s2), ...)`.
template <fixed_string Name, class W, class... U>
auto mixture(const W& weights, const U&... components) {
  static_assert(sizeof...(U) >= 2, "statix: sx::mixture<\"name\">(weights, components...) takes "
                                   "two components or more");
  static_assert((detail::is_unnamed_distribution_v<U> && ...),
                "statix: the components of sx::mixture are unnamed distributions, e.g. "
                "sx::normal(mu, sigma) (no name)");
  static_assert(((U::distribution::is_discrete ==
                  std::tuple_element_t<0, std::tuple<U...>>::distribution::is_discrete) &&
                 ...),
                "statix: the components of sx::mixture are all continuous or all discrete");
  static_assert(expression_like<W> || is_eigen_expression_v<W>,
                "statix: the weights of sx::mixture are a simplex (an expression, a variable or "
                "data) or one probability");
  static_assert(node_of_t<W>::rank <= 1, "statix: the weights of sx::mixture are a vector (a "
                                         "simplex) or one probability");
  return mixture_declaration<to_name_t<Name>, node_of_t<W>, U...>{as_node(weights),
                                                                  std::tuple<U...>(components...)};
}

} // namespace statix
