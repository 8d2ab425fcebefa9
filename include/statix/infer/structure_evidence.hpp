#pragma once

// metric::automatic's rule for leaving the diagonal metric: the evidence that
// a structured (dense or low-rank) metric predicts gradients better, weighed
// over the latest scored warm-up windows.
//
// Each scored window gives the ratio of the structured estimate's held-out
// Fisher loss to the diagonal one's. Evidence is draws x log(ratio), summed
// over the newest windows until they hold min_draws draws; it must reach
// max(min_draws, draws summed) x log(margin). So one early window of 20 draws
// wins alone only with a ratio under margin^2, two of them with a mean log
// ratio under log(margin), and one late window (80 draws or more) with its
// own ratio under the margin. A single early window is noisy: in 175
// dimensions (centred radon) its ratio ranges from 0.6 to 1.2 about a median
// of 0.96, and with 28 early windows per chain one of them under the margin
// chose the dense metric in 4 of 20 chains, where the late windows' ratios
// (about 1.0) say it does not help. A ratio that is not finite or is zero (an
// estimate that is not positive definite, a diagonal loss of zero) counts
// against the structured metric.

#include <algorithm>
#include <array>
#include <cmath>

namespace statix::detail {

class structure_evidence {
public:
  // The structured metric's loss must be below this fraction of the diagonal
  // one's, so that noise in the losses does not buy d^2 (or d k) work per
  // leapfrog step.
  static constexpr double margin = 0.7;
  // Draws of evidence weighed at once.
  static constexpr int min_draws = 40;
  // A window with fewer draws is not scored.
  static constexpr int min_window_draws = 20;

  // Records a scored window of `draws` draws with loss ratio `ratio`
  // (structured / diagonal) and says whether the latest windows favour the
  // structured metric.
  bool add(int draws, double ratio) {
    const double log_ratio = std::log(ratio);
    std::copy_backward(windows_.begin(), windows_.end() - 1, windows_.end());
    windows_[0] = {draws, std::isfinite(log_ratio) ? log_ratio : HUGE_VAL};
    const double log_margin = std::log(margin);
    double weighted = 0;
    int total = 0;
    for (const window& w : windows_) {
      if (w.draws == 0) break;
      weighted += w.draws * w.log_ratio;
      total += w.draws;
      if (weighted < std::max(min_draws, total) * log_margin) return true;
      if (total >= min_draws) break;
    }
    return false;
  }

private:
  struct window {
    int draws = 0;
    double log_ratio = 0;
  };
  // Newest first: as many windows as can hold min_draws draws.
  std::array<window, (min_draws + min_window_draws - 1) / min_window_draws> windows_{};
};

} // namespace statix::detail
