#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/distribution_term.hpp"
#include "statix/core/gather_nodes.hpp"
#include "statix/core/multivariate_families.hpp"
#include "statix/core/multivariate_term.hpp"
#include "statix/core/variable_args.hpp"
#include "statix/core/variables.hpp"

#include <string>
#include <utility>

namespace statix {

// `sx::ordered(K)`, `sx::simplex(K)`, `sx::cholesky_corr(K)`, ...: a shape
// with a constraint, in place of sx::size(n). The transform is Stan's
// constrain/free pair for it (transforms/).
template <class Transform, int Rank>
struct constrained_shape_arg {
  using transform = Transform;
  static constexpr int rank = Rank;
  int k;
};

namespace detail {
template <class Transform, int Rank>
constrained_shape_arg<Transform, Rank> constrained_shape(int k, const char* what) {
  if (k < (Rank == 2 ? 1 : 2) && std::string(what) != "ordered" &&
      std::string(what) != "positive_ordered")
    throw std::invalid_argument(std::string("statix: sx::") + what + "(K) needs K >= " +
                                (Rank == 2 ? "1" : "2") + ", got " + std::to_string(k));
  if (k < 1)
    throw std::invalid_argument(std::string("statix: sx::") + what + "(K) needs K >= 1, got " +
                                std::to_string(k));
  return {k};
}
template <class A>
inline constexpr bool is_constrained_shape_v = false;
template <class T, int R>
inline constexpr bool is_constrained_shape_v<constrained_shape_arg<T, R>> = true;
} // namespace detail

inline auto ordered(int k) {
  return detail::constrained_shape<transforms::ordered, 1>(k, "ordered");
}
inline auto positive_ordered(int k) {
  return detail::constrained_shape<transforms::positive_ordered, 1>(k, "positive_ordered");
}
inline auto simplex(int k) {
  return detail::constrained_shape<transforms::simplex, 1>(k, "simplex");
}
inline auto cholesky_corr(int k) {
  return detail::constrained_shape<transforms::cholesky_corr, 2>(k, "cholesky_corr");
}
inline auto cholesky_cov(int k) {
  return detail::constrained_shape<transforms::cholesky_cov, 2>(k, "cholesky_cov");
}
inline auto corr_matrix(int k) {
  return detail::constrained_shape<transforms::corr_matrix, 2>(k, "corr_matrix");
}
inline auto cov_matrix(int k) {
  return detail::constrained_shape<transforms::cov_matrix, 2>(k, "cov_matrix");
}

// y ~ Family(params) with y data: a multivariate likelihood term (a matrix
// of one observation per row, a vector, or integer outcomes).
template <class Name, class Family, class Y, class... P>
struct multivariate_observed_variable : variable_tag {
  static constexpr auto name = Name::value;
  static constexpr variable_kind kind = variable_kind::observed;
  static constexpr int rank = Y::rank;
  using refs = typename multivariate_term<Family, P...>::refs;

  operand_buffers<Y> y;
  multivariate_term<Family, P...> term;

  multivariate_observed_variable(Y data, multivariate_term<Family, P...> t)
      : y(std::move(data)), term(std::move(t)) {
    const std::string var(Name::value.view());
    y.template arg<0>().check_data(var, "observed data");
    term.validate(var, detail::shape_of(y.template arg<0>()), Y::rank);
    if constexpr (Family::is_discrete) {
      shape s[sizeof...(P)];
      term.param_shapes(s);
      const auto& d = y.template arg<0>();
      for (int i = 0; i < d.size(); ++i)
        if (!Family::in_support(d.data_[i], s))
          throw std::domain_error("statix: variable \"" + var + "\": observed value " +
                                  std::to_string(d.data_[i]) + " at index " + std::to_string(i) +
                                  " is outside the support of " + Family::family_name);
    }
  }

  STATIX_HD int size() const { return y.template arg<0>().size(); }
  void allocate_slot(slot_layout&) {}
  void bind(slot_layout& layout) {
    if constexpr (!Family::is_discrete) y.bind(layout);
    term.bind(layout, detail::shape_of(y.template arg<0>()));
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    y.rebind_data(relocate);
    term.rebind_data(relocate);
  }
  template <bool Propto, bool Grad, class T>
  STATIX_HD T evaluate_term(eval_context<T>& ctx) const {
    if constexpr (Family::is_discrete) {
      const auto& d = y.template arg<0>();
      return term.template evaluate<Propto, Grad>(ctx, families::int_operand{d.data_, d.size()});
    } else {
      y.forward(ctx);
      return term.template evaluate<Propto, Grad>(
          ctx, families::as_rows(y.template get<0>(ctx), Y::rank));
    }
  }
};

// A multivariate family's declaration: observed (.observe(data)) or free.
template <class Name, class Family, class... P>
struct multivariate_declaration {
  multivariate_term<Family, P...> term;
  int size_arg = -1;

  template <class Data>
  auto observe(const Data& data) const {
    auto y = [&] {
      if constexpr (Family::is_discrete) {
        static_assert(is_int_vector_v<Data>,
                      "statix: this family observes integer data: an Eigen::VectorXi or a "
                      "std::vector<int>");
        return as_int_data(data);
      } else {
        static_assert(is_eigen_vector_v<Data> || is_eigen_matrix_v<Data> ||
                          is_eigen_expression_v<Data> || std::is_same_v<Data, std::vector<double>>,
                      "statix: a multivariate family observes data: an Eigen vector, or a matrix "
                      "with one observation per row");
        return as_node(data);
      }
    }();
    return multivariate_observed_variable<Name, Family, decltype(y), P...>(std::move(y), term);
  }
};

// The prior of a transformed variable: none (flat), an elementwise family's
// term over its elements, or a multivariate family's term over the whole.
struct flat_prior {
  using refs = name_list<>;
  void bind(slot_layout&, shape) {}
  template <class Relocate>
  void rebind_data(Relocate&&) {}
  template <bool Propto, bool Grad, class T, class Y>
  STATIX_HD T evaluate(eval_context<T>&, const Y&, const operand<T>&) const {
    return T(0.0);
  }
};

template <class Dist, class... P>
struct elementwise_prior {
  using refs = typename distribution_term<Dist, P...>::refs;
  distribution_term<Dist, P...> term;
  void bind(slot_layout& layout, shape) { term.bind(layout); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    term.rebind_data(relocate);
  }
  template <bool Propto, bool Grad, class T, class Y>
  STATIX_HD T evaluate(eval_context<T>& ctx, const Y& y, const operand<T>&) const {
    return term.template evaluate<Propto, Grad, T, Y, false>(ctx, y, y.size());
  }
  template <class Name, class Data>
  auto observe(const Data& data) const {
    auto y = detail::observed_node<Dist>(data);
    return observed_variable<Name, Dist, decltype(y), P...>(std::move(y), term);
  }
};

template <class Family, class... P>
struct multivariate_prior {
  using refs = typename multivariate_term<Family, P...>::refs;
  multivariate_term<Family, P...> term;
  void bind(slot_layout& layout, shape s) { term.bind(layout, s); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    term.rebind_data(relocate);
  }
  template <bool Propto, bool Grad, class T, class Y>
  STATIX_HD T evaluate(eval_context<T>& ctx, const Y&, const operand<T>& y) const {
    return term.template evaluate<Propto, Grad>(ctx, y);
  }
  template <class Name, class Data>
  auto observe(const Data& data) const {
    return multivariate_declaration<Name, Family, P...>{term}.observe(data);
  }
};

// A free variable whose constraint maps several unconstrained coordinates
// to several values at once (a simplex, ordered values, a Cholesky factor, a
// covariance matrix) or that a multivariate family describes: name + shape +
// transform, with its prior. Its constrained values live in a workspace slot;
// constrain_backward applies the transform's adjoint (Transform::
// constrain_adjoint, with log|J|'s gradient) to the slot's adjoint.
template <class Name, class Transform, int Rank, class Prior>
struct transformed_variable : variable_tag {
  static constexpr auto name = Name::value;
  static constexpr int rank = Rank;
  static constexpr variable_kind kind = variable_kind::free;
  static constexpr bool direct = false;
  using transform = Transform;
  using refs = typename Prior::refs;

  Prior prior;
  int k_;           // the transform's dimension (vector length or matrix order)
  int size_;        // constrained values
  int offset_ = -1; // workspace slot
  int x_offset_ = -1;
  int scratch_offset_ = -1;

  transformed_variable(Prior p, int k)
      : prior(std::move(p)), k_(k), size_(Transform::constrained_size(k)) {}

  STATIX_HD int size() const { return size_; }
  int unconstrained_size() const { return Transform::unconstrained_size(k_); }
  STATIX_HD int rows() const { return Rank == 2 ? k_ : size_; }
  STATIX_HD int cols() const { return Rank == 2 ? k_ : 1; }
  variable_ref<Name, Rank, false> ref() const {
    return variable_ref<Name, Rank, false>(size_, cols());
  }
  template <class Index>
  auto operator[](const Index& index) const {
    return make_index_node(ref(), index);
  }

  void allocate_slot(slot_layout& layout) {
    if (k_ < 1)
      throw std::invalid_argument("statix: variable \"" + std::string(Name::value.view()) +
                                  "\": its dimension is not known: add sx::size(K)");
    offset_ = layout.add_variable(Name::value.view(), size_);
    scratch_offset_ = layout.allocate(Transform::scratch_size(k_));
  }
  void bind(slot_layout& layout) { prior.bind(layout, {rows(), cols()}); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    prior.rebind_data(relocate);
  }

  template <bool FillDirect, class T>
  STATIX_HD T constrain_forward(eval_context<T>& ctx, const T* x, bool jacobian) const {
    const T log_jacobian =
        Transform::constrain(k_, x + x_offset_, ctx.values + offset_, ctx.values + scratch_offset_);
    if (ctx.adjoints != nullptr)
      for (int i = 0; i < size_; ++i)
        ctx.adjoints[offset_ + i] = T(0.0);
    return jacobian ? log_jacobian : T(0.0);
  }
  template <class T>
  STATIX_HD void constrain_backward(eval_context<T>& ctx, const T* x, T* grad,
                                    bool jacobian) const {
    Transform::constrain_adjoint(k_, x + x_offset_, ctx.values + offset_, ctx.adjoints + offset_,
                                 T(jacobian ? 1.0 : 0.0), grad + x_offset_,
                                 ctx.values + scratch_offset_);
  }
  void unconstrain(eval_context<double>& ctx, const double* values, double* x) const {
    Transform::free(k_, values, x + x_offset_, std::string(Name::value.view()));
    Transform::constrain(k_, x + x_offset_, ctx.values + offset_, ctx.values + scratch_offset_);
  }

  // The same declaration as a likelihood term over data.
  template <class Data>
  auto observe(const Data& data) const {
    static_assert(!std::is_same_v<Prior, flat_prior>,
                  "statix: a flat variable cannot be observed; declare a family instead");
    return prior.template observe<Name>(data);
  }

  template <bool Propto, bool Grad, class T>
  STATIX_HD T evaluate_term(eval_context<T>& ctx) const {
    variable_ref<Name, Rank, false> y(size_, cols());
    y.offset_ = offset_;
    operand<T> o{ctx.values + offset_, Grad ? ctx.adjoints + offset_ : nullptr, rows(), cols()};
    return prior.template evaluate<Propto, Grad>(ctx, y, families::as_rows(o, Rank));
  }
};

namespace detail {
template <class Name, class Family, class... P>
auto make_free_multivariate(multivariate_term<Family, P...> term, int size) {
  static_assert(!Family::is_discrete, "statix: a discrete multivariate family (categorical, "
                                      "multinomial, ordered_logistic) is observed only: add "
                                      ".observe(data)");
  shape s[sizeof...(P)];
  term.param_shapes(s);
  const std::string var(Name::value.view());
  // Unknown (no sx::size(K) for an LKJ family) is an error only if the
  // variable is used as a free variable, not when it is observed.
  const int k = std::max(0, Family::free_dimension(s, size));
  using transform = typename Family::free_transform;
  constexpr int rank = Family::free_rank;
  const shape y = rank == 2 ? shape{k, k} : shape{transform::constrained_size(k), 1};
  if (k > 0) term.validate(var, y, rank);
  return transformed_variable<Name, transform, rank, multivariate_prior<Family, P...>>(
      multivariate_prior<Family, P...>{std::move(term)}, k);
}
} // namespace detail

} // namespace statix
