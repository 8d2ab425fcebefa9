// The matrix kernels of math/linear_algebra: values against naive references,
// reverse-mode adjoints against central finite differences of
// f = sum(W .* out) for random W, and forward mode (duals) against the adjoint.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "statix/math/linear_algebra.hpp"

namespace m = statix::math;
using d1 = m::dual<double, 1>;
using vec = std::vector<double>;

namespace {

vec random_vector(int n, std::mt19937& rng, double lo = -1.0, double hi = 1.0) {
  std::uniform_real_distribution<double> u(lo, hi);
  vec v(static_cast<std::size_t>(n));
  for (double& x : v)
    x = u(rng);
  return v;
}

// A well-conditioned symmetric positive-definite K x K matrix: M M^T / K + I.
vec spd_matrix(int K, std::mt19937& rng) {
  const vec M = random_vector(K * K, rng);
  vec A(static_cast<std::size_t>(K * K));
  for (int j = 0; j < K; ++j) {
    for (int i = 0; i < K; ++i) {
      double sum = 0;
      for (int k = 0; k < K; ++k)
        sum += M[i + k * K] * M[j + k * K];
      A[i + j * K] = sum / K + (i == j ? 1.0 : 0.0);
    }
  }
  return A;
}

double weighted_sum(const vec& w, const vec& out) {
  double sum = 0;
  for (std::size_t i = 0; i < w.size(); ++i)
    sum += w[i] * out[i];
  return sum;
}

// Fourth-order central difference of g at 0 (truncation error O(h^4)).
double derivative(const std::function<double(double)>& g, double h = 1e-3) {
  return (8 * (g(h) - g(-h)) - (g(2 * h) - g(-2 * h))) / (12 * h);
}

void check_close(double ad, double fd) {
  CHECK(ad == Approx(fd).epsilon(1e-6).margin(1e-9));
}

// Checks the adjoint of out = value(x) entry by entry: adjoint(x, W) must add
// d sum(W .* value(x)) / dx to a zero gradient.
void check_gradient(const vec& x, int out_size, const std::function<vec(const vec&)>& value,
                    const std::function<vec(const vec&, const vec&)>& adjoint, std::mt19937& rng) {
  const vec w = random_vector(out_size, rng);
  const vec grad = adjoint(x, w);
  REQUIRE(grad.size() == x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double fd = derivative([&](double t) {
      vec moved = x;
      moved[i] += t;
      return weighted_sum(w, value(moved));
    });
    check_close(grad[i], fd);
  }
}

vec cholesky_value(int K, const vec& A) {
  vec L(A.size());
  REQUIRE(m::cholesky_decompose(K, A.data(), L.data()));
  return L;
}

vec cholesky_adjoint(int K, const vec& L, const vec& L_adj) {
  vec A_adj(L.size(), 0.0);
  vec scratch(static_cast<std::size_t>(m::cholesky_adjoint_scratch_size(K)));
  m::cholesky_decompose_adjoint(K, L.data(), L_adj.data(), A_adj.data(), scratch.data());
  return A_adj;
}

} // namespace

TEST_CASE("cholesky_decompose: value against Eigen and L L^T", "[math]") {
  std::mt19937 rng(11);
  for (int K : {1, 2, 5, 40, 150}) {
    const vec A = spd_matrix(K, rng);
    const vec L = cholesky_value(K, A);
    const Eigen::MatrixXd reference =
        Eigen::Map<const Eigen::MatrixXd>(A.data(), K, K).llt().matrixL();
    for (int j = 0; j < K; ++j) {
      for (int i = 0; i < K; ++i) {
        if (i < j) {
          CHECK(L[i + j * K] == 0.0);
        } else {
          CHECK(L[i + j * K] == Approx(reference(i, j)).epsilon(1e-12).margin(1e-14));
        }
      }
    }
    // L L^T = A by the triple loop of multiply_lower_tri_self_transpose's reference
    for (int j = 0; j < K; j += 7) {
      for (int i = 0; i < K; i += 3) {
        double sum = 0;
        for (int k = 0; k < K; ++k)
          sum += L[i + k * K] * L[j + k * K];
        CHECK(sum == Approx(A[i + j * K]).epsilon(1e-12).margin(1e-13));
      }
    }
  }
}

TEST_CASE("cholesky_decompose: in place, and the empty matrix", "[math]") {
  std::mt19937 rng(21);
  const int K = 6;
  vec A = spd_matrix(K, rng);
  const vec L = cholesky_value(K, A);
  REQUIRE(m::cholesky_decompose(K, A.data(), A.data()));
  for (int i = 0; i < K * K; ++i)
    CHECK(A[i] == L[i]);
  double none = 0;
  CHECK(m::cholesky_decompose(0, &none, &none));
  m::cholesky_decompose_adjoint(0, &none, &none, &none, &none);
}

TEST_CASE("the Eigen-based adjoints in duals agree with double", "[math]") {
  std::mt19937 rng(22);
  const int N = 5, M = 3;
  const vec p = random_vector(N * N + N * M, rng), w = random_vector(M * M, rng);
  vec grad(p.size(), 0.0), scratch(static_cast<std::size_t>(m::quad_form_scratch_size(N, M)));
  m::quad_form_adjoint(N, M, p.data(), p.data() + N * N, w.data(), grad.data(), grad.data() + N * N,
                       scratch.data());
  std::vector<d1> pd(p.begin(), p.end()), wd(w.begin(), w.end()), gd(p.size(), d1(0.0)),
      sd(scratch.size());
  m::quad_form_adjoint(N, M, pd.data(), pd.data() + N * N, wd.data(), gd.data(), gd.data() + N * N,
                       sd.data());
  for (std::size_t i = 0; i < p.size(); ++i)
    CHECK(gd[i].val == Approx(grad[i]).epsilon(1e-13));

  vec L = random_vector(N * N, rng);
  for (int i = 0; i < N; ++i)
    L[i + i * N] += 3.0;
  const vec B = random_vector(N * M, rng), X_adj = random_vector(N * M, rng);
  vec X(N * M), L_adj(N * N, 0.0), B_adj(N * M, 0.0), s(N * M);
  m::mdivide_left_tri_low(N, M, L.data(), B.data(), X.data());
  m::mdivide_left_tri_low_adjoint(N, M, L.data(), X.data(), X_adj.data(), L_adj.data(),
                                  B_adj.data(), s.data());
  std::vector<d1> Ld(L.begin(), L.end()), Bd(B.begin(), B.end()), Xd(N * M),
      Xad(X_adj.begin(), X_adj.end()), Lad(N * N, d1(0.0)), Bad(N * M, d1(0.0)), sdd(N * M);
  m::mdivide_left_tri_low(N, M, Ld.data(), Bd.data(), Xd.data());
  m::mdivide_left_tri_low_adjoint(N, M, Ld.data(), Xd.data(), Xad.data(), Lad.data(), Bad.data(),
                                  sdd.data());
  for (int i = 0; i < N * M; ++i) {
    CHECK(Xd[i].val == Approx(X[i]).epsilon(1e-13));
    CHECK(Bad[i].val == Approx(B_adj[i]).epsilon(1e-13));
  }
  for (int i = 0; i < N * N; ++i)
    CHECK(Lad[i].val == Approx(L_adj[i]).epsilon(1e-13).margin(1e-15));
}

TEST_CASE("cholesky_decompose: bad matrices give false, nothing thrown", "[math]") {
  std::mt19937 rng(12);
  const int K = 5;
  vec L(K * K);
  vec indefinite = spd_matrix(K, rng);
  indefinite[2 + 2 * K] = -3.0;
  CHECK_NOTHROW(m::cholesky_decompose(K, indefinite.data(), L.data()));
  CHECK_FALSE(m::cholesky_decompose(K, indefinite.data(), L.data()));

  vec singular(K * K, 1.0); // rank one
  CHECK_FALSE(m::cholesky_decompose(K, singular.data(), L.data()));

  for (double bad :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    for (int where : {0, 1 + 3 * K, 3 + 1 * K, K * K - 1}) {
      vec A = spd_matrix(K, rng);
      A[where] = bad;
      CHECK_NOTHROW(m::cholesky_decompose(K, A.data(), L.data()));
      CHECK_FALSE(m::cholesky_decompose(K, A.data(), L.data()));
    }
  }

  vec asymmetric = spd_matrix(K, rng);
  asymmetric[1 + 3 * K] += 1e-3;
  CHECK_FALSE(m::cholesky_decompose(K, asymmetric.data(), L.data()));

  // the same for duals
  std::vector<d1> A_dual(K * K), L_dual(K * K);
  for (int i = 0; i < K * K; ++i)
    A_dual[i] = d1(indefinite[i]);
  CHECK_FALSE(m::cholesky_decompose(K, A_dual.data(), L_dual.data()));
  A_dual[0] = d1(std::numeric_limits<double>::quiet_NaN());
  CHECK_FALSE(m::cholesky_decompose(K, A_dual.data(), L_dual.data()));
}

TEST_CASE("cholesky_decompose_adjoint: finite differences of symmetric perturbations", "[math]") {
  std::mt19937 rng(13);
  for (int K : {1, 2, 5, 40, 150}) {
    CAPTURE(K);
    const vec A = spd_matrix(K, rng);
    const vec L = cholesky_value(K, A);
    const vec W = random_vector(K * K, rng);
    const vec A_adj = cholesky_adjoint(K, L, W);
    // symmetric split: A_adj(i, j) == A_adj(j, i)
    for (int j = 0; j < K; ++j) {
      for (int i = j + 1; i < K; ++i)
        CHECK(A_adj[i + j * K] == A_adj[j + i * K]);
    }
    const auto f = [&](const vec& moved) { return weighted_sum(W, cholesky_value(K, moved)); };
    // every pair for the small sizes, a random sample of pairs at K = 150
    std::uniform_int_distribution<int> pick(0, K - 1);
    const int pairs = K <= 40 ? K * (K + 1) / 2 : 60;
    int checked = 0;
    for (int j = 0; j < K && checked < pairs; ++j) {
      for (int i = j; i < K && checked < pairs; ++i, ++checked) {
        int r = i, c = j;
        if (K > 40) {
          r = pick(rng);
          c = pick(rng);
        }
        const double fd = derivative([&](double t) {
          vec moved = A;
          moved[r + c * K] += t;
          if (r != c) moved[c + r * K] += t;
          return f(moved);
        });
        const double ad = r == c ? A_adj[r + c * K] : A_adj[r + c * K] + A_adj[c + r * K];
        check_close(ad, fd);
      }
    }
    // one random symmetric direction through every entry at once
    vec dA = random_vector(K * K, rng);
    for (int j = 0; j < K; ++j) {
      for (int i = j + 1; i < K; ++i)
        dA[j + i * K] = dA[i + j * K];
    }
    const double fd = derivative([&](double t) {
      vec moved = A;
      for (int i = 0; i < K * K; ++i)
        moved[i] += t * dA[i];
      return f(moved);
    });
    check_close(weighted_sum(A_adj, dA), fd);

    // forward mode: chol(A + t dA) in duals gives the same directional derivative
    std::vector<d1> A_dual(K * K), L_dual(K * K);
    for (int i = 0; i < K * K; ++i) {
      A_dual[i] = d1(A[i]);
      A_dual[i].tan[0] = dA[i];
    }
    REQUIRE(m::cholesky_decompose(K, A_dual.data(), L_dual.data()));
    double forward = 0;
    for (int i = 0; i < K * K; ++i) {
      CHECK(L_dual[i].val == Approx(L[i]).epsilon(1e-12).margin(1e-14));
      forward += W[i] * L_dual[i].tan[0];
    }
    check_close(forward, weighted_sum(A_adj, dA));
  }
}

TEST_CASE("cholesky_decompose_adjoint in duals: forward over reverse", "[math]") {
  // The tangent of A_adj along dA against finite differences of A_adj itself
  // (a Hessian-vector product), on the unblocked (K = 5) and blocked (K = 40) paths.
  std::mt19937 rng(14);
  for (int K : {5, 40}) {
    CAPTURE(K);
    const vec A = spd_matrix(K, rng);
    const vec W = random_vector(K * K, rng);
    vec dA = random_vector(K * K, rng);
    for (int j = 0; j < K; ++j) {
      for (int i = j + 1; i < K; ++i)
        dA[j + i * K] = dA[i + j * K];
    }
    std::vector<d1> A_dual(K * K), L_dual(K * K), W_dual(K * K), A_adj_dual(K * K, d1(0.0));
    for (int i = 0; i < K * K; ++i) {
      A_dual[i] = d1(A[i]);
      A_dual[i].tan[0] = dA[i];
      W_dual[i] = d1(W[i]);
    }
    REQUIRE(m::cholesky_decompose(K, A_dual.data(), L_dual.data()));
    std::vector<d1> scratch(static_cast<std::size_t>(m::cholesky_adjoint_scratch_size(K)));
    m::cholesky_decompose_adjoint(K, L_dual.data(), W_dual.data(), A_adj_dual.data(),
                                  scratch.data());
    for (int index : {0, 1, K + 1, K * K - 1, (K / 2) + (K / 3) * K}) {
      const double fd = derivative([&](double t) {
        vec moved = A;
        for (int i = 0; i < K * K; ++i)
          moved[i] += t * dA[i];
        return cholesky_adjoint(K, cholesky_value(K, moved), W)[index];
      });
      CHECK(A_adj_dual[index].val == Approx(cholesky_adjoint(K, cholesky_value(K, A), W)[index]));
      check_close(A_adj_dual[index].tan[0], fd);
    }
  }
}

TEST_CASE("gp_exp_quad_cov: value and adjoint, one and several dimensions", "[math]") {
  std::mt19937 rng(15);
  const double alpha = 1.3, rho = 0.7;
  // 1-D with duplicated inputs
  const vec x = {0.5, -1.2, 0.5, 2.0, 0.0, -1.2, 0.9};
  const int N = static_cast<int>(x.size());
  vec K(N * N);
  m::gp_exp_quad_cov(N, x.data(), alpha, rho, K.data());
  for (int j = 0; j < N; ++j) {
    for (int i = 0; i < N; ++i) {
      const double d = x[i] - x[j];
      CHECK(K[i + j * N] == Approx(alpha * alpha * std::exp(-d * d / (2 * rho * rho))));
    }
  }
  CHECK(K[0 + 2 * N] == alpha * alpha); // duplicates: the full prior variance
  CHECK(K[1 + 5 * N] == alpha * alpha);

  const auto value_1d = [&](const vec& p) {
    vec out(N * N);
    m::gp_exp_quad_cov(N, x.data(), p[0], p[1], out.data());
    return out;
  };
  const auto adjoint_1d = [&](const vec& p, const vec& w) {
    const vec out = value_1d(p);
    vec grad(2, 0.0);
    m::gp_exp_quad_cov_adjoint(N, x.data(), p[0], p[1], out.data(), w.data(), &grad[0], &grad[1]);
    return grad;
  };
  check_gradient({alpha, rho}, N * N, value_1d, adjoint_1d, rng);

  // D = 3, points as the rows of an N x D array
  const int D = 3, P = 9;
  const vec points = random_vector(P * D, rng, -2.0, 2.0);
  vec K3(P * P);
  m::gp_exp_quad_cov(P, D, points.data(), alpha, rho, K3.data());
  for (int j = 0; j < P; ++j) {
    for (int i = 0; i < P; ++i) {
      double sq = 0;
      for (int d = 0; d < D; ++d)
        sq += std::pow(points[i + d * P] - points[j + d * P], 2);
      CHECK(K3[i + j * P] == Approx(alpha * alpha * std::exp(-sq / (2 * rho * rho))));
    }
  }
  const auto value_3d = [&](const vec& p) {
    vec out(P * P);
    m::gp_exp_quad_cov(P, D, points.data(), p[0], p[1], out.data());
    return out;
  };
  const auto adjoint_3d = [&](const vec& p, const vec& w) {
    const vec out = value_3d(p);
    vec grad(2, 0.0);
    m::gp_exp_quad_cov_adjoint(P, D, points.data(), p[0], p[1], out.data(), w.data(), &grad[0],
                               &grad[1]);
    return grad;
  };
  check_gradient({alpha, rho}, P * P, value_3d, adjoint_3d, rng);

  // duals: the tangent in rho is dK/drho
  vec Kd(N * N);
  std::vector<d1> K_dual(N * N);
  m::gp_exp_quad_cov(N, x.data(), d1(alpha), d1::variable(rho, 0), K_dual.data());
  for (int i = 0; i < N * N; ++i) {
    const double fd = derivative([&](double t) { return value_1d({alpha, rho + t})[i]; });
    check_close(K_dual[i].tan[0], fd);
  }
}

TEST_CASE("multiply_lower_tri_self_transpose", "[math]") {
  std::mt19937 rng(16);
  for (int K : {1, 4, 7}) {
    const vec L = random_vector(K * K, rng); // the strict upper part must be ignored
    const auto value = [&](const vec& l) {
      vec out(K * K);
      m::multiply_lower_tri_self_transpose(K, l.data(), out.data());
      return out;
    };
    const vec out = value(L);
    for (int j = 0; j < K; ++j) {
      for (int i = 0; i < K; ++i) {
        double sum = 0;
        for (int k = 0; k < K; ++k) {
          const double a = k <= i ? L[i + k * K] : 0.0, b = k <= j ? L[j + k * K] : 0.0;
          sum += a * b;
        }
        CHECK(out[i + j * K] == Approx(sum));
      }
    }
    check_gradient(
        L, K * K, value,
        [&](const vec& l, const vec& w) {
          vec grad(K * K, 0.0);
          m::multiply_lower_tri_self_transpose_adjoint(K, l.data(), w.data(), grad.data());
          return grad;
        },
        rng);
  }
}

TEST_CASE("quad_form: B^T A B and v^T A v", "[math]") {
  std::mt19937 rng(17);
  const int N = 5, M = 3;
  vec scratch(static_cast<std::size_t>(m::quad_form_scratch_size(N, M)));
  // parameters: A (N x N, not symmetric) then B (N x M)
  const vec p = random_vector(N * N + N * M, rng);
  const auto value = [&](const vec& q) {
    vec out(M * M);
    m::quad_form(N, M, q.data(), q.data() + N * N, out.data(), scratch.data());
    return out;
  };
  const vec out = value(p);
  for (int j = 0; j < M; ++j) {
    for (int i = 0; i < M; ++i) {
      double sum = 0;
      for (int r = 0; r < N; ++r) {
        for (int c = 0; c < N; ++c)
          sum += p[N * N + r + i * N] * p[r + c * N] * p[N * N + c + j * N];
      }
      CHECK(out[i + j * M] == Approx(sum));
    }
  }
  check_gradient(
      p, M * M, value,
      [&](const vec& q, const vec& w) {
        vec grad(q.size(), 0.0);
        m::quad_form_adjoint(N, M, q.data(), q.data() + N * N, w.data(), grad.data(),
                             grad.data() + N * N, scratch.data());
        return grad;
      },
      rng);

  // the vector form: parameters A then v
  const vec pv = random_vector(N * N + N, rng);
  const auto value_v = [&](const vec& q) {
    return vec{m::quad_form(N, q.data(), q.data() + N * N)};
  };
  double sum = 0;
  for (int r = 0; r < N; ++r) {
    for (int c = 0; c < N; ++c)
      sum += pv[N * N + r] * pv[r + c * N] * pv[N * N + c];
  }
  CHECK(value_v(pv)[0] == Approx(sum));
  check_gradient(
      pv, 1, value_v,
      [&](const vec& q, const vec& w) {
        vec grad(q.size(), 0.0);
        m::quad_form_adjoint(N, q.data(), q.data() + N * N, w[0], grad.data(), grad.data() + N * N);
        return grad;
      },
      rng);
}

TEST_CASE("log_sum_exp, softmax and log_softmax", "[math]") {
  std::mt19937 rng(18);
  const double inf = std::numeric_limits<double>::infinity();
  const int n = 6;
  const vec x = random_vector(n, rng, -3.0, 3.0);
  double naive = 0;
  for (double v : x)
    naive += std::exp(v);
  CHECK(m::log_sum_exp(n, x.data()) == Approx(std::log(naive)));
  // large entries do not overflow
  const vec big = {1000.0, 1000.0};
  CHECK(m::log_sum_exp(2, big.data()) == Approx(1000.0 + std::log(2.0)));
  // -inf entries add nothing; all -inf gives -inf; none gives -inf
  const vec some = {-inf, 0.0, -inf, std::log(3.0)};
  CHECK(m::log_sum_exp(4, some.data()) == Approx(std::log(4.0)));
  const vec none = {-inf, -inf, -inf};
  CHECK(m::log_sum_exp(3, none.data()) == -inf);
  CHECK(m::log_sum_exp(0, none.data()) == -inf);
  CHECK(m::log_sum_exp(2, vec{1.0, inf}.data()) == inf);
  CHECK(std::isnan(m::log_sum_exp(2, vec{1.0, std::nan("")}.data())));
  {
    vec grad(3, 0.0);
    m::log_sum_exp_adjoint(3, none.data(), -inf, 1.0, grad.data());
    for (double g : grad)
      CHECK(g == 0.0);
    vec grad_some(4, 0.0);
    const double value = m::log_sum_exp(4, some.data());
    m::log_sum_exp_adjoint(4, some.data(), value, 2.0, grad_some.data());
    CHECK(grad_some[0] == 0.0);
    CHECK(grad_some[1] == Approx(2.0 / 4));
    CHECK(grad_some[3] == Approx(2.0 * 3 / 4));
  }
  check_gradient(
      x, 1, [&](const vec& v) { return vec{m::log_sum_exp(n, v.data())}; },
      [&](const vec& v, const vec& w) {
        vec grad(n, 0.0);
        m::log_sum_exp_adjoint(n, v.data(), m::log_sum_exp(n, v.data()), w[0], grad.data());
        return grad;
      },
      rng);

  const auto softmax_value = [&](const vec& v) {
    vec y(n);
    m::softmax(n, v.data(), y.data());
    return y;
  };
  const vec y = softmax_value(x);
  for (int i = 0; i < n; ++i)
    CHECK(y[i] == Approx(std::exp(x[i]) / naive));
  check_gradient(
      x, n, softmax_value,
      [&](const vec& v, const vec& w) {
        vec grad(n, 0.0);
        m::softmax_adjoint(n, softmax_value(v).data(), w.data(), grad.data());
        return grad;
      },
      rng);

  const auto log_softmax_value = [&](const vec& v) {
    vec out(n);
    m::log_softmax(n, v.data(), out.data());
    return out;
  };
  const vec ly = log_softmax_value(x);
  for (int i = 0; i < n; ++i)
    CHECK(ly[i] == Approx(x[i] - std::log(naive)));
  check_gradient(
      x, n, log_softmax_value,
      [&](const vec& v, const vec& w) {
        vec grad(n, 0.0);
        m::log_softmax_adjoint(n, log_softmax_value(v).data(), w.data(), grad.data());
        return grad;
      },
      rng);

  // duals: the tangent of log_sum_exp is softmax . dx
  std::vector<d1> xd(n);
  for (int i = 0; i < n; ++i)
    xd[i] = d1::variable(x[i], 0);
  const d1 lse = m::log_sum_exp(n, xd.data());
  CHECK(lse.tan[0] == Approx(1.0));
}

TEST_CASE("cumulative_sum, dot_self, diag_pre_multiply, diag_post_multiply, add_diag", "[math]") {
  std::mt19937 rng(19);
  const int n = 7;
  const vec x = random_vector(n, rng);
  const auto cumsum = [&](const vec& v) {
    vec y(n);
    m::cumulative_sum(n, v.data(), y.data());
    return y;
  };
  double running = 0;
  for (int i = 0; i < n; ++i) {
    running += x[i];
    CHECK(cumsum(x)[i] == Approx(running));
  }
  check_gradient(
      x, n, cumsum,
      [&](const vec&, const vec& w) {
        vec grad(n, 0.0);
        m::cumulative_sum_adjoint(n, w.data(), grad.data());
        return grad;
      },
      rng);

  double sq = 0;
  for (double v : x)
    sq += v * v;
  CHECK(m::dot_self(n, x.data()) == Approx(sq));
  check_gradient(
      x, 1, [&](const vec& v) { return vec{m::dot_self(n, v.data())}; },
      [&](const vec& v, const vec& w) {
        vec grad(n, 0.0);
        m::dot_self_adjoint(n, v.data(), w[0], grad.data());
        return grad;
      },
      rng);

  const int M = 4, N = 3;
  // parameters: v (M) then A (M x N)
  const vec pre = random_vector(M + M * N, rng);
  const auto pre_value = [&](const vec& q) {
    vec out(M * N);
    m::diag_pre_multiply(M, N, q.data(), q.data() + M, out.data());
    return out;
  };
  for (int j = 0; j < N; ++j) {
    for (int i = 0; i < M; ++i)
      CHECK(pre_value(pre)[i + j * M] == Approx(pre[i] * pre[M + i + j * M]));
  }
  check_gradient(
      pre, M * N, pre_value,
      [&](const vec& q, const vec& w) {
        vec grad(q.size(), 0.0);
        m::diag_pre_multiply_adjoint(M, N, q.data(), q.data() + M, w.data(), grad.data(),
                                     grad.data() + M);
        return grad;
      },
      rng);

  // parameters: A (M x N) then v (N)
  const vec post = random_vector(M * N + N, rng);
  const auto post_value = [&](const vec& q) {
    vec out(M * N);
    m::diag_post_multiply(M, N, q.data(), q.data() + M * N, out.data());
    return out;
  };
  for (int j = 0; j < N; ++j) {
    for (int i = 0; i < M; ++i) {
      CHECK(post_value(post)[i + j * M] == Approx(post[i + j * M] * post[M * N + j]));
    }
  }
  check_gradient(
      post, M * N, post_value,
      [&](const vec& q, const vec& w) {
        vec grad(q.size(), 0.0);
        m::diag_post_multiply_adjoint(M, N, q.data(), q.data() + M * N, w.data(), grad.data(),
                                      grad.data() + M * N);
        return grad;
      },
      rng);

  // add_diag, scalar and vector: parameters A (K x K) then d
  const int K = 4;
  const vec scalar_p = random_vector(K * K + 1, rng);
  const auto add_scalar = [&](const vec& q) {
    vec out(K * K);
    m::add_diag(K, q.data(), q[K * K], out.data());
    return out;
  };
  CHECK(add_scalar(scalar_p)[5] == Approx(scalar_p[5] + scalar_p[K * K]));
  CHECK(add_scalar(scalar_p)[1] == scalar_p[1]);
  check_gradient(
      scalar_p, K * K, add_scalar,
      [&](const vec& q, const vec& w) {
        vec grad(q.size(), 0.0);
        m::add_diag_adjoint(K, w.data(), grad.data(), &grad[K * K]);
        return grad;
      },
      rng);
  const vec vector_p = random_vector(K * K + K, rng);
  const auto add_vector = [&](const vec& q) {
    vec out(K * K);
    m::add_diag(K, q.data(), q.data() + K * K, out.data());
    return out;
  };
  CHECK(add_vector(vector_p)[10] == Approx(vector_p[10] + vector_p[K * K + 2]));
  check_gradient(
      vector_p, K * K, add_vector,
      [&](const vec& q, const vec& w) {
        vec grad(q.size(), 0.0);
        m::add_diag_vector_adjoint(K, w.data(), grad.data(), grad.data() + K * K);
        return grad;
      },
      rng);
}

TEST_CASE("mdivide_left_tri_low: L \\ B", "[math]") {
  std::mt19937 rng(20);
  const int K = 6, M = 2;
  // parameters: L (K x K, strict upper part ignored) then B (K x M)
  vec p = random_vector(K * K + K * M, rng);
  for (int i = 0; i < K; ++i)
    p[i + i * K] = 2.0 + p[i + i * K]; // away from singular
  vec scratch(static_cast<std::size_t>(m::mdivide_left_tri_low_scratch_size(K, M)));
  const auto value = [&](const vec& q) {
    vec out(K * M);
    m::mdivide_left_tri_low(K, M, q.data(), q.data() + K * K, out.data());
    return out;
  };
  const vec X = value(p);
  // L X = B
  for (int c = 0; c < M; ++c) {
    for (int r = 0; r < K; ++r) {
      double sum = 0;
      for (int k = 0; k <= r; ++k)
        sum += p[r + k * K] * X[k + c * K];
      CHECK(sum == Approx(p[K * K + r + c * K]));
    }
  }
  check_gradient(
      p, K * M, value,
      [&](const vec& q, const vec& w) {
        vec grad(q.size(), 0.0);
        const vec x = value(q);
        m::mdivide_left_tri_low_adjoint(K, M, q.data(), x.data(), w.data(), grad.data(),
                                        grad.data() + K * K, scratch.data());
        return grad;
      },
      rng);
}
