// Tuning selection and the evaluation sweep it writes (claims_tuning.hpp).
#include "clipsim/analysis/claims_tuning.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "detail/format.hpp"

namespace clipsim::analysis {
namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// "a=1;b=kind=x,y=2" -> {(a, 1), (b, kind=x,y=2)}: values hold ',' and '=' but never ';'.
std::vector<std::pair<std::string, std::string>> SplitConfig(const std::string& config) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start <= config.size()) {
    std::size_t end = config.find(';', start);
    if (end == std::string::npos) end = config.size();
    const std::string item = config.substr(start, end - start);
    const std::size_t eq = item.find('=');
    if (eq != std::string::npos) out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

bool ParseNumber(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

std::string YamlMap(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string s = "{";
  for (std::size_t i = 0; i < kv.size(); ++i) {
    s += (i ? ", " : "") + kv[i].first + ": " + kv[i].second;
  }
  return s + "}";
}

}  // namespace

TuningResult ChooseTuned(const SweepResults& tuning, const std::string& metric) {
  const auto it = std::find(tuning.metrics.begin(), tuning.metrics.end(), metric);
  if (it == tuning.metrics.end()) {
    throw InputError("--metric", metric, "a metric column of " + tuning.dir);
  }
  const std::size_t m = static_cast<std::size_t>(it - tuning.metrics.begin());
  TuningResult out;
  out.metric = metric;
  for (const CellResults& cell : tuning.cells) {
    if (!cell.budgets.empty()) out.budget = std::max(out.budget, cell.budgets.back().budget);
  }
  std::vector<std::string> methods;
  for (const CellResults& cell : tuning.cells) {
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
    const BudgetRuns* b = nullptr;
    for (const BudgetRuns& r : cell.budgets) {
      if (r.budget == out.budget) b = &r;
    }
    if (b == nullptr) {
      c.score = std::numeric_limits<double>::infinity();
    } else {
      c.score = Median(b->finals[m]);
      c.seeds = static_cast<int>(b->seeds.size());
      c.diverged = b->diverged;
    }
    if (std::find(methods.begin(), methods.end(), c.method) == methods.end()) {
      methods.push_back(c.method);
    }
    out.candidates.push_back(std::move(c));
  }
  for (const std::string& method : methods) {
    TuningChoice choice;
    const TuningCandidate* best = nullptr;
    for (const TuningCandidate& c : out.candidates) {
      if (c.method != method) continue;
      ++choice.candidates;
      if (best == nullptr || c.score < best->score) best = &c;
    }
    choice.best = *best;
    // Grid edges: a numeric tuned column at the method's smallest or largest value tried.
    for (const auto& [col, value] : best->params) {
      double v = 0.0, lo = 0.0, hi = 0.0;
      if (!ParseNumber(value, v)) continue;
      bool first = true;
      for (const TuningCandidate& c : out.candidates) {
        if (c.method != method) continue;
        for (const auto& [ccol, cvalue] : c.params) {
          double x = 0.0;
          if (ccol != col || !ParseNumber(cvalue, x)) continue;
          lo = first ? x : std::min(lo, x);
          hi = first ? x : std::max(hi, x);
          first = false;
        }
      }
      if (first || lo == hi) continue;  // not tuned for this method
      if (v == lo) choice.on_edge.push_back(col + " at the grid's minimum");
      if (v == hi) choice.on_edge.push_back(col + " at the grid's maximum");
    }
    const CellResults* cell = nullptr;
    for (const CellResults& c : tuning.cells) {
      if (c.info.id == best->cell) cell = &c;
    }
    const std::string config = cell->info.Get("config");
    if (config.empty()) {
      throw InputError("config", "", "a config column in " + tuning.dir + "/cells.csv");
    }
    for (const auto& [key, value] : SplitConfig(config)) {
      if (value == "p" || value == "sigma" || value == "theory") continue;
      if (key.rfind("optimizer.", 0) == 0) choice.optimizer.emplace_back(key.substr(10), value);
      if (key.rfind("schedule.", 0) == 0) choice.schedule.emplace_back(key.substr(9), value);
    }
    // method first: it decides which keys the optimizer takes.
    std::stable_partition(choice.optimizer.begin(), choice.optimizer.end(),
                          [](const auto& kv) { return kv.first == "method"; });
    std::stable_partition(choice.schedule.begin(), choice.schedule.end(),
                          [](const auto& kv) { return kv.first == "kind"; });
    out.choices.push_back(std::move(choice));
  }
  return out;
}

std::string EvaluationConfig(const std::string& template_text, const std::string& template_path,
                             const TuningResult& tuning) {
  std::size_t line_no = 0;
  std::size_t start = 0;
  while (start < template_text.size()) {
    std::size_t end = template_text.find('\n', start);
    if (end == std::string::npos) end = template_text.size();
    const std::string line = template_text.substr(start, end - start);
    ++line_no;
    for (const char* key : {"optimizer:", "schedule:", "zip:"}) {
      if (line.rfind(key, 0) == 0) {
        throw InputError(std::string(key).substr(0, std::string(key).size() - 1), "",
                         "not set in the template (the tuning fills it)",
                         {template_path, static_cast<int>(line_no), 1});
      }
    }
    start = end + 1;
  }
  std::string out = template_text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += "# Filled in by `clipsim tune`: per method the setting with the smallest median " +
         tuning.metric + " at N=" + std::to_string(tuning.budget) + " on the tuning seeds.\n";
  std::string opt, sched;
  for (std::size_t i = 0; i < tuning.choices.size(); ++i) {
    opt += (i ? ", " : "") + YamlMap(tuning.choices[i].optimizer);
    sched += (i ? ", " : "") + YamlMap(tuning.choices[i].schedule);
  }
  out += "optimizer: [" + opt + "]\n";
  out += "schedule: [" + sched + "]\n";
  out += "zip: [[optimizer, schedule]]\n";
  return out;
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
    md += "| " + c.best.method + " | " + c.best.label + " | " + detail::Sig(c.best.score, 4) +
          " | " + std::to_string(c.candidates) + " | " + (edge.empty() ? "no" : edge) + " |\n";
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
    md += "| " + c.method + " | " + c.label + " | " + detail::Sig(c.score, 4) + " | " +
          std::to_string(c.seeds) + " | " + std::to_string(c.diverged) + " |\n";
  }
  md += "\n</details>\n";
  return md;
}

}  // namespace clipsim::analysis
