# CUDA backend of the many-chain path (included when STATIX_ENABLE_CUDA is ON).
#
# Sets up nvcc for C++20 and defines statix::thrust_cuda (Thrust, CUDA device
# system, from the CUDA toolkit's CCCL). The build machines have no GPU:
# CUDA code is compiled here and run on GPU machines.
include_guard(GLOBAL)

# sm_90 = H100 and H200. Never "native" in CI: without a GPU nvcc silently
# picks an older architecture.
if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
  set(CMAKE_CUDA_ARCHITECTURES 90 CACHE STRING "CUDA architectures to compile for")
endif()
if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX})
  set(STATIX_CUDA_ROOT "/usr/local/cuda" CACHE PATH "CUDA toolkit root")
  if(EXISTS "${STATIX_CUDA_ROOT}/bin/nvcc")
    set(CMAKE_CUDA_COMPILER "${STATIX_CUDA_ROOT}/bin/nvcc")
  endif()
endif()
if(NOT CMAKE_CUDA_COMPILER_LAUNCHER AND STATIX_CCACHE_PROGRAM)
  set(CMAKE_CUDA_COMPILER_LAUNCHER "${STATIX_CCACHE_PROGRAM}")
endif()
# A parent project that adds Statix with add_subdirectory() and compiles CUDA
# itself must enable CUDA in its own top-level CMakeLists.txt.
enable_language(CUDA)

# CMake 3.25 knows no C++20 flag for nvcc.
set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")

include(StatixThrust)
statix_add_thrust_target(DEVICE_SYSTEM CUDA TARGET statix::thrust_cuda GLOBAL)
if(TARGET statix::thrust_cuda)
  # Flags every Statix CUDA translation unit needs: C++20 (stated here because
  # cuda_std_20 is unknown to CMake 3.25 and the variables above reach only
  # this directory); constexpr functions and lambdas from host code in device
  # functors; 20012 silences the flood of warnings about __host__ __device__
  # annotations ignored on defaulted functions (Eigen).
  target_compile_options(statix::thrust_cuda INTERFACE
    $<$<COMPILE_LANGUAGE:CUDA>:-std=c++20 --expt-relaxed-constexpr --extended-lambda
                                -diag-suppress=20012>)
else()
  message(WARNING "STATIX_ENABLE_CUDA is ON but Thrust with the CUDA system was not found")
endif()

# >>> CUDA executables (device tests, benchmarks) are added where their
# >>> sources live, linked to statix::statix and statix::thrust_cuda.
