#include "problems/two_layer_tanh.hpp"

#include <immintrin.h>
#include <sleef.h>

#include <algorithm>
#include <array>
#include <boost/random/normal_distribution.hpp>
#include <cstdlib>

#include "clipsim/core/check.hpp"
#include "problems/synthetic_data.hpp"

namespace clipsim::sim::problems {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// Hidden activations: dynamic size, storage on the stack.
using Hidden = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, kTwoLayerMaxWidth, 1>;

// tanh of n contiguous values in place with SLEEF's 1-ulp tanh (Eigen has no vectorized double
// tanh): the widest vector variant the build's instruction set has, the scalar one for the tail.
// Results depend on the instruction set, like everything vectorized (see ClipsimSimd.cmake).
void TanhInPlace(double* v, Eigen::Index n) {
  Eigen::Index i = 0;
#if defined(__AVX512F__)
  for (; i + 8 <= n; i += 8)
    _mm512_storeu_pd(v + i, Sleef_tanhd8_u10avx512f(_mm512_loadu_pd(v + i)));
#endif
#if defined(__AVX2__) && defined(__FMA__)
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(v + i, Sleef_tanhd4_u10avx2(_mm256_loadu_pd(v + i)));
#elif defined(__SSE2__)
  for (; i + 2 <= n; i += 2) _mm_storeu_pd(v + i, Sleef_tanhd2_u10sse2(_mm_loadu_pd(v + i)));
#endif
  for (; i < n; ++i) v[i] = Sleef_tanh_u10(v[i]);
}

class TwoLayerTanh final : public Problem {
 public:
  explicit TwoLayerTanh(const ResolvedSpec& spec)
      : Problem(spec.dim), h_(spec.GetInt("width")), p_(spec.dim / h_ - 1) {
    const int m = spec.GetInt("samples");
    const double tail = spec.Get("data_tail");
    const double label_noise = spec.Get("label_noise");
    Rng rng = spec.InstanceRng();
    teacher_ = DrawParameters(rng);
    a_ = DrawFeatures(rng, m, p_, tail);
    // The teacher's outputs come from the same blocked pass as Value, so that f(teacher) is exactly
    // 0 without label noise (with y = 0 the pass's residuals are the outputs).
    y_ = Vector::Zero(m);
    Vector outputs(m);
    ForEachBlock(teacher_, [&](Eigen::Index j0, Eigen::Index n, Eigen::Map<RowMatrix>&,
                               const Residuals& e) { outputs.segment(j0, n) = e; });
    for (int j = 0; j < m; ++j) y_(j) = outputs(j) + label_noise * DrawStandard(rng, tail);
    start_ = DrawParameters(rng);
    realizable_ = label_noise == 0.0;
  }

  std::string_view kind() const override { return "two_layer_tanh"; }
  bool has_data() const override { return true; }
  int data_size() const override { return static_cast<int>(y_.size()); }

  double Value(const Vector& x) const override {
    double sum = 0.0;
    ForEachBlock(x, [&](Eigen::Index, Eigen::Index, Eigen::Map<RowMatrix>&, const Residuals& e) {
      sum += e.squaredNorm();
    });
    return 0.5 * sum / data_size();
  }
  void Gradient(const Vector& x, Eigen::Ref<Vector> g) const override {
    g.setZero();
    Eigen::Map<RowMatrix> gw(g.data(), h_, p_);
    auto gv = g.segment(h_ * p_, h_);
    const auto v = x.segment(h_ * p_, h_);
    ForEachBlock(
        x, [&](Eigen::Index j0, Eigen::Index n, Eigen::Map<RowMatrix>& t, const Residuals& e) {
          gv.noalias() += t.transpose() * e;
          // d out / d W_k = v_k (1 - t_k^2) a, times the residual, for every row of the block.
          t.array() = 1.0 - t.array().square();
          t.array().colwise() *= e.array();
          t.array().rowwise() *= v.transpose().array();
          gw.noalias() += t.transpose() * a_.middleRows(j0, n);
        });
    g /= static_cast<double>(data_size());
  }
  double PointValue(int j, const Vector& x) const override {
    CheckIndex(j);
    Hidden t(h_);
    const double e = Output(x, j, t) - y_(j);
    return 0.5 * e * e;
  }
  void PointGradient(int j, const Vector& x, Eigen::Ref<Vector> g) const override {
    CheckIndex(j);
    PointGradientUnchecked(j, x, g);
  }
  void SampleGradients(const Vector& x, Rng& data_rng, Eigen::Ref<Batch> out) const override {
    SampleRows(*this, x, data_rng, out);
  }
  void PointGradientUnchecked(int j, const Vector& x, Eigen::Ref<Vector> g) const {
    Hidden t(h_);
    const double e = Output(x, j, t) - y_(j);
    const auto v = x.segment(h_ * p_, h_);
    Eigen::Map<RowMatrix> gw(g.data(), h_, p_);
    gw.noalias() = (e * v.array() * (1.0 - t.array().square())).matrix() * a_.row(j);
    g.segment(h_ * p_, h_) = e * t;
  }

  double LowerBound() const override { return 0.0; }
  Vector DefaultStart() const override { return start_; }
  std::optional<Vector> Minimizer() const override {
    if (!realizable_) return std::nullopt;
    return teacher_;
  }
  ProblemFacts Facts() const override {
    ProblemFacts facts;
    facts.globally_smooth = false;
    facts.note =
        "not globally smooth: the Hessian grows like |v|^2 max_j ||a_j||^2 and with the residual "
        "(cross terms in (v_k, W_k)); f_low = 0 is attained at the teacher when label_noise = 0";
    return facts;
  }

 private:
  // Full-data passes go over blocks of rows: the block's hidden activations T = tanh(A W^T) (n x h)
  // come from one matrix product into a stack buffer, the residuals e = T v - y from another.
  static constexpr Eigen::Index kCells = 4096;  // 32 KB of activations per block
  using Residuals = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, kCells, 1>;

  // Calls visit(j0, n, t, e) per block of n rows from j0; visit may overwrite t.
  template <typename Visit>
  void ForEachBlock(const Vector& x, Visit&& visit) const {
    const Eigen::Map<const RowMatrix> w(x.data(), h_, p_);
    const auto v = x.segment(h_ * p_, h_);
    std::array<double, kCells> buffer;
    Residuals e;
    const Eigen::Index rows = std::max<Eigen::Index>(1, kCells / h_);
    for (Eigen::Index j0 = 0; j0 < a_.rows(); j0 += rows) {
      const Eigen::Index n = std::min(rows, a_.rows() - j0);
      Eigen::Map<RowMatrix> t(buffer.data(), n, h_);
      t.noalias() = a_.middleRows(j0, n) * w.transpose();
      TanhInPlace(t.data(), n * h_);
      e.resize(n);
      e.noalias() = t * v;
      e -= y_.segment(j0, n);
      visit(j0, n, t, e);
    }
  }

  // out(a_j; x), leaving the hidden activations tanh(W a_j) in t.
  double Output(const Vector& x, int j, Hidden& t) const {
    const Eigen::Map<const RowMatrix> w(x.data(), h_, p_);
    t.noalias() = w * a_.row(j).transpose();
    TanhInPlace(t.data(), h_);
    return x.segment(h_ * p_, h_).dot(t);
  }
  Vector DrawParameters(Rng& rng) const {
    Vector x(dim());
    boost::random::normal_distribution<double> first(0.0, 1.0 / std::sqrt(static_cast<double>(p_)));
    boost::random::normal_distribution<double> second(0.0,
                                                      1.0 / std::sqrt(static_cast<double>(h_)));
    for (int i = 0; i < h_ * p_; ++i) x(i) = first(rng);
    for (int k = 0; k < h_; ++k) x(h_ * p_ + k) = second(rng);
    return x;
  }
  void CheckIndex(int j) const {
    Require(j >= 0 && j < data_size(), "TwoLayerTanh: a data point index out of range");
  }

  int h_;    // width
  int p_;    // input dimension
  Batch a_;  // m x p, one data point per row
  Vector y_;
  Vector teacher_;
  Vector start_;
  bool realizable_ = true;
};

}  // namespace

std::unique_ptr<Problem> MakeTwoLayerTanh(const ResolvedSpec& spec) {
  return std::make_unique<TwoLayerTanh>(spec);
}

}  // namespace clipsim::sim::problems
