#pragma once

// Progress of running chains on stderr: per chain the iteration out of the
// total, warm-up or sampling, iterations per second and divergences so far.
// On a terminal one line per chain (one summary line beyond 8 chains) is
// redrawn in place at most ~10 times a second; otherwise (progress forced on into a file or pipe) a
// plain line is written each time a chain passes another tenth of its iterations.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#if defined(_WIN32)
#include <io.h>
#else
#include <unistd.h>
#endif

namespace statix {

inline bool stderr_is_terminal() {
#if defined(_WIN32)
  return _isatty(2) != 0;
#else
  return isatty(2) != 0;
#endif
}

// The samplers' `.progress` option: 1 on, 0 off, -1 on when stderr is a terminal.
inline bool progress_enabled(int option) {
  return option > 0 || (option < 0 && stderr_is_terminal());
}

class progress_display {
public:
  // `terminal`: redraw in place with ANSI escapes; else plain milestone lines.
  progress_display(int chains, int warmup, int draws, bool terminal = stderr_is_terminal(),
                   std::FILE* out = stderr)
      : chains_(chains), warmup_(warmup), total_(warmup + draws), terminal_(terminal), out_(out),
        state_(std::make_unique<chain_state[]>(static_cast<std::size_t>(chains))) {}

  progress_display(const progress_display&) = delete;
  progress_display& operator=(const progress_display&) = delete;
  ~progress_display() { finish(); }

  // Called by the thread running chain `chain_index` (0-based) after each
  // iteration; cheap (two relaxed stores and a clock read) unless it redraws.
  void update(int chain_index, int iterations_done, int divergences) {
    chain_state& s = state_[static_cast<std::size_t>(chain_index)];
    const std::int64_t now = now_ns();
    std::int64_t unset = 0;
    s.start_ns.compare_exchange_strong(unset, now, std::memory_order_relaxed);
    s.done.store(iterations_done, std::memory_order_relaxed);
    s.divergences.store(divergences, std::memory_order_relaxed);

    if (!terminal_) {
      const int tenth = total_ > 0 ? (10 * iterations_done) / total_ : 10;
      if (tenth > s.last_tenth.load(std::memory_order_relaxed)) {
        std::lock_guard<std::mutex> lock(mutex_);
        s.last_tenth.store(tenth, std::memory_order_relaxed);
        const std::string line = chain_line(chain_index, now) + "\n";
        std::fputs(line.c_str(), out_);
        std::fflush(out_);
      }
      return;
    }
    if (now - last_draw_ns_.load(std::memory_order_relaxed) < redraw_interval_ns) return;
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || finished_) return; // another chain is drawing, or the run is over
    redraw(now);
  }

  // Draws the final state once (terminal mode); later calls do nothing.
  void finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return;
    finished_ = true;
    if (terminal_ && lines_drawn_ > 0) redraw(now_ns());
  }

private:
  static constexpr std::int64_t redraw_interval_ns = 100'000'000; // 10 redraws per second

  struct chain_state {
    std::atomic<int> done{0};
    std::atomic<int> divergences{0};
    std::atomic<std::int64_t> start_ns{0};
    std::atomic<int> last_tenth{0};
  };

  static std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  std::string chain_line(int chain_index, std::int64_t now) const {
    const chain_state& s = state_[static_cast<std::size_t>(chain_index)];
    const int done = s.done.load(std::memory_order_relaxed);
    const int divergences = s.divergences.load(std::memory_order_relaxed);
    const std::int64_t start = s.start_ns.load(std::memory_order_relaxed);
    const double seconds = start > 0 ? 1e-9 * static_cast<double>(now - start) : 0.0;
    const double rate = seconds > 0 ? done / seconds : 0.0;
    const char* phase = done >= total_ ? "done" : (done < warmup_ ? "warm-up" : "sampling");

    constexpr int bar_width = 20;
    const int filled = total_ > 0 ? (bar_width * done) / total_ : bar_width;
    std::string bar(static_cast<std::size_t>(bar_width), ' ');
    for (int i = 0; i < filled; ++i)
      bar[static_cast<std::size_t>(i)] = '=';

    char text[160];
    std::snprintf(text, sizeof text, "chain %d [%s] %*d/%d %-8s %8.0f it/s  %d divergent",
                  chain_index + 1, bar.c_str(), digits(total_), done, total_, phase, rate,
                  divergences);
    return text;
  }

  static int digits(int n) {
    int count = 1;
    while (n >= 10) {
      n /= 10;
      ++count;
    }
    return count;
  }

  // More chains than this share one summary line: a block taller than the
  // terminal could not be redrawn in place.
  static constexpr int max_chain_lines = 8;

  // All chains together: finished and running chains, iterations, divergences.
  std::string summary_line() const {
    long long done = 0, divergences = 0;
    int finished = 0, running = 0;
    for (int c = 0; c < chains_; ++c) {
      const chain_state& s = state_[static_cast<std::size_t>(c)];
      const int d = s.done.load(std::memory_order_relaxed);
      done += d;
      divergences += s.divergences.load(std::memory_order_relaxed);
      finished += d >= total_ ? 1 : 0;
      running += d > 0 && d < total_ ? 1 : 0;
    }
    char text[160];
    std::snprintf(text, sizeof text,
                  "%d chains: %d done, %d running; %lld/%lld iterations, %lld divergent", chains_,
                  finished, running, done, static_cast<long long>(total_) * chains_, divergences);
    return text;
  }

  // Caller holds mutex_.
  void redraw(std::int64_t now) {
    std::string block;
    if (lines_drawn_ > 0)
      block += "\x1b[" + std::to_string(lines_drawn_) + "F"; // back to the first line
    const int lines = chains_ <= max_chain_lines ? chains_ : 1;
    if (lines == 1 && chains_ > 1)
      block += summary_line() + "\x1b[K\n";
    else
      for (int c = 0; c < chains_; ++c)
        block += chain_line(c, now) + "\x1b[K\n";
    std::fputs(block.c_str(), out_);
    std::fflush(out_);
    lines_drawn_ = lines;
    last_draw_ns_.store(now, std::memory_order_relaxed);
  }

  int chains_;
  int warmup_;
  int total_;
  bool terminal_;
  std::FILE* out_;
  std::unique_ptr<chain_state[]> state_;
  std::mutex mutex_;
  std::atomic<std::int64_t> last_draw_ns_{0};
  int lines_drawn_ = 0;
  bool finished_ = false;
};

} // namespace statix
