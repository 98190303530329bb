#include "problems/styblinski_tang.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace clipsim::sim::problems {
namespace {

double H(double t) {
  return 0.5 * (t * t * (t * t - 16.0) + 5.0 * t);
}

class StyblinskiTang final : public Problem {
 public:
  explicit StyblinskiTang(int dim) : Problem(dim) {}

  std::string_view kind() const override { return "styblinski_tang"; }
  double Value(const Vector& x) const override {
    // x^2 (x^2 - 16) + 5 x rather than x^4 - 16 x^2 + 5 x: +inf, never inf - inf, far out.
    const auto t = x.array();
    return 0.5 * (t.square() * (t.square() - 16.0) + 5.0 * t).sum();
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    const auto t = x.array();
    g.array() = 2.0 * t * (t.square() - 8.0) + 2.5;
  }
  double LowerBound() const override {
    const double low = dim() * StyblinskiTangMin();
    return low - 1e-12 * std::abs(low);
  }
  Vector DefaultStart() const override { return Vector::Zero(dim()); }
  std::optional<Vector> Minimizer() const override {
    return Vector::Constant(dim(), StyblinskiTangArgmin());
  }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = false;
    facts.L0 = 35.0;
    facts.L1 = 1.0;
    facts.note =
        "not globally smooth (Hessian 6 x_i^2 - 16); (L0, L1) = (35, 1), derived in "
        "styblinski_tang.hpp";
    return facts;
  }
};

}  // namespace

double StyblinskiTangArgmin() {
  // h'(t) = 2 (t^3 - 8 t + 1.25): the depressed cubic t^3 + p t + q with p = -8, q = 1.25 has three
  // real roots 2 sqrt(-p/3) cos(theta/3 - 2 pi k/3), k = 0, 1, 2, theta = acos((3q/(2p))
  // sqrt(-3/p)); the smallest is the global minimizer. Two Newton steps remove the rounding of acos
  // and cos.
  const double p = -8.0;
  const double q = 1.25;
  const double theta = std::acos(1.5 * q / p * std::sqrt(-3.0 / p));
  double t = 0.0;
  for (int k = 0; k < 3; ++k) {
    t = std::min(
        t, 2.0 * std::sqrt(-p / 3.0) * std::cos(theta / 3.0 - 2.0 * std::numbers::pi * k / 3.0));
  }
  for (int i = 0; i < 2; ++i) t -= (2.0 * t * t * t - 16.0 * t + 2.5) / (6.0 * t * t - 16.0);
  return t;
}

double StyblinskiTangMin() {
  return H(StyblinskiTangArgmin());
}

std::unique_ptr<Problem> MakeStyblinskiTang(const ResolvedSpec& spec) {
  return std::make_unique<StyblinskiTang>(spec.dim);
}

}  // namespace clipsim::sim::problems
