#include "clipsim/dynamics/run_ode.hpp"

#include <cmath>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::dynamics {

RiskOde RunRiskOde(const RunDescription& run) {
  const std::optional<StreamingLsqSpec> spec = StreamingLsqFromText(run.problem);
  if (!spec) {
    throw InputError("problem", run.problem,
                     "the risk ODE describes streaming_least_squares runs only");
  }
  const auto refuse = [&](const std::string& key, const std::string& value) {
    throw InputError(key, value,
                     "the risk ODE describes runs with batch_size 1, accumulation 1, momentum 0 "
                     "and a constant step (" +
                         run.method + " on " + std::string(kStreamingLsqKind) + ")");
  };
  if (run.batch_size != 1) refuse("batch_size", std::to_string(run.batch_size));
  if (run.accumulation != 1) refuse("optimizer.accumulation", std::to_string(run.accumulation));
  if (run.momentum != 0.0) refuse("optimizer.momentum", ShortestText(run.momentum));
  if (run.schedule != "constant") refuse("schedule.kind", run.schedule);
  ClipSetting clip;
  if (!run.noise.empty() && run.noise != "none") clip.noise = noise::ParseNoiseSpec(run.noise);
  if (run.method == "sgd") {
    clip.rule = ThresholdRule::kNone;
  } else if (run.method == "clip_sgd" || run.method == "ps_clip_const") {
    clip.rule = std::isfinite(run.clip_threshold) ? ThresholdRule::kFixed : ThresholdRule::kNone;
    clip.parameter = run.clip_threshold;
  } else if (run.method == "median_clip_sgd") {
    clip.rule = ThresholdRule::kMedianRatio;
    clip.parameter = run.clip_ratio;
  } else {
    throw InputError("optimizer.method", run.method,
                     "one the risk ODE describes: sgd, clip_sgd, ps_clip_const, median_clip_sgd");
  }
  return StreamingLsqOde(*spec, std::move(clip), run.eta);
}

}  // namespace clipsim::dynamics
