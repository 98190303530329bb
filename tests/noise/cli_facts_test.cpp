// `clipsim facts`: the built program, run as a child process. A Gaussian's E||xi||^p and sigma(p)
// against the closed form E||s G||^p = s^p 2^(p/2) Gamma((d+p)/2) / Gamma(d/2) (G standard normal
// in dimension d), a stable law's quadrature with its error bound (the library's MomentValue),
// "infinite" at p >= the tail index, and exit code 2 naming the key for bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::noise {
namespace {

namespace fs = std::filesystem;

struct Output {
  int code = -1;
  std::string out;
  std::string err;
  std::map<std::string, std::string> facts;  // "name: value (how)" -> name -> "value (how)"
};

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Output Facts(const std::string& args) {
  const fs::path dir =
      fs::temp_directory_path() / ("clipsim-cli-facts-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string cmd = std::string(CLIPSIM_BINARY) + " facts " + args + " > " +
                          (dir / "out").string() + " 2> " + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  Output o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = Read(dir / "out");
  o.err = Read(dir / "err");
  fs::remove_all(dir);
  std::istringstream lines(o.out);
  std::string line;
  while (std::getline(lines, line)) {
    const auto colon = line.find(": ");
    if (colon != std::string::npos) o.facts[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return o;
}

// The number that starts a fact's text.
double Value(const std::string& fact) {
  return std::stod(fact.substr(0, fact.find(' ')));
}

TEST(CliFacts, GaussianMomentAndSigmaAreTheClosedForm) {
  const double s = 2.0, p = 1.5;
  const int d = 3;
  const Output o = Facts("--noise kind=gaussian,scale=2 --dim 3 --p 1.5");
  ASSERT_EQ(o.code, 0) << o.err;
  const double expected =
      std::pow(s, p) * std::pow(2.0, p / 2) * std::tgamma((d + p) / 2) / std::tgamma(d / 2.0);
  EXPECT_NEAR(Value(o.facts.at("E||xi||^p")), expected, 1e-13 * expected);
  EXPECT_NEAR(Value(o.facts.at("sigma(p)")), std::pow(expected, 1 / p), 1e-13 * expected);
  EXPECT_NE(o.facts.at("E||xi||^p").find("(closed form)"), std::string::npos);
  EXPECT_NE(o.facts.at("sigma(p)").find("closed form"), std::string::npos);
  EXPECT_EQ(o.facts.at("tail_index").rfind("infinite", 0), 0u);
  EXPECT_EQ(o.facts.at("noise"), "kind=gaussian,scale=2");
  EXPECT_EQ(o.facts.at("dim"), "3");
  EXPECT_EQ(o.facts.at("p"), "1.5");
}

TEST(CliFacts, DefaultPIsTwoAndMissingMomentsAreInfinite) {
  const Output gauss = Facts("--noise kind=gaussian");
  ASSERT_EQ(gauss.code, 0) << gauss.err;
  EXPECT_EQ(gauss.facts.at("p"), "2");
  EXPECT_EQ(gauss.facts.at("dim"), "1");
  EXPECT_DOUBLE_EQ(Value(gauss.facts.at("E||xi||^p")), 1.0);  // E G^2

  const Output stable = Facts("--noise kind=stable,alpha=1.5");
  ASSERT_EQ(stable.code, 0) << stable.err;
  EXPECT_EQ(Value(stable.facts.at("tail_index")), 1.5);
  EXPECT_EQ(stable.facts.at("E||xi||^p").rfind("infinite (p = 2 >= the tail index 1.5", 0), 0u);
  EXPECT_EQ(stable.facts.at("sigma(p)").rfind("infinite", 0), 0u);
}

TEST(CliFacts, QuadratureIsPrintedWithItsErrorBound) {
  const Output o = Facts("--noise kind=stable,alpha=1.5 --p 1.4 --dim 10");
  ASSERT_EQ(o.code, 0) << o.err;
  const MomentValue m = MakeNoise(ParseNoiseSpec("kind=stable,alpha=1.5"))->Moment(1.4, 10);
  ASSERT_FALSE(m.exact);
  EXPECT_EQ(Value(o.facts.at("E||xi||^p")), m.value);  // shortest round-trip text
  const std::string& how = o.facts.at("E||xi||^p");
  ASSERT_NE(how.find("quadrature, absolute error <= "), std::string::npos) << how;
  const double bound = std::stod(how.substr(how.find("<= ") + 3));
  EXPECT_NEAR(bound, m.error_bound, 0.05 * m.error_bound);
  EXPECT_NE(o.facts.at("sigma(p)").find("absolute error <= "), std::string::npos);
}

TEST(CliFacts, BadInputExitsWithCodeTwoNamingTheKey) {
  for (const auto& [args, key] :
       std::map<std::string, std::string>{{"--noise kind=stable,alpha=2.5", "'alpha' = 2.5"},
                                          {"--noise kind=cauchy", "kind"},
                                          {"--noise kind=gaussian --p 0", "'--p' = 0"},
                                          {"--noise kind=gaussian --dim 0", "'--dim' = 0"}}) {
    const Output o = Facts(args);
    EXPECT_EQ(o.code, 2) << args;
    EXPECT_TRUE(o.out.empty()) << args;
    EXPECT_NE(o.err.find("clipsim: error: "), std::string::npos) << args << ": " << o.err;
    EXPECT_NE(o.err.find(key), std::string::npos) << args << ": " << o.err;
  }
}

}  // namespace
}  // namespace clipsim::noise
