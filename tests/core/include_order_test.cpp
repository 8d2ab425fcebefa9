// The headers compile in any order. Including fit.hpp and sample.hpp before
// statix/modeling.hpp once failed: diagnostics/warnings.hpp declared a
// function detail::name_list that hid the type statix::name_list.
#include <statix/infer/fit.hpp>
#include <statix/infer/sample.hpp>
#include <statix/modeling.hpp>

#include <catch2/catch.hpp>

namespace sx = statix;

TEST_CASE("infer headers included before statix/modeling.hpp", "[core]") {
  auto model = sx::model(sx::normal<"mu">(0.0, 1.0));
  CHECK(model.dim() == 1);
}
