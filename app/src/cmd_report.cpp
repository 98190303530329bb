// clipsim report CLAIMS.yaml --results DIR --out REPORT.md: decides every claim of a claims file
// from the sweep folders under DIR (claims.hpp) and writes the markdown report with its figures
// (copied next to the report, under figures/). Prints one verdict line per claim.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "clipsim/analysis/claims.hpp"
#include "clipsim/analysis/claims_file.hpp"
#include "clipsim/analysis/claims_report.hpp"
#include "clipsim/analysis/results_table.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/core/build_info.hpp"
#include "clipsim/core/file_text.hpp"
#include "clipsim/core/input_error.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

struct ReportArgs {
  std::string claims;
  std::string results;
  std::string out;
  std::string preamble;
  int threads = 0;
};

int RunReport(const ReportArgs& args) {
  namespace fs = std::filesystem;
  const analysis::ClaimsFile file = analysis::ReadClaimsFile(args.claims);
  if (!fs::is_directory(args.results)) {
    throw InputError("--results", args.results, "an existing folder of sweep outputs");
  }
  for (const analysis::ClaimSpec& spec : file.claims) {
    if (!fs::is_directory(fs::path(args.results) / spec.sweep)) {
      throw InputError("sweep", spec.sweep,
                       "a sweep folder under " + args.results + " (claim " + spec.id + ")",
                       {args.claims, 0, 0});
    }
  }
  const fs::path out_path(args.out);
  const std::string report_dir =
      out_path.has_parent_path() ? out_path.parent_path().string() : std::string(".");
  fs::create_directories(report_dir);

  std::vector<analysis::ClaimSection> sections;
  std::map<std::string, analysis::SweepProvenance> provenance;
  std::vector<std::string> sweep_order;
  for (const analysis::ClaimSpec& spec : file.claims) {
    const std::string dir = (fs::path(args.results) / spec.sweep).string();
    const analysis::SweepResults results =
        analysis::ReadSweepDir(dir, analysis::ClaimReadOptions(spec));
    analysis::AnalysisOptions options = analysis::ClaimAnalysisOptions(spec, file);
    options.threads = args.threads;
    const analysis::SweepAnalysis a = analysis::AnalyzeSweep(results, options);
    const std::vector<analysis::CellTiming> timings =
        spec.equal_time ? analysis::ReadTimings(dir) : std::vector<analysis::CellTiming>{};
    analysis::ClaimSection section;
    section.spec = &spec;
    std::vector<analysis::TunedEntry> tuned;
    if (!spec.tuned.empty()) {
      tuned = analysis::ReadTunedTable((fs::path(args.results) / spec.tuned).string());
    }
    section.result = analysis::DecideClaim(spec, results, a, timings, file.confidence,
                                           spec.tuned.empty() ? nullptr : &tuned);
    section.figures = analysis::CopyClaimFigures(spec, dir, report_dir);
    for (const std::string& inc : spec.include) {
      const fs::path p = fs::path(args.results) / inc;
      if (fs::exists(p)) {
        section.includes.push_back(ReadFileText(p.string(), "included file"));
      } else {
        section.result.notes.push_back("included file " + inc + " is missing");
      }
    }
    std::printf("claim %-4s %-16s %s\n", spec.id.c_str(),
                std::string(analysis::ToString(section.result.verdict)).c_str(),
                spec.title.c_str());
    sections.push_back(std::move(section));
    if (!provenance.count(spec.sweep)) {
      analysis::SweepProvenance p;
      p.name = spec.sweep;
      const fs::path config = fs::path(dir) / "sweep.yaml";
      if (fs::exists(config)) p.config = ReadFileText(config.string(), "sweep config");
      p.manifest = results.manifest_summary;
      p.rows = results.rows;
      provenance[spec.sweep] = p;
      sweep_order.push_back(spec.sweep);
    }
  }
  std::vector<analysis::SweepProvenance> sweeps;
  for (const std::string& s : sweep_order) sweeps.push_back(provenance[s]);
  analysis::ReportMeta meta;
  meta.version = std::string("clipsim ") + build_info::kVersion + ", commit " +
                 build_info::kGitCommit + ", " + build_info::kCompiler + ", simd " +
                 build_info::kSimd;
  meta.results_root = args.results;
  if (!args.preamble.empty()) meta.preamble = ReadFileText(args.preamble, "preamble");
  const std::string md = analysis::RenderClaimsReport(file, sections, sweeps, meta);
  std::ofstream out(args.out, std::ios::binary);
  if (!out) throw InputError("--out", args.out, "a writable file path");
  out << md;
  out.close();
  std::printf("report: %s\n", args.out.c_str());
  return 0;
}

}  // namespace

void RegisterReport(CLI::App& root, Action& action) {
  auto args = std::make_shared<ReportArgs>();
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
