#include "clipsim/dynamics/risk_ode.hpp"

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::dynamics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// The integration stops once R exceeds this multiple of its start (or of 1): divergence.
constexpr double kBlowUp = 1e100;

using State = std::vector<double>;

struct Diverged {};

}  // namespace

void RiskOde::Validate() const {
  if (spectrum.empty()) throw InputError("spectrum", "", "at least one eigenvalue");
  if (start.size() != spectrum.size()) {
    throw InputError("start", std::to_string(start.size()) + " values",
                     "one v_i(0) per eigenvalue (" + std::to_string(spectrum.size()) + ")");
  }
  for (double l : spectrum) {
    if (!(l > 0.0) || !std::isfinite(l)) {
      throw InputError("spectrum", ShortestText(l), "every eigenvalue finite and > 0");
    }
  }
  for (double v : start) {
    if (!(v >= 0.0) || !std::isfinite(v)) {
      throw InputError("start", ShortestText(v), "every v_i(0) finite and >= 0");
    }
  }
  if (!(eta > 0.0) || !std::isfinite(eta)) {
    throw InputError("eta", ShortestText(eta), "the step must be finite and > 0");
  }
  for (double f : {mu_factor, nu_factor}) {
    if (!(f > 0.0) || !std::isfinite(f)) {
      throw InputError("mu_factor/nu_factor", ShortestText(f), "finite and > 0");
    }
  }
  if (!(rel_tol > 0.0) || !(rel_tol < 1e-2)) {
    throw InputError("rel_tol", ShortestText(rel_tol), "in (0, 1e-2)");
  }
  const double trace = std::accumulate(spectrum.begin(), spectrum.end(), 0.0);
  if (!(std::abs(clip.trace - trace) <= 1e-9 * trace)) {
    throw InputError("clip.trace", ShortestText(clip.trace),
                     "the sum of the eigenvalues, " + ShortestText(trace));
  }
}

RiskPrediction SolveRiskOde(const RiskOde& ode, std::span<const double> samples) {
  ode.Validate();
  RiskPrediction out;
  out.samples.assign(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  out.risk.assign(n, kInf);
  out.mu.assign(n, kInf);
  out.nu.assign(n, kInf);
  out.ccc.assign(n, kInf);
  for (double k : samples) {
    if (!(k >= 0.0) || !std::isfinite(k)) {
      throw InputError("samples", ShortestText(k), "sample counts finite and >= 0");
    }
  }
  ReductionTable table(ode.clip);
  const std::vector<double>& lambda = ode.spectrum;
  const auto risk_of = [&](const State& v) {
    double r = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) r += lambda[i] * v[i];
    return r;
  };
  const double r0 = risk_of(ode.start);
  const auto record = [&](std::size_t idx, double r) {
    const Factors f = table.At(r);
    out.risk[idx] = r;
    out.mu[idx] = f.mu * ode.mu_factor;
    out.nu[idx] = f.nu * ode.nu_factor;
    out.ccc[idx] = Ccc(table.setting(), f, r);
  };

  // The distinct times in increasing order, each with the indices that asked for it.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return samples[a] < samples[b]; });
  std::vector<double> times = {0.0};
  for (std::size_t idx : order) {
    if (samples[idx] > times.back()) times.push_back(samples[idx]);
  }
  const auto record_time = [&](double t, double r) {
    for (std::size_t idx : order) {
      if (samples[idx] == t) record(idx, r);
    }
  };
  record_time(0.0, r0);

  // SGD under label noise of infinite variance: the noise term is infinite at once.
  if (!std::isfinite(table.At(r0).nu)) {
    out.diverged = true;
    out.message = "nu is infinite (unclipped SGD, label noise with E eps^2 = inf)";
    return out;
  }
  if (times.size() == 1) return out;

  const double eta = ode.eta;
  const auto rhs = [&](const State& v, State& dv, double /*k*/) {
    const double r = risk_of(v);
    const Factors f = table.At(r);
    const double drift = 2.0 * eta * f.mu * ode.mu_factor;
    const double source = 0.5 * eta * eta * f.nu * ode.nu_factor;
    for (std::size_t i = 0; i < v.size(); ++i) dv[i] = lambda[i] * (source - drift * v[i]);
  };
  const double limit = kBlowUp * std::max(1.0, r0);
  const auto observe = [&](const State& v, double t) {
    const double r = risk_of(v);
    if (!std::isfinite(r) || r > limit) throw Diverged{};
    record_time(t, r);
  };
  const double v_scale =
      *std::max_element(ode.start.begin(), ode.start.end()) + eta * table.At(r0).nu;
  const double abs_tol = 1e-4 * ode.rel_tol * (v_scale > 0.0 ? v_scale : 1.0);
  namespace odeint = boost::numeric::odeint;
  auto stepper =
      odeint::make_dense_output(abs_tol, ode.rel_tol, odeint::runge_kutta_dopri5<State>());
  State v = ode.start;
  const double dt0 = std::min(1.0, times[1]);
  try {
    odeint::integrate_times(stepper, rhs, v, times.begin(), times.end(), dt0, observe);
  } catch (const Diverged&) {
    out.diverged = true;
    out.message = "the risk grew beyond " + ShortestText(limit) + " (unstable step)";
  }
  return out;
}

RiskOde StreamingLsqOde(const StreamingLsqSpec& spec, ClipSetting clip, double eta) {
  RiskOde ode;
  ode.spectrum = PowerLawSpectrum(spec);
  ode.start.assign(ode.spectrum.size(), spec.risk0 / spec.trace);
  clip.trace = std::accumulate(ode.spectrum.begin(), ode.spectrum.end(), 0.0);
  ode.clip = std::move(clip);
  ode.eta = eta;
  return ode;
}

double UnclippedIsotropicRisk(double lambda, int dim, double eta, double noise_second_moment,
                              double risk0, double k) {
  const double d = static_cast<double>(dim);
  const double a = 2.0 * eta * lambda - eta * eta * lambda * lambda * d;
  const double b = 0.5 * eta * eta * lambda * lambda * d * noise_second_moment;
  if (a == 0.0) return risk0 + b * k;
  const double r_inf = b / a;
  const double r = r_inf + (risk0 - r_inf) * std::exp(-a * k);
  return std::isfinite(r) ? r : kInf;
}

}  // namespace clipsim::dynamics
