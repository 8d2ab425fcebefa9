#pragma once

#include "statix/core/node_shape.hpp"
#include "statix/core/operand_buffers.hpp"

#include <string>
#include <utility>

namespace statix {

// log p(y | params) of a family over a whole variate (multi_normal's rows,
// a Dirichlet simplex, an LKJ Cholesky factor): the parameters are evaluated
// into workspace slots (operand_buffers), Family::lpdf reads them with the
// variate and adds every partial to their adjoints, and backward() pushes
// them on. Family's interface:
//   static constexpr const char* family_name;
//   static constexpr const char* param_names[num_params];
//   static constexpr bool is_discrete;          integer data as the variate
//   static int scratch_size(shape y, const shape* params);
//   static void check(const std::string& variable, shape y, int y_rank,
//                     const shape* params);     throws naming the variable
//   static T lpdf<Propto, Varying>(const operand<T>& y (or int_operand y),
//                         const operand<T>* params, T* scratch);
//                                             Varying: bit k set when
//                                             parameter k is not a constant
template <class Family, class... P>
struct multivariate_term {
  static constexpr int num_params = sizeof...(P);
  static constexpr bool params_vary = (P::varies || ...);
  // Bit k: parameter k depends on a parameter (else Propto may drop the
  // terms that depend on it alone, as Stan's include_summand does).
  static constexpr unsigned varying_params = [] {
    unsigned mask = 0, bit = 1;
    ((mask |= P::varies ? bit : 0u, bit <<= 1), ...);
    return mask;
  }();
  using refs = concat_names_t<typename P::refs...>;

  operand_buffers<P...> params;
  int scratch_offset_ = -1;
  int scratch_size_ = 0;

  explicit multivariate_term(P... p) : params(std::move(p)...) {}

  void param_shapes(shape* out) const { params.shapes(out); }

  // Shapes and constant data checked when the variable is declared.
  void validate(const std::string& variable, shape y, int y_rank) const {
    shape s[num_params > 0 ? num_params : 1];
    params.shapes(s);
    Family::check(variable, y, y_rank, s);
    int k = 0;
    params.for_each([&](const auto& p) {
      p.check_data(variable, std::string("parameter ") + Family::param_names[k] + " of " +
                                 Family::family_name);
      ++k;
    });
  }
  void bind(slot_layout& layout, shape y) {
    params.bind(layout);
    shape s[num_params > 0 ? num_params : 1];
    params.shapes(s);
    scratch_size_ = Family::scratch_size(y, s);
    scratch_offset_ = layout.allocate(scratch_size_);
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    params.rebind_data(relocate);
  }

  // The term over a real variate y (its values, and its adjoint or null).
  template <bool Propto, bool Grad, class T, class Y>
  STATIX_HD T evaluate(eval_context<T>& ctx, const Y& y) const {
    constexpr bool varies = params_vary || !Family::is_discrete;
    if constexpr (Propto && !varies) {
      return T(0.0);
    } else {
      params.forward(ctx);
      operand<T> p[num_params > 0 ? num_params : 1];
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((p[K] = params.template get<K>(ctx)), ...);
      }
      (std::make_index_sequence<num_params>{});
      if constexpr (!Grad)
        for (int k = 0; k < num_params; ++k)
          p[k].adjoint = nullptr;
      const T lp =
          Family::template lpdf<Propto, varying_params>(y, p, ctx.values + scratch_offset_);
      if constexpr (Grad && params_vary) params.backward(ctx);
      return lp;
    }
  }
};

} // namespace statix
