// Turning committed chunks into the files a researcher reads: results.csv (or .gz), timings.csv,
// cells.csv, noise_norms.csv and manifest.json.
#pragma once

#include <string>
#include <vector>

#include "clipsim/sim/sweep_config.hpp"
#include "sweep/chunk_plan.hpp"

namespace clipsim::sim::detail {

// "cell,<param columns>,budget,seed,<checkpoint columns>".
std::string ResultsHeader(const SweepConfig& config);
// "cell,<param values>": the start of every row of one cell (and of its line in cells.csv).
std::string CellPrefix(const SweepConfig& config, const Cell& cell);
// A CSV field, quoted when it holds a comma, quote or newline.
std::string CsvField(const std::string& text);

// Writes every output file from the chunks (all must be committed). Returns the results path.
std::string AssembleOutputs(const SweepConfig& config, const std::vector<Chunk>& chunks,
                            const std::string& dir, const std::string& command_line);

}  // namespace clipsim::sim::detail
