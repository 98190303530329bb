#include "problems/robust_regression.hpp"

#include <boost/random/normal_distribution.hpp>
#include <cstdlib>

#include "clipsim/core/check.hpp"
#include "problems/bounded_square.hpp"
#include "problems/synthetic_data.hpp"

namespace clipsim::sim::problems {
namespace {

class RobustRegression final : public Problem {
 public:
  explicit RobustRegression(const ResolvedSpec& spec) : Problem(spec.dim), c_(spec.Get("scale")) {
    const int d = spec.dim;
    const int m = spec.GetInt("samples");
    const double tail = spec.Get("data_tail");
    const double residual_scale = spec.Get("residual_scale");
    Rng rng = spec.InstanceRng();
    boost::random::normal_distribution<double> normal(0.0, 1.0 / std::sqrt(static_cast<double>(d)));
    Vector w_star(d);
    for (int i = 0; i < d; ++i) w_star(i) = normal(rng);
    a_ = DrawFeatures(rng, m, d, tail);
    y_.resize(m);
    for (int j = 0; j < m; ++j) {
      y_(j) = a_.row(j).dot(w_star) + residual_scale * DrawStandard(rng, tail);
    }
    spectral_ = GramLambdaMax(a_);
    mean_row_norm_ = MeanRowNorm(a_);
  }

  std::string_view kind() const override { return "robust_regression"; }
  bool has_data() const override { return true; }
  int data_size() const override { return static_cast<int>(y_.size()); }

  double Value(const Vector& w) const override {
    double sum = 0.0;
    ForEachRowBlock(a_, w, [&](Eigen::Index j0, Eigen::Index n, const RowBlockVector& z) {
      sum += PhiArray((z.array() - y_.segment(j0, n).array()) / c_).sum();
    });
    return sum / data_size();
  }
  void Gradient(const Vector& w, Eigen::Ref<Vector> g) const override {
    g.setZero();
    RowBlockVector slope;
    ForEachRowBlock(a_, w, [&](Eigen::Index j0, Eigen::Index n, const RowBlockVector& z) {
      slope = PhiPrimeArray((z.array() - y_.segment(j0, n).array()) / c_) / c_;
      g.noalias() += a_.middleRows(j0, n).transpose() * slope;
    });
    g /= static_cast<double>(data_size());
  }
  double PointValue(int j, const Vector& w) const override {
    CheckIndex(j);
    return Rho(Residual(j, w));
  }
  void PointGradient(int j, const Vector& w, Eigen::Ref<Vector> g) const override {
    CheckIndex(j);
    PointGradientUnchecked(j, w, g);
  }
  void SampleGradients(const Vector& w, Rng& data_rng, Eigen::Ref<Batch> out) const override {
    SampleRows(*this, w, data_rng, out);
  }
  void PointGradientUnchecked(int j, const Vector& w, Eigen::Ref<Vector> g) const {
    g.noalias() = RhoPrime(Residual(j, w)) * a_.row(j).transpose();
  }

  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return Vector::Zero(dim()); }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = true;
    facts.L = kPhiCurvatureMax * spectral_.value / (c_ * c_);
    facts.L0 = facts.L;
    facts.L1 = 0.0;
    facts.gradient_bound = kPhiSlopeMax / c_ * std::min(mean_row_norm_, std::sqrt(spectral_.value));
    facts.note = spectral_.exact
                     ? "L = (2/c^2) lambda_max(A^T A/m), eigenvalue computed at construction"
                     : "L = (2/c^2) mean ||a_j||^2 (trace bound: data set too large for the "
                       "eigenvalue solver)";
    return facts;
  }

 private:
  double Residual(int j, const Vector& w) const { return a_.row(j).dot(w) - y_(j); }
  double Rho(double r) const { return Phi(r / c_); }
  double RhoPrime(double r) const { return PhiPrime(r / c_) / c_; }
  void CheckIndex(int j) const {
    Require(j >= 0 && j < data_size(), "RobustRegression: a data point index out of range");
  }

  double c_;
  Batch a_;  // m x d, one data point per row
  Vector y_;
  SpectralBound spectral_;
  double mean_row_norm_ = 0.0;
};

}  // namespace

std::unique_ptr<Problem> MakeRobustRegression(const ResolvedSpec& spec) {
  return std::make_unique<RobustRegression>(spec);
}

}  // namespace clipsim::sim::problems
