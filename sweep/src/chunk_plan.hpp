// The chunks of a sweep in canonical order: for each cell (grid order), each budget (file order),
// consecutive blocks of chunk_seeds seeds aligned to multiples of chunk_seeds. Alignment keeps a
// chunk's name unchanged when the seed range grows, so growing a sweep recomputes only new seeds
// (and the one partial block at the old end).
//
// Every (cell, budget) has the same blocks, so chunk i is computed from i by arithmetic instead of
// being stored: a plan of 10^7 seeds in chunks of 50 held ~200,000 chunks with their names (~100
// bytes each), memory that grew with the seeds while a sweep holds little else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "clipsim/sweep/config.hpp"

namespace clipsim::sweep::detail {

struct Chunk {
  std::size_t cell = 0;    // index into SweepConfig::cells
  std::size_t budget = 0;  // index into SweepConfig::budgets
  std::uint64_t first_seed = 0;
  std::uint64_t last_seed = 0;  // inclusive
  std::int64_t runs() const { return static_cast<std::int64_t>(last_seed - first_seed + 1); }
};

class ChunkPlan {
 public:
  // Keeps a reference to config.
  explicit ChunkPlan(const SweepConfig& config);

  std::size_t size() const { return size_; }
  // Chunk i (< size()) in canonical order.
  Chunk operator[](std::size_t i) const;
  // "<cell id>-N<budget>-s<first>-<last>": the chunk's name in its log and its shard's key.
  std::string Name(const Chunk& chunk) const;

 private:
  const SweepConfig& config_;
  std::uint64_t size_seeds_;       // chunk_seeds
  std::uint64_t first_block_;      // seeds.first / chunk_seeds
  std::uint64_t blocks_per_pair_;  // blocks of one (cell, budget)
  std::size_t size_;
};

// Whether the chunk of this name belongs to shard `index` of `count` (a stable hash of its name,
// so membership does not move when the sweep grows).
bool InShard(std::string_view name, int index, int count);

}  // namespace clipsim::sweep::detail
