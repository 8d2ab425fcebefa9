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
//     static constexpr unsigned reciprocal_args; // bit k: takes 1 / argument k
//     term_kernel(const T* scalars,           // scalars[k]: argument k where bit k
//                 const T* reciprocals);      // of Scalar is set (0: the variate),
//                                            // and its reciprocal if asked
//     bool scalars_valid() const;             // the varying ones that a bad value
//                                            // would not make the sum non-finite
//     T element(T* d, const T* reciprocals, y, args...); // summand; d[k] for
//                                            // each varying argument k that is not
//                                            // scalar (sums the scalar ones'
//                                            // inside); reciprocals[k] of element
//                                            // i where asked
// Reciprocals of constant arguments (a scale given as a number or as data)
// are computed when the model is built, so a kernel never divides by them.
//     T finish(T sum, int n, T* scalar_partials) const; // the term's value;
//                                            // the partial of every varying
//                                            // scalar argument
//   };
// Arguments validated at construction (constants, data) are not checked
// again; a varying argument outside its domain must make the sum non-finite
// (NaN or -inf), which the model rejects.
template <class Dist>
concept has_term_kernel = requires {
  typename Dist::template term_kernel<false, 1u, 0u, true, double>;
};

// The kernel protocol over Dist::lpdf, for a family without a kernel of its
// own: lpdf checks every element (a rejected one gives -inf), and the
// partials of scalar arguments are summed here.
template <class Dist, bool Propto, unsigned Varying, unsigned Scalar, bool Grad, class T>
struct lpdf_kernel {
  static constexpr unsigned reciprocal_args = 0u;
  T scalar_sums[Dist::num_params + 1];

  STATIX_HD lpdf_kernel(const T*, const T*) {
    for (int k = 0; k <= Dist::num_params; ++k)
      scalar_sums[k] = T(-0.0); // -0.0 + x is x: folds away for one element
  }
  STATIX_HD bool scalars_valid() const { return true; }
  template <class... A>
  STATIX_HD T element(T* d, const T*, const A&... arguments) {
    const T lp = Dist::template lpdf<Propto, Varying, Grad, T>(arguments..., d);
    if constexpr (Grad)
      for (int k = 0; k <= Dist::num_params; ++k)
        if ((Scalar & Varying & (1u << k)) != 0) scalar_sums[k] += d[k];
    return lp;
  }
  STATIX_HD T finish(const T& sum, int, T* scalar_partials) const {
    for (int k = 0; k <= Dist::num_params; ++k)
      scalar_partials[k] = scalar_sums[k];
    return sum;
  }
};

// Defined after distribution_term, whose element loops it runs.
template <bool Grad, class T, class... Loops>
STATIX_HD T run_element_loops(eval_context<T>& ctx, int n, Loops&&... loops);

// Dist::term_kernel where the family has one, else lpdf_kernel.
template <class Dist>
struct term_kernel_of {
  template <bool Propto, unsigned Varying, unsigned Scalar, bool Grad, class T>
  using type = lpdf_kernel<Dist, Propto, Varying, Scalar, Grad, T>;
};
template <has_term_kernel Dist>
struct term_kernel_of<Dist> {
  template <bool Propto, unsigned Varying, unsigned Scalar, bool Grad, class T>
  using type = typename Dist::template term_kernel<Propto, Varying, Scalar, Grad, T>;
};

template <class P>
concept constant_leaf = !P::varies && requires(const P& p) {
  p.data_at(0);
};

// A constant leaf that can keep the reciprocals of its values (literal,
// data_vector), prepared when the model is built.
template <class P>
concept reciprocal_leaf = constant_leaf<P> && requires(P& p) {
  p.prepare_reciprocals();
  static_cast<const P&>(p).reciprocal(0);
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
        // A matrix parameter counts all its elements: a 3 x 3 one beside a
        // vector of 3 is a mistake, not its first column.
        if (PT::rank >= 1 && p.size() != n)
          throw std::invalid_argument("statix: variable \"" + variable + "\": " + what +
                                      (PT::rank == 2 ? " is a matrix of " : " has size ") +
                                      std::to_string(p.size()) +
                                      (PT::rank == 2 ? " elements" : "") +
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

  // Which arguments' reciprocals the family's kernel takes (bit I + 1 for
  // parameter I).
  static constexpr unsigned reciprocal_args =
      detail::term_kernel_of<Dist>::template type<false, 1u, 0u, true, double>::reciprocal_args;
  template <std::size_t I>
  static constexpr bool wants_reciprocal = ((reciprocal_args >> (I + 1)) & 1u) != 0;

  void bind(slot_layout& layout) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (param<I>().bind(layout), ...);
      (prepare_reciprocals<I>(), ...);
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

  template <std::size_t I>
  void prepare_reciprocals() {
    if constexpr (wants_reciprocal<I> && detail::reciprocal_leaf<param_type<I>>)
      param<I>().prepare_reciprocals();
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

  template <class Y>
  static constexpr bool hoisted_variate = Y::rank == 0 && !Dist::is_discrete;

  // Argument I at element i: read once before the loop when it is a scalar
  // (scalar_values[I + 1]), else element i.
  template <std::size_t I, class Ctx, class T>
  STATIX_HD auto element_argument(const Ctx& ctx, int i, const T* scalar_values) const {
    if constexpr (hoisted<I>)
      return scalar_values[I + 1];
    else
      return argument<I>(ctx, i);
  }
  // 1 / argument I at element i, where the kernel takes it: read from the
  // constant's prepared reciprocals, else one division.
  template <std::size_t I, class Ctx, class T>
  STATIX_HD T reciprocal_at(const Ctx& ctx, int i) const {
    if constexpr (detail::reciprocal_leaf<param_type<I>>)
      return T(param<I>().reciprocal(i));
    else
      return math::inv(T(param<I>().value(ctx, i)));
  }
  template <std::size_t I, class Ctx, class T>
  STATIX_HD void fill_element_reciprocal(const Ctx& ctx, int i, T* reciprocals,
                                         const T* scalar_reciprocals) const {
    if constexpr (wants_reciprocal<I>) {
      if constexpr (hoisted<I>)
        reciprocals[I + 1] = scalar_reciprocals[I + 1];
      else
        reciprocals[I + 1] = reciprocal_at<I, Ctx, T>(ctx, i);
    }
  }

  template <std::size_t I, class Ctx, class T>
  STATIX_HD void push_element_partial(Ctx& ctx, int i, const T& partial) const {
    if constexpr (param_type<I>::varies && !hoisted<I>) param<I>().backprop(ctx, i, partial);
  }
  template <std::size_t I, class T>
  STATIX_HD void push_scalar_partial(eval_context<T>& ctx, const T& scalar_sum) const {
    if constexpr (param_type<I>::varies && hoisted<I>) param<I>().backprop(ctx, 0, scalar_sum);
  }

  // sum_i lpdf(y_i | params_i) over the n elements; with Grad, the partials
  // are added to the adjoints of everything the arguments read. OwnVariate:
  // y is the free variable this term is the prior of, whose adjoint no term
  // has written yet (the terms run in topological order): its partials are
  // assigned.
  template <bool Propto, bool Grad, class T, class Y, bool OwnVariate = false>
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
      } else {
        total = evaluate_elements<Propto, grad, varying, OwnVariate>(ctx, y, n);
      }
      if constexpr (grad) backward(ctx);
      return total;
    }
  }

private:
  template <class Y>
  static constexpr unsigned scalar_mask() {
    unsigned mask = hoisted_variate<Y> ? 1u : 0u;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((mask |= (hoisted<I> ? (1u << (I + 1)) : 0u)), ...);
    }
    (index_sequence{});
    return mask;
  }

  template <bool Propto, bool Grad, unsigned Varying, bool OwnVariate, class T, class Y>
  STATIX_HD T evaluate_elements(eval_context<T>& ctx, const Y& y, int n) const {
    return detail::run_element_loops<Grad>(
        ctx, n, element_loop<Propto, Grad, Varying, OwnVariate, T, Y>(*this, ctx, y));
  }

  template <bool OwnVariate, class Ctx, class Y, class T>
  STATIX_HD static void push_variate_partial(Ctx& ctx, const Y& y, int i, const T& partial) {
    if constexpr (OwnVariate)
      y.set_adjoint(ctx, i, partial);
    else
      y.backprop(ctx, i, partial);
  }

  template <class Y>
  using refs_with = concat_names_t<typename Y::refs, refs>;

  // Whether element i of the term over Y reads and writes element i alone
  // (no gather, no pick of one element): its iterations are independent.
  template <class Y>
  static constexpr bool independent_elements = Y::writes_own_element &&
                                               (P::writes_own_element && ...);

  // Element i of the variate as the kernel takes it: an int for a discrete
  // family, else T (a scalar read once, before the loop).
  template <class T, class Ctx, class Y>
  STATIX_HD static auto variate(const Ctx& ctx, const Y& y, int i, const T& scalar) {
    if constexpr (Dist::is_discrete)
      return static_cast<int>(y.value(ctx, Y::rank == 0 ? 0 : i));
    else if constexpr (hoisted_variate<Y>)
      return scalar;
    else
      return T(y.value(ctx, i));
  }

public:
  // Whether the term over variate Y is one loop over its elements that a
  // model may run in one loop with other terms of the same length: a vector
  // term that depends on a parameter, whose element i touches element i
  // alone (a gather in a later term would add to an adjoint that a prior in
  // the same loop sets at a later element).
  template <class Y>
  static constexpr bool loops_over_elements =
      !vector_parameter && Y::rank == 1 && varying_mask<Y>() != 0 && independent_elements<Y>;

  // The loop over the elements of sum_i lpdf(y_i | args_i), through the
  // family's own kernel (Dist::term_kernel) or Dist::lpdf element by element.
  // Scalar arguments (and their reciprocals, where the kernel takes them) are
  // read once; per-element partials are pushed as they are made, through the
  // loop's context (summing_context over `names`, which cache() fills); the
  // scalar arguments' partials are summed in the kernel and pushed once by
  // finish(), after the context's flush(). With a family kernel, which does
  // not check every element, an argument outside its domain makes the sum
  // non-finite (NaN or -inf), and the model rejects the point (-inf and a
  // zero gradient) where it checks the total. The term's forward() comes
  // before, its backward() after.
  template <bool Propto, bool Grad, unsigned Varying, bool OwnVariate, class T, class Y>
  class element_loop {
    static constexpr unsigned scalars = scalar_mask<Y>();
    using kernel_t =
        typename detail::term_kernel_of<Dist>::template type<Propto, Varying, scalars, Grad, T>;
    struct scalar_array {
      T v[num_params + 1];
    };
    // A variable's read is copied (it may be a temporary); data is referred to.
    using y_storage = std::conditional_t<std::is_trivially_copyable_v<Y>, Y, const Y&>;

    const distribution_term& term_;
    y_storage y_;
    scalar_array scalar_values_;
    scalar_array scalar_reciprocals_;
    kernel_t kernel_;
    T sum_;

    STATIX_HD static scalar_array read_scalars(const distribution_term& term,
                                               const eval_context<T>& ctx, const Y& y) {
      scalar_array a;
      a.v[0] = hoisted_variate<Y> ? T(y.value(ctx, 0)) : T(0.0);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((a.v[I + 1] = hoisted<I> ? T(term.template param<I>().value(ctx, 0)) : T(0.0)), ...);
      }
      (index_sequence{});
      return a;
    }
    STATIX_HD static scalar_array read_scalar_reciprocals(const distribution_term& term,
                                                          const eval_context<T>& ctx) {
      scalar_array a;
      a.v[0] = T(0.0);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((a.v[I + 1] = hoisted<I> && wants_reciprocal<I>
                           ? term.template reciprocal_at<I, eval_context<T>, T>(ctx, 0)
                           : T(0.0)),
         ...);
      }
      (index_sequence{});
      return a;
    }

  public:
    using names = refs_with<Y>;
    // The vector variable whose adjoint this loop writes first at each
    // element (its own prior's variate): kept in a register for the element.
    using owned_names =
        std::conditional_t<OwnVariate && Y::rank == 1, typename Y::refs, name_list<>>;
    // Element i reads the values and writes the adjoints of element i only
    // (no gather, no pick of one element): iterations are independent.
    static constexpr bool independent = independent_elements<Y>;

    STATIX_HD element_loop(const distribution_term& term, const eval_context<T>& ctx, const Y& y)
        : term_(term), y_(y), scalar_values_(read_scalars(term, ctx, y)),
          scalar_reciprocals_(read_scalar_reciprocals(term, ctx)),
          kernel_(scalar_values_.v, scalar_reciprocals_.v), sum_(-0.0) {
    } // -0.0 + x is x: no addition for a single element

    STATIX_HD bool valid() const { return kernel_.scalars_valid(); }

    // What the loop reads into its context: the variate and the arguments
    // that are not hoisted (a hoisted one is read once, and its partial
    // pushed once, by finish()).
    template <class Ctx>
    STATIX_HD void cache(Ctx& element_ctx) const {
      if constexpr (!hoisted_variate<Y>) y_.cache_scalars(element_ctx);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((hoisted<I> ? void() : term_.template param<I>().cache_scalars(element_ctx)), ...);
      }
      (index_sequence{});
    }

    template <class Ctx>
    STATIX_HD void add(Ctx& element_ctx, int i) {
      T partials[num_params + 1];
      T reciprocals[num_params + 1];
      sum_ += [&]<std::size_t... I>(std::index_sequence<I...>) {
        (term_.template fill_element_reciprocal<I>(element_ctx, i, reciprocals,
                                                   scalar_reciprocals_.v),
         ...);
        return kernel_.element(
            partials, reciprocals, variate<T>(element_ctx, y_, i, scalar_values_.v[0]),
            term_.template element_argument<I>(element_ctx, i, scalar_values_.v)...);
      }
      (index_sequence{});
      if constexpr (Grad) {
        if constexpr (Y::varies && !hoisted_variate<Y>)
          push_variate_partial<OwnVariate>(element_ctx, y_, i, partials[0]);
        [&]<std::size_t... I>(std::index_sequence<I...>) {
          (term_.template push_element_partial<I>(element_ctx, i, partials[I + 1]), ...);
        }
        (index_sequence{});
      }
    }

    // The term's value over n elements; pushes the summed partials of the
    // scalar arguments.
    STATIX_HD T finish(eval_context<T>& ctx, int n) {
      T scalar_partials[num_params + 1];
      const T lp = kernel_.finish(sum_, n, scalar_partials);
      if constexpr (Grad) {
        if constexpr (Y::varies && hoisted_variate<Y>)
          push_variate_partial<OwnVariate>(ctx, y_, 0, scalar_partials[0]);
        [&]<std::size_t... I>(std::index_sequence<I...>) {
          (term_.template push_scalar_partial<I>(ctx, scalar_partials[I + 1]), ...);
        }
        (index_sequence{});
      }
      return lp;
    }
  };

  // This term's element loop over y (Grad as the model asks; the term's
  // forward() already done), for a model that runs it with others.
  template <bool Propto, bool Grad, class T, class Y, bool OwnVariate>
  STATIX_HD auto make_element_loop(const eval_context<T>& ctx, const Y& y) const {
    return element_loop<Propto, Grad, varying_mask<Y>(), OwnVariate, T, Y>(*this, ctx, y);
  }

private:
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

namespace detail {
// Runs element loops (distribution_term::element_loop) of n elements each:
// element i of every loop, in order, then the next element, through one
// context. Independent iterations are declared so (no run-time check
// whether the gradient overlaps the data before the loop is vectorised),
// and each prior's adjoint of element i is then kept in a register through
// the iteration. Returns the loops' total, or -inf when a loop's scalar
// arguments are outside their domains.
template <bool Grad, class T, class... Loops>
STATIX_HD T run_element_loops(eval_context<T>& ctx, int n, Loops&&... loops) {
  if (!(loops.valid() && ...)) return math::negative_infinity<T>();
  using names = concat_names_t<typename std::remove_cvref_t<Loops>::names...>;
  constexpr bool independent = (std::remove_cvref_t<Loops>::independent && ...);
  if constexpr (independent) {
    summing_context<T, names, concat_names_t<typename std::remove_cvref_t<Loops>::owned_names...>>
        element_ctx(ctx);
    (loops.cache(element_ctx), ...);
    STATIX_IVDEP
    for (int i = 0; i < n; ++i) {
      (loops.add(element_ctx, i), ...);
      if constexpr (Grad) element_ctx.end_element(i);
    }
    if constexpr (Grad) element_ctx.flush();
  } else {
    summing_context<T, names> element_ctx(ctx);
    (loops.cache(element_ctx), ...);
    for (int i = 0; i < n; ++i)
      (loops.add(element_ctx, i), ...);
    if constexpr (Grad) element_ctx.flush();
  }
  T total(-0.0);
  ((total += loops.finish(ctx, n)), ...);
  return total;
}
} // namespace detail

} // namespace statix
