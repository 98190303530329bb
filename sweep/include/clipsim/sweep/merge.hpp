// Joining the folders of a sharded sweep (`clipsim sweep --shard i/n`, e.g. one Slurm array task
// each) into one folder with the results an unsharded sweep writes (engine.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace clipsim::sweep {

struct MergeOptions {
  // The n of the sweeps' --shard i/n, when known: missing chunks are then also named by the
  // index i of the shard that computes them (MergeReport::missing_shards). 0: unknown.
  int shard_count = 0;
  // Check and report only: nothing is written to out_dir.
  bool dry_run = false;
  std::string command_line;  // recorded in the manifest
};

struct MergeReport {
  // The missing runs, one line each: "cell <id> budget <N> seeds <first>-<last>".
  std::vector<std::string> missing;
  // With shard_count: the indices i (ascending, distinct) of the shards that own a missing chunk,
  // i.e. the shards to run (again) before the merged sweep can complete.
  std::vector<int> missing_shards;
  std::int64_t chunks_added = 0;    // appended to out_dir by this merge
  std::int64_t chunks_present = 0;  // already in out_dir, the same bytes (merged before)
  bool complete = false;            // every chunk is in out_dir; results written (not dry_run)
};

// Joins shard folders into out_dir (a new folder, or one a previous merge wrote): refuses folders
// of other configs or builds, a chunk present in two shard folders (the splits overlap), and a
// chunk that out_dir already holds with other bytes. A chunk out_dir holds with the same bytes
// (merged before) is left as it is, so merging again after more shards finished adds only what is
// new. When every chunk is then present, writes the results as a sweep does.
MergeReport MergeSweeps(const std::vector<std::string>& shard_dirs, const std::string& out_dir,
                        const MergeOptions& options);

}  // namespace clipsim::sweep
