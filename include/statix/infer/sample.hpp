#pragma once

// The sampling entry points:
//
//   auto fit = sx::sample(model, sx::nuts{.chains = 4, .seed = 1});
//   auto fit = sx::sample(model, sx::hmc{.steps = 32});
//
// Chains run on `.threads` CPU threads (0: one per hardware thread); chain i
// draws from random::philox(seed, i), so a seed gives the same draws whatever
// the number of threads.
//
// For programs that embed Statix:
// - `.callback(const draw_event&)` is called after every iteration (warm-up
//   included) with the row the CSV would hold. It runs on the chain's own
//   thread, so with several threads it may be called concurrently for
//   different chains (never concurrently for one chain): guard shared state.
//   `event.row` is valid during the call only. An exception it throws ends the
//   run and is rethrown by sample().
// - `.stop` points to a flag the caller may raise at any time: every chain
//   finishes its current iteration and returns the draws it has, with
//   chain_result::stopped_early set.
// - Warm restart: pass a previous run's adapted step size and inverse metric
//   (and its chains' last positions) and skip adaptation:
//     sx::nuts next{.warmup = 0, .draws = 1000};
//     next.step_size = fit.step_sizes()[0];      // used exactly as given
//     const bool square = fit.chains()[0].dense_metric || fit.chains()[0].low_rank_metric;
//     next.metric = square ? sx::metric::dense : sx::metric::diag;
//     next.inv_metric = fit.inv_metrics()[0];    // column vector (diag) or matrix
//     next.init_positions = fit.last_positions(); // chain i starts where chain i ended
//     next.adapt = false;
//   (the same fields are in each chain_result: step_size, inv_metric,
//   dense_metric, low_rank_metric and its factors, last_position). With
//   adapt = true they only start the adaptation.
// - `.progress`: 1 shows per-chain progress on stderr, 0 silences it (and the
//   warnings printed after sampling), -1 (default) shows it when stderr is a
//   terminal.

#include <statix/infer/fit.hpp>
#include <statix/infer/sample_chains.hpp>

#include <concepts>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace statix {

namespace detail {

template <class Model>
fit<Model> make_fit(const Model& model, std::vector<chain_result> chains, const run_info& info,
                    int progress) {
  fit<Model> result(model, std::move(chains), info);
  if (progress != 0)
    for (const std::string& warning : result.warnings())
      std::cerr << warning << '\n';
  return result;
}

} // namespace detail

// The options of an MCMC sampler: sample_chains runs it (per options type,
// and per place with sx::on_device), make_run_info describes the run.
template <class Options>
concept mcmc_options = requires(const Options& o) {
  { make_run_info(o) } -> std::same_as<run_info>;
  { o.progress } -> std::convertible_to<int>;
};

namespace detail {

// The precision a place names (sx::device_policy<float>: "float"), or null.
template <class Where>
constexpr const char* precision_name() {
  if constexpr (requires { Where::precision_name; })
    return Where::precision_name;
  else
    return nullptr;
}

} // namespace detail

// Every sampler, on host threads or (with sx::on_device) on the Thrust path:
// sx::nuts, sx::hmc, sx::chees, sx::meads.
template <class Model, mcmc_options Options, class... Where>
auto sample(const Model& model, const Options& options, Where... where) {
  std::vector<chain_result> chains = sample_chains(model, options, where...);
  run_info info = make_run_info(options);
  for (const char* name : {static_cast<const char*>(nullptr), detail::precision_name<Where>()...})
    if (name != nullptr) info.precision = name;
  return detail::make_fit(model, std::move(chains), std::move(info), options.progress);
}

} // namespace statix
