// expect: error: invalid application of .sizeof. to incomplete type .statix::truncation_needs_a_family_with_a_differentiable_lcdf_or_a_count_pmf<statix::fixed_string<2>{"y"}, statix::dist::gamma>
// at most 14 lines
// Truncation differentiates the family's lcdf; gamma's (an incomplete gamma
// function of the shape) is not differentiable here.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto alpha = sx::lognormal<"alpha">(0.0, 1.0);
  Eigen::VectorXd y(2);
  y << 1.5, 3.0;
  auto obs = sx::gamma<"y">(alpha, 1.0).observe(y).truncate(sx::upper(10.0));
  auto model = sx::model(alpha, obs);
  return model.dim();
}
