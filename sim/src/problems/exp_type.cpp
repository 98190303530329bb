#include "problems/exp_type.hpp"

#include <cmath>

namespace clipsim::sim::problems {
namespace {

class ExpType final : public Problem {
 public:
  ExpType(int dim, double rate) : Problem(dim), a_(rate) {}

  std::string_view kind() const override { return "exp_type"; }
  double Value(const Vector& x) const override {
    return 2.0 * (0.5 * a_ * x.array()).sinh().square().sum();
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    g.array() = a_ * (a_ * x.array()).sinh();
  }
  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return Vector::Constant(dim(), 3.0); }
  std::optional<Vector> Minimizer() const override { return Vector::Zero(dim()); }
  // With c_i = cosh(a x_i) - 1 >= 0: ||grad f||^2 = a^2 sum_i (c_i^2 + 2 c_i), a convex function
  // of c on the simplex {sum_i c_i <= Delta}, largest at a vertex: M = a sqrt(Delta^2 + 2 Delta).
  double LevelSetGradientBound(const Vector& x0) const override {
    const double delta = Value(x0);
    return a_ * std::sqrt(delta * (delta + 2.0));
  }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = false;
    facts.L0 = a_ * a_;
    facts.L1 = a_;
    facts.convex = true;
    facts.note =
        "not globally smooth (Hessian rate^2 cosh(rate x_i)); (L0, L1) = (rate^2, rate), "
        "tight at 0";
    return facts;
  }

 private:
  double a_;
};

}  // namespace

std::unique_ptr<Problem> MakeExpType(const ResolvedSpec& spec) {
  return std::make_unique<ExpType>(spec.dim, spec.Get("rate"));
}

}  // namespace clipsim::sim::problems
