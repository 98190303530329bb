#include "problems/logistic_nonconvex.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cstdlib>

#include "clipsim/core/check.hpp"
#include "problems/bounded_square.hpp"
#include "problems/synthetic_data.hpp"

namespace clipsim::sim::problems {
namespace {

double Softplus(double z) {
  return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z)));
}
double Sigmoid(double z) {
  return 1.0 / (1.0 + std::exp(-z));
}

class LogisticNonconvex final : public Problem {
 public:
  explicit LogisticNonconvex(const ResolvedSpec& spec)
      : Problem(spec.dim), lambda_(spec.Get("lambda")) {
    const int d = spec.dim;
    const int m = spec.GetInt("samples");
    const double tail = spec.Get("data_tail");
    const double flip = spec.Get("label_flip");
    Rng rng = spec.InstanceRng();
    boost::random::normal_distribution<double> normal(0.0, 1.0 / std::sqrt(static_cast<double>(d)));
    Vector w_star(d);
    for (int i = 0; i < d; ++i) w_star(i) = normal(rng);
    a_ = DrawFeatures(rng, m, d, tail);
    y_.resize(m);
    boost::random::uniform_01<double> uniform;
    for (int j = 0; j < m; ++j) {
      const double label = a_.row(j).dot(w_star) >= 0.0 ? 1.0 : -1.0;
      y_(j) = uniform(rng) < flip ? -label : label;
    }
    spectral_ = GramLambdaMax(a_);
    mean_row_norm_ = MeanRowNorm(a_);
  }

  std::string_view kind() const override { return "logistic_nonconvex"; }
  bool has_data() const override { return true; }
  int data_size() const override { return static_cast<int>(y_.size()); }

  double Value(const Vector& w) const override {
    double sum = 0.0;
    ForEachRowBlock(a_, w, [&](Eigen::Index j0, Eigen::Index n, const RowBlockVector& z) {
      const auto margin = -y_.segment(j0, n).array() * z.array();
      sum += (margin.max(0.0) + (-margin.abs()).exp().log1p()).sum();
    });
    return sum / data_size() + Regularizer(w);
  }
  void Gradient(const Vector& w, Eigen::Ref<Vector> g) const override {
    g.setZero();
    RowBlockVector slope;
    ForEachRowBlock(a_, w, [&](Eigen::Index j0, Eigen::Index n, const RowBlockVector& z) {
      const auto y = y_.segment(j0, n).array();
      slope = -y / (1.0 + (y * z.array()).exp());  // -y sigmoid(-y z)
      g.noalias() += a_.middleRows(j0, n).transpose() * slope;
    });
    g /= static_cast<double>(data_size());
    g.array() += lambda_ * PhiPrimeArray(w.array());
  }
  double PointValue(int j, const Vector& w) const override {
    CheckIndex(j);
    return Softplus(Margin(j, w)) + Regularizer(w);
  }
  void PointGradient(int j, const Vector& w, Eigen::Ref<Vector> g) const override {
    CheckIndex(j);
    PointGradientUnchecked(j, w, g);
  }
  void SampleGradients(const Vector& w, Rng& data_rng, Eigen::Ref<Batch> out) const override {
    SampleRows(*this, w, data_rng, out);
  }
  void PointGradientUnchecked(int j, const Vector& w, Eigen::Ref<Vector> g) const {
    g.array() =
        LossSlope(j, w) * a_.row(j).transpose().array() + lambda_ * PhiPrimeArray(w.array());
  }

  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return Vector::Zero(dim()); }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = true;
    facts.L = 0.25 * spectral_.value + kPhiCurvatureMax * lambda_;
    facts.L0 = facts.L;
    facts.L1 = 0.0;
    facts.gradient_bound = std::min(mean_row_norm_, std::sqrt(spectral_.value)) +
                           lambda_ * kPhiSlopeMax * std::sqrt(static_cast<double>(dim()));
    facts.note = spectral_.exact
                     ? "L = lambda_max(A^T A/m)/4 + 2 lambda, eigenvalue computed at construction"
                     : "L = mean ||a_j||^2/4 + 2 lambda (trace bound: data set too large for the "
                       "eigenvalue solver)";
    return facts;
  }

 private:
  // z_j = -y_j a_j^T w, the argument of the softplus.
  double Margin(int j, const Vector& w) const { return -y_(j) * a_.row(j).dot(w); }
  // d/dz softplus(z) * dz/d(a^T w) = sigmoid(z) * (-y_j).
  double LossSlope(int j, const Vector& w) const { return -y_(j) * Sigmoid(Margin(j, w)); }
  double Regularizer(const Vector& w) const { return lambda_ * PhiArray(w.array()).sum(); }
  void CheckIndex(int j) const {
    Require(j >= 0 && j < data_size(), "LogisticNonconvex: a data point index out of range");
  }

  double lambda_;
  Batch a_;   // m x d, one data point per row
  Vector y_;  // labels in {-1, +1}
  SpectralBound spectral_;
  double mean_row_norm_ = 0.0;
};

}  // namespace

std::unique_ptr<Problem> MakeLogisticNonconvex(const ResolvedSpec& spec) {
  return std::make_unique<LogisticNonconvex>(spec);
}

}  // namespace clipsim::sim::problems
