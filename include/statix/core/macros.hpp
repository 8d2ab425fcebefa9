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

// The whole evaluation of a model in one function: the compiler's inlining
// budget, spent across a large translation unit, would otherwise leave calls
// (and reloads around them) inside the element loops.
#if defined(__GNUC__) && !defined(__CUDACC__)
#define STATIX_FLATTEN __attribute__((flatten))
#else
#define STATIX_FLATTEN
#endif
