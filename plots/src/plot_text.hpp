// Text helpers of the figure builders: numbers for data files, file-name slugs, titles, colors.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::plots::detail {

// Shortest round-trip; non-finite values are "nan", which the scripts declare missing.
inline std::string Num(double x) {
  return std::isfinite(x) ? ShortestText(x) : "nan";
}

// %.3g for legends.
inline std::string Short(double x, int digits = 3) {
  return SignificantText(x, digits);
}

inline std::string Fixed(double x, int decimals = 3) {
  return FixedText(x, decimals);
}

// Lower-case [a-z0-9_] slug of at most 64 characters.
inline std::string Slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (alnum) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
    if (out.size() >= 64) break;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "sweep" : out;
}

// A noise spec without its "kind=" and "=" ("stablealpha1.5,skew0"), for file-name slugs.
inline std::string CompactNoise(std::string noise) {
  for (const std::string drop : {"kind=", "="}) {
    for (auto at = noise.find(drop); at != std::string::npos; at = noise.find(drop)) {
      noise.erase(at, drop.size());
    }
  }
  return noise;
}

// File-name slug of a setting: problem, dimension and the noise's values
// ("smooth_rastrigin_d10_stable_alpha1_5_skew0_scale1").
inline std::string SettingSlug(const analysis::CellAnalysis& cell) {
  const analysis::CellInfo& i = cell.info;
  std::string text = i.problem.empty() ? i.Get("problem.kind") : i.problem;
  const std::string dim = i.dim.empty() ? i.Get("problem.dim") : i.dim;
  if (!dim.empty()) text += " d" + dim;
  text += " " + CompactNoise(i.noise);
  return Slug(text.size() > 1 ? text : cell.setting);
}

// Two-digit index for file names.
inline std::string Index2(std::size_t i) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02zu", i + 1);
  return buf;
}

// "problem quadratic, dim 10; noise kind=stable,alpha=1.5; p 1.5" from the resolved columns,
// with the setting's other axes on a second line when they add something.
inline std::string SettingTitle(const analysis::CellAnalysis& cell) {
  const analysis::CellInfo& i = cell.info;
  std::string problem = i.problem.empty() ? i.Get("problem.kind") : i.problem;
  std::string dim = i.dim.empty() ? i.Get("problem.dim") : i.dim;
  std::string line;
  const auto add = [&line](const char* sep, const char* label, const std::string& value) {
    if (!line.empty()) line += sep;
    line += label;
    line += value;
  };
  if (!problem.empty()) add("", "problem ", problem);
  if (!dim.empty() && problem.find("dim=") == std::string::npos) add(", ", "dim ", dim);
  if (!i.noise.empty()) add("; ", "noise ", i.noise);
  const std::string p = i.p.empty() ? i.Get("p") : i.p;
  if (!p.empty()) add("; ", "p ", p);
  if (line.empty()) return cell.setting.empty() ? "all cells" : cell.setting;
  return line;
}

// Key entries of a plot command (each " title " is one), to size a figure whose key sits below.
inline int KeyEntries(const std::string& plot) {
  int n = 0;
  for (std::size_t pos = plot.find(" title "); pos != std::string::npos;
       pos = plot.find(" title ", pos + 1)) {
    ++n;
  }
  return n;
}

// Figure height: the plot area plus one key line per entry.
inline int HeightFor(const std::string& plot) {
  return 600 + 22 * KeyEntries(plot);
}

// The ending most figures share: the key below the plot, one entry per line, then the plot
// command itself (`plot` without the leading "plot").
inline std::string KeyBelowThenPlot(const std::string& plot) {
  return "set key bmargin left vertical Left reverse maxcols 1 spacing 1.1\n"
         "plot \\\n" +
         plot + "\n";
}

// The shown numbers of one budget of a bound check (bound_check.hpp): E||grad f(x_R)|| (the mean
// over seeds of mean_grad_norm) with its shown one-sided bounds, and the same divided by the bound.
// NaN where the check has no draws (no finite G, or fewer than 2 seeds): MeanConfidence is then
// its default, not an estimate.
struct BoundPoint {
  double mean = std::nan("");
  double lower = std::nan("");
  double upper = std::nan("");
  double ratio = std::nan("");  // BudgetBoundCheck::ratio
  double ratio_lower = std::nan("");
  double ratio_upper = std::nan("");
};

inline BoundPoint ShownBoundPoint(const analysis::BudgetBoundCheck& b) {
  BoundPoint p;
  if (b.draws.empty()) return p;
  p.mean = b.mean.mean;
  p.lower = b.mean.lower;
  p.upper = b.mean.upper;
  p.ratio = b.ratio;
  p.ratio_lower = b.mean.lower / b.bound;
  p.ratio_upper = b.mean.upper / b.bound;
  return p;
}

// What a theory cell is, for legends: "" for the prescription of its own entry,
// " (control at ps_clip_sgd's prescription)", " (variant of the prescription)".
inline std::string BoundRole(const analysis::CellAnalysis& cell) {
  const analysis::CellRegime& r = cell.regime;
  if (r.control) return " (control at " + r.entry + "'s prescription)";
  if (r.twin) return " (variant of the prescription)";
  return "";
}

// The level of every shown interval of the bound checks: a / m with a = 1 - confidence and m the
// hypotheses of the family, 4 per testable budget of the analysis (bound_check.hpp: the first Holm
// step, Bonferroni), in words for captions.
inline std::string ShownBoundLevel(const analysis::SweepAnalysis& analysis) {
  // The analysis decides every theory cell in one family and records its size and level.
  std::size_t m = 0;
  const double a = 1.0 - analysis.options.verdict.confidence;
  double level = a;
  for (const analysis::CellAnalysis& c : analysis.cells) {
    if (c.bound.family_size > 0) {
      m = c.bound.family_size;
      level = c.bound.shown_alpha;
      break;
    }
  }
  return "one-sided empirical Bernstein / Hoeffding bounds on the range [0, G], each at level " +
         SignificantText(level, 3) + " (a / m: familywise a = " + SignificantText(a, 3) +
         ", m = " + std::to_string(m) +
         " hypotheses, 4 per testable budget of the analysis; where an interval clears the "
         "bound, Holm's procedure rejects too)";
}

// The axes every figure over the budget shares: log N and log y, N in engineering notation
// ("10k"), a small margin so that the end points are not drawn on the frame.
inline constexpr const char* kBudgetAxes =
    "set logscale xy\n"
    "set format x \"%.0s%c\"\n"
    "set autoscale xfix\n"
    "set offsets graph 0.04, graph 0.04, 0, 0\n"
    "set grid xtics ytics mxtics mytics lc rgb \"#dddddd\"\n"
    "set xlabel \"N (sampled gradients)\"\n";

// Drops the trailing ", \" (and its line break) of a gnuplot plot list built entry by entry.
inline void EndPlotList(std::string& plot) {
  if (plot.size() >= 4) plot.resize(plot.size() - 4);
}

// Colour-blind-safe palette (Okabe & Ito 2008), cycled.
inline std::string Color(std::size_t i) {
  static const std::vector<std::string> kColors = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                   "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return kColors[i % kColors.size()];
}

}  // namespace clipsim::plots::detail
