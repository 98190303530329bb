#include "theory_adapter.hpp"

#include <cmath>
#include <limits>

#include "clipsim/analysis/csv.hpp"
#include "clipsim/analysis/format.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/theory/registry.hpp"

namespace clipsim::analysis::detail {

std::string CellMethod(const CellInfo& cell) {
  if (!cell.method.empty()) return cell.method;
  for (const char* column : {"optimizer.method", "method", "optimizer"}) {
    const std::string v = cell.Get(column);
    if (!v.empty()) return v;
  }
  return "";
}

double CellP(const CellInfo& cell) {
  const std::string text = cell.p.empty() ? cell.Get("p") : cell.p;
  double p = std::numeric_limits<double>::quiet_NaN();
  if (text.empty() || !ParseDouble(text, p, NumberSyntax::kResults))
    return std::numeric_limits<double>::quiet_NaN();
  return p;
}

// The registry's slope is that of the in-expectation bound E||grad f(x_R)|| <= C N^s at the
// prescribed parameters. It bounds the slope of every statistic the analysis fits, for a
// non-negative metric X: the (1 - delta) quantile is at most E X / delta (Markov) at every fixed
// delta, and the median of a block mean is at most 2 E X (Markov again), so each is O(N^s) too.
// The statistic therefore does not change the slope; it is kept in the signature because a
// registry entry may one day state a sharper high-probability exponent.
TheoryLookup LookupTheorySlope(const CellInfo& cell, const stats::Statistic& /*statistic*/) {
  TheoryLookup out;
  const std::string method = CellMethod(cell);
  const double p = CellP(cell);
  if (method.empty()) {
    out.note = "method unknown (no method column)";
    return out;
  }
  if (std::isnan(p)) {
    out.note = "p unknown (no p column)";
    return out;
  }
  std::string schedule = cell.schedule.empty() ? cell.Get("schedule.kind") : cell.schedule;
  if (!schedule.empty() && schedule.find("theory") == std::string::npos) {
    out.note = "schedule '" + schedule + "' is not the theory schedule the slope assumes";
    return out;
  }
  const theory::TheoryEntry* entry = theory::FindTheory(method);
  if (entry == nullptr) {
    out.note = "the theory registry has no entry for " + method;
    return out;
  }
  if (!entry->Covers(p)) {
    out.note = "the registry's " + method + " entry does not cover p = " + Shortest(p);
    return out;
  }
  out.slope = entry->Slope(p);
  out.note = std::string(entry->source);
  return out;
}

}  // namespace clipsim::analysis::detail
