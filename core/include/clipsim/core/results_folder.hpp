// The results-folder contract: what `clipsim sweep` (and `clipsim merge`) write into a sweep's
// output folder and what every reader (analysis, tuning, claims, plots) may rely on. Both sides
// take file names, column names, the config-text grammar and the schema version from here, so a
// change of the format is a change of this header, and a folder of another schema is refused by
// name instead of being misread.
//
// Files (in DIR, the folder given to `clipsim sweep --out DIR`):
//   results.csv       one row per (cell, budget, seed, checkpoint); or results.csv.gz (gzip of
//                     the same bytes) when the sweep sets compress. Columns: `cell`, the grid's
//                     parameter columns (the sweep's axes, in grid order; any names), then
//                     kRunColumns, then kCheckpointColumns. Rows: cells in grid order, budgets in
//                     file order, seeds ascending, checkpoints ascending. Byte-identical for any
//                     thread count or shard split of one build.
//   timings.csv       kTimingsColumns: seconds of each run (wall clock, 6 significant digits) and
//                     its termination ("finished", "diverged", "reached"); outside the
//                     byte-identical results.
//   cells.csv         `cell`, the parameter columns, then kCellColumns.
//   resolved.csv      per (cell, budget) what the runs ran with (core/resolved_table.hpp).
//   hitting.csv       only when some cell stops at a gradient norm (core/hitting_table.hpp).
//   noise_norms.csv   kNoiseNormsColumns; only when the sweep sets save_noise_norms.
//   manifest.json     {"schema_version": kSchemaVersion, "program": {...}, "context": {...},
//                     "config_file", "config", "fingerprint", "started", "finished",
//                     "counts": {...}, "results": {"file", "order", "bytes_uncompressed",
//                     "xxh3_64", "columns"}}; written last, so its presence marks a complete
//                     folder.
//   sweep.yaml, state.json, chunks/  the engine's own state for resuming and merging.
//
// Numbers: integers in decimal; doubles in shortest round-trip form with `inf` and `nan` spelled
// out (core/number_text.hpp writes them, core/number_parse.hpp's NumberSyntax::kResults reads
// them). Text fields are quoted as core/csv_field.hpp does.
//
// The config text (cells.csv's `config` column, and the text every cell id hashes): entries
// `key=value` joined by ';', keys ascending and distinct. A key holds no '=' or ';'; a value holds
// no ';' and may hold '=' and ',' (a problem's value is its own `k=v,k=v` list, a noise's value
// the noise spec text). SplitConfigText and JoinConfigText below are the one reader and writer.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clipsim::results_folder {

// The format version of the whole folder, written as manifest.json's schema_version. Bump it with
// any change that alters what an existing reader would read (a column, a file's meaning, the
// results' bytes for the same config, seed and build), so that older folders are refused.
// 2: the results hash is "xxh3_64" (XXH3, as `xxhsum -H3` prints it) instead of "fnv1a64".
// 3: CLIPSIM_SIMD=auto builds for AVX-512 where the build host has it (it took AVX2 before), so an
//    auto build on such a host may give other last bits than schema 2's for the same config; the
//    build id (with its instruction set) still refuses to resume or merge across builds; and the
//    AVX-512 build's log is SLEEF's 1.0-ulp one (noise/src/vecmath.hpp), so its draws changed.
inline constexpr int kSchemaVersion = 3;

inline constexpr std::string_view kResultsFile = "results.csv";
inline constexpr std::string_view kResultsFileGzip = "results.csv.gz";
inline constexpr std::string_view kTimingsFile = "timings.csv";
inline constexpr std::string_view kCellsFile = "cells.csv";
inline constexpr std::string_view kNoiseNormsFile = "noise_norms.csv";
inline constexpr std::string_view kManifestFile = "manifest.json";
// DIR/FILE: where a file of the folder lies (FILE one of the names above, or resolved.csv,
// hitting.csv).
inline std::string PathIn(const std::string& dir, std::string_view file) {
  return dir + "/" + std::string(file);
}
// The results file's name: results.csv.gz when gzip-compressed.
inline std::string ResultsFileName(bool gzip) {
  return std::string(gzip ? kResultsFileGzip : kResultsFile);
}

// The first column of results.csv, cells.csv and timings.csv: the cell id, 16 hex digits of
// StableHash(config text).
inline constexpr std::string_view kCellColumn = "cell";
// After the parameter columns of results.csv.
inline constexpr std::array<std::string_view, 2> kRunColumns = {"budget", "seed"};
// The checkpoint columns that readers use by name (sim/checkpoint.hpp defines each): the
// checkpoint on the log grid, the samples consumed, the steps taken, clipped samples / samples,
// and the divergence flag (0 or 1; every metric is inf from a divergence on).
inline constexpr std::string_view kTargetColumn = "target";
inline constexpr std::string_view kSamplesColumn = "samples";
inline constexpr std::string_view kIterationsColumn = "iterations";
inline constexpr std::string_view kClippedFractionColumn = "clipped_fraction";
inline constexpr std::string_view kDivergedColumn = "diverged";
// The checkpoint columns of results.csv, in order.
inline constexpr std::array<std::string_view, 11> kCheckpointColumns = {
    kTargetColumn,   kSamplesColumn,         kIterationsColumn,   "grad_norm",
    "value_gap",     "mean_grad_norm",       "mean_sq_grad_norm", "grad_norm_at_R",
    "min_grad_norm", kClippedFractionColumn, kDivergedColumn};
// Checkpoint columns that are bookkeeping (where the run is), not error metrics with a rate.
inline constexpr std::array<std::string_view, 5> kBookkeepingColumns = {
    kTargetColumn, kSamplesColumn, kIterationsColumn, kDivergedColumn, kClippedFractionColumn};
// After the parameter columns of cells.csv: the resolved identity of the cell (so that a reader
// needs no YAML parser to group cells), its noise stream id and its config text.
inline constexpr std::string_view kNoiseStreamColumn = "noise_stream";
inline constexpr std::string_view kConfigColumn = "config";
inline constexpr std::array<std::string_view, 8> kCellColumns = {
    "problem", "dim", "noise", "p", "method", "schedule", kNoiseStreamColumn, kConfigColumn};
inline constexpr std::array<std::string_view, 5> kTimingsColumns = {"cell", "budget", "seed",
                                                                    "seconds", "termination"};
inline constexpr std::array<std::string_view, 4> kNoiseNormsColumns = {"noise_stream", "noise",
                                                                       "dim", "norm"};

bool IsBookkeepingColumn(std::string_view column);

// A config text's entries, in text order.
using ConfigEntries = std::vector<std::pair<std::string, std::string>>;
// The entries of a config text, in text order ("" gives none). The key ends at an entry's first
// '='; an entry without '=' (no writer writes one) is skipped.
ConfigEntries SplitConfigText(std::string_view text);
// The config text of `entries`, sorted by key (the order every writer uses).
std::string JoinConfigText(ConfigEntries entries);
// The value of `key` in a config text; nullopt when absent.
std::optional<std::string> ConfigValue(std::string_view text, std::string_view key);

// "a,b,c": a header line (without newline) of a table whose columns are declared above.
template <std::size_t N>
std::string HeaderLine(const std::array<std::string_view, N>& columns) {
  std::string line;
  for (std::string_view c : columns) {
    if (!line.empty()) line += ',';
    line += c;
  }
  return line;
}

}  // namespace clipsim::results_folder
