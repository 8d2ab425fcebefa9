#pragma once

// Statix: the only header users need.
//
//   #include <statix/statix.hpp>
//   namespace sx = statix;

#include "statix/modeling.hpp"

#include "statix/diagnostics/diagnostics.hpp"
#include "statix/infer/fit.hpp"
#include "statix/infer/sample.hpp"
#include "statix/io/io.hpp"
// sx::read_json (Stan JSON data) is included on request,
// #include <statix/io/json_data.hpp>: nlohmann's JSON library costs every
// model file about 140 MiB of compiler memory, and not every program reads
// JSON.
#include "statix/infer/laplace.hpp" // sx::optimize (L-BFGS) and sx::laplace
// Each further method has its own include, so that a model file pays only
// for what it uses (together they add about 10 s and 400 MiB to the
// compilation of a model file that samples):
//   <statix/infer/advi.hpp>        sx::fit_advi (mean-field and full-rank ADVI)
//   <statix/infer/pathfinder.hpp>  sx::pathfinder (single- and multi-path)
//   <statix/infer/svi.hpp>         sx::svi, sx::guide, sx::param, auto guides
//   <statix/infer/predictive.hpp>  sx::sample_prior_predictive, sample_posterior_predictive
//   <statix/infer/loo.hpp>         sx::loo, sx::log_likelihood (PSIS-LOO)

namespace statix {
inline constexpr int version_major = 0;
inline constexpr int version_minor = 1;
inline constexpr int version_patch = 0;
} // namespace statix
