#include "clipsim/analysis/ode_agreement.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "clipsim/analysis/csv.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/dynamics/run_ode.hpp"
#include "clipsim/dynamics/streaming_lsq.hpp"
#include "clipsim/stats/median.hpp"
#include "clipsim/stats/quantile_ci.hpp"

namespace clipsim::analysis {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The entries of cells.csv's `config` column (results_folder.hpp's grammar) by key.
std::map<std::string, std::string> ConfigKeys(const std::string& config) {
  std::map<std::string, std::string> kv;
  for (auto& [key, value] : results_folder::SplitConfigText(config)) kv[key] = std::move(value);
  return kv;
}

double Number(const std::map<std::string, std::string>& kv, const std::string& key,
              double fallback) {
  const auto it = kv.find(key);
  double v = fallback;
  if (it != kv.end() && !ParseDouble(it->second, v, NumberSyntax::kResults)) v = fallback;
  return v;
}

// Type-1 empirical quantile (stats/quantile_ci.hpp's point estimate).
double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(stats::QuantileRank(static_cast<int>(v.size()), q) - 1)];
}

// Per (cell, budget): seed -> (samples -> value).
using RunValues = std::map<std::uint64_t, std::map<std::int64_t, double>>;

void Predict(OdeCurve& curve, const BudgetRuns& runs, const OdeVariant& variant) {
  const std::map<std::string, std::string> kv =
      ConfigKeys(curve.cell->info.Get(results_folder::kConfigColumn));
  if (!runs.has_resolved) {
    curve.why = "resolved.csv has no row for this cell and budget";
    return;
  }
  dynamics::RunDescription d;
  d.problem = kv.count("problem") ? kv.at("problem") : "";
  d.noise = kv.count("noise") ? kv.at("noise") : "none";
  d.method = variant.unclipped ? "sgd" : runs.resolved.method;
  d.schedule = kv.count("schedule.kind") ? kv.at("schedule.kind") : "";
  d.eta = runs.resolved.eta;
  d.batch_size = runs.resolved.batch_size;
  d.accumulation = runs.resolved.accumulation;
  d.momentum = Number(kv, "optimizer.momentum", 0.0);
  d.clip_threshold = runs.resolved.clip_threshold;
  d.clip_ratio = Number(kv, "optimizer.clip_ratio", std::numeric_limits<double>::quiet_NaN());
  try {
    dynamics::RiskOde ode = dynamics::RunRiskOde(d);
    ode.mu_factor = variant.mu_factor;
    ode.nu_factor = variant.nu_factor;
    const dynamics::RiskPrediction p = dynamics::SolveRiskOde(ode, curve.samples);
    curve.predicted = p.risk;
    curve.ccc = p.ccc;
  } catch (const InputError& e) {
    curve.why = e.what();
  }
}

}  // namespace

std::string OdeVariant::Describe() const {
  if (unclipped) return "the unclipped SGD ODE (mu = 1, nu = 2R + E eps^2)";
  if (mu_factor == 1.0 && nu_factor == 1.0) return "the deterministic equivalent";
  return "the ODE with mu x " + ShortestText(mu_factor) + " and nu x " + ShortestText(nu_factor);
}

std::vector<OdeCurve> OdeCurves(const SweepResults& results, const std::string& metric,
                                const OdeVariant& variant) {
  std::vector<OdeCurve> curves;
  std::unordered_map<std::string, std::size_t> streaming;  // cell id -> index in results.cells
  for (std::size_t c = 0; c < results.cells.size(); ++c) {
    const std::string problem =
        ConfigKeys(results.cells[c].info.Get(results_folder::kConfigColumn))["problem"];
    if (dynamics::StreamingLsqFromText(problem)) streaming.emplace(results.cells[c].info.id, c);
  }
  if (streaming.empty()) return curves;

  const std::string& path = results.results_file;
  const std::string text = ReadFileMaybeGzip(path);
  CsvReader reader(text, path);
  std::vector<std::string_view> f;
  if (!reader.Next(f)) throw InputError("the file is empty (no header)", {path, 1, 0});
  const std::vector<std::string> header(f.begin(), f.end());
  const auto column = [&](const std::string& name) {
    const int c = FindColumn(header, name);
    if (c < 0)
      throw InputError("header of " + path, name, "a column named '" + name + "'", {path, 1});
    return static_cast<std::size_t>(c);
  };
  const std::size_t c_cell = column("cell");
  const std::size_t c_budget = column("budget");
  const std::size_t c_seed = column("seed");
  const std::size_t c_samples = column("samples");
  const std::size_t c_metric = column(metric);
  const int c_diverged = FindColumn(header, "diverged");
  std::map<std::pair<std::size_t, std::int64_t>, RunValues> runs;
  while (reader.Next(f)) {
    RequireFieldCount(reader, f.size(), header.size());
    const auto it = streaming.find(std::string(f[c_cell]));
    if (it == streaming.end()) continue;
    std::int64_t budget = 0;
    std::int64_t samples = 0;
    std::uint64_t seed = 0;
    double value = 0.0;
    bool diverged = false;
    if (!ParseInt64(f[c_budget], budget) || !ParseUint64(f[c_seed], seed) ||
        !ParseInt64(f[c_samples], samples) ||
        !ParseDouble(f[c_metric], value, NumberSyntax::kResults) ||
        (c_diverged >= 0 && !ParseFlag(f[static_cast<std::size_t>(c_diverged)], diverged))) {
      throw InputError("a row of " + path, "", "numbers in budget, seed, samples and " + metric,
                       {path, reader.line(), 0});
    }
    if (diverged || !std::isfinite(value)) value = kInf;
    runs[{it->second, budget}][seed][samples] = value;
  }

  for (const auto& [key, seeds] : runs) {
    const CellResults& cell = results.cells[key.first];
    const BudgetRuns* budget_runs = cell.Find(key.second);
    if (budget_runs == nullptr || seeds.empty()) continue;
    OdeCurve curve;
    curve.cell = &cell;
    curve.budget = key.second;
    std::int64_t dim = 0;
    curve.dim =
        ParseInt64(cell.info.dim, dim) && dim > 0 && dim <= (1 << 30) ? static_cast<int>(dim) : 0;
    // The checkpoints every seed has (the same for every run of a budget).
    for (const auto& [s, v] : seeds.begin()->second) {
      bool common = true;
      for (const auto& [seed, values] : seeds) common = common && values.count(s) > 0;
      if (common) curve.samples.push_back(static_cast<double>(s));
    }
    curve.values.assign(curve.samples.size(), {});
    for (std::size_t j = 0; j < curve.samples.size(); ++j) {
      const auto s = static_cast<std::int64_t>(curve.samples[j]);
      for (const auto& [seed, values] : seeds) curve.values[j].push_back(values.at(s));
      double sum = 0.0;
      for (double v : curve.values[j]) sum += v;
      curve.mean.push_back(sum / static_cast<double>(curve.values[j].size()));
      curve.q10.push_back(Quantile(curve.values[j], 0.1));
      curve.q90.push_back(Quantile(curve.values[j], 0.9));
    }
    curve.clipped_median = stats::Median(budget_runs->clipped_samples);
    Predict(curve, *budget_runs, variant);
    curves.push_back(std::move(curve));
  }
  return curves;  // `runs` is ordered by (cell index, budget): results order
}

double MaxRelativeError(const OdeCurve& curve, double horizon, Rng* rng) {
  if (curve.predicted.size() != curve.samples.size() || curve.values.empty()) return kInf;
  const std::size_t n = curve.values.front().size();
  std::vector<std::size_t> pick(n);
  for (std::size_t s = 0; s < n; ++s) pick[s] = s;
  if (rng != nullptr) {
    boost::random::uniform_int_distribution<std::size_t> draw(0, n - 1);
    for (std::size_t& s : pick) s = draw(*rng);
  }
  double worst = 0.0;
  for (std::size_t j = 0; j < curve.samples.size(); ++j) {
    const double k = curve.samples[j];
    if (!(k > 0.0) || (horizon > 0.0 && k > horizon * curve.dim)) continue;
    double sum = 0.0;
    for (std::size_t s : pick) sum += curve.values[j][s];
    const double mean = sum / static_cast<double>(n);
    const double p = curve.predicted[j];
    if (!std::isfinite(p) || !std::isfinite(mean) || !(p > 0.0)) return kInf;
    worst = std::max(worst, std::abs(mean - p) / p);
  }
  return worst;
}

std::string OdeSettingKey(const SweepResults& results, const CellResults& cell) {
  std::string key;
  for (std::size_t c = 0; c < results.param_columns.size(); ++c) {
    if (results.param_columns[c] == "problem.dim") continue;
    key += results.param_columns[c] + "=" + cell.info.params[c] + ";";
  }
  return key;
}

}  // namespace clipsim::analysis
