// expect: the_model_has_no_variable_named.*sigma
// at most 14 lines
// A misspelled name in fit.draws<"...">() is one error naming it.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto mu = sx::normal<"mu">(0.0, 1.0);
  auto model = sx::model(mu, sx::normal<"y">(mu, 1.0).observe(1.0));
  auto fit = sx::sample(model, sx::nuts{.chains = 1});
  return static_cast<int>(fit.draws<"sigma">().size());
}
