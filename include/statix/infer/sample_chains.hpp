#pragma once

// Every chain of a run, in parallel, as plain chain results (what sample()
// wraps into a fit object). For programs that want the chains without a fit.
//
// With statix::runtime (STATIX_SEPARATE_RUNTIME) NUTS and static HMC run over
// sx::erased_model, compiled once in the library: a model file compiles only
// the model's own functions, and the draws are the same bit for bit.

#include <statix/base/chain_result.hpp>
#include <statix/base/runtime_linkage.hpp>
#include <statix/infer/chain_runner.hpp>
#include <statix/infer/erased_model.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/parallel_chains.hpp>
#include <statix/infer/sampler_options.hpp>
#include <statix/io/progress.hpp>

#include <atomic>
#include <concepts>
#include <memory>
#include <vector>

namespace statix {

namespace detail {

template <class Options, class RunOneChain>
std::vector<chain_result> run_all_chains(const Options& options, RunOneChain run_one_chain) {
  validate_options(options);
  const int threads = resolve_thread_count(options.threads, options.chains);
  std::unique_ptr<progress_display> progress;
  if (progress_enabled(options.progress))
    progress = std::make_unique<progress_display>(options.chains, options.warmup, options.draws);
  std::vector<chain_result> chains =
      run_chains_in_parallel(options.chains, threads, [&](int c, const std::atomic<bool>& abort) {
        return run_one_chain(c, chain_hooks{progress.get(), &abort});
      });
  if (progress) progress->finish();
  return chains;
}

template <class Options>
run_info common_run_info(const Options& o) {
  run_info info;
  info.num_warmup = o.warmup;
  info.num_samples = o.draws;
  info.num_chains = o.chains;
  info.seed = o.seed;
  info.target_accept = o.target_accept;
  info.metric = metric_name(o.metric);
  info.adapt = o.adapt && o.warmup > 0;
  info.save_warmup = o.save_warmup;
  info.thin = o.thin;
  info.threads = resolve_thread_count(o.threads, o.chains);
  return info;
}

} // namespace detail

inline run_info make_run_info(const nuts& o) {
  run_info info = detail::common_run_info(o);
  info.algorithm = "nuts"; // run_info's convention: "nuts" or "hmc"
  info.engine = "nuts";
  info.max_depth = o.max_depth;
  return info;
}

inline run_info make_run_info(const hmc& o) {
  run_info info = detail::common_run_info(o);
  info.algorithm = "hmc";
  info.engine = "static";
  info.hmc_steps = o.steps;
  return info;
}

namespace detail {

// Whether a sampler over Model runs through erased_model: with the compiled
// runtime, for every model but erased_model itself.
template <class Model>
inline constexpr bool samples_through_erased_model =
    STATIX_RUNTIME_EXTERN_TEMPLATES && !std::same_as<Model, erased_model>;

} // namespace detail

template <sampler_model Model>
std::vector<chain_result> sample_chains(const Model& model, const nuts& options) {
  if constexpr (detail::samples_through_erased_model<Model>)
    return sample_chains(erased_model(model), options);
  else
    return detail::run_all_chains(options, [&](int c, const chain_hooks& hooks) {
      return run_nuts_chain(model, options, c, hooks);
    });
}

template <sampler_model Model>
std::vector<chain_result> sample_chains(const Model& model, const hmc& options) {
  if constexpr (detail::samples_through_erased_model<Model>)
    return sample_chains(erased_model(model), options);
  else
    return detail::run_all_chains(options, [&](int c, const chain_hooks& hooks) {
      return run_hmc_chain(model, options, c, hooks);
    });
}

#if STATIX_RUNTIME_EXTERN_TEMPLATES
extern template std::vector<chain_result> sample_chains<erased_model>(const erased_model&,
                                                                      const nuts&);
extern template std::vector<chain_result> sample_chains<erased_model>(const erased_model&,
                                                                      const hmc&);
#endif

} // namespace statix
