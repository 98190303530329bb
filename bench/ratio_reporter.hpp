// A console reporter that also prints ratios of median throughputs measured in the same run, so
// that a performance target is quoted as "X / baseline" rather than as a lone number. Use with
// ->Repetitions(n)->ReportAggregatesOnly(true) so that medians exist.
#pragma once

#include <benchmark/benchmark.h>

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
  explicit RatioReporter(std::vector<Ratio> ratios) : ratios_(std::move(ratios)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        auto it = r.counters.find("items_per_second");
        if (it != r.counters.end()) medians_[r.run_name.str()] = it->second.value;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nRatios of median items/s, measured in this run:\n");
    for (const Ratio& q : ratios_) {
      auto a = medians_.find(q.numerator);
      auto b = medians_.find(q.denominator);
      if (a == medians_.end() || b == medians_.end() || b->second <= 0) {
        std::printf("  %-48s  (not measured: filtered out?)\n", q.label.c_str());
        continue;
      }
      const double ratio = a->second / b->second;
      const bool ok = q.at_most ? ratio <= q.target : ratio >= q.target;
      std::printf("  %-48s %7.3f  (target %s %.2f: %s)\n", q.label.c_str(), ratio,
                  q.at_most ? "<=" : ">=", q.target, ok ? "met" : "NOT met");
    }
  }

 private:
  std::vector<Ratio> ratios_;
  std::map<std::string, double> medians_;
};

}  // namespace clipsim::bench
