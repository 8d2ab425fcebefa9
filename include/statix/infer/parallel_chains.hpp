#pragma once

// Chains on CPU threads: a fixed pool of workers, each pulling the next chain
// index until none is left. Results come back in chain order; since every
// chain draws from its own generator stream, they are the same for any number
// of threads.

#include <statix/base/chain_result.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace statix {

// 0 asks for one worker per hardware thread; never more workers than chains.
inline int resolve_thread_count(int requested, int chains) {
  int threads = requested;
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(threads, 1, std::max(chains, 1));
}

// run_chain(chain_index, abort) -> chain_result. If a chain throws, `abort` is
// raised so the others return early, and once every worker has finished the
// exception of the lowest-numbered chain that failed is rethrown.
template <class RunChain>
std::vector<chain_result> run_chains_in_parallel(int chains, int threads, RunChain&& run_chain) {
  std::vector<chain_result> results(static_cast<std::size_t>(chains));
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(chains));
  std::atomic<int> next_chain{0};
  std::atomic<bool> abort{false};

  const auto worker = [&] {
    for (int c = next_chain.fetch_add(1); c < chains; c = next_chain.fetch_add(1)) {
      if (abort.load()) break;
      try {
        results[static_cast<std::size_t>(c)] =
            run_chain(c, static_cast<const std::atomic<bool>&>(abort));
      } catch (...) {
        errors[static_cast<std::size_t>(c)] = std::current_exception();
        abort.store(true);
      }
    }
  };

  threads = std::clamp(threads, 1, std::max(chains, 1));
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t)
      pool.emplace_back(worker);
    for (std::thread& thread : pool)
      thread.join();
  }
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
  return results;
}

} // namespace statix
