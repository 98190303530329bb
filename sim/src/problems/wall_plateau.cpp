#include "problems/wall_plateau.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::sim::problems {
namespace {

// sqrt(1 + u^2) - 1 without cancellation near 0 or overflow far out.
double HuberGap(double u) {
  const double h = std::hypot(1.0, u);
  return std::abs(u) <= 1.0 ? u * u / (h + 1.0) : h - 1.0;
}

class WallPlateau final : public Problem {
 public:
  explicit WallPlateau(const WallPlateauInstance& in) : Problem(2), in_(in) {}

  std::string_view kind() const override { return "wall_plateau"; }
  double Value(const Vector& x) const override {
    const double half = std::sinh(0.5 * in_.rate * x(0));
    return 2.0 * half * half + in_.Plateau(x(1));
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    const double u = x(1) / in_.width;
    g(0) = in_.rate * std::sinh(in_.rate * x(0));
    g(1) = in_.slope * (u / std::hypot(1.0, u));
  }
  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override {
    Vector x(2);
    x << in_.x0, in_.y0;
    return x;
  }
  std::optional<Vector> Minimizer() const override { return Vector::Zero(2); }
  double LevelSetGradientBound(const Vector& x0) const override {
    const double delta = Value(x0);
    return in_.rate * std::sqrt(delta * (delta + 2.0));
  }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = false;
    facts.L0 = in_.rate * in_.rate;
    facts.L1 = in_.rate;
    facts.convex = true;
    facts.note =
        "not globally smooth (Hessian rate^2 cosh(rate x) along the wall); (L0, L1) = (rate^2, "
        "rate), tight at 0";
    return facts;
  }

 private:
  WallPlateauInstance in_;
};

}  // namespace

WallPlateauInstance WallPlateauInstance::From(const ResolvedSpec& spec) {
  WallPlateauInstance in;
  in.rate = spec.Get("rate");
  in.slope = spec.Get("slope");
  in.width = spec.Get("width");
  in.y0 = spec.Get("plateau_start");
  in.M = spec.Get("level_set_gradient");
  in.plateau0 = in.Plateau(in.y0);
  const double m = in.M / in.rate;
  in.delta = m * m / (std::hypot(1.0, m) + 1.0);  // sqrt(1 + m^2) - 1
  const double w0 = in.delta - in.plateau0;       // cosh(a x0) - 1
  in.x0 = w0 > 0.0 ? std::log1p(w0 + std::sqrt(w0 * (w0 + 2.0))) / in.rate : 0.0;
  return in;
}

double WallPlateauInstance::Plateau(double y) const {
  return slope * width * HuberGap(y / width);
}

double WallPlateauInstance::GdLowerBound(double eps) const {
  if (!(eps > 0.0 && eps < slope)) return std::numeric_limits<double>::quiet_NaN();
  const double r = eps / slope;
  const double y_eps = width * r / std::sqrt(1.0 - r * r);
  const double g0 = rate * std::sinh(rate * x0);
  return (y0 - y_eps) * g0 / (2.0 * slope * x0);
}

void CheckWallPlateau(const ResolvedSpec& spec) {
  const WallPlateauInstance in = WallPlateauInstance::From(spec);
  if (in.slope / in.width > in.rate * in.rate) {
    throw InputError(
        "width", ShortestText(in.width),
        "must be at least slope / rate^2 = " + ShortestText(in.slope / (in.rate * in.rate)) +
            " (the plateau's curvature slope / width at most rate^2 = L0)");
  }
  const double p0 = in.plateau0;
  const double least = in.rate * std::sqrt(p0 * (p0 + 2.0));
  if (!(in.delta - p0 > 0.0)) {
    throw InputError("level_set_gradient", ShortestText(in.M),
                     "must exceed rate sqrt(P0^2 + 2 P0) = " + ShortestText(least) +
                         ", P0 = p(plateau_start) = " + ShortestText(p0) +
                         " (the level set of the start with the wall start at 0)");
  }
}

std::unique_ptr<Problem> MakeWallPlateau(const ResolvedSpec& spec) {
  return std::make_unique<WallPlateau>(WallPlateauInstance::From(spec));
}

}  // namespace clipsim::sim::problems
