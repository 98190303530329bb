// The markdown report of a claims file: a summary table (one verdict per claim with its key
// numbers), then per claim its statement, decision rule, the table of rows (estimate, interval,
// region, outcome), its figures and included notes (e.g. the tuning table), then the provenance
// (each sweep's config, seeds and budgets as run, manifest facts, version).
//
// WriteClaimsReport is the whole workflow of `clipsim report` (claims_workflow.cpp), so that a
// program or a test gets the report and the verdicts without the binary.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "clipsim/claims/claims.hpp"

namespace clipsim::claims {

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

// What WriteClaimsReport reads and writes. The names in error messages are `clipsim report`'s.
struct ClaimsReportOptions {
  std::string claims;    // the claims file (YAML; claims_file.hpp); `claims`
  std::string results;   // the folder holding every claim's sweep folder, and the tuned tables
                         // and included files the claims name; `--results`
  std::string out;       // the report (markdown), its figures copied to figures/ beside it; `--out`
  std::string preamble;  // a markdown file put after the title ("" = none); `--preamble`
  int threads = 0;       // worker threads of each sweep's analysis (0: every core); changes no
                         // output; `--threads`
  // Called after each claim is decided, in the file's order (`clipsim report` prints its verdict
  // line); may be empty.
  std::function<void(const ClaimSpec& spec, const ClaimResult& result)> on_claim;

  // Throws InputError naming the option, its value and the rule: claims and out are given,
  // results is an existing folder, preamble (when given) an existing file, threads >= 0.
  void Validate() const;
};

// What WriteClaimsReport decided and wrote.
struct ClaimsReportSummary {
  ClaimsFile file;                  // the claims file as read
  std::vector<ClaimResult> claims;  // one per file.claims, in the same order
  std::string report;               // the path of the report written (options.out)
};

// `clipsim report`: validates the options, reads the claims file and checks that every claim's
// sweep folder exists under options.results (InputError naming the claim otherwise), before any
// analysis runs. Then per claim, in the file's order: reads its sweep folder (ClaimReadOptions),
// analyses it (ClaimAnalysisOptions with options.threads), reads timings.csv for equal_time and
// the claim's tuned table, decides it (DecideClaim), copies its figures (CopyClaimFigures) and
// reads its included files (a missing one becomes a note of the claim). Last, renders the report
// with every sweep's provenance (its sweep.yaml, manifest and row count) and this build's version
// and commit, and writes it to options.out (its folder created when missing).
ClaimsReportSummary WriteClaimsReport(const ClaimsReportOptions& options);

}  // namespace clipsim::claims
