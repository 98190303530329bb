#include "problems/synthetic_data.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/student_t_distribution.hpp>

namespace clipsim::sim::problems {

double DrawStandard(Rng& rng, double tail) {
  if (tail == 0.0) return boost::random::normal_distribution<double>(0.0, 1.0)(rng);
  return boost::random::student_t_distribution<double>(tail)(rng);
}

Batch DrawFeatures(Rng& rng, int m, int p, double tail) {
  Batch a(m, p);
  for (int j = 0; j < m; ++j) {
    for (int i = 0; i < p; ++i) a(j, i) = DrawStandard(rng, tail);
  }
  return a;
}

SpectralBound GramLambdaMax(const Batch& a) {
  const double m = static_cast<double>(a.rows());
  const double small = static_cast<double>(std::min(a.rows(), a.cols()));
  const double large = static_cast<double>(std::max(a.rows(), a.cols()));
  if (small * small * large > 2e9) {
    return {a.rowwise().squaredNorm().mean(), false};
  }
  Eigen::MatrixXd gram;
  if (a.rows() >= a.cols()) {
    gram.noalias() = a.transpose() * a;
  } else {
    gram.noalias() = a * a.transpose();
  }
  gram /= m;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram, Eigen::EigenvaluesOnly);
  return {solver.eigenvalues().maxCoeff() * (1.0 + 1e-9), true};
}

double MeanRowNorm(const Batch& a) {
  return a.rowwise().norm().mean();
}

}  // namespace clipsim::sim::problems
