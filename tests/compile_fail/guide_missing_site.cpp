// expect: model_variable_has_no_guide_site.*tau
// at most 28 lines
// Every free variable of the model needs a site in a hand-written guide.
#include <statix/infer/svi.hpp>
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto mu = sx::normal<"mu">(0.0, 1.0);
  auto tau = sx::half_normal<"tau">(1.0);
  auto model = sx::model(mu, tau, sx::normal<"y">(mu, tau).observe(1.0));
  auto guide = sx::guide(sx::q::normal<"mu">(sx::param<"m">(0.0),
                                             sx::param<"s">(1.0, sx::constraints::positive)));
  return static_cast<int>(sx::svi(model, guide).mean().size());
}
