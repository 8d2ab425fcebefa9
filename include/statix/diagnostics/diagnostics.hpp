#pragma once

// Posterior diagnostics: rank-normalised split R-hat, bulk/tail ESS, MCSE,
// HDI, the ArviZ-style summary table and the sampler warnings.

#include <statix/diagnostics/autocovariance.hpp>
#include <statix/diagnostics/ebfmi.hpp>
#include <statix/diagnostics/effective_sample_size.hpp>
#include <statix/diagnostics/hdi.hpp>
#include <statix/diagnostics/mcse.hpp>
#include <statix/diagnostics/quantile.hpp>
#include <statix/diagnostics/rank_normalization.hpp>
#include <statix/diagnostics/rhat.hpp>
#include <statix/diagnostics/summary.hpp>
#include <statix/diagnostics/warnings.hpp>
