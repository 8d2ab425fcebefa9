// expect: error: invalid application of .sizeof. to incomplete type .statix::truncation_bounds_of_a_discrete_family_must_be_numbers_or_data<statix::fixed_string<2>{"y"}>
// at most 14 lines
// A discrete family's truncation sums its pmf between the bounds: they cannot be parameters.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto lambda = sx::lognormal<"lambda">(0.0, 1.0);
  auto floor = sx::lognormal<"floor">(0.0, 1.0);
  Eigen::VectorXi counts(2);
  counts << 1, 3;
  auto y = sx::poisson<"y">(lambda).observe(counts).truncate(sx::lower(floor));
  auto model = sx::model(lambda, floor, y);
  return model.dim();
}
