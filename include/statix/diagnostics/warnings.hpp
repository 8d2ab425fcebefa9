#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <statix/base/chain_result.hpp>
#include <statix/diagnostics/ebfmi.hpp>
#include <statix/diagnostics/nested_rhat.hpp>
#include <statix/diagnostics/summary.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// Warnings about a finished run, worded as Stan (CmdStan's diagnose) and
// ArviZ/PyMC word them, each a plain sentence carrying its numbers.

namespace statix {

enum class warning_kind {
  divergent_transitions, // post-warm-up transitions that ended with a divergence
  max_tree_depth,        // NUTS transitions that stopped at the maximum tree depth
  low_ebfmi,             // a chain's E-BFMI below the threshold
  high_rhat,             // rank-normalised split R-hat above the threshold
  low_ess_bulk,          // bulk-ESS below the threshold per chain
  low_ess_tail           // tail-ESS below the threshold per chain
};

STATIX_RUNTIME_INLINE std::string_view to_string(warning_kind kind);

struct diagnostic_warning {
  warning_kind kind;
  std::string message;
};

// The thresholds Stan and ArviZ use.
struct warning_thresholds {
  double rhat = 1.01;           // Vehtari et al. 2021
  double ess_per_chain = 100.0; // ArviZ / PyMC: ESS below 100 per chain
  double ebfmi = 0.3;           // Betancourt 2016, CmdStan's diagnose
};

namespace detail {

STATIX_RUNTIME_INLINE Eigen::Index find_column(const chain_result& chain, std::string_view name);

STATIX_RUNTIME_INLINE std::string format_fixed(double value, int decimals);

STATIX_RUNTIME_INLINE std::string count_of(long long count, long long total);

// "tau (1.05), theta[1] (1.02)", at most ten names, then "and k more".
STATIX_RUNTIME_INLINE std::string
listed_names(const std::vector<std::pair<std::string, std::string>>& items);

} // namespace detail

// Warnings from the sampler's own columns: divergences, tree depth saturation
// (NUTS only) and per-chain E-BFMI, all over the post-warm-up draws.
STATIX_RUNTIME_INLINE std::vector<diagnostic_warning>
sampler_warnings(const std::vector<chain_result>& chains, const run_info& info,
                 const warning_thresholds& thresholds = {});

// Warnings from the summary: R-hat above the threshold, and bulk or tail ESS
// below the threshold per chain (ArviZ's rule: ESS < 100 * chains). Given
// `nested` (one nested R-hat per row of the table, for many chains in
// `superchains` superchains), that R-hat is checked instead and the ESS
// asked for is 100 per superchain.
STATIX_RUNTIME_INLINE std::vector<diagnostic_warning>
convergence_warnings(const summary_table& table, int num_chains,
                     const warning_thresholds& thresholds = {},
                     const std::vector<double>& nested = {}, int superchains = 0);

// Every warning about a run: the sampler's, then the convergence ones.
STATIX_RUNTIME_INLINE std::vector<diagnostic_warning>
diagnose(const std::vector<chain_result>& chains, const run_info& info, const summary_table& table,
         const warning_thresholds& thresholds = {});

STATIX_RUNTIME_INLINE std::vector<std::string>
warning_messages(const std::vector<diagnostic_warning>& warnings);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

STATIX_RUNTIME_INLINE std::string_view to_string(warning_kind kind) {
  switch (kind) {
  case warning_kind::divergent_transitions:
    return "divergent_transitions";
  case warning_kind::max_tree_depth:
    return "max_tree_depth";
  case warning_kind::low_ebfmi:
    return "low_ebfmi";
  case warning_kind::high_rhat:
    return "high_rhat";
  case warning_kind::low_ess_bulk:
    return "low_ess_bulk";
  case warning_kind::low_ess_tail:
    return "low_ess_tail";
  }
  return "unknown";
}

namespace detail {

STATIX_RUNTIME_INLINE Eigen::Index find_column(const chain_result& chain, std::string_view name) {
  for (std::size_t i = 0; i < chain.column_names.size(); ++i)
    if (chain.column_names[i] == name) return static_cast<Eigen::Index>(i);
  return -1;
}

STATIX_RUNTIME_INLINE std::string format_fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

STATIX_RUNTIME_INLINE std::string count_of(long long count, long long total) {
  const double percent = total > 0 ? 100.0 * static_cast<double>(count) / total : 0.0;
  return std::to_string(count) + " of " + std::to_string(total) + " (" + format_fixed(percent, 1) +
         "%)";
}

STATIX_RUNTIME_INLINE std::string
listed_names(const std::vector<std::pair<std::string, std::string>>& items) {
  constexpr std::size_t shown = 10;
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < shown; ++i) {
    if (i > 0) text += ", ";
    text += items[i].first + " (" + items[i].second + ")";
  }
  if (items.size() > shown) text += " and " + std::to_string(items.size() - shown) + " more";
  return text;
}

} // namespace detail

STATIX_RUNTIME_INLINE std::vector<diagnostic_warning>
sampler_warnings(const std::vector<chain_result>& chains, const run_info& info,
                 const warning_thresholds& thresholds) {
  std::vector<diagnostic_warning> warnings;
  long long transitions = 0, divergent = 0, saturated = 0;
  for (const auto& chain : chains) {
    transitions += chain.draws.rows();
    if (const auto col = detail::find_column(chain, "divergent__"); col >= 0)
      divergent += (chain.draws.col(col).array() != 0.0).count();
    if (const auto col = detail::find_column(chain, "treedepth__"); col >= 0)
      saturated += (chain.draws.col(col).array() >= info.max_depth).count();
  }
  if (divergent > 0)
    warnings.push_back(
        {warning_kind::divergent_transitions,
         detail::count_of(divergent, transitions) +
             " transitions after warm-up ended with a divergence. These divergent transitions "
             "indicate that HMC is not fully able to explore the posterior distribution. Try "
             "increasing target_accept (now " +
             detail::format_fixed(info.target_accept, 2) +
             ") closer to 1; if divergences remain, try to reparameterize the model."});
  if (saturated > 0 && info.algorithm == "nuts")
    warnings.push_back(
        {warning_kind::max_tree_depth,
         detail::count_of(saturated, transitions) + " transitions hit the maximum tree depth of " +
             std::to_string(info.max_depth) + ", or 2^" + std::to_string(info.max_depth) +
             " leapfrog steps. Trajectories that are prematurely terminated due to this limit "
             "will result in slow exploration. For optimal performance, increase max_depth."});
  // E-BFMI compares the energy's change per transition with its spread, and
  // means that only where each transition draws a fresh momentum: not for
  // MEADS, whose momentum persists.
  const bool fresh_momentum = info.algorithm != "meads";
  for (std::size_t c = 0; fresh_momentum && c < chains.size(); ++c) {
    const auto col = detail::find_column(chains[c], "energy__");
    if (col < 0) continue;
    const Eigen::VectorXd energy = chains[c].draws.col(col);
    const double value = ebfmi(energy);
    if (!std::isnan(value) && value < thresholds.ebfmi) {
      const int id = chains[c].chain_id > 0 ? chains[c].chain_id : static_cast<int>(c) + 1;
      warnings.push_back(
          {warning_kind::low_ebfmi,
           "Chain " + std::to_string(id) + ": E-BFMI = " + detail::format_fixed(value, 3) +
               ", below the nominal threshold of " + detail::format_fixed(thresholds.ebfmi, 1) +
               ", which suggests that HMC may have trouble exploring the target distribution. "
               "If possible, try to reparameterize the model."});
    }
  }
  return warnings;
}

STATIX_RUNTIME_INLINE std::vector<diagnostic_warning>
convergence_warnings(const summary_table& table, int num_chains,
                     const warning_thresholds& thresholds, const std::vector<double>& nested,
                     int superchains) {
  std::vector<diagnostic_warning> warnings;
  std::vector<std::pair<std::string, std::string>> high_rhat, low_bulk, low_tail;
  const bool use_nested = !nested.empty() && nested.size() == table.size();
  const int ess_groups = use_nested ? superchains : num_chains;
  const double ess_needed = thresholds.ess_per_chain * std::max(ess_groups, 1);
  std::size_t index = 0;
  for (const auto& row : table) {
    const double r_hat = use_nested ? nested[index++] : row.r_hat;
    if (r_hat > thresholds.rhat) high_rhat.emplace_back(row.name, detail::format_fixed(r_hat, 3));
    if (row.ess_bulk < ess_needed)
      low_bulk.emplace_back(row.name, detail::format_fixed(row.ess_bulk, 0));
    if (row.ess_tail < ess_needed)
      low_tail.emplace_back(row.name, detail::format_fixed(row.ess_tail, 0));
  }
  const std::string of_total = " of " + std::to_string(table.size()) + " parameters: ";
  if (!high_rhat.empty() && use_nested)
    warnings.push_back(
        {warning_kind::high_rhat,
         "The nested R-hat over " + std::to_string(superchains) + " superchains of " +
             std::to_string(num_chains) + " chains is greater than " +
             detail::format_fixed(thresholds.rhat, 2) + " for " + std::to_string(high_rhat.size()) +
             of_total + detail::listed_names(high_rhat) +
             ". The chains have not forgotten where they started, so the estimates may be "
             "biased. Run a longer warm-up. See Margossian et al. (2023), "
             "https://arxiv.org/abs/2110.13017."});
  else if (!high_rhat.empty())
    warnings.push_back(
        {warning_kind::high_rhat,
         "The rank-normalized split R-hat is greater than " +
             detail::format_fixed(thresholds.rhat, 2) + " for " + std::to_string(high_rhat.size()) +
             of_total + detail::listed_names(high_rhat) +
             ". The chains have not mixed, so the estimates may be biased. Run more draws, or "
             "consider a more effective parameterization or more informative priors. See "
             "Vehtari et al. (2021), https://arxiv.org/abs/1903.08008."});
  const std::string group = use_nested ? " superchain" : " chain";
  const std::string per_chain = detail::format_fixed(thresholds.ess_per_chain, 0) + " per" + group +
                                " (" + detail::format_fixed(ess_needed, 0) + " for " +
                                std::to_string(std::max(ess_groups, 1)) + group + "s) for ";
  if (!low_bulk.empty())
    warnings.push_back(
        {warning_kind::low_ess_bulk,
         "The bulk effective sample size is smaller than " + per_chain +
             std::to_string(low_bulk.size()) + of_total + detail::listed_names(low_bulk) +
             ". A higher number is needed for reliable R-hat and ESS estimates and for accurate "
             "posterior means; run more draws. See https://arxiv.org/abs/1903.08008."});
  if (!low_tail.empty())
    warnings.push_back(
        {warning_kind::low_ess_tail,
         "The tail effective sample size is smaller than " + per_chain +
             std::to_string(low_tail.size()) + of_total + detail::listed_names(low_tail) +
             ". A higher number is needed for reliable posterior intervals and quantiles; run "
             "more draws. See https://arxiv.org/abs/1903.08008."});
  return warnings;
}

STATIX_RUNTIME_INLINE std::vector<diagnostic_warning>
diagnose(const std::vector<chain_result>& chains, const run_info& info, const summary_table& table,
         const warning_thresholds& thresholds) {
  std::vector<diagnostic_warning> warnings = sampler_warnings(chains, info, thresholds);
  // Many chains in superchains (16 or more, each chain in one): nested R-hat.
  std::vector<int> superchain;
  std::set<int> distinct;
  for (const chain_result& c : chains) {
    superchain.push_back(c.superchain);
    distinct.insert(c.superchain);
  }
  std::vector<double> nested;
  if (chains.size() >= 16 && distinct.size() >= 2 && !distinct.count(0)) {
    Eigen::Index rows = chains.front().draws.rows();
    for (const chain_result& c : chains)
      rows = std::min(rows, c.draws.rows());
    Eigen::MatrixXd column(rows, static_cast<Eigen::Index>(chains.size()));
    for (const auto& row : table) {
      const auto index = detail::find_column(chains.front(), row.name);
      if (index < 0) {
        nested.push_back(std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      for (std::size_t c = 0; c < chains.size(); ++c)
        column.col(static_cast<Eigen::Index>(c)) = chains[c].draws.col(index).head(rows);
      nested.push_back(nested_rhat(column, superchain));
    }
  }
  for (auto& w : convergence_warnings(table, static_cast<int>(chains.size()), thresholds, nested,
                                      static_cast<int>(distinct.size())))
    warnings.push_back(std::move(w));
  return warnings;
}

STATIX_RUNTIME_INLINE std::vector<std::string>
warning_messages(const std::vector<diagnostic_warning>& warnings) {
  std::vector<std::string> messages;
  messages.reserve(warnings.size());
  for (const auto& w : warnings)
    messages.push_back(w.message);
  return messages;
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
