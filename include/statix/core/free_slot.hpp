#pragma once

#include "statix/core/gather_nodes.hpp"
#include "statix/core/variable_args.hpp"
#include "statix/transforms/identity.hpp"
#include "statix/transforms/interval.hpp"
#include "statix/transforms/lower_bound.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace statix {

enum class variable_kind { free, observed, deterministic };

namespace detail {
template <class B>
inline constexpr bool has_bound = !std::is_same_v<B, no_bound>;

template <class B>
constexpr int bound_rank() {
  if constexpr (has_bound<B>)
    return B::rank;
  else
    return 0;
}

template <class B>
struct bound_traits {
  static constexpr bool varies = B::varies;
  using refs = typename B::refs;
};
template <>
struct bound_traits<no_bound> {
  static constexpr bool varies = false;
  using refs = name_list<>;
};
} // namespace detail

// The part every free variable shares: a workspace slot holding its value on
// the constrained scale, its place in the unconstrained vector, and the
// bijection chosen at compile time from its support (Stan reference manual,
// "Constraint transforms"). OwnTerm: the variable has a prior term, which
// assigns its adjoint before anything adds to it, so the forward pass need
// not clear it.
template <class Name, int Rank, class Lower, class Upper, bool OwnTerm>
struct free_slot : variable_tag {
  static constexpr auto name = Name::value;
  static constexpr int rank = Rank;
  static constexpr variable_kind kind = variable_kind::free;
  static constexpr bool has_lower = detail::has_bound<Lower>;
  static constexpr bool has_upper = detail::has_bound<Upper>;
  using bound_refs = concat_names_t<typename detail::bound_traits<Lower>::refs,
                                    typename detail::bound_traits<Upper>::refs>;

  STATIX_NO_UNIQUE_ADDRESS Lower lower;
  STATIX_NO_UNIQUE_ADDRESS Upper upper;
  int size_ = 1;
  int offset_ = -1;   // workspace slot
  int x_offset_ = -1; // position in the unconstrained vector
  int cols_ = 1;      // a matrix's columns (size_ / cols_ rows)

  free_slot(Lower lo, Upper up, int n) : lower(std::move(lo)), upper(std::move(up)), size_(n) {}

  // Without bounds the transform is the identity: the variable is read from
  // the unconstrained point and its adjoint is its gradient (no slot during
  // a density evaluation; the slot is filled only for output).
  static constexpr bool direct = !has_lower && !has_upper;

  // A scalar has one element, known at compile time: its loops vanish.
  STATIX_HD int size() const { return Rank == 0 ? 1 : size_; }
  int unconstrained_size() const { return size(); }
  STATIX_HD int rows() const { return Rank == 2 ? size_ / cols_ : size(); }
  STATIX_HD int cols() const { return Rank == 2 ? cols_ : 1; }
  variable_ref<Name, Rank, direct> ref() const {
    return variable_ref<Name, Rank, direct>(size_, cols_);
  }
  // The same, bound to this variable's place.
  STATIX_HD variable_ref<Name, Rank, direct> ref_bound() const {
    variable_ref<Name, Rank, direct> r(size_, cols_);
    r.offset_ = direct ? x_offset_ : offset_;
    return r;
  }
  template <class Index>
  auto operator[](const Index& index) const {
    return make_index_node(ref(), index);
  }

  void bind_bounds(slot_layout& layout) {
    if constexpr (has_lower) lower.bind(layout);
    if constexpr (has_upper) upper.bind(layout);
  }

  template <class Relocate>
  void rebind_bounds(Relocate&& relocate) {
    if constexpr (has_lower) lower.rebind_data(relocate);
    if constexpr (has_upper) upper.rebind_data(relocate);
  }

  template <class T>
  STATIX_HD void forward_bounds(eval_context<T>& ctx) const {
    if constexpr (has_lower) lower.forward(ctx);
    if constexpr (has_upper) upper.forward(ctx);
  }

  // Fills the slot from x; returns the summed log|J|. A direct variable's
  // slot is filled only when FillDirect (for output). During a gradient
  // evaluation the adjoint (a direct variable's gradient), which the terms
  // accumulate into, is cleared unless the prior term assigns it.
  template <bool FillDirect, class T>
  STATIX_HD T constrain_forward(eval_context<T>& ctx, const T* x, bool jacobian) const {
    if constexpr (direct) {
      if constexpr (FillDirect)
        for (int i = 0; i < size(); ++i)
          ctx.values[offset_ + i] = x[x_offset_ + i];
      if (!OwnTerm && ctx.unconstrained_adjoints != nullptr)
        for (int i = 0; i < size(); ++i)
          ctx.unconstrained_adjoints[x_offset_ + i] = T(0.0);
      return T(0.0);
    } else {
      forward_bounds(ctx);
      T log_jacobian_total(0.0);
      for (int i = 0; i < size(); ++i) {
        T log_jacobian(0.0);
        const T& xi = x[x_offset_ + i];
        T& yi = ctx.values[offset_ + i];
        if (!OwnTerm && ctx.adjoints != nullptr) ctx.adjoints[offset_ + i] = T(0.0);
        if constexpr (has_lower && has_upper)
          yi = transforms::interval::constrain(xi, T(lower.value(ctx, i)), T(upper.value(ctx, i)),
                                               log_jacobian);
        else if constexpr (has_lower)
          yi = transforms::lower_bound::constrain(xi, lower_bound_at<T>(ctx, i), log_jacobian);
        else
          yi = transforms::upper_bound::constrain(xi, T(upper.value(ctx, i)), log_jacobian);
        if (jacobian) log_jacobian_total += log_jacobian;
      }
      return log_jacobian_total;
    }
  }

  // Chain rule through the bijection: the slot's adjoint (and log|J| when
  // asked) into the gradient on the unconstrained scale and into the bounds.
  template <class T>
  STATIX_HD void constrain_backward(eval_context<T>& ctx, const T* x, T* grad,
                                    bool jacobian) const {
    if constexpr (direct) {
      return; // the terms wrote the gradient itself
    } else {
      for (int i = 0; i < size(); ++i) {
        const T& xi = x[x_offset_ + i];
        const T adj = ctx.adjoints[offset_ + i];
        // The forward pass's constrained value is still in the slot: the
        // one-sided transforms take exp(x) from it instead of again.
        [[maybe_unused]] const T& yi = ctx.values[offset_ + i];
        transforms::constrain_partials<T> p;
        if constexpr (has_lower && has_upper)
          p = transforms::interval::partials(xi, T(lower.value(ctx, i)), T(upper.value(ctx, i)));
        else if constexpr (has_lower && !detail::bound_traits<Lower>::varies)
          p = transforms::lower_bound::partials(xi, yi, lower_bound_at<T>(ctx, i));
        else if constexpr (has_lower)
          p = transforms::lower_bound::partials(xi, T(lower.value(ctx, i)));
        else if constexpr (!detail::bound_traits<Upper>::varies)
          p = transforms::upper_bound::partials(xi, yi, T(upper.value(ctx, i)));
        else
          p = transforms::upper_bound::partials(xi, T(upper.value(ctx, i)));
        const T j = jacobian ? T(1.0) : T(0.0);
        grad[x_offset_ + i] = adj * p.dvalue_dx + j * p.dlogj_dx;
        if constexpr (has_lower && detail::bound_traits<Lower>::varies)
          lower.backprop(ctx, i, T(adj * p.dvalue_dlower + j * p.dlogj_dlower));
        if constexpr (has_upper && detail::bound_traits<Upper>::varies)
          upper.backprop(ctx, i, T(adj * p.dvalue_dupper + j * p.dlogj_dupper));
      }
      if constexpr (has_upper) upper.backward(ctx);
      if constexpr (has_lower) lower.backward(ctx);
    }
  }

  std::string support_text(double lo, double hi) const {
    return std::string(has_lower ? "(" + detail::format_number(lo) : "(-inf") + ", " +
           (has_upper ? detail::format_number(hi) : "inf") + ")";
  }

  // Constrained values -> unconstrained, after the slots this variable's
  // bounds read have been filled. Host only: throws naming the variable.
  void unconstrain(eval_context<double>& ctx, const double* values, double* x) const {
    forward_bounds(ctx);
    for (int i = 0; i < size(); ++i) {
      const double y = values[i];
      const double lo = has_lower ? double(lower_value(ctx, i)) : -INFINITY;
      const double hi = has_upper ? double(upper_value(ctx, i)) : INFINITY;
      const bool inside = std::isfinite(y) && (!has_lower || y > lo) && (!has_upper || y < hi);
      if (!inside) {
        std::string where = size_ > 1 || Rank == 1 ? " at index " + std::to_string(i) : "";
        throw std::domain_error("statix: variable \"" + std::string(Name::value.view()) +
                                "\": value " + detail::format_number(y) + where +
                                " is outside its support " + support_text(lo, hi));
      }
      double xi;
      if constexpr (has_lower && has_upper)
        xi = transforms::interval::free(y, lo, hi);
      else if constexpr (has_lower)
        xi = transforms::lower_bound::free(y, lo);
      else if constexpr (has_upper)
        xi = transforms::upper_bound::free(y, hi);
      else
        xi = transforms::identity::free(y);
      x[x_offset_ + i] = xi;
      ctx.values[offset_ + i] = y;
    }
  }

private:
  // Element i of the lower bound: transforms::zero for a support's 0, which
  // the one-sided transform takes by type.
  template <class T, class Ctx>
  STATIX_HD auto lower_bound_at(const Ctx& ctx, int i) const {
    if constexpr (std::is_same_v<Lower, zero_literal>)
      return transforms::zero{};
    else
      return T(lower.value(ctx, i));
  }

  double lower_value(eval_context<double>& ctx, int i) const {
    if constexpr (has_lower)
      return lower.value(ctx, i);
    else
      return -INFINITY;
  }
  double upper_value(eval_context<double>& ctx, int i) const {
    if constexpr (has_upper)
      return upper.value(ctx, i);
    else
      return INFINITY;
  }
};

} // namespace statix
