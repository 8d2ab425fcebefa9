#pragma once

#include "statix/core/leaf_nodes.hpp"

#include <Eigen/Core>

#include <type_traits>
#include <vector>

namespace statix {

// What may stand where an expression is expected, and the node it becomes:
// nodes themselves, variables (a read of the variable), numbers, Eigen
// vectors and std::vectors (data).
template <class X>
inline constexpr bool is_eigen_vector_v = false;
template <class S, int R, int O, int MR, int MC>
inline constexpr bool is_eigen_vector_v<Eigen::Matrix<S, R, 1, O, MR, MC>> = true;

template <class X>
inline constexpr bool is_eigen_matrix_v = false;
template <class S, int R, int C, int O, int MR, int MC>
inline constexpr bool is_eigen_matrix_v<Eigen::Matrix<S, R, C, O, MR, MC>> = (C != 1);

template <class X>
inline constexpr bool is_int_vector_v = std::is_same_v<X, std::vector<int>>;
template <int R, int O, int MR, int MC>
inline constexpr bool is_int_vector_v<Eigen::Matrix<int, R, 1, O, MR, MC>> = true;

template <class X>
concept expression_like =
    is_node_v<X> || is_variable_v<X> || std::is_arithmetic_v<X> || is_eigen_vector_v<X> ||
    std::is_same_v<X, std::vector<double>> || std::is_same_v<X, std::vector<int>>;

// An Eigen expression that is not a plain matrix (Eigen::VectorXd::Ones(n),
// m.row(0), a * b): evaluated into one.
template <class X>
inline constexpr bool is_eigen_expression_v =
    std::is_base_of_v<Eigen::MatrixBase<X>, X> && !is_eigen_vector_v<X> && !is_eigen_matrix_v<X>;

// Every type as_node accepts; anything else is a user's mistake that
// make_random_variable reports by name.
template <class X>
inline constexpr bool is_model_argument_v =
    is_eigen_expression_v<X> || is_node_v<X> || is_variable_v<X> || std::is_arithmetic_v<X> ||
    is_eigen_vector_v<X> || is_eigen_matrix_v<X> || std::is_same_v<X, std::vector<double>> ||
    std::is_same_v<X, std::vector<int>>;

// An observed variable is data, not a node: using it in an expression is an
// error on this incomplete type, whose argument is the variable's name (use
// the data itself).
template <fixed_string Name>
struct observed_variable_cannot_be_used_in_an_expression;

template <class X>
auto as_node(const X& x) {
  if constexpr (is_eigen_expression_v<X>)
    return as_node(x.eval());
  else if constexpr (is_node_v<X>)
    return x;
  else if constexpr (is_variable_v<X> && requires { x.ref(); })
    return x.ref();
  else if constexpr (is_variable_v<X>) {
    static_cast<void>(sizeof(observed_variable_cannot_be_used_in_an_expression<X::name>));
    return literal(0.0); // after the error, so that nothing else is reported
  } else if constexpr (std::is_integral_v<X> && !std::is_same_v<X, bool>)
    return literal(static_cast<double>(x));
  else if constexpr (std::is_arithmetic_v<X>)
    return literal(static_cast<double>(x));
  else if constexpr (is_eigen_vector_v<X>) {
    if constexpr (std::is_integral_v<typename X::Scalar>)
      return int_data_vector(std::vector<int>(x.data(), x.data() + x.size()));
    else
      return data_vector(x.template cast<double>());
  } else if constexpr (is_eigen_matrix_v<X>)
    return data_matrix_node(x.template cast<double>());
  else if constexpr (std::is_same_v<X, std::vector<double>>)
    return data_vector(
        Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size())));
  else if constexpr (std::is_same_v<X, std::vector<int>>)
    return int_data_vector(x);
  else
    static_assert(dependent_false<X>, "statix: this type cannot be used in a model expression; "
                                      "use a number, an Eigen vector or matrix, a std::vector, a "
                                      "variable or an expression of variables");
}

template <class X>
using node_of_t = decltype(as_node(std::declval<const X&>()));

// Integer data given where indices or counts are expected.
template <class X>
int_data_vector as_int_data(const X& x) {
  if constexpr (std::is_same_v<X, std::vector<int>>)
    return int_data_vector(x);
  else if constexpr (is_eigen_vector_v<X> && std::is_integral_v<typename X::Scalar>)
    return int_data_vector(std::vector<int>(x.data(), x.data() + x.size()));
  else
    static_assert(dependent_false<X>, "statix: indices must be integer data: an Eigen::VectorXi "
                                      "or a std::vector<int>");
}

} // namespace statix
