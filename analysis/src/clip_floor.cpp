// The floor bounds of clip_floor.hpp; analysis/THEORY.md derives each formula.
#include "clipsim/analysis/clip_floor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "clipsim/core/input_error.hpp"
#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::analysis {
namespace {

void Require(double c, double sigma) {
  if (!(c > 0.0) || !(sigma >= 0.0)) {
    throw std::invalid_argument("clip floor: needs c > 0 and sigma >= 0");
  }
}

}  // namespace

double ClipFloorLowerBound(double c, double sigma) {
  Require(c, sigma);
  return 0.25 * std::min(sigma, sigma * sigma / c);
}

double ClipFloorUpperBound(double c, double sigma) {
  Require(c, sigma);
  if (sigma < c) {
    // The smaller root of z (c - z) = sigma^2 / 4, written without cancellation.
    return 0.5 * sigma * sigma / (c + std::sqrt((c - sigma) * (c + sigma)));
  }
  if (sigma < 2.0 * c) return 0.5 * sigma;
  return c + std::min(sigma, 0.25 * sigma * sigma / c);
}

double ClipFloorConstructionAtom(double c, double sigma) {
  Require(c, sigma);
  return sigma > 0.0 && sigma < 2.0 * c ? 2.0 * c / sigma : 2.0;
}

ClipFloorZeros TwoPointFloor(double c, double sigma, double atom) {
  Require(c, sigma);
  if (!(atom >= 1.0)) throw std::invalid_argument("clip floor: needs atom >= 1");
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
