// The floor bounds of clip_floor.hpp; analysis/THEORY.md derives each formula.
#include "clipsim/analysis/clip_floor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::analysis {
namespace {

// c and sigma come from a sweep's resolved.csv (a user's folder): bad ones are input errors.
void CheckArguments(double c, double sigma) {
  if (!(c > 0.0)) throw InputError("clip threshold c", ShortestText(c), "> 0 for a clip floor");
  if (!(sigma >= 0.0)) throw InputError("sigma", ShortestText(sigma), ">= 0 for a clip floor");
}

}  // namespace

double ClipFloorLowerBound(double c, double sigma) {
  CheckArguments(c, sigma);
  return 0.25 * std::min(sigma, sigma * sigma / c);
}

double ClipFloorUpperBound(double c, double sigma) {
  CheckArguments(c, sigma);
  if (sigma < c) {
    // The smaller root of z (c - z) = sigma^2 / 4, written without cancellation.
    return 0.5 * sigma * sigma / (c + std::sqrt((c - sigma) * (c + sigma)));
  }
  if (sigma < 2.0 * c) return 0.5 * sigma;
  return c + std::min(sigma, 0.25 * sigma * sigma / c);
}

double ClipFloorConstructionAtom(double c, double sigma) {
  CheckArguments(c, sigma);
  return sigma > 0.0 && sigma < 2.0 * c ? 2.0 * c / sigma : 2.0;
}

ClipFloorZeros TwoPointFloor(double c, double sigma, double atom) {
  CheckArguments(c, sigma);
  if (!(atom >= 1.0)) throw InputError("two-point atom", ShortestText(atom), ">= 1");
  if (sigma * atom <= c) return {0.0, 0.0};
  if (atom == 1.0) return {-(sigma - c), sigma - c};
  const double z = (sigma * atom - c) / (atom * atom);
  return {z, z};
}

double TwoPointAtomOfNoise(const std::string& noise) {
  try {
    const noise::NoiseSpec spec = noise::ParseNoiseSpec(noise);
    if (spec.kind == noise::NoiseKind::kTwoPoint) return spec.atom;
  } catch (const InputError&) {
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double ConstructionFloor(double c, double sigma) {
  return TwoPointFloor(c, sigma, ClipFloorConstructionAtom(c, sigma)).high;
}

}  // namespace clipsim::analysis
