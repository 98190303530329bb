// A console reporter that also prints ratios of median throughputs measured in the same run, so
// that a performance target is quoted as "X / baseline" rather than as a lone number. Use with
// ->Repetitions(n)->ReportAggregatesOnly(true) so that medians exist. Paired ratios come from a
// benchmark that times both sides in each iteration and reports the median of the per-iteration
// ratios as its "ratio_median" counter (robust to a machine whose speed drifts).
#pragma once

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace clipsim::bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  struct Ratio {
    std::string label;
    std::string numerator;  // benchmark name (without the _median suffix)
    std::string denominator;
    double target;  // the ratio must be >= target (or <= when at_most)
    bool at_most;
  };
  struct PairedRatio {
    std::string label;
    std::string benchmark;  // its "ratio_median" counter
    double target;  // NaN: no target, printed for context (a noise floor, a machine's ceiling)
    bool at_most;
  };
  explicit RatioReporter(std::vector<Ratio> ratios, std::vector<PairedRatio> paired = {})
      : ratios_(std::move(ratios)), paired_(std::move(paired)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (auto it = r.counters.find("ratio_median"); it != r.counters.end()) {
        paired_values_[r.run_name.str()] = it->second.value;
      }
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        auto it = r.counters.find("items_per_second");
        if (it != r.counters.end()) medians_[r.run_name.str()] = it->second.value;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    if (!ratios_.empty()) std::printf("\nRatios of median items/s, measured in this run:\n");
    for (const Ratio& q : ratios_) {
      auto a = medians_.find(q.numerator);
      auto b = medians_.find(q.denominator);
      if (a == medians_.end() || b == medians_.end() || b->second <= 0) {
        std::printf("  %-48s  (not measured: filtered out?)\n", q.label.c_str());
        continue;
      }
      Print(q.label, a->second / b->second, q.target, q.at_most);
    }
    if (!paired_.empty()) std::printf("\nMedians of paired ratios, measured in this run:\n");
    for (const PairedRatio& q : paired_) {
      auto it = paired_values_.find(q.benchmark);
      if (it == paired_values_.end()) {
        std::printf("  %-48s  (not measured: filtered out?)\n", q.label.c_str());
        continue;
      }
      Print(q.label, it->second, q.target, q.at_most);
    }
  }

 private:
  static void Print(const std::string& label, double ratio, double target, bool at_most) {
    if (std::isnan(target)) {
      std::printf("  %-48s %7.3f  (context, no target)\n", label.c_str(), ratio);
      return;
    }
    const bool ok = at_most ? ratio <= target : ratio >= target;
    std::printf("  %-48s %7.3f  (target %s %.2f: %s)\n", label.c_str(), ratio,
                at_most ? "<=" : ">=", target, ok ? "met" : "NOT met");
  }

  std::vector<Ratio> ratios_;
  std::vector<PairedRatio> paired_;
  std::map<std::string, double> medians_;
  std::map<std::string, double> paired_values_;
};

}  // namespace clipsim::bench
