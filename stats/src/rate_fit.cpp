#include "clipsim/stats/rate_fit.hpp"

#include <cmath>
#include <limits>

namespace clipsim::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

LineFit FitLine(std::span<const double> x, std::span<const double> y) {
  LineFit out;
  const std::size_t n = x.size();
  out.points = static_cast<int>(n);
  if (n < 2 || y.size() != n) {
    out.slope = out.intercept = out.r2 = kNaN;
    return out;
  }
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0.0, sxy = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (!(sxx > 0.0)) {
    out.slope = out.intercept = out.r2 = kNaN;
    return out;
  }
  out.slope = sxy / sxx;
  out.intercept = my - out.slope * mx;
  double ss_res = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = y[i] - (out.intercept + out.slope * x[i]);
    ss_res += r * r;
  }
  if (syy > 0.0) {
    out.r2 = 1.0 - ss_res / syy;
  } else {
    out.r2 = ss_res == 0.0 ? 1.0 : kNaN;
  }
  return out;
}

LogLineFit FitLogLine(std::span<const double> x, std::span<const double> y,
                      const std::function<double(int, int)>& replicate_y, int resamples,
                      double confidence, std::span<const std::string> labels) {
  LogLineFit out;
  const int n = static_cast<int>(x.size());
  const auto label = [&](int i) {
    return i < static_cast<int>(labels.size()) ? labels[static_cast<std::size_t>(i)]
                                               : "point " + std::to_string(i);
  };
  std::vector<double> ly(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double v = y[static_cast<std::size_t>(i)];
    if (std::isinf(v) && v > 0) {
      out.reason = "infinite at " + label(i) + " (diverged runs)";
      return out;
    }
    if (!(v > 0.0) || !std::isfinite(v)) {
      out.reason = "not positive at " + label(i) + " (no logarithm)";
      return out;
    }
    ly[static_cast<std::size_t>(i)] = std::log(v);
  }
  out.fit = FitLine(x, ly);
  if (std::isnan(out.fit.slope)) {
    out.reason = "fewer than two distinct points";
    return out;
  }
  out.defined = true;
  out.slope_replicates.resize(static_cast<std::size_t>(resamples));
  std::vector<double> r2(static_cast<std::size_t>(resamples));
  for (int b = 0; b < resamples; ++b) {
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) {
      const double v = replicate_y(b, i);
      ok = v > 0.0 && std::isfinite(v);
      if (ok) ly[static_cast<std::size_t>(i)] = std::log(v);
    }
    const LineFit f = ok ? FitLine(x, ly) : LineFit{kNaN, kNaN, kNaN, n};
    out.slope_replicates[static_cast<std::size_t>(b)] = f.slope;
    r2[static_cast<std::size_t>(b)] = f.r2;
  }
  out.slope_ci = PercentileBounds(out.slope_replicates, confidence);
  out.r2_ci = PercentileBounds(r2, confidence);
  return out;
}

}  // namespace clipsim::stats
