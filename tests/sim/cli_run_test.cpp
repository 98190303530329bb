// `clipsim run CONFIG.yaml --seed S`: the built program, run as a child process. Checks the CSV
// on standard output, bit-identical repeats, the effect of --seed and --master-seed, and exit
// code 2 with file:line:column for bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "clipsim/sim/checkpoint.hpp"

namespace {

namespace fs = std::filesystem;

class CliRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("clipsim-cli-run-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Runs `clipsim <args>` with stdout and stderr captured; returns the exit code.
  int Clipsim(const std::string& args, std::string& out, std::string& err) {
    const std::string o = (dir_ / "out.txt").string();
    const std::string e = (dir_ / "err.txt").string();
    const std::string cmd = std::string(CLIPSIM_BINARY) + " " + args + " > " + o + " 2> " + e;
    const int status = std::system(cmd.c_str());
    out = Read(o);
    err = Read(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path dir_;
};

constexpr const char* kConfig = R"(problem: {kind: quadratic, dim: 5}
noise: {kind: stable, alpha: 1.5}
p: 1.4
optimizer: {method: ps_clip_sgd}
schedule: {kind: constant, eta0: 0.05}
batch_size: 4
budget: 2000
checkpoints_per_decade: 2
)";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(CliRun, WritesCheckpointCsvAndRepeatsBitForBit) {
  const std::string cfg = Write("run.yaml", kConfig);
  std::string out, err;
  ASSERT_EQ(Clipsim("run " + cfg + " --seed 7", out, err), 0) << err;
  const std::vector<std::string> lines = Lines(out);
  std::string header;
  for (const std::string& c : clipsim::sim::CheckpointColumns()) {
    header += (header.empty() ? "" : ",") + c;
  }
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), header);
  // Targets 0, 1, 3, 10, 32, 100, 316, 1000, 2000 for N = 2000 at 2 per decade.
  EXPECT_EQ(lines.size(), 1u + clipsim::sim::CheckpointTargets(2000, 2).size());
  EXPECT_EQ(lines.back().rfind("2000,2000,500,", 0), 0u) << lines.back();
  EXPECT_NE(err.find("finished"), std::string::npos) << err;

  std::string again, err2;
  ASSERT_EQ(Clipsim("run " + cfg + " --seed 7", again, err2), 0);
  EXPECT_EQ(out, again);
  std::string other;
  ASSERT_EQ(Clipsim("run " + cfg + " --seed 8 --quiet", other, err2), 0);
  EXPECT_NE(out, other);
  EXPECT_TRUE(err2.empty()) << err2;
  ASSERT_EQ(Clipsim("run " + cfg + " --seed 7 --master-seed 1", other, err2), 0);
  EXPECT_NE(out, other);
}

TEST_F(CliRun, BadConfigExitsWithCode2AndLocation) {
  std::string text = kConfig;
  text.replace(text.find("alpha: 1.5"), 10, "alpha: 2.5");
  const std::string cfg = Write("bad.yaml", text);
  std::string out, err;
  EXPECT_EQ(Clipsim("run " + cfg + " --seed 7", out, err), 2);
  EXPECT_NE(err.find(cfg + ":2:"), std::string::npos) << err;
  EXPECT_NE(err.find("alpha"), std::string::npos) << err;
  EXPECT_TRUE(out.empty()) << out;  // refused before running

  const std::string unknown = Write("unknown.yaml", std::string(kConfig) + "learning_rate: 1\n");
  EXPECT_EQ(Clipsim("run " + unknown + " --seed 7", out, err), 2);
  EXPECT_NE(err.find(unknown + ":9:1:"), std::string::npos) << err;
  EXPECT_NE(err.find("learning_rate"), std::string::npos) << err;

  const std::string syntax = Write("syntax.yaml", "problem: {kind: quadratic\n");
  EXPECT_EQ(Clipsim("run " + syntax + " --seed 7", out, err), 2);
  EXPECT_NE(err.find("YAML syntax error"), std::string::npos) << err;

  const std::string missing = (dir_ / "missing.yaml").string();
  EXPECT_EQ(Clipsim("run " + missing + " --seed 7", out, err), 2);
  EXPECT_NE(err.find(missing), std::string::npos) << err;
}

TEST_F(CliRun, DivergedRunIsAResultWithExitCode0) {
  const std::string cfg = Write("quartic.yaml", R"(problem: {kind: quartic, dim: 2}
noise: {kind: gaussian}
p: 2
optimizer: {method: sgd}
schedule: {kind: constant, eta0: 1}
budget: 100
)");
  std::string out, err;
  EXPECT_EQ(Clipsim("run " + cfg + " --seed 1", out, err), 0) << err;
  EXPECT_NE(out.find(",inf,"), std::string::npos) << out;
  EXPECT_NE(err.find("diverged"), std::string::npos) << err;
}

// clipsim ode: the risk ODE's prediction at a streaming run's checkpoints (one row per
// checkpoint, the start exactly risk0), and exit code 2 for a run the ODE does not describe.
TEST_F(CliRun, OdePredictsStreamingRunsAndRefusesOthers) {
  const std::string base = R"(problem: {kind: streaming_least_squares, dim: 200, risk0: 2}
noise: {kind: gaussian, scale: 0.5}
optimizer: {method: clip_sgd, clip_threshold: 0.5}
schedule: {kind: constant, eta0: 0.5}
budget: 1000
)";
  std::string out, err;
  ASSERT_EQ(Clipsim("ode " + Write("s.yaml", base), out, err), 0) << err;
  const std::vector<std::string> lines = Lines(out);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], "target,samples,risk,mu,nu,ccc");
  ASSERT_EQ(lines[1].rfind("0,0,", 0), 0u) << lines[1];
  EXPECT_NEAR(std::stod(lines[1].substr(4)), 2.0, 1e-12) << lines[1];  // R(x0) = risk0
  EXPECT_EQ(lines.back().rfind("1000,1000,", 0), 0u) << lines.back();
  EXPECT_EQ(Clipsim("ode " + Write("b.yaml", base + "batch_size: 2\n"), out, err), 2);
  EXPECT_NE(err.find("batch_size"), std::string::npos) << err;
  EXPECT_EQ(Clipsim("ode " + Write("q.yaml", R"(problem: {kind: quartic, dim: 2}
noise: {kind: gaussian}
optimizer: {method: sgd}
budget: 100
)"),
                    out, err),
            2);
  EXPECT_NE(err.find("streaming_least_squares"), std::string::npos) << err;
}

// Every example under configs/examples runs (the examples are documentation; this keeps them
// working).
TEST_F(CliRun, EveryExampleConfigRuns) {
  const fs::path examples = fs::path(CLIPSIM_TEST_DATA_DIR) / ".." / ".." / "configs" / "examples";
  int count = 0;
  for (const auto& entry : fs::directory_iterator(examples)) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    std::string out, err;
    EXPECT_EQ(Clipsim("run " + entry.path().string() + " --seed 1", out, err), 0)
        << entry.path() << ": " << err;
    EXPECT_NE(err.find("finished"), std::string::npos) << entry.path() << ": " << err;
    EXPECT_GT(Lines(out).size(), 2u) << entry.path();
  }
  EXPECT_GE(count, 5);
}

}  // namespace
