#pragma once

#include "statix/core/matrix_function_node.hpp"
#include "statix/math/dual_eigen.hpp"
#include "statix/math/functions.hpp"
#include "statix/math/linear_algebra/cholesky_decompose.hpp"
#include "statix/math/linear_algebra/gp_exp_quad_cov.hpp"

#include <Eigen/Core>

#include <memory>
#include <stdexcept>
#include <string>

// The operations of matrix_function_node: each computes its result from
// whole operands with Eigen and adds the adjoints of its operands (the
// reverse-mode rules of Giles 2008, "Collected matrix derivative results").
namespace statix::ops {

template <class T>
using matrix_map = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>;
template <class T>
using const_matrix_map = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>;

template <class T>
STATIX_HD const_matrix_map<T> view(const operand<T>& o) {
  return const_matrix_map<T>(o.value, o.rows, o.cols);
}
template <class T>
STATIX_HD matrix_map<T> adjoint_view(const operand<T>& o) {
  return matrix_map<T>(o.adjoint, o.rows, o.cols);
}

inline std::string dims(const shape& s) {
  return std::to_string(s.rows) + " x " + std::to_string(s.cols);
}
inline void require(bool ok, const char* op, const std::string& what) {
  if (!ok) throw std::invalid_argument(std::string("statix: ") + op + ": " + what);
}

// Operations without scratch or constants share these.
struct no_scratch {
  int scratch_size(const shape*) const { return 0; }
};

// A * B (RB = 2) or A * v (RB = 1).
template <int RB>
struct matrix_product : no_scratch {
  static constexpr int rank = RB == 2 ? 2 : 1;
  static constexpr const char* name = "matrix * matrix";
  shape result_shape(const shape* s) const {
    require(s[0].cols == s[1].rows, name,
            "the left operand is " + dims(s[0]) + " but the right one has " +
                std::to_string(s[1].rows) + " rows");
    return {s[0].rows, s[1].cols};
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    matrix_map<T>(out, in[0].rows, in[1].cols).noalias() = view(in[0]) * view(in[1]);
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    const_matrix_map<T> g(adj, in[0].rows, in[1].cols);
    if (in[0].adjoint) adjoint_view(in[0]).noalias() += g * view(in[1]).transpose();
    if (in[1].adjoint) adjoint_view(in[1]).noalias() += view(in[0]).transpose() * g;
  }
};

struct transpose_op : no_scratch {
  static constexpr int rank = 2;
  static constexpr const char* name = "transpose";
  shape result_shape(const shape* s) const { return {s[0].cols, s[0].rows}; }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    matrix_map<T>(out, in[0].cols, in[0].rows) = view(in[0]).transpose();
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    if (in[0].adjoint)
      adjoint_view(in[0]) += const_matrix_map<T>(adj, in[0].cols, in[0].rows).transpose();
  }
};

// A + diag(d), d a scalar or a vector.
struct add_diag_op : no_scratch {
  static constexpr int rank = 2;
  static constexpr const char* name = "add_diag";
  shape result_shape(const shape* s) const {
    require(s[0].rows == s[0].cols, name, "the matrix is " + dims(s[0]) + ", not square");
    require(s[1].size() == 1 || (s[1].cols == 1 && s[1].rows == s[0].rows), name,
            "the diagonal has " + std::to_string(s[1].size()) + " values for a " + dims(s[0]) +
                " matrix");
    return s[0];
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    const int k = in[0].rows;
    matrix_map<T> m(out, k, k);
    m = view(in[0]);
    for (int i = 0; i < k; ++i)
      m(i, i) += in[1].value[in[1].size() == 1 ? 0 : i];
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    const int k = in[0].rows;
    if (in[0].adjoint)
      for (int i = 0; i < k * k; ++i)
        in[0].adjoint[i] += adj[i];
    if (in[1].adjoint)
      for (int i = 0; i < k; ++i)
        in[1].adjoint[in[1].size() == 1 ? 0 : i] += adj[i * k + i];
  }
};

// diag(v) * M.
struct diag_pre_multiply_op : no_scratch {
  static constexpr int rank = 2;
  static constexpr const char* name = "diag_pre_multiply";
  shape result_shape(const shape* s) const {
    require(s[0].cols == 1 && s[0].rows == s[1].rows, name,
            "the vector has size " + std::to_string(s[0].size()) + " but the matrix is " +
                dims(s[1]));
    return s[1];
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    matrix_map<T>(out, in[1].rows, in[1].cols) = view(in[0]).col(0).asDiagonal() * view(in[1]);
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    const_matrix_map<T> g(adj, in[1].rows, in[1].cols);
    if (in[0].adjoint) adjoint_view(in[0]).col(0) += g.cwiseProduct(view(in[1])).rowwise().sum();
    if (in[1].adjoint) adjoint_view(in[1]) += view(in[0]).col(0).asDiagonal() * g;
  }
};

// M * diag(v).
struct diag_post_multiply_op : no_scratch {
  static constexpr int rank = 2;
  static constexpr const char* name = "diag_post_multiply";
  shape result_shape(const shape* s) const {
    require(s[1].cols == 1 && s[1].rows == s[0].cols, name,
            "the matrix is " + dims(s[0]) + " but the vector has size " +
                std::to_string(s[1].size()));
    return s[0];
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    matrix_map<T>(out, in[0].rows, in[0].cols) = view(in[0]) * view(in[1]).col(0).asDiagonal();
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    const_matrix_map<T> g(adj, in[0].rows, in[0].cols);
    if (in[0].adjoint) adjoint_view(in[0]) += g * view(in[1]).col(0).asDiagonal();
    if (in[1].adjoint)
      adjoint_view(in[1]).col(0) += g.cwiseProduct(view(in[0])).colwise().sum().transpose();
  }
};

// L * L^T with L lower triangular (its upper part is not read).
struct multiply_lower_tri_self_transpose_op : no_scratch {
  static constexpr int rank = 2;
  static constexpr const char* name = "multiply_lower_tri_self_transpose";
  shape result_shape(const shape* s) const {
    require(s[0].rows == s[0].cols, name, "the matrix is " + dims(s[0]) + ", not square");
    return s[0];
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    const int k = in[0].rows;
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> lower =
        view(in[0]).template triangularView<Eigen::Lower>();
    matrix_map<T>(out, k, k).noalias() = lower * lower.transpose();
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    if (!in[0].adjoint) return;
    const int k = in[0].rows;
    const_matrix_map<T> g(adj, k, k);
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> lower =
        view(in[0]).template triangularView<Eigen::Lower>();
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> d = (g + g.transpose()) * lower;
    adjoint_view(in[0]).template triangularView<Eigen::Lower>() += d;
  }
};

// Row i or column j of a matrix, as a vector.
struct row_op : no_scratch {
  static constexpr int rank = 1;
  static constexpr const char* name = "row";
  int i = 0;
  shape result_shape(const shape* s) const {
    require(i >= 0 && i < s[0].rows, name,
            "row " + std::to_string(i) + " of a " + dims(s[0]) + " matrix (0-based)");
    return {s[0].cols, 1};
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    for (int j = 0; j < in[0].cols; ++j)
      out[j] = in[0].value[i + j * in[0].rows];
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    if (in[0].adjoint)
      for (int j = 0; j < in[0].cols; ++j)
        in[0].adjoint[i + j * in[0].rows] += adj[j];
  }
};
struct col_op : no_scratch {
  static constexpr int rank = 1;
  static constexpr const char* name = "col";
  int j = 0;
  shape result_shape(const shape* s) const {
    require(j >= 0 && j < s[0].cols, name,
            "column " + std::to_string(j) + " of a " + dims(s[0]) + " matrix (0-based)");
    return {s[0].rows, 1};
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    for (int r = 0; r < in[0].rows; ++r)
      out[r] = in[0].value[r + j * in[0].rows];
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    if (in[0].adjoint)
      for (int r = 0; r < in[0].rows; ++r)
        in[0].adjoint[r + j * in[0].rows] += adj[r];
  }
};

// N vectors of equal size as the rows of an N x K matrix.
template <int N>
struct stack_rows_op : no_scratch {
  static constexpr int rank = 2;
  static constexpr const char* name = "stack_rows";
  shape result_shape(const shape* s) const {
    for (int n = 0; n < N; ++n)
      require(s[n].cols == 1 && s[n].rows == s[0].rows, name,
              "row " + std::to_string(n) + " has " + std::to_string(s[n].size()) +
                  " values, row 0 has " + std::to_string(s[0].rows));
    return {N, s[0].rows};
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    const int k = in[0].rows;
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < k; ++j)
        out[n + j * N] = in[n].value[in[n].size() == 1 ? 0 : j];
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    const int k = in[0].rows;
    for (int n = 0; n < N; ++n)
      if (in[n].adjoint)
        for (int j = 0; j < k; ++j)
          in[n].adjoint[j] += adj[n + j * N];
  }
};

// softmax(v)_i = exp(v_i) / sum_j exp(v_j), computed from the maximum.
struct softmax_op : no_scratch {
  static constexpr int rank = 1;
  static constexpr const char* name = "softmax";
  shape result_shape(const shape* s) const {
    require(s[0].cols == 1, name, "takes a vector, got " + dims(s[0]));
    return s[0];
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    const int k = in[0].rows;
    T m = in[0].value[0];
    for (int i = 1; i < k; ++i)
      if (in[0].value[i] > m) m = in[0].value[i];
    T total(0.0);
    for (int i = 0; i < k; ++i)
      total += (out[i] = math::exp(T(in[0].value[i] - m)));
    for (int i = 0; i < k; ++i)
      out[i] /= total;
  }
  template <class T>
  void backward(const operand<T>* in, const T* out, const T* adj, T*) const {
    if (!in[0].adjoint) return;
    const int k = in[0].rows;
    T inner(0.0);
    for (int i = 0; i < k; ++i)
      inner += adj[i] * out[i];
    for (int i = 0; i < k; ++i)
      in[0].adjoint[i] += out[i] * (adj[i] - inner);
  }
};

// log_softmax(v)_i = v_i - log_sum_exp(v).
struct log_softmax_op : no_scratch {
  static constexpr int rank = 1;
  static constexpr const char* name = "log_softmax";
  shape result_shape(const shape* s) const {
    require(s[0].cols == 1, name, "takes a vector, got " + dims(s[0]));
    return s[0];
  }
  template <class T>
  static T log_sum_exp_of(const T* v, int k) {
    T m = v[0];
    for (int i = 1; i < k; ++i)
      if (v[i] > m) m = v[i];
    if (!(math::value_of(m) > -INFINITY) || !(math::value_of(m) < INFINITY)) return m;
    T total(0.0);
    for (int i = 0; i < k; ++i)
      total += math::exp(T(v[i] - m));
    return m + math::log(total);
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    const int k = in[0].rows;
    const T lse = log_sum_exp_of(in[0].value, k);
    for (int i = 0; i < k; ++i)
      out[i] = in[0].value[i] - lse;
  }
  template <class T>
  void backward(const operand<T>* in, const T* out, const T* adj, T*) const {
    if (!in[0].adjoint) return;
    const int k = in[0].rows;
    T total(0.0);
    for (int i = 0; i < k; ++i)
      total += adj[i];
    for (int i = 0; i < k; ++i)
      in[0].adjoint[i] += adj[i] - math::exp(out[i]) * total;
  }
};

// log(sum(exp(v))) over a vector or a matrix's elements.
struct log_sum_exp_op : no_scratch {
  static constexpr int rank = 0;
  static constexpr const char* name = "log_sum_exp";
  shape result_shape(const shape*) const { return {1, 1}; }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    out[0] = log_softmax_op::log_sum_exp_of(in[0].value, in[0].size());
  }
  template <class T>
  void backward(const operand<T>* in, const T* out, const T* adj, T*) const {
    if (!in[0].adjoint || !(math::value_of(out[0]) > -INFINITY)) return;
    for (int i = 0, n = in[0].size(); i < n; ++i)
      in[0].adjoint[i] += adj[0] * math::exp(T(in[0].value[i] - out[0]));
  }
};

struct cumulative_sum_op : no_scratch {
  static constexpr int rank = 1;
  static constexpr const char* name = "cumulative_sum";
  shape result_shape(const shape* s) const {
    require(s[0].cols == 1, name, "takes a vector, got " + dims(s[0]));
    return s[0];
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    T total(0.0);
    for (int i = 0; i < in[0].rows; ++i)
      out[i] = (total += in[0].value[i]);
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    if (!in[0].adjoint) return;
    T total(0.0);
    for (int i = in[0].rows - 1; i >= 0; --i)
      in[0].adjoint[i] += (total += adj[i]);
  }
};

// v . v (the sum of squares of a vector's or a matrix's elements).
struct dot_self_op : no_scratch {
  static constexpr int rank = 0;
  static constexpr const char* name = "dot_self";
  shape result_shape(const shape*) const { return {1, 1}; }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    T total(0.0);
    for (int i = 0, n = in[0].size(); i < n; ++i)
      total += in[0].value[i] * in[0].value[i];
    out[0] = total;
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T*) const {
    if (in[0].adjoint)
      for (int i = 0, n = in[0].size(); i < n; ++i)
        in[0].adjoint[i] += 2.0 * adj[0] * in[0].value[i];
  }
};

// B^T A B: a matrix for a matrix B, a scalar for a vector b.
template <int RB>
struct quad_form_op {
  static constexpr int rank = RB == 2 ? 2 : 0;
  static constexpr const char* name = "quad_form";
  shape result_shape(const shape* s) const {
    require(s[0].rows == s[0].cols && s[0].cols == s[1].rows, name,
            "A is " + dims(s[0]) + " and B has " + std::to_string(s[1].rows) + " rows");
    return {s[1].cols, s[1].cols};
  }
  int scratch_size(const shape* s) const { return s[0].rows * s[1].cols; } // A B
  template <class T>
  void forward(const operand<T>* in, T* out, T* scratch) const {
    matrix_map<T> ab(scratch, in[0].rows, in[1].cols);
    ab.noalias() = view(in[0]) * view(in[1]);
    matrix_map<T>(out, in[1].cols, in[1].cols).noalias() = view(in[1]).transpose() * ab;
  }
  template <class T>
  void backward(const operand<T>* in, const T*, const T* adj, T* scratch) const {
    const_matrix_map<T> g(adj, in[1].cols, in[1].cols);
    const_matrix_map<T> ab(scratch, in[0].rows, in[1].cols);
    if (in[0].adjoint) adjoint_view(in[0]).noalias() += view(in[1]) * g * view(in[1]).transpose();
    if (in[1].adjoint)
      adjoint_view(in[1]).noalias() +=
          ab * g.transpose() + view(in[0]).transpose() * view(in[1]) * g;
  }
};

// The lower Cholesky factor of a symmetric positive-definite matrix; its
// reverse mode is Murray's blocked algorithm (math::cholesky_decompose_adjoint),
// not the loops differentiated. A matrix that is not positive definite gives
// NaN (a rejected point).
struct cholesky_decompose_op {
  static constexpr int rank = 2;
  static constexpr const char* name = "cholesky_decompose";
  shape result_shape(const shape* s) const {
    require(s[0].rows == s[0].cols, name, "the matrix is " + dims(s[0]) + ", not square");
    return s[0];
  }
  int scratch_size(const shape* s) const { return math::cholesky_adjoint_scratch_size(s[0].rows); }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    const int k = in[0].rows;
    if (!math::cholesky_decompose(k, in[0].value, out))
      for (int i = 0; i < k * k; ++i)
        out[i] = T(NAN);
  }
  template <class T>
  void backward(const operand<T>* in, const T* out, const T* adj, T* scratch) const {
    if (in[0].adjoint)
      math::cholesky_decompose_adjoint(in[0].rows, out, adj, in[0].adjoint, scratch);
  }
};

// K(i, j) = alpha^2 exp(-|x_i - x_j|^2 / (2 rho^2)) over data points x (a
// vector of N numbers, or the N rows of a matrix), held by the operation.
struct gp_exp_quad_cov_op : no_scratch {
  static constexpr int rank = 2;
  static constexpr const char* name = "gp_exp_quad_cov";
  std::shared_ptr<const Eigen::MatrixXd> x_storage;
  const double* x = nullptr;
  int n = 0;
  int d = 1;

  explicit gp_exp_quad_cov_op(Eigen::MatrixXd points)
      : x_storage(std::make_shared<const Eigen::MatrixXd>(std::move(points))), x(x_storage->data()),
        n(static_cast<int>(x_storage->rows())), d(static_cast<int>(x_storage->cols())) {
    for (int i = 0; i < n * d; ++i)
      require(std::isfinite(x[i]), name,
              "the input points have a non-finite value at index " + std::to_string(i));
  }
  shape result_shape(const shape* s) const {
    require(s[0].size() == 1 && s[1].size() == 1, name, "alpha and rho are scalars");
    return {n, n};
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    x = relocate(x, n * d);
  }
  template <class T>
  void forward(const operand<T>* in, T* out, T*) const {
    math::gp_exp_quad_cov(n, d, x, in[0].value[0], in[1].value[0], out);
  }
  template <class T>
  void backward(const operand<T>* in, const T* out, const T* adj, T*) const {
    T unused_alpha(0.0), unused_rho(0.0);
    math::gp_exp_quad_cov_adjoint(n, d, x, in[0].value[0], in[1].value[0], out, adj,
                                  in[0].adjoint ? in[0].adjoint : &unused_alpha,
                                  in[1].adjoint ? in[1].adjoint : &unused_rho);
  }
};

} // namespace statix::ops
