// The chunks of a sweep in canonical order: for each cell (grid order), each budget (file order),
// consecutive blocks of chunk_seeds seeds aligned to multiples of chunk_seeds. Alignment keeps a
// chunk's name unchanged when the seed range grows, so growing a sweep recomputes only new seeds
// (and the one partial block at the old end).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clipsim/sweep/config.hpp"

namespace clipsim::sweep::detail {

struct Chunk {
  std::size_t cell = 0;    // index into SweepConfig::cells
  std::size_t budget = 0;  // index into SweepConfig::budgets
  std::uint64_t first_seed = 0;
  std::uint64_t last_seed = 0;  // inclusive
  std::string name;             // "<cell id>-N<budget>-s<first>-<last>"
  std::int64_t runs() const { return static_cast<std::int64_t>(last_seed - first_seed + 1); }
};

std::vector<Chunk> PlanChunks(const SweepConfig& config);

// Whether a chunk belongs to shard `index` of `count` (a stable hash of its name, so membership
// does not move when the sweep grows).
bool InShard(const Chunk& chunk, int index, int count);

}  // namespace clipsim::sweep::detail
