#pragma once

namespace statix::transforms {

// A constrained value y = c(x; lower, upper) with log|dy/dx| and every partial
// the reverse sweep needs (bounds may themselves depend on parameters).
template <class T>
struct constrain_partials {
  T value;
  T log_jacobian;
  T dvalue_dx;
  T dvalue_dlower;
  T dvalue_dupper;
  T dlogj_dx;
  T dlogj_dlower;
  T dlogj_dupper;
};

} // namespace statix::transforms
