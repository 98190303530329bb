#include "problems/huber_ripple.hpp"

#include <Eigen/Core>
#include <cmath>

namespace clipsim::sim::problems {
namespace {

// hypot(1, t) = m sqrt(1 + (r/m)^2), m = max(1, |t|), r = min(1, |t|): finite for every finite t.
template <typename Derived>
auto HypotOneArray(const Eigen::ArrayBase<Derived>& u) {
  const auto m = u.max(1.0);
  const auto r = u.min(1.0);
  return m * (1.0 + (r / m).square()).sqrt();
}

class HuberRipple final : public Problem {
 public:
  HuberRipple(int dim, double scale, double amplitude, double wavenumber)
      : Problem(dim), c_(scale), b_(amplitude), w_(wavenumber) {}

  std::string_view kind() const override { return "huber_ripple"; }
  double Value(const Vector& x) const override {
    const auto t = x.array();
    const auto u = t.abs();
    // sqrt(1 + t^2) - 1 = |t| (|t| / (hypot(1, t) + 1)); 1 - cos(w t) = 2 sin^2(w t / 2).
    const double bowl = (u * (u / (HypotOneArray(u) + 1.0))).sum();
    const double ripple = 2.0 * b_ * (0.5 * w_ * t).sin().square().sum();
    return c_ * (bowl + ripple);
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    const auto t = x.array();
    g.array() = c_ * (t / HypotOneArray(t.abs()) + (b_ * w_) * (w_ * t).sin());
  }
  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return Vector::Constant(dim(), 2.0); }
  std::optional<Vector> Minimizer() const override { return Vector::Zero(dim()); }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = true;
    facts.convex = b_ == 0.0;  // non-convex iff amplitude > 0 (huber_ripple.hpp)
    facts.L = c_ * (1.0 + b_ * w_ * w_);
    facts.L0 = facts.L;
    facts.L1 = 0.0;
    facts.gradient_bound = c_ * (1.0 + b_ * w_) * std::sqrt(static_cast<double>(dim()));
    facts.note =
        "L = scale (1 + amplitude wavenumber^2) exact at x = 0; G = scale (1 + amplitude "
        "wavenumber) sqrt(dim) is the supremum, approached far out but not attained; ||grad f|| "
        "does not vanish far from 0 (>= scale (1 - amplitude wavenumber) per coordinate when "
        "amplitude wavenumber < 1)";
    return facts;
  }

 private:
  double c_;
  double b_;
  double w_;
};

}  // namespace

std::unique_ptr<Problem> MakeHuberRipple(const ResolvedSpec& spec) {
  return std::make_unique<HuberRipple>(spec.dim, spec.Get("scale"), spec.Get("amplitude"),
                                       spec.Get("wavenumber"));
}

}  // namespace clipsim::sim::problems
