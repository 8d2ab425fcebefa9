// expect: cannot_use_the_type_given_for_parameter_of_variable<.*"y".*"sigma".*basic_string
// at most 15 lines
// A type that cannot stand in a model expression, given for a family's
// parameter, is one error naming the variable, the parameter and the type.
#include <statix/modeling.hpp>

#include <string>

namespace sx = statix;

int main() {
  const std::string sigma = "1.0";
  auto mu = sx::normal<"mu">(0.0, 1.0);
  auto model = sx::model(mu, sx::normal<"y">(mu, sigma).observe(1.0));
  return static_cast<int>(model.dim());
}
