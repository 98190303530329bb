#include "problems/quartic.hpp"

#include <cmath>

namespace clipsim::sim::problems {
namespace {

class Quartic final : public Problem {
 public:
  Quartic(int dim, double scale) : Problem(dim), a_(scale) {}

  std::string_view kind() const override { return "quartic"; }
  double Value(const Vector& x) const override { return a_ * x.array().square().square().sum(); }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    g.array() = (4.0 * a_) * x.array().cube();
  }
  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return Vector::Constant(dim(), 2.0); }
  std::optional<Vector> Minimizer() const override { return Vector::Zero(dim()); }
  // With u_i = x_i^4: ||grad f||^2 = 16 a^2 sum_i u_i^(3/2), convex in u, largest on
  // {a sum_i u_i <= Delta} at a vertex: M = 4 a (Delta / a)^(3/4).
  double LevelSetGradientBound(const Vector& x0) const override {
    return 4.0 * a_ * std::pow(Value(x0) / a_, 0.75);
  }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = false;
    facts.L0 = 16.0 * a_;
    facts.L1 = 1.0;
    facts.convex = true;
    facts.note = "not globally smooth (Hessian 12 scale x_i^2); (L0, L1) = (16 scale, 1), tight";
    return facts;
  }

 private:
  double a_;
};

}  // namespace

std::unique_ptr<Problem> MakeQuartic(const ResolvedSpec& spec) {
  return std::make_unique<Quartic>(spec.dim, spec.Get("scale"));
}

}  // namespace clipsim::sim::problems
