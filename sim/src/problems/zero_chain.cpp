#include "problems/zero_chain.hpp"

#include <cmath>
#include <numbers>

#include "problems/zero_chain_function.hpp"

namespace clipsim::sim::problems {
namespace {

class ZeroChain final : public Problem {
 public:
  explicit ZeroChain(int dim) : Problem(dim) {}

  std::string_view kind() const override { return "zero_chain"; }
  double Value(const Vector& x) const override { return ZeroChainValue(x, dim(), 1.0); }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    ZeroChainGradient(x, dim(), 1.0, g);
  }
  double LowerBound() const override { return -kSqrt2PiE * (1.0 + std::numbers::e * (dim() - 1)); }
  Vector DefaultStart() const override { return Vector::Zero(dim()); }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = true;
    // d = 1: f = -Phi(x), |f''| = sqrt(e) |x| exp(-x^2/2) <= 1 and |f'| <= sqrt(e), both exact.
    facts.L = dim() == 1 ? 1.0 : 152.0;
    facts.L0 = facts.L;
    facts.L1 = 0.0;
    facts.gradient_bound = dim() == 1 ? kSqrtE : 23.0 * std::sqrt(static_cast<double>(dim()));
    facts.note =
        "hard instance of the lower-bound constructions (Carmon et al. 2019; Arjevani et al. "
        "2023, Lemma 2: L = 152, ||grad f||_inf <= 23); NOT a proof of a lower bound in this "
        "fixed-dimension additive-noise setting";
    return facts;
  }
};

}  // namespace

std::unique_ptr<Problem> MakeZeroChain(const ResolvedSpec& spec) {
  return std::make_unique<ZeroChain>(spec.dim);
}

}  // namespace clipsim::sim::problems
