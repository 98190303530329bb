// The CI smoke test of `scripts/reproduce.sh --quick`: the whole pipeline (sweeps, tuning,
// evaluation, analysis, plots, report) runs with the built binary into a temporary folder, and the
// report must exist with a computed verdict ("reproduced", "not reproduced", "not testable" or
// "inconclusive") for every claim of configs/paper/claims.yaml. The verdicts themselves are not
// checked: the quick sizes are too small to carry the paper's conclusions.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ReproduceQuick, ReportHasAVerdictForEveryClaim) {
  namespace fs = std::filesystem;
  const fs::path repo = fs::path(CLIPSIM_TEST_DATA_DIR).parent_path().parent_path();
  const fs::path out =
      fs::temp_directory_path() / ("clipsim-reproduce-quick-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const std::string command = "CLIPSIM='" + std::string(CLIPSIM_BINARY) + "' bash '" +
                              (repo / "scripts" / "reproduce.sh").string() + "' --quick --out '" +
                              out.string() + "' > '" + out.string() + ".log' 2>&1";
  const int status = std::system(command.c_str());
  const std::string log = ReadAll(out.string() + ".log");
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << "\n" << log;

  const std::string report = ReadAll((out / "REPORT.md").string());
  ASSERT_FALSE(report.empty()) << "no report\n" << log;

  // Claim ids from the claims file ("  - id: X").
  const std::string claims = ReadAll((repo / "configs" / "paper" / "claims.yaml").string());
  std::vector<std::string> ids;
  const std::regex id_line(R"re(\n  - id: "?([A-Za-z0-9_]+)"?)re");
  for (auto it = std::sregex_iterator(claims.begin(), claims.end(), id_line);
       it != std::sregex_iterator(); ++it) {
    ids.push_back((*it)[1]);
  }
  ASSERT_GE(ids.size(), 5u);
  for (const std::string& id : ids) {
    const std::regex summary_row("\\| \\[" + id + "\\]\\(#claim-" + id +
                                 "\\) \\|[^\\n]*\\| \\*\\*(reproduced|not reproduced|"
                                 "not testable|inconclusive)\\*\\* \\|");
    EXPECT_TRUE(std::regex_search(report, summary_row)) << "no verdict for claim " << id;
    EXPECT_NE(report.find("## Claim " + id + ":"), std::string::npos) << "no section for " << id;
  }
  EXPECT_NE(report.find("## Provenance"), std::string::npos);
  EXPECT_NE(report.find("Total run time"), std::string::npos);
  fs::remove_all(out);
  fs::remove(out.string() + ".log");
}

}  // namespace
