// Reading a run config from YAML: defaults, canonical text, and every kind of refusal with the
// file, 1-based line and column, the key and the allowed range.
#include "clipsim/sim/run_config.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/sim/run.hpp"

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

// The keys added for Chezhegov et al. (delay; beta1 of AdaGrad-Norm) are part of the canonical
// text, and so of cell ids, only when they change the method: every config written before them
// keeps its text (the golden text below is that of the code before the keys existed).
TEST(RunConfig, AdaptiveKeysEnterTheTextOnlyWhenSet) {
  const std::string plain = CanonicalText(
      Parse(Edit("{method: ps_clip_sgd}", "{method: clip_adagrad_norm, clip_threshold: 1}")));
  EXPECT_EQ(plain,
            "batch_size=8;budget=100000;checkpoints_per_decade=4;noise=kind=stable,alpha=1.5,"
            "skew=0,scale=1;optimizer.adaptive_eps=1e-08;optimizer.clip_threshold=1;"
            "optimizer.method=clip_adagrad_norm;p=1.4;problem=kind=quadratic,dim=10,instance=0,"
            "spectrum=identity,condition=10,power=1,scale=1,rotate=false,shift=0;"
            "schedule.eta0=0.02;schedule.kind=constant");
  const RunConfig defaults =
      Parse(Edit("{method: ps_clip_sgd}",
                 "{method: clip_adagrad_norm, clip_threshold: 1, beta1: 0, delay: false}"));
  EXPECT_EQ(CanonicalText(defaults), plain);
  const RunConfig set = Parse(Edit("{method: ps_clip_sgd}",
                                   "{method: clip_adagrad_norm, clip_threshold: 1, beta1: 0.9, "
                                   "delay: true}"));
  EXPECT_TRUE(set.optimizer.delay);
  EXPECT_EQ(*set.optimizer.beta1, 0.9);
  const std::string t = CanonicalText(set);
  EXPECT_NE(t.find("optimizer.beta1=0.9"), std::string::npos) << t;
  EXPECT_NE(t.find("optimizer.delay=true"), std::string::npos) << t;
  // Adam-Norm keeps writing its beta1 (default 0.9) as before.
  const std::string adam =
      CanonicalText(Parse(Edit("{method: ps_clip_sgd}", "{method: adam_norm}")));
  EXPECT_NE(adam.find("optimizer.beta1=0.9"), std::string::npos) << adam;
  EXPECT_EQ(adam.find("delay"), std::string::npos) << adam;
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
        Bad{"delay_not_a_flag",
            Edit("{method: ps_clip_sgd}", "{method: adagrad_norm, delay: maybe}"), "delay",
            "maybe"},
        Bad{"delay_of_sgd", Edit("{method: ps_clip_sgd}", "{method: sgd, delay: true}"), "delay",
            "delay"},
        Bad{"adagrad_beta1_out_of_range",
            Edit("{method: ps_clip_sgd}", "{method: adagrad_norm, beta1: 1}"), "[0, 1)", "1}"},
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

// The theory schedule's control and variant forms (configs/README.md, "Schedules"): a control
// takes another entry's batch size and step and keeps its own keys; the factors move the
// prescription; neither changes the canonical text (and so the cell id) of a config without them.
constexpr const char* kTheory = R"(problem: {kind: nonconvex_sum, dim: 1}
noise: {kind: stable, alpha: 1.5, scale: 0.1}
p: 1.4
optimizer: {method: ps_clip_sgd}
schedule: {kind: theory}
budget: 10000
)";

std::string EditTheory(const std::string& from, const std::string& to) {
  std::string s = kTheory;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

ResolvedParameters Resolve(const RunConfig& c) {
  return PreparedRun(c).resolved();
}

TEST(RunConfig, AControlTakesAnotherEntrysBatchAndStep) {
  const RunConfig ps = Parse(kTheory);
  const RunConfig sgd =
      Parse(EditTheory("{method: ps_clip_sgd}\nschedule: {kind: theory}",
                       "{method: sgd}\nschedule: {kind: theory, prescription: ps_clip_sgd}"));
  EXPECT_EQ(sgd.schedule.prescription, "ps_clip_sgd");
  EXPECT_EQ(PrescriptionEntry(sgd), "ps_clip_sgd");
  EXPECT_EQ(PrescriptionEntry(ps), "ps_clip_sgd");
  const ResolvedParameters a = Resolve(ps);
  const ResolvedParameters b = Resolve(sgd);
  EXPECT_EQ(b.optimizer.batch_size, a.optimizer.batch_size);
  EXPECT_GT(a.optimizer.batch_size, 1);
  EXPECT_EQ(b.eta0, a.eta0);
  EXPECT_EQ(b.iterations, a.iterations);
  EXPECT_EQ(b.prescription, "ps_clip_sgd");
  EXPECT_NE(b.theory.find("ps_clip_sgd's prescription"), std::string::npos) << b.theory;
  // A clip_sgd control keeps its own threshold (default sigma(p)), not PS-Clip-SGD's scale.
  const RunConfig clip = Parse(EditTheory("{method: ps_clip_sgd}\nschedule: {kind: theory}",
                                          "{method: clip_sgd, clip_threshold: 0.7}\nschedule: "
                                          "{kind: theory, prescription: ps_clip_sgd}"));
  EXPECT_EQ(Resolve(clip).optimizer.clip_threshold, 0.7);
  // Naming the method's own entry is the plain theory schedule: the same canonical text.
  const RunConfig own =
      Parse(EditTheory("{kind: theory}", "{kind: theory, prescription: ps_clip_sgd}"));
  EXPECT_EQ(CanonicalText(own), CanonicalText(ps));
  EXPECT_EQ(CanonicalText(ps).find("prescription"), std::string::npos);
  EXPECT_NE(CanonicalText(sgd).find("schedule.prescription=ps_clip_sgd"), std::string::npos);
}

TEST(RunConfig, FactorsMoveThePrescriptionAndStayOutOfTheTextAtOne) {
  const ResolvedParameters base = Resolve(Parse(kTheory));
  const RunConfig moved =
      Parse(EditTheory("{kind: theory}", "{kind: theory, batch_factor: 2, clip_factor: 0.5}"));
  const ResolvedParameters m = Resolve(moved);
  EXPECT_EQ(m.optimizer.batch_size, 2 * base.optimizer.batch_size);
  EXPECT_EQ(m.iterations, 10000 / m.optimizer.batch_size);
  EXPECT_DOUBLE_EQ(m.optimizer.clip_scale, 0.5 * base.optimizer.clip_scale);
  EXPECT_EQ(m.eta0, base.eta0);
  EXPECT_NE(CanonicalText(moved).find("schedule.batch_factor=2"), std::string::npos);
  const RunConfig ones =
      Parse(EditTheory("{kind: theory}", "{kind: theory, batch_factor: 1, clip_factor: 1}"));
  EXPECT_EQ(CanonicalText(ones), CanonicalText(Parse(kTheory)));
  // A batch factor never leaves the batch outside [1, N].
  const RunConfig huge = Parse(EditTheory("{kind: theory}", "{kind: theory, batch_factor: 1e6}"));
  EXPECT_EQ(Resolve(huge).optimizer.batch_size, 10000);
  EXPECT_EQ(Resolve(huge).iterations, 1);
}

TEST(RunConfig, ControlAndFactorRefusals) {
  const auto refused = [](const std::string& text, const std::string& key,
                          const std::string& rule) {
    try {
      Parse(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("cfg.yaml:"), std::string::npos) << msg;
      EXPECT_NE(msg.find(key), std::string::npos) << msg;
      EXPECT_NE(msg.find(rule), std::string::npos) << msg;
    }
  };
  refused(EditTheory("{kind: theory}", "{kind: theory, prescription: adam}"),
          "schedule.prescription", "ps_clip_sgd, clip_sgd, sgd");
  refused(EditTheory("{kind: theory}", "{kind: theory, batch_factor: 0}"), "schedule.batch_factor",
          "(0, 1e6]");
  refused(EditTheory("{kind: theory}", "{kind: theory, clip_factor: -1}"), "schedule.clip_factor",
          "(0, 1e6]");
  refused(EditTheory("{kind: theory}", "{kind: constant, prescription: ps_clip_sgd}"),
          "schedule.prescription", "not a key of the constant schedule");
  // A control still may not set the batch: the prescription fixes it.
  refused(EditTheory("{method: ps_clip_sgd}\nschedule: {kind: theory}",
                     "{method: sgd}\nschedule: {kind: theory, prescription: ps_clip_sgd}\n"
                     "batch_size: 4"),
          "batch_size", "prescribed by the theory schedule");
  // p = 1.4 is outside sgd's own entry (p = 2 only), but a control of ps_clip_sgd may run it.
  refused(EditTheory("{method: ps_clip_sgd}", "{method: sgd}"), "p", "covers only");
}

// lower_bound_chain: a problem with its own stochastic oracle. The theory schedule takes sigma(p)
// from the oracle (no additive noise); refusals name the key, the value and the range.
constexpr const char* kChain =
    R"(problem: {kind: lower_bound_chain, dim: 300, sigma: 1, moment_p: 1.5, hardness: 4}
p: 1.5
optimizer: {method: ps_clip_sgd}
schedule: {kind: theory}
budget: 1e5
)";

std::string EditChain(const std::string& from, const std::string& to) {
  std::string s = kChain;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(RunConfig, LowerBoundChainTakesTheTheoryScheduleWithItsOwnSigma) {
  const RunConfig c = Parse(kChain);
  EXPECT_FALSE(c.noise_enabled);
  const auto problem = MakeRunProblem(c);
  ASSERT_TRUE(problem->has_stochastic_oracle());
  const ResolvedParameters r = ResolveParameters(c, *problem, nullptr);
  EXPECT_EQ(r.sigma, problem->OracleSigma(1.5));
  EXPECT_NEAR(r.sigma, 1.0, 1e-9);
  EXPECT_EQ(r.optimizer.clip_scale, r.sigma);  // the prescription's clip_scale = sigma
  EXPECT_NEAR(r.delta, 1.0, 1e-13);
  // The plain-SGD control with PS-Clip-SGD's prescription, and a p below moment_p (its sigma(p)
  // is the oracle's, below sigma).
  const RunConfig control =
      Parse(EditChain("{method: ps_clip_sgd}\nschedule: {kind: theory}",
                      "{method: sgd}\nschedule: {kind: theory, prescription: ps_clip_sgd}"));
  EXPECT_EQ(control.optimizer.method, Method::kSgd);
  EXPECT_EQ(ResolveParameters(control, *MakeRunProblem(control), nullptr).optimizer.batch_size,
            r.optimizer.batch_size);
  const RunConfig lower = Parse(EditChain("\np: 1.5", "\np: 1.3"));
  const auto lower_problem = MakeRunProblem(lower);
  const double s13 = ResolveParameters(lower, *lower_problem, nullptr).sigma;
  EXPECT_EQ(s13, lower_problem->OracleSigma(1.3));
  EXPECT_LT(s13, 1.0);
  // A constant schedule needs no clip_scale either: its default is the oracle's sigma(p).
  const RunConfig constant = Parse(
      EditChain("schedule: {kind: theory}", "schedule: {kind: constant, eta0: 1}\nbatch_size: 8"));
  EXPECT_EQ(ResolveParameters(constant, *MakeRunProblem(constant), nullptr).optimizer.clip_scale,
            MakeRunProblem(constant)->OracleSigma(1.5));
}

TEST(RunConfig, LowerBoundChainRefusals) {
  const auto expect_refused = [](const std::string& text, const std::vector<std::string>& parts) {
    try {
      Parse(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind("cfg.yaml:", 0), 0u) << msg;
      for (const std::string& part : parts) {
        EXPECT_NE(msg.find(part), std::string::npos) << "'" << msg << "' lacks " << part;
      }
    }
  };
  // Additive noise on top of the oracle.
  expect_refused(EditChain("\np: 1.5", "\nnoise: {kind: gaussian}\np: 1.5"),
                 {"noise", "kind=gaussian", "must be absent", "own stochastic oracle"});
  // A run p above the oracle's moment order (also the default p = 2).
  expect_refused(EditChain("\np: 1.5", "\np: 1.8"), {"'p' = 1.8", "(1, 1.5]", "moment_p"});
  expect_refused(EditChain("\np: 1.5\n", "\n"), {"'p' = 2", "(1, 1.5]"});
  // A dim below T(N) at the run's budget: names dim, its value, the links needed and the budget.
  expect_refused(EditChain("dim: 300", "dim: 50"), {"dim", "50", "T(N) = ", "budget N = 100000"});
  // Parameters out of range: key, value and range.
  expect_refused(EditChain("moment_p: 1.5", "moment_p: 1"), {"moment_p", "1", "(1, 2]"});
  expect_refused(EditChain("moment_p: 1.5", "moment_p: 2.5"),
                 {"moment_p", "2.5", "lower_bound_chain: a number in [1, 2]"});
  expect_refused(EditChain("hardness: 4", "hardness: 0.5"),
                 {"hardness", "0.5", "0 (T = dim links) or a number in [1, 1e+06]"});
  expect_refused(EditChain("sigma: 1", "sigma: -1"), {"sigma", "-1", "[1e-06, 1e+06]"});
  expect_refused(EditChain("sigma: 1,", "sigma: 1, L: 0,"), {"'L' = 0", "[1e-06, 1e+06]"});
  // A sigma whose Bernoulli probability is not representable.
  expect_refused(EditChain("sigma: 1, moment_p: 1.5", "sigma: 1e6, moment_p: 1.1"),
                 {"sigma", "1e+06", "2^-40"});
  // The theory schedule still refuses other problems without noise.
  expect_refused(R"(problem: {kind: nonconvex_sum, dim: 4}
p: 1.5
optimizer: {method: sgd}
schedule: {kind: theory, prescription: ps_clip_sgd}
budget: 1e4
)",
                 {"noise", "known sigma(p)", "lower_bound_chain"});
}

}  // namespace
}  // namespace clipsim::sim
