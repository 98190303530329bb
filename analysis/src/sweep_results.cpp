#include "clipsim/analysis/sweep_results.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <unordered_map>

#include "clipsim/analysis/csv.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/resolved_table.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/stats/median.hpp"

namespace clipsim::analysis {
namespace {

namespace folder = results_folder;

constexpr double kInf = std::numeric_limits<double>::infinity();

using folder::PathIn;

std::vector<std::string> ReadHeader(CsvReader& reader, const std::string& path) {
  std::vector<std::string_view> fields;
  if (!reader.Next(fields)) throw InputError("the file is empty (no header)", {path, 1, 0});
  return {fields.begin(), fields.end()};
}

int RequireColumn(const std::vector<std::string>& header, std::string_view name,
                  const std::string& path) {
  const int c = FindColumn(header, std::string(name));
  if (c < 0) {
    throw InputError("header of " + path, std::string(name),
                     "a column named '" + std::string(name) + "'", {path, 1});
  }
  return c;
}

[[noreturn]] void BadField(const CsvReader& reader, int column,
                           const std::vector<std::string>& header, std::string_view value,
                           const std::string& rule) {
  const std::string key =
      column < static_cast<int>(header.size()) ? header[static_cast<std::size_t>(column)] : "?";
  throw InputError(key, std::string(value), rule, {reader.file(), reader.line(), column + 1});
}

// Per (cell, budget) accumulator while reading: seed -> (samples, metric values, diverged).
struct RunFinal {
  double order = -kInf;  // checkpoint position (target or samples)
  std::vector<double> values;
  bool diverged = false;
  double clipped = std::numeric_limits<double>::quiet_NaN();  // clipped samples of the run
};
using BudgetAccumulator = std::map<std::uint64_t, RunFinal>;

struct CellAccumulator {
  CellInfo info;
  std::map<std::int64_t, BudgetAccumulator> budgets;
};

void ReadCellsFile(const std::string& path, std::vector<CellAccumulator>& cells,
                   const std::unordered_map<std::string, std::size_t>& index) {
  const std::string text = ReadFileMaybeGzip(path);
  CsvReader reader(text, path);
  const std::vector<std::string> header = ReadHeader(reader, path);
  const int cell_col = RequireColumn(header, folder::kCellColumn, path);
  std::vector<std::string_view> f;
  while (reader.Next(f)) {
    RequireFieldCount(reader, f.size(), header.size());
    const auto it = index.find(std::string(f[static_cast<std::size_t>(cell_col)]));
    if (it == index.end()) continue;  // a cell without results (an unfinished shard): skip
    CellInfo& info = cells[it->second].info;
    info.columns.clear();
    for (std::size_t c = 0; c < header.size(); ++c) {
      info.columns.emplace_back(header[c], std::string(f[c]));
    }
    // The resolved identity, in results_folder::kCellColumns order (config stays in `columns`).
    std::string* const identity[] = {&info.problem, &info.dim,      &info.noise,       &info.p,
                                     &info.method,  &info.schedule, &info.noise_stream};
    for (std::size_t k = 0; k < std::size(identity); ++k) {
      *identity[k] = info.Get(folder::kCellColumns[k]);
    }
  }
}

// resolved.csv (core/resolved_table.hpp) into the budgets of the cells read from results.
void ReadResolvedFile(const std::string& path, std::vector<CellResults>& cells) {
  const std::string text = ReadFileMaybeGzip(path);
  CsvReader reader(text, path);
  const std::vector<std::string> header = ReadHeader(reader, path);
  std::vector<int> col;
  for (std::string_view name : resolved_table::kColumns) {
    col.push_back(RequireColumn(header, std::string(name), path));
  }
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t c = 0; c < cells.size(); ++c) index.emplace(cells[c].info.id, c);
  std::vector<std::string_view> f;
  while (reader.Next(f)) {
    RequireFieldCount(reader, f.size(), header.size());
    const auto field = [&](std::size_t k) { return f[static_cast<std::size_t>(col[k])]; };
    const auto it = index.find(std::string(field(0)));
    if (it == index.end()) continue;
    const auto integer = [&](std::size_t k) {
      std::int64_t v = 0;
      if (!ParseInt64(field(k), v)) BadField(reader, col[k], header, field(k), "an integer");
      return v;
    };
    const auto number = [&](std::size_t k) {
      double v = 0.0;
      if (!ParseDouble(field(k), v, NumberSyntax::kResults))
        BadField(reader, col[k], header, field(k), "a number");
      return v;
    };
    const std::int64_t budget = integer(1);
    for (BudgetRuns& b : cells[it->second].budgets) {
      if (b.budget != budget) continue;
      ResolvedRun& r = b.resolved;
      r.method = std::string(field(2));
      r.prescription = std::string(field(3));
      r.batch_size = integer(4);
      r.accumulation = integer(5);
      r.iterations = integer(6);
      r.samples = integer(7);
      r.eta = number(8);
      r.step_factor = number(9);
      r.batch_factor = number(10);
      r.clip_factor = number(11);
      r.clip_threshold = number(12);
      r.clip_scale = number(13);
      r.clip_power = number(14);
      r.sigma = number(15);
      r.p = number(16);
      r.L = number(17);
      r.delta = number(18);
      r.gradient_bound = number(19);
      r.start_grad_norm = number(20);
      b.has_resolved = true;
    }
  }
}

std::vector<NoiseNorms> ReadNoiseNorms(const std::string& path) {
  std::vector<NoiseNorms> out;
  const std::string text = ReadFileMaybeGzip(path);
  CsvReader reader(text, path);
  const std::vector<std::string> header = ReadHeader(reader, path);
  const int stream_col = RequireColumn(header, folder::kNoiseNormsColumns[0], path);
  const int noise_col = RequireColumn(header, folder::kNoiseNormsColumns[1], path);
  const int dim_col = RequireColumn(header, folder::kNoiseNormsColumns[2], path);
  const int norm_col = RequireColumn(header, folder::kNoiseNormsColumns[3], path);
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::string_view> f;
  while (reader.Next(f)) {
    RequireFieldCount(reader, f.size(), header.size());
    const std::string stream(f[static_cast<std::size_t>(stream_col)]);
    auto [it, inserted] = index.emplace(stream, out.size());
    if (inserted) {
      NoiseNorms n;
      n.noise_stream = stream;
      n.noise = std::string(f[static_cast<std::size_t>(noise_col)]);
      n.dim = std::string(f[static_cast<std::size_t>(dim_col)]);
      out.push_back(std::move(n));
    }
    double x = 0.0;
    if (!ParseDouble(f[static_cast<std::size_t>(norm_col)], x, NumberSyntax::kResults)) {
      BadField(reader, norm_col, header, f[static_cast<std::size_t>(norm_col)], "a number");
    }
    out[it->second].norms.push_back(x);
  }
  return out;
}

// Reads manifest.json, refusing a folder of another schema version (results_folder.hpp), and
// returns what the summary echoes of it.
std::string ReadManifest(const std::string& dir) {
  const std::string path = PathIn(dir, folder::kManifestFile);
  std::ifstream in(path);
  if (!in) {
    throw InputError("no " + std::string(folder::kManifestFile) +
                         ": not a complete sweep folder (`clipsim sweep` and `clipsim merge` write "
                         "it last, once every result is in place)",
                     {path});
  }
  const nlohmann::json m = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded() || !m.is_object()) {
    throw InputError(
        "not a JSON object (a damaged manifest: run `clipsim sweep` on the folder "
        "again to rewrite it)",
        {path});
  }
  const std::string expected = std::to_string(folder::kSchemaVersion);
  const nlohmann::json& version = m.contains("schema_version") ? m["schema_version"] : nullptr;
  if (!version.is_number_integer() || version.get<std::int64_t>() != folder::kSchemaVersion) {
    std::string writer;
    if (m.contains("program") && m["program"].is_object()) {
      const nlohmann::json& p = m["program"];
      if (p.contains("version")) writer += " by clipsim " + p["version"].dump();
      if (p.contains("git_commit")) writer += " at commit " + p["git_commit"].dump();
    }
    throw InputError("schema_version", version.is_null() ? "(missing)" : version.dump(),
                     expected +
                         ", the results-folder format this build reads (the folder was "
                         "written" +
                         (writer.empty() ? std::string(" by another build") : writer) +
                         "; analyze it with that build, or run the sweep again with this one)",
                     {path});
  }
  std::string out;
  const auto add = [&](const std::string& label, const nlohmann::json& v) {
    if (v.is_null()) return;
    if (!out.empty()) out += "; ";
    out += label + " " + (v.is_string() ? v.get<std::string>() : v.dump());
  };
  if (m.contains("program") && m["program"].is_object()) {
    add("clipsim", m["program"].value("version", nlohmann::json()));
    add("commit", m["program"].value("git_commit", nlohmann::json()));
    add("simd", m["program"].value("simd", nlohmann::json()));
  }
  add("config", m.value("config_file", nlohmann::json()));
  add("finished", m.value("finished", nlohmann::json()));
  if (m.contains("counts")) add("counts", m["counts"]);
  return out;
}

}  // namespace

const BudgetRuns* CellResults::Find(std::int64_t budget) const {
  for (const BudgetRuns& b : budgets) {
    if (b.budget == budget) return &b;
  }
  return nullptr;
}

std::string CellInfo::Get(std::string_view column) const {
  for (const auto& [name, value] : columns) {
    if (name == column) return value;
  }
  return "";
}

std::vector<CellTiming> ReadTimings(const std::string& dir) {
  const std::string path = PathIn(dir, folder::kTimingsFile);
  if (!std::filesystem::exists(path)) return {};
  const std::string text = ReadFileMaybeGzip(path);
  CsvReader reader(text, path);
  std::vector<std::string_view> fields;
  if (!reader.Next(fields)) return {};
  const std::vector<std::string> header(fields.begin(), fields.end());
  const int c_cell = RequireColumn(header, folder::kTimingsColumns[0], path);
  const int c_budget = RequireColumn(header, folder::kTimingsColumns[1], path);
  const int c_seed = FindColumn(header, folder::kTimingsColumns[2]);
  const int c_seconds = RequireColumn(header, folder::kTimingsColumns[3], path);
  std::map<std::pair<std::string, std::int64_t>, std::vector<double>> samples;
  std::map<std::pair<std::string, std::int64_t>, std::vector<std::pair<std::uint64_t, double>>>
      by_seed;
  std::vector<std::pair<std::string, std::int64_t>> order;
  while (reader.Next(fields)) {
    RequireFieldCount(reader, fields.size(), header.size());
    const auto field = [&](int c) { return fields[static_cast<std::size_t>(c)]; };
    std::int64_t budget = 0;
    if (!ParseInt64(field(c_budget), budget) || budget <= 0) {
      BadField(reader, c_budget, header, field(c_budget), "a positive integer");
    }
    double s = 0.0;
    if (!ParseDouble(field(c_seconds), s, NumberSyntax::kResults)) {
      BadField(reader, c_seconds, header, field(c_seconds), "a number");
    }
    const auto key = std::make_pair(std::string(field(c_cell)), budget);
    if (!samples.count(key)) order.push_back(key);
    samples[key].push_back(s);
    if (c_seed >= 0) {
      std::uint64_t seed = 0;
      if (!ParseUint64(field(c_seed), seed)) {
        BadField(reader, c_seed, header, field(c_seed), "a non-negative integer");
      }
      by_seed[key].emplace_back(seed, s);
    }
  }
  std::vector<CellTiming> out;
  for (const auto& key : order) {
    const std::vector<double>& v = samples[key];
    CellTiming t{key.first, key.second, stats::Median(v), static_cast<int>(v.size()), {}, {}};
    auto& seeds = by_seed[key];
    std::sort(seeds.begin(), seeds.end());
    for (const auto& [seed, secs] : seeds) {
      t.seeds.push_back(seed);
      t.seconds.push_back(secs);
    }
    out.push_back(std::move(t));
  }
  return out;
}

SweepResults ReadSweepDir(const std::string& dir, const ReadOptions& options) {
  namespace fs = std::filesystem;
  SweepResults out;
  out.dir = dir;
  if (!fs::is_directory(dir)) {
    throw InputError("DIR", dir, "a sweep output folder (written by `clipsim sweep --out DIR`)");
  }
  const std::string plain = PathIn(dir, folder::kResultsFile);
  const std::string gz = PathIn(dir, folder::kResultsFileGzip);
  out.results_file = fs::exists(plain) ? plain : gz;
  if (!fs::exists(out.results_file)) {
    throw InputError("DIR", dir,
                     "a folder holding " + std::string(folder::kResultsFile) + " or " +
                         std::string(folder::kResultsFileGzip) +
                         " (is the sweep complete? `clipsim sweep` writes them when every chunk "
                         "is committed)");
  }
  out.manifest_summary = ReadManifest(dir);
  const std::string text = ReadFileMaybeGzip(out.results_file);
  CsvReader reader(text, out.results_file);
  const std::vector<std::string> header = ReadHeader(reader, out.results_file);
  const int cell_col = RequireColumn(header, folder::kCellColumn, out.results_file);
  const int budget_col = RequireColumn(header, folder::kRunColumns[0], out.results_file);
  const int seed_col = RequireColumn(header, folder::kRunColumns[1], out.results_file);
  // The checkpoint order: `target` (the sweep's checkpoint grid), else `samples`.
  // Columns by name where present (a hand-written folder may hold only some checkpoint columns).
  const auto find = [&](std::string_view name) { return FindColumn(header, name); };
  int order_col = find(folder::kTargetColumn);
  if (order_col < 0) order_col = find(folder::kSamplesColumn);
  const int diverged_col = find(folder::kDivergedColumn);
  // Clipped samples of a run: clipped_fraction x samples at its final checkpoint.
  const int clipped_col = find(folder::kClippedFractionColumn);
  const int samples_col = find(folder::kSamplesColumn);
  for (int c = cell_col + 1; c < budget_col; ++c) {
    out.param_columns.push_back(header[static_cast<std::size_t>(c)]);
  }
  // Metrics: requested ones (each must exist), else every checkpoint column but bookkeeping.
  if (!options.metrics.empty()) {
    for (const std::string& m : options.metrics) {
      if (FindColumn(header, m) <= seed_col) {
        std::string allowed = "a checkpoint column of " + out.results_file + ":";
        for (std::size_t c = static_cast<std::size_t>(seed_col) + 1; c < header.size(); ++c) {
          allowed += " " + header[c];
        }
        throw InputError("--metrics", m, allowed);
      }
      out.metrics.push_back(m);
    }
  } else {
    if (FindColumn(header, options.theorem_metric) > seed_col) {
      out.metrics.push_back(options.theorem_metric);
    }
    for (std::size_t c = static_cast<std::size_t>(seed_col) + 1; c < header.size(); ++c) {
      if (!folder::IsBookkeepingColumn(header[c]) && header[c] != options.theorem_metric) {
        out.metrics.push_back(header[c]);
      }
    }
  }
  std::vector<int> metric_cols;
  for (const std::string& m : out.metrics) metric_cols.push_back(FindColumn(header, m));

  std::vector<CellAccumulator> cells;
  std::unordered_map<std::string, std::size_t> cell_index;
  std::vector<std::string_view> f;
  // Rows come grouped by run, so the last (cell, budget) is cached.
  std::string last_cell;
  std::int64_t last_budget = -1;
  BudgetAccumulator* current = nullptr;
  while (reader.Next(f)) {
    RequireFieldCount(reader, f.size(), header.size());
    ++out.rows;
    const std::string_view cell = f[static_cast<std::size_t>(cell_col)];
    std::int64_t budget = 0;
    if (!ParseInt64(f[static_cast<std::size_t>(budget_col)], budget) || budget <= 0) {
      BadField(reader, budget_col, header, f[static_cast<std::size_t>(budget_col)],
               "a positive integer");
    }
    std::uint64_t seed = 0;
    if (!ParseUint64(f[static_cast<std::size_t>(seed_col)], seed)) {
      BadField(reader, seed_col, header, f[static_cast<std::size_t>(seed_col)],
               "a non-negative integer");
    }
    if (current == nullptr || cell != last_cell || budget != last_budget) {
      auto [it, inserted] = cell_index.emplace(std::string(cell), cells.size());
      if (inserted) {
        CellAccumulator acc;
        acc.info.id = std::string(cell);
        for (int c = cell_col + 1; c < budget_col; ++c) {
          acc.info.params.emplace_back(f[static_cast<std::size_t>(c)]);
          acc.info.columns.emplace_back(header[static_cast<std::size_t>(c)],
                                        std::string(f[static_cast<std::size_t>(c)]));
        }
        cells.push_back(std::move(acc));
      }
      current = &cells[it->second].budgets[budget];
      last_cell = std::string(cell);
      last_budget = budget;
    }
    double order = 0.0;
    if (order_col >= 0 &&
        !ParseDouble(f[static_cast<std::size_t>(order_col)], order, NumberSyntax::kResults)) {
      BadField(reader, order_col, header, f[static_cast<std::size_t>(order_col)], "a number");
    }
    RunFinal& run = (*current)[seed];
    // The final value is the last checkpoint: rows of a run come in ascending samples.
    if (order_col >= 0 && order < run.order) continue;
    run.order = order;
    bool diverged = false;
    if (diverged_col >= 0 && !ParseFlag(f[static_cast<std::size_t>(diverged_col)], diverged)) {
      BadField(reader, diverged_col, header, f[static_cast<std::size_t>(diverged_col)],
               "0, 1, true or false");
    }
    run.values.resize(metric_cols.size());
    for (std::size_t m = 0; m < metric_cols.size(); ++m) {
      const std::string_view v = f[static_cast<std::size_t>(metric_cols[m])];
      double x = 0.0;
      if (!ParseDouble(v, x, NumberSyntax::kResults))
        BadField(reader, metric_cols[m], header, v, "a number");
      if (!std::isfinite(x)) diverged = true;
      run.values[m] = x;
    }
    run.diverged = diverged;
    if (clipped_col >= 0 && samples_col >= 0) {
      double fraction = 0.0, samples = 0.0;
      const std::string_view fv = f[static_cast<std::size_t>(clipped_col)];
      const std::string_view sv = f[static_cast<std::size_t>(samples_col)];
      if (!ParseDouble(fv, fraction, NumberSyntax::kResults))
        BadField(reader, clipped_col, header, fv, "a number");
      if (!ParseDouble(sv, samples, NumberSyntax::kResults))
        BadField(reader, samples_col, header, sv, "a number");
      run.clipped = std::round(fraction * samples);
    }
  }
  if (cells.empty()) {
    throw InputError("no result rows (the header is there, the runs are not)",
                     {out.results_file, reader.line()});
  }

  const std::string cells_path = PathIn(dir, folder::kCellsFile);
  if (fs::exists(cells_path)) ReadCellsFile(cells_path, cells, cell_index);
  const std::string noise_path = PathIn(dir, folder::kNoiseNormsFile);
  if (fs::exists(noise_path)) out.noise = ReadNoiseNorms(noise_path);

  for (CellAccumulator& acc : cells) {
    CellResults cell;
    cell.info = std::move(acc.info);
    for (auto& [budget, runs] : acc.budgets) {
      BudgetRuns b;
      b.budget = budget;
      b.finals.assign(metric_cols.size(), {});
      for (auto& f2 : b.finals) f2.reserve(runs.size());
      for (const auto& [seed, run] : runs) {
        b.seeds.push_back(seed);
        b.clipped_samples.push_back(run.clipped);
        b.diverged += run.diverged ? 1 : 0;
        for (std::size_t m = 0; m < metric_cols.size(); ++m) {
          // Divergence is +infinity in every metric; a NaN is a blow-up too.
          b.finals[m].push_back(run.diverged ? kInf : run.values[m]);
        }
      }
      cell.budgets.push_back(std::move(b));
    }
    out.cells.push_back(std::move(cell));
  }
  const std::string resolved_path = PathIn(dir, resolved_table::kFileName);
  if (fs::exists(resolved_path)) ReadResolvedFile(resolved_path, out.cells);
  return out;
}

std::size_t MetricIndex(const SweepResults& results, const std::string& metric) {
  const auto it = std::find(results.metrics.begin(), results.metrics.end(), metric);
  if (it == results.metrics.end()) {
    throw InputError("metric", metric, "a metric column of " + results.dir);
  }
  return static_cast<std::size_t>(it - results.metrics.begin());
}

}  // namespace clipsim::analysis
