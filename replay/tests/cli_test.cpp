// Command-line parsing and validation: defaults, values, and refusals that name the option.
#include "clipsim/replay/cli.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "clipsim/core/input_error.hpp"
#include "test_util.hpp"

namespace clipsim::replay {
namespace {

Invocation Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "clipsim-replay");
  return ParseCommandLine(static_cast<int>(args.size()), args.data());
}

std::string ErrorOf(std::vector<const char*> args) {
  try {
    Parse(std::move(args));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Cli, DefaultsFollowTheDocumentedRecipe) {
  const Invocation inv = Parse({"--synthetic"});
  const TrainOptions& t = inv.train;
  EXPECT_EQ(inv.mode, Invocation::Mode::kTrain);
  EXPECT_EQ(t.epochs, 164);
  EXPECT_EQ(t.batch_size, 128);
  EXPECT_DOUBLE_EQ(t.lr, 0.1);
  EXPECT_DOUBLE_EQ(t.momentum, 0.9);
  EXPECT_DOUBLE_EQ(t.weight_decay, 5e-4);
  EXPECT_EQ(t.EffectiveMilestones(), (std::vector<int>{81, 122}));
  EXPECT_TRUE(t.clip_scale.automatic);
  EXPECT_EQ(t.methods.size(), 3u);
  EXPECT_EQ(t.warmup_steps, 390);
}

TEST(Cli, ParsesValues) {
  const Invocation inv =
      Parse({"--data-dir", "/d", "--methods=ps-clip-sgd,clip-sgd-micro", "--accum-steps", "4",
             "--clip-power", "1.5", "--clip-scale=auto", "--schedule", "cosine", "--epochs", "20",
             "--device", "cpu", "--seed", "9", "--norm-mode", "ghost", "--no-plots"});
  const TrainOptions& t = inv.train;
  EXPECT_EQ(t.data_dir, "/d");
  EXPECT_EQ(t.methods, (std::vector<Method>{Method::kPsClipSgd, Method::kClipSgdMicro}));
  EXPECT_EQ(t.accum_steps, 4);
  EXPECT_FALSE(t.clip_power.automatic);
  EXPECT_DOUBLE_EQ(t.clip_power.value, 1.5);
  EXPECT_TRUE(t.clip_scale.automatic);
  EXPECT_EQ(t.schedule, Schedule::kCosine);
  EXPECT_EQ(t.EffectiveMilestones(), (std::vector<int>{10, 15}));
  EXPECT_EQ(t.device, DeviceChoice::kCpu);
  EXPECT_EQ(t.seed, 9u);
  EXPECT_EQ(t.norm_mode, NormMode::kGhost);
  EXPECT_FALSE(t.plots);
  EXPECT_EQ(Parse({"--bench", "--batch", "64"}).bench.batch_size, 64);
  EXPECT_EQ(Parse({"--help"}).mode, Invocation::Mode::kHelp);
  EXPECT_EQ(Parse({"-h"}).mode, Invocation::Mode::kHelp);
  // An option given twice takes its last value.
  EXPECT_DOUBLE_EQ(Parse({"--synthetic", "--lr", "0.2", "--lr=0.3"}).train.lr, 0.3);
  EXPECT_EQ(Parse({"--synthetic", "--seed", "18446744073709551615"}).train.seed,
            18446744073709551615u);
}

TEST(Cli, HelpListsTheOptionsWithTheirDefaults) {
  const std::string help = UsageText();
  for (const char* shown :
       {"--data-dir DIR", "--synthetic-train N=50000", "--epochs N=164", "--batch B=128",
        "--lr X=0.1", "--clip-power X|auto=auto", "--methods LIST=sgd,clip-sgd,ps-clip-sgd",
        "--tail-window N=10000", "--device auto|cpu|cuda=auto", "--no-clip-timing",
        "--bench-accum K=4", "Exit codes: 0 done, 2 bad input"}) {
    EXPECT_NE(help.find(shown), std::string::npos) << shown << "\n" << help;
  }
}

TEST(Cli, RefusalsNameTheOptionValueAndRule) {
  EXPECT_NE(ErrorOf({"--synthetic", "--lr", "-1"}).find("'--lr' = -1: must be > 0"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--lr", "abc"}).find("'--lr' = abc: must be a finite number"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--lr", "inf"}).find("'--lr' = inf"), std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--epochs", "1e3"}).find("must be an integer"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--seed", "-1"}).find("'--seed' = -1: must be an integer >= 0"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--clip-power", "2.5"}).find("in (1, 2]"), std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--accum-steps", "3"}).find("divisor of --batch (128)"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--methods", "sgd,adam"}).find("'--methods' = adam"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--device", "tpu"}).find("auto, cpu, cuda"), std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--frobnicate", "1"}).find("--frobnicate"), std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--epochs"}).find("--epochs"), std::string::npos);
  EXPECT_NE(ErrorOf({}).find("exactly one of them"), std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--data-dir", "/d"}).find("exactly one of them"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "--milestones", "5,200"}).find("'--milestones' = 200"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--synthetic", "extra"}).find("extra"), std::string::npos);
  // --bench checks the settings it reads by the same rules.
  EXPECT_NE(ErrorOf({"--bench", "--clip-power", "3"}).find("'--clip-power' = 3: must be in (1, 2]"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"--bench", "--bench-accum", "3"}).find("divisor of --batch (128)"),
            std::string::npos);
}

TEST(Cli, ProgramExitCodes) {
  EXPECT_EQ(testing::RunReplayBinary("--help").exit_code, 0);
  const testing::CommandResult bad = testing::RunReplayBinary("--synthetic --momentum 1");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("'--momentum' = 1: must be in [0, 1)"), std::string::npos)
      << bad.output;
}

}  // namespace
}  // namespace clipsim::replay
