// Tuning selection and the evaluation sweep it writes (claims_tuning.hpp).
#include "clipsim/claims/claims_tuning.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/analysis/csv.hpp"
#include "clipsim/analysis/format.hpp"
#include "clipsim/core/file_text.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/core/yaml_input.hpp"
#include "clipsim/stats/median.hpp"

namespace clipsim::claims {

using analysis::Sig;
namespace {

using stats::Median;

using Settings = std::vector<std::pair<std::string, std::string>>;

// `settings` as one flow map ({method: sgd, eta0: 0.1}), the values as the canonical config
// spells them.
void EmitSettings(YAML::Emitter& e, const Settings& settings) {
  e << YAML::Flow << YAML::BeginMap;
  for (const auto& [k, v] : settings) e << YAML::Key << k << YAML::Value << v;
  e << YAML::EndMap;
}

}  // namespace

namespace {

// Every cell of the tuning sweep with its score (median of metric m) at one budget.
std::vector<TuningCandidate> Candidates(const analysis::SweepResults& tuning, std::size_t m,
                                        std::int64_t budget) {
  std::vector<TuningCandidate> out;
  for (const analysis::CellResults& cell : tuning.cells) {
    TuningCandidate c;
    c.cell = cell.info.id;
    c.method = cell.info.Get("method");
    if (c.method.empty()) c.method = cell.info.Get("optimizer.method");
    for (std::size_t k = 0; k < tuning.param_columns.size(); ++k) {
      const std::string& col = tuning.param_columns[k];
      if (col.rfind("optimizer", 0) == 0 || col.rfind("schedule", 0) == 0) {
        if (!cell.info.params[k].empty()) {
          c.label += (c.label.empty() ? "" : ", ") + col + "=" + cell.info.params[k];
          c.params.emplace_back(col, cell.info.params[k]);
        }
      }
    }
    const analysis::BudgetRuns* b = cell.Find(budget);
    if (b == nullptr) {
      c.score = std::numeric_limits<double>::infinity();
    } else {
      c.score = Median(b->finals[m]);
      c.seeds = static_cast<int>(b->seeds.size());
      c.diverged = b->diverged;
    }
    out.push_back(std::move(c));
  }
  return out;
}

// The best candidate of one method at one budget, with its grid edges and config keys.
TuningChoice Choose(const analysis::SweepResults& tuning,
                    const std::vector<TuningCandidate>& candidates, const std::string& method,
                    std::int64_t budget) {
  TuningChoice choice;
  choice.budget = budget;
  const TuningCandidate* best = nullptr;
  for (const TuningCandidate& c : candidates) {
    if (c.method != method) continue;
    ++choice.candidates;
    if (best == nullptr || c.score < best->score) best = &c;
  }
  choice.best = *best;
  // Grid edges: a numeric tuned column at the method's smallest or largest value tried.
  for (const auto& [col, value] : best->params) {
    double v = 0.0, lo = 0.0, hi = 0.0;
    if (!ParseDouble(value, v, NumberSyntax::kFinite)) continue;
    bool first = true;
    for (const TuningCandidate& c : candidates) {
      if (c.method != method) continue;
      for (const auto& [ccol, cvalue] : c.params) {
        double x = 0.0;
        if (ccol != col || !ParseDouble(cvalue, x, NumberSyntax::kFinite)) continue;
        lo = first ? x : std::min(lo, x);
        hi = first ? x : std::max(hi, x);
        first = false;
      }
    }
    if (first || lo == hi) continue;  // not tuned for this method
    if (v == lo) choice.on_edge.push_back(col + " at the grid's minimum");
    if (v == hi) choice.on_edge.push_back(col + " at the grid's maximum");
  }
  const analysis::CellResults* cell = nullptr;
  for (const analysis::CellResults& c : tuning.cells) {
    if (c.info.id == best->cell) cell = &c;
  }
  const std::string config = cell->info.Get(results_folder::kConfigColumn);
  if (config.empty()) {
    throw InputError("config", "", "a config column in " + tuning.dir + "/cells.csv");
  }
  for (const auto& [key, value] : results_folder::SplitConfigText(config)) {
    if (value == "p" || value == "sigma" || value == "theory") continue;
    if (key.rfind("optimizer.", 0) == 0) choice.optimizer.emplace_back(key.substr(10), value);
    if (key.rfind("schedule.", 0) == 0) choice.schedule.emplace_back(key.substr(9), value);
  }
  // method first: it decides which keys the optimizer takes.
  std::stable_partition(choice.optimizer.begin(), choice.optimizer.end(),
                        [](const auto& kv) { return kv.first == "method"; });
  std::stable_partition(choice.schedule.begin(), choice.schedule.end(),
                        [](const auto& kv) { return kv.first == "kind"; });
  return choice;
}

}  // namespace

TuningResult ChooseTuned(const analysis::SweepResults& tuning, const std::string& metric) {
  const auto it = std::find(tuning.metrics.begin(), tuning.metrics.end(), metric);
  if (it == tuning.metrics.end()) {
    throw InputError("--metric", metric, "a metric column of " + tuning.dir);
  }
  const std::size_t m = static_cast<std::size_t>(it - tuning.metrics.begin());
  TuningResult out;
  out.metric = metric;
  std::vector<std::int64_t> budgets;
  for (const analysis::CellResults& cell : tuning.cells) {
    for (const analysis::BudgetRuns& b : cell.budgets) {
      if (std::find(budgets.begin(), budgets.end(), b.budget) == budgets.end()) {
        budgets.push_back(b.budget);
      }
    }
  }
  std::sort(budgets.begin(), budgets.end());
  if (!budgets.empty()) out.budget = budgets.back();
  out.candidates = Candidates(tuning, m, out.budget);
  std::vector<std::string> methods;
  for (const TuningCandidate& c : out.candidates) {
    if (std::find(methods.begin(), methods.end(), c.method) == methods.end()) {
      methods.push_back(c.method);
    }
  }
  for (std::int64_t budget : budgets) {
    const std::vector<TuningCandidate> at = Candidates(tuning, m, budget);
    for (const std::string& method : methods)
      out.per_budget.push_back(Choose(tuning, at, method, budget));
  }
  for (const TuningChoice& c : out.per_budget) {
    if (c.budget == out.budget) out.choices.push_back(c);
  }
  return out;
}

std::string EvaluationConfig(const std::string& template_text, const std::string& template_path,
                             const TuningResult& tuning) {
  const YAML::Node tmpl = yaml::Parse(template_text, template_path);
  if (tmpl.IsMap()) {
    for (const auto& kv : tmpl) {
      const std::string key = yaml::KeyText(kv.first, template_path);
      if (key == "optimizer" || key == "schedule" || key == "zip") {
        throw InputError(key, "", "not set in the template (the tuning fills it)",
                         yaml::Where(template_path, kv.first));
      }
    }
  }
  // The largest budget's choices first (so a one-budget tuning writes what it always wrote), then
  // the settings tuned for the other budgets that differ from every one written.
  std::vector<const TuningChoice*> order;
  for (const TuningChoice& c : tuning.choices) order.push_back(&c);
  for (const TuningChoice& c : tuning.per_budget) {
    if (c.budget != tuning.budget) order.push_back(&c);
  }
  std::vector<std::pair<Settings, Settings>> written;
  for (const TuningChoice* c : order) {
    const std::pair<Settings, Settings> setting(c->optimizer, c->schedule);
    if (std::find(written.begin(), written.end(), setting) == written.end()) {
      written.push_back(setting);
    }
  }
  YAML::Emitter e;
  e << YAML::BeginMap;
  e << YAML::Key << "optimizer" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& w : written) EmitSettings(e, w.first);
  e << YAML::EndSeq;
  e << YAML::Key << "schedule" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& w : written) EmitSettings(e, w.second);
  e << YAML::EndSeq;
  e << YAML::Key << "zip" << YAML::Value << YAML::Flow << YAML::BeginSeq << YAML::Flow
    << YAML::BeginSeq << "optimizer"
    << "schedule" << YAML::EndSeq << YAML::EndSeq;
  e << YAML::EndMap;

  std::string out = template_text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  out +=
      "# Filled in by `clipsim tune`: per method and budget the setting with the smallest "
      "median " +
      tuning.metric + " on the tuning seeds (every distinct one, the largest budget's first).\n";
  return out + e.c_str() + "\n";
}

std::string TuningMarkdown(const TuningResult& tuning, const std::string& tuning_dir) {
  std::string md = "Tuning (sweep `" + tuning_dir + "`): score = median of " + tuning.metric +
                   " over the tuning seeds at N=" + std::to_string(tuning.budget) +
                   " (diverged = inf); the smallest score per method is chosen.\n\n";
  md +=
      "| method | chosen setting | score | candidates | grid edge |\n| --- | --- | --- | --- | --- "
      "|\n";
  bool any_edge = false;
  for (const TuningChoice& c : tuning.choices) {
    std::string edge;
    for (const std::string& e : c.on_edge) edge += (edge.empty() ? "" : "; ") + e;
    any_edge = any_edge || !edge.empty();
    md += "| " + c.best.method + " | " + c.best.label + " | " + Sig(c.best.score, 4) + " | " +
          std::to_string(c.candidates) + " | " + (edge.empty() ? "no" : edge) + " |\n";
  }
  if (tuning.per_budget.size() > tuning.choices.size()) {
    md +=
        "\nTuned for each budget (the evaluation compares, at each budget, the settings tuned "
        "for it):\n\n| method | budget | chosen setting | score | grid edge |\n| --- | --- | --- "
        "| --- | --- |\n";
    for (const TuningChoice& c : tuning.per_budget) {
      std::string edge;
      for (const std::string& e : c.on_edge) edge += (edge.empty() ? "" : "; ") + e;
      any_edge = any_edge || !edge.empty();
      md += "| " + c.best.method + " | " + std::to_string(c.budget) + " | " + c.best.label + " | " +
            Sig(c.best.score, 4) + " | " + (edge.empty() ? "no" : edge) + " |\n";
    }
  }
  if (any_edge) {
    md +=
        "\nWarning: a chosen value sits on the edge of its grid, so that method's optimum may lie "
        "outside the grid and the comparison may favour the others.\n";
  }
  md +=
      "\n<details><summary>Every candidate</summary>\n\n| method | setting | score | seeds | "
      "diverged |\n| --- | --- | --- | --- | --- |\n";
  for (const TuningCandidate& c : tuning.candidates) {
    md += "| " + c.method + " | " + c.label + " | " + Sig(c.score, 4) + " | " +
          std::to_string(c.seeds) + " | " + std::to_string(c.diverged) + " |\n";
  }
  md += "\n</details>\n";
  return md;
}

std::string TunedTableCsv(const TuningResult& tuning) {
  analysis::CsvWriter csv({"method", "budget", "settings"});
  for (const TuningChoice& c : tuning.per_budget) {
    std::string settings;
    for (const auto& [k, v] : c.optimizer)
      settings += (settings.empty() ? "" : ";") + ("optimizer." + k + "=" + v);
    for (const auto& [k, v] : c.schedule)
      settings += (settings.empty() ? "" : ";") + ("schedule." + k + "=" + v);
    csv.Row({c.best.method, std::to_string(c.budget), settings});
  }
  return csv.text();
}

std::vector<TunedEntry> ReadTunedTable(const std::string& path) {
  const std::string text = ReadFileText(path, "tuned table");
  analysis::CsvReader reader(text, path);
  std::vector<std::string_view> f;
  if (!reader.Next(f)) throw InputError("the file is empty (no header)", {path, 1, 0});
  const std::vector<std::string> header(f.begin(), f.end());
  const int c_method = analysis::FindColumn(header, "method");
  const int c_budget = analysis::FindColumn(header, "budget");
  const int c_settings = analysis::FindColumn(header, "settings");
  if (c_method < 0 || c_budget < 0 || c_settings < 0) {
    throw InputError("header", "", "method, budget and settings columns", {path, 1, 0});
  }
  std::vector<TunedEntry> out;
  while (reader.Next(f)) {
    analysis::RequireFieldCount(reader, f.size(), header.size());
    TunedEntry e;
    e.method = std::string(f[static_cast<std::size_t>(c_method)]);
    if (!ParseInt64(f[static_cast<std::size_t>(c_budget)], e.budget) || e.budget < 1) {
      throw InputError("budget", std::string(f[static_cast<std::size_t>(c_budget)]),
                       "a positive integer", {path, reader.line(), c_budget + 1});
    }
    e.settings =
        results_folder::SplitConfigText(std::string(f[static_cast<std::size_t>(c_settings)]));
    out.push_back(std::move(e));
  }
  return out;
}

bool ConfigHasSettings(const std::string& config,
                       const std::vector<std::pair<std::string, std::string>>& settings) {
  const std::vector<std::pair<std::string, std::string>> have =
      results_folder::SplitConfigText(config);
  for (const auto& s : settings) {
    if (std::find(have.begin(), have.end(), s) == have.end()) return false;
  }
  return true;
}

}  // namespace clipsim::claims
