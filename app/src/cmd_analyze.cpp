// clipsim analyze DIR [options]: the statistics, rate fits, verdicts, delta dependence, paired
// comparisons and noise check of a sweep folder, written to DIR/analysis/ (summary.md and one CSV
// per table); prints the verdict table.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "analysis_args.hpp"
#include "clipsim/analysis/report.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

struct AnalyzeArgs {
  AnalysisArgs common;
  std::string out;  // default DIR/analysis
};

int RunAnalyze(const AnalyzeArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  const analysis::SweepResults results =
      analysis::ReadSweepDir(args.common.dir, args.common.Read());
  const analysis::SweepAnalysis a = analysis::AnalyzeSweep(results, args.common.options);
  const std::string out =
      args.out.empty() ? args.common.dir + "/" + std::string(analysis::kAnalysisFolder) : args.out;
  const std::vector<std::string> files = analysis::WriteAnalysisReport(a, out);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fputs(analysis::VerdictTable(a).c_str(), stdout);
  std::printf("\nanalysis: %zu cells, %zu metrics, %lld result rows in %.2f s\n", a.cells.size(),
              a.metrics.size(), static_cast<long long>(results.rows), seconds);
  std::printf("summary: %s/summary.md (and %zu CSV files in %s)\n", out.c_str(), files.size() - 1,
              out.c_str());
  return 0;
}

}  // namespace

void RegisterAnalyze(CLI::App& root, Action& action) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = root.add_subcommand(
      "analyze",
      "Rates against theory, quantiles with exact intervals, verdicts and paired comparisons of "
      "a sweep folder (writes DIR/analysis/)");
  args->common.AddTo(*cmd);
  cmd->add_option("--out", args->out, "Output folder (default: DIR/analysis)");
  cmd->callback([args, &action] { action = [args] { return RunAnalyze(*args); }; });
}

}  // namespace clipsim::app
