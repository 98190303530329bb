#include <algorithm>
#include <cmath>
#include <functional>

#include "clipsim/plots/gnuplot.hpp"
#include "figures.hpp"
#include "plot_text.hpp"

namespace clipsim::plots::detail {

Figure NoiseTailPlot(const std::string& name, const analysis::NoiseNorms& norms,
                     const analysis::NoiseCheck& check) {
  Figure f;
  f.name = name;
  const std::string noise = norms.noise.empty() ? norms.noise_stream : norms.noise;
  f.caption = "Noise tail plot (noise " + noise + ", dim " + norms.dim +
              "): empirical complementary CDF P(||xi|| > x) of the saved noise norms, log-log, "
              "with the Hill fit (k/n)(x/u)^(-alpha) above the threshold u (the (k+1)-th largest "
              "norm); a straight tail of slope -alpha is a power law with tail index alpha.";
  std::vector<double> x;
  for (double v : norms.norms) {
    if (std::isfinite(v) && v > 0) x.push_back(v);
  }
  std::sort(x.begin(), x.end(), std::greater<>());
  const double n = static_cast<double>(x.size());
  // Every one of the 300 largest points, then about 400 log-spaced ranks (a 10^5-point CCDF
  // would make heavy files without showing more).
  std::string data = "# " + f.caption + "\n# norm ccdf\n";
  std::size_t i = 0;
  while (i < x.size()) {
    data += Num(x[i]) + " " + Num(static_cast<double>(i + 1) / n) + "\n";
    i = i < 300 ? i + 1 : std::max(i + 1, static_cast<std::size_t>(std::ceil(i * 1.02)));
  }
  if (!x.empty()) data += Num(x.back()) + " " + Num(1.0) + "\n";
  data += "\n\n# Hill fit: norm ccdf\n";
  std::string fit_title = "no tail-index estimate";
  const analysis::TailEstimate* hill = check.estimates.empty() ? nullptr : &check.estimates[0];
  if (hill != nullptr && hill->ok && hill->k > 0 && static_cast<std::size_t>(hill->k) < x.size()) {
    const double u = x[static_cast<std::size_t>(hill->k)];
    const double top = static_cast<double>(hill->k) / n;
    data += Num(u) + " " + Num(top) + "\n";
    data += Num(x.front()) + " " + Num(top * std::pow(x.front() / u, -hill->estimate)) + "\n";
    fit_title = hill->method + ": alpha " + Short(hill->estimate) + " [" + Short(hill->lower) +
                ", " + Short(hill->upper) + "], k = " + std::to_string(hill->k);
  }
  std::string plot = "  " + GnuplotQuote(name + ".dat") +
                     " index 0 using 1:2 with points pt 7 ps 0.4 lc rgb \"#0072B2\" title " +
                     GnuplotQuote("empirical, n = " + std::to_string(x.size())) + ", \\\n";
  plot += "  " + GnuplotQuote(name + ".dat") +
          " index 1 using 1:2 with lines lw 2.5 lc rgb \"#D55E00\" title " +
          GnuplotQuote(fit_title);
  for (std::size_t e = 1; e < check.estimates.size(); ++e) {
    const analysis::TailEstimate& t = check.estimates[e];
    plot +=
        ", \\\n  keyentry title " +
        GnuplotQuote(t.method + ": alpha " +
                     (t.ok ? Short(t.estimate) + " [" + Short(t.lower) + ", " + Short(t.upper) + "]"
                           : std::string("n/a")));
  }
  std::string assumed;
  for (const std::string& p : check.assumed_p) assumed += (assumed.empty() ? "" : ", ") + p;
  if (!assumed.empty()) {
    plot += ", \\\n  keyentry title " + GnuplotQuote("runs assumed p = " + assumed);
  }
  f.data.emplace_back(name + ".dat", data);
  f.body =
      "set datafile missing \"nan\"\n"
      "set logscale xy\n"
      "set format y \"%g\"\n"
      "set grid xtics ytics mxtics mytics lc rgb \"#dddddd\"\n"
      "set xlabel \"x (noise norm ||xi||)\"\n"
      "set ylabel \"P(||xi|| > x)\"\n"
      "set title " +
      GnuplotQuote("noise " + noise + ", dim " + norms.dim +
                   "\ncomplementary CDF of the noise norm") +
      "\n" + KeyBelowThenPlot(plot);
  f.width_px = 1100;
  f.height_px = HeightFor(plot);
  return f;
}

}  // namespace clipsim::plots::detail
