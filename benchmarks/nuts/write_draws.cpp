// Writes CmdStan CSV files of fixed-seed runs of Statix's samplers, for
// identical_draws.sh: the same program built against two versions of the
// sampler headers must write the same files, byte for byte, but for the
// timing lines. The runs cover what the sampler code branches on: the
// diagonal, dense and unit metrics, divergences (the centred funnels), tree
// depth limits, a 175-dimensional model, static HMC, save_warmup, and the
// Fisher warm-up (dense, and metric::automatic).
//
//   write_draws OUTPUT_DIRECTORY

#include "../../tests/model/statix_models.hpp"

#include <statix/statix.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

namespace sx = statix;

namespace {

auto eight_schools_centered_model(const statix_test::eight_schools_data& d) {
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta = sx::normal<"theta">(mu, tau, sx::size(8));
  auto y = sx::normal<"y">(theta, d.sigma).observe(d.y);
  return sx::model(mu, tau, theta, y);
}

template <class Model, class Options>
void write(const std::filesystem::path& dir, const std::string& name, const Model& model,
           Options options) {
  options.progress = 0;
  options.threads = 1;
  const auto chains = sx::sample_chains(model, options);
  sx::write_csv(dir / (name + ".csv"), chains, sx::make_run_info(options), name);
  std::printf("%s: %zu chains\n", name.c_str(), chains.size());
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_draws OUTPUT_DIRECTORY\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const statix_test::eight_schools_data es;
  const auto eight_schools = statix_test::eight_schools_model(es);
  const auto centered = eight_schools_centered_model(es);
  const auto radon = statix_test::radon_model(statix_test::make_radon_data(85, 919, 3));
  const auto logistic = statix_test::logistic_model(statix_test::make_logistic_data(300, 6, 5));

  write(dir, "eight_schools", eight_schools, sx::nuts{.seed = 11, .save_warmup = true});
  write(dir, "eight_schools_centered", centered, sx::nuts{.seed = 12, .save_warmup = true});
  write(dir, "radon", radon, sx::nuts{.seed = 13, .save_warmup = true});
  write(dir, "radon_depth_3", radon, sx::nuts{.chains = 2, .seed = 14, .max_depth = 3});
  write(dir, "logistic_dense", logistic,
        sx::nuts{.chains = 2, .seed = 15, .metric = sx::metric::dense, .save_warmup = true});
  write(dir, "centered_unit", centered,
        sx::nuts{.chains = 2, .seed = 16, .metric = sx::metric::unit});
  write(dir, "centered_target_0.95", centered,
        sx::nuts{.chains = 2, .seed = 17, .target_accept = 0.95});
  write(dir, "eight_schools_hmc", eight_schools, sx::hmc{.steps = 12, .chains = 2, .seed = 18});
  write(dir, "centered_no_adapt", centered,
        sx::nuts{.chains = 2, .warmup = 0, .seed = 19, .step_size = 0.3});
  write(dir, "logistic_fisher_dense", logistic,
        sx::nuts{.chains = 2,
                 .seed = 20,
                 .metric = sx::metric::dense,
                 .save_warmup = true,
                 .adaptation = sx::adaptation::fisher});
  write(dir, "radon_automatic", radon,
        sx::nuts{.chains = 2, .seed = 21, .metric = sx::metric::automatic});
  return 0;
}
