#pragma once

#include "statix/core/multivariate_term.hpp"
#include "statix/distributions/multivariate/multivariate.hpp"
#include "statix/transforms/identity_array.hpp"
#include "statix/transforms/structured_transforms.hpp"

#include <stdexcept>
#include <string>

// The multivariate families as multivariate_term sees them: which arguments
// they take and in which shapes, the transform and size of a free variate,
// and the call of the density kernel (statix::dist::*_lpdf).
namespace statix::families {

// An integer variate (observed only): its values and count.
struct int_operand {
  const int* value = nullptr;
  int size = 0;
};

namespace detail {
inline std::string dims(const shape& s) {
  return std::to_string(s.rows) + " x " + std::to_string(s.cols);
}
inline void require(bool ok, const std::string& variable, const char* family,
                    const std::string& what) {
  if (!ok)
    throw std::invalid_argument("statix: variable \"" + variable + "\": " + family + ": " + what);
}
inline bool is_vector(const shape& s) {
  return s.cols == 1;
}

// A location (or concentration) argument of K values per row: a scalar
// broadcast over K (copied into scratch), K values shared by every row, or N
// x K, one row per observation.
template <class T>
struct location {
  const T* value;
  T* adjoint;
  bool per_row;
  const T* scalar_source = nullptr;
  T* scalar_adjoint = nullptr;
  T* broadcast_adjoint = nullptr;
  int k = 0;

  location(const operand<T>& p, int n, int k_, T* scratch) : k(k_) {
    per_row = p.rows == n && p.cols == k && n > 1 && p.size() != k;
    if (p.size() == 1 && k > 1) {
      for (int i = 0; i < k; ++i)
        scratch[i] = p.value[0];
      value = scratch;
      if (p.adjoint != nullptr) {
        broadcast_adjoint = scratch + k;
        for (int i = 0; i < k; ++i)
          broadcast_adjoint[i] = T(0.0);
        scalar_adjoint = p.adjoint;
      }
      adjoint = broadcast_adjoint;
    } else {
      value = p.value;
      adjoint = p.adjoint;
    }
  }
  // The broadcast scalar's adjoint: the sum over its copies.
  void finish() const {
    if (scalar_adjoint != nullptr)
      for (int i = 0; i < k; ++i)
        *scalar_adjoint += broadcast_adjoint[i];
  }
};
inline bool location_fits(const shape& p, const shape& y, int k) {
  return p.size() == 1 || (p.cols == 1 && p.rows == k) || (p.rows == y.rows && p.cols == k);
}
// Rows and dimension of a variate: a vector is one row.
inline int variate_rows(const shape& y, int y_rank) {
  return y_rank == 2 ? y.rows : 1;
}
inline int variate_dim(const shape& y, int y_rank) {
  return y_rank == 2 ? y.cols : y.rows;
}
// mu (p[0]) and a K x K matrix (p[1]) against a variate of dimension K.
inline void check_location_scale(const std::string& v, const char* family, const char* matrix,
                                 shape y, int y_rank, const shape* p) {
  const int k = variate_dim(y, y_rank);
  require(p[1].rows == k && p[1].cols == k, v, family,
          std::string(matrix) + " is " + dims(p[1]) + " but the variate has dimension " +
              std::to_string(k));
  require(location_fits(p[0], {variate_rows(y, y_rank), k}, k), v, family,
          "mu is " + dims(p[0]) + "; expected a scalar, " + std::to_string(k) +
              " values or one row per observation");
}
} // namespace detail

// The variate operand of a real multivariate family: a vector is one row
// (1 x K), a matrix N x K has one observation per row.
template <class T>
operand<T> as_rows(operand<T> y, int y_rank) {
  if (y_rank == 1) {
    y.cols = y.rows;
    y.rows = 1;
  }
  return y;
}

// Multivariate normal of a location mu and the Cholesky factor L of its
// covariance; a free variate is an unconstrained vector of L's order.
struct multi_normal_cholesky {
  static constexpr const char* family_name = "multi_normal_cholesky";
  static constexpr const char* param_names[] = {"mu", "L"};
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  using free_transform = transforms::identity_array;
  static constexpr int free_rank = 1;
  static int free_dimension(const shape* p, int) { return p[1].rows; }

  static void check(const std::string& v, shape y, int y_rank, const shape* p) {
    detail::check_location_scale(v, family_name, "L", y, y_rank, p);
  }
  static int scratch_size(shape y, const shape*) { return 2 * std::max(y.rows, y.cols); }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const operand<T>& y, const operand<T>* p, T* scratch) {
    const int k = y.cols;
    const detail::location<T> mu(p[0], y.rows, k, scratch);
    const T lp = dist::multi_normal_cholesky_lpdf<Propto>(
        y.rows, k, y.value, mu.value, mu.per_row, p[1].value, y.adjoint, mu.adjoint, p[1].adjoint);
    mu.finish();
    return lp;
  }
};

// Multivariate normal of a location and a covariance matrix (one Cholesky
// factorisation per evaluation, shared by every row).
struct multi_normal {
  static constexpr const char* family_name = "multi_normal";
  static constexpr const char* param_names[] = {"mu", "Sigma"};
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  using free_transform = transforms::identity_array;
  static constexpr int free_rank = 1;
  static int free_dimension(const shape* p, int) { return p[1].rows; }

  static void check(const std::string& v, shape y, int y_rank, const shape* p) {
    detail::check_location_scale(v, family_name, "Sigma", y, y_rank, p);
  }
  static int scratch_size(shape y, const shape*) { return 2 * std::max(y.rows, y.cols); }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const operand<T>& y, const operand<T>* p, T* scratch) {
    const int k = y.cols;
    const detail::location<T> mu(p[0], y.rows, k, scratch);
    const T lp = dist::multi_normal_lpdf<Propto>(y.rows, k, y.value, mu.value, mu.per_row,
                                                 p[1].value, y.adjoint, mu.adjoint, p[1].adjoint);
    mu.finish();
    return lp;
  }
};

// Multivariate Student t of degrees of freedom nu, location and scale matrix.
struct multi_student_t {
  static constexpr const char* family_name = "multi_student_t";
  static constexpr const char* param_names[] = {"nu", "mu", "Sigma"};
  static constexpr int num_params = 3;
  static constexpr bool is_discrete = false;
  using free_transform = transforms::identity_array;
  static constexpr int free_rank = 1;
  static int free_dimension(const shape* p, int) { return p[2].rows; }

  static void check(const std::string& v, shape y, int y_rank, const shape* p) {
    detail::require(p[0].size() == 1, v, family_name, "nu is a scalar");
    detail::check_location_scale(v, family_name, "Sigma", y, y_rank, p + 1);
  }
  static int scratch_size(shape y, const shape*) { return 2 * std::max(y.rows, y.cols); }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const operand<T>& y, const operand<T>* p, T* scratch) {
    const int k = y.cols;
    const detail::location<T> mu(p[1], y.rows, k, scratch);
    const T lp = dist::multi_student_t_lpdf<Propto>(y.rows, k, y.value, p[0].value[0], mu.value,
                                                    mu.per_row, p[2].value, y.adjoint, p[0].adjoint,
                                                    mu.adjoint, p[2].adjoint);
    mu.finish();
    return lp;
  }
};

// Dirichlet(alpha) on a simplex (or on the rows of a matrix of simplexes).
struct dirichlet {
  static constexpr const char* family_name = "dirichlet";
  static constexpr const char* param_names[] = {"alpha"};
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = false;
  using free_transform = transforms::simplex;
  static constexpr int free_rank = 1;
  static int free_dimension(const shape* p, int) { return p[0].size(); }

  static void check(const std::string& v, shape y, int y_rank, const shape* p) {
    const int k = detail::variate_dim(y, y_rank);
    detail::require(
        detail::location_fits(p[0], {detail::variate_rows(y, y_rank), k}, k) && p[0].size() > 1, v,
        family_name,
        "alpha is " + detail::dims(p[0]) + " for a simplex of " + std::to_string(k) + " elements");
  }
  static int scratch_size(shape, const shape*) { return 0; }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const operand<T>& y, const operand<T>* p, T*) {
    const bool per_row = p[0].rows == y.rows && p[0].cols == y.cols && y.rows > 1;
    return dist::dirichlet_lpdf<Propto>(y.rows, y.cols, y.value, p[0].value, per_row, y.adjoint,
                                        p[0].adjoint);
  }
};

// LKJ(eta) on the Cholesky factor of a K x K correlation matrix.
struct lkj_corr_cholesky {
  static constexpr const char* family_name = "lkj_corr_cholesky";
  static constexpr const char* param_names[] = {"eta"};
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = false;
  using free_transform = transforms::cholesky_corr;
  static constexpr int free_rank = 2;
  static int free_dimension(const shape*, int size) { return size; }

  static void check(const std::string& v, shape y, int, const shape* p) {
    detail::require(p[0].size() == 1, v, family_name, "eta is a scalar");
    detail::require(y.rows == y.cols, v, family_name,
                    "the variate is " + detail::dims(y) + ", not square");
  }
  static int scratch_size(shape, const shape*) { return 0; }
  // The normalising constant that Propto drops when eta is a constant (the
  // kernel keeps its eta-dependent part, for a varying eta).
  template <bool Propto, unsigned Varying, class T>
  static T constant_eta(int k, const T& eta) {
    if constexpr (Propto && (Varying & 1u) == 0)
      return dist::multivariate_detail::lkj_constant<false>(eta, k);
    else
      return T(0.0);
  }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const operand<T>& y, const operand<T>* p, T*) {
    const T lp = dist::lkj_corr_cholesky_lpdf<Propto>(y.rows, y.value, p[0].value[0], y.adjoint,
                                                      p[0].adjoint);
    return lp - constant_eta<Propto, Varying>(y.rows, p[0].value[0]);
  }
};

// LKJ(eta) on a K x K correlation matrix.
struct lkj_corr {
  static constexpr const char* family_name = "lkj_corr";
  static constexpr const char* param_names[] = {"eta"};
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = false;
  using free_transform = transforms::corr_matrix;
  static constexpr int free_rank = 2;
  static int free_dimension(const shape*, int size) { return size; }

  static void check(const std::string& v, shape y, int y_rank, const shape* p) {
    lkj_corr_cholesky::check(v, y, y_rank, p);
  }
  static int scratch_size(shape, const shape*) { return 0; }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const operand<T>& y, const operand<T>* p, T*) {
    const T lp =
        dist::lkj_corr_lpdf<Propto>(y.rows, y.value, p[0].value[0], y.adjoint, p[0].adjoint);
    return lp - lkj_corr_cholesky::constant_eta<Propto, Varying>(y.rows, p[0].value[0]);
  }
};

// Wishart(nu, S) and inverse Wishart(nu, S) on a K x K covariance matrix.
template <bool Inverse>
struct wishart_family {
  static constexpr const char* family_name = Inverse ? "inv_wishart" : "wishart";
  static constexpr const char* param_names[] = {"nu", "S"};
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  using free_transform = transforms::cov_matrix;
  static constexpr int free_rank = 2;
  static int free_dimension(const shape* p, int) { return p[1].rows; }

  static void check(const std::string& v, shape y, int, const shape* p) {
    detail::require(p[0].size() == 1, v, family_name, "nu is a scalar");
    detail::require(y.rows == y.cols && p[1].rows == y.rows && p[1].cols == y.rows, v, family_name,
                    "the variate is " + detail::dims(y) + " and S is " + detail::dims(p[1]));
  }
  static int scratch_size(shape, const shape*) { return 0; }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const operand<T>& y, const operand<T>* p, T*) {
    if constexpr (Inverse)
      return dist::inv_wishart_lpdf<Propto>(y.rows, y.value, p[0].value[0], p[1].value, y.adjoint,
                                            p[0].adjoint, p[1].adjoint);
    else
      return dist::wishart_lpdf<Propto>(y.rows, y.value, p[0].value[0], p[1].value, y.adjoint,
                                        p[0].adjoint, p[1].adjoint);
  }
};
using wishart = wishart_family<false>;
using inv_wishart = wishart_family<true>;

// Observed only: categories 0..K-1 with probabilities theta (a simplex).
struct categorical {
  static constexpr const char* family_name = "categorical";
  static constexpr const char* param_names[] = {"theta"};
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = true;
  static void check(const std::string& v, shape, int, const shape* p) {
    detail::require(detail::is_vector(p[0]), v, family_name, "theta is a vector (a simplex)");
  }
  static int scratch_size(shape, const shape*) { return 0; }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const int_operand& y, const operand<T>* p, T*) {
    return dist::categorical_lpmf<Propto>(y.size, y.value, p[0].size(), p[0].value, p[0].adjoint);
  }
  static bool in_support(int y, const shape* p) { return y >= 0 && y < p[0].size(); }
};

// Observed only: counts of K categories with probabilities theta.
struct multinomial {
  static constexpr const char* family_name = "multinomial";
  static constexpr const char* param_names[] = {"theta"};
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = true;
  static void check(const std::string& v, shape y, int, const shape* p) {
    detail::require(detail::is_vector(p[0]) && p[0].rows == y.size(), v, family_name,
                    "theta has " + std::to_string(p[0].size()) + " values for " +
                        std::to_string(y.size()) + " counts");
  }
  static int scratch_size(shape, const shape*) { return 0; }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const int_operand& y, const operand<T>* p, T*) {
    return dist::multinomial_lpmf<Propto>(y.size, y.value, p[0].value, p[0].adjoint);
  }
  static bool in_support(int y, const shape*) { return y >= 0; }
};

// Observed only: ordinal outcomes 0..K-1 from a latent eta and K-1 ordered
// cut-points.
struct ordered_logistic {
  static constexpr const char* family_name = "ordered_logistic";
  static constexpr const char* param_names[] = {"eta", "c"};
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = true;
  static void check(const std::string& v, shape y, int, const shape* p) {
    detail::require(p[0].size() == 1 || (detail::is_vector(p[0]) && p[0].rows == y.size()), v,
                    family_name,
                    "eta has " + std::to_string(p[0].size()) + " values for " +
                        std::to_string(y.size()) + " outcomes");
    detail::require(detail::is_vector(p[1]) && p[1].size() >= 1, v, family_name,
                    "the cut-points c are a vector");
  }
  static int scratch_size(shape, const shape*) { return 0; }
  template <bool Propto, unsigned Varying, class T>
  static T lpdf(const int_operand& y, const operand<T>* p, T*) {
    return dist::ordered_logistic_lpmf<Propto>(y.size, y.value, p[0].value, p[0].size() != 1,
                                               p[1].size() + 1, p[1].value, p[0].adjoint,
                                               p[1].adjoint);
  }
  static bool in_support(int y, const shape* p) { return y >= 0 && y <= p[1].size(); }
};

} // namespace statix::families
