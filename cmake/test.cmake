# Runs the Statix test suite:  cmake -P cmake/test.cmake
#
# On Debian (bookworm) it first installs the missing packages with apt-get
# (as root), then configures build/ (Release), builds everything and runs
# every test, slow and posteriordb ones included. Extra ctest arguments come
# from the environment, e.g.  STATIX_TEST_ARGS="-L core" cmake -P cmake/test.cmake
# Build jobs: CMAKE_BUILD_PARALLEL_LEVEL, else the number of cores.
cmake_minimum_required(VERSION 3.25)
include("${CMAKE_CURRENT_LIST_DIR}/StatixDebianPackages.cmake")
get_filename_component(source_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(build_dir "${source_dir}/build")

statix_install_debian_packages()
statix_build_jobs(jobs)
# Where the CUDA toolkit is installed, the CUDA many-chain path is compiled
# (and run where a GPU is present).
set(cuda_option)
if(EXISTS "/usr/local/cuda/bin/nvcc")
  set(cuda_option -D STATIX_ENABLE_CUDA=ON)
endif()
statix_run("Configure" "${CMAKE_COMMAND}" -S "${source_dir}" -B "${build_dir}"
           -D CMAKE_BUILD_TYPE=Release ${cuda_option})
statix_run("Build" "${CMAKE_COMMAND}" --build "${build_dir}" --parallel ${jobs})
separate_arguments(test_args UNIX_COMMAND "$ENV{STATIX_TEST_ARGS}")
statix_run("Test" "${CMAKE_CTEST_COMMAND}" --test-dir "${build_dir}" --output-on-failure ${test_args})
