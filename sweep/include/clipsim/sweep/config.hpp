// A sweep file: a base run whose keys may hold lists (grid axes), plus the seeds and budgets to run
// every cell of the grid with. Loading validates the whole grid before anything runs.
//
//   seeds: 1000                  # a count (seeds 0..999) or a range {first: 0, last: 999}
//   budgets: [1000, 10000]       # N, sampled gradients per run
//   master_seed: 1
//   problem: {kind: quadratic, dim: 10}
//   noise: {kind: stable, alpha: [1.25, 1.5]}       # a list: one axis of the grid
//   p: [1.2, 1.45]
//   zip: [[noise.alpha, p]]      # these axes vary together instead of multiplying
//   optimizer: [{method: sgd}, {method: ps_clip_sgd}]
//
// Every sequence in the run part of the file is an axis (its outermost occurrence; lists inside a
// list item are not expanded). Lists multiply in document order, the last axis fastest.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/sim/run_config.hpp"

namespace clipsim::sweep {

struct SeedRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
  std::uint64_t count() const { return last - first + 1; }
};

// One cell of the grid: the run config (without budget) with every axis resolved to one value.
struct Cell {
  YAML::Node node;     // a run-config node (marks point into the sweep file)
  sim::RunConfig run;  // the parsed run at budget 0 (set the budget before running it)
  std::string text;    // canonical text of the resolved run (budget excluded)
  std::uint64_t hash;  // StableHash(text): the cell's identity on disk
  std::string id;      // hash as 16 hex digits
  // Flattened "path=value" of the axes (e.g. {"noise.alpha", "1.5"}), for result columns.
  std::vector<std::pair<std::string, std::string>> axis_values;
};

struct SweepConfig {
  std::string file;  // path it was loaded from (or the label of a text, e.g. "<dict>")
  std::string text;  // the text it was parsed from: the folder keeps a copy (sweep.yaml)
  YAML::Node root;   // the whole document
  std::uint64_t master_seed = 0;
  SeedRange seeds;
  std::vector<std::int64_t> budgets;
  // Seeds per committed chunk: the unit of resumption and of sharding.
  std::int64_t chunk_seeds = 50;
  // Draws of the raw noise norm ||xi|| saved per distinct noise (0: none), for tail-index checks.
  std::int64_t save_noise_norms = 0;
  bool compress = false;  // write results.csv.gz instead of results.csv
  std::vector<Cell> cells;
  // Paths of the axes in document order, and the columns every result row carries.
  std::vector<std::string> axis_paths;
  std::vector<std::string> param_columns;
  // Hash of everything that may not change between two invocations on one output folder: the run
  // part of the file and the chunk size (seeds and budgets may grow; nothing else may change).
  std::string fingerprint;
};

// Reads and validates a sweep file. Every cell at every budget is validated as a run config;
// any error throws InputError naming the file, line, column, key and allowed range.
SweepConfig LoadSweepConfig(const std::string& path);
// The same from the text of a sweep file; `file` names it in messages (clipsim.sweep passes
// "<dict>" for a config given as a Python dict).
SweepConfig ParseSweepConfig(const std::string& text, const std::string& file);

// The run config of a cell at one budget (what ParseRunConfig takes).
YAML::Node CellRunNode(const Cell& cell, std::int64_t budget);

}  // namespace clipsim::sweep
