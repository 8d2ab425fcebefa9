#pragma once

// One marker for everything that must also run inside a device functor
// (the many-chain Thrust path): host and device under nvcc, nothing on the host.
#if defined(__CUDACC__)
#define STATIX_HD __host__ __device__
#else
#define STATIX_HD
#endif

#if defined(__CUDA_ARCH__)
#define STATIX_DEVICE_CODE 1
#else
#define STATIX_DEVICE_CODE 0
#endif

#if defined(__GNUC__) && !defined(__CUDACC__)
#define STATIX_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define STATIX_ALWAYS_INLINE inline
#endif

// A condition the optimiser may rely on (checks that it makes redundant
// are removed).
#if defined(__GNUC__) && !defined(__CUDACC__)
#define STATIX_ASSUME(condition)                                                                   \
  do {                                                                                             \
    if (!(condition)) __builtin_unreachable();                                                     \
  } while (false)
#else
#define STATIX_ASSUME(condition)                                                                   \
  do {                                                                                             \
  } while (false)
#endif

// Before a loop whose iterations are independent: no run-time alias checks
// before vectorising it.
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__)
#define STATIX_IVDEP _Pragma("GCC ivdep")
#else
#define STATIX_IVDEP
#endif

// The whole evaluation of a model in one function: the compiler's inlining
// budget, spent across a large translation unit, would otherwise leave calls
// (and reloads around them) inside the element loops.
#if defined(__GNUC__) && !defined(__CUDACC__)
#define STATIX_FLATTEN __attribute__((flatten))
#else
#define STATIX_FLATTEN
#endif

// [[no_unique_address]] where host and device code agree on it. nvcc's
// device compiler lays such members out as if the attribute were absent
// while the host compiler folds empty members away: a model copied byte for
// byte to the GPU would then be read at the wrong offsets. Under nvcc the
// attribute is left out on both sides.
#if defined(__CUDACC__)
#define STATIX_NO_UNIQUE_ADDRESS
#else
#define STATIX_NO_UNIQUE_ADDRESS [[no_unique_address]]
#endif
