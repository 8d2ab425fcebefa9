#pragma once

// Where the posteriordb copies live and how a test or benchmark reads them
// (no test framework here: benchmarks/nuts includes it as well).

#include "stan_json.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace statix_test {

inline const std::filesystem::path data_dir = STATIX_SOURCE_DIR "/tests/posteriordb/data";

inline stan_data load_data(const std::string& posterior) {
  return stan_data(data_dir / posterior / "data.json");
}

inline std::vector<reference_row> load_reference(const std::string& posterior) {
  return read_reference_csv(data_dir / posterior / "reference.csv");
}

} // namespace statix_test
