// For tests that write a sweep folder by hand: the manifest.json every reader requires, with the
// schema version of the results-folder contract (core/results_folder.hpp) and nothing else.
#pragma once

#include <fstream>
#include <string>

#include "clipsim/core/results_folder.hpp"

namespace clipsim::testing {

inline void WriteSweepManifest(const std::string& dir,
                               int schema_version = results_folder::kSchemaVersion) {
  std::ofstream(dir + "/" + std::string(results_folder::kManifestFile), std::ios::binary)
      << "{\"schema_version\": " << schema_version << "}\n";
}

}  // namespace clipsim::testing
