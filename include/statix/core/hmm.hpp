#pragma once

#include "statix/core/factor_variable.hpp"
#include "statix/core/matrix_functions.hpp"
#include "statix/math/hmm.hpp"

#include <string>

// `sx::hmm_marginal<"y">(log_omega, Gamma, rho)`: Stan's hmm_marginal as a
// term, log p(y) of a hidden Markov model with the states summed out:
// log_omega the K x N log emission densities (sx::stack_rows of sx::lpdf
// vectors), Gamma the K x K transition matrix whose rows are simplexes,
// rho the K initial probabilities. The forward algorithm and the gradient of
// the forward-backward recursions are in math/hmm.hpp.
namespace statix {

namespace ops {
struct hmm_marginal_op {
  static constexpr int rank = 0;
  static constexpr const char* name = "hmm_marginal";
  shape result_shape(const shape* s) const {
    require(s[0].rows >= 1 && s[0].cols >= 1, name, "log_omega is " + dims(s[0]));
    require(s[1].rows == s[0].rows && s[1].cols == s[0].rows, name,
            "log_omega has " + std::to_string(s[0].rows) + " rows (states) but Gamma is " +
                dims(s[1]));
    require(s[2].cols == 1 && s[2].rows == s[0].rows, name,
            "log_omega has " + std::to_string(s[0].rows) + " rows (states) but rho is " +
                dims(s[2]));
    return {1, 1};
  }
  int scratch_size(const shape* s) const { return math::hmm_scratch_size(s[0].rows, s[0].cols); }
  template <class T>
  void forward(const operand<T>* in, T* out, T* scratch) const {
    out[0] =
        math::hmm_forward(in[0].rows, in[0].cols, in[0].value, in[1].value, in[2].value, scratch);
  }
  template <class T>
  void backward(const operand<T>* in, const T* out, const T* adj, T* scratch) const {
    if (!(math::value_of(out[0]) > -INFINITY) || !(math::value_of(out[0]) < INFINITY)) return;
    math::hmm_backward(in[0].rows, in[0].cols, in[1].value, adj[0], in[0].adjoint, in[1].adjoint,
                       in[2].adjoint, scratch);
  }
};
} // namespace ops

// The marginal log density as a scalar expression.
template <class LO, class G, class R>
requires has_model_operand<LO, G, R>
auto hmm_marginal(const LO& log_omega, const G& gamma, const R& rho) {
  static_assert(node_of_t<LO>::rank == 2 && node_of_t<G>::rank == 2 && node_of_t<R>::rank == 1,
                "statix: sx::hmm_marginal(log_omega, Gamma, rho) takes a K x N matrix, a K x K "
                "matrix and a K-vector");
  return make_matrix_function(ops::hmm_marginal_op{}, as_node(log_omega), as_node(gamma),
                              as_node(rho));
}

// The same as a term of the model, reported under its name.
template <fixed_string Name, class LO, class G, class R>
requires has_model_operand<LO, G, R>
auto hmm_marginal(const LO& log_omega, const G& gamma, const R& rho) {
  return factor<Name>(hmm_marginal(log_omega, gamma, rho));
}

} // namespace statix
