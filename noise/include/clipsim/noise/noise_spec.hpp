// What a noise model is: its kind, shape and parameters, as written in YAML files and on the
// command line ("kind=stable,alpha=1.5,skew=0.3,scale=1"). Parsing and validation live here, in one
// place that the YAML loader and the CLI both call.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clipsim::noise {

enum class NoiseKind {
  kStable,        // alpha-stable, S1 parameterization (Samorodnitsky & Taqqu; scipy's levy_stable)
  kPareto,        // symmetric Pareto: sign * scale * U^(-1/tail), tail index = tail
  kStudentT,      // Student-t with dof degrees of freedom, times scale
  kGaussian,      // normal with standard deviation scale: the light-tailed control
  kContaminated,  // with probability 1 - eps a Gaussian(scale) draw, with probability eps `other`
  kTwoPoint,      // scale * h w.p. 1 / (1 + h^2), else -scale / h: mean 0, variance scale^2, skewed
  kLomax,    // symmetric Lomax (Pareto type II): sign * scale * (U^(-1/tail) - 1), tail index tail
  kUniform,  // uniform on [loc - scale, loc + scale]: bounded almost surely (tail index +inf)
};

enum class Shape {
  kIid,        // independent coordinates, each with the scalar law
  kIsotropic,  // stable only: sub-Gaussian symmetric stable, sqrt(A) * Gaussian vector
  kRadial,     // pareto only: ||X|| ~ Pareto(tail, scale), direction uniform on the sphere
};

std::string_view ToString(NoiseKind kind);
std::string_view ToString(Shape shape);
std::optional<NoiseKind> NoiseKindFromString(std::string_view text);
std::optional<Shape> ShapeFromString(std::string_view text);

// Keys of the text form (and of YAML noise maps) that a kind accepts, in canonical order:
//   stable:       alpha, skew, scale, loc, shape   (shape iid or isotropic)
//   pareto:       tail, scale, loc, shape          (shape iid or radial)
//   student_t:    dof, scale, loc, shape           (shape iid)
//   gaussian:     scale, loc, shape                (shape iid)
//   contaminated: eps, scale, other                (the shape is other's)
//   two_point:    atom, scale, loc, shape          (shape iid)
//   lomax:        tail, scale, loc, shape          (shape iid)
//   uniform:      scale, loc, shape                (shape iid)
// Any other key is refused with a message that lists these.
std::vector<std::string_view> KeysOf(NoiseKind kind);

// Laws without a mean (Mean() is nullopt): stable with alpha <= 1, Pareto and Lomax with tail <= 1,
// Student-t with dof <= 1, and a contaminated law with eps > 0 whose `other` has none.
struct NoiseSpec {
  NoiseKind kind = NoiseKind::kGaussian;
  // Stability index alpha in (0, 2] (stable). alpha = 2 is Gaussian with variance 2 scale^2.
  double alpha = 2.0;
  // Stable skewness beta in [-1, 1] (S1). Called skew so that it never collides with optimizer
  // betas.
  double skew = 0.0;
  // Scale > 0: the stable S1 scale, the Pareto minimum |X|, the Student-t and Gaussian multiplier,
  // the uniform law's half-width.
  double scale = 1.0;
  // Location: added to every coordinate. In S1 the mean of a stable law with alpha > 1 is loc.
  // Must be 0 for the isotropic and radial shapes (their moments then stay in closed form).
  double loc = 0.0;
  // Pareto tail index > 0: P(|X| > x) = (scale / x)^tail for x >= scale. Lomax tail index > 0:
  // P(|X| > x) = (1 + x / scale)^(-tail) for x >= 0.
  double tail = 2.0;
  // Student-t degrees of freedom > 0.
  double dof = 3.0;
  Shape shape = Shape::kIid;
  // Contamination probability in [0, 1]. The Gaussian part of a contaminated law has standard
  // deviation `scale` and mean 0.
  double eps = 0.0;
  // Contaminating law (kContaminated only; required there). It may have any kind and shape; the
  // contaminated law's vectors have its shape.
  std::shared_ptr<const NoiseSpec> other;
  // Two-point law: the positive atom h >= 1 in units of scale (X = scale h with probability
  // 1 / (1 + h^2), else -scale / h). h = 1 is the symmetric Rademacher law.
  double atom = 2.0;
};

// The same law: equal kind and equal values of the keys that kind uses (KeysOf), `other`
// compared recursively. Values of keys the kind ignores do not matter.
bool operator==(const NoiseSpec& a, const NoiseSpec& b);

// Throws InputError naming the key, its value and allowed range when the spec is not valid
// (alpha outside (0, 2], skew outside [-1, 1], scale or tail <= 0, a shape the kind lacks, ...).
// The one place for range checks: ParseNoiseSpec, MakeNoise and the CLI all call it. Keys of
// `other` are reported as "other.<key>".
void Validate(const NoiseSpec& spec);

// Parses "kind=stable,alpha=1.5,skew=0.3,scale=1,shape=iid". A contaminated spec nests its second
// law in brackets: "kind=contaminated,scale=1,eps=0.01,other=[kind=pareto,tail=1.5,scale=10]".
// Unknown kinds or keys, repeated keys, keys the kind does not use and out-of-range values throw
// InputError. Keys left out keep the defaults of NoiseSpec (`other` is required for
// contaminated). Spaces around items are ignored. The result is validated.
NoiseSpec ParseNoiseSpec(std::string_view text);

// The canonical text of a spec: kind, then the keys its kind uses in the order of KeysOf, numbers
// in shortest round-trip form; loc is left out when 0 and shape when iid. For a valid spec,
// ParseNoiseSpec(FormatNoiseSpec(s)) == s and FormatNoiseSpec is the same for equal specs. Used
// for labels and for hashing cells.
std::string FormatNoiseSpec(const NoiseSpec& spec);

// The family of a noise as results name it: the kind of a spec text ("stable" for
// "kind=stable,alpha=1.5,scale=1"), or the text itself when it is not a spec ("none", a folder
// written by hand), so that readers can group cells by it either way.
std::string NoiseFamily(std::string_view text);

}  // namespace clipsim::noise
