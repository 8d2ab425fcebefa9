# Checks that the folders of include/statix include one another in one
# direction only (docs/ARCHITECTURE.md, "Layers"):
#
#   cmake -D STATIX_INCLUDE_DIR=<source>/include -P cmake/check_layers.cmake
#
# A header may include headers of its own folder and of folders in a lower
# layer; a header that includes one of a higher layer, or of another folder
# in the same layer, fails the check, which names the file, the line and the
# rule. The umbrella headers (statix.hpp, modeling.hpp) sit above every
# folder. A folder missing from the table fails too, so that a new folder is
# placed in a layer on purpose. Run by CTest as core/layers.
cmake_minimum_required(VERSION 3.25)

if(NOT STATIX_INCLUDE_DIR)
  set(STATIX_INCLUDE_DIR "${CMAKE_CURRENT_LIST_DIR}/../include")
endif()
get_filename_component(STATIX_INCLUDE_DIR "${STATIX_INCLUDE_DIR}" ABSOLUTE)

# Layer of each folder, lowest first. Folders with the same number are peers,
# which may not include one another.
set(layer_base 0)          # macros, names, options, result types
set(layer_math 1)          # special functions, duals, linear algebra kernels
set(layer_transforms 2)    # bijections with log|J|
set(layer_distributions 3) # one header per family
set(layer_core 4)          # nodes, variables, operators, declarations, terms
set(layer_ad 5)            # the reverse sweep; forward-mode tags
set(layer_model 6)         # compiled_model
set(layer_diagnostics 7)   # read results (base/chain_result.hpp), never samplers
set(layer_io 7)
set(layer_infer 8)         # samplers, optimisation, fits
set(layer_parallel 9)      # the Thrust device path: runs infer's samplers on a device system
set(layer_top 10)          # include/statix/*.hpp, the umbrella headers

file(GLOB_RECURSE headers RELATIVE "${STATIX_INCLUDE_DIR}/statix"
     "${STATIX_INCLUDE_DIR}/statix/*.hpp")
if(NOT headers)
  message(FATAL_ERROR "check_layers: no headers under ${STATIX_INCLUDE_DIR}/statix")
endif()

set(violations "")
foreach(header IN LISTS headers)
  if(header MATCHES "^([a-z_]+)/")
    set(from "${CMAKE_MATCH_1}")
  else()
    set(from top)
  endif()
  if(NOT DEFINED layer_${from})
    string(APPEND violations "\n  statix/${header}: folder '${from}' has no layer in cmake/check_layers.cmake")
    continue()
  endif()
  file(STRINGS "${STATIX_INCLUDE_DIR}/statix/${header}" lines
       REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]statix/")
  foreach(line IN LISTS lines)
    if(line MATCHES "[<\"]statix/([a-z_]+)/")
      set(to "${CMAKE_MATCH_1}")
    else()
      set(to top)
    endif()
    if(to STREQUAL from)
      continue()
    endif()
    if(NOT DEFINED layer_${to})
      string(APPEND violations "\n  statix/${header}: includes folder '${to}', which has no layer")
    elseif(layer_${to} GREATER layer_${from})
      string(APPEND violations
             "\n  statix/${header}: ${from} (layer ${layer_${from}}) includes higher layer ${to} (layer ${layer_${to}}): ${line}")
    elseif(layer_${to} EQUAL layer_${from})
      string(APPEND violations
             "\n  statix/${header}: ${from} includes its peer ${to} (both layer ${layer_${to}}): ${line}")
    endif()
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR "check_layers: includes against the layer order"
                      " base < math < transforms < distributions < core < ad < model"
                      " < diagnostics, io < infer < parallel:${violations}")
endif()
list(LENGTH headers count)
message(STATUS "check_layers: ${count} headers, every include points down")
