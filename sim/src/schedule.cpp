#include "clipsim/sim/schedule.hpp"

#include <cmath>
#include <string>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::sim {
std::string_view ToString(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::kConstant:
      return "constant";
    case ScheduleKind::kPolynomial:
      return "polynomial";
    case ScheduleKind::kTheory:
      return "theory";
  }
  return "unknown";
}

std::optional<ScheduleKind> ScheduleKindFromString(std::string_view text) {
  if (text == "constant") return ScheduleKind::kConstant;
  if (text == "polynomial") return ScheduleKind::kPolynomial;
  if (text == "theory") return ScheduleKind::kTheory;
  return std::nullopt;
}

void Validate(const ScheduleOptions& o) {
  if (o.kind != ScheduleKind::kTheory && (!(o.eta0 > 0.0) || !std::isfinite(o.eta0))) {
    throw InputError("schedule.eta0", ShortestText(o.eta0), "must be positive and finite");
  }
  if (o.kind == ScheduleKind::kPolynomial && !(o.decay > 0.0 && o.decay <= 2.0)) {
    throw InputError("schedule.decay", ShortestText(o.decay), "must be in (0, 2]");
  }
  if (o.kind == ScheduleKind::kTheory && !(o.step_factor > 0.0 && o.step_factor <= 1e6)) {
    throw InputError("schedule.step_factor", ShortestText(o.step_factor), "must be in (0, 1e6]");
  }
  if (o.kind == ScheduleKind::kTheory && !(o.batch_factor > 0.0 && o.batch_factor <= 1e6)) {
    throw InputError("schedule.batch_factor", ShortestText(o.batch_factor), "must be in (0, 1e6]");
  }
  if (o.kind == ScheduleKind::kTheory && !(o.clip_factor > 0.0 && o.clip_factor <= 1e6)) {
    throw InputError("schedule.clip_factor", ShortestText(o.clip_factor), "must be in (0, 1e6]");
  }
  if (o.kind != ScheduleKind::kTheory && !o.prescription.empty()) {
    throw InputError("schedule.prescription", o.prescription,
                     "is a key of the theory schedule only");
  }
}

double StepSize(const ScheduleOptions& o, double eta0, std::int64_t t) {
  if (o.kind == ScheduleKind::kPolynomial) {
    return eta0 / std::pow(static_cast<double>(t) + 1.0, o.decay);
  }
  return eta0;
}

}  // namespace clipsim::sim
