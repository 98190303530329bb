// Numerical E||X||^p for iid coordinates: see iid_moment.hpp for the method.
#include "iid_moment.hpp"

#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "clipsim/core/check.hpp"
#include "moment_arguments.hpp"

namespace clipsim::noise::detail {
namespace {

constexpr double kPi = boost::math::constants::pi<double>();
constexpr double kInf = std::numeric_limits<double>::infinity();
// Relative tolerances of the one-coordinate integrals and of the outer s-integral.
constexpr double kInnerTol = 1e-7;
constexpr double kOuterTol = 1e-5;
// The s-range of the outer integral in standard units; beyond it the power-law continuation.
constexpr double kSMin = 1e-280;
constexpr double kSMax = 1e280;

// Quadrature objects hold only abscissa tables (no results), which Boost extends under its own
// lock; built once and shared. (Not const: Boost 1.74 declares one exp_sinh::integrate overload
// const but defines it without.)
boost::math::quadrature::exp_sinh<double>& ExpSinh() {
  static boost::math::quadrature::exp_sinh<double> q;
  return q;
}
boost::math::quadrature::tanh_sinh<double>& TanhSinh() {
  static boost::math::quadrature::tanh_sinh<double> q;
  return q;
}

// int_a^b h(x) dx for 0 <= a < b <= inf, in the variable log x, so that features at any scale
// (x near 0, x near 1 / sqrt(s) = 1e140) are at an end of the piece where the double-exponential
// rules cluster their nodes. g(x) = x h(x) is the integrand in log x (h alone can underflow where
// x h(x) does not: a density 1e-350 at x = 1e140).
template <class G>
Estimate LogPiece(const G& g, double a, double b) {
  double error = 0.0;
  double l1 = 0.0;
  std::size_t levels = 0;
  double value = 0.0;
  if (a == 0.0) {
    const auto f = [&g, b](double u) {
      const double x = b * std::exp(-u);
      return x > 0.0 ? g(x) : 0.0;
    };
    value = ExpSinh().integrate(f, kInnerTol, &error, &l1, &levels);
  } else if (std::isinf(b)) {
    const auto f = [&g, a](double u) {
      const double x = a * std::exp(u);
      return std::isfinite(x) ? g(x) : 0.0;
    };
    value = ExpSinh().integrate(f, kInnerTol, &error, &l1, &levels);
  } else {
    // In t = log(x / a) on [0, log(b / a)], not in log x on [log a, log b]: Boost 1.74's tanh-sinh
    // places the abscissas near a non-zero left end as avg + diff z, which can round onto the end
    // (its assertion fires, e.g. at log a = 322 with a narrow piece); near a zero left end it uses
    // the complement, which is exact.
    const auto f = [&g, a](double t) { return g(a * std::exp(t)); };
    value = TanhSinh().integrate(f, 0.0, std::log(b / a), kInnerTol, &error, &l1, &levels);
  }
  return {value, error};
}

// int over the real line of h, given as g(x) = |x| h(x), split at the sorted breakpoints (which
// include 0), skipping the pieces whose midpoint `skip` says carry no mass.
template <class G, class Skip>
Estimate PiecewiseIntegral(const G& g, std::vector<double> points, const Skip& skip) {
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  std::vector<double> edges;
  edges.push_back(-kInf);
  edges.insert(edges.end(), points.begin(), points.end());
  edges.push_back(kInf);
  Estimate total;
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    const double lo = edges[i];
    const double hi = edges[i + 1];
    const double mid = std::isinf(lo) ? hi - 1.0 : (std::isinf(hi) ? lo + 1.0 : 0.5 * (lo + hi));
    if (skip(mid)) continue;
    Estimate piece;
    if (lo >= 0.0) {
      piece = LogPiece(g, lo, hi);
    } else {
      const auto mirrored = [&g](double x) { return g(-x); };
      piece = LogPiece(mirrored, -hi, -lo);
    }
    total.value += piece.value;
    total.error += piece.error;
  }
  return total;
}

double StudentTLogDensity(const SymmetricDensity& d, double t) {
  return d.norm - 0.5 * (d.param + 1.0) * std::log1p(t * t / d.param);
}
double StudentTEvenMoment(const SymmetricDensity& d, int j) {
  // E T^(2j) = dof^j Gamma(j + 1/2) Gamma(dof/2 - j) / (sqrt(pi) Gamma(dof/2)).
  const double nu = d.param;
  return std::exp(j * std::log(nu) + std::lgamma(j + 0.5) + std::lgamma(0.5 * nu - j) -
                  0.5 * std::log(kPi) - std::lgamma(0.5 * nu));
}
double NormalLogDensity(const SymmetricDensity& d, double t) {
  return d.norm - 0.5 * (t * t) / (d.param * d.param);
}
double NormalEvenMoment(const SymmetricDensity& d, int j) {
  double m = 1.0;  // sd^(2j) (2j - 1)!!
  for (int i = 1; i <= j; ++i) m *= (2.0 * i - 1.0) * d.param * d.param;
  return m;
}
double ParetoLogDensity(const SymmetricDensity& d, double t) {
  // Symmetric Pareto: density (tail / 2) |t|^(-tail - 1) on |t| >= 1.
  return d.norm - (d.param + 1.0) * std::log(t);
}
double ParetoEvenMoment(const SymmetricDensity& d, int j) {
  return d.param / (d.param - 2.0 * j);
}

double LomaxLogDensity(const SymmetricDensity& d, double t) {
  // Symmetric Lomax: density (tail / 2) (1 + |t|)^(-tail - 1).
  return d.norm - (d.param + 1.0) * std::log1p(t);
}
double LomaxEvenMoment(const SymmetricDensity& d, int j) {
  // E T^(2j) = Gamma(2j + 1) Gamma(tail - 2j) / Gamma(tail) (lomax_noise.cpp).
  const double a = d.param;
  return std::exp(std::lgamma(2.0 * j + 1.0) + std::lgamma(a - 2.0 * j) - std::lgamma(a));
}

double UniformLogDensity(const SymmetricDensity& d, double t) {
  return t <= 1.0 ? d.norm : -kInf;
}
double UniformEvenMoment(const SymmetricDensity&, int j) {
  return 1.0 / (2.0 * j + 1.0);
}

double BinomialCoefficient(int n, int k) {
  double c = 1.0;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

// An integer partition of n with the number of ordered index tuples (i_1..i_n) in [dim]^n whose
// multiplicities it describes: dim! / (dim - K)! / prod(mult!) * n! / prod(part!).
struct Partition {
  std::vector<int> parts;
  double count = 0.0;
};

void Partitions(int n, int max_part, std::vector<int>& current,
                std::vector<std::vector<int>>& out) {
  if (n == 0) {
    out.push_back(current);
    return;
  }
  for (int part = std::min(n, max_part); part >= 1; --part) {
    current.push_back(part);
    Partitions(n - part, part, current, out);
    current.pop_back();
  }
}

std::vector<Partition> WeightedPartitions(int n, int dim) {
  std::vector<std::vector<int>> raw;
  std::vector<int> current;
  Partitions(n, n, current, raw);
  std::vector<Partition> result;
  for (const std::vector<int>& parts : raw) {
    const int k = static_cast<int>(parts.size());
    if (k > dim) continue;  // not enough distinct coordinates
    double count = 1.0;
    for (int i = 0; i < k; ++i) count *= static_cast<double>(dim - i);
    for (int i = 1; i <= n; ++i) count *= i;
    for (int part : parts) count /= std::tgamma(part + 1.0);
    for (int size = 1; size <= n; ++size) {
      const auto mult = std::count(parts.begin(), parts.end(), size);
      count /= std::tgamma(static_cast<double>(mult) + 1.0);
    }
    result.push_back({parts, count});
  }
  return result;
}

double Relative(const Estimate& e) {
  if (e.value > 0.0) return e.error / e.value;
  return e.error > 0.0 ? 1.0 : 0.0;
}

}  // namespace

SymmetricDensity StudentTDensity(double dof) {
  SymmetricDensity d;
  d.log_density = &StudentTLogDensity;
  d.even_moment = &StudentTEvenMoment;
  d.param = dof;
  d.norm = std::lgamma(0.5 * (dof + 1.0)) - std::lgamma(0.5 * dof) - 0.5 * std::log(dof * kPi);
  d.tail = dof;
  return d;
}

SymmetricDensity NormalDensity(double sd) {
  SymmetricDensity d;
  d.log_density = &NormalLogDensity;
  d.even_moment = &NormalEvenMoment;
  d.param = sd;
  d.norm = -std::log(sd) - 0.5 * std::log(2.0 * kPi);
  d.tail = kInf;
  return d;
}

SymmetricDensity ParetoDensity(double tail) {
  SymmetricDensity d;
  d.log_density = &ParetoLogDensity;
  d.even_moment = &ParetoEvenMoment;
  d.param = tail;
  d.norm = std::log(0.5 * tail);
  d.tail = tail;
  d.gap = 1.0;
  return d;
}

SymmetricDensity LomaxDensity(double tail) {
  SymmetricDensity d;
  d.log_density = &LomaxLogDensity;
  d.even_moment = &LomaxEvenMoment;
  d.param = tail;
  d.norm = std::log(0.5 * tail);
  d.tail = tail;
  return d;
}

SymmetricDensity UniformDensity() {
  SymmetricDensity d;
  d.log_density = &UniformLogDensity;
  d.even_moment = &UniformEvenMoment;
  d.param = 1.0;
  d.norm = std::log(0.5);
  d.tail = kInf;
  d.gap = 0.0;
  return d;
}

double DensityCoordinate::EvenMoment(int k) const {
  // E (T + c)^(2k) = sum_j C(2k, 2j) c^(2k - 2j) E T^(2j): odd moments of T vanish by symmetry.
  double m = 0.0;
  for (int j = 0; j <= k; ++j) {
    const double t_moment = j == 0 ? 1.0 : law_.even_moment(law_, j);
    m += BinomialCoefficient(2 * k, 2 * j) * std::pow(c_, 2 * (k - j)) * t_moment;
  }
  return m;
}

Estimate DensityCoordinate::Laplace(int k, double s, bool complement) const {
  // Integrand over x = t + c, times |x| (see LogPiece): |x|^(2k+1) w(s x^2) f(x - c), the powers
  // and the density multiplied in logs (each alone could overflow or underflow).
  const auto g = [this, k, s, complement](double x) {
    const double t = std::abs(x - c_);
    if (t < law_.gap) return 0.0;
    const double x2 = x * x;  // may overflow to inf: then the weights below are 1 and 0
    const double log_value = law_.log_density(law_, t) + (2.0 * k + 1.0) * std::log(std::abs(x));
    if (complement) return -std::expm1(-s * x2) * std::exp(log_value);
    return std::exp(log_value - s * x2);
  };
  const double x0 = 1.0 / std::sqrt(s);
  std::vector<double> points = {0.0, x0, -x0, c_, c_ - 1.0, c_ + 1.0};
  if (law_.gap > 0.0 && law_.gap != 1.0) {
    points.push_back(c_ - law_.gap);
    points.push_back(c_ + law_.gap);
  }
  const double gap = law_.gap;
  const double c = c_;
  // Pieces without mass: inside the gap, or beyond a bounded support (log density -inf there).
  const SymmetricDensity& law = law_;
  return PiecewiseIntegral(g, points, [gap, c, &law](double mid) {
    const double t = std::abs(mid - c);
    return t < gap || law.log_density(law, t) == -kInf;
  });
}

double StableCoordinate::EvenMoment(int) const {
  Fail("StableCoordinate::EvenMoment: stable laws with alpha < 2 have none");
}

Estimate StableCoordinate::Laplace(int k, double s, bool complement) const {
  Require(k == 0, "StableCoordinate::Laplace: only k = 0 exists");
  const double w = std::sqrt(2.0 * s);
  const bool alpha_one = alpha_ == 1.0;
  const double skew_tan = alpha_one ? 0.0 : skew_ * std::tan(0.5 * kPi * alpha_);
  const double inv_sqrt_2pi = 1.0 / std::sqrt(2.0 * kPi);
  // Times z (see LogPiece).
  const auto g = [=, this](double z) {
    const double t = w * z;
    const double gauss = 2.0 * inv_sqrt_2pi * z * std::exp(-0.5 * z * z);
    if (!(t > 0.0) || gauss == 0.0) return 0.0;
    if (std::isinf(t)) return complement ? gauss : 0.0;
    const double log_t = std::log(t);
    const double a = std::exp(alpha_ * log_t);
    const double b = alpha_one ? -(2.0 / kPi) * skew_ * t * log_t + c_ * t : skew_tan * a + c_ * t;
    if (complement) {
      const double half_sin = std::sin(0.5 * b);
      return (-std::expm1(-a) + 2.0 * std::exp(-a) * half_sin * half_sin) * gauss;
    }
    return std::exp(-a) * std::cos(b) * gauss;
  };
  // Features at t = 1 (z = 1 / w) and at the Gaussian bulk z = 1; z > 0 only.
  std::vector<double> points = {0.0, 1.0, 1.0 / w};
  return PiecewiseIntegral(g, points, [](double mid) { return mid < 0.0; });
}

MomentValue IidNormMoment(const CoordinateLaw& law, double p, int dim) {
  detail::CheckMomentArguments(p, dim);
  if (!(p < law.Tail())) return {kInf, 0.0, true};
  const double q = 0.5 * p;
  const int n = static_cast<int>(std::floor(q));
  const double r = q - n;
  const std::vector<Partition> partitions = WeightedPartitions(n, dim);
  std::vector<double> m(static_cast<std::size_t>(n) + 1, 1.0);
  for (int k = 1; k <= n; ++k) m[static_cast<std::size_t>(k)] = law.EvenMoment(k);
  double g_inf = 0.0;  // E S^n
  for (const Partition& part : partitions) {
    double prod = part.count;
    for (int l : part.parts) prod *= m[static_cast<std::size_t>(l)];
    g_inf += prod;
  }
  if (r == 0.0) return {g_inf, 0.0, true};

  const double c = law.Center();
  const double s_star = 1.0 / (dim * (1.0 + c * c));
  const double d = dim;
  const double propagation = d + n + 1.0;
  struct Node {
    double f;
    double rel;
  };
  std::vector<Node> nodes;

  // G(s) s^(-r) from delta_0..n and mu_1..n (left of s*).
  const auto left = [&](double v) {
    const double s = s_star * std::exp(-v);
    if (!(s >= kSMin)) return 0.0;
    std::vector<double> delta(static_cast<std::size_t>(n) + 1);
    std::vector<double> mu(static_cast<std::size_t>(n) + 1, 0.0);
    double rel = 0.0;
    for (int k = 0; k <= n; ++k) {
      const Estimate e = law.Laplace(k, s, true);
      delta[static_cast<std::size_t>(k)] = e.value;
      rel = std::max(rel, Relative(e));
      if (k > 0) {
        const Estimate f = law.Laplace(k, s, false);
        mu[static_cast<std::size_t>(k)] = f.value;
        rel = std::max(rel, Relative(f));
      }
    }
    const double log_phi = std::log1p(-std::min(delta[0], 1.0));
    double g = 0.0;
    for (const Partition& part : partitions) {
      const std::size_t kk = part.parts.size();
      double term = 0.0;
      for (std::size_t j = 0; j < kk; ++j) {
        double prod = delta[static_cast<std::size_t>(part.parts[j])];
        for (std::size_t i = 0; i < kk; ++i) {
          if (i == j) continue;
          const auto l = static_cast<std::size_t>(part.parts[i]);
          prod *= i < j ? mu[l] : m[l];
        }
        term += prod;
      }
      double mu_prod = 1.0;
      for (int l : part.parts) mu_prod *= mu[static_cast<std::size_t>(l)];
      term += mu_prod * -std::expm1((d - static_cast<double>(kk)) * log_phi);
      g += part.count * term;
    }
    const double f = g * std::exp(-r * std::log(s));
    nodes.push_back({f, rel});
    return f;
  };
  // (G(inf) - G(s)) s^(-r) from mu_0..n (right of s*).
  const auto right = [&](double v) {
    const double s = s_star * std::exp(v);
    if (!(s <= kSMax)) return 0.0;
    std::vector<double> mu(static_cast<std::size_t>(n) + 1);
    double rel = 0.0;
    for (int k = 0; k <= n; ++k) {
      const Estimate e = law.Laplace(k, s, false);
      mu[static_cast<std::size_t>(k)] = std::max(e.value, 0.0);
      rel = std::max(rel, Relative(e));
    }
    const double log_phi = mu[0] > 0.0 ? std::log(mu[0]) : -kInf;
    double h = 0.0;
    for (const Partition& part : partitions) {
      const double rest = d - static_cast<double>(part.parts.size());
      double prod = part.count * (rest > 0.0 ? std::exp(rest * log_phi) : 1.0);
      for (int l : part.parts) prod *= mu[static_cast<std::size_t>(l)];
      h += prod;
    }
    const double f = h * std::exp(-r * std::log(s));
    nodes.push_back({f, rel});
    return f;
  };

  // Left of s*, the integrand decays like e^{-gamma v} with gamma = kappa - r, slowly when p is
  // near the tail index (or near 2n + 2). Fast decay: exp-sinh on (0, inf) (nothing is left at
  // v_max). Slow decay: tanh-sinh on the finite (0, v_max), in w = gamma v so that the decay has
  // the rule's natural scale, and the continuation below accounts for the rest.
  const double kappa = std::min(0.5 * law.Tail() - n, 1.0);
  const double gamma = kappa - r;
  const double v_max = std::log(s_star / kSMin);
  double err_left = 0.0;
  double err_right = 0.0;
  double l1 = 0.0;
  std::size_t levels = 0;
  double i_left = 0.0;
  if (gamma >= 0.1) {
    i_left = ExpSinh().integrate(left, kOuterTol, &err_left, &l1, &levels);
  } else {
    const auto left_scaled = [&](double w) { return left(w / gamma) / gamma; };
    i_left =
        TanhSinh().integrate(left_scaled, 0.0, gamma * v_max, kOuterTol, &err_left, &l1, &levels);
  }
  const double i_right = ExpSinh().integrate(right, kOuterTol, &err_right, &l1, &levels);

  // Continuation below kSMin: f(v) ~ f(v_max) e^{-gamma (v - v_max)}.
  double continuation = 0.0;
  double continuation_error = 0.0;
  const double f_end = left(v_max * (1.0 - 1e-15));
  if (f_end > 0.0) {
    const double f_before = left(v_max - 5.0);
    const double measured = std::log(f_before / f_end) / 5.0;
    continuation = f_end / gamma;
    continuation_error = measured > 0.0 ? std::abs(f_end / measured - continuation) : continuation;
  }

  double max_f = 0.0;
  for (const Node& node : nodes) max_f = std::max(max_f, std::abs(node.f));
  double rel_inner = 0.0;
  for (const Node& node : nodes) {
    if (std::abs(node.f) >= 1e-6 * max_f) rel_inner = std::max(rel_inner, node.rel);
  }

  const double middle = g_inf * std::exp(-r * std::log(s_star)) / r;
  const double integral = i_left + continuation + middle - i_right;
  const double factor = r / boost::math::tgamma(1.0 - r);
  const double error = err_left + err_right + continuation_error +
                       propagation * rel_inner * (std::abs(i_left) + std::abs(i_right)) +
                       1e-15 * (std::abs(i_left) + std::abs(middle) + std::abs(i_right) + 1e-300);
  return {factor * integral, factor * error, false};
}

}  // namespace clipsim::noise::detail
