#include "problems/streaming_least_squares.hpp"

#include <boost/random/uniform_int_distribution.hpp>
#include <span>

#include "clipsim/dynamics/streaming_lsq.hpp"
#include "clipsim/noise/noise_model.hpp"

namespace clipsim::sim::problems {
namespace {

dynamics::StreamingLsqSpec SpecOf(const ResolvedSpec& spec) {
  dynamics::StreamingLsqSpec s;
  s.dim = spec.dim;
  s.power = spec.Get("power");
  s.trace = spec.Get("trace");
  s.risk0 = spec.Get("risk0");
  return s;
}

class StreamingLeastSquares final : public Problem {
 public:
  explicit StreamingLeastSquares(const ResolvedSpec& spec) : Problem(spec.dim) {
    const dynamics::StreamingLsqSpec s = SpecOf(spec);
    const std::vector<double> lambda = dynamics::PowerLawSpectrum(s);
    lambda_ = Eigen::Map<const Vector>(lambda.data(), spec.dim);
    sqrt_lambda_ = lambda_.array().sqrt();
    const double m = dynamics::TargetMagnitude(s);
    Rng rng = spec.InstanceRng();
    boost::random::uniform_int_distribution<int> sign(0, 1);
    x_star_.resize(spec.dim);
    for (int i = 0; i < spec.dim; ++i) x_star_(i) = sign(rng) == 1 ? m : -m;
    noise::NoiseSpec standard;
    standard.kind = noise::NoiseKind::kGaussian;
    standard_normal_ = noise::MakeNoise(standard);
  }

  std::string_view kind() const override { return dynamics::kStreamingLsqKind; }

  double Value(const Vector& x) const override {
    return 0.5 * (lambda_.array() * (x - x_star_).array().square()).sum();
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    g.array() = lambda_.array() * (x - x_star_).array();
  }
  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return Vector::Zero(dim()); }
  std::optional<Vector> Minimizer() const override { return x_star_; }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = true;
    facts.L = lambda_(0);
    facts.L0 = facts.L;
    facts.L1 = 0.0;
    facts.convex = true;
    facts.note =
        "L = lambda_1, the largest eigenvalue of the data covariance K; the value is the excess "
        "risk (x - x*)^T K (x - x*) / 2";
    return facts;
  }

  bool has_label_noise() const override { return true; }
  void SampleLabelled(const Vector& x, const noise::NoiseModel* noise, Rng& data_rng,
                      Rng& noise_rng, Eigen::Ref<Batch> out) const override {
    const Eigen::Index d = out.cols();
    for (Eigen::Index k = 0; k < out.rows(); ++k) {
      auto a = out.row(k);
      standard_normal_->Fill(data_rng, std::span<double>(a.data(), static_cast<std::size_t>(d)));
      a.array() *= sqrt_lambda_.transpose().array();
      const double eps = noise != nullptr ? noise->Sample(noise_rng) : 0.0;
      const double z = a.dot(x.transpose()) - a.dot(x_star_.transpose()) - eps;
      a *= z;
    }
  }

 private:
  Vector lambda_;
  Vector sqrt_lambda_;
  Vector x_star_;
  std::unique_ptr<noise::NoiseModel> standard_normal_;
};

}  // namespace

std::unique_ptr<Problem> MakeStreamingLeastSquares(const ResolvedSpec& spec) {
  return std::make_unique<StreamingLeastSquares>(spec);
}

}  // namespace clipsim::sim::problems
