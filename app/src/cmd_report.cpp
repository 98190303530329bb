// clipsim report CLAIMS.yaml --results DIR --out REPORT.md: decides every claim of a claims file
// from the sweep folders under DIR and writes the markdown report with its figures (copied next
// to the report, under figures/); the workflow is claims::WriteClaimsReport
// (claims_report.hpp). Prints one verdict line per claim.
#include <cstdio>
#include <memory>
#include <string>

#include "clipsim/claims/claims.hpp"
#include "clipsim/claims/claims_report.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

int RunReport(claims::ClaimsReportOptions options) {
  options.on_claim = [](const claims::ClaimSpec& spec, const claims::ClaimResult& result) {
    std::printf("claim %-4s %-16s %s\n", spec.id.c_str(),
                std::string(claims::ToString(result.verdict)).c_str(), spec.title.c_str());
  };
  const claims::ClaimsReportSummary summary = claims::WriteClaimsReport(options);
  std::printf("report: %s\n", summary.report.c_str());
  return 0;
}

}  // namespace

void RegisterReport(CLI::App& root, Action& action) {
  auto args = std::make_shared<claims::ClaimsReportOptions>();
  CLI::App* cmd = root.add_subcommand(
      "report",
      "Decide every claim of a claims file from sweep folders and write the markdown report "
      "(figures copied to figures/ next to it)");
  cmd->add_option("claims", args->claims, "Claims file (YAML); see claims_file.hpp")->required();
  cmd->add_option("--results", args->results, "Folder holding the claims' sweep folders")
      ->required();
  cmd->add_option("--out", args->out, "Report path (markdown)")->required();
  cmd->add_option("--preamble", args->preamble,
                  "Markdown file put after the title (how the report was produced)");
  cmd->add_option("--threads", args->threads, "Worker threads of the analyses (0: every core)")
      ->capture_default_str();
  cmd->callback([args, &action] { action = [args] { return RunReport(*args); }; });
}

}  // namespace clipsim::app
