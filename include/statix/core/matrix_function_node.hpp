#pragma once

#include "statix/core/operand_buffers.hpp"
#include "statix/core/reduction_nodes.hpp"

#include <string>
#include <utility>

namespace statix {

// A node whose value is a function of whole arrays (a matrix product, a
// Cholesky factor, a covariance function, a softmax): Op computes the result
// into the node's slot from its arguments' values, and adds the arguments'
// adjoints from the result's adjoint. Op's interface:
//   static constexpr int rank;                    of the result
//   static constexpr const char* name;
//   shape result_shape(const shape* args) const;  throws on a mismatch
//   int scratch_size(const shape* args) const;    T values of scratch
//   void forward(const operand<T>* args, T* out, T* scratch) const;
//   void backward(const operand<T>* args, const T* out, const T* out_adjoint,
//                 T* scratch) const;              adds to args[k].adjoint
// A result that cannot be computed (a matrix that is not positive definite)
// is NaN: the density is then non-finite and the model rejects the point.
template <class Op, class... A>
struct matrix_function_node : stored_node<matrix_function_node<Op, A...>, Op::rank> {
  static constexpr bool varies = (A::varies || ...);
  using refs = concat_names_t<typename A::refs...>;
  static constexpr std::size_t num_args = sizeof...(A);

  Op op;
  operand_buffers<A...> buffers;
  shape shape_;
  int scratch_offset_ = -1;
  int scratch_size_ = 0;

  matrix_function_node(Op o, A... a) : op(std::move(o)), buffers(std::move(a)...) {
    shape s[num_args > 0 ? num_args : 1];
    buffers.shapes(s);
    shape_ = op.result_shape(s);
    scratch_size_ = op.scratch_size(s);
  }
  STATIX_HD int size() const { return shape_.size(); }
  STATIX_HD int rows() const { return shape_.rows; }
  STATIX_HD int cols() const { return shape_.cols; }

  void bind(slot_layout& layout) {
    buffers.bind(layout);
    this->offset_ = layout.allocate(size());
    scratch_offset_ = layout.allocate(scratch_size_);
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    buffers.rebind_data(relocate);
    if constexpr (requires { op.rebind_data(relocate); }) op.rebind_data(relocate);
  }
  void check_data(const std::string& v, const std::string& w) const { buffers.check_data(v, w); }

  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    buffers.forward(ctx);
    operand<T> in[num_args > 0 ? num_args : 1];
    operands(ctx, in);
    op.forward(in, ctx.values + this->offset_, ctx.values + scratch_offset_);
    this->clear_adjoints(ctx, size());
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    if constexpr (varies) {
      operand<T> in[num_args > 0 ? num_args : 1];
      operands(ctx, in);
      op.backward(in, ctx.values + this->offset_, ctx.adjoints + this->offset_,
                  ctx.values + scratch_offset_);
      buffers.backward(ctx);
    }
  }

private:
  template <class T>
  STATIX_HD void operands(const eval_context<T>& ctx, operand<T>* in) const {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((in[K] = buffers.template get<K>(ctx)), ...);
    }
    (std::make_index_sequence<num_args>{});
  }
};

template <class Op, class... A>
auto make_matrix_function(Op op, A... a) {
  return matrix_function_node<Op, A...>(std::move(op), std::move(a)...);
}

} // namespace statix
