// The plan computed on demand (sweep/src/chunk_plan.hpp) against a straightforward enumeration:
// the same chunks in the same canonical order with the same names, whatever the cells, budgets,
// seed range and chunk size. Names are what resumption and sharding key on, so they may not move.
#include "chunk_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "clipsim/sweep/config.hpp"

namespace clipsim::sweep::detail {
namespace {

struct Reference {
  Chunk chunk;
  std::string name;
};

// Cell by cell, budget by budget, seed blocks aligned to multiples of chunk_seeds.
std::vector<Reference> Enumerate(const SweepConfig& config) {
  std::vector<Reference> out;
  const auto size = static_cast<std::uint64_t>(config.chunk_seeds);
  for (std::size_t c = 0; c < config.cells.size(); ++c) {
    for (std::size_t b = 0; b < config.budgets.size(); ++b) {
      for (std::uint64_t first = config.seeds.first; first <= config.seeds.last;) {
        const std::uint64_t last = std::min((first / size + 1) * size - 1, config.seeds.last);
        out.push_back({{c, b, first, last},
                       config.cells[c].id + "-N" + std::to_string(config.budgets[b]) + "-s" +
                           std::to_string(first) + "-" + std::to_string(last)});
        first = last + 1;
      }
    }
  }
  return out;
}

SweepConfig Config(const std::string& seeds, const std::string& budgets, int chunk_seeds,
                   const std::string& p) {
  return ParseSweepConfig("seeds: " + seeds + "\nbudgets: " + budgets +
                              "\nchunk_seeds: " + std::to_string(chunk_seeds) +
                              "\nproblem: {kind: quadratic, dim: 1}\n"
                              "noise: {kind: stable, alpha: 1.9}\np: " +
                              p +
                              "\noptimizer: {method: ps_clip_sgd}\n"
                              "schedule: {kind: constant, eta0: 0.02}\n",
                          "<plan test>");
}

void ExpectPlanEqualsEnumeration(const SweepConfig& config) {
  const std::vector<Reference> expected = Enumerate(config);
  const ChunkPlan plan(config);
  ASSERT_EQ(plan.size(), expected.size());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const Chunk chunk = plan[i];
    const Reference& want = expected[i];
    ASSERT_EQ(chunk.cell, want.chunk.cell) << i;
    ASSERT_EQ(chunk.budget, want.chunk.budget) << i;
    ASSERT_EQ(chunk.first_seed, want.chunk.first_seed) << i;
    ASSERT_EQ(chunk.last_seed, want.chunk.last_seed) << i;
    ASSERT_EQ(chunk.runs(), want.chunk.runs()) << i;
    ASSERT_EQ(plan.Name(chunk), want.name) << i;
  }
}

TEST(ChunkPlan, EqualsTheEnumerationOfEveryBlock) {
  struct Case {
    const char* seeds;
    const char* budgets;
    int chunk_seeds;
    const char* p;
  };
  const Case cases[] = {
      {"23", "[200, 600]", 5, "[1.4, 1.7]"},                         // last block partial
      {"20", "[16]", 5, "1.4"},                                      // blocks fill the range
      {"{first: 7, last: 31}", "[16, 32, 8]", 5, "1.4"},             // first seed not aligned
      {"{first: 10, last: 14}", "[16]", 5, "[1.3, 1.6]"},            // one aligned block
      {"{first: 12, last: 13}", "[16, 32]", 5, "1.4"},               // inside one block
      {"{first: 42, last: 42}", "[16, 32]", 50, "[1.3, 1.5, 1.7]"},  // a single seed
      {"1", "[16]", 1, "1.4"},                                       // seed 0 alone
      {"{first: 99, last: 1234}", "[16, 64]", 100, "[1.3, 1.7]"},
      {"{first: 1000, last: 1999}", "[16]", 1, "1.4"},  // chunks of one seed
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.seeds) + " " + c.budgets + " " + std::to_string(c.chunk_seeds));
    ExpectPlanEqualsEnumeration(Config(c.seeds, c.budgets, c.chunk_seeds, c.p));
  }
}

// Sharding hashes the name: the chunks of a known sweep keep their shards of 3 and each chunk is
// in exactly one shard.
TEST(ChunkPlan, ShardsFollowTheNameHash) {
  const SweepConfig config = Config("23", "[200, 600]", 5, "[1.4, 1.7]");
  const ChunkPlan plan(config);
  std::string shards;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const std::string name = plan.Name(plan[i]);
    for (int index = 0; index < 3; ++index) {
      if (InShard(name, index, 3)) shards += static_cast<char>('0' + index);
    }
    EXPECT_TRUE(InShard(name, 0, 1));
  }
  // Shard of each chunk in plan order; shard 0's three are those `clipsim sweep --shard 0/3` of
  // this config committed before the plan was computed on demand.
  EXPECT_EQ(shards, "21111021122211101102");
}

}  // namespace
}  // namespace clipsim::sweep::detail
