// expect: multivariate_declaration<name_t<.c.>, families::categorical.*statix: sx::model\(...\) takes variables
// at most 14 lines
// A discrete multivariate family is observed only: without .observe it is no variable.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto theta = sx::dirichlet<"theta">(Eigen::VectorXd::Ones(3));
  auto c = sx::categorical<"c">(theta);
  auto model = sx::model(theta, c);
  return model.dim();
}
