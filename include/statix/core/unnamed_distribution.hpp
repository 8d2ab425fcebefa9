#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/distribution_term.hpp"
#include "statix/core/matrix_functions.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/functions.hpp"

#include <Eigen/Core>

#include <bit>
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
      return Dist::template lpdf<false, Varying, Grad, T>(T(y),
                                                          family_argument<Dist, I>(p[I], i)..., d);
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
      throw std::invalid_argument(
          "statix: " + where + ": the data has a non-finite value at index " + std::to_string(i));
    if (Dist::is_discrete && y[i] != std::floor(y[i]))
      throw std::invalid_argument("statix: " + where + ": " + Dist::family_name +
                                  " takes integer data, got " + format_number(y[i]) + " at index " +
                                  std::to_string(i));
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

// lpdf(y_i | params_i) for each element of the data, a vector. Bit I + 1 of
// Scalar: parameter I is a scalar expression (one value for every element).
//
// The forward pass keeps the partials of the varying parameters, element by
// element, in the node's scratch (n values per varying parameter, in the
// workspace: no allocation), when a gradient is asked for; the backward pass
// only scales them by the result's adjoint, and never evaluates the density
// again.
//
// A family on the real line with a vector-term kernel of its own
// (Dist::term_kernel: normal) runs it as a one-element term per element: the
// kernel is prepared once per evaluation from the scalar parameters (for a
// scalar sigma, 1 / sigma and log sigma are taken once, not per element),
// copied for each element, and its finish(c, 1) is that element's log
// density and the partials of the scalar parameters. The kernel does not
// check its arguments, so they are checked here against the family's
// parameter domains, which is what Dist::lpdf checks on data that is finite
// (checked when the node is made) and has no bounded support: an element
// with an argument outside its domain is -inf with zero partials, as
// Dist::lpdf's rejection.
template <class Dist, unsigned Varying, unsigned Scalar = 0u>
struct lpdf_op {
  static constexpr int rank = 1;
  static constexpr const char* name = "lpdf";
  static constexpr int num_varying = std::popcount(Varying);
  static constexpr bool kernel = detail::has_term_kernel<Dist> && !Dist::is_discrete &&
                                 Dist::support == dist::support_kind::real;
  std::shared_ptr<const std::vector<double>> storage;
  const double* y = nullptr;
  int n = 0;

  explicit lpdf_op(std::vector<double> data)
      : storage(std::make_shared<const std::vector<double>>(std::move(data))), y(storage->data()),
        n(static_cast<int>(storage->size())) {}

  shape result_shape(const shape* s) const {
    for (int k = 0; k < Dist::num_params; ++k)
      detail::require_broadcast(s[k], n, name,
                                std::string("parameter ") + Dist::param_names[k] + " of " +
                                    Dist::family_name);
    return {n, 1};
  }
  int scratch_size(const shape*) const { return num_varying * n; }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    y = relocate(y, n);
  }

  template <class T>
  void forward(const operand<T>* in, T* out, T* partials) const {
    bool grad = false;
    if constexpr (Varying != 0u)
      for (int k = 0; k < Dist::num_params; ++k)
        if (((Varying >> (k + 1)) & 1u) != 0 && in[k].adjoint != nullptr) grad = true;
    if (grad)
      evaluate<true>(in, out, partials);
    else
      evaluate<false>(in, out, partials);
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T* partials) const {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (push_partials<I>(in[I], adj, partials), ...);
    }
    (std::make_index_sequence<Dist::num_params>{});
  }

private:
  template <std::size_t I>
  static constexpr bool varying = ((Varying >> (I + 1)) & 1u) != 0;
  template <std::size_t I>
  static constexpr bool hoisted = ((Scalar >> (I + 1)) & 1u) != 0 &&
                                  Dist::param_domains[I] != dist::param_domain::nonnegative_int;
  // Where the partials of parameter I start in the scratch: after those of
  // the varying parameters before it.
  template <std::size_t I>
  static constexpr int partial_slot = std::popcount(Varying&((1u << (I + 1)) - 2u));

  template <std::size_t I, class T>
  void push_partials(const operand<T>& p, const T* adj, const T* partials) const {
    if constexpr (varying<I>) {
      if (p.adjoint == nullptr) return;
      const T* d = partials + partial_slot<I> * n;
      if (p.size() == 1) {
        T sum(-0.0); // -0.0 + x is x
        for (int i = 0; i < n; ++i)
          sum += adj[i] * d[i];
        p.adjoint[0] += sum;
      } else {
        for (int i = 0; i < n; ++i)
          p.adjoint[i] += adj[i] * d[i];
      }
    }
  }

  // Partial of parameter I at element i into the scratch.
  template <std::size_t I, class T>
  void store_partial(T* partials, int i, const T& d) const {
    if constexpr (varying<I>) partials[partial_slot<I> * n + i] = d;
  }
  // From the kernel: a scalar parameter's partial from finish(), another's
  // from element().
  template <std::size_t I, class T>
  void store_kernel_partial(T* partials, int i, const T* d, const T* scalar_partials) const {
    if constexpr (varying<I>)
      partials[partial_slot<I> * n + i] = hoisted<I> ? scalar_partials[I + 1] : d[I + 1];
  }
  template <class T>
  void reject(T* out, T* partials, int i) const {
    out[i] = math::negative_infinity<T>();
    for (int k = 0; k < num_varying; ++k)
      partials[k * n + i] = T(0.0);
  }

  template <bool Grad, class T>
  void evaluate(const operand<T>* in, T* out, T* partials) const {
    if constexpr (kernel) {
      evaluate_kernel<Grad>(in, out, partials);
    } else {
      T d[Dist::num_params + 1];
      for (int i = 0; i < n; ++i) {
        out[i] = detail::family_lpdf<Dist, Varying, Grad, T>(y[i], in, i, d);
        if constexpr (Grad) [&]<std::size_t... I>(std::index_sequence<I...>) {
            (store_partial<I>(partials, i, d[I + 1]), ...);
          }
        (std::make_index_sequence<Dist::num_params>{});
      }
    }
  }

  template <bool Grad, class T>
  void evaluate_kernel(const operand<T>* in, T* out, T* partials) const {
    using kernel_t = typename Dist::template term_kernel<false, Varying, Scalar, Grad, T>;
    constexpr unsigned reciprocal_args = kernel_t::reciprocal_args;
    constexpr int np = Dist::num_params;
    // The scalar parameters, their domains checked and their reciprocals
    // taken once.
    T scalars[np + 1];
    T scalar_reciprocals[np + 1];
    scalars[0] = scalar_reciprocals[0] = T(0.0);
    bool scalars_valid = true;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (([&] {
         scalars[I + 1] = scalar_reciprocals[I + 1] = T(0.0);
         if constexpr (hoisted<I>) {
           scalars[I + 1] = in[I].value[0];
           if (!detail::in_param_domain(Dist::param_domains[I], math::value_of(scalars[I + 1])))
             scalars_valid = false;
           else if constexpr (((reciprocal_args >> (I + 1)) & 1u) != 0)
             scalar_reciprocals[I + 1] = math::inv(scalars[I + 1]);
         }
       }()),
       ...);
    }
    (std::make_index_sequence<np>{});
    if (!scalars_valid) {
      for (int i = 0; i < n; ++i)
        reject(out, partials, i);
      return;
    }
    const kernel_t prepared(scalars, scalar_reciprocals);
    for (int i = 0; i < n; ++i) {
      const bool valid = [&]<std::size_t... I>(std::index_sequence<I...>) {
        return ((hoisted<I> ||
                 detail::in_param_domain(Dist::param_domains[I],
                                         math::value_of(in[I].value[in[I].size() == 1 ? 0 : i]))) &&
                ...);
      }
      (std::make_index_sequence<np>{});
      if (!valid) {
        if constexpr (Grad)
          reject(out, partials, i);
        else
          out[i] = math::negative_infinity<T>();
        continue;
      }
      kernel_t element_kernel = prepared; // a one-element term
      T d[np + 1];
      T reciprocals[np + 1];
      T scalar_partials[np + 1];
      const T c = [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((void)((!hoisted<I> && ((reciprocal_args >> (I + 1)) & 1u) != 0)
                    ? void(reciprocals[I + 1] =
                               math::inv(T(detail::family_argument<Dist, I>(in[I], i))))
                    : void()),
         ...);
        return element_kernel.element(d, reciprocals, T(y[i]), [&]() -> T {
          if constexpr (hoisted<I>)
            return scalars[I + 1];
          else
            return T(detail::family_argument<Dist, I>(in[I], i));
        }()...);
      }
      (std::make_index_sequence<np>{});
      out[i] = element_kernel.finish(c, 1, scalar_partials);
      if constexpr (Grad) [&]<std::size_t... I>(std::index_sequence<I...>) {
          (store_kernel_partial<I>(partials, i, d, scalar_partials), ...);
        }
      (std::make_index_sequence<np>{});
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
                 "theta has " + std::to_string(s[0].rows) + " values but the log densities have " +
                     std::to_string(s[1].rows) + " rows");
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
  constexpr unsigned scalar = [] {
    unsigned mask = 0u, bit = 2u;
    ((mask |= P::rank == 0 ? bit : 0u, bit <<= 1), ...);
    return mask;
  }();
  std::vector<double> y =
      detail::family_data<Dist>(data, std::string("sx::lpdf(") + Dist::family_name + ", data)");
  return std::apply(
      [&](const P&... p) {
        return make_matrix_function(ops::lpdf_op<Dist, varying, scalar>(std::move(y)), p...);
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
