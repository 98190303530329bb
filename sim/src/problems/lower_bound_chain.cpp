#include "problems/lower_bound_chain.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <string>

#include "clipsim/core/check.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "problems/zero_chain_function.hpp"

namespace clipsim::sim::problems {
namespace {

constexpr double kTwo53 = 9007199254740992.0;  // 2^53
constexpr char kKind[] = "lower_bound_chain";

// D_T = F_T(0) - inf F_T = sqrt(2 pi e) (1/2 + e (T - 1)) (zero_chain.hpp: f(0) = -sqrt(2 pi e)/2,
// inf f = -sqrt(2 pi e) (1 + e (T - 1))).
double ChainDepth(int links) {
  return kSqrt2PiE * (0.5 + std::numbers::e * static_cast<double>(links - 1));
}

// The constants of F_T (lower_bound_chain.hpp): l1, the Lipschitz constant of grad F_T, and gamma,
// a bound on ||grad F_T||_inf: (152, 23) for T >= 2, (1, sqrt(e)) for the single link.
double ChainL1(int links) {
  return links == 1 ? 1.0 : 152.0;
}
double ChainGamma(int links) {
  return links == 1 ? kSqrtE : 23.0;
}

class LowerBoundChain final : public Problem {
 public:
  LowerBoundChain(int dim, const LowerBoundChainConstants& c, double L, double moment_p,
                  std::string how)
      : Problem(dim), c_(c), L_(L), moment_p_(moment_p), how_(std::move(how)) {}

  std::string_view kind() const override { return kKind; }

  double Value(const Vector& x) const override {
    return c_.value_scale * ZeroChainValue(x, c_.links, c_.lambda);
  }

  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    // d f / d x_j = eps * d F_T / d y_j with eps = L lambda / l1.
    ZeroChainGradient(x, c_.links, c_.lambda, g);
    for (int j = 0; j < c_.links; ++j) g(j) = c_.eps * g(j);
    for (int j = c_.links; j < dim(); ++j) g(j) = 0.0;  // inert coordinates
  }

  double LowerBound() const override { return c_.f_low; }
  Vector DefaultStart() const override { return Vector::Zero(dim()); }

  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = true;
    facts.L = L_;
    facts.L0 = L_;
    facts.L1 = 0.0;
    facts.gradient_bound = c_.gradient_bound;
    facts.note =
        "worst-case instance of the lower bound (Arjevani et al. 2023; Zhang et al. 2020): " +
        how_ + ", lambda = " + ShortestText(c_.lambda) + ", q = " + ShortestText(c_.q) +
        "; ||grad f|| > eps = " + ShortestText(c_.eps) +
        " while |x_T| < lambda, which zero-respecting methods keep with probability >= "
        "1 - P(Binomial(N, q) >= T)";
    return facts;
  }

  bool has_stochastic_oracle() const override { return true; }
  double OracleMomentOrder() const override { return moment_p_; }
  double OracleSigma(double p) const override {
    if (!(p > 0.0 && p <= moment_p_)) return kNaN;
    return c_.coordinate_bound * std::pow(BernoulliMoment(p, c_.q), 1.0 / p);
  }

  void SampleOracle(const Vector& x, const Vector& exact_gradient, Rng& noise_rng,
                    Eigen::Ref<Batch> out) const override {
    // j = prog_{1/4}(x / lambda), the 0-based index of coordinate prog_{1/4} + 1.
    const double threshold = 0.25 * c_.lambda;
    int j = 0;
    for (int i = c_.links - 1; i >= 0; --i) {
      if (std::abs(x(i)) > threshold) {
        j = i + 1;
        break;
      }
    }
    const bool noisy = j < c_.links;
    const double hit = noisy ? exact_gradient(j) / c_.q : 0.0;
    const std::uint64_t k = c_.q_grid;
    for (Eigen::Index r = 0; r < out.rows(); ++r) {
      out.row(r) = exact_gradient.transpose();
      const bool z = (noise_rng() >> 11) < k;  // one draw per row, always
      if (noisy) out(r, j) = z ? hit : 0.0;
    }
  }

  const LowerBoundChainConstants& constants() const { return c_; }

 private:
  LowerBoundChainConstants c_;
  double L_;
  double moment_p_;
  std::string how_;  // how T was chosen, for the note
};

double Param(const ResolvedSpec& spec, const char* key) {
  return spec.Get(key);
}

}  // namespace

double BernoulliMoment(double r, double q) {
  if (q >= 1.0) return 0.0;
  // q (1/q - 1)^r = q^(1-r) (1-q)^r, in logs so that tiny q neither under- nor overflows early.
  return std::exp((1.0 - r) * std::log(q) + r * std::log1p(-q)) + (1.0 - q);
}

double SolveBernoulliQ(double p, double target) {
  if (!(target > 0.0)) return 1.0;
  double lo = std::log(1e-300);  // m_p(e^lo) >= target is required
  double hi = 0.0;               // m_p(1) = 0 < target
  if (BernoulliMoment(p, std::exp(lo)) < target) return 0.0;
  for (int it = 0; it < 400; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (BernoulliMoment(p, std::exp(mid)) > target) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::exp(hi);  // the side with m_p(q) <= target
}

LowerBoundChainConstants SolveLowerBoundChain(int links, double L, double delta, double sigma,
                                              double moment_p) {
  LowerBoundChainConstants c;
  c.links = links;
  c.l1 = ChainL1(links);
  c.gamma = ChainGamma(links);
  const double depth = ChainDepth(links);
  c.lambda = std::sqrt(c.l1 * delta / (L * depth));
  c.value_scale = delta / depth;  // = L lambda^2 / l1
  c.eps = L * c.lambda / c.l1;
  c.coordinate_bound = c.gamma * c.eps;
  c.gradient_bound = c.coordinate_bound * std::sqrt(static_cast<double>(links));
  c.f_low = -c.value_scale * kSqrt2PiE * (1.0 + std::numbers::e * static_cast<double>(links - 1));
  const double target = std::pow(sigma / c.coordinate_bound, moment_p);
  c.q_solved = SolveBernoulliQ(moment_p, target);
  if (!(c.q_solved >= kMinBernoulliQ)) {
    throw InputError(
        "sigma", ShortestText(sigma),
        std::string(kKind) + ": with T = " + std::to_string(links) +
            " links, L = " + ShortestText(L) + ", delta = " + ShortestText(delta) +
            " the oracle's Bernoulli probability q solving q (1/q - 1)^p + 1 - q = (sigma / a)^p "
            "(p = moment_p = " +
            ShortestText(moment_p) + ", a = " + ShortestText(c.coordinate_bound) + ") is " +
            ShortestText(c.q_solved) +
            ", below the smallest q = 2^-40 the oracle draws exactly; lower sigma or raise L or "
            "delta");
  }
  const double grid = std::ceil(c.q_solved * kTwo53);
  c.q_grid = static_cast<std::uint64_t>(std::min(grid, kTwo53));
  c.q = static_cast<double>(c.q_grid) / kTwo53;
  return c;
}

double ChainHardness(int links, double L, double delta, double sigma, double moment_p) {
  const double a = ChainGamma(links) * std::sqrt(L * delta / (ChainL1(links) * ChainDepth(links)));
  const double q = SolveBernoulliQ(moment_p, std::pow(sigma / a, moment_p));
  return q > 0.0 ? static_cast<double>(links) / q : kInf;
}

std::int64_t ChainLinksForBudget(double hardness, std::int64_t budget, std::int64_t max_links,
                                 double L, double delta, double sigma, double moment_p) {
  const double needed = hardness * static_cast<double>(budget);
  const auto enough = [&](std::int64_t t) {
    return ChainHardness(static_cast<int>(t), L, delta, sigma, moment_p) >= needed;
  };
  if (enough(1)) return 1;
  std::int64_t lo = 1;  // not enough
  std::int64_t hi = 1;
  do {
    lo = hi;
    hi = std::min<std::int64_t>(2 * hi, max_links);
    if (hi == lo) return max_links + 1;
  } while (!enough(hi));
  while (hi - lo > 1) {  // enough(hi), not enough(lo); T / q(T) increases with T
    const std::int64_t mid = lo + (hi - lo) / 2;
    (enough(mid) ? hi : lo) = mid;
  }
  return hi;
}

double ChainLinksClosedForm(double hardness, double budget, double L, double delta, double sigma,
                            double moment_p) {
  const double p = moment_p;
  const double c_d = std::numbers::e * kSqrt2PiE;
  const double kappa = 152.0 * c_d * sigma * sigma / (23.0 * 23.0 * L * delta);
  return std::pow(hardness * budget, 2.0 * (p - 1.0) / (3.0 * p - 2.0)) *
         std::pow(kappa, -p / (3.0 * p - 2.0));
}

void CheckLowerBoundChainSpec(const ResolvedSpec& spec) {
  const double p = Param(spec, "moment_p");
  if (!(p > 1.0)) {
    throw InputError("moment_p", ShortestText(p), std::string(kKind) + ": a number in (1, 2]");
  }
  const double h = Param(spec, "hardness");
  if (h > 0.0 && h < 1.0) {
    throw InputError("hardness", ShortestText(h),
                     std::string(kKind) +
                         ": 0 (T = dim links) or a number in [1, 1e+06] (T / q = hardness * N; "
                         "below 1 the budget exceeds the expected samples before T hits)");
  }
}

std::unique_ptr<Problem> MakeLowerBoundChain(const ResolvedSpec& spec) {
  const double h = Param(spec, "hardness");
  if (h > 0.0) {
    throw InputError("hardness", ShortestText(h),
                     std::string(kKind) +
                         " with hardness > 0 takes its number of links from the run's budget N: "
                         "build it from a run config (sim::MakeRunProblem), not from the problem "
                         "spec alone");
  }
  const double L = Param(spec, "L");
  const double delta = Param(spec, "delta");
  const double sigma = Param(spec, "sigma");
  const double p = Param(spec, "moment_p");
  const LowerBoundChainConstants c = SolveLowerBoundChain(spec.dim, L, delta, sigma, p);
  return std::make_unique<LowerBoundChain>(spec.dim, c, L, p,
                                           "T = dim = " + std::to_string(spec.dim) + " links");
}

std::unique_ptr<Problem> MakeLowerBoundChainForBudget(const ResolvedSpec& spec,
                                                      std::int64_t budget) {
  const double h = Param(spec, "hardness");
  if (!(h > 0.0)) return MakeLowerBoundChain(spec);
  if (budget < 1) {
    throw InputError("budget", std::to_string(budget),
                     std::string(kKind) + " with hardness > 0 needs the run's budget N >= 1");
  }
  const double L = Param(spec, "L");
  const double delta = Param(spec, "delta");
  const double sigma = Param(spec, "sigma");
  const double p = Param(spec, "moment_p");
  const std::int64_t links = ChainLinksForBudget(h, budget, spec.dim, L, delta, sigma, p);
  if (links > spec.dim) {
    constexpr std::int64_t kMaxLinks = 100'000'000;
    const std::int64_t needed = ChainLinksForBudget(h, budget, kMaxLinks, L, delta, sigma, p);
    throw InputError("dim", std::to_string(spec.dim),
                     std::string(kKind) + " with hardness = " + ShortestText(h) + " needs T(N) = " +
                         (needed > kMaxLinks ? "more than 1e8" : std::to_string(needed)) +
                         " links at budget N = " + std::to_string(budget) +
                         " (T / q(T) >= hardness * N); set dim to at least that (the largest "
                         "budget's T; coordinates beyond T are inert)");
  }
  const LowerBoundChainConstants c =
      SolveLowerBoundChain(static_cast<int>(links), L, delta, sigma, p);
  return std::make_unique<LowerBoundChain>(
      spec.dim, c, L, p,
      "T = T(N) = " + std::to_string(links) + " links at budget N = " + std::to_string(budget) +
          " (hardness " + ShortestText(h) + ": T / q >= hardness * N)");
}

const LowerBoundChainConstants& LowerBoundChainConstantsOf(const Problem& problem) {
  const auto* chain = dynamic_cast<const LowerBoundChain*>(&problem);
  Require(chain != nullptr, "LowerBoundChainConstantsOf: the problem is not a lower_bound_chain");
  return chain->constants();
}

}  // namespace clipsim::sim::problems
