#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/linear_algebra_ops.hpp"
#include "statix/core/operators.hpp"

#include <Eigen/Core>

#include <type_traits>

// Linear algebra on expressions whose operands may be data, parameters or
// both: `sx::cholesky_decompose(sx::add_diag(sx::gp_exp_quad_cov(x, a, r), 1e-9))`.
namespace statix {

// Anything that may stand where a matrix function takes an operand: an
// expression, a variable, a number or data (an Eigen vector or matrix).
template <class X>
concept matrix_operand = expression_like<X> || is_eigen_matrix_v<X>;

template <class... X>
concept has_model_operand = (matrix_operand<std::remove_cvref_t<X>> && ...);

template <class A>
requires has_model_operand<A>
auto transpose(const A& a) {
  static_assert(node_of_t<A>::rank == 2, "statix: sx::transpose takes a matrix");
  return make_matrix_function(ops::transpose_op{}, as_node(a));
}

template <class A, class D>
requires has_model_operand<A, D>
auto add_diag(const A& a, const D& d) {
  static_assert(node_of_t<A>::rank == 2,
                "statix: sx::add_diag(A, d) takes a square matrix A and a scalar or vector d");
  static_assert(node_of_t<D>::rank <= 1, "statix: sx::add_diag(A, d): d is a scalar or a vector");
  return make_matrix_function(ops::add_diag_op{}, as_node(a), as_node(d));
}

template <class V, class M>
requires has_model_operand<V, M>
auto diag_pre_multiply(const V& v, const M& m) {
  static_assert(node_of_t<V>::rank == 1 && node_of_t<M>::rank == 2,
                "statix: sx::diag_pre_multiply(v, M) takes a vector and a matrix");
  return make_matrix_function(ops::diag_pre_multiply_op{}, as_node(v), as_node(m));
}

template <class M, class V>
requires has_model_operand<M, V>
auto diag_post_multiply(const M& m, const V& v) {
  static_assert(node_of_t<M>::rank == 2 && node_of_t<V>::rank == 1,
                "statix: sx::diag_post_multiply(M, v) takes a matrix and a vector");
  return make_matrix_function(ops::diag_post_multiply_op{}, as_node(m), as_node(v));
}

template <class L>
requires has_model_operand<L>
auto multiply_lower_tri_self_transpose(const L& l) {
  static_assert(node_of_t<L>::rank == 2,
                "statix: sx::multiply_lower_tri_self_transpose takes a square matrix");
  return make_matrix_function(ops::multiply_lower_tri_self_transpose_op{}, as_node(l));
}

template <class A>
requires has_model_operand<A>
auto cholesky_decompose(const A& a) {
  static_assert(node_of_t<A>::rank == 2, "statix: sx::cholesky_decompose takes a square matrix");
  return make_matrix_function(ops::cholesky_decompose_op{}, as_node(a));
}

// x: the N input points, data (an Eigen vector, or a matrix of N rows).
template <class X, class Alpha, class Rho>
requires has_model_operand<Alpha, Rho>
auto gp_exp_quad_cov(const X& x, const Alpha& alpha, const Rho& rho) {
  static_assert(is_eigen_vector_v<X> || is_eigen_matrix_v<X> || is_eigen_expression_v<X> ||
                    std::is_same_v<X, std::vector<double>>,
                "statix: sx::gp_exp_quad_cov(x, alpha, rho): x, the input points, is data (an "
                "Eigen vector, or a matrix with a point per row)");
  static_assert(node_of_t<Alpha>::rank == 0 && node_of_t<Rho>::rank == 0,
                "statix: sx::gp_exp_quad_cov(x, alpha, rho): alpha and rho are scalars");
  Eigen::MatrixXd points;
  if constexpr (std::is_same_v<X, std::vector<double>>)
    points = Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
  else
    points = x.template cast<double>();
  return make_matrix_function(ops::gp_exp_quad_cov_op(std::move(points)), as_node(alpha),
                              as_node(rho));
}

// Row i / column j of a matrix (0-based), as a vector.
template <class M>
requires has_model_operand<M>
auto row(const M& m, int i) {
  static_assert(node_of_t<M>::rank == 2, "statix: sx::row(M, i) takes a matrix");
  ops::row_op op;
  op.i = i;
  return make_matrix_function(op, as_node(m));
}
template <class M>
requires has_model_operand<M>
auto col(const M& m, int j) {
  static_assert(node_of_t<M>::rank == 2, "statix: sx::col(M, j) takes a matrix");
  ops::col_op op;
  op.j = j;
  return make_matrix_function(op, as_node(m));
}

// The vectors v... as the rows of a matrix.
template <class... V>
requires has_model_operand<V...>
auto stack_rows(const V&... v) {
  static_assert(((node_of_t<V>::rank <= 1) && ...),
                "statix: sx::stack_rows(v...) takes vectors (or scalars for a one-column matrix)");
  return make_matrix_function(ops::stack_rows_op<int(sizeof...(V))>{}, as_node(v)...);
}

template <class V>
requires has_model_operand<V>
auto softmax(const V& v) {
  static_assert(node_of_t<V>::rank == 1, "statix: sx::softmax takes a vector");
  return make_matrix_function(ops::softmax_op{}, as_node(v));
}
template <class V>
requires has_model_operand<V>
auto log_softmax(const V& v) {
  static_assert(node_of_t<V>::rank == 1, "statix: sx::log_softmax takes a vector");
  return make_matrix_function(ops::log_softmax_op{}, as_node(v));
}
template <class V>
requires involves_model_terms<V>
auto log_sum_exp(const V& v) {
  static_assert(node_of_t<V>::rank >= 1, "statix: sx::log_sum_exp takes a vector or a matrix");
  return make_matrix_function(ops::log_sum_exp_op{}, as_node(v));
}
template <class V>
requires has_model_operand<V>
auto cumulative_sum(const V& v) {
  static_assert(node_of_t<V>::rank == 1, "statix: sx::cumulative_sum takes a vector");
  return make_matrix_function(ops::cumulative_sum_op{}, as_node(v));
}
template <class V>
requires has_model_operand<V>
auto dot_self(const V& v) {
  static_assert(node_of_t<V>::rank >= 1, "statix: sx::dot_self takes a vector or a matrix");
  return make_matrix_function(ops::dot_self_op{}, as_node(v));
}
template <class A, class B>
requires has_model_operand<A, B>
auto quad_form(const A& a, const B& b) {
  static_assert(node_of_t<A>::rank == 2 && node_of_t<B>::rank >= 1,
                "statix: sx::quad_form(A, B) takes a square matrix A and a matrix or vector B");
  return make_matrix_function(ops::quad_form_op<node_of_t<B>::rank>{}, as_node(a), as_node(b));
}

} // namespace statix
