#include "problems/smooth_rastrigin.hpp"

#include <numbers>

#include "problems/bounded_square.hpp"

namespace clipsim::sim::problems {
namespace {

class SmoothRastrigin final : public Problem {
 public:
  SmoothRastrigin(int dim, double amplitude, double wavenumber)
      : Problem(dim), b_(amplitude), w_(2.0 * std::numbers::pi * wavenumber) {}

  std::string_view kind() const override { return "smooth_rastrigin"; }
  double Value(const Vector& x) const override {
    const auto t = x.array();
    return PhiArray(t).sum() + 2.0 * b_ * (0.5 * w_ * t).sin().square().sum();
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    const auto t = x.array();
    g.array() = PhiPrimeArray(t) + (b_ * w_) * (w_ * t).sin();
  }
  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return Vector::Constant(dim(), 2.25); }
  std::optional<Vector> Minimizer() const override { return Vector::Zero(dim()); }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = true;
    facts.L = kPhiCurvatureMax + b_ * w_ * w_;
    facts.L0 = facts.L;
    facts.L1 = 0.0;
    facts.gradient_bound = (kPhiSlopeMax + b_ * w_) * std::sqrt(static_cast<double>(dim()));
    facts.note = "L = 2 + amplitude (2 pi wavenumber)^2 exact at x = 0; many local minima";
    return facts;
  }

 private:
  double b_;
  double w_;
};

}  // namespace

std::unique_ptr<Problem> MakeSmoothRastrigin(const ResolvedSpec& spec) {
  return std::make_unique<SmoothRastrigin>(spec.dim, spec.Get("amplitude"), spec.Get("wavenumber"));
}

}  // namespace clipsim::sim::problems
