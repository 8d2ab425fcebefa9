#pragma once

// Host threads for the ensemble samplers: f(chain) for every chain, the
// chains cut into one contiguous block per thread, once per iteration.
// Workers live as long as the pool, so an iteration costs a wake-up and a
// wait, not a thread start (the ensemble samplers iterate thousands of times,
// some with one gradient per chain per iteration).

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace statix {

class chain_block_pool {
public:
  explicit chain_block_pool(int threads) : threads_(std::max(threads, 1)) {
    for (int t = 1; t < threads_; ++t)
      workers_.emplace_back([this, t] { work(t); });
  }

  chain_block_pool(const chain_block_pool&) = delete;
  chain_block_pool& operator=(const chain_block_pool&) = delete;

  ~chain_block_pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      ++generation_;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_)
      worker.join();
  }

  int threads() const { return threads_; }

  // Calls f(c) for c = 0 .. chains - 1 and returns when all calls have; the
  // calling thread takes the first block. The first exception thrown is
  // rethrown here once every block has finished.
  template <class F>
  void for_each_chain(int chains, F&& f) {
    if (threads_ == 1 || chains <= 1) {
      for (int c = 0; c < chains; ++c)
        f(c);
      return;
    }
    task_ = [&f](int c) { f(c); };
    chains_ = chains;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      pending_ = threads_ - 1;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    run_block(0);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    if (error_) std::rethrow_exception(error_);
  }

private:
  void run_block(int t) {
    const int begin = static_cast<int>(static_cast<long>(chains_) * t / threads_);
    const int end = static_cast<int>(static_cast<long>(chains_) * (t + 1) / threads_);
    try {
      for (int c = begin; c < end; ++c)
        task_(c);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }

  void work(int t) {
    unsigned long seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (stopping_) return;
      }
      run_block(t);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--pending_ == 0) done_.notify_one();
      }
    }
  }

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  unsigned long generation_ = 0;
  int pending_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::function<void(int)> task_;
  int chains_ = 0;
};

} // namespace statix
