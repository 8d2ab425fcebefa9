// expect: needs a continuous family whose lcdf and lccdf take any scalar
// at most 25 lines
// Truncation differentiates the family's lcdf; poisson has none (and is discrete).
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto lambda = sx::lognormal<"lambda">(0.0, 1.0);
  Eigen::VectorXi counts(2);
  counts << 1, 3;
  auto y = sx::poisson<"y">(lambda).observe(counts).truncate(sx::lower(1));
  auto model = sx::model(lambda, y);
  return model.dim();
}
