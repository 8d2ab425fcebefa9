// expect: guide_site_names_no_free_variable_of_the_model.*sigma
// at most 28 lines
// A guide site must name a free variable of the model.
#include <statix/infer/svi.hpp>
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto mu = sx::normal<"mu">(0.0, 1.0);
  auto model = sx::model(mu, sx::normal<"y">(mu, 1.0).observe(1.0));
  auto guide = sx::guide(
      sx::q::normal<"mu">(sx::param<"m">(0.0), sx::param<"s">(1.0, sx::constraints::positive)),
      sx::q::lognormal<"sigma">(sx::param<"l">(0.0),
                                sx::param<"t">(1.0, sx::constraints::positive)));
  return static_cast<int>(sx::svi(model, guide).mean().size());
}
