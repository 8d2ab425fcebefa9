#pragma once

// The ensemble samplers on host threads:
//
//   #include <statix/infer/ensemble.hpp>
//   auto fit = sx::sample(model, sx::chees{.chains = 256, .warmup = 500, .draws = 500, .seed = 1});
//   auto fit = sx::sample(model, sx::meads{.chains = 256, .seed = 1});
//
// Every chain draws from its own Philox stream (seed, chain) and the
// adaptation sums over chains in chain order, so a seed gives the same draws
// with any number of threads, and the same as sx::on_device
// (<statix/parallel.hpp>) on a CPU device system. The result is an sx::fit:
// one chain_result per chain, treedepth__ 0 and n_leapfrog__ the steps all
// chains took in that iteration.

#include <statix/infer/chain_block_pool.hpp>
#include <statix/infer/chees_sampler.hpp>
#include <statix/infer/ensemble_options.hpp>
#include <statix/infer/meads_sampler.hpp>
#include <statix/infer/parallel_chains.hpp>
#include <statix/infer/sample.hpp>

#include <utility>
#include <vector>

namespace statix {

inline run_info make_run_info(const chees& o) {
  run_info info;
  info.algorithm = "chees";
  info.engine = "chees";
  info.num_warmup = o.warmup;
  info.num_samples = o.draws;
  info.num_chains = o.chains;
  info.seed = o.seed;
  info.target_accept = o.target_accept;
  info.metric = metric_name(o.metric);
  info.adapt = o.warmup > 0;
  info.save_warmup = o.save_warmup;
  info.threads = resolve_thread_count(o.threads, o.chains);
  return info;
}

inline run_info make_run_info(const meads& o) {
  run_info info;
  info.algorithm = "meads";
  info.engine = "meads";
  info.num_warmup = o.warmup;
  info.num_samples = o.draws;
  info.num_chains = o.chains;
  info.seed = o.seed;
  info.metric = "diag_e";
  info.adapt = o.warmup > 0;
  info.save_warmup = o.save_warmup;
  info.threads = resolve_thread_count(o.threads, o.chains);
  return info;
}

template <class Model>
std::vector<chain_result> sample_chains(const Model& model, const chees& options) {
  chain_block_pool pool(resolve_thread_count(options.threads, options.chains));
  host_executor executor{&pool};
  return run_chees(model, options, executor, pool);
}

template <class Model>
std::vector<chain_result> sample_chains(const Model& model, const meads& options) {
  chain_block_pool pool(resolve_thread_count(options.threads, options.chains));
  host_executor executor{&pool};
  return run_meads(model, options, executor, pool);
}

} // namespace statix
