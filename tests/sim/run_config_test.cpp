// Reading a run config from YAML: defaults, canonical text, and every kind of refusal with the
// file, 1-based line and column, the key and the allowed range.
#include "clipsim/sim/run_config.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <limits>
#include <string>
#include <utility>

#include "clipsim/core/input_error.hpp"

namespace clipsim::sim {
namespace {

constexpr const char* kGood = R"(problem: {kind: quadratic, dim: 10}
noise: {kind: stable, alpha: 1.5}
p: 1.4
optimizer: {method: ps_clip_sgd}
schedule: {kind: constant, eta0: 0.02}
batch_size: 8
budget: 1e5
)";

RunConfig Parse(const std::string& text) {
  return ParseRunConfig(YAML::Load(text), "cfg.yaml");
}

// Replaces the first occurrence of `from` in kGood.
std::string Edit(const std::string& from, const std::string& to) {
  std::string s = kGood;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(RunConfig, ParsesAndFillsDefaults) {
  const RunConfig c = Parse(kGood);
  EXPECT_EQ(c.problem.kind, "quadratic");
  EXPECT_EQ(c.problem.dim, 10);
  EXPECT_TRUE(c.noise_enabled);
  EXPECT_EQ(c.noise.alpha, 1.5);
  EXPECT_EQ(c.p, 1.4);
  EXPECT_EQ(c.optimizer.method, Method::kPsClipSgd);
  EXPECT_FALSE(c.optimizer.clip_scale.has_value());  // sigma(p), resolved when the run is built
  EXPECT_EQ(c.schedule.eta0, 0.02);
  EXPECT_EQ(c.batch_size, 8);
  EXPECT_EQ(c.budget, 100000);  // 1e5 is an exact integer
  EXPECT_EQ(c.checkpoints_per_decade, 4);
  EXPECT_EQ(c.master_seed, 0u);
}

TEST(RunConfig, InfinityAndOptionalNoise) {
  const RunConfig c =
      Parse(Edit("{method: ps_clip_sgd}", "{method: ps_clip_sgd, clip_scale: .inf}"));
  EXPECT_EQ(*c.optimizer.clip_scale, std::numeric_limits<double>::infinity());
  const RunConfig quiet =
      Parse(Edit("noise: {kind: stable, alpha: 1.5}\np: 1.4\noptimizer: {method: ps_clip_sgd}",
                 "optimizer: {method: sgd}"));
  EXPECT_FALSE(quiet.noise_enabled);
  EXPECT_NE(CanonicalText(quiet).find("noise=none"), std::string::npos);
}

TEST(RunConfig, CanonicalTextIsSortedCompleteAndOrderFree) {
  const RunConfig a = Parse(kGood);
  const RunConfig b = Parse(R"(budget: 100000
batch_size: 8
schedule: {eta0: 0.02, kind: constant}
optimizer: {method: ps_clip_sgd}
p: 1.4
noise: {alpha: 1.5, kind: stable}
problem: {dim: 10, kind: quadratic}
)");
  EXPECT_EQ(CanonicalText(a), CanonicalText(b));
  const std::string t = CanonicalText(a);
  EXPECT_NE(t.find("optimizer.clip_scale=sigma"), std::string::npos) << t;
  EXPECT_NE(t.find("optimizer.clip_power=p"), std::string::npos) << t;
  EXPECT_NE(t.find("optimizer.momentum=0"), std::string::npos) << t;
  EXPECT_NE(t.find("schedule.eta0=0.02"), std::string::npos) << t;
  EXPECT_LT(t.find("batch_size="), t.find("budget="));
  EXPECT_LT(t.find("p="), t.find("problem="));
  // A changed value changes the text.
  EXPECT_NE(CanonicalText(Parse(Edit("eta0: 0.02", "eta0: 0.03"))), t);
}

struct Bad {
  const char* name;
  std::string text;
  std::string key;     // must appear in the message
  std::string marker;  // the error must point at the first occurrence of this text
  bool check_column = true;
};

// 1-based line and column of the first occurrence of marker in text.
std::pair<int, int> LineColumn(const std::string& text, const std::string& marker) {
  const std::size_t at = text.find(marker);
  EXPECT_NE(at, std::string::npos) << marker;
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(at - line_start) + 1};
}

class RunConfigRefusal : public ::testing::TestWithParam<Bad> {};

TEST_P(RunConfigRefusal, NamesFileLineColumnAndKey) {
  const Bad& b = GetParam();
  try {
    Parse(b.text);
    FAIL() << "accepted: " << b.text;
  } catch (const InputError& e) {
    const std::string msg = e.what();
    const auto [line, column] = LineColumn(b.text, b.marker);
    std::string where = "cfg.yaml:" + std::to_string(line) + ":";
    if (b.check_column) where += std::to_string(column) + ":";
    EXPECT_EQ(msg.rfind(where, 0), 0u) << "expected " << where << " in: " << msg;
    EXPECT_NE(msg.find(b.key), std::string::npos) << msg;
  }
}

INSTANTIATE_TEST_SUITE_P(
    RunConfig, RunConfigRefusal,
    ::testing::Values(
        Bad{"unknown_top_key", Edit("batch_size: 8", "batch_sise: 8"), "batch_sise", "batch_sise"},
        Bad{"wrong_type", Edit("batch_size: 8", "batch_size: eight"), "batch_size", "eight"},
        Bad{"batch_not_integer", Edit("batch_size: 8", "batch_size: 8.5"), "batch_size", "8.5"},
        Bad{"p_too_large", Edit("p: 1.4", "p: 2.5"), "(1, 2]", "2.5"},
        Bad{"p_at_tail_index", Edit("p: 1.4", "p: 1.5"), "tail index 1.5", "1.5\n"},
        Bad{"p_default_above_tail_index", Edit("p: 1.4\n", ""), "tail index", "{kind: stable"},
        Bad{"alpha_out_of_range", Edit("alpha: 1.5", "alpha: 2.5"), "alpha", "2.5"},
        Bad{"unknown_noise_key", Edit("alpha: 1.5", "alfa: 1.5"), "alfa", "alfa", false},
        Bad{"eta0_not_positive", Edit("eta0: 0.02", "eta0: -1"), "eta0", "-1"},
        Bad{"unknown_method", Edit("method: ps_clip_sgd", "method: psclip"), "ps_clip_sgd",
            "psclip"},
        Bad{"key_of_other_method", Edit("{method: ps_clip_sgd}", "{method: sgd, clip_scale: 1}"),
            "clip_scale", "clip_scale"},
        Bad{"momentum_out_of_range",
            Edit("{method: ps_clip_sgd}", "{method: ps_clip_sgd, momentum: 1}"), "[0, 1)", "1}"},
        Bad{"threshold_zero",
            Edit("{method: ps_clip_sgd}", "{method: clip_sgd, clip_threshold: 0.0}"),
            "clip_threshold", "0.0}"},
        Bad{"unknown_problem_param", Edit("dim: 10}", "dim: 10, spectrum: flat}"), "spectrum",
            "flat"},
        Bad{"unknown_problem_key", Edit("dim: 10}", "dim: 10, shape: 3}"), "shape", "shape"},
        Bad{"budget_below_one_step", Edit("budget: 1e5", "budget: 5"), "batch_size", "5\n"},
        Bad{"budget_zero", Edit("budget: 1e5", "budget: 0"), "budget", "0\n"},
        Bad{"schedule_kind", Edit("kind: constant", "kind: cosine"), "constant, polynomial",
            "cosine"},
        Bad{"eta0_under_theory", Edit("kind: constant", "kind: theory"), "eta0", "eta0"},
        Bad{"batch_under_theory",
            Edit("schedule: {kind: constant, eta0: 0.02}", "schedule: {kind: theory}"),
            "prescribed by the theory schedule", "8\n"}),
    [](const ::testing::TestParamInfo<Bad>& p) { return std::string(p.param.name); });

TEST(RunConfig, TheoryScheduleRefusedOnAProblemThatIsNotGloballySmooth) {
  const std::string text = R"(problem: {kind: rosenbrock, dim: 4}
noise: {kind: gaussian}
p: 2
optimizer: {method: ps_clip_sgd}
schedule: {kind: theory}
budget: 10000
)";
  try {
    Parse(text);
    FAIL() << "accepted the theory schedule on rosenbrock";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("cfg.yaml:1:17:", 0), 0u) << msg;  // at "rosenbrock"
    EXPECT_NE(msg.find("globally smooth"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace clipsim::sim
