// expect: statix: a multivariate family observes data
// at most 21 lines
// .observe(...) of a multivariate family given a variable instead of data.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto mu = sx::normal<"mu">(0.0, 1.0, sx::size(2));
  auto s = sx::flat<"S">(sx::cov_matrix(2));
  auto y = sx::multi_normal<"y">(mu, s).observe(mu);
  auto model = sx::model(mu, s, y);
  return model.dim();
}
