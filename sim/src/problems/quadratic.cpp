#include "problems/quadratic.hpp"

#include <Eigen/QR>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <string>

namespace clipsim::sim::problems {
namespace {

class Quadratic final : public Problem {
 public:
  explicit Quadratic(const ResolvedSpec& spec) : Problem(spec.dim) {
    const int d = spec.dim;
    const auto spectrum = static_cast<Spectrum>(spec.GetInt("spectrum"));
    lambda_.resize(d);
    for (int i = 0; i < d; ++i) {
      switch (spectrum) {
        case Spectrum::kIdentity:
          lambda_(i) = 1.0;
          break;
        case Spectrum::kLinear:
          lambda_(i) = d == 1 ? 1.0 : 1.0 - (1.0 - 1.0 / spec.Get("condition")) * i / (d - 1);
          break;
        case Spectrum::kPower:
          lambda_(i) = std::pow(static_cast<double>(i + 1), -spec.Get("power"));
          break;
      }
    }
    lambda_ *= spec.Get("scale");
    Rng rng = spec.InstanceRng();
    x_star_ = Vector::Zero(d);
    const double shift = spec.Get("shift");
    if (shift > 0.0) {
      boost::random::uniform_real_distribution<double> uniform(-shift, shift);
      for (int i = 0; i < d; ++i) x_star_(i) = uniform(rng);
    }
    rotated_ = spec.GetInt("rotate") == 1;
    if (rotated_) {
      boost::random::normal_distribution<double> normal;
      Eigen::MatrixXd gaussian(d, d);
      for (int r = 0; r < d; ++r) {
        for (int c = 0; c < d; ++c) gaussian(r, c) = normal(rng);
      }
      const Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian);
      Eigen::MatrixXd q = qr.householderQ();
      for (int i = 0; i < d; ++i) {
        if (qr.matrixQR()(i, i) < 0.0) q.col(i) *= -1.0;
      }
      basis_ = q.transpose();  // row i = eigenvector q_i
    }
  }

  std::string_view kind() const override { return "quadratic"; }
  double Value(const Vector& x) const override {
    if (!rotated_) return 0.5 * (lambda_.array() * (x - x_star_).array().square()).sum();
    double sum = 0.0;
    for (int i = 0; i < dim(); ++i) {
      const double u = basis_.row(i).dot(x - x_star_);
      sum += lambda_(i) * u * u;
    }
    return 0.5 * sum;
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    if (!rotated_) {
      g.array() = lambda_.array() * (x - x_star_).array();
      return;
    }
    g.setZero();
    for (int i = 0; i < dim(); ++i) {
      const double u = basis_.row(i).dot(x - x_star_);
      g.noalias() += (lambda_(i) * u) * basis_.row(i).transpose();
    }
  }
  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return Vector::Ones(dim()); }
  std::optional<Vector> Minimizer() const override { return x_star_; }
  // On {f <= Delta}, ||H v||^2 <= lambda_max v^T H v = 2 lambda_max f, with equality along the top
  // eigenvector: M = sqrt(2 lambda_max Delta), Delta = f(x0).
  double LevelSetGradientBound(const Vector& x0) const override {
    return std::sqrt(2.0 * lambda_.maxCoeff() * Value(x0));
  }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = true;
    facts.convex = true;
    facts.L = lambda_.maxCoeff();
    facts.L0 = facts.L;
    facts.L1 = 0.0;
    facts.note = "convex; L = largest eigenvalue, mu = smallest eigenvalue = " +
                 std::to_string(lambda_.minCoeff());
    return facts;
  }

 private:
  Vector lambda_;  // eigenvalues, scale included
  Vector x_star_;
  bool rotated_ = false;
  Batch basis_;  // Q^T, row-major: row i is the i-th eigenvector (rotated only)
};

}  // namespace

std::unique_ptr<Problem> MakeQuadratic(const ResolvedSpec& spec) {
  return std::make_unique<Quadratic>(spec);
}

}  // namespace clipsim::sim::problems
