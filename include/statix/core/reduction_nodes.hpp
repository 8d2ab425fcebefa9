#pragma once

#include "statix/core/leaf_nodes.hpp"
#include "statix/core/one_child_node.hpp"

#include <stdexcept>
#include <string>
#include <type_traits>

namespace statix {

// Nodes whose elements are not elementwise functions of their operands'
// elements. Each computes its result once per evaluation into a workspace
// slot (forward), its consumers read and add adjoints to that slot, and
// backward pushes the slot's adjoint to the operands as one vector operation.
template <class Derived, int Rank>
struct stored_node : node_base<Derived> {
  static constexpr int rank = Rank;
  static constexpr bool elementwise = false;
  // A scalar result read in an element loop takes its adjoint from every
  // element.
  static constexpr bool writes_own_element = Rank >= 1;
  int offset_ = -1;

  template <class Ctx>
  STATIX_HD const typename Ctx::scalar_type& value(const Ctx& ctx, int i) const {
    if constexpr (Rank == 0)
      return ctx.values[offset_];
    else
      return ctx.values[offset_ + i];
  }
  // The slot's adjoints start at zero; called by forward, so no pass over
  // the whole workspace is needed.
  template <class T>
  STATIX_HD void clear_adjoints(eval_context<T>& ctx, int n) const {
    if (ctx.adjoints != nullptr)
      for (int j = 0; j < n; ++j)
        ctx.adjoints[offset_ + j] = T(0.0);
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int i, const T& adj) const {
    if constexpr (Rank == 0)
      ctx.adjoints[offset_] += adj;
    else
      ctx.adjoints[offset_ + i] += adj;
  }
};

// sum(v): the elements' total.
template <class A>
struct sum_node : one_child_node<sum_node<A>, A, stored_node<sum_node<A>, 0>> {
  static constexpr bool varies = A::varies;
  using refs = typename A::refs;
  using one_child_node<sum_node<A>, A, stored_node<sum_node<A>, 0>>::a;

  explicit sum_node(A a_)
      : one_child_node<sum_node<A>, A, stored_node<sum_node<A>, 0>>(std::move(a_)) {}
  STATIX_HD int size() const { return 1; }
  void bind(slot_layout& layout) {
    a.bind(layout);
    this->offset_ = layout.allocate(1);
  }
  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    a.forward(ctx);
    T total(0.0);
    const int n = a.size();
    for (int j = 0; j < n; ++j)
      total += a.value(ctx, j);
    ctx.values[this->offset_] = total;
    this->clear_adjoints(ctx, 1);
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    if constexpr (A::varies) {
      const T adj = ctx.adjoints[this->offset_];
      const int n = a.size();
      summing_context<T, typename A::refs> element_ctx(ctx, a);
      for (int j = 0; j < n; ++j)
        a.backprop(element_ctx, j, adj);
      element_ctx.flush();
      a.backward(ctx);
    }
  }
};

// dot(a, b) of two vectors of the same size.
template <class A, class B>
struct dot_node : stored_node<dot_node<A, B>, 0> {
  static constexpr bool varies = A::varies || B::varies;
  using refs = concat_names_t<typename A::refs, typename B::refs>;
  A a;
  B b;

  dot_node(A a_, B b_) : a(std::move(a_)), b(std::move(b_)) {
    static_assert(A::rank == 1 && B::rank == 1, "statix: dot(a, b) takes two vectors");
    if (a.size() != b.size())
      throw std::invalid_argument("statix: dot(a, b) of vectors of sizes " +
                                  std::to_string(a.size()) + " and " + std::to_string(b.size()));
  }
  STATIX_HD int size() const { return 1; }
  void bind(slot_layout& layout) {
    a.bind(layout);
    b.bind(layout);
    this->offset_ = layout.allocate(1);
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    a.rebind_data(relocate);
    b.rebind_data(relocate);
  }
  void check_data(const std::string& v, const std::string& w) const {
    a.check_data(v, w);
    b.check_data(v, w);
  }
  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    a.forward(ctx);
    b.forward(ctx);
    T total(0.0);
    const int n = a.size();
    for (int j = 0; j < n; ++j)
      total += a.value(ctx, j) * b.value(ctx, j);
    ctx.values[this->offset_] = total;
    this->clear_adjoints(ctx, 1);
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    const T adj = ctx.adjoints[this->offset_];
    const int n = a.size();
    summing_context<T, refs> element_ctx(ctx, a, b);
    for (int j = 0; j < n; ++j) {
      if constexpr (A::varies) a.backprop(element_ctx, j, T(adj * b.value(element_ctx, j)));
      if constexpr (B::varies) b.backprop(element_ctx, j, T(adj * a.value(element_ctx, j)));
    }
    element_ctx.flush();
    b.backward(ctx);
    a.backward(ctx);
  }
};

// X * v with X a data matrix: the vector v is gathered into the workspace
// once, the product is one Eigen matrix-vector product, and its adjoint is
// X^T * adj (on the host for double; plain loops for forward-mode scalars and
// in device code).
template <class A>
struct matvec_node : stored_node<matvec_node<A>, 1> {
  static constexpr bool varies = A::varies;
  using refs = typename A::refs;
  static_assert(A::rank == 1, "statix: a matrix times a scalar is not a matrix-vector product; "
                              "the right operand of matrix * vector must be a vector");

  data_matrix x;
  A a;
  const double* x_data_ = nullptr; // column-major rows_ x cols_
  int rows_ = 0;
  int cols_ = 0;
  int operand_offset_ = -1; // a copy of v, and its adjoint

  matvec_node(data_matrix x_, A a_)
      : x(std::move(x_)), a(std::move(a_)), x_data_(x.matrix().data()),
        rows_(static_cast<int>(x.matrix().rows())), cols_(static_cast<int>(x.matrix().cols())) {
    if (cols_ != a.size())
      throw std::invalid_argument("statix: matrix * vector with a " + std::to_string(rows_) + "x" +
                                  std::to_string(cols_) + " matrix and a vector of size " +
                                  std::to_string(a.size()));
  }
  STATIX_HD int size() const { return rows_; }
  void bind(slot_layout& layout) {
    a.bind(layout);
    this->offset_ = layout.allocate(rows_);
    operand_offset_ = layout.allocate(cols_);
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    x_data_ = relocate(x_data_, rows_ * cols_);
    a.rebind_data(relocate);
  }
  void check_data(const std::string& v, const std::string& w) const {
    detail::check_finite_data(x_data_, rows_ * cols_, v, w);
    a.check_data(v, w);
  }
  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    a.forward(ctx);
    this->clear_adjoints(ctx, rows_);
    T* operand = ctx.values + operand_offset_;
    for (int j = 0; j < cols_; ++j)
      operand[j] = a.value(ctx, j);
    T* out = ctx.values + this->offset_;
#if !STATIX_DEVICE_CODE
    if constexpr (std::is_same_v<T, double>) {
      Eigen::Map<Eigen::VectorXd>(out, rows_).noalias() =
          Eigen::Map<const Eigen::MatrixXd>(x_data_, rows_, cols_) *
          Eigen::Map<const Eigen::VectorXd>(operand, cols_);
      return;
    }
#endif
    for (int r = 0; r < rows_; ++r)
      out[r] = T(0.0);
    for (int j = 0; j < cols_; ++j) {
      const double* column = x_data_ + static_cast<long>(j) * rows_;
      for (int r = 0; r < rows_; ++r)
        out[r] += column[r] * operand[j];
    }
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    if constexpr (A::varies) {
      const T* adj = ctx.adjoints + this->offset_;
      T* operand_adj = ctx.adjoints + operand_offset_;
      bool done = false;
#if !STATIX_DEVICE_CODE
      if constexpr (std::is_same_v<T, double>) {
        Eigen::Map<Eigen::VectorXd>(operand_adj, cols_).noalias() =
            Eigen::Map<const Eigen::MatrixXd>(x_data_, rows_, cols_).transpose() *
            Eigen::Map<const Eigen::VectorXd>(adj, rows_);
        done = true;
      }
#endif
      if (!done) {
        for (int j = 0; j < cols_; ++j) {
          const double* column = x_data_ + static_cast<long>(j) * rows_;
          T s(0.0);
          for (int r = 0; r < rows_; ++r)
            s += column[r] * adj[r];
          operand_adj[j] = s;
        }
      }
      summing_context<T, typename A::refs> element_ctx(ctx, a);
      for (int j = 0; j < cols_; ++j)
        a.backprop(element_ctx, j, operand_adj[j]);
      element_ctx.flush();
      a.backward(ctx);
    }
  }
};

} // namespace statix
