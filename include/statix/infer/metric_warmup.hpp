#pragma once

#include <statix/base/runtime_linkage.hpp>

// The metric half of a warm-up, whichever way it learns: Stan's windowed
// estimate from draws, or the Fisher estimate from draws and gradients. The
// chain sees one interface; the step size half (dual averaging) is the same
// for both and follows the step_size_action each draw returns.

#include <statix/infer/fisher_adaptation.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/step_size_action.hpp>
#include <statix/infer/windowed_adaptation.hpp>

#include <utility>
#include <variant>

namespace statix {

// A template for the same reason as basic_fisher_metric_adaptation.
template <class = void>
class basic_metric_warmup {
public:
  explicit basic_metric_warmup(windowed_metric_adaptation windowed) : impl_(std::move(windowed)) {}
  explicit basic_metric_warmup(fisher_metric_adaptation fisher) : impl_(std::move(fisher)) {}

  // At the initial point, before the first draw (the Fisher warm-up takes its
  // first metric from the initial gradient; the windowed one waits).
  void start(const phase_point& z, euclidean_metric& target) {
    if (auto* fisher = std::get_if<fisher_metric_adaptation>(&impl_)) fisher->start(z, target);
  }

  // Feeds warm-up draw `iteration` (0-based).
  step_size_action learn(int iteration, const phase_point& z, euclidean_metric& target) {
    if (auto* fisher = std::get_if<fisher_metric_adaptation>(&impl_))
      return fisher->learn(iteration, z, target);
    return std::get<windowed_metric_adaptation>(impl_).learn(z.q, target);
  }

private:
  std::variant<windowed_metric_adaptation, fisher_metric_adaptation> impl_;
};

using metric_warmup = basic_metric_warmup<>;

#if STATIX_RUNTIME_EXTERN_TEMPLATES
// Compiled once in statix_runtime (base/runtime_linkage.hpp).
extern template class basic_metric_warmup<void>;
#endif

} // namespace statix
