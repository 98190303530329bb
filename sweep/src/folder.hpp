// The output folder of a sweep: which config and build it belongs to (its committed chunks are
// in chunk_log.hpp). A folder takes results of one config (seeds and budgets may grow) from one
// build.
#pragma once

#include <string>

#include "clipsim/sweep/config.hpp"

namespace clipsim::sweep::detail {

// What results depend on besides the config: version, commit, compiler, build type and vector
// instruction set. Two builds with different ids may differ in the last bit.
std::string BuildId();

struct FolderState {
  std::string fingerprint;
  std::string build_id;
  std::string created;  // UTC, ISO 8601
  std::string config_text;
};

// Reads DIR/state.json and DIR/sweep.yaml; returns false when the folder holds no sweep yet.
bool ReadFolderState(const std::string& dir, FolderState& state);

// Refuses (InputError) a folder of another config or build. With create, makes the folder and
// records the config when it is new.
void CheckFolder(const SweepConfig& config, const std::string& dir, bool create);

std::string NowIso8601();

}  // namespace clipsim::sweep::detail
