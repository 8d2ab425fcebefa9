#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/matrix_functions.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/functions.hpp"

#include <Eigen/Core>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

// Unnamed distributions: `sx::normal(m, s)` without a name is no variable
// but a family with its parameters, for mixture components
// (`sx::mixture<"y">(w, sx::normal(m1, s1), sx::normal(m2, s2))`) and for
// pointwise log densities (`sx::lpdf(sx::normal(mu, 1.0), y)`). Also
// `sx::log_mix` as expressions.
namespace statix {

template <class Dist, class... P>
struct unnamed_distribution {
  using distribution = Dist;
  static constexpr int num_params = sizeof...(P);
  std::tuple<P...> params;

  // Bit 0: the variate (data, never varying); bit I + 1: parameter I, when
  // it depends on a parameter of the model (an integer parameter never does).
  static constexpr unsigned varying_mask() {
    unsigned mask = 0u;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((mask |= (P::varies && Dist::param_domains[I] != dist::param_domain::nonnegative_int)
                    ? (1u << (I + 1))
                    : 0u),
       ...);
    }
    (std::index_sequence_for<P...>{});
    return mask;
  }
};

namespace detail {
// What an unnamed family's parameters may be (so that `sx::laplace(model,
// mode)`, the Laplace approximation, is never taken for a family).
template <class X>
concept unnamed_distribution_arg = expression_like<X> || is_eigen_expression_v<X>;

template <class X>
inline constexpr bool is_unnamed_distribution_v = false;
template <class D, class... P>
inline constexpr bool is_unnamed_distribution_v<unnamed_distribution<D, P...>> = true;
} // namespace detail

template <class Dist, class... A>
auto make_unnamed_distribution(const A&... args) {
  static_assert(sizeof...(A) == Dist::num_params,
                "statix: wrong number of parameters for this distribution (see the family in the "
                "instantiation below: normal takes mu and sigma, ...)");
  static_assert(Dist::num_params == 0 || Dist::param_domains[0] != dist::param_domain::vector,
                "statix: a family with a vector parameter (categorical_logit) cannot be an "
                "unnamed distribution");
  static_assert(((node_of_t<A>::rank <= 1) && ...),
                "statix: the parameters of an unnamed distribution are scalars or vectors");
  return unnamed_distribution<Dist, node_of_t<A>...>{std::tuple<node_of_t<A>...>(as_node(args)...)};
}

namespace detail {
// Argument I of Dist at element i of an operand (a scalar is broadcast).
template <class Dist, std::size_t I, class T>
STATIX_HD auto family_argument(const operand<T>& o, int i) {
  const T& v = o.value[o.size() == 1 ? 0 : i];
  if constexpr (Dist::param_domains[I] == dist::param_domain::nonnegative_int)
    return static_cast<int>(math::value_of(v));
  else
    return v;
}

// lpdf(y | params at element i), with the partials in d[1..] when Grad.
template <class Dist, unsigned Varying, bool Grad, class T>
STATIX_HD T family_lpdf(double y, const operand<T>* p, int i, T* d) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    if constexpr (Dist::is_discrete)
      return Dist::template lpdf<false, Varying, Grad, T>(static_cast<int>(y),
                                                          family_argument<Dist, I>(p[I], i)..., d);
    else
      return Dist::template lpdf<false, Varying, Grad, T>(T(y), family_argument<Dist, I>(p[I], i)...,
                                                          d);
  }
  (std::make_index_sequence<Dist::num_params>{});
}

// Adds scale * d[I + 1] to the adjoint of each varying parameter at element i.
template <class Dist, unsigned Varying, class T>
STATIX_HD void push_family_partials(const operand<T>* p, int i, const T* d, const T& scale) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((((Varying >> (I + 1)) & 1u) != 0 && p[I].adjoint != nullptr
          ? void(p[I].adjoint[p[I].size() == 1 ? 0 : i] += scale * d[I + 1])
          : void()),
     ...);
  }
  (std::make_index_sequence<Dist::num_params>{});
}

// Data for a family's variate, as doubles (integers for a discrete family).
template <class Dist, class Data>
std::vector<double> family_data(const Data& data, const std::string& where) {
  std::vector<double> y;
  if constexpr (std::is_arithmetic_v<Data>) {
    y.push_back(static_cast<double>(data));
  } else if constexpr (std::is_same_v<Data, std::vector<double>> ||
                       std::is_same_v<Data, std::vector<int>>) {
    y.assign(data.begin(), data.end());
  } else if constexpr (is_eigen_vector_v<Data> || is_eigen_expression_v<Data>) {
    const auto v = data.eval();
    static_assert(std::remove_cvref_t<decltype(v)>::ColsAtCompileTime == 1,
                  "statix: the data of a family's variate is a vector");
    for (Eigen::Index i = 0; i < v.size(); ++i)
      y.push_back(static_cast<double>(v[i]));
  } else {
    static_assert(dependent_false<Data>,
                  "statix: the data is a number, an Eigen vector or a std::vector (integers for a "
                  "discrete family)");
  }
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i]))
      throw std::invalid_argument("statix: " + where + ": the data has a non-finite value at index " +
                                  std::to_string(i));
    if (Dist::is_discrete && y[i] != std::floor(y[i]))
      throw std::invalid_argument("statix: " + where + ": " + Dist::family_name +
                                  " takes integer data, got " + format_number(y[i]) +
                                  " at index " + std::to_string(i));
  }
  if (y.empty()) throw std::invalid_argument("statix: " + where + ": the data is empty");
  return y;
}

inline void require_broadcast(const shape& s, int n, const char* op, const std::string& what) {
  if (s.cols != 1 || (s.rows != 1 && s.rows != n))
    throw std::invalid_argument(std::string("statix: ") + op + ": " + what + " has " +
                                std::to_string(s.size()) + " values (" + ops::dims(s) +
                                ") where 1 or " + std::to_string(n) + " are expected");
}
} // namespace detail

namespace ops {

// lpdf(y_i | params_i) for each element of the data, a vector.
template <class Dist, unsigned Varying>
struct lpdf_op : no_scratch {
  static constexpr int rank = 1;
  static constexpr const char* name = "lpdf";
  std::shared_ptr<const std::vector<double>> storage;
  const double* y = nullptr;
  int n = 0;

  explicit lpdf_op(std::vector<double> data)
      : storage(std::make_shared<const std::vector<double>>(std::move(data))),
        y(storage->data()), n(static_cast<int>(storage->size())) {}

  shape result_shape(const shape* s) const {
    for (int k = 0; k < Dist::num_params; ++k)
      detail::require_broadcast(s[k], n, name,
                                std::string("parameter ") + Dist::param_names[k] + " of " +
                                    Dist::family_name);
    return {n, 1};
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    y = relocate(y, n);
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    T d[Dist::num_params + 1];
    for (int i = 0; i < n; ++i)
      out[i] = detail::family_lpdf<Dist, Varying, false, T>(y[i], in, i, d);
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    if constexpr (Varying != 0u) {
      T d[Dist::num_params + 1];
      for (int i = 0; i < n; ++i) {
        detail::family_lpdf<Dist, Varying, true, T>(y[i], in, i, d);
        detail::push_family_partials<Dist, Varying, T>(in, i, d, adj[i]);
      }
    }
  }
};

// log(theta exp(a) + (1 - theta) exp(b)), elementwise with broadcasting.
template <int Rank>
struct log_mix2_op : no_scratch {
  static constexpr int rank = Rank;
  static constexpr const char* name = "log_mix";
  shape result_shape(const shape* s) const {
    const int n = std::max({s[0].size(), s[1].size(), s[2].size()});
    detail::require_broadcast(s[0], n, name, "theta");
    detail::require_broadcast(s[1], n, name, "the first log density");
    detail::require_broadcast(s[2], n, name, "the second log density");
    return {n, 1};
  }
  template <class T>
  static const T& at(const operand<T>& o, int i) {
    return o.value[o.size() == 1 ? 0 : i];
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    const int n = std::max({in[0].size(), in[1].size(), in[2].size()});
    for (int i = 0; i < n; ++i) {
      const T& theta = at(in[0], i);
      const T& a = at(in[1], i);
      const T& b = at(in[2], i);
      const T m = math::value_of(a) > math::value_of(b) ? a : b;
      if (!(math::value_of(m) > -INFINITY) || !(math::value_of(m) < INFINITY)) {
        out[i] = m;
        continue;
      }
      out[i] = m + math::log(theta * math::exp(T(a - m)) + (1.0 - theta) * math::exp(T(b - m)));
    }
  }
  template <class T>
  void backward(const operand<T>* in, const T* out, const T* adj, T*) const {
    const int n = std::max({in[0].size(), in[1].size(), in[2].size()});
    for (int i = 0; i < n; ++i) {
      if (!(math::value_of(out[i]) > -INFINITY) || !(math::value_of(out[i]) < INFINITY)) continue;
      const T& theta = at(in[0], i);
      const T ea = math::exp(T(at(in[1], i) - out[i]));
      const T eb = math::exp(T(at(in[2], i) - out[i]));
      if (in[0].adjoint) in[0].adjoint[in[0].size() == 1 ? 0 : i] += adj[i] * (ea - eb);
      if (in[1].adjoint) in[1].adjoint[in[1].size() == 1 ? 0 : i] += adj[i] * theta * ea;
      if (in[2].adjoint) in[2].adjoint[in[2].size() == 1 ? 0 : i] += adj[i] * (1.0 - theta) * eb;
    }
  }
};

// log(sum_k theta_k exp(lambda_k)) for a K-vector lambda (a scalar), or for
// each column of a K x N matrix (a vector of N).
template <int Rank>
struct log_mix_op : no_scratch {
  static constexpr int rank = Rank;
  static constexpr const char* name = "log_mix";
  shape result_shape(const shape* s) const {
    ops::require(s[0].cols == 1, name, "theta is a vector, got " + dims(s[0]));
    ops::require(s[1].rows == s[0].rows, name,
                 "theta has " + std::to_string(s[0].rows) +
                     " values but the log densities have " + std::to_string(s[1].rows) + " rows");
    return {s[1].cols, 1};
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    const int k = in[1].rows;
    for (int c = 0; c < in[1].cols; ++c) {
      const T* l = in[1].value + c * k;
      T m = math::negative_infinity<T>();
      for (int j = 0; j < k; ++j) {
        const T v = math::log(in[0].value[j]) + l[j];
        if (math::value_of(v) > math::value_of(m)) m = v;
      }
      if (!(math::value_of(m) > -INFINITY) || !(math::value_of(m) < INFINITY)) {
        out[c] = m;
        continue;
      }
      T total(0.0);
      for (int j = 0; j < k; ++j)
        total += in[0].value[j] * math::exp(T(l[j] - m));
      out[c] = m + math::log(total);
    }
  }
  template <class T>
  void backward(const operand<T>* in, const T* out, const T* adj, T*) const {
    const int k = in[1].rows;
    for (int c = 0; c < in[1].cols; ++c) {
      if (!(math::value_of(out[c]) > -INFINITY) || !(math::value_of(out[c]) < INFINITY)) continue;
      const T* l = in[1].value + c * k;
      for (int j = 0; j < k; ++j) {
        const T e = math::exp(T(l[j] - out[c]));
        if (in[0].adjoint) in[0].adjoint[j] += adj[c] * e;
        if (in[1].adjoint) in[1].adjoint[c * k + j] += adj[c] * in[0].value[j] * e;
      }
    }
  }
};

} // namespace ops

// The pointwise log densities lpdf(data_i | params_i) of an unnamed
// distribution, a vector of the data's size: `sx::lpdf(sx::normal(mu, 1.0), y)`.
template <class Dist, class... P, class Data>
auto lpdf(const unnamed_distribution<Dist, P...>& d, const Data& data) {
  constexpr unsigned varying = unnamed_distribution<Dist, P...>::varying_mask();
  std::vector<double> y =
      detail::family_data<Dist>(data, std::string("sx::lpdf(") + Dist::family_name + ", data)");
  return std::apply(
      [&](const P&... p) {
        return make_matrix_function(ops::lpdf_op<Dist, varying>(std::move(y)), p...);
      },
      d.params);
}

// log(theta exp(lp1) + (1 - theta) exp(lp2)), elementwise (each argument a
// scalar or a vector).
template <class Theta, class A, class B>
requires has_model_operand<Theta, A, B>
auto log_mix(const Theta& theta, const A& lp1, const B& lp2) {
  static_assert(node_of_t<Theta>::rank <= 1 && node_of_t<A>::rank <= 1 && node_of_t<B>::rank <= 1,
                "statix: sx::log_mix(theta, lp1, lp2) takes scalars or vectors");
  constexpr int rank = std::max({node_of_t<Theta>::rank, node_of_t<A>::rank, node_of_t<B>::rank});
  return make_matrix_function(ops::log_mix2_op<rank>{}, as_node(theta), as_node(lp1), as_node(lp2));
}

// log_sum_exp(log theta + lambda) for a simplex theta of K values and a
// K-vector lambda (a scalar), or each column of a K x N matrix (a vector).
template <class Theta, class L>
requires has_model_operand<Theta, L>
auto log_mix(const Theta& theta, const L& lambda) {
  static_assert(node_of_t<Theta>::rank == 1 && node_of_t<L>::rank >= 1,
                "statix: sx::log_mix(theta, lambda) takes a vector theta and a vector or a K x N "
                "matrix of log densities");
  constexpr int rank = node_of_t<L>::rank == 2 ? 1 : 0;
  return make_matrix_function(ops::log_mix_op<rank>{}, as_node(theta), as_node(lambda));
}

} // namespace statix
