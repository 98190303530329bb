// The workflow of `clipsim report` as a library call (WriteClaimsReport, claims_report.hpp), on a
// synthetic sweep folder with a planted paired ratio and without the binary: the claims decided in
// the file's order, the report with its figures, included files and provenance, and every bad
// option or missing sweep folder refused before anything is written.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../analysis/synthetic_sweep.hpp"
#include "clipsim/claims/claims.hpp"
#include "clipsim/claims/claims_report.hpp"
#include "common/expect_input_error.hpp"
#include "common/temp_files.hpp"

namespace clipsim::claims {
namespace {

namespace fs = std::filesystem;
using clipsim::testing::ExpectInputError;
using clipsim::testing::ReadText;
using clipsim::testing::TempDir;
using clipsim::testing::WriteText;

// Claim 3: a's metric is half of b's on common noise, so the median ratio ~0.5 lies in [0, 1]
// (reproduced); claim 3b asks for equivalence within 10%, which the same data refutes.
constexpr const char* kClaims = R"(title: Synthetic claims
bootstrap: 200
claims:
  - id: "3"
    title: a beats b
    kind: paired_ratio
    sweep: pair
    figures: [ratio]
    include: [notes.md, missing.md]
    rows:
      - {name: a over b, select: {method: ps_clip_sgd}, against: {method: sgd}, region: [0, 1]}
  - id: "3b"
    title: a and b alike
    kind: paired_ratio
    sweep: pair
    figures: [nothing]
    rows:
      - {name: a over b, select: {method: ps_clip_sgd}, against: {method: sgd}, region: [0.909, 1.1]}
)";

// results/pair: the sweep, its config as run and two plots; results/notes.md: an included file.
void WriteResults(const std::string& results) {
  analysis::testing::SyntheticSweep s;
  analysis::testing::SyntheticCell a, b;
  a.method = "ps_clip_sgd";
  a.scale = 0.5;
  b.method = "sgd";
  s.cells = {a, b};
  s.seeds = 200;
  s.budgets = {1000, 10000};
  s.seed = 5;
  const std::string dir = results + "/pair";
  analysis::testing::WriteSyntheticSweep(s, dir);
  WriteText(dir + "/sweep.yaml", "seeds: 200  # the config as run\n");
  fs::create_directories(dir + "/plots");
  WriteText(dir + "/plots/ratio_01.png", "png bytes");
  WriteText(dir + "/plots/other_01.png", "png bytes");
  WriteText(results + "/notes.md", "A note the claim includes.\n");
}

TEST(ClaimsWorkflow, DecidesEveryClaimAndWritesTheReport) {
  TempDir root("claims-workflow");
  WriteResults(root / "results");
  ClaimsReportOptions options;
  options.claims = WriteText(root / "claims.yaml", kClaims);
  options.results = root / "results";
  options.out = root / "report/REPORT.md";  // the folder does not exist yet
  options.preamble = WriteText(root / "preamble.md", "Made by the test.\n");
  options.threads = 1;
  std::vector<std::string> seen;
  options.on_claim = [&](const ClaimSpec& spec, const ClaimResult& result) {
    seen.push_back(spec.id + ": " + std::string(ToString(result.verdict)));
  };

  const ClaimsReportSummary summary = WriteClaimsReport(options);
  EXPECT_EQ(seen, (std::vector<std::string>{"3: reproduced", "3b: not reproduced"}));
  ASSERT_EQ(summary.claims.size(), 2u);
  ASSERT_EQ(summary.file.claims.size(), 2u);
  EXPECT_EQ(summary.claims[0].id, "3");
  EXPECT_EQ(summary.claims[0].verdict, ClaimVerdict::kReproduced);
  ASSERT_EQ(summary.claims[0].rows.size(), 1u);
  EXPECT_NEAR(summary.claims[0].rows[0].estimate, 0.5, 0.05);
  EXPECT_EQ(summary.claims[1].verdict, ClaimVerdict::kNotReproduced);
  EXPECT_EQ(summary.report, options.out);

  const std::string md = ReadText(options.out);
  EXPECT_NE(md.find("Synthetic claims"), std::string::npos);
  EXPECT_NE(md.find("Made by the test."), std::string::npos);
  EXPECT_NE(md.find("a beats b"), std::string::npos);
  EXPECT_NE(md.find("a and b alike"), std::string::npos);
  EXPECT_NE(md.find("A note the claim includes."), std::string::npos);
  EXPECT_NE(md.find("included file missing.md is missing"), std::string::npos);
  // The figure the pattern names, copied beside the report; the other plot is not.
  EXPECT_NE(md.find("figures/pair/ratio_01.png"), std::string::npos);
  EXPECT_TRUE(fs::exists(root / "report/figures/pair/ratio_01.png"));
  EXPECT_FALSE(fs::exists(root / "report/figures/pair/other_01.png"));
  // One provenance section per sweep, however many claims read it.
  const std::string sweep = "### Sweep `pair`";
  const std::size_t first = md.find(sweep);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(md.find(sweep, first + 1), std::string::npos);
  EXPECT_NE(md.find("seeds: 200  # the config as run"), std::string::npos);
}

TEST(ClaimsWorkflow, RefusesBadOptionsAndMissingSweepsBeforeWritingAnything) {
  TempDir root("claims-workflow-bad");
  WriteResults(root / "results");
  ClaimsReportOptions good;
  good.claims = WriteText(root / "claims.yaml", kClaims);
  good.results = root / "results";
  good.out = root / "report/REPORT.md";

  ClaimsReportOptions o = good;
  o.results = root / "nowhere";
  ExpectInputError([&] { WriteClaimsReport(o); }, {"--results", o.results, "existing folder"});
  o = good;
  o.threads = -1;
  ExpectInputError([&] { WriteClaimsReport(o); }, {"--threads", "-1", ">= 0"});
  o = good;
  o.preamble = root / "no-preamble.md";
  ExpectInputError([&] { WriteClaimsReport(o); }, {"--preamble", o.preamble});
  o = good;
  o.out.clear();
  ExpectInputError([&] { WriteClaimsReport(o); }, {"--out"});
  o = good;
  o.claims = WriteText(root / "other.yaml",
                       "claims:\n  - {id: \"9\", kind: paired_ratio, sweep: elsewhere, rows: "
                       "[{select: {method: sgd}, against: {method: sgd}, region: [0, 1]}]}\n");
  ExpectInputError([&] { WriteClaimsReport(o); }, {"sweep", "elsewhere", "claim 9"});
  EXPECT_FALSE(fs::exists(root / "report"));
}

}  // namespace
}  // namespace clipsim::claims
