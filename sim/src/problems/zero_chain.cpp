#include "problems/zero_chain.hpp"

#include <cmath>
#include <numbers>

namespace clipsim::sim::problems {
namespace {

constexpr double kSqrtE = 1.6487212707001282;      // sqrt(e)
constexpr double kSqrt2PiE = 4.1327313541224930;   // sqrt(2 pi e)
constexpr double kInvSqrt2 = 0.70710678118654752;  // 1/sqrt(2)

// Psi, Phi and their derivatives at +t and -t (each link uses both signs).
struct Link {
  double psi_pos, psi_neg;    // Psi(t), Psi(-t)
  double dpsi_pos, dpsi_neg;  // Psi'(t), Psi'(-t)
  double phi_pos, phi_neg;    // Phi(t), Phi(-t)
  double dphi;                // Phi'(t) = Phi'(-t)
};

// Psi(t) and Psi'(t) = Psi(t) 4 / (2t - 1)^3. Where Psi underflows to 0 the derivative is 0 too
// (the formula would give 0 * inf).
void PsiAndSlope(double t, double& psi, double& dpsi) {
  psi = 0.0;
  dpsi = 0.0;
  if (t <= 0.5) return;
  const double u = 2.0 * t - 1.0;
  psi = std::exp(1.0 - 1.0 / (u * u));
  if (psi > 0.0) dpsi = psi * 4.0 / (u * u * u);
}

Link Evaluate(double t) {
  Link l;
  PsiAndSlope(t, l.psi_pos, l.dpsi_pos);
  PsiAndSlope(-t, l.psi_neg, l.dpsi_neg);
  l.phi_pos = 0.5 * kSqrt2PiE * std::erfc(-t * kInvSqrt2);
  l.phi_neg = 0.5 * kSqrt2PiE * std::erfc(t * kInvSqrt2);
  l.dphi = kSqrtE * std::exp(-0.5 * t * t);
  return l;
}

class ZeroChain final : public Problem {
 public:
  explicit ZeroChain(int dim) : Problem(dim) {}

  std::string_view kind() const override { return "zero_chain"; }
  double Value(const Vector& x) const override {
    Link prev = Evaluate(x(0));
    double f = -prev.phi_pos;  // -Psi(1) Phi(x_1) with Psi(1) = 1
    for (int i = 1; i < dim(); ++i) {
      const Link cur = Evaluate(x(i));
      f += prev.psi_neg * cur.phi_neg - prev.psi_pos * cur.phi_pos;
      prev = cur;
    }
    return f;
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    const int d = dim();
    Link prev{};
    Link cur = Evaluate(x(0));
    for (int j = 0; j < d; ++j) {
      // x_j as the second argument of link j (or of the first term).
      double gj = j == 0 ? -cur.dphi : -(prev.psi_neg + prev.psi_pos) * cur.dphi;
      Link next{};
      if (j + 1 < d) {
        // x_j as the first argument of link j + 1.
        next = Evaluate(x(j + 1));
        gj -= cur.dpsi_neg * next.phi_neg + cur.dpsi_pos * next.phi_pos;
      }
      g(j) = gj;
      prev = cur;
      cur = next;
    }
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
