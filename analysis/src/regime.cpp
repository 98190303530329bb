#include "clipsim/analysis/regime.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "clipsim/analysis/format.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/stats/median.hpp"
#include "clipsim/theory/registry.hpp"

namespace clipsim::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using stats::Median;

// The search for the budget at which a cell would become testable stops where the prescribed
// batch exceeds this: the PS-Clip bound sums n per-sample terms, and a sweep that needs batches of
// millions is not what this hint is for.
constexpr std::int64_t kSearchMaxBatch = 100000;
constexpr double kSearchMaxBudget = 1e15;

// The entry's bound at N; NaN with the reason when a premise fails or the inputs are refused.
double BoundAt(const theory::TheoryEntry& entry, const ResolvedRun& r, std::int64_t budget,
               std::string* why) {
  try {
    const theory::TheoryBound b =
        entry.ExpectationBound(BoundInputsAt(r, std::max<std::int64_t>(1, budget)));
    if (!b.available) {
      if (why != nullptr) *why = b.why_not;
      return kNaN;
    }
    return b.value;
  } catch (const InputError& e) {
    if (why != nullptr) *why = e.what();
    return kNaN;
  }
}

// log(bound(2N) / bound(N/2)) / log 4: the bound's own slope around N, over a factor of 4 so that
// the rounding of the prescribed batch does not make it jump.
double LocalSlope(const theory::TheoryEntry& entry, const ResolvedRun& r, std::int64_t budget) {
  const std::int64_t lo = std::max<std::int64_t>(1, budget / 2);
  const std::int64_t hi = 2 * budget;
  const double b_lo = BoundAt(entry, r, lo, nullptr);
  const double b_hi = BoundAt(entry, r, hi, nullptr);
  if (!(b_lo > 0.0) || !(b_hi > 0.0)) return kNaN;
  return std::log(b_hi / b_lo) / std::log(static_cast<double>(hi) / static_cast<double>(lo));
}

// The rules that depend on the prescription alone, at N with T = `iterations` steps: steps, bound
// ratio, bound slope. Fills g's bound numbers and appends each failed rule with its numbers; with
// `first_only` it stops at the first failure (the search below needs only whether all hold, and
// skips the bound evaluations a failed step rule makes moot). The one statement of these rules,
// for the budgets a cell ran and for the budget it would become testable at.
void CheckPrescriptionRules(const theory::TheoryEntry& entry, const ResolvedRun& r,
                            std::int64_t budget, std::int64_t iterations, const RegimeRules& rules,
                            double theory_slope, bool first_only, BudgetRegime& g) {
  if (iterations < rules.min_steps) {
    g.failed.push_back("T = " + std::to_string(iterations) + " < " +
                       std::to_string(rules.min_steps) + " steps");
    if (first_only) return;
  }
  std::string why;
  g.bound = BoundAt(entry, r, budget, &why);
  g.bound_ratio = g.bound / r.start_grad_norm;
  if (std::isnan(g.bound)) {
    g.failed.push_back("no bound: " + why);
    if (first_only) return;
  } else if (!(g.bound_ratio <= rules.max_bound_ratio)) {
    g.failed.push_back("bound/||grad f(x0)|| = " + Sig(g.bound_ratio) + " > " +
                       Sig(rules.max_bound_ratio) + " (bound " + Sig(g.bound) +
                       ", ||grad f(x0)|| " + Sig(r.start_grad_norm) + ")");
    if (first_only) return;
  }
  g.bound_slope = LocalSlope(entry, r, budget);
  if (!std::isnan(g.bound) && !(std::abs(g.bound_slope - theory_slope) <= rules.slope_tolerance)) {
    g.failed.push_back("the bound's local slope " + Sig(g.bound_slope) + " is not within " +
                       Sig(rules.slope_tolerance) + " of the theory's " + Sig(theory_slope));
  }
}

// Whether the prescription-only rules all hold at N, T the prescription's at N.
bool PrescriptionRulesHold(const theory::TheoryEntry& entry, const ResolvedRun& r,
                           std::int64_t budget, const RegimeRules& rules, double theory_slope) {
  theory::Prescription pr;
  try {
    pr = entry.Prescribe(BoundInputsAt(r, budget).theory);
  } catch (const InputError&) {
    return false;
  }
  BudgetRegime g;
  CheckPrescriptionRules(entry, r, budget, pr.iterations, rules, theory_slope, true, g);
  return g.failed.empty();
}

std::int64_t SearchTestableFrom(const theory::TheoryEntry& entry, const ResolvedRun& r,
                                std::int64_t smallest, const RegimeRules& rules,
                                double theory_slope) {
  const double start = std::log10(static_cast<double>(std::max<std::int64_t>(1, smallest)));
  for (int k = 0;; ++k) {
    const double n = std::pow(10.0, start + k / 20.0);
    if (n > kSearchMaxBudget) return 0;
    const auto budget = static_cast<std::int64_t>(std::llround(n));
    try {
      if (entry.Prescribe(BoundInputsAt(r, 2 * budget).theory).batch_size > kSearchMaxBatch)
        return 0;
    } catch (const InputError&) {
      return 0;
    }
    if (PrescriptionRulesHold(entry, r, budget, rules, theory_slope)) return budget;
  }
}

// The clipped cell a control stands next to: the entry's own method at its own prescription
// (step_factor 1) on the same noise stream.
const CellResults* FindPartner(const SweepResults& results, const CellResults& control,
                               const std::string& entry) {
  for (const CellResults& c : results.cells) {
    if (&c == &control || c.info.noise_stream != control.info.noise_stream) continue;
    if (c.budgets.empty() || !c.budgets.front().has_resolved) continue;
    const ResolvedRun& r = c.budgets.front().resolved;
    if (r.method == entry && r.prescription == entry && r.step_factor == 1.0 &&
        r.batch_factor == 1.0 && r.clip_factor == 1.0) {
      return &c;
    }
  }
  return nullptr;
}

CellRegime AssessCell(const SweepResults& results, const CellResults& cell,
                      const RegimeRules& rules) {
  CellRegime out;
  if (cell.budgets.empty()) {
    out.why_not = "no budgets";
    return out;
  }
  const BudgetRuns& first = cell.budgets.front();
  if (!first.has_resolved) {
    out.why_not =
        "resolved.csv has no row for this cell (a folder written before clipsim recorded the "
        "prescription: run the sweep again with this build)";
    return out;
  }
  out.method = first.resolved.method;
  out.entry = first.resolved.prescription;
  if (out.entry.empty()) {
    out.why_not = "not a theory-schedule cell: no theorem prescribes its parameters";
    return out;
  }
  const theory::TheoryEntry* entry = theory::FindTheory(out.entry);
  if (entry == nullptr || !entry->Covers(first.resolved.p)) {
    out.why_not = "the theory registry has no entry " + out.entry +
                  " covering p = " + Shortest(first.resolved.p);
    return out;
  }
  out.applicable = true;
  out.control = out.method != out.entry;
  out.twin = first.resolved.step_factor != 1.0 || first.resolved.batch_factor != 1.0 ||
             first.resolved.clip_factor != 1.0;
  out.theory_slope = entry->Slope(first.resolved.p);
  out.gradient_bound = first.resolved.gradient_bound;
  const CellResults* partner = out.control ? FindPartner(results, cell, out.entry) : nullptr;
  if (partner != nullptr) out.partner = partner->info.id;

  for (const BudgetRuns& b : cell.budgets) {
    BudgetRegime g;
    g.budget = b.budget;
    if (!b.has_resolved) {
      g.failed.push_back("no resolved.csv row");
      out.budgets.push_back(std::move(g));
      continue;
    }
    const ResolvedRun& r = b.resolved;
    g.batch_size = r.batch_size;
    g.iterations = r.iterations;
    g.start_grad_norm = r.start_grad_norm;
    // Clip counts: the cell's own, or for a control those of the clipped cell it stands next to.
    const BudgetRuns* counts = &b;
    if (out.control) {
      counts = partner != nullptr ? partner->Find(b.budget) : nullptr;
      g.clipped_from_partner = true;
    }
    if (counts != nullptr) {
      g.clipped_median = Median(counts->clipped_samples);
      const double samples =
          static_cast<double>(counts->has_resolved ? counts->resolved.samples : r.samples);
      g.clipped_fraction = samples > 0.0 ? g.clipped_median / samples : kNaN;
    }
    CheckPrescriptionRules(*entry, r, b.budget, g.iterations, rules, out.theory_slope, false, g);
    if (counts == nullptr) {
      g.failed.push_back("no clipped cell to read the clip counts of this control from");
    } else if (std::isnan(g.clipped_median)) {
      g.failed.push_back("no clip counts (results.csv lacks clipped_fraction or samples)");
    } else if (!(g.clipped_median >= rules.min_clipped_per_run)) {
      g.failed.push_back(std::string(out.control ? "the clipped cell's" : "the") +
                         " median clipped samples per run " + Sig(g.clipped_median) + " < " +
                         Sig(rules.min_clipped_per_run));
    }
    g.testable = g.failed.empty();
    out.budgets.push_back(std::move(g));
  }

  const std::vector<std::size_t> testable = out.TestableIndices();
  const ResolvedRun& last =
      cell.budgets.back().has_resolved ? cell.budgets.back().resolved : first.resolved;
  out.prescription_testable_from =
      SearchTestableFrom(*entry, last, cell.budgets.front().budget, rules, out.theory_slope);
  const double span = testable.empty()
                          ? 0.0
                          : static_cast<double>(out.budgets[testable.back()].budget) /
                                static_cast<double>(out.budgets[testable.front()].budget);
  out.rate_testable =
      static_cast<int>(testable.size()) >= rules.min_rate_budgets && span >= rules.min_rate_span;
  if (!out.rate_testable) {
    out.rate_reason =
        std::to_string(testable.size()) + " testable budget" + (testable.size() == 1 ? "" : "s");
    if (!testable.empty()) out.rate_reason += " spanning a factor " + Sig(span);
    out.rate_reason += "; a rate needs " + std::to_string(rules.min_rate_budgets) +
                       " spanning a factor " + Sig(rules.min_rate_span);
    if (out.prescription_testable_from > 0) {
      out.rate_reason += "; steps, bound ratio and bound slope all hold from N = " +
                         Sig(static_cast<double>(out.prescription_testable_from), 3) +
                         " (the clip rule needs runs there)";
    } else {
      out.rate_reason += "; steps, bound ratio and bound slope do not all hold at any N up to " +
                         Sig(kSearchMaxBudget, 2) + " with prescribed batches up to " +
                         Sig(static_cast<double>(kSearchMaxBatch), 2);
    }
  }
  return out;
}

}  // namespace

theory::BoundInputs BoundInputsAt(const ResolvedRun& run, std::int64_t budget) {
  theory::BoundInputs in;
  in.theory.L = run.L;
  in.theory.delta = run.delta;
  in.theory.sigma = run.sigma;
  in.theory.p = run.p;
  in.theory.budget = budget;
  in.gradient_bound = run.gradient_bound;
  return in;
}

std::string RegimeRules::Validate() const {
  if (min_steps < 1) return "min_steps is " + std::to_string(min_steps) + ", but must be >= 1";
  if (!(max_bound_ratio > 0.0) || !std::isfinite(max_bound_ratio)) {
    return "max_bound_ratio is " + Shortest(max_bound_ratio) + ", but must be positive and finite";
  }
  if (!(slope_tolerance >= 0.0) || !std::isfinite(slope_tolerance)) {
    return "slope_tolerance is " + Shortest(slope_tolerance) + ", but must be finite and >= 0";
  }
  if (!(min_clipped_per_run >= 0.0) || !std::isfinite(min_clipped_per_run)) {
    return "min_clipped_per_run is " + Shortest(min_clipped_per_run) +
           ", but must be finite and >= 0";
  }
  if (min_rate_budgets < 2) {
    return "min_rate_budgets is " + std::to_string(min_rate_budgets) + ", but must be >= 2";
  }
  if (!(min_rate_span >= 1.0) || !std::isfinite(min_rate_span)) {
    return "min_rate_span is " + Shortest(min_rate_span) + ", but must be finite and >= 1";
  }
  return "";
}

std::string RegimeRules::Describe() const {
  return "T >= " + std::to_string(min_steps) +
         " steps; bound(N) / ||grad f(x0)|| <= " + Sig(max_bound_ratio) +
         "; the bound's local slope log(b(2N)/b(N/2))/log 4 within " + Sig(slope_tolerance) +
         " of the theory slope; median clipped samples per run >= " + Sig(min_clipped_per_run) +
         " (a control: those of the clipped cell it controls); a rate: " +
         std::to_string(min_rate_budgets) + " testable budgets spanning a factor " +
         Sig(min_rate_span);
}

std::string BudgetRegime::Describe() const {
  std::string s = "n " + std::to_string(batch_size) + ", T " + std::to_string(iterations);
  s += ", clipped " + Sig(clipped_median) + " per run";
  if (std::isfinite(clipped_fraction)) s += " (" + Sig(100.0 * clipped_fraction, 2) + "%)";
  if (clipped_from_partner) s += " by the clipped cell";
  s += ", bound/||grad f(x0)|| " + Sig(bound_ratio, 2) + ", bound slope " + Sig(bound_slope, 3);
  return s;
}

std::vector<std::size_t> CellRegime::TestableIndices() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < budgets.size(); ++i) {
    if (budgets[i].testable) out.push_back(i);
  }
  return out;
}

std::string CellRegime::FailedSummary() const {
  std::string s;
  for (const BudgetRegime& b : budgets) {
    if (b.testable) continue;
    AppendWith(s, "; ", "N=" + std::to_string(b.budget) + ": " + Join(b.failed, ", "));
  }
  return s;
}

std::vector<CellRegime> AssessRegimes(const SweepResults& results, const RegimeRules& rules) {
  if (const std::string error = rules.Validate(); !error.empty()) throw InputError(error);
  std::vector<CellRegime> out;
  out.reserve(results.cells.size());
  for (const CellResults& cell : results.cells) out.push_back(AssessCell(results, cell, rules));
  return out;
}

}  // namespace clipsim::analysis
