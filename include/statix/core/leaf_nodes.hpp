#pragma once

#include "statix/base/macros.hpp"
#include "statix/base/name_list.hpp"
#include "statix/core/eval_context.hpp"
#include "statix/core/layout.hpp"
#include "statix/core/node.hpp"
#include "statix/core/node_shape.hpp"

#include <Eigen/Core>

#include <cmath>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace statix {

template <class Derived>
struct node_base : node_tag {
  // Whether element i is a function of element i of the leaves alone (no
  // node below keeps a workspace slot of its own).
  static constexpr bool elementwise = true;
  // Whether backprop(ctx, i, adj) writes element i of the adjoints alone (or
  // a scalar's summed adjoint): false for a gather or the pick of one
  // element, where iterations of an element loop write the same adjoint.
  static constexpr bool writes_own_element = true;

  // Gather `v[idx]` with an integer data array, or pick one element `v[k]`;
  // defined with the gather nodes.
  template <class Index>
  auto operator[](const Index& index) const;

  void bind(slot_layout&) {}
  template <class T>
  STATIX_HD void forward(eval_context<T>&) const {}
  template <class T>
  STATIX_HD void backward(eval_context<T>&) const {}
  // Reads the scalar variables among the leaves into an element loop's
  // context (summing_context); nothing for most nodes.
  template <class Ctx>
  STATIX_HD void cache_scalars(Ctx&) const {}
  void check_data(const std::string&, const std::string&) const {}
  // Points the node's data at another copy of it (device memory for the
  // many-chain path): relocate(pointer, count) returns the new pointer.
  template <class Relocate>
  void rebind_data(Relocate&&) {}
};

// A number known when the model is built.
struct literal : node_base<literal> {
  static constexpr int rank = 0;
  static constexpr bool varies = false;
  using refs = name_list<>;

  double value_;
  double reciprocal_; // 1 / value_, for a kernel that would divide by it

  explicit literal(double v) : value_(v), reciprocal_(1.0 / v) {}
  STATIX_HD int size() const { return 1; }
  template <class Ctx>
  STATIX_HD double value(const Ctx&, int) const {
    return value_;
  }
  void prepare_reciprocals() {}
  STATIX_HD double reciprocal(int) const { return reciprocal_; }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx&, int, const T&) const {}
  void check_data(const std::string& variable, const std::string& what) const {
    if (!std::isfinite(value_))
      throw std::invalid_argument("statix: variable \"" + variable + "\": " + what +
                                  " is not finite (" + std::to_string(value_) + ")");
  }
  double data_at(int) const { return value_; }
};

// The lower bound 0 of a positive or non-negative support, known at compile
// time: the transform is exp(x) itself, with no addition and no test of the
// bound (free_slot asks for it by type).
struct zero_literal : node_base<zero_literal> {
  static constexpr int rank = 0;
  static constexpr bool varies = false;
  using refs = name_list<>;

  STATIX_HD int size() const { return 1; }
  template <class Ctx>
  STATIX_HD double value(const Ctx&, int) const {
    return 0.0;
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx&, int, const T&) const {}
  double data_at(int) const { return 0.0; }
};

namespace detail {
inline std::string format_number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

inline void check_finite_data(const double* data, int n, const std::string& variable,
                              const std::string& what) {
  for (int i = 0; i < n; ++i)
    if (!std::isfinite(data[i]))
      throw std::invalid_argument("statix: variable \"" + variable + "\": " + what +
                                  " has a non-finite value (" + std::to_string(data[i]) +
                                  ") at index " + std::to_string(i));
}
} // namespace detail

// A real data vector. The model shares one copy of the data between its
// copies; evaluation reads through a raw pointer.
struct data_vector : node_base<data_vector> {
  static constexpr int rank = 1;
  static constexpr bool varies = false;
  using refs = name_list<>;

  std::shared_ptr<const Eigen::VectorXd> storage_;
  const double* data_ = nullptr;
  int size_ = 0;
  // 1 / each value, made only for a term whose kernel takes them (a scale
  // given as data): the kernel then multiplies instead of dividing.
  std::shared_ptr<const Eigen::VectorXd> reciprocal_storage_;
  const double* reciprocal_ = nullptr;

  explicit data_vector(Eigen::VectorXd v)
      : storage_(std::make_shared<const Eigen::VectorXd>(std::move(v))), data_(storage_->data()),
        size_(static_cast<int>(storage_->size())) {}

  STATIX_HD int size() const { return size_; }
  template <class Ctx>
  STATIX_HD double value(const Ctx&, int i) const {
    return data_[i];
  }
  void prepare_reciprocals() {
    if (reciprocal_ != nullptr) return;
    reciprocal_storage_ = std::make_shared<const Eigen::VectorXd>(storage_->cwiseInverse());
    reciprocal_ = reciprocal_storage_->data();
  }
  STATIX_HD double reciprocal(int i) const { return reciprocal_[i]; }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx&, int, const T&) const {}
  void check_data(const std::string& variable, const std::string& what) const {
    detail::check_finite_data(data_, size_, variable, what);
  }
  double data_at(int i) const { return data_[i]; }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    data_ = relocate(data_, size_);
    if (reciprocal_ != nullptr) reciprocal_ = relocate(reciprocal_, size_);
  }
};

// Integer data: counts, 0/1 outcomes, group indices.
struct int_data_vector : node_base<int_data_vector> {
  static constexpr int rank = 1;
  static constexpr bool varies = false;
  using refs = name_list<>;

  std::shared_ptr<const std::vector<int>> storage_;
  const int* data_ = nullptr;
  int size_ = 0;

  explicit int_data_vector(std::vector<int> v)
      : storage_(std::make_shared<const std::vector<int>>(std::move(v))), data_(storage_->data()),
        size_(static_cast<int>(storage_->size())) {}

  STATIX_HD int size() const { return size_; }
  template <class Ctx>
  STATIX_HD int value(const Ctx&, int i) const {
    return data_[i];
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx&, int, const T&) const {}
  double data_at(int i) const { return data_[i]; }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    data_ = relocate(data_, size_);
  }
};

struct int_literal : node_base<int_literal> {
  static constexpr int rank = 0;
  static constexpr bool varies = false;
  using refs = name_list<>;

  int value_;
  explicit int_literal(int v) : value_(v) {}
  STATIX_HD int size() const { return 1; }
  template <class Ctx>
  STATIX_HD int value(const Ctx&, int) const {
    return value_;
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx&, int, const T&) const {}
  double data_at(int) const { return value_; }
};

// A real data matrix (the left operand of a matrix-vector product).
struct data_matrix {
  std::shared_ptr<const Eigen::MatrixXd> storage_;
  explicit data_matrix(Eigen::MatrixXd m)
      : storage_(std::make_shared<const Eigen::MatrixXd>(std::move(m))) {}
  const Eigen::MatrixXd& matrix() const { return *storage_; }
};

// A real data matrix as an expression (rank 2, column-major): the operand of
// a matrix product, the rows of a multivariate observation.
struct data_matrix_node : node_base<data_matrix_node> {
  static constexpr int rank = 2;
  static constexpr bool varies = false;
  using refs = name_list<>;

  std::shared_ptr<const Eigen::MatrixXd> storage_;
  const double* data_ = nullptr;
  int rows_ = 0;
  int cols_ = 0;

  explicit data_matrix_node(Eigen::MatrixXd m)
      : storage_(std::make_shared<const Eigen::MatrixXd>(std::move(m))), data_(storage_->data()),
        rows_(static_cast<int>(storage_->rows())), cols_(static_cast<int>(storage_->cols())) {}

  STATIX_HD int size() const { return rows_ * cols_; }
  STATIX_HD int rows() const { return rows_; }
  STATIX_HD int cols() const { return cols_; }
  template <class Ctx>
  STATIX_HD double value(const Ctx&, int i) const {
    return data_[i];
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx&, int, const T&) const {}
  void check_data(const std::string& variable, const std::string& what) const {
    detail::check_finite_data(data_, size(), variable, what);
  }
  double data_at(int i) const { return data_[i]; }
  // Contiguous values, read in place by the matrix kernels.
  STATIX_HD const double* data() const { return data_; }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    data_ = relocate(data_, size());
  }
};

// A read of variable `Name` (a free variable on the constrained scale or a
// deterministic) from the workspace, or, Direct, of a free variable without
// bounds from the unconstrained point (offset_ is then its position there).
template <class Name, int Rank, bool Direct = false>
struct variable_ref : node_base<variable_ref<Name, Rank, Direct>> {
  static constexpr int rank = Rank;
  static constexpr bool varies = true;
  static constexpr auto name = Name::value;
  using refs = name_list<Name>;

  int size_ = 1;
  int offset_ = -1;
  int cols_ = 1; // a matrix's columns (size_ / cols_ rows)

  STATIX_HD explicit variable_ref(int size, int cols = 1) : size_(size), cols_(cols) {}
  STATIX_HD int size() const { return Rank == 0 ? 1 : size_; }
  STATIX_HD int rows() const { return Rank == 2 ? size_ / cols_ : size(); }
  STATIX_HD int cols() const { return Rank == 2 ? cols_ : 1; }
  void bind(slot_layout& layout) {
    const auto& entry = layout.find(Name::value.view());
    offset_ = Direct ? entry.unconstrained_offset : entry.offset;
  }

  template <class Ctx>
  STATIX_HD const typename Ctx::scalar_type& value(const Ctx& ctx, int i) const {
    if constexpr (Rank == 0)
      return ctx.template scalar_value<Name, Direct>(offset_);
    else
      return ctx.template vector_values<Name, Direct>(offset_)[i];
  }
  template <class Ctx>
  STATIX_HD void cache_scalars(Ctx& ctx) const {
    if constexpr (Rank == 0)
      ctx.template cache_scalar<Name, Direct>(offset_);
    else
      ctx.template cache_vector<Name, Direct>(offset_);
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int i, const T& adj) const {
    if constexpr (Rank == 0)
      ctx.template add_scalar_adjoint<Name, Direct>(offset_, adj);
    else
      ctx.template adjoint_element<Name, Direct>(offset_, i) += adj;
  }
  // The first write to the adjoint in an evaluation (the variable's own
  // prior term, evaluated before every term that reads the variable):
  // assigned, so the adjoint needs no clearing beforehand.
  template <class Ctx, class T>
  STATIX_HD void set_adjoint(Ctx& ctx, int i, const T& adj) const {
    if constexpr (Rank == 0)
      ctx.template adjoint_base<Direct>()[offset_] = adj;
    else
      ctx.template adjoint_element<Name, Direct>(offset_, i) = adj;
  }
};

} // namespace statix
