// The workflow of `clipsim report` (claims_report.hpp, WriteClaimsReport): claims file -> each
// claim's sweep folder read, analysed and decided -> the markdown report with its figures.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/claims/claims.hpp"
#include "clipsim/claims/claims_file.hpp"
#include "clipsim/claims/claims_report.hpp"
#include "clipsim/claims/claims_tuning.hpp"
#include "clipsim/core/build_info.hpp"
#include "clipsim/core/file_text.hpp"
#include "clipsim/core/input_error.hpp"

namespace clipsim::claims {

namespace fs = std::filesystem;

void ClaimsReportOptions::Validate() const {
  if (claims.empty()) throw InputError("claims", claims, "the path of a claims file");
  if (!fs::is_directory(results)) {
    throw InputError("--results", results, "an existing folder of sweep outputs");
  }
  if (out.empty()) throw InputError("--out", out, "a writable file path");
  if (!preamble.empty() && !fs::is_regular_file(preamble)) {
    throw InputError("--preamble", preamble, "an existing markdown file");
  }
  if (threads < 0) throw InputError("--threads", std::to_string(threads), ">= 0");
}

ClaimsReportSummary WriteClaimsReport(const ClaimsReportOptions& options) {
  options.Validate();
  ClaimsReportSummary summary;
  summary.file = ReadClaimsFile(options.claims);
  const ClaimsFile& file = summary.file;
  const fs::path root(options.results);
  for (const ClaimSpec& spec : file.claims) {
    if (!fs::is_directory(root / spec.sweep)) {
      throw InputError("sweep", spec.sweep,
                       "a sweep folder under " + options.results + " (claim " + spec.id + ")",
                       {options.claims, 0, 0});
    }
  }
  const fs::path out_path(options.out);
  const std::string report_dir =
      out_path.has_parent_path() ? out_path.parent_path().string() : std::string(".");
  fs::create_directories(report_dir);

  std::vector<ClaimSection> sections;
  std::map<std::string, SweepProvenance> provenance;
  std::vector<std::string> sweep_order;
  for (const ClaimSpec& spec : file.claims) {
    const std::string dir = (root / spec.sweep).string();
    const analysis::SweepResults results = analysis::ReadSweepDir(dir, ClaimReadOptions(spec));
    analysis::AnalysisOptions analysis_options = ClaimAnalysisOptions(spec, file);
    analysis_options.threads = options.threads;
    const analysis::SweepAnalysis a = analysis::AnalyzeSweep(results, analysis_options);
    const std::vector<analysis::CellTiming> timings =
        spec.equal_time ? analysis::ReadTimings(dir) : std::vector<analysis::CellTiming>{};
    ClaimSection section;
    section.spec = &spec;
    std::vector<TunedEntry> tuned;
    if (!spec.tuned.empty()) tuned = ReadTunedTable((root / spec.tuned).string());
    section.result = DecideClaim(spec, results, a, timings, file.confidence,
                                 spec.tuned.empty() ? nullptr : &tuned);
    section.figures = CopyClaimFigures(spec, dir, report_dir);
    for (const std::string& inc : spec.include) {
      const fs::path p = root / inc;
      if (fs::exists(p)) {
        section.includes.push_back(ReadFileText(p.string(), "included file"));
      } else {
        section.result.notes.push_back("included file " + inc + " is missing");
      }
    }
    if (options.on_claim) options.on_claim(spec, section.result);
    sections.push_back(std::move(section));
    if (!provenance.count(spec.sweep)) {
      SweepProvenance p;
      p.name = spec.sweep;
      const fs::path config = fs::path(dir) / "sweep.yaml";
      if (fs::exists(config)) p.config = ReadFileText(config.string(), "sweep config");
      p.manifest = results.manifest_summary;
      p.rows = results.rows;
      provenance[spec.sweep] = p;
      sweep_order.push_back(spec.sweep);
    }
  }
  std::vector<SweepProvenance> sweeps;
  for (const std::string& s : sweep_order) sweeps.push_back(provenance[s]);
  ReportMeta meta;
  meta.version = std::string("clipsim ") + build_info::kVersion + ", commit " +
                 build_info::kGitCommit + ", " + build_info::kCompiler + ", simd " +
                 build_info::kSimd;
  meta.results_root = options.results;
  if (!options.preamble.empty()) meta.preamble = ReadFileText(options.preamble, "preamble");
  const std::string md = RenderClaimsReport(file, sections, sweeps, meta);
  std::ofstream out(options.out, std::ios::binary);
  if (!out) throw InputError("--out", options.out, "a writable file path");
  out << md;
  out.close();
  if (!out) throw InputError("--out", options.out, "a writable file path");
  for (ClaimSection& section : sections) summary.claims.push_back(std::move(section.result));
  summary.report = options.out;
  return summary;
}

}  // namespace clipsim::claims
