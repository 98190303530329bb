// Tuning selection: per method the setting with the smallest median at the largest budget, a
// diverging setting never chosen over a finite one, and the evaluation sweep written with the
// chosen keys (symbolic defaults left out) while a template that sets optimizer is refused.
#include "clipsim/claims/claims_tuning.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/yaml_input.hpp"
#include "common/sweep_manifest.hpp"

namespace clipsim::claims {
namespace {

// Four cells: ps_clip_sgd at eta 0.01 (median 2) and 0.1 (median 1), sgd_momentum at 0.01
// (median 3) and 0.1 (diverges on 2 of 3 seeds: median inf).
std::string WriteTuningSweep(bool two_budgets = false) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("clipsim-tuning-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const char* cells[4][3] = {{"00000000000000a1", "ps_clip_sgd", "0.01"},
                             {"00000000000000a2", "ps_clip_sgd", "0.1"},
                             {"00000000000000b1", "sgd_momentum", "0.01"},
                             {"00000000000000b2", "sgd_momentum", "0.1"}};
  const double values[4][3] = {{1.5, 2.0, 9.0}, {0.5, 1.0, 1.2}, {3.0, 2.5, 4.0}, {0.1, 0, 0}};
  std::ofstream results(dir + "/results.csv");
  results << "cell,optimizer.method,schedule.eta0,budget,seed,target,grad_norm_at_R,diverged\n";
  std::ofstream info(dir + "/cells.csv");
  info << "cell,optimizer.method,schedule.eta0,noise_stream,config,method\n";
  for (int c = 0; c < 4; ++c) {
    const std::string opt = std::string(cells[c][1]) == "ps_clip_sgd"
                                ? "optimizer.clip_power=p;optimizer.clip_scale=sigma;"
                                : "optimizer.momentum=0.9;";
    info << cells[c][0] << "," << cells[c][1] << "," << cells[c][2] << ",s1,\"batch_size=8;" << opt
         << "optimizer.method=" << cells[c][1] << ";p=1.4;schedule.eta0=" << cells[c][2]
         << ";schedule.kind=constant\"," << cells[c][1] << "\n";
    for (int s = 0; s < 3; ++s) {
      const bool diverged = c == 3 && s > 0;
      results << cells[c][0] << "," << cells[c][1] << "," << cells[c][2] << ",1000," << s
              << ",1000," << (diverged ? "inf" : std::to_string(values[c][s])) << ","
              << (diverged ? 1 : 0) << "\n";
    }
    // At N = 3000 the smaller step wins for ps_clip_sgd (median 0.2 against 0.4).
    for (int s = 0; two_budgets && s < 3; ++s) {
      const double v = c == 0 ? 0.2 : c == 1 ? 0.4 : values[c][s];
      const bool diverged = c == 3 && s > 0;
      results << cells[c][0] << "," << cells[c][1] << "," << cells[c][2] << ",3000," << s
              << ",3000," << (diverged ? "inf" : std::to_string(v)) << "," << (diverged ? 1 : 0)
              << "\n";
    }
  }
  clipsim::testing::WriteSweepManifest(dir);
  return dir;
}

// A list of flow maps read back from YAML: "{k=v,k=v} {k=v}", in the file's order.
std::string Settings(const YAML::Node& list) {
  std::string out;
  for (const YAML::Node& map : list) {
    std::string one;
    for (const auto& kv : map) {
      one +=
          (one.empty() ? "" : ",") + kv.first.as<std::string>() + "=" + kv.second.as<std::string>();
    }
    out += (out.empty() ? "{" : " {") + one + "}";
  }
  return out;
}

TEST(Tuning, ChoosesSmallestMedianPerMethodAndWritesTheEvaluation) {
  const std::string dir = WriteTuningSweep();
  analysis::ReadOptions read;
  read.metrics = {"grad_norm_at_R"};
  const TuningResult t = ChooseTuned(analysis::ReadSweepDir(dir, read), "grad_norm_at_R");
  ASSERT_EQ(t.choices.size(), 2u);
  EXPECT_EQ(t.budget, 1000);
  EXPECT_EQ(t.choices[0].best.method, "ps_clip_sgd");
  EXPECT_EQ(t.choices[0].best.cell, "00000000000000a2");
  EXPECT_DOUBLE_EQ(t.choices[0].best.score, 1.0);
  EXPECT_EQ(t.choices[1].best.cell, "00000000000000b1");  // the diverging eta 0.1 loses
  EXPECT_EQ(t.choices[1].candidates, 2);
  // Both chosen step sizes sit on the edge of a two-value grid, and the table says so.
  ASSERT_EQ(t.choices[0].on_edge.size(), 1u);
  EXPECT_EQ(t.choices[0].on_edge[0], "schedule.eta0 at the grid's maximum");
  EXPECT_EQ(t.choices[1].on_edge[0], "schedule.eta0 at the grid's minimum");

  // The evaluation sweep parsed back: the template's keys, then the chosen settings, zipped.
  const std::string eval = EvaluationConfig("seeds: 10\nbudgets: [1000]\n", "eval.yaml", t);
  const YAML::Node doc = yaml::Parse(eval, "eval.run.yaml");
  EXPECT_EQ(doc["seeds"].as<int>(), 10) << eval;
  EXPECT_EQ(Settings(doc["optimizer"]), "{method=ps_clip_sgd} {method=sgd_momentum,momentum=0.9}")
      << eval;
  EXPECT_EQ(Settings(doc["schedule"]), "{kind=constant,eta0=0.1} {kind=constant,eta0=0.01}")
      << eval;
  ASSERT_TRUE(doc["zip"].IsSequence() && doc["zip"].size() == 1u) << eval;
  EXPECT_EQ(doc["zip"][0][0].as<std::string>() + doc["zip"][0][1].as<std::string>(),
            "optimizerschedule");
  // A template that sets a tuned key is refused at its line, also in flow style.
  for (const char* tmpl : {"seeds: 1\noptimizer: {method: sgd}\n", "{seeds: 1, zip: []}\n"}) {
    try {
      EvaluationConfig(tmpl, "eval.yaml", t);
      ADD_FAILURE() << tmpl;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("eval.yaml:"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("the tuning fills it"), std::string::npos) << e.what();
    }
  }
  const std::string md = TuningMarkdown(t, dir);
  EXPECT_NE(md.find("| ps_clip_sgd |"), std::string::npos);
  EXPECT_NE(md.find("Warning: a chosen value sits on the edge"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// Per budget: the setting tuned for each (method, budget), every distinct one in the evaluation
// sweep, and the tuned table read back and matched to the cells that run it.
TEST(Tuning, TunesEveryBudgetAndTablesWhichSettingIsForWhich) {
  const std::string dir = WriteTuningSweep(true);
  analysis::ReadOptions read;
  read.metrics = {"grad_norm_at_R"};
  const analysis::SweepResults sweep = analysis::ReadSweepDir(dir, read);
  const TuningResult t = ChooseTuned(sweep, "grad_norm_at_R");
  EXPECT_EQ(t.budget, 3000);
  ASSERT_EQ(t.per_budget.size(), 4u);  // 2 methods x 2 budgets, ascending budget
  EXPECT_EQ(t.per_budget[0].budget, 1000);
  EXPECT_EQ(t.per_budget[0].best.cell, "00000000000000a2");  // eta 0.1 at N = 1000
  EXPECT_EQ(t.per_budget[2].budget, 3000);
  EXPECT_EQ(t.per_budget[2].best.cell, "00000000000000a1");  // eta 0.01 at N = 3000
  ASSERT_EQ(t.choices.size(), 2u);                           // the largest budget's
  EXPECT_EQ(t.choices[0].best.cell, "00000000000000a1");
  // Three distinct settings: the largest budget's two first, then N = 1000's other one.
  const std::string eval = EvaluationConfig("seeds: 10\nbudgets: [1000, 3000]\n", "eval.yaml", t);
  EXPECT_EQ(Settings(yaml::Parse(eval, "eval.run.yaml")["schedule"]),
            "{kind=constant,eta0=0.01} {kind=constant,eta0=0.01} {kind=constant,eta0=0.1}")
      << eval;
  // The tuned table round-trips and identifies the cells.
  const std::string path = dir + "/tuned.csv";
  std::ofstream(path) << TunedTableCsv(t);
  const std::vector<TunedEntry> table = ReadTunedTable(path);
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table[0].method, "ps_clip_sgd");
  EXPECT_EQ(table[0].budget, 1000);
  for (const analysis::CellResults& c : sweep.cells) {
    const bool a2 = c.info.id == "00000000000000a2";
    EXPECT_EQ(ConfigHasSettings(c.info.Get("config"), table[0].settings), a2) << c.info.id;
  }
  std::ofstream(path) << "method,budget,settings\nps_clip_sgd,abc,x=1\n";
  EXPECT_THROW(ReadTunedTable(path), InputError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace clipsim::claims
