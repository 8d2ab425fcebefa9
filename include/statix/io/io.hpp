#pragma once

// Input and output: CmdStan CSV files and the progress display.

#include <statix/io/cmdstan_csv.hpp>
#include <statix/io/progress.hpp>
