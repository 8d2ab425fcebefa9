#pragma once

#include <Eigen/Core>

#include "statix/math/dual_eigen.hpp"

// Column-major raw arrays seen as Eigen matrices: the kernels of this folder
// take and fill plain buffers (the model core owns the storage) and do their
// arithmetic through these maps, for double and for dual<double, N> alike.
namespace statix::math::detail {

template <class T>
using matrix_map = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>;
template <class T>
using const_matrix_map = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>;
template <class T>
using vector_map = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>;
template <class T>
using const_vector_map = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>;

} // namespace statix::math::detail
