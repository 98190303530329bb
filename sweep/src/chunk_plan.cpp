#include "chunk_plan.hpp"

#include <algorithm>

#include "clipsim/core/rng.hpp"

namespace clipsim::sweep::detail {

std::vector<Chunk> PlanChunks(const SweepConfig& config) {
  std::vector<Chunk> chunks;
  const auto size = static_cast<std::uint64_t>(config.chunk_seeds);
  for (std::size_t c = 0; c < config.cells.size(); ++c) {
    for (std::size_t b = 0; b < config.budgets.size(); ++b) {
      std::uint64_t first = config.seeds.first;
      while (first <= config.seeds.last) {
        const std::uint64_t block_end = (first / size + 1) * size - 1;
        const std::uint64_t last = std::min(block_end, config.seeds.last);
        Chunk chunk{c, b, first, last, ""};
        chunk.name = config.cells[c].id + "-N" + std::to_string(config.budgets[b]) + "-s" +
                     std::to_string(first) + "-" + std::to_string(last);
        chunks.push_back(std::move(chunk));
        if (last == config.seeds.last) break;
        first = last + 1;
      }
    }
  }
  return chunks;
}

bool InShard(const Chunk& chunk, int index, int count) {
  if (count <= 1) return true;
  return StableHash(chunk.name) % static_cast<std::uint64_t>(count) ==
         static_cast<std::uint64_t>(index);
}

}  // namespace clipsim::sweep::detail
