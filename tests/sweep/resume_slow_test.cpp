// A sweep killed with SIGKILL at random moments, then started again with the same command,
// must finish with exactly the bytes of an uninterrupted sweep. The child is the real clipsim
// program, so this exercises the commit protocol (append a record to the chunk log, flush) and
// the results assembly end to end: kills land inside records and inside the assembly.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "chunk_log.hpp"
#include "common/temp_files.hpp"

namespace clipsim::sweep {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;
using clipsim::testing::WriteText;

// Sized to take a few seconds on one core, in chunks small enough that kills land between and
// inside chunk commits.
constexpr const char* kSweep = R"(seeds: 300
budgets: [3000, 10000]
chunk_seeds: 7
master_seed: 5
problem: {kind: quadratic, dim: 10}
noise: {kind: stable, alpha: 1.5}
p: 1.4
optimizer: [{method: sgd}, {method: ps_clip_sgd}]
schedule: {kind: constant, eta0: 0.02}
batch_size: 8
)";

pid_t StartSweep(const std::string& cfg, const std::string& out) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Child: silence output, run the real program.
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ::execl(CLIPSIM_BINARY, CLIPSIM_BINARY, "sweep", cfg.c_str(), "--out", out.c_str(), "--threads",
            "2", "--quiet", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int Finish(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

std::size_t Committed(const std::string& out) {
  return detail::ChunkIndex::Scan(out).size();
}

TEST(SweepResume, KilledThreeTimesThenResumedEqualsUninterrupted) {
  TempDir dir("resume");
  const std::string cfg = WriteText(dir / "s.yaml", kSweep);

  const auto start = std::chrono::steady_clock::now();
  const pid_t whole = StartSweep(cfg, dir / "whole");
  const int whole_status = Finish(whole);
  const auto whole_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
  ASSERT_TRUE(WIFEXITED(whole_status) && WEXITSTATUS(whole_status) == 0);
  const std::string expected = ReadText(dir / "whole/results.csv");
  ASSERT_GT(expected.size(), 10000u);

  // Kill times are seeded fractions of the uninterrupted sweep's time: between 5% and 25% of it,
  // so that three kills land before the sweep can finish (each restart redoes only what was not
  // committed) on a fast machine and a slow one alike. 3 kills at least, more while it survives.
  ASSERT_GT(whole_ms, 200) << "the sweep is too short to kill reliably; enlarge it";
  std::mt19937 gen(20261123);
  std::uniform_int_distribution<long> delay_ms(whole_ms / 20, whole_ms / 4);
  int kills = 0;
  std::size_t last_committed = 0;
  while (true) {
    const pid_t pid = StartSweep(cfg, dir / "killed");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(gen)));
    const bool was_running = ::kill(pid, SIGKILL) == 0;
    const int status = Finish(pid);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      ++kills;
      const std::size_t now = Committed(dir / "killed");
      EXPECT_GE(now, last_committed) << "a kill must never lose committed chunks";
      last_committed = now;
      if (kills >= 3 && now > 0) break;
      ASSERT_LT(kills, 50) << "the sweep never made progress between kills";
      continue;
    }
    // It finished before the kill landed: too fast to test; make the kills earlier.
    ASSERT_FALSE(was_running && WIFEXITED(status) && kills < 3)
        << "sweep finished before three kills; enlarge the sweep";
    break;
  }
  EXPECT_GE(kills, 3);

  // Resume to the end with the same command.
  const int status = Finish(StartSweep(cfg, dir / "killed"));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(ReadText(dir / "killed/results.csv"), expected);
}

}  // namespace
}  // namespace clipsim::sweep
