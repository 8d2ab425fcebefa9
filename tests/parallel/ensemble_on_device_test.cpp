// The ensemble samplers through Thrust's CPU device system (OpenMP in CI):
// the same draws as on host threads, for any number of OpenMP threads, and
// posteriordb references at 256 chains.
#include "../infer/same_draws.hpp"
#include "../posteriordb/posteriordb_models.hpp"
#include "../posteriordb/reference_check.hpp"
#include "device_threads.hpp"

#include <statix/parallel.hpp>
#include <statix/statix.hpp>

#include <catch2/catch.hpp>

namespace sx = statix;
using namespace statix_test;

TEST_CASE("ChEES and MEADS on the device system give the host threads' draws", "[parallel]") {
  const auto model = eight_schools_noncentered_model();
  const sx::chees c{.chains = 32, .warmup = 150, .draws = 100, .seed = 11, .progress = 0};
  const auto host = sx::sample(model, c);
  for (int threads : {1, 2, all_device_threads()}) {
    set_device_threads(threads);
    INFO("device threads: " << threads);
    CHECK(same_draws(host, sx::sample(model, c, sx::on_device)));
  }
  const sx::meads m{.chains = 32, .warmup = 150, .draws = 100, .seed = 11, .progress = 0};
  const auto meads_host = sx::sample(model, m);
  for (int threads : {1, 2}) {
    set_device_threads(threads);
    CHECK(same_draws(meads_host, sx::sample(model, m, sx::on_device)));
  }
  set_device_threads(all_device_threads());
}

TEST_CASE("posteriordb eight_schools_noncentered and kidiq with ChEES and MEADS on the device "
          "system, 256 chains",
          "[parallel]") {
  // As tests/posteriordb/ensemble_posteriordb_test.cpp, another seed.
  const auto check = [](const auto& model, const auto& options, const std::string& posterior,
                        const std::string& note) {
    timed_fit_seconds timer;
    const auto fit = sx::sample(model, options, sx::on_device);
    check_rows(compare(posterior, fit, timer.elapsed(), {}, note), 1.01, 0.1);
    // MEADS's one-step transitions diverge rarely on eight schools (2 in
    // 512,000 for seed 2); ChEES not at all.
    CHECK(fit.num_divergent() <= (fit.info().algorithm == "meads" ? 10 : 0));
  };
  const auto schools = eight_schools_noncentered_model();
  check(schools, sx::chees{.chains = 256, .warmup = 500, .draws = 500, .seed = 2, .progress = 0},
        "eight_schools-eight_schools_noncentered", " (ChEES, device system)");
  check(schools, sx::meads{.chains = 256, .warmup = 1000, .draws = 2000, .seed = 2, .progress = 0},
        "eight_schools-eight_schools_noncentered", " (MEADS, device system)");
  const auto kidiq = kidiq_model();
  sx::chees chees{.chains = 256, .warmup = 500, .draws = 500, .seed = 2, .progress = 0};
  chees.metric = sx::metric::dense;
  check(kidiq, chees, "kidiq-kidscore_interaction", " (ChEES, dense metric, device system)");
  sx::meads meads{.chains = 256, .warmup = 1000, .draws = 2000, .seed = 2, .progress = 0};
  meads.metric = sx::metric::dense;
  check(kidiq, meads, "kidiq-kidscore_interaction", " (MEADS, dense metric, device system)");
}
