#pragma once

// The modeling language and the model alone (no samplers, diagnostics or
// I/O): what a translation unit that only evaluates models, such as a device
// translation unit of the many-chain path, needs. statix.hpp includes it.

#include "statix/base/macros.hpp"

#include "statix/base/density_options.hpp"
#include "statix/core/declarations.hpp"
#include "statix/core/factor_variable.hpp"
#include "statix/core/families.hpp"
#include "statix/core/hmm.hpp"
#include "statix/core/matrix_functions.hpp"
#include "statix/core/mixture_term.hpp"
#include "statix/core/ode.hpp"
#include "statix/core/operators.hpp"
#include "statix/core/scan.hpp"
#include "statix/core/unnamed_distribution.hpp"
#include "statix/core/variables.hpp"
#include "statix/math/functions.hpp"
#include "statix/model/model.hpp"
