// expect: error: invalid application of .sizeof. to incomplete type .statix::observed_variable_cannot_be_used_in_an_expression<statix::fixed_string<2>{"y"}
// at most 19 lines
// y is observed (data); z's prior reads it as if it were a parameter.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  Eigen::VectorXd data(3);
  data << 0.1, -0.4, 1.2;
  auto mu = sx::normal<"mu">(0.0, 1.0);
  auto y = sx::normal<"y">(mu, 1.0, sx::size(3)).observe(data);
  auto z = sx::normal<"z">(y, 1.0, sx::size(3));
  auto model = sx::model(mu, y, z);
  return model.dim();
}
