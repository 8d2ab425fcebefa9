# Builds and runs the eight schools example:  cmake -P cmake/demo.cmake
#
# On Debian (bookworm) it first installs the missing packages with apt-get
# (as root), then configures build/ (Release), builds the eight_schools
# target from examples/ and runs it.
cmake_minimum_required(VERSION 3.25)
include("${CMAKE_CURRENT_LIST_DIR}/StatixDebianPackages.cmake")
get_filename_component(source_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(build_dir "${source_dir}/build")

statix_install_debian_packages()
statix_build_jobs(jobs)
statix_run("Configure" "${CMAKE_COMMAND}" -S "${source_dir}" -B "${build_dir}"
           -D CMAKE_BUILD_TYPE=Release -D STATIX_BUILD_EXAMPLES=ON)
statix_run("Build" "${CMAKE_COMMAND}" --build "${build_dir}" --target eight_schools
           --parallel ${jobs})
statix_run("Run" "${build_dir}/examples/eight_schools")
