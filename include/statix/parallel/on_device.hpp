#pragma once

// The ensemble samplers on a Thrust device system:
//
//   #include <statix/parallel.hpp>
//   auto fit = sx::sample(model, sx::chees{.chains = 1024, .seed = 1}, sx::on_device);
//   auto fit = sx::sample(model, sx::nuts{.chains = 1024, .seed = 1}, sx::on_device);
//
// Each iteration runs one transition functor per chain (ensemble_transitions.hpp)
// with thrust::for_each on the build's device system: CUDA on a GPU (models
// whose nodes run on the device), OpenMP, TBB or serial C++ on the CPU. The
// adaptation between iterations runs on the host, as with host threads, and
// every chain draws from its own Philox stream, so the draws are the same as
// sx::sample without sx::on_device, for any number of device threads.
//
// In single precision: sx::sample(model, sx::chees{...}, sx::device_policy<float>{})
// keeps every chain's positions, momenta, gradients, trees and model
// workspace in float and evaluates the model in float (chain_vector_ops.hpp);
// energies, weights, the sums that decide and the adaptation stay in double.
// The fit's run_info, its summary and its CSV files say "float".
//
// The chains' arrays stay in device memory between iterations. After each
// transition only what the host's share reads comes back (the recorded
// draw's position and sampler columns, and during warm-up what the
// adaptation reads), and only what the host changed goes back
// (ensemble_state::host_reads, host_wrote): for CUDA a few arrays of
// chains x dim numbers per iteration, next to the transition's
// steps x chains gradients.

#include <statix/infer/ensemble.hpp>
#include <statix/infer/pooled_nuts_sampler.hpp>
#include <statix/parallel/device_model.hpp>

#include <thrust/copy.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>

#include <stdexcept>
#include <type_traits>
#include <vector>

namespace statix {

struct on_device_t {
  explicit constexpr on_device_t() = default;
};
// Asks sx::sample to run the chains through the Thrust device system.
inline constexpr on_device_t on_device{};

// The same, with the chains' vectors and the model's evaluation in Real:
// float for single precision (device_policy<double> is on_device).
template <class Real>
struct device_policy {
  static_assert(std::is_same_v<Real, double> || std::is_same_v<Real, float>,
                "sx::device_policy<Real>: Real is double or float");
  static constexpr const char* precision_name = std::is_same_v<Real, float> ? "float" : "double";
};

namespace parallel {

// Runs transitions through thrust::for_each over device copies of the
// ensemble's arrays; the model workspaces and the trees' scratch live on the
// device only. A chain's vectors are Real there (chain_vector_ops<Real>):
// with float they are rounded on the way in and widened on the way out, and
// the model is evaluated in float on float workspaces.
template <class Model, class Real = double>
class device_executor {
public:
  explicit device_executor(const Model& model) : model_(model) {}

  template <class MakeTransition>
  void run(const Model&, ensemble_state& state, MakeTransition&& make_transition) {
    namespace ca = chain_arrays;
    const unsigned send = state.host_wrote;
    ensemble_arrays<Real> a;
    a.q = send_if(send & ca::q, state.q, q_);
    a.p = send_if(send & ca::p, state.p, p_);
    a.grad = send_if(send & ca::grad, state.grad, grad_);
    a.log_density = send_if(send & ca::log_density, state.log_density, log_density_);
    a.q_start = send_if(send & ca::q_start, state.q_start, q_start_);
    a.q_end = send_if(send & ca::q_end, state.q_end, q_end_);
    a.grad_end = send_if(send & ca::grad_end, state.grad_end, grad_end_);
    a.accept = send_if(send & ca::accept, state.accept, accept_);
    a.energy = send_if(send & ca::energy, state.energy, energy_);
    a.slice = send_if(send & ca::slice, state.slice, slice_);
    a.divergent = send_if(send & ca::divergent, state.divergent, divergent_);
    a.rng = send_if(send & ca::rng, state.rng, rng_);
    a.tree_depth = send_if(send & ca::tree_depth, state.tree_depth, tree_depth_);
    a.n_leapfrog = send_if(send & ca::n_leapfrog, state.n_leapfrog, n_leapfrog_);
    state.host_wrote = 0;
    // The adaptation's parameters: a few numbers per fold, or one factor.
    a.factor = upload(state.factor, factor_);
    a.dense = state.dense ? 1 : 0;
    a.step_size = upload(state.step_size, step_size_);
    a.alpha = upload(state.alpha, alpha_);
    a.delta = upload(state.delta, delta_);
    a.fold_of = upload(state.fold_of, fold_of_);
    a.frozen_fold = state.frozen_fold;
    if (tree_.size() != state.tree.size()) tree_.resize(state.tree.size());
    if (tree_levels_.size() != state.tree_levels.size())
      tree_levels_.resize(state.tree_levels.size());
    a.tree = thrust::raw_pointer_cast(tree_.data()); // scratch: never copied
    a.tree_levels = thrust::raw_pointer_cast(tree_levels_.data());
    const std::size_t workspace = static_cast<std::size_t>(state.chains) * state.workspace;
    if (values_.size() != workspace) {
      values_.resize(workspace);
      adjoints_.resize(workspace);
    }
    a.values = thrust::raw_pointer_cast(values_.data());
    a.adjoints = thrust::raw_pointer_cast(adjoints_.data());

    const auto transition = make_transition(model_.get(), a);
    thrust::for_each(thrust::device, thrust::counting_iterator<int>(0),
                     thrust::counting_iterator<int>(state.chains), transition);

    const unsigned bring = state.host_reads;
    bring_if(bring & ca::q, q_, state.q);
    bring_if(bring & ca::p, p_, state.p);
    bring_if(bring & ca::grad, grad_, state.grad);
    bring_if(bring & ca::log_density, log_density_, state.log_density);
    bring_if(bring & ca::q_start, q_start_, state.q_start);
    bring_if(bring & ca::q_end, q_end_, state.q_end);
    bring_if(bring & ca::grad_end, grad_end_, state.grad_end);
    bring_if(bring & ca::accept, accept_, state.accept);
    bring_if(bring & ca::energy, energy_, state.energy);
    bring_if(bring & ca::slice, slice_, state.slice);
    bring_if(bring & ca::divergent, divergent_, state.divergent);
    bring_if(bring & ca::rng, rng_, state.rng);
    bring_if(bring & ca::tree_depth, tree_depth_, state.tree_depth);
    bring_if(bring & ca::n_leapfrog, n_leapfrog_, state.n_leapfrog);
  }

private:
  // An empty range is not handed to Thrust: its sequential copy takes the
  // address of the first element even then (UndefinedBehaviorSanitizer:
  // reference binding to a null pointer), and the arrays the sampler leaves
  // unused (a diagonal metric's factor, say) are empty. Doubles copied into
  // Real ones are rounded when Real is float.
  template <class T, class D>
  static D* upload(const std::vector<T>& host, thrust::device_vector<D>& device) {
    if (host.empty())
      device.clear();
    else
      device.assign(host.begin(), host.end());
    return thrust::raw_pointer_cast(device.data());
  }
  template <class D, class T>
  static void download(const thrust::device_vector<D>& device, std::vector<T>& host) {
    if (!device.empty()) thrust::copy(device.begin(), device.end(), host.begin());
  }
  // A chain array the host wrote goes to the device; one it did not stays
  // as the last transition left it (it must have gone once: the state
  // starts with every array written).
  template <class T, class D>
  static D* send_if(unsigned wrote, const std::vector<T>& host, thrust::device_vector<D>& device) {
    if (wrote || device.size() != host.size()) return upload(host, device);
    return thrust::raw_pointer_cast(device.data());
  }
  template <class D, class T>
  static void bring_if(unsigned reads, const thrust::device_vector<D>& device,
                       std::vector<T>& host) {
    if (reads) download(device, host);
  }

  device_model<Model> model_;
  // A chain's vectors, in Real.
  thrust::device_vector<Real> q_, p_, grad_, q_start_, q_end_, grad_end_, factor_, values_,
      adjoints_, tree_;
  // Per-chain scalars and the adaptation's parameters, in double.
  thrust::device_vector<double> log_density_, accept_, energy_, slice_, step_size_, alpha_, delta_,
      tree_levels_;
  thrust::device_vector<int> divergent_, fold_of_, tree_depth_, n_leapfrog_;
  thrust::device_vector<random::philox> rng_;
};

} // namespace parallel

// The host's share (recording draws, the adaptation) runs on the calling
// thread: the device system's own threads (OpenMP's spin after each
// parallel region) would otherwise compete with host workers for the cores,
// 10x slower on two cores.
template <class Model, class Real>
std::vector<chain_result> sample_chains(const Model& model, const chees& options,
                                        device_policy<Real>) {
  chain_block_pool pool(1);
  parallel::device_executor<Model, Real> executor(model);
  return run_chees(model, options, executor, pool);
}

template <class Model, class Real>
std::vector<chain_result> sample_chains(const Model& model, const meads& options,
                                        device_policy<Real>) {
  chain_block_pool pool(1);
  parallel::device_executor<Model, Real> executor(model);
  return run_meads(model, options, executor, pool);
}

// NUTS in every chain's own device thread (iterative_nuts_transition.hpp),
// with one warm-up pooled over the chains (pooled_nuts_sampler.hpp).
template <class Model, class Real>
std::vector<chain_result> sample_chains(const Model& model, const nuts& options,
                                        device_policy<Real>) {
  chain_block_pool pool(1);
  parallel::device_executor<Model, Real> executor(model);
  return run_pooled_nuts(model, options, executor, pool);
}

template <class Model, class Options>
std::vector<chain_result> sample_chains(const Model& model, const Options& options, on_device_t) {
  return sample_chains(model, options, device_policy<double>{});
}

// Any other sampler: one error that says what runs on the device.
template <class Options>
constexpr bool runs_on_device = std::is_same_v<Options, chees> || std::is_same_v<Options, meads> ||
                                std::is_same_v<Options, nuts>;

template <class Model, class Options, class Real>
requires(!runs_on_device<Options>) std::vector<chain_result> sample_chains(const Model&,
                                                                           const Options&,
                                                                           device_policy<Real>) {
  static_assert(runs_on_device<Options>, "sx::on_device and sx::device_policy run sx::chees, "
                                         "sx::meads and sx::nuts; sx::hmc runs on host threads");
  return {};
}

} // namespace statix
