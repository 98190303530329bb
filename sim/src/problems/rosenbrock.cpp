#include "problems/rosenbrock.hpp"

namespace clipsim::sim::problems {
namespace {

class Rosenbrock final : public Problem {
 public:
  explicit Rosenbrock(int dim) : Problem(dim) {}

  std::string_view kind() const override { return "rosenbrock"; }
  double Value(const Vector& x) const override {
    const Eigen::Index n = x.size() - 1;
    const auto head = x.head(n).array();
    const auto tail = x.tail(n).array();
    return (100.0 * (tail - head.square()).square() + (1.0 - head).square()).sum();
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    const Eigen::Index n = x.size() - 1;
    const auto head = x.head(n).array();
    const auto tail = x.tail(n).array();
    g.setZero();
    g.head(n).array() -= 400.0 * head * (tail - head.square()) + 2.0 * (1.0 - head);
    g.tail(n).array() += 200.0 * (tail - head.square());
  }
  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override {
    Vector x(dim());
    for (int i = 0; i < dim(); ++i) x(i) = i % 2 == 0 ? -1.2 : 1.0;
    return x;
  }
  std::optional<Vector> Minimizer() const override { return Vector::Ones(dim()); }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = false;
    facts.note =
        "not globally smooth: on max_i |x_i| <= R, ||Hess f|| <= 1200 R^2 + 1200 R + 202 "
        "(Gershgorin); not (L0, L1)-smooth";
    return facts;
  }
};

}  // namespace

std::unique_ptr<Problem> MakeRosenbrock(const ResolvedSpec& spec) {
  return std::make_unique<Rosenbrock>(spec.dim);
}

}  // namespace clipsim::sim::problems
