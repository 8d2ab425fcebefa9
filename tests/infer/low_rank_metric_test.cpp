// The low-rank metric (metric::low_rank, and metric::automatic above 300
// parameters): its algebra against the matrix it stands for, its estimate on
// exact Gaussian draws against the covariance, and whole NUTS runs on a
// Gaussian with a few strongly correlated directions.
#include "gaussian_feed.hpp"
#include "test_models.hpp"

#include <statix/infer/fisher_adaptation.hpp>
#include <statix/infer/sample_chains.hpp>
#include <statix/io/cmdstan_csv.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <random>

namespace sx = statix;
using namespace test_models;

namespace {

// k orthonormal columns of a random d x k matrix.
Eigen::MatrixXd orthonormal_columns(int d, int k, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd a(d, k);
  for (int j = 0; j < k; ++j)
    for (int i = 0; i < d; ++i)
      a(i, j) = normal(rng);
  return Eigen::HouseholderQR<Eigen::MatrixXd>(a).householderQ() * Eigen::MatrixXd::Identity(d, k);
}

// D^{1/2} (I + V (Lambda - I) V') D^{1/2}, assembled.
Eigen::MatrixXd low_rank_matrix(const Eigen::VectorXd& diag, const Eigen::MatrixXd& v,
                                const Eigen::VectorXd& lambda) {
  const int d = static_cast<int>(diag.size());
  Eigen::MatrixXd inner = Eigen::MatrixXd::Identity(d, d);
  inner += v * (lambda.array() - 1.0).matrix().asDiagonal() * v.transpose();
  const Eigen::VectorXd root = diag.cwiseSqrt();
  return root.asDiagonal() * inner * root.asDiagonal();
}

// Eigenvalues of cov^{-1/2} S cov^{-1/2}: how far the metric S is from
// whitening the Gaussian (all ones when S = cov).
Eigen::VectorXd whitened_eigenvalues(const Eigen::MatrixXd& s, const Eigen::MatrixXd& cov) {
  const Eigen::MatrixXd l = cov.llt().matrixL();
  const Eigen::MatrixXd left = l.triangularView<Eigen::Lower>().solve(s);
  const Eigen::MatrixXd both = l.triangularView<Eigen::Lower>().solve(left.transpose()).transpose();
  return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(0.5 * (both + both.transpose()))
      .eigenvalues();
}

// A covariance with widely different scales and k directions (in the scaled
// coordinates) of variance 30 and 1/30 times the rest.
Eigen::MatrixXd spiked_covariance(int d, int k, unsigned seed) {
  const Eigen::VectorXd scale = Eigen::VectorXd::LinSpaced(d, -2.0, 2.0).array().exp();
  Eigen::VectorXd lambda(k);
  for (int j = 0; j < k; ++j)
    lambda[j] = j % 2 == 0 ? 30.0 : 1.0 / 30.0;
  return low_rank_matrix(scale.array().square(), orthonormal_columns(d, k, seed), lambda);
}

} // namespace

TEST_CASE("a low-rank metric's velocity, momentum and matrix are those of the matrix it stands for",
          "[infer]") {
  const int d = 7;
  Eigen::VectorXd diag(d);
  diag << 0.01, 0.5, 1.0, 2.0, 4.0, 9.0, 100.0;
  const Eigen::MatrixXd v = orthonormal_columns(d, 2, 3);
  Eigen::VectorXd lambda(2);
  lambda << 25.0, 0.04;
  const Eigen::MatrixXd inv_metric = low_rank_matrix(diag, v, lambda);

  sx::euclidean_metric metric(sx::metric::low_rank, d);
  CHECK(metric.kind() == sx::metric::low_rank);
  CHECK(metric.rank() == 0);
  metric.set_low_rank(diag, v, lambda);
  CHECK(metric.rank() == 2);
  CHECK_FALSE(metric.elementwise());
  CHECK((metric.inverse_metric() - inv_metric).cwiseAbs().maxCoeff() < 1e-12 * 100);

  // velocity(p) = M^{-1} p.
  Eigen::VectorXd velocity(d);
  for (int j = 0; j < d; ++j) {
    const Eigen::VectorXd p = Eigen::VectorXd::Unit(d, j) + 0.3 * Eigen::VectorXd::Ones(d);
    metric.velocity(p, velocity);
    CHECK((velocity - inv_metric * p).cwiseAbs().maxCoeff() < 1e-12 * 100);
  }
  // Momenta p = B z, z standard normal, have covariance B B' = M.
  Eigen::MatrixXd b(d, d);
  for (int j = 0; j < d; ++j) {
    Eigen::VectorXd p = Eigen::VectorXd::Unit(d, j);
    metric.scale_momentum(p);
    b.col(j) = p;
  }
  const Eigen::MatrixXd identity = b * b.transpose() * inv_metric;
  INFO("B B' M^{-1}:\n" << identity);
  CHECK((identity - Eigen::MatrixXd::Identity(d, d)).cwiseAbs().maxCoeff() < 1e-10);

  // Rank 0 is the diagonal metric; set_diagonal keeps the low-rank kind.
  metric.set_diagonal(diag);
  CHECK(metric.kind() == sx::metric::low_rank);
  CHECK(metric.rank() == 0);
  const Eigen::VectorXd p = Eigen::VectorXd::LinSpaced(d, -1, 1);
  metric.velocity(p, velocity);
  CHECK((velocity - diag.cwiseProduct(p)).cwiseAbs().maxCoeff() < 1e-14 * 100);

  // A user's start is a vector; a matrix is refused with the sizes.
  sx::euclidean_metric user(sx::metric::low_rank, d);
  user.set_inverse_metric(diag);
  CHECK(user.inverse_diagonal() == diag);
  CHECK_THROWS_WITH(user.set_inverse_metric(inv_metric),
                    Catch::Contains("diagonal or low-rank metric must be a vector of 7 values"));
  CHECK_THROWS_WITH(user.set_low_rank(diag, Eigen::MatrixXd(6, 2), lambda),
                    Catch::Contains("got 7, 6 x 2 and 2"));
  CHECK_THROWS_WITH(user.set_low_rank(diag, v, Eigen::VectorXd(3)),
                    Catch::Contains("got 7, 7 x 2 and 3"));
}

TEST_CASE("the low-rank Fisher estimate whitens a Gaussian with a few correlated directions",
          "[infer]") {
  const int d = 40;
  const Eigen::MatrixXd cov = spiked_covariance(d, 3, 5);
  for (const sx::metric kind : {sx::metric::low_rank, sx::metric::diag}) {
    gaussian_feed feed(Eigen::VectorXd::Zero(d), cov, 17);
    sx::euclidean_metric metric(kind, d);
    sx::fisher_metric_adaptation adaptation(kind, d, 1000);
    adaptation.start(feed.next(), metric);
    for (int i = 0; i < 1000; ++i)
      adaptation.learn(i, feed.next(), metric);
    // The low-rank metric reports its whole matrix, the diagonal one a vector.
    const Eigen::MatrixXd inv_metric = metric.elementwise()
                                           ? Eigen::MatrixXd(metric.inverse_diagonal().asDiagonal())
                                           : metric.inverse_metric();
    const Eigen::VectorXd w = whitened_eigenvalues(inv_metric, cov);
    const double condition = w.maxCoeff() / w.minCoeff();
    INFO(sx::metric_name(kind) << ": rank " << metric.rank() << ", whitened eigenvalues "
                               << w.transpose());
    if (kind == sx::metric::low_rank) {
      CHECK(metric.kind() == sx::metric::low_rank);
      // The three spikes, and no more than a few directions besides.
      CHECK(metric.rank() >= 3);
      CHECK(metric.rank() <= 10);
      CHECK(condition < 4.0);
    } else {
      // The diagonal metric cannot undo the spikes: 30 / (1 / 30) in the worst case.
      CHECK(condition > 50.0);
    }
  }
}

TEST_CASE("metric::automatic above 300 parameters takes the low-rank metric for correlated draws",
          "[infer]") {
  const int d = 320;
  for (unsigned seed = 1; seed <= 3; ++seed) {
    for (const bool correlated : {false, true}) {
      const Eigen::MatrixXd cov =
          correlated ? spiked_covariance(d, 2, seed)
                     : Eigen::MatrixXd(Eigen::VectorXd::LinSpaced(d, 0.5, 5.0).asDiagonal());
      gaussian_feed feed(Eigen::VectorXd::Zero(d), cov, seed);
      sx::euclidean_metric metric(sx::metric::automatic, d);
      sx::fisher_metric_adaptation adaptation(sx::metric::automatic, d, 1000);
      adaptation.start(feed.next(), metric);
      for (int i = 0; i < 850; ++i)
        adaptation.learn(i, feed.next(), metric);
      INFO("seed " << seed << ", correlated " << correlated << ", rank " << metric.rank());
      CHECK(adaptation.chosen() == (correlated ? sx::metric::low_rank : sx::metric::diag));
      CHECK(metric.kind() == adaptation.chosen());
      if (correlated) CHECK(metric.rank() >= 2);
    }
  }
}

TEST_CASE("NUTS with metric::low_rank samples a Gaussian with correlated directions in fewer steps",
          "[infer]") {
  const int d = 50;
  const Eigen::MatrixXd cov = spiked_covariance(d, 2, 9);
  const gaussian_model model(Eigen::VectorXd::Zero(d), cov);
  const auto run = [&](sx::metric metric) {
    return sx::sample_chains(model, sx::nuts{.chains = 4,
                                             .warmup = 1000,
                                             .draws = 1000,
                                             .seed = 21,
                                             .metric = metric,
                                             .threads = 1,
                                             .progress = 0});
  };
  const auto low_rank = run(sx::metric::low_rank);
  const auto diag = run(sx::metric::diag);
  long long steps_low_rank = 0, steps_diag = 0;
  for (std::size_t c = 0; c < low_rank.size(); ++c) {
    CHECK(low_rank[c].draws.col(divergent_col).sum() == 0);
    steps_low_rank += low_rank[c].sampling_gradient_evaluations;
    steps_diag += diag[c].sampling_gradient_evaluations;
  }
  for (int i = 0; i < d; ++i) {
    const column_estimate e = estimate_column(low_rank, first_output_col + i);
    INFO("x." << i + 1 << ": mean " << e.mean << " +- " << e.mcse << ", sd "
              << std::sqrt(e.variance) << " against " << std::sqrt(cov(i, i)));
    CHECK(std::abs(e.mean) < 5 * e.mcse);
    CHECK(std::sqrt(e.variance / cov(i, i)) == Approx(1.0).margin(0.1));
  }
  INFO("leapfrog steps while sampling: low rank " << steps_low_rank << ", diag " << steps_diag);
  CHECK(2 * steps_low_rank < steps_diag);
}

TEST_CASE("a low-rank chain keeps its metric as factors; the fit and the CSV file give the matrix",
          "[infer]") {
  const int d = 40;
  const Eigen::MatrixXd cov = spiked_covariance(d, 2, 4);
  const gaussian_model model(Eigen::VectorXd::Zero(d), cov);
  const sx::nuts options{.chains = 2,
                         .warmup = 500,
                         .draws = 200,
                         .seed = 5,
                         .metric = sx::metric::low_rank,
                         .threads = 1,
                         .progress = 0};
  const auto chains = sx::sample_chains(model, options);
  for (const sx::chain_result& chain : chains) {
    // Factors: D as a column, V of d x k, lambda of k: no d x d matrix.
    CHECK_FALSE(chain.dense_metric);
    REQUIRE(chain.low_rank_metric);
    CHECK(chain.inv_metric.rows() == d);
    CHECK(chain.inv_metric.cols() == 1);
    const Eigen::Index k = chain.low_rank_vectors.cols();
    CHECK(k >= 2);
    CHECK(k < d / 2);
    CHECK(chain.low_rank_vectors.rows() == d);
    CHECK(chain.low_rank_eigenvalues.size() == k);
    // The matrix they stand for.
    const Eigen::MatrixXd matrix = sx::inverse_metric_matrix(chain);
    const Eigen::MatrixXd expected = low_rank_matrix(
        chain.inv_metric.col(0), chain.low_rank_vectors, chain.low_rank_eigenvalues);
    CHECK((matrix - expected).cwiseAbs().maxCoeff() < 1e-12 * expected.cwiseAbs().maxCoeff());
    // It whitens the posterior's correlated directions (condition 3.0-3.9
    // over seeds 1-12; a diagonal metric leaves more than 50).
    const Eigen::VectorXd w = whitened_eigenvalues(matrix, cov);
    INFO("whitened eigenvalues " << w.transpose());
    CHECK(w.maxCoeff() / w.minCoeff() < 6.0);
  }

  // The CSV file holds the matrix as dense_e, and a warm restart with the
  // dense metric takes it back.
  const auto dir = std::filesystem::temp_directory_path() / "statix_low_rank_csv";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  sx::run_info info = sx::make_run_info(options);
  sx::write_csv(dir / "low_rank.csv", chains, info);
  const sx::csv_file file = sx::read_csv(dir / "low_rank_1.csv");
  CHECK(file.config.at("metric") == "dense_e");
  const Eigen::MatrixXd written = sx::inverse_metric_matrix(chains[0]);
  REQUIRE(file.inv_metric.rows() == d);
  REQUIRE(file.inv_metric.cols() == d);
  CHECK((file.inv_metric - written).cwiseAbs().maxCoeff() < 1e-5 * written.cwiseAbs().maxCoeff());
  std::filesystem::remove_all(dir);

  sx::nuts next = options;
  next.warmup = 0;
  next.adapt = false;
  next.step_size = chains[0].step_size;
  next.metric = sx::metric::dense;
  next.inv_metric = written;
  const auto restarted = sx::sample_chains(model, next);
  CHECK(restarted[0].dense_metric);
  CHECK((restarted[0].inv_metric - written).cwiseAbs().maxCoeff() == 0.0);
}
