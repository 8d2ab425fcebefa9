#pragma once

// Stochastic variational inference as Pyro does it: a guide with learnable
// parameters, the reparameterised ELBO, Adam.
//
//   auto mu_loc = sx::param<"mu_loc">(0.0);
//   auto mu_scale = sx::param<"mu_scale">(0.1, sx::constraints::positive);
//   auto tau_loc = sx::param<"tau_loc">(0.0);
//   auto tau_scale = sx::param<"tau_scale">(0.1, sx::constraints::positive);
//   auto guide = sx::guide(sx::q::normal<"mu">(mu_loc, mu_scale),
//                          sx::q::lognormal<"tau">(tau_loc, tau_scale), ...);
//   auto vi = sx::svi(model, guide, sx::adam{.steps = 5000, .learning_rate = 0.01});
//   double m = vi.param<"mu_loc">();  Eigen::MatrixXd tau = vi.draws<"tau">();
//
//   auto vi2 = sx::svi(model, sx::auto_multivariate_normal{}, sx::adam{...});
//
// A guide names one site per free variable of the model, with its family:
// q::normal for a variable on the real line, q::lognormal for one on the
// positive reals. Both are normal distributions of the variable's
// unconstrained coordinates (log tau for a positive tau), so the guide is a
// mean-field normal there with the user's names for its parameters. A site
// for no model variable, a model variable without a site, a family that
// does not fit the variable's support, or a scale parameter that is not
// positive is a compile-time error naming it. sx::auto_normal and
// sx::auto_multivariate_normal are Pyro's AutoNormal and
// AutoMultivariateNormal over the unconstrained space (loc, and a diagonal
// scale or a lower-triangular scale_tril).
//
// Each step draws `.particles` standard normal vectors eps, maps them to
// x = loc + scale * eps (x = loc + L eps), and ascends the estimate of
//   ELBO = E_q[log p(x)] + H[q],   log p with every constant and the Jacobian,
// whose gradient is grad_x log p(x) pushed back through x (the
// reparameterisation trick) plus the entropy's 1 / scale (1 / L_ii), by Adam
// (Kingma & Ba 2015) with the learning rate decayed geometrically to
// learning_rate * decay over the run, as Pyro's ClippedAdam `lrd`. The
// result holds the parameters by name, the ELBO trace, and draws from the
// fitted guide with the fit's interface.

#include <statix/base/density_options.hpp>
#include <statix/base/fixed_string.hpp>
#include <statix/infer/approximate_draws.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/math/constants.hpp>
#include <statix/math/philox.hpp>
#include <statix/math/random.hpp>
#include <statix/model/model.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace statix {

namespace constraints {
struct positive_t {};
inline constexpr positive_t positive{};
} // namespace constraints

// A learnable parameter of a guide: its name, initial value, constraint.
template <fixed_string Name, bool Positive>
struct variational_param {
  static constexpr auto name = Name;
  static constexpr bool positive = Positive;
  Eigen::VectorXd init;
  bool scalar = true;
};

template <fixed_string Name>
variational_param<Name, false> param(double init) {
  return {Eigen::VectorXd::Constant(1, init), true};
}
template <fixed_string Name>
variational_param<Name, false> param(const Eigen::VectorXd& init) {
  return {init, false};
}
template <fixed_string Name>
variational_param<Name, true> param(double init, constraints::positive_t) {
  if (!(init > 0) || !std::isfinite(init))
    throw std::invalid_argument("statix: param \"" + std::string(Name.view()) +
                                "\" is positive; its initial value is " + std::to_string(init));
  return {Eigen::VectorXd::Constant(1, init), true};
}
template <fixed_string Name>
variational_param<Name, true> param(const Eigen::VectorXd& init, constraints::positive_t) {
  if (!(init.array() > 0).all() || !init.allFinite())
    throw std::invalid_argument("statix: param \"" + std::string(Name.view()) +
                                "\" is positive; an initial value is not");
  return {init, false};
}

// A guide site: the variational family of model variable Site.
template <fixed_string Site, bool LogScale, class Loc, class Scale>
struct guide_site {
  static constexpr auto name = Site;
  static constexpr bool log_scale = LogScale; // q::lognormal: the variable is positive
  Loc loc;
  Scale scale;
};

namespace q {
template <fixed_string Site, fixed_string L, bool LP, fixed_string S, bool SP>
guide_site<Site, false, variational_param<L, LP>, variational_param<S, SP>>
normal(const variational_param<L, LP>& loc, const variational_param<S, SP>& scale) {
  static_assert(SP, "statix: the scale of a guide site is a positive param: "
                    "sx::param<\"name\">(init, sx::constraints::positive)");
  static_assert(!LP, "statix: the loc of a guide site is an unconstrained param");
  return {loc, scale};
}
template <fixed_string Site, fixed_string L, bool LP, fixed_string S, bool SP>
guide_site<Site, true, variational_param<L, LP>, variational_param<S, SP>>
lognormal(const variational_param<L, LP>& loc, const variational_param<S, SP>& scale) {
  static_assert(SP, "statix: the scale of a guide site is a positive param: "
                    "sx::param<\"name\">(init, sx::constraints::positive)");
  static_assert(!LP, "statix: the loc of a guide site is an unconstrained param");
  return {loc, scale};
}
} // namespace q

template <class... Sites>
struct guide_of {
  std::tuple<Sites...> sites;
};
template <class... Sites>
guide_of<Sites...> guide(const Sites&... sites) {
  static_assert(sizeof...(Sites) > 0, "statix: sx::guide(...) takes one site per free variable");
  return {std::tuple<Sites...>(sites...)};
}

struct auto_normal {
  double init_scale = 0.1; // Pyro's default
};
struct auto_multivariate_normal {
  double init_scale = 0.1;
};

// Adam and the SVI loop. Members in declaration order for designated
// initialisers; new ones at the end.
struct adam {
  int steps = 5000;
  double learning_rate = 0.01;
  int particles = 1; // ELBO gradient samples per step
  std::uint64_t seed = 1;
  double decay = 0.1; // the learning rate falls geometrically to learning_rate * decay
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  int draws = 1000;         // draws from the fitted guide in the result
  double init_radius = 2.0; // auto guides: loc uniform in (-r, r), as the samplers' inits
  int subsample = 0;        // rows per minibatch with sx::svi(make_model, rows, ...); 0: every row
};

// Compile-time matching of guide sites and model variables. The incomplete
// templates name the site or variable in the compiler's message.
template <fixed_string Name>
struct guide_site_names_no_free_variable_of_the_model;
template <fixed_string Name>
struct model_variable_has_no_guide_site;
template <fixed_string Name>
struct guide_site_family_does_not_fit_the_variables_support;

namespace detail {
template <class Model, fixed_string Name>
using model_variable_t =
    std::remove_cvref_t<decltype(std::declval<const Model&>().template variable<Name>())>;

// With Report a failed check is the compile error that the incomplete type
// Error names; without, it is false, so that the caller can stop before the
// mistake cascades.
template <bool Report, class Error>
constexpr bool failed_check() {
  if constexpr (Report)
    return sizeof(Error) > 0;
  else
    return false;
}

template <class Model, class Site, bool Report>
constexpr bool check_site() {
  constexpr int index = Model::template index_of<Site::name>();
  if constexpr (index < 0) {
    return failed_check<Report, guide_site_names_no_free_variable_of_the_model<Site::name>>();
  } else {
    using V = model_variable_t<Model, Site::name>;
    if constexpr (V::kind != variable_kind::free) {
      return failed_check<Report, guide_site_names_no_free_variable_of_the_model<Site::name>>();
    } else {
      constexpr bool real_line = requires {
        V::direct;
      }
      &&[] {
        if constexpr (requires { V::direct; })
          return V::direct;
        else
          return false;
      }();
      constexpr bool positive_line = [] {
        if constexpr (requires {
                        V::has_lower;
                        V::has_upper;
                      })
          return V::has_lower && !V::has_upper &&
                 std::is_same_v<std::remove_cvref_t<decltype(std::declval<V>().lower)>,
                                zero_literal>;
        else
          return false;
      }();
      if constexpr (Site::log_scale ? !positive_line : !real_line) {
        return failed_check<Report,
                            guide_site_family_does_not_fit_the_variables_support<Site::name>>();
      } else {
        return true;
      }
    }
  }
}

template <fixed_string Name, class... Sites>
constexpr bool has_site() {
  return ((Sites::name == Name) || ...);
}

template <class Model, bool Report, class... Sites>
struct guide_check;
template <class... Vars, bool Report, class... Sites>
struct guide_check<compiled_model<Vars...>, Report, Sites...> {
  template <class V>
  static constexpr bool covered() {
    if constexpr (V::kind != variable_kind::free)
      return true;
    else if constexpr (has_site<V::name, Sites...>())
      return true;
    else
      return failed_check<Report, model_variable_has_no_guide_site<V::name>>();
  }
  static constexpr bool value =
      (check_site<compiled_model<Vars...>, Sites, Report>() && ...) && (covered<Vars>() && ...);
};

// The parameters of a Gaussian over the model's unconstrained space: loc,
// and the log of a diagonal scale or a lower-triangular factor whose
// diagonal is kept as its log.
struct gaussian_guide {
  Eigen::VectorXd loc;
  Eigen::VectorXd log_scale; // mean-field
  Eigen::MatrixXd tril;      // full rank: strictly lower part used, diagonal as log
  bool full_rank = false;
  Eigen::MatrixXd lower; // full rank: L itself, formed once per assign()

  int dim() const { return static_cast<int>(loc.size()); }
  int num_params() const {
    const int d = dim();
    return full_rank ? d + d * (d + 1) / 2 : 2 * d;
  }
  Eigen::MatrixXd scale_tril() const {
    if (!full_rank) return log_scale.array().exp().matrix().asDiagonal();
    return lower;
  }
  // x = loc + L eps (L as of the last assign()).
  void transform(const Eigen::VectorXd& eps, Eigen::VectorXd& x) const {
    if (full_rank)
      x = loc + lower.triangularView<Eigen::Lower>() * eps;
    else
      x = loc + (log_scale.array().exp() * eps.array()).matrix();
  }
  double log_det_scale() const { return full_rank ? tril.diagonal().sum() : log_scale.sum(); }
  double log_density(const Eigen::VectorXd& eps) const {
    return -0.5 * dim() * std::log(2.0 * math::pi) - log_det_scale() - 0.5 * eps.squaredNorm();
  }
  // Flattened parameters (loc, then the scale's free entries) and back.
  Eigen::VectorXd flatten() const {
    Eigen::VectorXd out(num_params());
    const int d = dim();
    out.head(d) = loc;
    if (!full_rank) {
      out.tail(d) = log_scale;
    } else {
      int k = d;
      for (int j = 0; j < d; ++j)
        for (int i = j; i < d; ++i)
          out[k++] = tril(i, j);
    }
    return out;
  }
  void assign(const Eigen::VectorXd& v) {
    const int d = dim();
    loc = v.head(d);
    if (!full_rank) {
      log_scale = v.tail(d);
    } else {
      int k = d;
      for (int j = 0; j < d; ++j)
        for (int i = j; i < d; ++i)
          tril(i, j) = v[k++];
      lower = tril.triangularView<Eigen::StrictlyLower>();
      lower.diagonal() = tril.diagonal().array().exp().matrix();
    }
  }
  // Adds the reparameterised gradient of log p(x) (g = grad_x at x = loc +
  // L eps) and of the entropy to `out` (flattened like flatten()).
  void add_gradient(const Eigen::VectorXd& g, const Eigen::VectorXd& eps, double weight,
                    Eigen::VectorXd& out) const {
    const int d = dim();
    out.head(d) += weight * g;
    if (!full_rank) {
      const Eigen::ArrayXd scale = log_scale.array().exp();
      out.tail(d).array() += weight * (g.array() * eps.array() * scale + 1.0);
    } else {
      int k = d;
      for (int j = 0; j < d; ++j)
        for (int i = j; i < d; ++i) {
          double v = g[i] * eps[j];
          if (i == j) v = v * lower(i, i) + 1.0;
          out[k++] += weight * v;
        }
    }
  }
};
} // namespace detail

template <class Model>
class svi_result : public approximate_draws<Model> {
public:
  svi_result(Model model, Eigen::MatrixXd draws, Eigen::MatrixXd unconstrained,
             detail::gaussian_guide guide, Eigen::VectorXd elbo, std::vector<std::string> names,
             std::vector<Eigen::VectorXd> values, std::vector<bool> scalar, int skipped)
      : approximate_draws<Model>(std::move(model), {"log_p__", "log_g__"}, std::move(draws),
                                 std::move(unconstrained), "svi"),
        guide_(std::move(guide)), elbo_(std::move(elbo)), names_(std::move(names)),
        values_(std::move(values)), scalar_(std::move(scalar)), skipped_(skipped) {}

  // The ELBO estimate at each step (from that step's particles).
  const Eigen::VectorXd& elbo_trace() const { return elbo_; }
  // Steps whose particles all had a non-finite log density (no update).
  int skipped_steps() const { return skipped_; }
  // The fitted Gaussian on the unconstrained scale.
  const Eigen::VectorXd& mean() const { return guide_.loc; }
  Eigen::MatrixXd scale_tril() const { return guide_.scale_tril(); }
  Eigen::MatrixXd covariance() const {
    const Eigen::MatrixXd l = guide_.scale_tril();
    return l * l.transpose();
  }
  // A learned parameter by name: double for a scalar param, Eigen::VectorXd
  // otherwise. Auto guides have "loc" and "scale" ("scale_tril" is
  // scale_tril()).
  template <fixed_string Name>
  Eigen::VectorXd param_vector() const {
    for (std::size_t k = 0; k < names_.size(); ++k)
      if (names_[k] == Name.view()) return values_[k];
    throw std::out_of_range("statix: the guide has no param \"" + std::string(Name.view()) + "\"");
  }
  template <fixed_string Name>
  double param() const {
    const Eigen::VectorXd v = param_vector<Name>();
    if (v.size() != 1)
      throw std::invalid_argument("statix: param \"" + std::string(Name.view()) + "\" has " +
                                  std::to_string(v.size()) +
                                  " values: read it with param_vector<\"name\">()");
    return v[0];
  }
  const std::vector<std::string>& guide_param_names() const { return names_; }

private:
  detail::gaussian_guide guide_;
  Eigen::VectorXd elbo_;
  std::vector<std::string> names_;
  std::vector<Eigen::VectorXd> values_;
  std::vector<bool> scalar_;
  int skipped_ = 0;
};

namespace detail {
inline void check_adam(const adam& o) {
  const auto require = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("statix: sx::adam: " + what);
  };
  require(o.steps >= 1, ".steps must be at least 1, got " + std::to_string(o.steps));
  require(o.learning_rate > 0, ".learning_rate must be positive");
  require(o.particles >= 1, ".particles must be at least 1, got " + std::to_string(o.particles));
  require(o.decay > 0 && o.decay <= 1, ".decay must lie in (0, 1]");
  require(o.beta1 >= 0 && o.beta1 < 1 && o.beta2 >= 0 && o.beta2 < 1,
          ".beta1 and .beta2 must lie in [0, 1)");
  require(o.epsilon > 0, ".epsilon must be positive");
  require(o.draws >= 1, ".draws must be at least 1, got " + std::to_string(o.draws));
}

// Runs Adam on the guide's flattened parameters, then draws from it.
struct guide_setup {
  gaussian_guide g;
  std::vector<std::string> names;
  std::function<std::vector<Eigen::VectorXd>(const gaussian_guide&)> read_params;
  std::vector<bool> scalar;
};

// The log density (with every constant and the Jacobian) and its gradient at
// x for one step: the model itself, or a minibatch's estimate.
template <class Model>
struct full_batch {
  const Model& model;
  void begin_step(random::philox&) {}
  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& gx) const {
    return model.log_density_gradient(x, gx, {.jacobian = true, .propto = false});
  }
};

template <class Model, class Density>
svi_result<Model> run_svi(const Model& model, guide_setup setup, const adam& options,
                          Density&& density_at) {
  gaussian_guide g = std::move(setup.g);
  const int d = model.dim();
  const density_options density{.jacobian = true, .propto = false};
  random::philox rng(options.seed, 1);
  Eigen::VectorXd theta = g.flatten();
  Eigen::VectorXd m = Eigen::VectorXd::Zero(theta.size()), v = m, grad(theta.size());
  Eigen::VectorXd eps(d), x(d), gx(d);
  Eigen::VectorXd elbo(options.steps);
  const double entropy_constant = 0.5 * d * (1.0 + std::log(2.0 * math::pi));
  const double rate_decay = std::pow(options.decay, 1.0 / options.steps);
  double rate = options.learning_rate;
  double b1t = 1.0, b2t = 1.0;
  int skipped = 0;
  for (int step = 0; step < options.steps; ++step) {
    g.assign(theta);
    grad.setZero();
    density_at.begin_step(rng);
    double sum = 0;
    int used = 0;
    for (int p = 0; p < options.particles; ++p) {
      fill_std_normal(eps, rng);
      g.transform(eps, x);
      const double lp = density_at(x, gx);
      if (!std::isfinite(lp) || !gx.allFinite()) continue;
      sum += lp;
      ++used;
      g.add_gradient(gx, eps, 1.0, grad);
    }
    if (used == 0) {
      ++skipped;
      elbo[step] = -INFINITY;
      continue;
    }
    grad /= used; // each particle added the entropy's gradient: the mean keeps it once
    elbo[step] = sum / used + g.log_det_scale() + entropy_constant;
    b1t *= options.beta1;
    b2t *= options.beta2;
    m = options.beta1 * m + (1.0 - options.beta1) * grad;
    v = options.beta2 * v + (1.0 - options.beta2) * grad.cwiseAbs2();
    const double correction = rate * std::sqrt(1.0 - b2t) / (1.0 - b1t);
    theta.array() += correction * m.array() / (v.array().sqrt() + options.epsilon);
    rate *= rate_decay;
  }
  g.assign(theta);

  // Draws from the fitted guide, with log p and log q.
  const int columns = 2 + static_cast<int>(model.output_names().size());
  Eigen::MatrixXd draws(options.draws, columns);
  Eigen::MatrixXd unconstrained(options.draws, d);
  random::philox draw_rng(options.seed, 2);
  std::vector<double> row(static_cast<std::size_t>(columns - 2));
  for (int s = 0; s < options.draws; ++s) {
    fill_std_normal(eps, draw_rng);
    g.transform(eps, x);
    unconstrained.row(s) = x.transpose();
    draws(s, 0) = model.log_density(x, density);
    draws(s, 1) = g.log_density(eps);
    model.write_output(x, row.data());
    for (int j = 0; j + 2 < columns; ++j)
      draws(s, 2 + j) = row[static_cast<std::size_t>(j)];
  }
  auto values = setup.read_params(g);
  return svi_result<Model>(model, std::move(draws), std::move(unconstrained), std::move(g),
                           std::move(elbo), std::move(setup.names), std::move(values),
                           std::move(setup.scalar), skipped);
}

template <class Model>
Eigen::VectorXd auto_guide_start(const Model& model, const adam& options) {
  random::philox rng(options.seed, 0);
  Eigen::VectorXd x(model.dim());
  for (int attempt = 0; attempt < 100; ++attempt) {
    for (int i = 0; i < x.size(); ++i)
      x[i] = options.init_radius * (2.0 * random::uniform01(rng) - 1.0);
    if (std::isfinite(model.log_density(x))) return x;
  }
  throw std::runtime_error("statix: svi: no finite log density at 100 random starting points "
                           "in (-init_radius, init_radius)");
}
} // namespace detail

namespace detail {
template <class Model>
guide_setup setup_guide(const Model& model, const auto_normal& guide, const adam& options) {
  if (!(guide.init_scale > 0)) throw std::invalid_argument("statix: auto_normal: init_scale > 0");
  gaussian_guide g;
  g.loc = auto_guide_start(model, options);
  g.log_scale = Eigen::VectorXd::Constant(model.dim(), std::log(guide.init_scale));
  return {std::move(g),
          {"loc", "scale"},
          [](const gaussian_guide& q) {
            return std::vector<Eigen::VectorXd>{q.loc, q.log_scale.array().exp().matrix()};
          },
          {false, false}};
}

template <class Model>
guide_setup setup_guide(const Model& model, const auto_multivariate_normal& guide,
                        const adam& options) {
  if (!(guide.init_scale > 0))
    throw std::invalid_argument("statix: auto_multivariate_normal: init_scale > 0");
  gaussian_guide g;
  g.full_rank = true;
  g.loc = auto_guide_start(model, options);
  g.tril = Eigen::MatrixXd::Zero(model.dim(), model.dim());
  g.tril.diagonal().setConstant(std::log(guide.init_scale));
  return {std::move(g),
          {"loc"},
          [](const gaussian_guide& q) { return std::vector<Eigen::VectorXd>{q.loc}; },
          {false}};
}

// A guide of user-named params: each site a normal over its variable's
// unconstrained coordinates.
template <class Model, class... Sites>
guide_setup setup_checked_guide(const Model& model, const guide_of<Sites...>& guide);

template <class Model, class... Sites>
guide_setup setup_guide(const Model& model, const guide_of<Sites...>& guide, const adam&) {
  if constexpr (!detail::guide_check<Model, false, Sites...>::value) {
    // One error naming the site or variable; nothing below is compiled.
    static_assert(detail::guide_check<Model, true, Sites...>::value);
    return {};
  } else {
    return setup_checked_guide(model, guide);
  }
}

template <class Model, class... Sites>
guide_setup setup_checked_guide(const Model& model, const guide_of<Sites...>& guide) {
  const int d = model.dim();
  gaussian_guide g;
  g.loc = Eigen::VectorXd::Zero(d);
  g.log_scale = Eigen::VectorXd::Zero(d);
  std::vector<std::pair<int, int>> spans; // (unconstrained offset, size) per site
  std::vector<std::string> names;
  std::vector<bool> scalar;
  std::apply(
      [&](const Sites&... site) {
        (
            [&] {
              const auto& v = model.template variable<Sites::name>();
              const int offset = v.x_offset_, n = v.size();
              const std::string var(Sites::name.view());
              const auto check = [&](const Eigen::VectorXd& init, std::string_view pname) {
                if (init.size() != n && init.size() != 1)
                  throw std::invalid_argument("statix: guide site \"" + var + "\": param \"" +
                                              std::string(pname) + "\" has " +
                                              std::to_string(init.size()) +
                                              " values, the variable " + std::to_string(n));
              };
              check(site.loc.init, decltype(site.loc)::name.view());
              check(site.scale.init, decltype(site.scale)::name.view());
              for (int i = 0; i < n; ++i) {
                g.loc[offset + i] = site.loc.init[site.loc.init.size() == 1 ? 0 : i];
                g.log_scale[offset + i] =
                    std::log(site.scale.init[site.scale.init.size() == 1 ? 0 : i]);
              }
              if (site.loc.init.size() != n || site.scale.init.size() != n)
                if (n != 1)
                  throw std::invalid_argument(
                      "statix: guide site \"" + var +
                      "\": give the loc and scale params one value per element (" +
                      std::to_string(n) + ")");
              spans.emplace_back(offset, n);
              names.emplace_back(decltype(site.loc)::name.view());
              names.emplace_back(decltype(site.scale)::name.view());
              scalar.push_back(site.loc.scalar);
              scalar.push_back(site.scale.scalar);
            }(),
            ...);
      },
      guide.sites);
  return {std::move(g), std::move(names),
          [spans](const gaussian_guide& q) {
            std::vector<Eigen::VectorXd> values;
            for (const auto& [offset, n] : spans) {
              values.push_back(q.loc.segment(offset, n));
              values.push_back(q.log_scale.segment(offset, n).array().exp().matrix());
            }
            return values;
          },
          std::move(scalar)};
}
} // namespace detail

template <class Model, class Guide>
requires(!std::is_invocable_v<const Model&, const std::vector<int>&>)
    svi_result<Model> svi(const Model& model, const Guide& guide, const adam& options = {}) {
  detail::check_adam(options);
  if (options.subsample != 0)
    throw std::invalid_argument(
        "statix: sx::adam: .subsample needs the model as a function of the rows: "
        "sx::svi(make_model, num_rows, guide, options)");
  return detail::run_svi(model, detail::setup_guide(model, guide, options), options,
                         detail::full_batch<Model>{model});
}

namespace detail {
// One step's minibatch: a partial Fisher-Yates shuffle draws the rows, the
// model is built on them, and prior + scale * likelihood is estimated from
// its full gradient and its priors' alone.
template <class MakeModel, class Model>
struct minibatch {
  const MakeModel& make;
  std::vector<int> permutation, rows;
  double scale = 1.0;
  std::optional<Model> batch;
  Eigen::VectorXd prior_gradient;

  void begin_step(random::philox& rng) {
    const int n = static_cast<int>(permutation.size()), b = static_cast<int>(rows.size());
    for (int i = 0; i < b; ++i) {
      const int j = std::min(n - 1, i + static_cast<int>(random::uniform01(rng) * (n - i)));
      std::swap(permutation[static_cast<std::size_t>(i)], permutation[static_cast<std::size_t>(j)]);
      rows[static_cast<std::size_t>(i)] = permutation[static_cast<std::size_t>(i)];
    }
    std::sort(rows.begin(), rows.end());
    batch.emplace(make(rows));
  }
  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& gx) {
    const density_options density{.jacobian = true, .propto = false};
    const double all_terms = batch->log_density_gradient(x, gx, density);
    const double prior = batch->log_prior_gradient(x, prior_gradient, density);
    gx = prior_gradient + scale * (gx - prior_gradient);
    return prior + scale * (all_terms - prior);
  }
};
} // namespace detail

// Minibatches, as Pyro's plate subsampling: make_model(rows) builds the model
// on the given rows of the data (a std::vector<int> of 0-based indices; every
// data array indexed by observation taken at those rows). Each step draws
// `.subsample` of the num_rows rows without replacement and ascends
// prior + (num_rows / subsample) * the batch's likelihood, whose expectation
// is the full log density. The result's draws come from the model on every
// row.
template <class MakeModel, class Guide>
requires std::is_invocable_v < const MakeModel&, const std::vector<int>
& > auto svi(const MakeModel& make_model, int num_rows, const Guide& guide,
             const adam& options = {}) {
  using Model =
      std::remove_cvref_t<std::invoke_result_t<const MakeModel&, const std::vector<int>&>>;
  detail::check_adam(options);
  if (num_rows < 1)
    throw std::invalid_argument("statix: svi: num_rows must be at least 1, got " +
                                std::to_string(num_rows));
  if (options.subsample < 0 || options.subsample > num_rows)
    throw std::invalid_argument(
        "statix: sx::adam: .subsample must lie in [0, num_rows = " + std::to_string(num_rows) +
        "], got " + std::to_string(options.subsample));
  std::vector<int> all(static_cast<std::size_t>(num_rows));
  for (int i = 0; i < num_rows; ++i)
    all[static_cast<std::size_t>(i)] = i;
  const Model full = make_model(all);
  auto setup = detail::setup_guide(full, guide, options);
  if (options.subsample == 0 || options.subsample == num_rows)
    return detail::run_svi(full, std::move(setup), options, detail::full_batch<Model>{full});
  detail::minibatch<MakeModel, Model> source{
      make_model,
      all,
      std::vector<int>(static_cast<std::size_t>(options.subsample)),
      double(num_rows) / options.subsample,
      std::nullopt,
      {}};
  return detail::run_svi(full, std::move(setup), options, source);
}

} // namespace statix
