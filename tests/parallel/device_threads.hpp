#pragma once

// The device system's thread count where it has one (OpenMP), for the checks
// that draws do not depend on it; other systems have nothing to set.

#include <thrust/detail/config.h>

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP
#include <omp.h>
#endif

namespace statix_test {

inline void set_device_threads(int threads) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP
  omp_set_num_threads(threads);
#else
  (void)threads;
#endif
}

inline int all_device_threads() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP
  return omp_get_num_procs();
#else
  return 1;
#endif
}

} // namespace statix_test
