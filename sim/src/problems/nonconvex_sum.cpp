#include "problems/nonconvex_sum.hpp"

#include "problems/bounded_square.hpp"

namespace clipsim::sim::problems {
namespace {

class NonconvexSum final : public Problem {
 public:
  NonconvexSum(int dim, double scale) : Problem(dim), c_(scale) {}

  std::string_view kind() const override { return "nonconvex_sum"; }
  double Value(const Vector& x) const override { return c_ * PhiArray(x.array()).sum(); }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    g.array() = c_ * PhiPrimeArray(x.array());
  }
  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return Vector::Ones(dim()); }
  std::optional<Vector> Minimizer() const override { return Vector::Zero(dim()); }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = true;
    facts.L = kPhiCurvatureMax * c_;
    facts.L0 = facts.L;
    facts.L1 = 0.0;
    facts.gradient_bound = c_ * kPhiSlopeMax * std::sqrt(static_cast<double>(dim()));
    facts.note = "L = 2 scale exact at x = 0; the gradient vanishes far from 0 (report f - f_low)";
    return facts;
  }

 private:
  double c_;
};

}  // namespace

std::unique_ptr<Problem> MakeNonconvexSum(const ResolvedSpec& spec) {
  return std::make_unique<NonconvexSum>(spec.dim, spec.Get("scale"));
}

}  // namespace clipsim::sim::problems
