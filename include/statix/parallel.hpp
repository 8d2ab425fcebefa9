#pragma once

// The many-chain path through Thrust (needs Thrust; CMake: statix::thrust):
//   sx::sample(model, sx::chees{...}, sx::on_device) and sx::meads likewise;
//   sx::parallel::batch_evaluator, log densities and gradients of a batch of points.

#include "statix/parallel/batch_evaluator.hpp"
#include "statix/parallel/on_device.hpp"
