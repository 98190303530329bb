#include "chunk_plan.hpp"

#include <algorithm>

#include "clipsim/core/rng.hpp"

namespace clipsim::sweep::detail {

ChunkPlan::ChunkPlan(const SweepConfig& config)
    : config_(config),
      size_seeds_(static_cast<std::uint64_t>(config.chunk_seeds)),
      first_block_(config.seeds.first / size_seeds_),
      blocks_per_pair_(config.seeds.last / size_seeds_ - first_block_ + 1),
      size_(config.cells.size() * config.budgets.size() *
            static_cast<std::size_t>(blocks_per_pair_)) {}

Chunk ChunkPlan::operator[](std::size_t i) const {
  const std::size_t pair = i / blocks_per_pair_;
  const std::uint64_t block = first_block_ + i % blocks_per_pair_;
  Chunk chunk;
  chunk.cell = pair / config_.budgets.size();
  chunk.budget = pair % config_.budgets.size();
  // The first block starts at the first seed, which need not be aligned; the last ends at the last.
  chunk.first_seed = std::max(block * size_seeds_, config_.seeds.first);
  chunk.last_seed = std::min((block + 1) * size_seeds_ - 1, config_.seeds.last);
  return chunk;
}

std::string ChunkPlan::Name(const Chunk& chunk) const {
  return config_.cells[chunk.cell].id + "-N" + std::to_string(config_.budgets[chunk.budget]) +
         "-s" + std::to_string(chunk.first_seed) + "-" + std::to_string(chunk.last_seed);
}

bool InShard(std::string_view name, int index, int count) {
  if (count <= 1) return true;
  return StableHash(name) % static_cast<std::uint64_t>(count) == static_cast<std::uint64_t>(index);
}

}  // namespace clipsim::sweep::detail
