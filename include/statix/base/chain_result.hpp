#pragma once

#include <Eigen/Dense>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace statix {

// The seven sampler columns CmdStan writes before the model's quantities.
inline const std::vector<std::string>& sampler_column_names() {
  static const std::vector<std::string> names = {"lp__",        "accept_stat__", "stepsize__",
                                                 "treedepth__", "n_leapfrog__",  "divergent__",
                                                 "energy__"};
  return names;
}

// Everything one chain produced: what the fit, the diagnostics and the CSV
// writer need, and what a warm restart needs (step size and metric).
struct chain_result {
  int chain_id = 0; // 1-based, as CmdStan numbers chains
  // Columns: sampler_column_names() then the model's recorded quantities
  // (free variables on the constrained scale, then deterministics, CmdStan names).
  std::vector<std::string> column_names;
  Eigen::MatrixXd draws;        // one row per post-warm-up draw
  Eigen::MatrixXd warmup_draws; // one row per warm-up draw (empty unless saved)
  double step_size = 0;         // adapted step size
  bool dense_metric = false;
  // Diagonal metric: a column vector; dense: square; low rank: its diagonal D.
  Eigen::MatrixXd inv_metric;
  // A low-rank metric (metric::low_rank, or metric::automatic's choice above
  // 300 parameters) is kept as its factors, never as a dim x dim matrix: the
  // inverse metric D^{1/2} (I + V (diag(lambda) - I) V') D^{1/2}, V of dim x k
  // orthonormal columns. inverse_metric_matrix() builds the matrix.
  bool low_rank_metric = false;
  Eigen::MatrixXd low_rank_vectors;     // V
  Eigen::VectorXd low_rank_eigenvalues; // lambda
  Eigen::VectorXd last_position;        // unconstrained, for warm restarts
  double warmup_seconds = 0;
  double sampling_seconds = 0;
  long long gradient_evaluations = 0;          // whole chain, warm-up included
  long long sampling_gradient_evaluations = 0; // post-warm-up only
  bool stopped_early = false;                  // the cooperative stop flag was raised
  // Chains that share a start form a superchain (1, 2, ...; 0: none), for
  // nested R-hat: the ensemble samplers' chains started near one mode.
  int superchain = 0;
};

// Row r of the low-rank inverse metric D^{1/2} (I + V (diag(lambda) - I) V')
// D^{1/2} from its factors (D: `diagonal`, V: `vectors`, dim x k, lambda:
// `eigenvalues`) into `row` (dim values). Loops, not Eigen products: this
// header is compiled in every file that samples, and each product expression
// costs compile time there.
inline void low_rank_inverse_metric_row(Eigen::Ref<const Eigen::VectorXd> diagonal,
                                        const Eigen::MatrixXd& vectors,
                                        const Eigen::VectorXd& eigenvalues, Eigen::Index r,
                                        double* row) {
  const Eigen::Index dim = diagonal.size();
  const double root_r = std::sqrt(diagonal[r]);
  for (Eigen::Index c = 0; c < dim; ++c) {
    double inner = r == c ? 1.0 : 0.0;
    for (Eigen::Index j = 0; j < vectors.cols(); ++j)
      inner += (eigenvalues[j] - 1.0) * vectors(r, j) * vectors(c, j);
    row[c] = root_r * inner * std::sqrt(diagonal[c]);
  }
}

// The whole matrix (symmetric: column c is row c).
inline Eigen::MatrixXd low_rank_inverse_metric(Eigen::Ref<const Eigen::VectorXd> diagonal,
                                               const Eigen::MatrixXd& vectors,
                                               const Eigen::VectorXd& eigenvalues) {
  const Eigen::Index dim = diagonal.size();
  Eigen::MatrixXd m(dim, dim);
  for (Eigen::Index c = 0; c < dim; ++c)
    low_rank_inverse_metric_row(diagonal, vectors, eigenvalues, c, m.col(c).data());
  return m;
}

// Row r of a low-rank chain's inverse metric.
inline void low_rank_inverse_metric_row(const chain_result& chain, Eigen::Index r, double* row) {
  low_rank_inverse_metric_row(chain.inv_metric.col(0), chain.low_rank_vectors,
                              chain.low_rank_eigenvalues, r, row);
}

// The chain's inverse metric as a matrix: a column for a diagonal metric, the
// square matrix for a dense or a low-rank one (built from its factors).
inline Eigen::MatrixXd inverse_metric_matrix(const chain_result& chain) {
  if (!chain.low_rank_metric) return chain.inv_metric;
  return low_rank_inverse_metric(chain.inv_metric.col(0), chain.low_rank_vectors,
                                 chain.low_rank_eigenvalues);
}

// How the chains were run: written as `#` comment lines in the CSV files and
// used by the warnings (tree depth saturation needs max_depth).
struct run_info {
  std::string algorithm = "nuts"; // "nuts", "hmc", "chees" or "meads"
  std::string engine = "nuts";
  int num_warmup = 1000;
  int num_samples = 1000;
  int num_chains = 4;
  std::uint64_t seed = 1;
  double target_accept = 0.8;
  int max_depth = 10;
  int hmc_steps = 0;
  std::string metric = "diag_e"; // CmdStan's names: diag_e, dense_e, unit_e
  bool adapt = true;
  bool save_warmup = false;
  int threads = 1;
  int thin = 1; // every thin-th iteration kept
  // The log density's arithmetic: "double", or "float" under
  // sx::device_policy<float> (the sampler's own state is double either way).
  std::string precision = "double";
};

} // namespace statix
