// Exact-posterior checks of the structured transforms by sampling: a prior
// alone is the posterior, and its marginals are known in closed form.
// - LKJ(eta) on a K x K correlation matrix: every off-diagonal r has
//   (r + 1) / 2 ~ Beta(eta - 1 + K/2, eta - 1 + K/2) (Lewandowski, Kurowicka
//   & Joe 2009, section 3.2), through lkj_corr_cholesky (r from L L^T) and
//   through lkj_corr (r read off the matrix);
// - Dirichlet(alpha): theta_k ~ Beta(alpha_k, sum(alpha) - alpha_k);
// - a flat simplex of 4 is Dirichlet(1, 1, 1, 1): p_k ~ Beta(1, 3).
// Each marginal is checked by four statistics, each a z-score with the Monte
// Carlo standard error of the fit's draws (sx::mcse_mean: sd / sqrt(ESS of the
// mean), one column per chain):
// - the mean;
// - the variance, as the mean of (x - E x)^2 with the exact E x;
// - the 10% and 90% quantiles, as the fraction of draws below the exact
//   quantile (its expectation is 0.1 / 0.9).
// The bound |z| < 4: all the checks of one run make about 190 z-scores; at
// 4 sigma a normal z exceeds it with probability 6.3e-5, so the family-wise
// false-alarm rate is about 1% (Bonferroni at 5% over 190 would be 3.9).
//
// The same statistics fail when the Jacobian of the constraining transform is
// dropped: `without_jacobian` forces density_options::jacobian = false on the
// model the sampler sees. Cases where that density is still proper (and so
// still sampled to a stationary distribution, only a wrong one):
// - LKJ with eta = 2.5: the unconstrained density is then
//   prod_k L_kk^(K - k - 1 + 2 eta - 2) (0-based k), each canonical partial
//   correlation z = tanh(y) entering some L_kk with a positive power of
//   sech(y); at eta = 1 the last row's power is 0 and the density is flat in
//   those coordinates (improper), so eta = 1 is not used there;
// - Dirichlet(alpha) with every alpha_k > 1 (stick-breaking without its
//   Jacobian: prod theta_k^(alpha_k - 1), integrable as any coordinate goes
//   to +-infinity only if every alpha_k > 1). This is also the check of the
//   simplex transform's Jacobian: a flat simplex without it is the constant
//   density on R^(K-1), improper.
// These must give |z| > 8 for at least one statistic.
//
// Every run: NUTS, 4 chains x 1000 warm-up x 2000 draws. The seed is fixed
// (1); STATIX_STRUCTURED_SEED overrides it, to run the checks over many seeds.
#include <statix/statix.hpp>

#include <boost/math/distributions/beta.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace sx = statix;

namespace {

constexpr int chains = 4;
constexpr int draws_per_chain = 2000;

std::uint64_t run_seed() {
  if (const char* s = std::getenv("STATIX_STRUCTURED_SEED"))
    return static_cast<std::uint64_t>(std::strtoull(s, nullptr, 10));
  return 1;
}

sx::nuts run_options() {
  return sx::nuts{.chains = chains,
                  .warmup = 1000,
                  .draws = draws_per_chain,
                  .seed = run_seed(),
                  .progress = 0};
}

// The model the sampler sees with the Jacobian of every transform dropped
// (the samplers call log_density_gradient(x, grad, options) on the model type).
template <class M>
struct without_jacobian : M {
  explicit without_jacobian(const M& m) : M(m) {}
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g,
                              statix::density_options o = {}) const {
    o.jacobian = false;
    return M::log_density_gradient(x, g, o);
  }
};

// One column of the concatenated draws of all chains, as draws x chains.
Eigen::MatrixXd by_chain(const Eigen::VectorXd& all) {
  REQUIRE(all.size() == chains * draws_per_chain);
  return Eigen::Map<const Eigen::MatrixXd>(all.data(), draws_per_chain, chains);
}

struct worst_z {
  double z = 0;
  std::string where;
  void update(double value, const std::string& what) {
    if (std::isnan(z)) return; // NaN counts as worst
    if (!(std::abs(value) <= std::abs(z))) {
      z = value;
      where = what;
    }
  }
};

// x = lo + (hi - lo) B, B ~ Beta(a, b): the four z-scores of one quantity's
// draws (draws x chains), folded into `worst`.
void marginal_z(const Eigen::MatrixXd& x, double a, double b, double lo, double hi,
                const std::string& label, worst_z& worst) {
  const boost::math::beta_distribution<double> beta(a, b);
  const double width = hi - lo;
  const double mean = lo + width * boost::math::mean(beta);
  const double variance = width * width * boost::math::variance(beta);
  worst.update((x.mean() - mean) / sx::mcse_mean(x), label + " mean");
  const Eigen::MatrixXd squared = (x.array() - mean).square().matrix();
  worst.update((squared.mean() - variance) / sx::mcse_mean(squared), label + " variance");
  for (const double p : {0.1, 0.9}) {
    const double q = lo + width * boost::math::quantile(beta, p);
    const Eigen::MatrixXd below = (x.array() <= q).cast<double>().matrix();
    worst.update((below.mean() - p) / sx::mcse_mean(below),
                 label + " P(x <= q" + std::to_string(static_cast<int>(p * 100)) + ")");
  }
}

// Off-diagonal (i, j), i > j, of each draw of a K x K matrix stored
// column-major in the rows of `m`: the element itself, or of L L^T.
Eigen::VectorXd off_diagonal(const Eigen::MatrixXd& m, int K, int i, int j, bool cholesky) {
  Eigen::VectorXd out(m.rows());
  for (Eigen::Index d = 0; d < m.rows(); ++d) {
    if (cholesky) {
      double s = 0;
      for (int k = 0; k <= j; ++k)
        s += m(d, k * K + i) * m(d, k * K + j);
      out[d] = s;
    } else {
      out[d] = m(d, j * K + i);
    }
  }
  return out;
}

// Every off-diagonal of the LKJ(eta) draws against the scaled Beta.
worst_z lkj_z(const Eigen::MatrixXd& m, int K, double eta, bool cholesky) {
  worst_z worst;
  const double a = eta - 1 + K / 2.0;
  for (int j = 0; j < K; ++j)
    for (int i = j + 1; i < K; ++i)
      marginal_z(by_chain(off_diagonal(m, K, i, j, cholesky)), a, a, -1.0, 1.0,
                 "r(" + std::to_string(i + 1) + "," + std::to_string(j + 1) + ")", worst);
  return worst;
}

// Every theta_k of Dirichlet(alpha) draws (draws x K) against its Beta.
worst_z dirichlet_z(const Eigen::MatrixXd& theta, const Eigen::VectorXd& alpha) {
  worst_z worst;
  REQUIRE(theta.cols() == alpha.size());
  for (int k = 0; k < alpha.size(); ++k)
    marginal_z(by_chain(theta.col(k)), alpha[k], alpha.sum() - alpha[k], 0.0, 1.0,
               "theta" + std::to_string(k + 1), worst);
  return worst;
}

struct timer {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};

void report(const std::string& label, const worst_z& w, double seconds, long long divergent) {
  char line[256];
  std::snprintf(line, sizeof line, "%-44s seed %llu: worst z %8.2f (%s), %.2f s, %lld divergent\n",
                label.c_str(), static_cast<unsigned long long>(run_seed()), w.z, w.where.c_str(),
                seconds, divergent);
  std::cout << line << std::flush;
}

template <bool Jacobian>
worst_z run_lkj_cholesky(int K, double eta) {
  auto L = sx::lkj_corr_cholesky<"L">(eta, sx::size(K));
  auto model = sx::model(L);
  timer t;
  const auto fit = [&] {
    if constexpr (Jacobian)
      return sx::sample(model, run_options());
    else
      return sx::sample(without_jacobian<decltype(model)>(model), run_options());
  }();
  const worst_z w = lkj_z(fit.template draws<"L">(), K, eta, true);
  report(std::string(Jacobian ? "" : "NO JACOBIAN ") + "lkj_corr_cholesky K=" + std::to_string(K) +
             " eta=" + std::to_string(eta).substr(0, 3),
         w, t.seconds(), fit.num_divergent());
  return w;
}

template <bool Jacobian>
worst_z run_lkj_corr(int K, double eta) {
  auto omega = sx::lkj_corr<"Omega">(eta, sx::size(K));
  auto model = sx::model(omega);
  timer t;
  const auto fit = [&] {
    if constexpr (Jacobian)
      return sx::sample(model, run_options());
    else
      return sx::sample(without_jacobian<decltype(model)>(model), run_options());
  }();
  const worst_z w = lkj_z(fit.template draws<"Omega">(), K, eta, false);
  report(std::string(Jacobian ? "" : "NO JACOBIAN ") + "lkj_corr K=" + std::to_string(K) +
             " eta=" + std::to_string(eta).substr(0, 3),
         w, t.seconds(), fit.num_divergent());
  return w;
}

template <bool Jacobian>
worst_z run_dirichlet(const Eigen::VectorXd& alpha, const std::string& label) {
  auto theta = sx::dirichlet<"theta">(alpha);
  auto model = sx::model(theta);
  timer t;
  const auto fit = [&] {
    if constexpr (Jacobian)
      return sx::sample(model, run_options());
    else
      return sx::sample(without_jacobian<decltype(model)>(model), run_options());
  }();
  const worst_z w = dirichlet_z(fit.template draws<"theta">(), alpha);
  report(std::string(Jacobian ? "" : "NO JACOBIAN ") + "dirichlet(" + label + ")", w, t.seconds(),
         fit.num_divergent());
  return w;
}

Eigen::VectorXd alpha_small() { // one alpha below 1: theta_1 piles up at 0
  Eigen::VectorXd a(4);
  a << 0.7, 1.5, 3.0, 5.0;
  return a;
}

Eigen::VectorXd alpha_above_one() { // proper without the Jacobian as well
  Eigen::VectorXd a(4);
  a << 2.0, 3.0, 4.0, 6.0;
  return a;
}

} // namespace

TEST_CASE("LKJ(eta) prior alone through lkj_corr_cholesky: off-diagonals of L L^T are "
          "scaled Beta",
          "[infer][slow][structured]") {
  for (const int K : {3, 4})
    for (const double eta : {1.0, 2.5}) {
      const worst_z w = run_lkj_cholesky<true>(K, eta);
      INFO("K = " << K << ", eta = " << eta << ": worst z " << w.z << " (" << w.where << ")");
      CHECK(std::abs(w.z) < 4.0);
    }
}

TEST_CASE("LKJ(eta) prior alone through lkj_corr: off-diagonals are scaled Beta",
          "[infer][slow][structured]") {
  for (const int K : {3, 4})
    for (const double eta : {1.0, 2.5}) {
      const worst_z w = run_lkj_corr<true>(K, eta);
      INFO("K = " << K << ", eta = " << eta << ": worst z " << w.z << " (" << w.where << ")");
      CHECK(std::abs(w.z) < 4.0);
    }
}

TEST_CASE("Dirichlet(alpha) prior alone: theta_k ~ Beta(alpha_k, sum(alpha) - alpha_k)",
          "[infer][slow][structured]") {
  const worst_z small = run_dirichlet<true>(alpha_small(), "0.7, 1.5, 3, 5");
  INFO("worst z " << small.z << " (" << small.where << ")");
  CHECK(std::abs(small.z) < 4.0);
  const worst_z above = run_dirichlet<true>(alpha_above_one(), "2, 3, 4, 6");
  INFO("worst z " << above.z << " (" << above.where << ")");
  CHECK(std::abs(above.z) < 4.0);
}

TEST_CASE("a flat simplex is uniform on the simplex: p_k ~ Beta(1, K - 1)",
          "[infer][slow][structured]") {
  auto p = sx::flat<"p">(sx::simplex(4));
  auto model = sx::model(p);
  timer t;
  const auto fit = sx::sample(model, run_options());
  const worst_z w = dirichlet_z(fit.draws<"p">(), Eigen::VectorXd::Ones(4));
  report("flat simplex(4)", w, t.seconds(), fit.num_divergent());
  INFO("worst z " << w.z << " (" << w.where << ")");
  CHECK(std::abs(w.z) < 4.0);
}

TEST_CASE("without the Jacobian the LKJ, correlation-matrix and Dirichlet checks fail",
          "[infer][slow][structured]") {
  for (const int K : {3, 4}) {
    const worst_z chol = run_lkj_cholesky<false>(K, 2.5);
    INFO("lkj_corr_cholesky K = " << K << ": worst z " << chol.z << " (" << chol.where << ")");
    CHECK(std::abs(chol.z) > 8.0);
    const worst_z corr = run_lkj_corr<false>(K, 2.5);
    INFO("lkj_corr K = " << K << ": worst z " << corr.z << " (" << corr.where << ")");
    CHECK(std::abs(corr.z) > 8.0);
  }
  const worst_z dir = run_dirichlet<false>(alpha_above_one(), "2, 3, 4, 6");
  INFO("dirichlet: worst z " << dir.z << " (" << dir.where << ")");
  CHECK(std::abs(dir.z) > 8.0);
}
