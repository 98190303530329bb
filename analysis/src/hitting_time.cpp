#include "clipsim/analysis/hitting_time.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "clipsim/analysis/csv.hpp"
#include "clipsim/core/hitting_table.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/stats/median.hpp"

namespace clipsim::analysis {

HittingTable ReadHittingTable(const std::string& dir) {
  HittingTable table;
  const std::string path = results_folder::PathIn(dir, hitting_table::kFileName);
  if (!std::filesystem::exists(path)) return table;
  const std::string text = ReadFileMaybeGzip(path);
  CsvReader reader(text, path);
  std::vector<std::string_view> f;
  if (!reader.Next(f)) throw InputError("an empty file (no header)", {path});
  const std::vector<std::string> header(f.begin(), f.end());
  std::vector<int> col;
  for (std::string_view name : hitting_table::kColumns) {
    const int c = FindColumn(header, name);
    if (c < 0) {
      throw InputError("column", std::string(name), "a column of hitting.csv", {path, 1, 0});
    }
    col.push_back(c);
  }
  while (reader.Next(f)) {
    RequireFieldCount(reader, f.size(), header.size());
    const auto field = [&](std::size_t k) { return f[static_cast<std::size_t>(col[k])]; };
    const auto bad = [&](std::size_t k, const char* allowed) {
      throw InputError(header[static_cast<std::size_t>(col[k])], std::string(field(k)), allowed,
                       {path, reader.line(), col[k] + 1});
    };
    std::int64_t budget = 0;
    if (!ParseInt64(field(1), budget) || budget <= 0) bad(1, "a positive integer");
    HittingFacts h;
    double* out[] = {&h.eps, &h.L0, &h.L1, &h.M};
    for (std::size_t k = 2; k < hitting_table::kColumns.size(); ++k) {
      if (!ParseDouble(field(k), *out[k - 2], NumberSyntax::kResults)) bad(k, "a number");
    }
    table[{std::string(field(0)), budget}] = h;
  }
  return table;
}

ReadOptions HittingReadOptions() {
  ReadOptions read;
  read.metrics = {"iterations", "grad_norm"};
  read.theorem_metric = "grad_norm";
  return read;
}

double CellHitting::Median() const {
  std::vector<double> v = times;
  return stats::UpperMedian(v);
}

std::vector<CellHitting> HittingTimes(const SweepResults& results, const HittingTable& table) {
  const std::size_t it = MetricIndex(results, "iterations");
  const std::size_t gn = MetricIndex(results, "grad_norm");
  std::vector<CellHitting> out;
  for (const CellResults& cell : results.cells) {
    if (cell.budgets.empty()) continue;
    const BudgetRuns& runs = cell.budgets.back();
    const auto found = table.find({cell.info.id, runs.budget});
    if (found == table.end() || !(found->second.eps > 0.0)) continue;
    CellHitting h;
    h.cell = &cell;
    h.runs = &runs;
    h.facts = found->second;
    h.limit = runs.has_resolved ? runs.resolved.iterations : runs.budget;
    const std::size_t n = runs.seeds.size();
    h.times.assign(n, std::numeric_limits<double>::infinity());
    for (std::size_t s = 0; s < n; ++s) {
      const double g = runs.finals[gn][s];
      const double t = runs.finals[it][s];
      // Diverged runs read as +inf in every metric: not reached.
      if (std::isfinite(g) && std::isfinite(t) && g <= h.facts.eps) {
        h.times[s] = t;
        ++h.reached;
      }
    }
    out.push_back(std::move(h));
  }
  return out;
}

ClippedGdStep Theorem3Step(double L0, double L1) {
  ClippedGdStep s;
  s.eta = 1.0 / (10.0 * L0);
  s.threshold = L1 > 0.0 ? std::min(1.0 / s.eta, 1.0 / (10.0 * L1 * s.eta)) : 1.0 / s.eta;
  return s;
}

double Theorem3Bound(double L0, double L1, double delta, double eps) {
  return 20.0 * L0 * delta / (eps * eps) + 20.0 * std::max(1.0, L1 * L1) * delta / L0;
}

}  // namespace clipsim::analysis
