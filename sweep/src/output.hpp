// The tables a researcher reads beside the results (cells.csv, resolved.csv, noise_norms.csv,
// manifest.json) and the row layout that results.csv shares with the chunks
// (results_assembler.hpp writes it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chunk_plan.hpp"
#include "clipsim/sweep/config.hpp"

namespace clipsim::sweep::detail {

// "cell,<param columns>,budget,seed,<checkpoint columns>".
std::string ResultsHeader(const SweepConfig& config);
// "cell,<param values>": the start of every row of one cell (and of its line in cells.csv).
std::string CellPrefix(const SweepConfig& config, const Cell& cell);

// What the manifest records of the results file (see ResultsAssembler).
struct ResultsSummary {
  std::string file;  // "results.csv" or "results.csv.gz"
  std::int64_t runs = 0;
  std::int64_t rows = 0;
  std::int64_t diverged = 0;
  std::size_t bytes_uncompressed = 0;
  std::string xxh3_64;  // of the uncompressed bytes, header included
};

// resolved.csv (core/resolved_table.hpp): the parameters every (cell, budget) ran with and the
// problem and noise facts, from the same resolution the runs use (ResolveParameters).
std::string ResolvedTable(const SweepConfig& config);

// hitting.csv (core/hitting_table.hpp): the stopping level and the (L0, L1) and level-set facts at
// each cell's start; written only when HasHittingTimes (some cell sets stop_at_grad_norm).
bool HasHittingTimes(const SweepConfig& config);
std::string HittingTable(const SweepConfig& config);

// Writes cells.csv, resolved.csv, hitting.csv (when HasHittingTimes), the noise-norm table (when
// asked for) and manifest.json, once the results and timings are in place.
void WriteSweepTables(const SweepConfig& config, const std::string& dir,
                      const std::string& command_line, const ResultsSummary& results);

}  // namespace clipsim::sweep::detail
