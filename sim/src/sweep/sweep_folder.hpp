// The output folder of a sweep: which config and build it belongs to, and which chunks are
// committed. A folder takes results of one config (seeds and budgets may grow) from one build.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "clipsim/sim/sweep_config.hpp"

namespace clipsim::sim::detail {

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

// Names of the committed chunks under DIR/chunks.
std::set<std::string> CommittedChunks(const std::string& dir);

// A committed chunk is one file, DIR/chunks/NAME.chunk: its results rows, then the line
// kTimingsMarker, then its timing lines. One file per chunk (not a results file and a timings
// file) halves what a commit costs: each file created, flushed and renamed costs ~1.5 ms of
// the machine's time here.
std::string ChunkPath(const std::string& dir, const std::string& name);
inline constexpr std::string_view kTimingsMarker = "#timings\n";
// The two parts of a chunk file's text; InputError naming path when the marker is missing.
struct ChunkParts {
  std::string_view rows;
  std::string_view timings;
};
ChunkParts SplitChunk(std::string_view text, const std::string& path);
std::string NowIso8601();

}  // namespace clipsim::sim::detail
