// Warm-up comparison on the posteriordb posteriors of tests/posteriordb:
// Stan's windowed warm-up against the warm-up from draws and gradients
// (sx::adaptation::fisher with the diagonal metric, and sx::metric::automatic),
// and Stan's warm-up with the dense metric for reference. Every run is NUTS,
// 4 chains x (1000 warm-up + 1000 draws), one thread per chain.
//
// The cost of a run is the number of gradients, warm-up included, that it
// takes to a minimum bulk ESS of 400 over the model's quantities:
// warm-up gradients + sampling gradients x 400 / min bulk ESS (nutpie's
// posteriordb comparison counts the same). Printed per seed and as medians,
// with the ratio of Stan's diagonal warm-up's cost to this one's (diamonds:
// Stan's dense metric's) and a two-sided Wilcoxon
// signed-rank p-value over seeds (normal approximation).
//
//   warmup_benchmark [--seeds N] [--posterior NAME]... [--warmups LIST]
//
// LIST is a comma-separated subset of stan_diag, stan_dense, fisher_diag,
// automatic, low_rank (sx::metric::low_rank) (default: all but stan_dense
// and low_rank; diamonds always adds stan_dense and drops stan_diag and
// fisher_diag, whose runs take minutes each).
#include "posteriordb_models.hpp"

#include <statix/statix.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace sx = statix;
using namespace statix_test;

namespace {

struct run_cost {
  double to_400 = 0;      // gradients to a min bulk ESS of 400
  double min_ess = 0;     // min bulk ESS of the run
  long long warmup = 0;   // warm-up gradients, all chains
  long long sampling = 0; // sampling gradients, all chains
  long long divergent = 0;
  double max_r_hat = 0;
  int dense_chains = 0;
  double seconds = 0;
};

struct warmup_kind {
  std::string name;
  sx::metric metric;
  sx::adaptation adaptation;
};

const std::vector<warmup_kind>& warmup_kinds() {
  static const std::vector<warmup_kind> kinds = {
      {"stan_diag", sx::metric::diag, sx::adaptation::windowed},
      {"stan_dense", sx::metric::dense, sx::adaptation::windowed},
      {"fisher_diag", sx::metric::diag, sx::adaptation::fisher},
      {"automatic", sx::metric::automatic, sx::adaptation::fisher},
      {"low_rank", sx::metric::low_rank, sx::adaptation::fisher},
  };
  return kinds;
}

template <class Model>
run_cost measure(const Model& model, const warmup_kind& kind, std::uint64_t seed,
                 double target_accept) {
  const auto start = std::chrono::steady_clock::now();
  const auto fit = sx::sample(model, sx::nuts{.chains = 4,
                                              .warmup = 1000,
                                              .draws = 1000,
                                              .seed = seed,
                                              .target_accept = target_accept,
                                              .metric = kind.metric,
                                              .threads = 2,
                                              .progress = 0,
                                              .adaptation = kind.adaptation});
  run_cost cost;
  cost.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& c : fit.chains()) {
    cost.warmup += c.gradient_evaluations - c.sampling_gradient_evaluations;
    cost.sampling += c.sampling_gradient_evaluations;
    cost.dense_chains += c.dense_metric || c.low_rank_metric ? 1 : 0;
  }
  cost.min_ess = 1e300;
  const auto summary = fit.summary();
  for (const auto& row : summary.rows()) {
    if (row.name == "lp__") continue;
    cost.min_ess = std::min(cost.min_ess, row.ess_bulk);
    cost.max_r_hat = std::max(cost.max_r_hat, row.r_hat);
  }
  cost.divergent = fit.num_divergent();
  cost.to_400 =
      static_cast<double>(cost.warmup) + static_cast<double>(cost.sampling) * 400.0 / cost.min_ess;
  return cost;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Two-sided Wilcoxon signed-rank test of paired samples (normal
// approximation with the tie correction; zero differences dropped).
double signed_rank_p(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<std::pair<double, int>> d; // |difference|, sign
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) d.push_back({std::abs(a[i] - b[i]), a[i] > b[i] ? 1 : -1});
  const double n = static_cast<double>(d.size());
  if (n == 0) return 1.0;
  std::sort(d.begin(), d.end());
  double w = 0, ties = 0;
  for (std::size_t i = 0; i < d.size();) {
    std::size_t j = i;
    while (j < d.size() && d[j].first == d[i].first)
      ++j;
    const double rank = 0.5 * static_cast<double>(i + 1 + j); // mean of ranks i+1..j
    const double t = static_cast<double>(j - i);
    ties += t * t * t - t;
    for (std::size_t k = i; k < j; ++k)
      if (d[k].second > 0) w += rank;
    i = j;
  }
  const double mean = n * (n + 1) / 4;
  const double var = n * (n + 1) * (2 * n + 1) / 24 - ties / 48;
  if (var <= 0) return 1.0;
  const double z = (w - mean) / std::sqrt(var);
  return std::erfc(std::abs(z) / std::sqrt(2.0));
}

struct posterior_entry {
  std::string name;
  double target_accept;
  std::function<run_cost(const warmup_kind&, std::uint64_t)> run;
};

template <class MakeModel>
posterior_entry entry(const std::string& name, double target_accept, MakeModel make) {
  return {name, target_accept, [make, target_accept](const warmup_kind& k, std::uint64_t seed) {
            const auto model = make();
            return measure(model, k, seed, target_accept);
          }};
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');)
    out.push_back(item);
  return out;
}

} // namespace

int main(int argc, char** argv) {
  int seeds = 10;
  std::vector<std::string> only;
  std::vector<std::string> kinds = {"stan_diag", "fisher_diag", "automatic"};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seeds" && i + 1 < argc)
      seeds = std::atoi(argv[++i]);
    else if (arg == "--posterior" && i + 1 < argc)
      only.push_back(argv[++i]);
    else if (arg == "--warmups" && i + 1 < argc)
      kinds = split(argv[++i]);
    else {
      std::fprintf(stderr,
                   "usage: warmup_benchmark [--seeds N] [--posterior NAME]... [--warmups LIST]\n");
      return 2;
    }
  }

  // The target acceptance rates of the posteriordb tests.
  const std::vector<posterior_entry> posteriors = {
      entry("eight_schools_noncentered", 0.95, eight_schools_noncentered_model),
      entry("kidiq", 0.8, kidiq_model),
      entry("arK", 0.8, arK_model),
      entry("low_dim_gauss_mix", 0.8, low_dim_gauss_mix_model),
      entry("gp_pois_regr", 0.95, gp_pois_regr_model),
      entry("hmm_example", 0.8, hmm_example_model),
      entry("diamonds", 0.8, diamonds_model),
  };

  std::printf("| posterior | warm-up | median gradients to ESS 400 | Stan's / this "
              "| Wilcoxon p | median min ESS | median warm-up gradients | max R-hat "
              "| divergent | dense chains |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::fflush(stdout);
  for (const auto& p : posteriors) {
    if (!only.empty() && std::find(only.begin(), only.end(), p.name) == only.end()) continue;
    std::vector<std::string> names = kinds;
    if (p.name == "diamonds") {
      // Stan's diagonal warm-up takes minutes per run here: compare with dense.
      names.erase(std::remove_if(
                      names.begin(), names.end(),
                      [](const std::string& n) { return n == "stan_diag" || n == "fisher_diag"; }),
                  names.end());
      if (std::find(names.begin(), names.end(), "stan_dense") == names.end())
        names.insert(names.begin(), "stan_dense");
    }
    std::map<std::string, std::vector<double>> cost;
    for (const std::string& name : names) {
      const auto kind = std::find_if(warmup_kinds().begin(), warmup_kinds().end(),
                                     [&](const warmup_kind& k) { return k.name == name; });
      if (kind == warmup_kinds().end()) {
        std::fprintf(stderr, "unknown warm-up %s\n", name.c_str());
        return 2;
      }
      std::vector<double> to_400, ess, warm;
      double max_r_hat = 0;
      long long divergent = 0;
      int dense = 0;
      for (int s = 1; s <= seeds; ++s) {
        const run_cost c = p.run(*kind, static_cast<std::uint64_t>(s));
        std::fprintf(stderr,
                     "%s %s seed %d: %.0f gradients to ESS 400 (warm-up %lld, sampling %lld, "
                     "min ESS %.0f, R-hat %.4f, %lld divergent, %d dense, %.1f s)\n",
                     p.name.c_str(), name.c_str(), s, c.to_400, c.warmup, c.sampling, c.min_ess,
                     c.max_r_hat, c.divergent, c.dense_chains, c.seconds);
        to_400.push_back(c.to_400);
        ess.push_back(c.min_ess);
        warm.push_back(static_cast<double>(c.warmup));
        max_r_hat = std::max(max_r_hat, c.max_r_hat);
        divergent += c.divergent;
        dense += c.dense_chains;
      }
      cost[name] = to_400;
      const std::string base = p.name == "diamonds" ? "stan_dense" : "stan_diag";
      std::string ratio = "", p_value = "";
      if (name != base && cost.count(base)) {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.2f", median(cost[base]) / median(to_400));
        ratio = buffer;
        std::snprintf(buffer, sizeof buffer, "%.2g", signed_rank_p(cost[base], to_400));
        p_value = buffer;
      }
      std::printf("| %s | %s | %.0f | %s | %s | %.0f | %.0f | %.4f | %lld | %d/%d |\n",
                  p.name.c_str(), name.c_str(), median(to_400), ratio.c_str(), p_value.c_str(),
                  median(ess), median(warm), max_r_hat, divergent, dense, 4 * seeds);
      std::fflush(stdout);
    }
  }
  return 0;
}
