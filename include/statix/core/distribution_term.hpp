#pragma once

#include "statix/core/leaf_nodes.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/functions.hpp"

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace statix {

namespace detail {
// Whether the family has its own one-pass kernel for vector terms:
//   template <bool Propto, unsigned Varying, unsigned Scalar, bool Grad, class T>
//   struct term_kernel {
//     explicit term_kernel(const T* scalars); // scalars[k]: argument k where bit k
//                                            // of Scalar is set (0: the variate)
//     bool scalars_valid() const;             // those arguments in their domains
//     T element(y, args..., T* d);            // summand; d[k] for each varying
//                                            // argument k that is not scalar;
//                                            // sums the scalar ones' inside
//     T finish(T sum, int n, T* scalar_partials) const; // the term's value;
//                                            // the partial of every varying
//                                            // scalar argument
//   };
// Arguments validated at construction are not checked per element; a
// varying argument outside its domain must make the sum non-finite.
template <class Dist>
concept has_term_kernel = requires {
  typename Dist::template term_kernel<false, 1u, 0u, true, double>;
};

template <class P>
concept constant_leaf = !P::varies && requires(const P& p) {
  p.data_at(0);
};

inline bool in_param_domain(dist::param_domain domain, double v) {
  switch (domain) {
  case dist::param_domain::real:
  case dist::param_domain::vector:
    return std::isfinite(v);
  case dist::param_domain::positive:
    return v > 0 && v < INFINITY;
  case dist::param_domain::nonnegative:
    return v >= 0 && v < INFINITY;
  case dist::param_domain::unit_interval_closed:
    return v >= 0 && v <= 1;
  case dist::param_domain::nonnegative_int:
    return v >= 0 && v == std::floor(v);
  }
  return false;
}

inline const char* param_domain_text(dist::param_domain domain) {
  switch (domain) {
  case dist::param_domain::real:
  case dist::param_domain::vector:
    return "finite";
  case dist::param_domain::positive:
    return "positive";
  case dist::param_domain::nonnegative:
    return "non-negative";
  case dist::param_domain::unit_interval_closed:
    return "in [0, 1]";
  case dist::param_domain::nonnegative_int:
    return "a non-negative integer";
  }
  return "";
}
} // namespace detail

// One sum of log densities, sum_i lpdf(y_i | params_i): a prior over a free
// variable or a likelihood over data. One fused call per element returns the
// log density and its partials, pushed straight to what each argument reads
// (Stan's operands-and-partials, without a tape).
template <class Dist, class... P>
struct distribution_term {
  static constexpr int num_params = sizeof...(P);
  static constexpr bool params_vary = (P::varies || ...);
  static constexpr bool vector_parameter =
      Dist::param_domains[0] == dist::param_domain::vector; // categorical_logit
  using refs = concat_names_t<typename P::refs...>;
  using index_sequence = std::index_sequence_for<P...>;

  boost::hana::tuple<P...> params;
  int scratch_offset_ = -1;

  explicit distribution_term(P... p) : params(std::move(p)...) {}

  template <std::size_t I>
  STATIX_HD const auto& param() const {
    return boost::hana::at_c<I>(params);
  }
  template <std::size_t I>
  STATIX_HD auto& param() {
    return boost::hana::at_c<I>(params);
  }

  // The rank a variate gets from its parameters when no size is given.
  static constexpr int param_rank() {
    if constexpr (vector_parameter)
      return 0;
    else
      return ((P::rank > 0) || ...) ? 1 : 0;
  }
  int param_size() const {
    int n = -1;
    if constexpr (!vector_parameter)
      for_each_param([&](const auto& p, auto) {
        if (p.rank == 1 && n < 0) n = p.size();
      });
    return n < 0 ? 1 : n;
  }

  template <class F>
  void for_each_param(F&& f) const {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f(param<I>(), std::integral_constant<std::size_t, I>{}), ...);
    }
    (index_sequence{});
  }

  // Data checks at construction: finite data, sizes that match the variate,
  // constant parameters inside their domain.
  void validate(const std::string& variable, int n) const {
    for_each_param([&](const auto& p, auto index) {
      constexpr std::size_t I = decltype(index)::value;
      using PT = std::remove_cvref_t<decltype(p)>;
      const std::string what =
          std::string("parameter ") + Dist::param_names[I] + " of " + Dist::family_name;
      p.check_data(variable, what);
      if constexpr (Dist::param_domains[I] != dist::param_domain::vector) {
        if (PT::rank == 1 && p.size() != n)
          throw std::invalid_argument("statix: variable \"" + variable + "\": " + what +
                                      " has size " + std::to_string(p.size()) +
                                      " but the variable has size " + std::to_string(n));
      }
      if constexpr (detail::constant_leaf<PT>) {
        for (int i = 0; i < p.size(); ++i) {
          const double v = p.data_at(i);
          if (!detail::in_param_domain(Dist::param_domains[I], v))
            throw std::domain_error("statix: variable \"" + variable + "\": " + what + " must be " +
                                    detail::param_domain_text(Dist::param_domains[I]) + ", got " +
                                    detail::format_number(v) +
                                    (PT::rank == 1 ? " at index " + std::to_string(i) : ""));
        }
      }
    });
  }

  void bind(slot_layout& layout) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (param<I>().bind(layout), ...);
    }
    (index_sequence{});
    if constexpr (vector_parameter) scratch_offset_ = layout.allocate(3 * param<0>().size());
  }

  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (param<I>().rebind_data(relocate), ...);
    }
    (index_sequence{});
  }

  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (param<I>().forward(ctx), ...);
    }
    (index_sequence{});
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      // reverse order of forward
      int dummy[] = {0, (param<sizeof...(I) - 1 - I>().backward(ctx), 0)...};
      (void)dummy;
    }
    (index_sequence{});
  }

  template <class Y>
  static constexpr unsigned varying_mask() {
    unsigned mask = Y::varies ? 1u : 0u;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((mask |= (P::varies ? (1u << (I + 1)) : 0u)), ...);
    }
    (index_sequence{});
    return mask;
  }

  template <std::size_t I, class Ctx, class T = typename Ctx::scalar_type>
  STATIX_HD auto argument(const Ctx& ctx, int i) const {
    if constexpr (Dist::param_domains[I] == dist::param_domain::nonnegative_int)
      return static_cast<int>(param<I>().value(ctx, i));
    else
      return T(param<I>().value(ctx, i));
  }

  template <std::size_t I>
  using param_type =
      std::remove_cvref_t<decltype(boost::hana::at_c<I>(std::declval<boost::hana::tuple<P...>>()))>;

  template <std::size_t I>
  static constexpr bool hoisted =
      param_type<I>::rank == 0 && Dist::param_domains[I] != dist::param_domain::nonnegative_int;

  template <std::size_t I, class T>
  STATIX_HD T scalar_argument(const eval_context<T>& ctx) const {
    if constexpr (hoisted<I>)
      return T(param<I>().value(ctx, 0));
    else
      return T(0.0);
  }
  template <std::size_t I, class Ctx, class T>
  STATIX_HD auto element_argument(const Ctx& ctx, int i, const T* scalar_values) const {
    if constexpr (hoisted<I>)
      return scalar_values[I];
    else
      return argument<I>(ctx, i);
  }
  template <std::size_t I, class Ctx, class T>
  STATIX_HD void push_partial(Ctx& ctx, int i, const T& partial, T& scalar_sum) const {
    if constexpr (param_type<I>::varies) {
      if constexpr (param_type<I>::rank == 0)
        scalar_sum += partial;
      else
        param<I>().backprop(ctx, i, partial);
    }
  }
  template <std::size_t I, class T>
  STATIX_HD void push_scalar_partial(eval_context<T>& ctx, const T& scalar_sum) const {
    if constexpr (param_type<I>::varies && param_type<I>::rank == 0)
      param<I>().backprop(ctx, 0, scalar_sum);
  }

  // sum_i lpdf(y_i | params_i) over the n elements; with Grad, the partials
  // are added to the adjoints of everything the arguments read.
  template <bool Propto, bool Grad, class T, class Y>
  STATIX_HD T evaluate(eval_context<T>& ctx, const Y& y, int n) const {
    constexpr unsigned varying = varying_mask<Y>();
    if constexpr (Propto && varying == 0) {
      return T(0.0);
    } else {
      constexpr bool grad = Grad && varying != 0;
      forward(ctx);
      T total(0.0);
      if constexpr (vector_parameter) {
        total = evaluate_vector_parameter<Propto, grad, varying>(ctx, y, n);
      } else if constexpr (detail::has_term_kernel<Dist>) {
        total = evaluate_kernel<Propto, grad, varying>(ctx, y, n);
      } else {
        // A scalar argument is the same for every element, and so is the way
        // its adjoint flows back: evaluate it once, sum its partials over the
        // elements and push the sum once (no loop-carried chain through the
        // workspace, no re-evaluation of scalar expressions per element).
        T scalar_values[num_params + 1];
        T scalar_partials[num_params + 1];
        [&]<std::size_t... I>(std::index_sequence<I...>) {
          ((scalar_values[I] = scalar_argument<I>(ctx)), ...);
        }
        (index_sequence{});
        for (int k = 0; k <= num_params; ++k)
          scalar_partials[k] = T(0.0);
        auto element_ctx = element_context(ctx, y);
        for (int i = 0; i < n; ++i) {
          T partials[num_params + 1];
          total += [&]<std::size_t... I>(std::index_sequence<I...>) {
            if constexpr (Dist::is_discrete)
              return Dist::template lpdf<Propto, varying, grad, T>(
                  static_cast<int>(y.value(element_ctx, i)),
                  element_argument<I>(element_ctx, i, scalar_values)..., partials);
            else
              return Dist::template lpdf<Propto, varying, grad, T>(
                  T(y.value(element_ctx, i)), element_argument<I>(element_ctx, i, scalar_values)...,
                  partials);
          }
          (index_sequence{});
          if constexpr (grad) {
            if constexpr (Y::varies) {
              if constexpr (Y::rank == 0)
                scalar_partials[0] += partials[0];
              else
                y.backprop(element_ctx, i, partials[0]);
            }
            [&]<std::size_t... I>(std::index_sequence<I...>) {
              (push_partial<I>(element_ctx, i, partials[I + 1], scalar_partials[I + 1]), ...);
            }
            (index_sequence{});
          }
        }
        if constexpr (grad) {
          element_ctx.flush();
          if constexpr (Y::varies && Y::rank == 0) y.backprop(ctx, 0, scalar_partials[0]);
          [&]<std::size_t... I>(std::index_sequence<I...>) {
            (push_scalar_partial<I>(ctx, scalar_partials[I + 1]), ...);
          }
          (index_sequence{});
        }
      }
      if constexpr (grad) backward(ctx);
      return total;
    }
  }

private:
  template <class Y>
  static constexpr unsigned scalar_mask() {
    unsigned mask = Y::rank == 0 ? 1u : 0u;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((mask |= (P::rank == 0 ? (1u << (I + 1)) : 0u)), ...);
    }
    (index_sequence{});
    return mask;
  }

  // The family's own one-pass kernel (Dist::term_kernel): scalar arguments
  // read once, per-element partials pushed as they are made, the scalar
  // arguments' partials summed inside the kernel and pushed once. A
  // non-finite sum means an argument outside its domain: -inf (the model
  // clears the gradient of a rejected point).
  template <bool Propto, bool Grad, unsigned Varying, class T, class Y>
  STATIX_HD T evaluate_kernel(eval_context<T>& ctx, const Y& y, int n) const {
    constexpr unsigned scalars = scalar_mask<Y>();
    using kernel_t = typename Dist::template term_kernel<Propto, Varying, scalars, Grad, T>;
    T scalar_values[num_params + 1];
    scalar_values[0] = Y::rank == 0 ? T(y.value(ctx, 0)) : T(0.0);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((scalar_values[I + 1] = P::rank == 0 ? T(param<I>().value(ctx, 0)) : T(0.0)), ...);
    }
    (index_sequence{});
    kernel_t kernel(scalar_values);
    if (!kernel.scalars_valid()) return math::negative_infinity<T>();
    T sum(0.0);
    auto element_ctx = element_context(ctx, y);
    for (int i = 0; i < n; ++i) {
      T partials[num_params + 1];
      sum += [&]<std::size_t... I>(std::index_sequence<I...>) {
        return kernel.element(
            variate<T>(element_ctx, y, i, scalar_values[0]),
            (P::rank == 0 ? scalar_values[I + 1] : T(param<I>().value(element_ctx, i)))...,
            partials);
      }
      (index_sequence{});
      if constexpr (Grad) {
        if constexpr (Y::varies && Y::rank == 1) y.backprop(element_ctx, i, partials[0]);
        [&]<std::size_t... I>(std::index_sequence<I...>) {
          (push_element_partial<I>(element_ctx, i, partials[I + 1]), ...);
        }
        (index_sequence{});
      }
    }
    if constexpr (Grad) element_ctx.flush();
    T scalar_partials[num_params + 1];
    const T lp = kernel.finish(sum, n, scalar_partials);
    if constexpr (Grad) {
      if constexpr (Y::varies && Y::rank == 0) y.backprop(ctx, 0, scalar_partials[0]);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (push_scalar_partial<I>(ctx, scalar_partials[I + 1]), ...);
      }
      (index_sequence{});
    }
    if (!math::is_finite(lp)) return math::negative_infinity<T>();
    return lp;
  }

  template <class Y>
  using refs_with = concat_names_t<typename Y::refs, refs>;

  // Element i of the variate as the kernel takes it: an int for a discrete
  // family, else T (a scalar read once, before the loop).
  template <class T, class Ctx, class Y>
  STATIX_HD static auto variate(const Ctx& ctx, const Y& y, int i, const T& scalar) {
    if constexpr (Dist::is_discrete)
      return static_cast<int>(y.value(ctx, Y::rank == 0 ? 0 : i));
    else if constexpr (Y::rank == 0)
      return scalar;
    else
      return T(y.value(ctx, i));
  }

  template <class T, class Y>
  STATIX_HD summing_context<T, refs_with<Y>> element_context(const eval_context<T>& ctx,
                                                             const Y& y) const {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return summing_context<T, refs_with<Y>>(ctx, y, param<I>()...);
    }
    (index_sequence{});
  }

  template <std::size_t I, class Ctx, class T>
  STATIX_HD void push_element_partial(Ctx& ctx, int i, const T& partial) const {
    if constexpr (param_type<I>::varies && param_type<I>::rank == 1)
      param<I>().backprop(ctx, i, partial);
  }

  template <bool Propto, bool Grad, unsigned Varying, class T, class Y>
  STATIX_HD T evaluate_vector_parameter(eval_context<T>& ctx, const Y& y, int n) const {
    const auto& beta_node = param<0>();
    const int k = beta_node.size();
    T* beta = ctx.values + scratch_offset_;
    T* beta_adjoint = beta + k;
    T* element_partials = beta + 2 * k;
    for (int j = 0; j < k; ++j) {
      beta[j] = T(beta_node.value(ctx, j));
      beta_adjoint[j] = T(0.0);
    }
    T total(0.0);
    for (int i = 0; i < n; ++i) {
      total += Dist::template lpdf<Propto, Varying, Grad, T>(static_cast<int>(y.value(ctx, i)),
                                                             beta, k, element_partials);
      if constexpr (Grad)
        for (int j = 0; j < k; ++j)
          beta_adjoint[j] += element_partials[j];
    }
    if constexpr (Grad)
      for (int j = 0; j < k; ++j)
        beta_node.backprop(ctx, j, beta_adjoint[j]);
    return total;
  }
};

} // namespace statix
