#pragma once

#include "statix/core/declarations.hpp"
#include "statix/core/operand_buffers.hpp"
#include "statix/core/variables.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/dual.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

// Truncation, as Stan's `y ~ normal(mu, sigma) T[L, U]`:
//
//   sx::normal<"y">(mu, sigma).observe(y_data).truncate(0.0, 10.0)
//   sx::normal<"y">(mu, sigma).observe(y_data).truncate(sx::lower(0.0))
//   sx::normal<"x">(mu, sigma).truncate(sx::upper(u))          // a free variable
//
// adds -log(F(U) - F(L)) per element (F the family's cdf at the element's
// parameters; -log(1 - F(L)) or -log F(U) with one bound). Bounds may be
// numbers, data or expressions of parameters, scalar or one per element. A
// free variable's support becomes [L, U] (its transform follows). The
// normaliser is evaluated in log space (lcdf, or lccdf when both bounds lie
// above the median, so upper tails keep their digits) and differentiated by
// dual numbers through the family's lcdf/lccdf, one lane per parameter and
// one for the bound: families whose cdfs take any scalar
// (`differentiable_cdf`) can be truncated.
namespace statix {

namespace detail {
template <class Dist>
concept truncatable_continuous = requires {
  Dist::differentiable_cdf;
}
&&!Dist::is_discrete;

// A discrete family whose support starts at 0 (counts, binomial, bernoulli):
// its normaliser is a finite sum of the pmf.
template <class Dist>
concept truncatable_discrete = Dist::is_discrete &&
    (Dist::support == dist::support_kind::nonnegative_int ||
     Dist::support == dist::support_kind::int_upto_param0 ||
     Dist::support == dist::support_kind::binary);

template <class Dist>
concept truncatable = truncatable_continuous<Dist> || truncatable_discrete<Dist>;

// A parameter value for a family's lpdf, whether it takes the scalar type or
// an integer (binomial's n): an integer parameter is data.
template <class T>
struct lpdf_argument {
  const T& value;
  STATIX_HD operator const T&() const { return value; }
  STATIX_HD operator int() const { return static_cast<int>(math::value_of(value)); }
};

// Most terms a discrete normaliser may sum per element and evaluation.
inline constexpr long max_discrete_truncation_terms = 100000;

// A bound argument: sx::lower(b), sx::upper(b), or a plain value.
template <class B>
auto bound_node(const B& b) {
  if constexpr (is_lower_arg_v<B> || is_upper_arg_v<B>)
    return as_node(b.bound);
  else
    return as_node(b);
}
template <class B>
using bound_node_t = decltype(bound_node(std::declval<const B&>()));
} // namespace detail

// The normaliser -sum_i log(F(U_i) - F(L_i)) over n elements. Lo and Hi are
// bound nodes (a literal stands for a missing one; HasLower/HasUpper say
// which are real).
template <class Dist, bool HasLower, bool HasUpper, class Lo, class Hi, class... P>
struct truncation_normaliser {
  // detail::truncation_is_valid has checked the family and the bounds.
  static constexpr int num_params = sizeof...(P);
  static constexpr bool has_lower = HasLower;
  static constexpr bool has_upper = HasUpper;
  static constexpr int lower_index = num_params;
  static constexpr int upper_index = num_params + 1;
  static constexpr bool varies = (P::varies || ... || false) || Lo::varies || Hi::varies;
  static constexpr bool bounds_vary = Lo::varies || Hi::varies;
  using refs = concat_names_t<typename P::refs..., typename Lo::refs, typename Hi::refs>;

  operand_buffers<P..., Lo, Hi> buffers;

  truncation_normaliser(std::tuple<P...> params, Lo lo, Hi hi)
      : buffers(std::apply(
            [&](P&... p) { return operand_buffers<P..., Lo, Hi>(std::move(p)..., lo, hi); },
            params)) {}

  const Lo& lower() const { return buffers.template arg<lower_index>(); }
  const Hi& upper() const { return buffers.template arg<upper_index>(); }

  // Checks the bounds' sizes against n and, where they are constants, that
  // they are finite and ordered.
  void validate(const std::string& variable, int n) const {
    const auto check = [&](const auto& b, const char* which) {
      b.check_data(variable, std::string("the truncation's ") + which + " bound");
      if (b.size() != 1 && b.size() != n)
        throw std::invalid_argument("statix: variable \"" + variable + "\": the truncation's " +
                                    which + " bound has " + std::to_string(b.size()) +
                                    " values, the variable " + std::to_string(n));
    };
    if constexpr (HasLower) check(lower(), "lower");
    if constexpr (HasUpper) check(upper(), "upper");
    if constexpr (Dist::is_discrete) validate_discrete(variable);
    if constexpr (HasLower && HasUpper && !Lo::varies && !Hi::varies) {
      const int m = std::max(lower().size(), upper().size());
      for (int i = 0; i < m; ++i) {
        const double l = lower().data_at(lower().size() == 1 ? 0 : i);
        const double u = upper().data_at(upper().size() == 1 ? 0 : i);
        if (!(l < u))
          throw std::domain_error("statix: variable \"" + variable +
                                  "\": the truncation's lower bound " + detail::format_number(l) +
                                  " is not below its upper bound " + detail::format_number(u) +
                                  (m > 1 ? " at index " + std::to_string(i) : ""));
      }
    }
  }

  void bind(slot_layout& layout) { buffers.bind(layout); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    buffers.rebind_data(relocate);
  }

  // The term's value (-sum_i log Z_i); with Grad, adds its partials to the
  // parameters' and bounds' adjoints. -inf when an interval has no mass or
  // is empty, or (with `y`, an observed variable's data) a y_i lies outside
  // its bounds.
  template <bool Grad, class T, class Y = void>
  STATIX_HD T evaluate(eval_context<T>& ctx, int n, const Y* y = nullptr) const {
    buffers.forward(ctx);
    operand<T> o[num_params + 2];
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((o[K] = buffers.template get<K>(ctx)), ...);
    }
    (std::make_index_sequence<num_params + 2>{});
    if (!Grad)
      for (auto& op : o)
        op.adjoint = nullptr;

    // Everything scalar: one normaliser, n times.
    bool scalar = true;
    for (const auto& op : o)
      scalar = scalar && op.size() == 1;
    const int count = scalar ? 1 : n;
    const double weight = scalar ? double(n) : 1.0;

    T total(0.0);
    bool rejected = false;
    for (int i = 0; i < count && !rejected; ++i) {
      if constexpr (!std::is_void_v<Y>)
        if (bounds_vary)
          for (int j = scalar ? 0 : i; j < (scalar ? n : i + 1); ++j)
            if (!inside(math::value_of(y->value_at(j)), o, i)) rejected = true;
      T d_lower(0.0), d_upper(0.0);
      T d_params[num_params > 0 ? num_params : 1];
      const T log_z = log_mass(o, i, d_lower, d_upper, d_params);
      if (!(math::value_of(log_z) > -INFINITY) || !(math::value_of(log_z) < INFINITY)) {
        rejected = true;
        break;
      }
      total += weight * log_z;
      if constexpr (Grad) {
        for (int k = 0; k < num_params; ++k)
          if (o[k].adjoint != nullptr)
            o[k].adjoint[o[k].size() == 1 ? 0 : i] -= weight * d_params[k];
        if (HasLower && o[lower_index].adjoint != nullptr)
          o[lower_index].adjoint[o[lower_index].size() == 1 ? 0 : i] -= weight * d_lower;
        if (HasUpper && o[upper_index].adjoint != nullptr)
          o[upper_index].adjoint[o[upper_index].size() == 1 ? 0 : i] -= weight * d_upper;
      }
    }
    if (rejected) {
      if constexpr (Grad)
        for (auto& op : o)
          if (op.adjoint != nullptr)
            for (int j = 0; j < op.size(); ++j)
              op.adjoint[j] = T(0.0);
      return math::negative_infinity<T>();
    }
    if constexpr (Grad) buffers.backward(ctx);
    return -total;
  }

private:
  // A discrete family's bounds are whole numbers, and its normaliser sums at
  // most max_discrete_truncation_terms pmf values per element.
  void validate_discrete(const std::string& variable) const {
    const auto whole = [&](const auto& b, const char* which) {
      for (int i = 0; i < b.size(); ++i)
        if (b.data_at(i) != std::floor(b.data_at(i)))
          throw std::domain_error("statix: variable \"" + variable + "\": the truncation's " +
                                  which + " bound " + detail::format_number(b.data_at(i)) +
                                  " of a discrete family is not a whole number");
    };
    if constexpr (HasLower) whole(lower(), "lower");
    if constexpr (HasUpper) whole(upper(), "upper");
    const auto largest = [](const auto& b) {
      double m = -INFINITY;
      for (int i = 0; i < b.size(); ++i)
        m = std::max(m, b.data_at(i));
      return m;
    };
    double terms = 0;
    if constexpr (HasUpper) {
      double smallest_lower = 0;
      if constexpr (HasLower) {
        smallest_lower = INFINITY;
        for (int i = 0; i < lower().size(); ++i)
          smallest_lower = std::min(smallest_lower, lower().data_at(i));
      }
      terms = largest(upper()) - std::max(smallest_lower, 0.0) + 1;
    } else {
      terms = largest(lower());
    }
    if (terms > double(detail::max_discrete_truncation_terms))
      throw std::domain_error(
          "statix: variable \"" + variable + "\": a truncation of a discrete family sums its " +
          "pmf over the bounds' range, here up to " + detail::format_number(terms) +
          " terms per element; at most " + std::to_string(detail::max_discrete_truncation_terms) +
          " are allowed");
  }

  template <class T>
  STATIX_HD static const T& at(const operand<T>& o, int i) {
    return o.value[o.size() == 1 ? 0 : i];
  }
  template <class T>
  STATIX_HD static bool inside(double v, const operand<T>* o, int i) {
    if (HasLower && v < math::value_of(at(o[lower_index], i))) return false;
    if (HasUpper && v > math::value_of(at(o[upper_index], i))) return false;
    return true;
  }

  // log F or log(1 - F) at y, a dual in lane 0 (the bound) and lanes 1..
  // (the parameters at element i).
  template <bool Complement, class T>
  STATIX_HD static math::dual<T, num_params + 1> log_cdf(const T& y, const operand<T>* o, int i) {
    using S = math::dual<T, num_params + 1>;
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
      if constexpr (Complement)
        return Dist::template lccdf<S>(S::variable(y, 0), S::variable(at(o[K], i), K + 1)...);
      else
        return Dist::template lcdf<S>(S::variable(y, 0), S::variable(at(o[K], i), K + 1)...);
    }
    (std::make_index_sequence<num_params>{});
  }

  // log P(L <= y <= U) of a discrete family on 0, 1, ... as the log of a sum
  // of pmf values (Stan's F(U) - F(L - 1)): over L..U with an upper bound,
  // else 1 minus the sum over 0..L-1. The sum runs as a streaming
  // log-sum-exp; its partials are the pmf-weighted partials of the lpmf.
  template <class T>
  STATIX_HD static T discrete_log_mass(const operand<T>* o, int i, T* d_params) {
    constexpr unsigned all_vary = ~0u;
    const long lo = HasLower ? static_cast<long>(math::value_of(at(o[lower_index], i))) : 0;
    long first = 0, last = 0;
    if constexpr (HasUpper) {
      first = lo < 0 ? 0 : lo;
      last = static_cast<long>(math::value_of(at(o[upper_index], i)));
      if (last < first) return math::negative_infinity<T>();
    } else {
      if (lo <= 0) { // the whole support
        for (int k = 0; k < num_params; ++k)
          d_params[k] = T(0.0);
        return T(0.0);
      }
      last = lo - 1;
    }
    T log_sum = math::negative_infinity<T>();
    T weighted[num_params > 0 ? num_params : 1];
    for (int k = 0; k < num_params; ++k)
      weighted[k] = T(0.0);
    T d[num_params + 1];
    for (long y = first; y <= last; ++y) {
      const int yi = static_cast<int>(y);
      for (auto& partial : d) // an integer parameter (binomial's n) gets none
        partial = T(0.0);
      const T lp = [&]<std::size_t... K>(std::index_sequence<K...>) {
        return Dist::template lpdf<false, all_vary, true, T>(
            yi, detail::lpdf_argument<T>{at(o[K], i)}..., d);
      }
      (std::make_index_sequence<num_params>{});
      if (!(math::value_of(lp) > -INFINITY)) continue;
      // log_sum <- log(e^log_sum + e^lp), the weights rescaled to match.
      const bool first_term = !(math::value_of(log_sum) > -INFINITY);
      const T next = first_term ? lp : math::log_sum_exp(log_sum, lp);
      const T keep = first_term ? T(0.0) : math::exp(log_sum - next);
      const T share = math::exp(lp - next);
      for (int k = 0; k < num_params; ++k)
        weighted[k] = keep * weighted[k] + share * d[k + 1];
      log_sum = next;
    }
    if constexpr (HasUpper) {
      for (int k = 0; k < num_params; ++k)
        d_params[k] = weighted[k];
      return log_sum;
    } else {
      if (!(math::value_of(log_sum) > -INFINITY)) { // no mass below L
        for (int k = 0; k < num_params; ++k)
          d_params[k] = T(0.0);
        return T(0.0);
      }
      if (!(math::value_of(log_sum) < 0.0)) return math::negative_infinity<T>();
      // log(1 - S): d = -S / (1 - S) dlog S = dlog S / expm1(-log S) * -1.
      const T factor = -1.0 / math::expm1(-log_sum);
      for (int k = 0; k < num_params; ++k)
        d_params[k] = factor * weighted[k];
      return math::log1m_exp(log_sum);
    }
  }

  // log Z_i with its partials by the lower bound, the upper bound and each
  // parameter.
  template <class T>
  STATIX_HD static T log_mass(const operand<T>* o, int i, T& d_lower, T& d_upper, T* d_params) {
    if constexpr (Dist::is_discrete) {
      d_lower = T(0.0);
      d_upper = T(0.0);
      return discrete_log_mass(o, i, d_params);
    } else if constexpr (HasLower && !HasUpper) {
      const auto z = log_cdf<true>(at(o[lower_index], i), o, i);
      d_lower = z.tan[0];
      for (int k = 0; k < num_params; ++k)
        d_params[k] = z.tan[k + 1];
      return z.val;
    } else if constexpr (HasUpper && !HasLower) {
      const auto z = log_cdf<false>(at(o[upper_index], i), o, i);
      d_upper = z.tan[0];
      for (int k = 0; k < num_params; ++k)
        d_params[k] = z.tan[k + 1];
      return z.val;
    } else {
      const T& lo = at(o[lower_index], i);
      const T& hi = at(o[upper_index], i);
      if (!(math::value_of(lo) < math::value_of(hi))) return math::negative_infinity<T>();
      // log(F(U) - F(L)) = log(e^a - e^b) with a = lcdf(U), b = lcdf(L);
      // above the median the same from the upper tail: a = lccdf(L),
      // b = lccdf(U).
      constexpr double log_half = -0.69314718055994530941723212145817657;
      auto b = log_cdf<false>(lo, o, i);
      const bool upper_tail = math::value_of(b.val) > log_half;
      auto a = upper_tail ? log_cdf<true>(lo, o, i) : log_cdf<false>(hi, o, i);
      if (upper_tail) b = log_cdf<true>(hi, o, i);
      T& d_a = upper_tail ? d_lower : d_upper;
      T& d_b = upper_tail ? d_upper : d_lower;
      if (!(math::value_of(b.val) > -INFINITY)) { // the far bound holds no mass
        d_a = a.tan[0];
        d_b = T(0.0);
        for (int k = 0; k < num_params; ++k)
          d_params[k] = a.tan[k + 1];
        return a.val;
      }
      if (!(math::value_of(a.val) > math::value_of(b.val))) return math::negative_infinity<T>();
      // d/da log(e^a - e^b) = -1 / expm1(b - a), d/db = e^(b-a) / expm1(b - a).
      const T diff = b.val - a.val;
      const T em1 = math::expm1(diff);
      const T ra = -1.0 / em1;
      const T rb = math::exp(diff) / em1;
      d_a = ra * a.tan[0];
      d_b = rb * b.tan[0];
      for (int k = 0; k < num_params; ++k)
        d_params[k] = ra * a.tan[k + 1] + rb * b.tan[k + 1];
      return a.val + math::log1m_exp(diff);
    }
  }
};

namespace detail {
template <class Dist, class Lo, class Hi, class... P>
auto make_truncation_normaliser(const distribution_term<Dist, P...>& term, Lo lo, Hi hi) {
  constexpr bool has_lower = !std::is_same_v<Lo, no_bound>;
  constexpr bool has_upper = !std::is_same_v<Hi, no_bound>;
  auto node = [](auto b) {
    if constexpr (std::is_same_v<decltype(b), no_bound>)
      return literal(0.0);
    else
      return b;
  };
  using lo_node = decltype(node(lo));
  using hi_node = decltype(node(hi));
  return [&]<std::size_t... K>(std::index_sequence<K...>) {
    return truncation_normaliser<Dist, has_lower, has_upper, lo_node, hi_node, P...>(
        std::tuple<P...>(term.template param<K>()...), node(lo), node(hi));
  }
  (std::make_index_sequence<sizeof...(P)>{});
}

// (lower, upper) nodes from .truncate's arguments.
template <class... A>
auto truncation_bounds(const A&... args) {
  static_assert(sizeof...(A) == 1 || sizeof...(A) == 2,
                "statix: .truncate(lower, upper), .truncate(sx::lower(l)) or "
                ".truncate(sx::upper(u))");
  if constexpr (sizeof...(A) == 2) {
    const auto& [l, u] = std::forward_as_tuple(args...);
    using L = std::remove_cvref_t<decltype(l)>;
    using U = std::remove_cvref_t<decltype(u)>;
    static_assert(!is_upper_arg_v<L> && !is_lower_arg_v<U>,
                  "statix: .truncate(lower, upper): the lower bound comes first");
    return std::pair(bound_node(l), bound_node(u));
  } else {
    const auto& [b] = std::forward_as_tuple(args...);
    using B = std::remove_cvref_t<decltype(b)>;
    static_assert(is_lower_arg_v<B> || is_upper_arg_v<B>,
                  "statix: .truncate with one bound says which: .truncate(sx::lower(l)) or "
                  ".truncate(sx::upper(u))");
    if constexpr (is_lower_arg_v<B>)
      return std::pair(bound_node(b), no_bound{});
    else
      return std::pair(no_bound{}, bound_node(b));
  }
}
} // namespace detail

// A variable whose family is truncated: its own term plus the normaliser.
// Observed: the data are checked against constant bounds when the model is
// built (against varying ones at each evaluation). Free: the support is the
// truncation's interval (the transform follows from the bounds), and
// `.observe(data)` gives the observed variable with the same truncation.
template <class Base, class Normaliser>
struct truncated_variable : Base {
  static constexpr bool observed = Base::kind == variable_kind::observed;
  // A free variable's refs already hold its term's parameters and bounds.
  using refs =
      std::conditional_t<observed, concat_names_t<typename Base::refs, typename Normaliser::refs>,
                         typename Base::refs>;
  static constexpr bool loops_over_elements = false;

  Normaliser normaliser;

  truncated_variable(Base base, Normaliser norm)
      : Base(std::move(base)), normaliser(std::move(norm)) {
    const std::string var(Base::name.view());
    normaliser.validate(var, this->size());
    if constexpr (observed) check_data_inside(var);
  }

  template <class Data>
  requires(!observed) auto observe(const Data& data) const {
    auto y = Base::observe(data);
    return truncated_variable<decltype(y), Normaliser>(std::move(y), normaliser);
  }

  void bind(slot_layout& layout) {
    Base::bind(layout);
    normaliser.bind(layout);
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    Base::rebind_data(relocate);
    normaliser.rebind_data(relocate);
  }
  template <bool Propto, bool Grad, class T>
  STATIX_HD T evaluate_term(eval_context<T>& ctx) const {
    const T lp = Base::template evaluate_term<Propto, Grad, T>(ctx);
    if constexpr (Propto && !Normaliser::varies) {
      return lp;
    } else if constexpr (observed) {
      const data_reader reader{this};
      return lp + normaliser.template evaluate<Grad, T>(ctx, this->size(), &reader);
    } else {
      return lp + normaliser.template evaluate<Grad, T>(ctx, this->size());
    }
  }

private:
  struct data_reader {
    const Base* base;
    STATIX_HD double value_at(int i) const { return base->y.data_at(i); }
  };
  void check_data_inside(const std::string& var) const {
    const auto check = [&](const auto& b, bool lower) {
      if constexpr (!std::remove_cvref_t<decltype(b)>::varies)
        for (int i = 0; i < this->y.size(); ++i) {
          const double v = this->y.data_at(i);
          const double bound = b.data_at(b.size() == 1 ? 0 : i);
          if (lower ? v < bound : v > bound)
            throw std::domain_error(
                "statix: variable \"" + var + "\": observed value " + detail::format_number(v) +
                (this->y.size() > 1 ? " at index " + std::to_string(i) : "") + " lies " +
                (lower ? "below" : "above") + " the truncation's " + (lower ? "lower" : "upper") +
                " bound " + detail::format_number(bound));
        }
    };
    if constexpr (Normaliser::has_lower) check(normaliser.lower(), true);
    if constexpr (Normaliser::has_upper) check(normaliser.upper(), false);
  }
};

// Misuse of .truncate is an error on one of these incomplete types, whose
// first argument is the variable's name.
//
// The family's normaliser needs an lcdf and lccdf that take any scalar
// (normal, lognormal, exponential, cauchy, logistic, laplace, weibull, gumbel,
// frechet, rayleigh, pareto, pareto_type_2), or a pmf on 0, 1, ... to sum
// (poisson, neg_binomial, binomial, bernoulli, ...).
template <fixed_string Name, class Family>
struct truncation_needs_a_family_with_a_differentiable_lcdf_or_a_count_pmf;
// A discrete family's normaliser sums its pmf between the bounds.
template <fixed_string Name>
struct truncation_bounds_of_a_discrete_family_must_be_numbers_or_data;

namespace detail {
template <class B>
inline constexpr bool bound_varies = false;
template <class B>
requires(!std::is_same_v<B, no_bound>) inline constexpr bool bound_varies<B> = B::varies;

template <class V, class Lo, class Hi>
inline constexpr bool truncation_is_valid =
    truncatable<typename V::distribution> &&
    !(V::distribution::is_discrete && (bound_varies<Lo> || bound_varies<Hi>));

template <class V, class Lo, class Hi>
void report_invalid_truncation() {
  using Dist = typename V::distribution;
  if constexpr (!truncatable<Dist>)
    static_cast<void>(
        sizeof(truncation_needs_a_family_with_a_differentiable_lcdf_or_a_count_pmf<V::name, Dist>));
  else
    static_cast<void>(
        sizeof(truncation_bounds_of_a_discrete_family_must_be_numbers_or_data<V::name>));
}

template <class V, class NL, class NU>
struct with_bounds;
template <class Name, class Dist, int Rank, class L, class U, class... P, class NL, class NU>
struct with_bounds<random_variable<Name, Dist, Rank, L, U, P...>, NL, NU> {
  using type = random_variable<Name, Dist, Rank, NL, NU, P...>;
};

template <class V, class... A>
auto truncate_observed(const V& v, const A&... args) {
  auto [lo, hi] = truncation_bounds(args...);
  if constexpr (!truncation_is_valid<V, decltype(lo), decltype(hi)>) {
    report_invalid_truncation<V, decltype(lo), decltype(hi)>();
    return v; // after the error, so that nothing else is reported
  } else {
    auto normaliser = make_truncation_normaliser(v.term, lo, hi);
    return truncated_variable<V, decltype(normaliser)>(v, std::move(normaliser));
  }
}

template <class V, class Lo, class Hi>
auto truncate_free_checked(const V& v, const Lo& lo, const Hi& hi) {
  const std::string var(V::name.view());
  // A bound the truncation leaves open keeps the family's own.
  auto new_lower = [&] {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(lo)>, no_bound>) {
      return v.lower;
    } else {
      using L = std::remove_cvref_t<decltype(lo)>;
      if constexpr (!L::varies && V::has_lower) {
        if constexpr (!std::remove_cvref_t<decltype(v.lower)>::varies)
          for (int i = 0; i < lo.size(); ++i)
            if (lo.data_at(i) < v.lower.data_at(0))
              throw std::domain_error("statix: variable \"" + var +
                                      "\": the truncation's lower bound " +
                                      format_number(lo.data_at(i)) + " lies below the support of " +
                                      V::distribution::family_name);
      }
      return lo;
    }
  }();
  auto new_upper = [&] {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(hi)>, no_bound>)
      return v.upper;
    else
      return hi;
  }();
  using rebound = typename with_bounds<V, decltype(new_lower), decltype(new_upper)>::type;
  rebound bounded(v.term, new_lower, new_upper, v.size_);
  bounded.cols_ = v.cols_;
  auto normaliser = make_truncation_normaliser(v.term, lo, hi);
  return truncated_variable<rebound, decltype(normaliser)>(std::move(bounded),
                                                           std::move(normaliser));
}

template <class V, class... A>
auto truncate_free(const V& v, const A&... args) {
  auto [lo, hi] = truncation_bounds(args...);
  if constexpr (!truncation_is_valid<V, decltype(lo), decltype(hi)>) {
    report_invalid_truncation<V, decltype(lo), decltype(hi)>();
    return v; // after the error, so that nothing else is reported
  } else {
    return truncate_free_checked(v, lo, hi);
  }
}
} // namespace detail

} // namespace statix
