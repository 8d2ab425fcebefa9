#pragma once

// Where the model-independent code lives: the diagnostics, the summary, the
// CmdStan CSV reader and writer, and the metric estimates of the warm-up do
// not depend on the model, yet a header-only library compiles them again in
// every model file (seconds each).
//
// - Default (header-only): the headers define these functions `inline`.
// - STATIX_SEPARATE_RUNTIME (set by linking the CMake target statix::runtime):
//   the headers only declare them, and the class templates of the warm-up are
//   declared `extern template`; the definitions come from the statix_runtime
//   library, compiled once. Every file of a program must agree on the macro.
// - STATIX_RUNTIME_SOURCE: defined by the library's own source file, which
//   compiles the definitions once, not inline.
//
// A header of that kind declares its functions with STATIX_RUNTIME_INLINE and
// puts the definitions under `#if STATIX_RUNTIME_DEFINITIONS`.

#if defined(STATIX_RUNTIME_SOURCE)
#define STATIX_RUNTIME_DEFINITIONS 1
#define STATIX_RUNTIME_INLINE
#define STATIX_RUNTIME_EXTERN_TEMPLATES 0
#elif defined(STATIX_SEPARATE_RUNTIME)
#define STATIX_RUNTIME_DEFINITIONS 0
#define STATIX_RUNTIME_INLINE
#define STATIX_RUNTIME_EXTERN_TEMPLATES 1
#else
#define STATIX_RUNTIME_DEFINITIONS 1
#define STATIX_RUNTIME_INLINE inline
#define STATIX_RUNTIME_EXTERN_TEMPLATES 0
#endif
