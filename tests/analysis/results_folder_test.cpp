// The results-folder contract (core/results_folder.hpp) end to end: a two-cell sweep written by
// the sweep engine reads back through analysis (ReadSweepDir, ReadTimings) and tuning
// (ChooseTuned) with every cell, budget, seed, column and config entry the writer put there, and a
// folder of another schema version, without a manifest or with a damaged one is refused by name.
// Links sim beside analysis on purpose: the writer is the other half of the contract.
#include "clipsim/core/results_folder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/claims/claims_tuning.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/sweep/config.hpp"
#include "clipsim/sweep/engine.hpp"
#include "common/expect_input_error.hpp"
#include "common/sweep_manifest.hpp"
#include "common/temp_files.hpp"

namespace clipsim::analysis {
namespace {

namespace folder = results_folder;
using clipsim::testing::ExpectInputError;
using clipsim::testing::ReadText;
using clipsim::testing::TempDir;
using clipsim::testing::WriteSweepManifest;
using clipsim::testing::WriteText;

// Two cells (one axis: the step), two budgets, four seeds; small enough to run in milliseconds.
constexpr const char* kSweep = R"(seeds: 4
budgets: [50, 200]
master_seed: 5
problem: {kind: quadratic, dim: 2}
noise: {kind: stable, alpha: 1.5}
p: 1.4
optimizer: {method: clip_sgd, clip_threshold: 1}
schedule: {kind: constant, eta0: [0.05, 0.2]}
batch_size: 2
)";

class ResultsFolder : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("results-folder");
    const std::string config_path = WriteText(*dir_ / "sweep.yaml", kSweep);
    config_ = new sweep::SweepConfig(sweep::LoadSweepConfig(config_path));
    sweep::SweepOptions options;
    options.out_dir = *dir_ / "out";
    options.threads = 1;
    options.progress = false;
    ASSERT_TRUE(sweep::RunSweep(*config_, options).complete);
  }
  static void TearDownTestSuite() {
    delete config_;
    delete dir_;
  }
  static std::string Out() { return *dir_ / "out"; }

  static inline TempDir* dir_ = nullptr;
  static inline sweep::SweepConfig* config_ = nullptr;
};

TEST_F(ResultsFolder, WhatTheEngineWritesAnalysisReads) {
  ASSERT_EQ(config_->cells.size(), 2u);
  const SweepResults r = ReadSweepDir(Out());
  EXPECT_EQ(r.results_file, Out() + "/" + std::string(folder::kResultsFile));
  EXPECT_EQ(r.param_columns, config_->param_columns);
  ASSERT_EQ(r.cells.size(), 2u);
  // Every metric column of the contract is read, the theorem's first; no bookkeeping column is.
  std::vector<std::string> metrics;
  for (std::string_view c : folder::kCheckpointColumns) {
    if (!folder::IsBookkeepingColumn(c)) metrics.emplace_back(c);
  }
  EXPECT_EQ(r.metrics.front(), "mean_grad_norm");
  std::vector<std::string> read = r.metrics;
  std::sort(read.begin(), read.end());
  std::sort(metrics.begin(), metrics.end());
  EXPECT_EQ(read, metrics);
  for (std::size_t c = 0; c < 2; ++c) {
    const CellResults& cell = r.cells[c];
    const sweep::Cell& written = config_->cells[c];
    EXPECT_EQ(cell.info.id, written.id);
    // cells.csv's columns: cell, the axes, then the contract's identity columns, in order.
    std::vector<std::string> columns;
    for (const auto& [name, value] : cell.info.columns) columns.push_back(name);
    std::vector<std::string> expected = {std::string(folder::kCellColumn)};
    expected.insert(expected.end(), config_->param_columns.begin(), config_->param_columns.end());
    expected.insert(expected.end(), folder::kCellColumns.begin(), folder::kCellColumns.end());
    EXPECT_EQ(columns, expected);
    EXPECT_EQ(cell.info.problem, "quadratic");
    EXPECT_EQ(cell.info.dim, "2");
    EXPECT_EQ(cell.info.method, "clip_sgd");
    EXPECT_EQ(cell.info.schedule, "constant");
    // The config text reads back entry by entry, and re-joins to the text the id hashes.
    const std::string text = cell.info.Get(folder::kConfigColumn);
    EXPECT_EQ(text, written.text);
    EXPECT_EQ(folder::JoinConfigText(folder::SplitConfigText(text)), text);
    EXPECT_EQ(folder::ConfigValue(text, "optimizer.method"), "clip_sgd");
    EXPECT_EQ(folder::ConfigValue(text, "schedule.eta0"), c == 0 ? "0.05" : "0.2");
    // A value holds its own k=v list: the problem's spec whole.
    EXPECT_EQ(folder::ConfigValue(text, "problem").value_or("").rfind("kind=quadratic,dim=2,", 0),
              0u);
    // Budgets, seeds and the resolved facts of every (cell, budget).
    ASSERT_EQ(cell.budgets.size(), 2u);
    EXPECT_EQ(cell.budgets[0].budget, 50);
    EXPECT_EQ(cell.budgets[1].budget, 200);
    for (const BudgetRuns& b : cell.budgets) {
      EXPECT_EQ(b.seeds, (std::vector<std::uint64_t>{0, 1, 2, 3}));
      EXPECT_TRUE(b.has_resolved);
      EXPECT_EQ(b.resolved.method, "clip_sgd");
      EXPECT_EQ(b.resolved.batch_size, 2);
      EXPECT_EQ(b.resolved.iterations, b.budget / 2);
      EXPECT_DOUBLE_EQ(b.resolved.eta, c == 0 ? 0.05 : 0.2);
      EXPECT_DOUBLE_EQ(b.resolved.clip_threshold, 1.0);
      for (const std::vector<double>& m : b.finals) EXPECT_EQ(m.size(), 4u);
    }
  }
  EXPECT_NE(r.manifest_summary.find("counts"), std::string::npos) << r.manifest_summary;

  // timings.csv: one row per run, in the contract's columns.
  const std::vector<CellTiming> timings = ReadTimings(Out());
  ASSERT_EQ(timings.size(), 4u);
  for (const CellTiming& t : timings) {
    EXPECT_EQ(t.runs, 4);
    EXPECT_EQ(t.seeds, (std::vector<std::uint64_t>{0, 1, 2, 3}));
  }
  EXPECT_EQ(ReadText(Out() + "/" + std::string(folder::kTimingsFile))
                .rfind(folder::HeaderLine(folder::kTimingsColumns) + "\n", 0),
            0u);
}

TEST_F(ResultsFolder, TuningReadsTheChosenCellsConfig) {
  const claims::TuningResult t = claims::ChooseTuned(ReadSweepDir(Out()), "grad_norm");
  ASSERT_EQ(t.choices.size(), 1u);  // one method
  const claims::TuningChoice& choice = t.choices.front();
  EXPECT_EQ(choice.best.method, "clip_sgd");
  // The chosen cell's optimizer. and schedule. entries, method and kind first.
  ASSERT_FALSE(choice.optimizer.empty());
  EXPECT_EQ(choice.optimizer.front(), (std::pair<std::string, std::string>{"method", "clip_sgd"}));
  EXPECT_NE(std::find(choice.optimizer.begin(), choice.optimizer.end(),
                      std::pair<std::string, std::string>{"clip_threshold", "1"}),
            choice.optimizer.end());
  ASSERT_FALSE(choice.schedule.empty());
  EXPECT_EQ(choice.schedule.front(), (std::pair<std::string, std::string>{"kind", "constant"}));
  const auto eta = std::find_if(choice.schedule.begin(), choice.schedule.end(),
                                [](const auto& kv) { return kv.first == "eta0"; });
  ASSERT_NE(eta, choice.schedule.end());
  EXPECT_TRUE(eta->second == "0.05" || eta->second == "0.2") << eta->second;
  const std::string chosen = choice.best.cell;
  const SweepResults r = ReadSweepDir(Out());
  int found = 0;
  for (const CellResults& cell : r.cells) {
    if (cell.info.id != chosen) continue;
    ++found;
    EXPECT_EQ(folder::ConfigValue(cell.info.Get(folder::kConfigColumn), "schedule.eta0"),
              eta->second);
  }
  EXPECT_EQ(found, 1) << "the chosen cell " << chosen << " is not a cell of the folder";
}

TEST_F(ResultsFolder, AnotherSchemaVersionIsRefusedByName) {
  TempDir copy("results-folder-copy");
  std::filesystem::copy(Out(), copy.str(), std::filesystem::copy_options::recursive);
  ASSERT_NO_THROW(ReadSweepDir(copy.str()));
  const std::string manifest = copy / std::string(folder::kManifestFile);
  WriteSweepManifest(copy.str(), folder::kSchemaVersion + 1);
  ExpectInputError([&] { ReadSweepDir(copy.str()); },
                   {manifest, "schema_version", std::to_string(folder::kSchemaVersion + 1),
                    std::to_string(folder::kSchemaVersion)});
  WriteSweepManifest(copy.str(), folder::kSchemaVersion - 1);
  ExpectInputError([&] { ReadSweepDir(copy.str()); },
                   {"schema_version", std::to_string(folder::kSchemaVersion - 1)});
  WriteText(manifest, "{\"schema_version\": ");  // damaged
  ExpectInputError([&] { ReadSweepDir(copy.str()); }, {manifest, "damaged"});
  WriteText(manifest, "{\"program\": {}}");  // no version
  ExpectInputError([&] { ReadSweepDir(copy.str()); }, {"schema_version", "(missing)"});
  std::filesystem::remove(manifest);
  ExpectInputError([&] { ReadSweepDir(copy.str()); }, {manifest, "not a complete sweep folder"});
  // The version this build writes reads again.
  WriteSweepManifest(copy.str());
  EXPECT_NO_THROW(ReadSweepDir(copy.str()));
}

}  // namespace
}  // namespace clipsim::analysis
