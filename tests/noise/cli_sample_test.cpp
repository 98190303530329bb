// `clipsim sample`: the built program, run as a child process. Checks the output format (one draw
// per line, dim numbers separated by single spaces, shortest round-trip numbers), the line count,
// that the draws are the library's (MakeRng({Stream::kNoise, seed}) through SampleBatch),
// bit-identical repeats, --shape, --help, and exit code 2 with a message naming the key and its
// allowed range for every kind of bad input. Deterministic.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::noise {
namespace {

namespace fs = std::filesystem;

class CliSample : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("clipsim-cli-sample-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Runs `clipsim sample <args>`; returns the exit code.
  int Sample(const std::string& args, std::string& out, std::string& err) {
    const std::string o = (dir_ / "out.txt").string();
    const std::string e = (dir_ / "err.txt").string();
    const std::string cmd =
        std::string(CLIPSIM_BINARY) + " sample " + args + " > " + o + " 2> " + e;
    const int status = std::system(cmd.c_str());
    out = Read(o);
    err = Read(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  // Expects exit code 2 and every fragment in the message.
  void ExpectRefused(const std::string& args, const std::vector<std::string>& fragments) {
    std::string out;
    std::string err;
    EXPECT_EQ(Sample(args, out, err), 2) << args;
    EXPECT_TRUE(out.empty()) << args << ": wrote draws before refusing";
    for (const std::string& f : fragments) {
      EXPECT_NE(err.find(f), std::string::npos) << args << ": \"" << err << "\" lacks " << f;
    }
  }

  fs::path dir_;
};

std::vector<std::vector<double>> ParseLines(const std::string& text, std::string* problem) {
  std::vector<std::vector<double>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<double> row;
    std::size_t at = 0;
    while (at <= line.size()) {
      const std::size_t space = line.find(' ', at);
      const std::string field =
          line.substr(at, space == std::string::npos ? std::string::npos : space - at);
      double v = 0.0;
      const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
      if (field.empty() || ec != std::errc() || end != field.data() + field.size()) {
        *problem = "bad field '" + field + "' in line '" + line + "'";
        return rows;
      }
      // Shortest round trip: printing the value again gives the same text.
      char again[32];
      const auto r = std::to_chars(again, again + sizeof(again), v);
      if (std::string(again, r.ptr) != field) {
        *problem = "not the shortest form: " + field;
        return rows;
      }
      row.push_back(v);
      if (space == std::string::npos) break;
      at = space + 1;
    }
    rows.push_back(row);
  }
  return rows;
}

TEST_F(CliSample, WritesOneDrawPerLineAndTheyAreTheLibrarysDraws) {
  const std::string spec = "kind=stable,alpha=1.5,skew=0.3,scale=1";
  for (int dim : {1, 3}) {
    std::string out;
    std::string err;
    ASSERT_EQ(
        Sample("--noise \"" + spec + "\" --count 1000 --dim " + std::to_string(dim) + " --seed 7",
               out, err),
        0)
        << err;
    EXPECT_TRUE(err.empty()) << err;
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
    std::string problem;
    const auto rows = ParseLines(out, &problem);
    ASSERT_TRUE(problem.empty()) << problem;
    ASSERT_EQ(rows.size(), 1000u);
    // The same draws from the library.
    const auto model = MakeNoise(ParseNoiseSpec(spec));
    Rng rng = MakeRng({static_cast<std::uint64_t>(Stream::kNoise), 7});
    Batch expected(1000, dim);
    model->SampleBatch(rng, expected);
    for (int i = 0; i < 1000; ++i) {
      ASSERT_EQ(rows[static_cast<std::size_t>(i)].size(), static_cast<std::size_t>(dim));
      for (int j = 0; j < dim; ++j) {
        ASSERT_EQ(rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)], expected(i, j))
            << "line " << i + 1;
      }
    }
  }
}

TEST_F(CliSample, RepeatsAreBitIdenticalAndSeedsDiffer) {
  std::string a, b, c, err;
  const std::string args = "--noise kind=pareto,tail=1.5 --count 70000 --dim 2";
  ASSERT_EQ(Sample(args + " --seed 3", a, err), 0) << err;
  ASSERT_EQ(Sample(args + " --seed 3", b, err), 0) << err;
  ASSERT_EQ(Sample(args + " --seed 4", c, err), 0) << err;
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::string problem;
  EXPECT_EQ(ParseLines(a, &problem).size(), 70000u);  // more than one output chunk
  EXPECT_TRUE(problem.empty()) << problem;
}

TEST_F(CliSample, ShapeOverridesTheSpec) {
  std::string out, err;
  ASSERT_EQ(
      Sample("--noise kind=pareto,tail=3,scale=2 --shape radial --count 200 --dim 4", out, err), 0)
      << err;
  std::string problem;
  const auto rows = ParseLines(out, &problem);
  ASSERT_EQ(rows.size(), 200u);
  for (const auto& row : rows) {
    double norm2 = 0.0;
    for (double v : row) norm2 += v * v;
    EXPECT_GE(std::sqrt(norm2), 2.0 * (1 - 1e-14));  // radial: every norm >= scale
  }
  // Contaminated: the shape goes to `other`.
  EXPECT_EQ(Sample("--noise \"kind=contaminated,eps=0.5,other=[kind=stable,alpha=1.5]\" "
                   "--shape isotropic --count 10 --dim 3",
                   out, err),
            0)
      << err;
}

TEST_F(CliSample, HelpDescribesTheOptions) {
  std::string out, err;
  ASSERT_EQ(Sample("--help", out, err), 0);
  for (const char* option : {"--noise", "--count", "--dim", "--shape", "--seed"}) {
    EXPECT_NE(out.find(option), std::string::npos) << option;
  }
}

TEST_F(CliSample, RefusesBadInputWithExitCodeTwo) {
  ExpectRefused("--noise kind=levy --count 5", {"'kind' = levy", "stable, pareto"});
  ExpectRefused("--noise kind=stable,foo=1 --count 5", {"'foo'", "not a key of kind stable"});
  ExpectRefused("--noise kind=stable,tail=2 --count 5", {"'tail'", "alpha, skew, scale"});
  ExpectRefused("--noise kind=stable,alpha=3 --count 5", {"'alpha' = 3: must be in (0, 2]"});
  ExpectRefused("--noise kind=stable,alpha=0 --count 5", {"'alpha' = 0", "(0, 2]"});
  ExpectRefused("--noise kind=stable,alpha=1.5,skew=2 --count 5", {"'skew' = 2", "[-1, 1]"});
  ExpectRefused("--noise kind=stable,alpha=1.5,scale=0 --count 5", {"'scale' = 0", "> 0"});
  ExpectRefused("--noise kind=gaussian,scale=-1 --count 5", {"'scale' = -1", "> 0"});
  ExpectRefused("--noise kind=pareto,tail=0 --count 5", {"'tail' = 0", "> 0"});
  ExpectRefused("--noise kind=pareto,tail=-1 --count 5", {"'tail' = -1", "> 0"});
  ExpectRefused("--noise kind=student_t,dof=0 --count 5", {"'dof' = 0", "> 0"});
  ExpectRefused("--noise kind=stable --count 0", {"--count", "0", ">= 1"});
  ExpectRefused("--noise kind=stable --count -3", {"--count", "-3", ">= 1"});
  ExpectRefused("--noise kind=stable --count 5 --dim 0", {"--dim", "0", "[1, "});
  ExpectRefused("--noise kind=stable --count 5 --shape radial",
                {"'shape' = radial", "iid, isotropic"});
  ExpectRefused("--noise kind=stable --count 5 --shape cube", {"--shape", "cube"});
  ExpectRefused("--noise kind=stable --count many", {"--count"});
  ExpectRefused("--count 5", {"--noise"});
}

}  // namespace
}  // namespace clipsim::noise
