#include "clipsim/analysis/sweep_analysis.hpp"

#include <algorithm>
#include <atomic>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <thread>

#include "clipsim/analysis/csv.hpp"
#include "clipsim/analysis/format.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/stats/tail_index.hpp"
#include "clipsim/theory/registry.hpp"
#include "tail_adapter.hpp"
#include "theory_adapter.hpp"

namespace clipsim::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool IsMethodColumn(const std::string& column) {
  return column == "optimizer" || column.rfind("optimizer.", 0) == 0 || column == "schedule" ||
         column.rfind("schedule.", 0) == 0 || column == "method";
}

std::string LastPathPart(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

// Method label: the method, then the other optimizer and schedule axes that are set
// ("sgd, polynomial schedule, eta0=0.05"); empty values (keys a cell does not use) are left out.
std::string MethodLabel(const CellInfo& info, const std::vector<std::string>& columns) {
  std::string method;
  std::vector<std::string> parts;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (!IsMethodColumn(columns[c]) || info.params[c].empty()) continue;
    const std::string part = LastPathPart(columns[c]);
    if (part == "method") {
      method = info.params[c];
    } else if (columns[c] == "schedule.kind") {
      parts.push_back(info.params[c] + " schedule");
    } else {
      parts.push_back(part + "=" + info.params[c]);
    }
  }
  if (method.empty()) method = detail::CellMethod(info);
  std::string label = method.empty() ? info.id : method;
  for (const std::string& p : parts) {
    label += ", ";
    label += p;
  }
  return label;
}

// Setting: every other axis, plus the resolved problem and noise (cells of one figure).
std::string SettingKey(const CellInfo& info, const std::vector<std::string>& columns) {
  std::string key;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (IsMethodColumn(columns[c])) continue;
    if (!key.empty()) key += ", ";
    key += columns[c] + "=" + info.params[c];
  }
  if (!info.problem.empty()) key = "problem " + info.problem + (key.empty() ? "" : "; " + key);
  if (!info.noise.empty()) key += std::string(key.empty() ? "" : "; ") + "noise " + info.noise;
  return key;
}

// The largest value a metric can take on a problem with sup ||grad f|| = G: the gradient norms
// and their path averages lie in [0, G], the mean square in [0, G^2]; +infinity for the others.
double MetricUpperBound(const std::string& metric, double G) {
  if (metric == "grad_norm" || metric == "mean_grad_norm" || metric == "grad_norm_at_R" ||
      metric == "min_grad_norm") {
    return G;
  }
  if (metric == "mean_sq_grad_norm") return G * G;
  return std::numeric_limits<double>::infinity();
}

MetricAnalysis AnalyzeCellMetric(const CellResults& cell, std::size_t metric_index,
                                 const std::string& metric, const AnalysisOptions& options,
                                 const CellRegime& regime) {
  MetricAnalysis out;
  out.metric = metric;
  const std::size_t budgets = cell.budgets.size();
  std::vector<std::vector<double>> samples(budgets);
  bool joint = true;
  int min_n = std::numeric_limits<int>::max();
  for (std::size_t j = 0; j < budgets; ++j) {
    samples[j] = cell.budgets[j].finals[metric_index];
    joint = joint && cell.budgets[j].seeds == cell.budgets[0].seeds;
    min_n = std::min(min_n, static_cast<int>(samples[j].size()));
  }
  std::vector<stats::Statistic> stats = {stats::Statistic::Mean(),
                                         stats::Statistic::MedianOfMeans()};
  for (double d : options.deltas) stats.push_back(stats::Statistic::QuantileAtDelta(d));
  const int mom_blocks = stats::MedianOfMeansBlocks(min_n, options.mom_failure);
  Rng rng = MakeRng({options.bootstrap_seed, StableHash(cell.info.id), StableHash(metric)});
  const stats::BootstrapReplicates reps = stats::BootstrapOverSeeds(
      samples, joint, stats, {options.bootstrap_resamples, mom_blocks}, rng);

  for (std::size_t j = 0; j < budgets; ++j) {
    const std::vector<double>& v = samples[j];
    BudgetSummary s;
    s.budget = cell.budgets[j].budget;
    s.n = static_cast<int>(v.size());
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    for (double x : v) s.diverged += std::isinf(x) ? 1 : 0;
    s.diverged_fraction = static_cast<double>(s.diverged) / s.n;
    s.mean = stats::EvaluateStatistic(stats::Statistic::Mean(), v, mom_blocks);
    s.mean_ci = stats::PercentileBounds(reps.Column(0, static_cast<int>(j)), options.confidence);
    s.tail = detail::HillTailIndex(v, options.confidence);
    const double G = cell.budgets[j].has_resolved ? cell.budgets[j].resolved.gradient_bound
                                                  : std::numeric_limits<double>::infinity();
    if (s.diverged > 0) {
      s.mean_status = MeanStatus::kInfinite;
    } else if (std::isfinite(MetricUpperBound(metric, G))) {
      // A bounded metric has every moment: the bootstrap of its mean is valid by construction.
      s.mean_status = MeanStatus::kBounded;
    } else if (!s.tail.ok) {
      s.mean_status = MeanStatus::kUnchecked;
    } else {
      // Finite variance must be shown, not merely not refuted: an interval reaching below 2
      // (which includes every estimate below 2) leaves the bootstrap of the mean unsupported.
      s.mean_status = s.tail.lower < 2.0 ? MeanStatus::kUnreliable : MeanStatus::kReliable;
    }
    s.mom = stats::MedianOfMeansWithCi(v, mom_blocks, options.confidence);
    for (double d : options.deltas) {
      s.quantiles.push_back(stats::QuantileWithCi(sorted, 1.0 - d, options.confidence));
    }
    out.budgets.push_back(std::move(s));
  }

  // Rates: log(statistic) against log(N).
  std::vector<double> x(budgets);
  std::vector<std::string> labels(budgets);
  for (std::size_t j = 0; j < budgets; ++j) {
    x[j] = std::log(static_cast<double>(cell.budgets[j].budget));
    labels[j] = "N=" + std::to_string(cell.budgets[j].budget);
  }
  for (std::size_t s = 0; s < stats.size(); ++s) {
    RateResult r;
    r.statistic = stats[s];
    std::vector<double> y(budgets);
    std::string unsupported;
    for (std::size_t j = 0; j < budgets; ++j) {
      const BudgetSummary& b = out.budgets[j];
      switch (stats[s].kind) {
        case stats::StatisticKind::kMean:
          y[j] = b.mean;
          break;
        case stats::StatisticKind::kMedianOfMeans:
          y[j] = b.mom.estimate;
          break;
        case stats::StatisticKind::kQuantile: {
          const stats::QuantileEstimate& q = b.quantiles[s - 2];
          y[j] = q.estimate;
          if (q.status != stats::IntervalStatus::kOk && unsupported.empty())
            unsupported = labels[j];
          break;
        }
      }
    }
    if (!unsupported.empty()) {
      r.fit.reason = "not enough seeds at " + unsupported;
    } else if (budgets < 2) {
      r.fit.reason = "one budget only";
    } else {
      r.fit = stats::FitLogLine(
          x, y, [&](int b, int j) { return reps.at(b, static_cast<int>(s), j); },
          options.bootstrap_resamples, options.confidence, labels);
    }
    // The verdict's fit: the testable budgets of a theory cell, every budget otherwise.
    if (regime.applicable) {
      const std::vector<std::size_t> use = regime.TestableIndices();
      for (std::size_t j : use) r.test_budgets.push_back(cell.budgets[j].budget);
      if (!regime.rate_testable) {
        r.test_fit.reason = "not testable: " + regime.rate_reason;
      } else if (!unsupported.empty()) {
        r.test_fit.reason = r.fit.reason;
      } else {
        std::vector<double> xs, ys;
        std::vector<std::string> ls;
        for (std::size_t j : use) {
          xs.push_back(x[j]);
          ys.push_back(y[j]);
          ls.push_back(labels[j]);
        }
        r.test_fit = stats::FitLogLine(
            xs, ys,
            [&](int b, int i) {
              return reps.at(b, static_cast<int>(s),
                             static_cast<int>(use[static_cast<std::size_t>(i)]));
            },
            options.bootstrap_resamples, options.confidence, ls);
      }
    } else {
      r.test_fit = r.fit;
      for (const BudgetRuns& b : cell.budgets) r.test_budgets.push_back(b.budget);
    }
    if (stats[s].kind == stats::StatisticKind::kMean) {
      // The slope's bootstrap interval needs what the mean's own interval needs, at the budgets
      // the verdict uses.
      const auto bad = std::find_if(out.budgets.begin(), out.budgets.end(), [&](const auto& b) {
        const bool used = std::find(r.test_budgets.begin(), r.test_budgets.end(), b.budget) !=
                          r.test_budgets.end();
        return used && b.mean_status != MeanStatus::kReliable &&
               b.mean_status != MeanStatus::kBounded;
      });
      if (bad != out.budgets.end()) {
        r.note = "mean " + std::string(ToString(bad->mean_status)) +
                 " at N=" + std::to_string(bad->budget) + ": see median-of-means and quantiles";
      }
    }
    out.rates.push_back(std::move(r));
  }

  // Dependence on delta at the largest budget.
  const std::size_t last = budgets - 1;
  for (int transform = 0; transform < 2; ++transform) {
    DeltaFit& fit = transform == 0 ? out.delta_power : out.delta_polylog;
    fit.transform = transform == 0 ? "log(1/delta)" : "log(log(1/delta))";
    fit.budget = cell.budgets[last].budget;
    std::vector<int> used;
    std::vector<double> dx, dy;
    std::vector<std::string> dlabels;
    for (std::size_t i = 0; i < options.deltas.size(); ++i) {
      const stats::QuantileEstimate& q = out.budgets[last].quantiles[i];
      if (q.status != stats::IntervalStatus::kOk || !std::isfinite(q.estimate) ||
          !(q.estimate > 0)) {
        continue;
      }
      const double d = options.deltas[i];
      used.push_back(static_cast<int>(i));
      fit.deltas.push_back(d);
      dx.push_back(transform == 0 ? std::log(1.0 / d) : std::log(std::log(1.0 / d)));
      dy.push_back(q.estimate);
      dlabels.push_back("delta=" + stats::FormatDelta(d));
    }
    if (used.size() < 2) {
      fit.fit.reason = "fewer than two deltas with a supported, finite quantile";
      continue;
    }
    fit.fit = stats::FitLogLine(
        dx, dy,
        [&](int b, int i) {
          return reps.at(b, 2 + used[static_cast<std::size_t>(i)], static_cast<int>(last));
        },
        options.bootstrap_resamples, options.confidence, dlabels);
  }
  return out;
}

// Merges two ascending seed lists; returns positions of the common seeds.
std::vector<std::pair<std::size_t, std::size_t>> CommonSeeds(const std::vector<std::uint64_t>& a,
                                                             const std::vector<std::uint64_t>& b) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      out.emplace_back(i++, j++);
    }
  }
  return out;
}

void ComparePairs(const SweepResults& results, const AnalysisOptions& options, SweepAnalysis& out) {
  const auto metric_it =
      std::find(results.metrics.begin(), results.metrics.end(), options.theorem_metric);
  if (metric_it == results.metrics.end()) return;
  const std::size_t m = static_cast<std::size_t>(metric_it - results.metrics.begin());
  // Cells share noise when their setting and noise stream agree.
  std::map<std::string, std::vector<std::size_t>> groups;
  std::vector<std::string> order;
  for (std::size_t c = 0; c < out.cells.size(); ++c) {
    const std::string key = out.cells[c].setting + "|" + out.cells[c].info.noise_stream;
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(c);
  }
  const double a_half = 0.5 * (1.0 - options.confidence);
  for (const std::string& key : order) {
    const std::vector<std::size_t>& members = groups[key];
    for (std::size_t ia = 0; ia < members.size(); ++ia) {
      for (std::size_t ib = ia + 1; ib < members.size(); ++ib) {
        const CellResults& ca = results.cells[members[ia]];
        const CellResults& cb = results.cells[members[ib]];
        for (const BudgetRuns& ba : ca.budgets) {
          const auto bb_it =
              std::find_if(cb.budgets.begin(), cb.budgets.end(),
                           [&](const BudgetRuns& b) { return b.budget == ba.budget; });
          if (bb_it == cb.budgets.end()) continue;
          const auto common = CommonSeeds(ba.seeds, bb_it->seeds);
          if (common.empty()) continue;
          PairedComparison pc;
          pc.setting = out.cells[members[ia]].setting;
          pc.cell_a = ca.info.id;
          pc.cell_b = cb.info.id;
          pc.label_a = out.cells[members[ia]].label;
          pc.label_b = out.cells[members[ib]].label;
          pc.budget = ba.budget;
          pc.n = static_cast<int>(common.size());
          for (const auto& [i, j] : common) {
            const double a = ba.finals[m][i];
            const double b = bb_it->finals[m][j];
            double r = a / b;
            // inf/inf (both diverged) and 0/0: equal outcomes, a tie.
            if (std::isnan(r)) {
              r = 1.0;
              if (std::isinf(a)) ++pc.both_diverged;
            }
            pc.ratios.push_back(r);
            if (a < b) ++pc.a_better;
            if (a > b) ++pc.b_better;
          }
          std::vector<double> sorted = pc.ratios;
          std::sort(sorted.begin(), sorted.end());
          pc.median_ratio = stats::QuantileWithCi(sorted, 0.5, options.confidence);
          pc.q10_ratio = stats::QuantileWithCi(sorted, 0.1, options.confidence);
          pc.q90_ratio = stats::QuantileWithCi(sorted, 0.9, options.confidence);
          const int trials = pc.a_better + pc.b_better;
          if (trials > 0) {
            using Law = boost::math::binomial_distribution<double>;
            pc.p_a_better = static_cast<double>(pc.a_better) / trials;
            pc.p_a_better_lower = Law::find_lower_bound_on_p(trials, pc.a_better, a_half);
            pc.p_a_better_upper = Law::find_upper_bound_on_p(trials, pc.a_better, a_half);
          } else {
            pc.p_a_better = pc.p_a_better_lower = pc.p_a_better_upper = kNaN;
          }
          out.paired.push_back(std::move(pc));
        }
      }
    }
  }
}

// The alpha of a stable noise spec, or of the stable law a contaminated spec mixes in (the
// mixture's tail index); NaN for other laws and for text that is not a noise spec.
double StableAlpha(const std::string& noise) {
  try {
    const noise::NoiseSpec spec = noise::ParseNoiseSpec(noise);
    const noise::NoiseSpec& law =
        spec.kind == noise::NoiseKind::kContaminated && spec.other ? *spec.other : spec;
    return law.kind == noise::NoiseKind::kStable ? law.alpha : kNaN;
  } catch (const InputError&) {
    return kNaN;
  }
}

void CheckNoise(const SweepResults& results, const AnalysisOptions& options, SweepAnalysis& out) {
  for (const NoiseNorms& n : results.noise) {
    NoiseCheck check;
    check.noise_stream = n.noise_stream;
    check.noise = n.noise;
    check.dim = n.dim;
    check.count = static_cast<int>(n.norms.size());
    check.estimates = detail::NoiseTailIndices(n.norms, options.confidence);
    for (const CellAnalysis& c : out.cells) {
      if (c.info.noise_stream != n.noise_stream) continue;
      const std::string p = c.info.p.empty() ? c.info.Get("p") : c.info.p;
      if (!p.empty() &&
          std::find(check.assumed_p.begin(), check.assumed_p.end(), p) == check.assumed_p.end()) {
        check.assumed_p.push_back(p);
      }
    }
    const TailEstimate* hill = check.estimates.empty() ? nullptr : &check.estimates.front();
    // Stable noise: say how far Hill is expected to sit above alpha at this k/n
    // (stats/tail_index.hpp).
    const double alpha = StableAlpha(n.noise);
    if (hill != nullptr && hill->ok && alpha > 0.0 && alpha < 2.0) {
      const double bias = stats::HillStableBias(alpha) * hill->k / static_cast<double>(check.count);
      check.assessment = "stable alpha = " + Shortest(alpha) +
                         ": first-order Hill bias at this k/n about " + Sig(100 * bias, 2) +
                         "% of alpha";
    }
    for (const std::string& ptext : check.assumed_p) {
      double p = kNaN;
      ParseDouble(ptext, p, NumberSyntax::kResults);
      std::string line = "p = " + ptext + ": ";
      if (hill == nullptr || !hill->ok) {
        line += "no tail-index estimate";
      } else if (p < hill->lower) {
        line += "below the tail index (" + hill->method + " interval [" + Sig(hill->lower) + ", " +
                Sig(hill->upper) + "]): E||xi||^p finite is consistent with the norms";
      } else if (p >= hill->upper) {
        line += "at or above the tail index (" + hill->method + " interval [" + Sig(hill->lower) +
                ", " + Sig(hill->upper) +
                "]): E||xi||^p is likely infinite, the runs' assumption fails";
      } else {
        line += "inside the tail index interval [" + Sig(hill->lower) + ", " + Sig(hill->upper) +
                "] (" + hill->method + "): inconclusive";
      }
      if (!check.assessment.empty()) check.assessment += "; ";
      check.assessment += line;
    }
    out.noise.push_back(std::move(check));
  }
}

void DecideVerdicts(const AnalysisOptions& options, SweepAnalysis& out) {
  // One Holm family per statistic (by name) over the cells: the mean and the median-of-means of
  // the theorem metric, the quantiles of the high-probability metric (AnalysisOptions::hp_metric).
  std::map<std::string, std::vector<SlopeTest*>> families;
  std::map<std::string, std::vector<RateResult*>> members;
  for (CellAnalysis& cell : out.cells) {
    for (MetricAnalysis& ma : cell.metrics) {
      const bool theorem = ma.metric == options.theorem_metric;
      const bool hp = ma.metric == options.hp_metric;
      if (!theorem && !hp) continue;
      for (RateResult& r : ma.rates) {
        const bool quantile = r.statistic.kind == stats::StatisticKind::kQuantile;
        if (quantile && !hp) {
          r.verdict = Verdict::kWithheld;
          r.note = "high-probability verdicts use " + options.hp_metric +
                   ": R = 0 with probability 1/T, so this quantile can be ||grad f(x_0)||";
          continue;
        }
        if (!quantile && !theorem) continue;
        detail::TheoryLookup theory = detail::LookupTheorySlope(cell.info, r.statistic);
        if (cell.regime.applicable) {
          // The regime knows the entry whose prescription the cell ran (a control's is another
          // method's): its slope is the one the cell is judged against.
          theory.slope = cell.regime.theory_slope;
          theory.note = std::string(theory::FindTheory(cell.regime.entry)->source);
        }
        r.theory_slope = theory.slope;
        r.theory_note = theory.note;
        if (!theory.slope) {
          r.verdict = Verdict::kNoTheory;
          r.note = theory.note;
          continue;
        }
        if (cell.regime.applicable && !cell.regime.rate_testable) {
          r.verdict = Verdict::kNotTestable;
          r.note = cell.regime.rate_reason;
          if (const std::string f = cell.regime.FailedSummary(); !f.empty()) r.note += "; " + f;
          continue;
        }
        if (!r.test_fit.defined) {
          r.verdict = Verdict::kNoFit;
          r.note = r.test_fit.reason;
          continue;
        }
        if (r.statistic.kind == stats::StatisticKind::kMean && !r.note.empty()) {
          r.verdict = Verdict::kWithheld;  // the note says why (AnalyzeCellMetric)
          continue;
        }
        r.test = TestSlope(r.test_fit.fit.slope, r.test_fit.slope_replicates, *theory.slope,
                           options.verdict.margin);
        families[r.statistic.Name()].push_back(&r.test);
        members[r.statistic.Name()].push_back(&r);
      }
    }
  }
  for (auto& [name, family] : families) {
    ApplyHolm(family, options.verdict.confidence);
    for (RateResult* r : members[name]) r->verdict = r->test.verdict;
  }
}

// The theorem quantity against the bound at every testable budget, one Holm family for the
// sweep (bound_check.hpp).
void CheckBounds(const SweepResults& results, const AnalysisOptions& options, SweepAnalysis& out) {
  const auto index = [&](const char* name) {
    const auto it = std::find(results.metrics.begin(), results.metrics.end(), name);
    return it == results.metrics.end() ? results.metrics.size()
                                       : static_cast<std::size_t>(it - results.metrics.begin());
  };
  const std::size_t mean = index("mean_grad_norm");
  const std::size_t sq = index("mean_sq_grad_norm");
  std::vector<CellBoundCheck*> family;
  for (std::size_t c = 0; c < out.cells.size(); ++c) {
    CellAnalysis& cell = out.cells[c];
    cell.bound.cell = cell.info.id;
    if (!cell.regime.applicable) {
      cell.bound.note = cell.regime.why_not;
      continue;
    }
    if (mean == results.metrics.size() || sq == results.metrics.size()) {
      cell.bound.note = "mean_grad_norm and mean_sq_grad_norm must both be analyzed (--metrics)";
      continue;
    }
    cell.bound = CheckCellBound(results.cells[c], cell.regime, mean, sq);
    family.push_back(&cell.bound);
  }
  DecideBoundFamily(family, options.verdict.confidence);
}

}  // namespace

std::string_view ToString(MeanStatus status) {
  switch (status) {
    case MeanStatus::kBounded:
      return "bounded";
    case MeanStatus::kReliable:
      return "reliable";
    case MeanStatus::kUnreliable:
      return "unreliable";
    case MeanStatus::kInfinite:
      return "infinite";
    case MeanStatus::kUnchecked:
      return "unchecked";
  }
  return "?";
}

std::string AnalysisOptions::Validate() const {
  if (deltas.empty()) return "--deltas is empty, but must list at least one delta in (0, 1)";
  for (double d : deltas) {
    if (!(d > 0.0 && d < 1.0)) {
      return "--deltas holds " + Shortest(d) + ", but every delta must be in (0, 1)";
    }
  }
  if (!(confidence > 0.5 && confidence < 1.0)) {
    return "--confidence is " + Shortest(confidence) + ", but must be in (0.5, 1)";
  }
  // The verdict's own rules (VerdictOptions::Validate), with its fields named as the command
  // line names them.
  if (std::string v = verdict.Validate(); !v.empty()) {
    if (v.rfind("confidence", 0) == 0) return "--verdict-" + v;
    return "--" + v;
  }
  if (bootstrap_resamples < 100 || bootstrap_resamples > 1000000) {
    return "--bootstrap is " + std::to_string(bootstrap_resamples) +
           ", but must be in [100, 1000000]";
  }
  if (!(mom_failure > 0.0 && mom_failure < 1.0)) {
    return "mom_failure is " + Shortest(mom_failure) + ", but must be in (0, 1)";
  }
  if (threads < 0) return "--threads is " + std::to_string(threads) + ", but must be >= 0";
  if (std::string r = regime.Validate(); !r.empty()) {
    // "field is ...": named as the command line names it, with the regime field beside it.
    static const std::map<std::string, std::string> flags = {
        {"min_steps", "--min-steps"},
        {"max_bound_ratio", "--max-bound-ratio"},
        {"slope_tolerance", "--slope-tolerance"},
        {"min_clipped_per_run", "--min-clipped"},
        {"min_rate_budgets", "--min-rate-budgets"},
        {"min_rate_span", "--min-rate-span"}};
    const std::string field = r.substr(0, r.find(' '));
    const auto it = flags.find(field);
    return (it == flags.end() ? std::string() : it->second + " ") + "(regime " + field + ")" +
           r.substr(field.size());
  }
  return "";
}

const MetricAnalysis* CellAnalysis::Find(const std::string& metric) const {
  for (const MetricAnalysis& m : metrics) {
    if (m.metric == metric) return &m;
  }
  return nullptr;
}

SweepAnalysis AnalyzeSweep(const SweepResults& results, const AnalysisOptions& options) {
  if (const std::string error = options.Validate(); !error.empty()) throw InputError(error);
  SweepAnalysis out;
  out.options = options;
  out.dir = results.dir;
  out.manifest_summary = results.manifest_summary;
  out.param_columns = results.param_columns;
  out.metrics = results.metrics;
  out.cells.resize(results.cells.size());
  std::vector<CellRegime> regimes = AssessRegimes(results, options.regime);
  for (std::size_t c = 0; c < results.cells.size(); ++c) {
    CellAnalysis& cell = out.cells[c];
    cell.info = results.cells[c].info;
    cell.regime = std::move(regimes[c]);
    cell.label = MethodLabel(cell.info, results.param_columns);
    cell.setting = SettingKey(cell.info, results.param_columns);
    cell.metrics.resize(results.metrics.size());
  }

  // (cell, metric) tasks on a few threads; every task writes only its own slot.
  const std::size_t tasks = results.cells.size() * results.metrics.size();
  unsigned threads = options.threads > 0 ? static_cast<unsigned>(options.threads)
                                         : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(tasks, 1)));
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(threads);
  const auto work = [&](unsigned worker) {
    try {
      for (std::size_t t = next++; t < tasks; t = next++) {
        const std::size_t c = t / results.metrics.size();
        const std::size_t m = t % results.metrics.size();
        out.cells[c].metrics[m] = AnalyzeCellMetric(results.cells[c], m, results.metrics[m],
                                                    options, out.cells[c].regime);
      }
    } catch (...) {
      errors[worker] = std::current_exception();
      next = tasks;  // the others stop after their current task
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(work, i);
  work(0);
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }

  DecideVerdicts(options, out);
  CheckBounds(results, options, out);
  ComparePairs(results, options, out);
  CheckNoise(results, options, out);
  return out;
}

}  // namespace clipsim::analysis
