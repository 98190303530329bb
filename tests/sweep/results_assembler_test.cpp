// The results assembly (sweep/src/results_assembler.hpp): chunks handed over in any order give
// the results and timings of plan order; those ahead of their turn are held in memory up to the
// bound and read back from their log beyond it, with the same bytes either way; chunks committed
// before a resume are read from their logs.
#include "results_assembler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "chunk_log.hpp"
#include "chunk_plan.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/sweep/config.hpp"
#include "common/temp_files.hpp"

namespace clipsim::sweep::detail {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;

// 2 cells x 2 budgets x 5 blocks = 20 chunks.
constexpr const char* kSweep = R"(seeds: 23
budgets: [200, 600]
chunk_seeds: 5
problem: {kind: quadratic, dim: 1}
noise: {kind: stable, alpha: 1.9}
p: [1.4, 1.7]
optimizer: {method: ps_clip_sgd}
schedule: {kind: constant, eta0: 0.02}
)";

// A chunk's content, distinct per chunk and of varying size (what the assembler copies does not
// need to be real rows: it splits at the marker and counts lines).
std::string Content(std::size_t i) {
  return "rows of " + std::to_string(i) + std::string(i * 7, 'r') + "\nmore\n" +
         std::string(kTimingsMarker) + "times of " + std::to_string(i) + "\n";
}

class Assembly {
 public:
  Assembly() : config_(ParseSweepConfig(kSweep, "<assembler test>")), plan_(config_) {
    std::filesystem::create_directories(dir_ / "chunks");
  }
  std::size_t size() const { return plan_.size(); }
  std::string Name(std::size_t i) const { return plan_.Name(plan_[i]); }
  std::string dir() const { return dir_.str(); }
  const SweepConfig& config() const { return config_; }

  // results.csv and timings.csv of chunks committed before (`before`, in a log of their own) and
  // then handed over in `order`; `damage` runs after all but the last is handed over.
  std::string Assemble(const std::vector<std::size_t>& before,
                       const std::vector<std::size_t>& order, std::size_t max_held_bytes,
                       const std::function<void()>& damage = {}) {
    {
      ChunkLog earlier(dir_.str());
      for (std::size_t i : before) earlier.Append(Name(i), Content(i));
    }
    const ChunkIndex on_disk = ChunkIndex::Scan(dir_.str());
    ResultsAssembler assembler(config_, dir_.str(), on_disk, max_held_bytes);
    ChunkLog log(dir_.str());
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (k + 1 == order.size() && damage) damage();
      const std::size_t i = order[k];
      const ChunkRecord record = log.Append(Name(i), Content(i));
      assembler.Add(i, Content(i), log.path(), record);
    }
    assembler.Finish("test");
    return ReadText(dir_ / "results.csv") + "|" + ReadText(dir_ / "timings.csv");
  }

 private:
  TempDir dir_{"assembler"};
  SweepConfig config_;
  ChunkPlan plan_;
};

std::vector<std::size_t> InOrder(std::size_t n) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  return order;
}

// Every chunk but the first, then the first: all but one arrive ahead of their turn.
std::vector<std::size_t> FirstLast(std::size_t n) {
  std::vector<std::size_t> order = InOrder(n);
  std::rotate(order.begin(), order.begin() + 1, order.end());
  return order;
}

std::string Expected() {
  Assembly a;
  return a.Assemble({}, InOrder(a.size()), ResultsAssembler::kMaxHeldBytes);
}

TEST(ResultsAssembler, InOrderGivesTheContentsInPlanOrder) {
  Assembly a;
  const std::string got = a.Assemble({}, InOrder(a.size()), ResultsAssembler::kMaxHeldBytes);
  std::string rows;
  std::string times;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string content = Content(i);
    const ChunkParts parts = SplitChunk(content, "test");
    rows += parts.rows;
    times += parts.timings;
  }
  EXPECT_NE(got.find(rows + "|"), std::string::npos);
  EXPECT_TRUE(got.ends_with(times));
}

TEST(ResultsAssembler, AnyOrderOfArrivalGivesTheSameBytes) {
  const std::string expected = Expected();
  const std::size_t n = Assembly().size();
  std::vector<std::size_t> reversed = InOrder(n);
  std::reverse(reversed.begin(), reversed.end());
  std::vector<std::size_t> pairs = InOrder(n);  // 1 0 3 2 5 4 ...
  for (std::size_t i = 0; i + 1 < n; i += 2) std::swap(pairs[i], pairs[i + 1]);
  for (const auto& order : {reversed, pairs, FirstLast(n)}) {
    for (std::size_t bound : {ResultsAssembler::kMaxHeldBytes, std::size_t{0}, std::size_t{200}}) {
      Assembly a;
      EXPECT_EQ(a.Assemble({}, order, bound), expected) << "bound " << bound;
    }
  }
}

// Chunks within the bound come from memory: damage to their log records goes unseen. Beyond it
// they are read back, and the damage is refused by chunk name.
TEST(ResultsAssembler, ChunksBeyondTheBoundAreReadBackFromTheLog) {
  const std::string expected = Expected();
  for (const std::size_t bound : {ResultsAssembler::kMaxHeldBytes, std::size_t{0}}) {
    Assembly a;
    // Every byte of the log that is not a header line is changed.
    const auto damage = [&a] {
      for (const auto& e : std::filesystem::directory_iterator(a.dir() + "/chunks")) {
        std::string text = ReadText(e.path().string());
        bool header = false;
        for (std::size_t k = 0; k < text.size(); ++k) {
          if (k == 0 || text[k - 1] == '\n') header = text.compare(k, 7, "#chunk ") == 0;
          if (!header && text[k] == 'r') text[k] = 'R';
        }
        std::ofstream(e.path(), std::ios::binary) << text;
      }
    };
    if (bound == 0) {
      try {
        a.Assemble({}, FirstLast(a.size()), bound, damage);
        FAIL() << "a damaged record was assembled";
      } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(a.Name(1)), std::string::npos) << e.what();
      }
    } else {
      EXPECT_EQ(a.Assemble({}, FirstLast(a.size()), bound, damage), expected);
    }
  }
}

// A resumed sweep: every other chunk was committed before, the rest arrive in reverse.
TEST(ResultsAssembler, ChunksCommittedBeforeAreReadInTheirTurn) {
  const std::string expected = Expected();
  for (const std::size_t bound : {ResultsAssembler::kMaxHeldBytes, std::size_t{0}}) {
    Assembly a;
    std::vector<std::size_t> before;
    std::vector<std::size_t> now;
    for (std::size_t i = 0; i < a.size(); ++i) (i % 2 == 0 ? before : now).push_back(i);
    std::reverse(now.begin(), now.end());
    EXPECT_EQ(a.Assemble(before, now, bound), expected);
  }
}

TEST(ResultsAssembler, AChunkNeverCommittedIsNamedAtFinish) {
  Assembly a;
  std::vector<std::size_t> order = InOrder(a.size());
  order.erase(order.begin() + 3);
  try {
    a.Assemble({}, order, ResultsAssembler::kMaxHeldBytes);
    FAIL() << "finished without chunk 3";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(a.Name(3) + " is not committed"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace clipsim::sweep::detail
