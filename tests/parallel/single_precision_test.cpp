// sx::device_policy<float>: the log density and gradient in single precision
// on the device system (OpenMP in CI), the sampler's state in double. The
// evaluation is really in float (it differs from double, within float's
// precision), the posteriordb references hold at 256 chains, the draws do not
// depend on the number of threads, and the fit says "float".
#include "../infer/same_draws.hpp"
#include "../posteriordb/posteriordb_models.hpp"
#include "../posteriordb/reference_check.hpp"
#include "device_threads.hpp"

#include <statix/parallel.hpp>
#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sx = statix;
using namespace statix_test;

TEST_CASE("device_policy<float> evaluates the log density and gradient in single precision",
          "[parallel]") {
  const auto check_model = [](const auto& model, const char* name) {
    INFO(name);
    const sx::parallel::precision_model<std::remove_cvref_t<decltype(model)>, float> single(model);
    REQUIRE(single.fits());
    const int d = model.dim();
    const int w = model.workspace_size();
    std::vector<double> x(static_cast<std::size_t>(d)), g_single(x.size()), g_double(x.size());
    std::vector<double> values(static_cast<std::size_t>(w)), adjoints(values.size());
    std::vector<double> values2(values.size()), adjoints2(values.size());
    int differing = 0;
    for (int point = 0; point < 5; ++point) {
      for (int i = 0; i < d; ++i)
        x[static_cast<std::size_t>(i)] = 0.37 * std::sin(1.3 * i + 2.1 * point) + 0.1 * point;
      const sx::density_options options{.jacobian = true, .propto = true};
      const double lp_single = single.log_density_gradient(x.data(), g_single.data(), values.data(),
                                                           adjoints.data(), options);
      const double lp_double = model.log_density_gradient(x.data(), g_double.data(), values2.data(),
                                                          adjoints2.data(), options);
      // float keeps about 7 digits; sums over the data lose a few more.
      CHECK(std::abs(lp_single - lp_double) <= 1e-5 * std::abs(lp_double) + 1e-4);
      // The value alone sums in another order: the same to float's precision.
      const double lp_only = single.log_density(x.data(), values.data(), options);
      CHECK(std::abs(lp_only - lp_single) <= 1e-6 * std::abs(lp_single));
      double scale = 0;
      for (double g : g_double)
        scale = std::max(scale, std::abs(g));
      for (std::size_t i = 0; i < x.size(); ++i) {
        CHECK(std::abs(g_single[i] - g_double[i]) <= 1e-4 * scale + 1e-6);
        differing += g_single[i] != g_double[i] ? 1 : 0;
      }
      differing += lp_single != lp_double ? 1 : 0;
    }
    // Evaluated in double, these would agree to the last bit.
    CHECK(differing > 0);
  };
  check_model(eight_schools_noncentered_model(), "eight schools");
  check_model(kidiq_model(), "kidiq");
}

TEST_CASE("posteriordb eight_schools_noncentered and kidiq in single precision on the device "
          "system, 256 chains",
          "[parallel]") {
  // Divergences as in double (ensemble_on_device_test.cpp,
  // pooled_nuts_on_device_test.cpp): none for ChEES, a few for MEADS's
  // one-step transitions, 0.1-0.2 % for NUTS's pooled step size on eight
  // schools. Seeds 1-7 all pass: worst |z| 2.10, sd ratios within 3 %,
  // R-hat below 1.008, NUTS 72-105 divergent of 51,200, MEADS 0-4.
  const auto check = [](const auto& model, const auto& options, const std::string& posterior,
                        const std::string& note, double max_divergent) {
    timed_fit_seconds timer;
    const auto fit = sx::sample(model, options, sx::device_policy<float>{});
    CHECK(fit.info().precision == "float");
    check_rows(compare(posterior, fit, timer.elapsed(), {}, note), 1.01, 0.1);
    CHECK(fit.num_divergent() <= max_divergent);
  };
  const auto schools = eight_schools_noncentered_model();
  check(schools, sx::chees{.chains = 256, .warmup = 500, .draws = 500, .seed = 3, .progress = 0},
        "eight_schools-eight_schools_noncentered", " (ChEES, float)", 0);
  check(schools, sx::meads{.chains = 256, .warmup = 1000, .draws = 2000, .seed = 3, .progress = 0},
        "eight_schools-eight_schools_noncentered", " (MEADS, float)", 10);
  check(schools, sx::nuts{.chains = 256, .warmup = 300, .draws = 200, .seed = 3, .progress = 0},
        "eight_schools-eight_schools_noncentered", " (NUTS, float)", 0.005 * 256 * 200);
  sx::chees chees{.chains = 256, .warmup = 500, .draws = 500, .seed = 3, .progress = 0};
  chees.metric = sx::metric::dense;
  check(kidiq_model(), chees, "kidiq-kidscore_interaction", " (ChEES, dense metric, float)", 0);
}

TEST_CASE("device_policy<float>: the same draws with 1 and 2 threads, and the fit says float",
          "[parallel]") {
  const auto model = eight_schools_noncentered_model();
  const sx::chees options{.chains = 32, .warmup = 150, .draws = 100, .seed = 5, .progress = 0};
  set_device_threads(1);
  const auto one = sx::sample(model, options, sx::device_policy<float>{});
  set_device_threads(2);
  const auto two = sx::sample(model, options, sx::device_policy<float>{});
  set_device_threads(all_device_threads());
  CHECK(same_draws(one, two));
  // Not the double run's draws: the arithmetic differs.
  CHECK_FALSE(same_draws(one, sx::sample(model, options, sx::on_device)));
  CHECK(sx::sample(model, options, sx::on_device).info().precision == "double");

  CHECK(one.summary().to_string().find("single precision (float)") != std::string::npos);
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / "statix_single_precision_test";
  std::filesystem::create_directories(folder);
  one.write_csv((folder / "fit.csv").string());
  std::ifstream csv(folder / "fit_1.csv"); // one file per chain up to 64 chains
  std::stringstream text;
  text << csv.rdbuf();
  CHECK(text.str().find("# precision = float\n") != std::string::npos);
  std::filesystem::remove_all(folder);
}
