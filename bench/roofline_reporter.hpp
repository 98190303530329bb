// A RatioReporter that also prints a roofline table: for each sampler path, the calls per value of
// each primitive (counted from the sampler's own code), the sum of those primitives' measured costs
// (the limit: what the path would cost if it did nothing but call them), the path's measured cost,
// and measured / limit. Costs are the medians of each benchmark's "cycles/value" counter.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ratio_reporter.hpp"

namespace clipsim::bench {

class RooflineReporter : public RatioReporter {
 public:
  struct Primitive {
    std::string label;
    std::string benchmark;  // its "cycles/value" is the cost of one call per value
  };
  struct Path {
    std::string label;
    std::string benchmark;      // its "cycles/value" is the measured cost per value
    std::vector<double> calls;  // per value, one entry per primitive, in the primitives' order
    double transcendental;      // log + exp + sincospi calls per value
  };

  RooflineReporter(std::vector<Ratio> ratios, std::function<std::string()> header,
                   std::vector<Primitive> primitives, std::vector<Path> paths)
      : RatioReporter(std::move(ratios)),
        header_(std::move(header)),
        primitives_(std::move(primitives)),
        paths_(std::move(paths)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Aggregate || r.aggregate_name != "median") continue;
      if (auto it = r.counters.find("cycles/value"); it != r.counters.end()) {
        cycles_[r.run_name.str()] = it->second.value;
      }
    }
    RatioReporter::ReportRuns(runs);
  }

  void Finalize() override {
    RatioReporter::Finalize();
    std::printf("\n%s\n", header_().c_str());
    std::vector<double> cost;
    for (const Primitive& p : primitives_) {
      const auto it = cycles_.find(p.benchmark);
      cost.push_back(it == cycles_.end() ? -1.0 : it->second);
      std::printf("  %-34s %7.2f cycles/value\n", p.label.c_str(), cost.back());
    }
    std::printf("\n  %-30s", "path (calls per value)");
    for (const Primitive& p : primitives_) std::printf(" %8.8s", p.label.c_str());
    std::printf(" %6s %7s %8s %8s\n", "transc", "limit", "measured", "ratio");
    for (const Path& path : paths_) {
      std::printf("  %-30s", path.label.c_str());
      double limit = 0.0;
      bool known = true;
      for (std::size_t k = 0; k < primitives_.size(); ++k) {
        std::printf(" %8.3g", path.calls[k]);
        limit += path.calls[k] * cost[k];
        known = known && (cost[k] >= 0.0 || path.calls[k] == 0.0);
      }
      const auto it = cycles_.find(path.benchmark);
      if (!known || it == cycles_.end()) {
        std::printf("  (not measured: filtered out?)\n");
        continue;
      }
      std::printf(" %6.3g %7.1f %8.1f %8.2f\n", path.transcendental, limit, it->second,
                  it->second / limit);
    }
  }

 private:
  std::function<std::string()> header_;  // called at the end: it may report what the run measured
  std::vector<Primitive> primitives_;
  std::vector<Path> paths_;
  std::map<std::string, double> cycles_;
};

}  // namespace clipsim::bench
