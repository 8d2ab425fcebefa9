#pragma once

// Data of the recursion benchmark (recursion_benchmark.cpp): a K-state
// Gaussian hidden Markov model and GARCH(1,1) returns, simulated from fixed
// seeds, and posteriordb's garch data read from its Stan JSON file. Plain
// std::vector, as benchmark_data.hpp: the Stan translation unit receives the
// same arrays through pointers.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace statix_bench {

// posteriordb's hmm_example generalised to K states: y[t] ~ normal(mu[z_t], 1)
// with emission means 3, 10, 17, ... (hmm_example's prior means for K = 2),
// the chain staying in its state with probability 0.85 and otherwise moving
// to one of the others uniformly; z_0 uniform.
struct hmm_data {
  int k = 0;
  std::vector<double> y;
  std::vector<double> prior_mean; // mu[k] ~ normal(prior_mean[k], 1)
  std::vector<double> true_mu;
};

inline double hmm_state_mean(int state) {
  return 3.0 + 7.0 * state;
}

inline hmm_data make_hmm_data(int n, int k, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  std::uniform_real_distribution<double> u;
  std::uniform_int_distribution<int> pick(0, k - 1);
  hmm_data d{k, std::vector<double>(n), std::vector<double>(k), std::vector<double>(k)};
  for (int s = 0; s < k; ++s)
    d.prior_mean[s] = d.true_mu[s] = hmm_state_mean(s);
  int state = pick(g);
  for (int t = 0; t < n; ++t) {
    if (t > 0 && u(g) >= 0.85) {
      std::uniform_int_distribution<int> other(0, k - 2);
      const int o = other(g);
      state = o >= state ? o + 1 : o;
    }
    d.y[t] = d.true_mu[state] + z(g);
  }
  return d;
}

// GARCH(1,1) returns (posteriordb's garch11): sigma[0] = sigma1,
// sigma[t] = sqrt(alpha0 + alpha1 (y[t-1] - mu)^2 + beta1 sigma[t-1]^2),
// y[t] ~ normal(mu, sigma[t]).
struct garch_data {
  std::vector<double> y;
  double sigma1 = 0;
  std::string source;
};

inline garch_data make_garch_data(int n, unsigned seed) {
  const double mu = 5.0, alpha0 = 0.5, alpha1 = 0.3, beta1 = 0.5, sigma1 = 0.5;
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  garch_data d{std::vector<double>(n), sigma1, "simulated"};
  double s = sigma1;
  for (int t = 0; t < n; ++t) {
    if (t > 0)
      s = std::sqrt(alpha0 + alpha1 * (d.y[t - 1] - mu) * (d.y[t - 1] - mu) + beta1 * s * s);
    d.y[t] = mu + s * z(g);
  }
  return d;
}

// posteriordb's garch data (data.json: T, y, sigma1); a minimal reader for
// this one file, so that the benchmark needs no JSON library. Empty y when
// the file is missing.
inline garch_data read_posteriordb_garch_data(const std::string& path) {
  garch_data d;
  d.source = path;
  std::ifstream in(path);
  if (!in) return d;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  auto number_after = [&text](const std::string& key, std::size_t& pos) {
    pos = text.find("\"" + key + "\"");
    if (pos == std::string::npos) return false;
    pos = text.find(':', pos) + 1;
    return true;
  };
  std::size_t pos = 0;
  if (!number_after("sigma1", pos)) return garch_data{};
  d.sigma1 = std::strtod(text.c_str() + pos, nullptr);
  if (!number_after("T", pos)) return garch_data{};
  const long n = std::strtol(text.c_str() + pos, nullptr, 10);
  if (!number_after("y", pos)) return garch_data{};
  pos = text.find('[', pos) + 1;
  const char* p = text.c_str() + pos;
  for (long t = 0; t < n; ++t) {
    char* end = nullptr;
    d.y.push_back(std::strtod(p, &end));
    if (end == p) return garch_data{};
    p = end;
    while (*p == ',' || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
      ++p;
  }
  if (*p != ']') return garch_data{};
  return d;
}

} // namespace statix_bench
