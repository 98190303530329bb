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

// File-name slug of a setting: problem, dimension and the noise's values
// ("smooth_rastrigin_d10_stable_alpha1_5_skew0_scale1").
inline std::string SettingSlug(const analysis::CellAnalysis& cell) {
  const analysis::CellInfo& i = cell.info;
  std::string text = i.problem.empty() ? i.Get("problem.kind") : i.problem;
  const std::string dim = i.dim.empty() ? i.Get("problem.dim") : i.dim;
  if (!dim.empty()) text += " d" + dim;
  std::string noise = i.noise;
  for (const std::string drop : {"kind=", "="}) {
    for (auto at = noise.find(drop); at != std::string::npos; at = noise.find(drop)) {
      noise.erase(at, drop.size());
    }
  }
  text += " " + noise;
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

// Colour-blind-safe palette (Okabe & Ito 2008), cycled.
inline std::string Color(std::size_t i) {
  static const std::vector<std::string> kColors = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                   "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return kColors[i % kColors.size()];
}

}  // namespace clipsim::plots::detail
