#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/elementwise_nodes.hpp"
#include "statix/core/gather_nodes.hpp"
#include "statix/core/linear_algebra_ops.hpp"
#include "statix/core/reduction_nodes.hpp"

namespace statix {

// An operand list that mentions at least one variable or expression: only
// then are the operators below candidates, so plain arithmetic and Eigen's
// own operators are untouched.
template <class... X>
concept involves_model_terms = (expression_like<std::remove_cvref_t<X>> && ...) &&
                               ((is_node_v<X> || is_variable_v<X>) || ...);

template <class Op, class A, class B>
auto make_binary(const A& a, const B& b) {
  using NA = node_of_t<A>;
  using NB = node_of_t<B>;
  return binary_node<Op, NA, NB>(as_node(a), as_node(b));
}

template <class A, class B>
requires involves_model_terms<A, B>
auto operator+(const A& a, const B& b) {
  return make_binary<ops::add>(a, b);
}
template <class A, class B>
requires involves_model_terms<A, B>
auto operator-(const A& a, const B& b) {
  return make_binary<ops::subtract>(a, b);
}
// Elementwise, unless the left operand is a matrix and the right one is not
// a scalar: then the matrix product.
template <class A, class B>
requires involves_model_terms<A, B>
auto operator*(const A& a, const B& b) {
  using NA = node_of_t<A>;
  using NB = node_of_t<B>;
  if constexpr (NA::rank == 2 && NB::rank >= 1)
    return make_matrix_function(ops::matrix_product<NB::rank>{}, as_node(a), as_node(b));
  else {
    static_assert(!(NA::rank == 1 && NB::rank == 2),
                  "statix: vector * matrix is not defined (vectors are columns); write "
                  "sx::transpose(matrix) * vector");
    return make_binary<ops::multiply>(a, b);
  }
}
template <class A, class B>
requires involves_model_terms<A, B>
auto operator/(const A& a, const B& b) {
  return make_binary<ops::divide>(a, b);
}
template <class A>
requires involves_model_terms<A>
auto operator-(const A& a) {
  return unary_node<ops::negate, node_of_t<A>>(as_node(a));
}

template <class A, class B>
requires involves_model_terms<A, B>
auto pow(const A& a, const B& b) {
  return make_binary<ops::pow>(a, b);
}

#define STATIX_UNARY_FUNCTION(fn)                                                                  \
  template <class A>                                                                               \
  requires involves_model_terms<A>                                                                 \
  auto fn(const A& a) {                                                                            \
    return unary_node<ops::fn, node_of_t<A>>(as_node(a));                                          \
  }

STATIX_UNARY_FUNCTION(exp)
STATIX_UNARY_FUNCTION(log)
STATIX_UNARY_FUNCTION(log1p)
STATIX_UNARY_FUNCTION(expm1)
STATIX_UNARY_FUNCTION(sqrt)
STATIX_UNARY_FUNCTION(square)
STATIX_UNARY_FUNCTION(inv)
STATIX_UNARY_FUNCTION(inv_logit)
STATIX_UNARY_FUNCTION(log_inv_logit)
STATIX_UNARY_FUNCTION(log1m_inv_logit)
STATIX_UNARY_FUNCTION(tanh)
STATIX_UNARY_FUNCTION(lgamma)
STATIX_UNARY_FUNCTION(log1m)
STATIX_UNARY_FUNCTION(abs)

#undef STATIX_UNARY_FUNCTION

template <class A>
requires involves_model_terms<A>
auto sum(const A& a) {
  return sum_node<node_of_t<A>>(as_node(a));
}

template <class A, class B>
requires involves_model_terms<A, B>
auto dot(const A& a, const B& b) {
  return dot_node<node_of_t<A>, node_of_t<B>>(as_node(a), as_node(b));
}

// X * v: an Eigen data matrix times a vector expression.
template <class S, int R, int C, int O, int MR, int MC, class B>
requires involves_model_terms<B> &&(C != 1) auto
operator*(const Eigen::Matrix<S, R, C, O, MR, MC>& x, const B& b) {
  if constexpr (node_of_t<B>::rank == 2)
    return make_matrix_function(ops::matrix_product<2>{},
                                data_matrix_node(x.template cast<double>()), as_node(b));
  else
    return matvec_node<node_of_t<B>>(data_matrix(x.template cast<double>()), as_node(b));
}

} // namespace statix
