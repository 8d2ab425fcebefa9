// expect: guide_site_family_does_not_fit_the_variables_support.*tau
// at most 28 lines
// A positive variable takes q::lognormal, not q::normal.
#include <statix/infer/svi.hpp>
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto tau = sx::half_normal<"tau">(1.0);
  auto model = sx::model(tau, sx::normal<"y">(0.0, tau).observe(1.0));
  auto guide = sx::guide(
      sx::q::normal<"tau">(sx::param<"m">(0.0), sx::param<"s">(1.0, sx::constraints::positive)));
  return static_cast<int>(sx::svi(model, guide).mean().size());
}
