// The markdown report of a claims file: a summary table (one verdict per claim with its key
// numbers), then per claim its statement, decision rule, the table of rows (estimate, interval,
// region, outcome), its figures and included notes (e.g. the tuning table), then the provenance
// (each sweep's config, seeds and budgets as run, manifest facts, version).
#pragma once

#include <string>
#include <vector>

#include "clipsim/analysis/claims.hpp"

namespace clipsim::analysis {

// One claim as it goes into the report.
struct ClaimSection {
  const ClaimSpec* spec = nullptr;
  ClaimResult result;
  std::vector<std::string> figures;   // paths relative to the report's folder
  std::vector<std::string> includes;  // text of the included markdown files
};

// One sweep folder as it goes into the provenance section.
struct SweepProvenance {
  std::string name;      // folder under the results root
  std::string config;    // the sweep.yaml that ran
  std::string manifest;  // manifest summary (commit, counts, ...)
  std::int64_t rows = 0;
};

struct ReportMeta {
  std::string version;  // clipsim version and commit
  std::string results_root;
  std::string preamble;  // markdown put after the title (how the report was made)
};

std::string RenderClaimsReport(const ClaimsFile& file, const std::vector<ClaimSection>& sections,
                               const std::vector<SweepProvenance>& sweeps, const ReportMeta& meta);

// Copies the PNG figures of SWEEP_DIR/plots whose names match one of spec.figures (all when
// empty; a pattern matches when its '*'-separated parts occur in the name in order), at most
// spec.max_figures, in the order of the patterns then by name, to REPORT_DIR/figures/<sweep>/;
// returns their paths relative to REPORT_DIR. Missing plots: none.
std::vector<std::string> CopyClaimFigures(const ClaimSpec& spec, const std::string& sweep_dir,
                                          const std::string& report_dir);

}  // namespace clipsim::analysis
