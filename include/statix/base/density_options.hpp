#pragma once

namespace statix {

// What a log density evaluation includes. By default everything: the
// log|Jacobian| of the constraining transforms and every normalising constant
// (as PyMC's model.logp); samplers ask for `propto` to skip constant terms.
struct density_options {
  bool jacobian = true;
  bool propto = false;
};

} // namespace statix
