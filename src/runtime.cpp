// statix_runtime: the model-independent code of Statix compiled once
// (base/runtime_linkage.hpp). A program that links it defines
// STATIX_SEPARATE_RUNTIME in every file (the CMake target statix::runtime
// does), and its model files then only declare these functions.
#define STATIX_RUNTIME_SOURCE 1

#include <statix/diagnostics/diagnostics.hpp>
#include <statix/diagnostics/nested_rhat.hpp>
#include <statix/diagnostics/psis.hpp>
#include <statix/infer/chees_sampler.hpp>
#include <statix/infer/ensemble_state.hpp>
#include <statix/infer/fisher_adaptation.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/loo.hpp>
#include <statix/infer/meads_sampler.hpp>
#include <statix/infer/metric_warmup.hpp>
#include <statix/infer/pathfinder_approximation.hpp>
#include <statix/infer/sample_chains.hpp>
#include <statix/io/cmdstan_csv.hpp>
#include <statix/math/symmetric_eigen.hpp>

namespace statix {

template class basic_fisher_metric_adaptation<void>;
template class basic_metric_warmup<void>;

// NUTS and static HMC over any model, through one pointer.
template std::vector<chain_result> sample_chains<erased_model>(const erased_model&, const nuts&);
template std::vector<chain_result> sample_chains<erased_model>(const erased_model&, const hmc&);

} // namespace statix
