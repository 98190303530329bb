// Figures of a synthetic sweep: every figure's data files, read back as numbers, hold the numbers
// of the analysis it was given; its script plots data sets and columns that exist (named by the
// data file's column header), with legends that carry the analysis' fits and titles that name
// problem, noise and dimension, the legend outside the plot; with gnuplot on PATH the PNG and PDF
// files are real images (checks of the rendering are skipped when gnuplot is absent). Also the
// `clipsim plot` command, and the bound and sensitivity figures on planted analyses and on a
// real theory sweep.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "../analysis/synthetic_sweep.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/plots/gnuplot.hpp"
#include "clipsim/plots/sweep_plots.hpp"
#include "common/run_command.hpp"
#include "common/temp_files.hpp"
#include "figures.hpp"

namespace clipsim::plots {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;

namespace fs = std::filesystem;

analysis::testing::SyntheticSweep Sweep() {
  analysis::testing::SyntheticSweep s;
  s.seeds = 150;
  s.budgets = {1000, 10000, 100000};
  s.cells.resize(2);
  s.cells[0].method = "ps_clip_sgd";
  s.cells[1].method = "sgd";
  s.cells[1].slope = -0.05;
  s.noise_norms = 2000;
  return s;
}

struct Written {
  analysis::SweepResults results;
  analysis::SweepAnalysis analysis;
  PlotReport report;
};

Written Plot(const std::string& dir, bool render) {
  analysis::testing::WriteSyntheticSweep(Sweep(), dir);
  Written w;
  w.results = analysis::ReadSweepDir(dir);
  analysis::AnalysisOptions options;
  options.bootstrap_resamples = 200;
  w.analysis = analysis::AnalyzeSweep(w.results, options);
  PlotOptions plot;
  plot.render = render;
  w.report = WriteSweepPlots(w.results, w.analysis, dir + "/plots", plot);
  return w;
}

// The rows of a gnuplot data file, one vector per block (blocks end at a blank line), comment
// lines skipped; each row split at spaces.
using Rows = std::vector<std::vector<std::string>>;
std::vector<Rows> DataBlocks(const std::string& text) {
  std::vector<Rows> blocks(1);
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    if (line.empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    std::vector<std::string> row;
    std::istringstream words(line);
    for (std::string w; words >> w;) row.push_back(w);
    blocks.back().push_back(row);
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

// A data-file number ("nan" and "inf" as clipsim writes them).
double Number(const std::string& text) {
  double v = 0.0;
  EXPECT_TRUE(ParseDouble(text, v, NumberSyntax::kResults)) << text;
  return v;
}

// Equal as doubles, NaN equal to NaN.
void ExpectSame(double got, double want, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": " << got;
  } else {
    EXPECT_EQ(got, want) << what;
  }
}

// A data file split as gnuplot's `index` splits it: a data set ends at each pair of consecutive
// blank lines (an empty one, comments only, still counts). Comment lines are kept per set: the
// last one before the rows names the columns.
struct DataSet {
  std::vector<std::string> comments;
  Rows rows;
  // The column names of the set's last comment line ("# N mom ..." -> {"N", "mom", ...}).
  std::vector<std::string> Columns() const {
    std::vector<std::string> names;
    if (comments.empty()) return names;
    std::istringstream words(comments.back().substr(1));
    for (std::string w; words >> w;) names.push_back(w);
    return names;
  }
};
bool CommentsContain(const DataSet& set, const std::string& text) {
  return std::any_of(set.comments.begin(), set.comments.end(),
                     [&](const std::string& c) { return c.find(text) != std::string::npos; });
}

std::vector<DataSet> DataSets(const std::string& text) {
  std::vector<DataSet> sets(1);
  int blanks = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') {
      sets.back().comments.push_back(line);
      continue;
    }
    if (line.empty()) {
      if (++blanks == 2) {
        sets.emplace_back();
        blanks = 0;
      }
      continue;
    }
    blanks = 0;
    std::vector<std::string> row;
    std::istringstream words(line);
    for (std::string w; words >> w;) row.push_back(w);
    sets.back().rows.push_back(row);
  }
  // The pair of blank lines after the last set opens none.
  if (sets.back().rows.empty() && sets.back().comments.empty()) sets.pop_back();
  return sets;
}

// One element of a script's plot command that reads a data file:
// "FILE" index K using C1:C2[:...] ... [title "TITLE" | notitle].
struct PlotElement {
  std::string file;
  std::size_t index = 0;
  std::vector<int> columns;
  std::string title;  // unquoted; "" for notitle
};

// The text of a gnuplot string literal starting at text[at] == '"' (GnuplotQuote's escapes undone).
std::string Unquote(const std::string& text, std::size_t at) {
  std::string out;
  for (std::size_t i = at + 1; i < text.size() && text[i] != '"'; ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      ++i;
      out += text[i] == 'n' ? '\n' : text[i];
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<PlotElement> PlotElements(const std::string& script) {
  std::vector<PlotElement> out;
  std::istringstream in(script);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t dat = line.find(".dat\" index ");
    if (dat == std::string::npos) continue;
    PlotElement e;
    const std::size_t open = line.rfind('"', dat);
    e.file = line.substr(open + 1, dat + 4 - open - 1);
    std::istringstream rest(line.substr(dat + 5));
    std::string word, using_word, spec;
    rest >> word >> e.index >> using_word >> spec;
    EXPECT_EQ(word, "index") << line;
    EXPECT_EQ(using_word, "using") << line;
    std::istringstream cols(spec);
    for (std::string c; std::getline(cols, c, ':');) e.columns.push_back(std::stoi(c));
    const std::size_t title = line.find(" title \"");
    if (title != std::string::npos) e.title = Unquote(line, title + 7);
    out.push_back(e);
  }
  return out;
}

// The structure every figure's script must have: a title and both axis labels, the PNG named
// after the figure, and every data file it plots from written next to it, holding the data set
// it names with the columns it uses, as numbers (or "nan"). Returns the plot elements of the
// first rendering (the PDF's repeat them).
std::vector<PlotElement> CheckScript(const FigureFiles& f) {
  const std::string script = ReadText(f.script);
  for (const char* setting : {"set title \"", "set xlabel \"", "set ylabel \""}) {
    EXPECT_NE(script.find(setting), std::string::npos) << f.name << ": no " << setting;
  }
  EXPECT_NE(script.find("set output \"" + f.name + ".png\""), std::string::npos) << f.name;
  const std::vector<PlotElement> all = PlotElements(script);
  // Every reference to a .dat file is one the parser read.
  std::size_t references = 0;
  for (std::size_t at = script.find(".dat\""); at != std::string::npos;
       at = script.find(".dat\"", at + 1)) {
    ++references;
  }
  EXPECT_EQ(all.size(), references) << f.name;
  EXPECT_FALSE(all.empty()) << f.name;
  const fs::path folder = fs::path(f.script).parent_path();
  for (const PlotElement& e : all) {
    const std::string at = f.name + ": " + e.file + " index " + std::to_string(e.index);
    const fs::path path = folder / e.file;
    EXPECT_NE(std::find(f.data.begin(), f.data.end(), path.string()), f.data.end()) << at;
    if (!fs::exists(path)) {
      ADD_FAILURE() << at << ": no such file";
      continue;
    }
    const std::vector<DataSet> sets = DataSets(ReadText(path.string()));
    if (e.index >= sets.size()) {
      ADD_FAILURE() << at << ": the file has " << sets.size() << " data sets";
      continue;
    }
    const DataSet& set = sets[e.index];
    EXPECT_FALSE(set.rows.empty()) << at << ": plots an empty data set";
    for (const std::vector<std::string>& row : set.rows) {
      for (int c : e.columns) {
        if (c < 1 || static_cast<std::size_t>(c) > row.size()) {
          ADD_FAILURE() << at << ": uses column " << c << " of a row of " << row.size();
          continue;
        }
        Number(row[static_cast<std::size_t>(c) - 1]);
      }
    }
    const std::vector<std::string> names = set.Columns();
    for (int c : e.columns) {
      EXPECT_LE(static_cast<std::size_t>(c), names.size()) << at << ": column " << c << " unnamed";
    }
  }
  // The PDF rendering repeats the body: keep the first.
  std::vector<PlotElement> first;
  for (const PlotElement& e : all) {
    if (std::any_of(first.begin(), first.end(), [&](const PlotElement& p) {
          return p.file == e.file && p.index == e.index && p.columns == e.columns;
        })) {
      break;
    }
    first.push_back(e);
  }
  return first;
}

// The numbers of a legend: "... slope -0.201 [-0.230, -0.170]" -> {-0.201, -0.230, -0.170}, read
// from where `after` ends.
std::vector<double> NumbersAfter(const std::string& text, const std::string& after) {
  std::vector<double> out;
  const std::size_t at = text.find(after);
  if (at == std::string::npos) {
    ADD_FAILURE() << "'" << after << "' not in '" << text << "'";
    return out;
  }
  std::string rest = text.substr(at + after.size());
  for (char& c : rest) {
    if (c == '[' || c == ']' || c == ',' || c == '=' || c == ';') c = ' ';
  }
  std::istringstream words(rest);
  for (std::string w; words >> w;) {
    double v = 0.0;
    if (ParseDouble(w, v, NumberSyntax::kResults)) out.push_back(v);
  }
  return out;
}

// The element of `elements` that plots data set `index` with exactly `columns`.
const PlotElement* Element(const std::vector<PlotElement>& elements, std::size_t index,
                           const std::vector<int>& columns) {
  for (const PlotElement& e : elements) {
    if (e.index == index && e.columns == columns) return &e;
  }
  return nullptr;
}

// The column numbers (1-based) of named columns in a data set.
std::vector<int> ColumnsNamed(const DataSet& set, const std::vector<std::string>& names) {
  const std::vector<std::string> all = set.Columns();
  std::vector<int> out;
  for (const std::string& n : names) {
    const auto it = std::find(all.begin(), all.end(), n);
    EXPECT_NE(it, all.end()) << "no column " << n;
    out.push_back(static_cast<int>(it - all.begin()) + 1);
  }
  return out;
}

const analysis::RateResult* RateOf(const analysis::MetricAnalysis& m, stats::StatisticKind k) {
  for (const analysis::RateResult& r : m.rates) {
    if (r.statistic.kind == k) return &r;
  }
  return nullptr;
}

// Legend numbers are rounded to 3 decimals (or 3 significant digits).
constexpr double kLegendRounding = 5e-4;

// The rate figure: per cell the budgets, median-of-means with its interval, mean, quantiles and
// the theory reference line, as the analysis has them; the legend's slopes are the fits'.
void CheckRateFigure(const FigureFiles& f, const analysis::SweepAnalysis& a) {
  const std::vector<PlotElement> elements = CheckScript(f);
  const std::vector<DataSet> sets = DataSets(ReadText(f.data[0]));
  const std::string& metric = a.options.theorem_metric;
  ASSERT_EQ(sets.size(), a.cells.size());
  for (std::size_t c = 0; c < a.cells.size(); ++c) {
    const analysis::CellAnalysis& cell = a.cells[c];
    const analysis::MetricAnalysis* m = cell.Find(metric);
    ASSERT_NE(m, nullptr);
    const DataSet& set = sets[c];
    const std::string at = f.name + " " + cell.info.id;
    EXPECT_TRUE(CommentsContain(set, "method " + cell.label + ", cell " + cell.info.id)) << at;
    ASSERT_EQ(set.rows.size(), m->budgets.size()) << at;
    const analysis::RateResult* mom = RateOf(*m, stats::StatisticKind::kMedianOfMeans);
    ASSERT_NE(mom, nullptr);
    const double s = mom->theory_slope ? *mom->theory_slope : std::nan("");
    const double nan = std::nan("");
    for (std::size_t j = 0; j < set.rows.size(); ++j) {
      const std::vector<std::string>& row = set.rows[j];
      const analysis::BudgetSummary& b = m->budgets[j];
      const std::string here = at + " N=" + std::to_string(b.budget);
      ASSERT_EQ(row.size(), 6 + a.options.deltas.size()) << here;
      const bool ok = b.mom.status == stats::IntervalStatus::kOk;
      ExpectSame(Number(row[0]), static_cast<double>(b.budget), here + " N");
      ExpectSame(Number(row[1]), b.mom.estimate, here + " mom");
      ExpectSame(Number(row[2]), ok ? b.mom.lower : nan, here + " mom lower");
      ExpectSame(Number(row[3]), ok ? b.mom.upper : nan, here + " mom upper");
      ExpectSame(Number(row[4]), b.mean, here + " mean");
      for (std::size_t i = 0; i < a.options.deltas.size(); ++i) {
        const stats::QuantileEstimate& q = b.quantiles[i];
        const bool shown = q.status == stats::IntervalStatus::kOk && std::isfinite(q.estimate);
        ExpectSame(Number(row[5 + i]), shown ? q.estimate : nan,
                   here + " quantile " + std::to_string(i));
      }
      // The theory reference: slope s in log-log, through the first median-of-means point (none
      // without a theory slope).
      const double reference = Number(row.back());
      const double first = Number(set.rows[0].back());
      if (!std::isfinite(s)) {
        EXPECT_TRUE(std::isnan(reference)) << here;
        continue;
      }
      EXPECT_NEAR(first / m->budgets[0].mom.estimate, 1.0, 1e-14) << here;
      EXPECT_NEAR(
          std::log(reference / first),
          s * std::log(static_cast<double>(b.budget) / static_cast<double>(m->budgets[0].budget)),
          1e-12)
          << here;
    }
    // Which columns the script draws, by their names in the data file, and their legends.
    const std::vector<int> band = ColumnsNamed(set, {"N", "mom_lower", "mom_upper"});
    const std::vector<int> line = ColumnsNamed(set, {"N", "mom"});
    const std::vector<int> theory = ColumnsNamed(set, {"N", "theory_reference"});
    ASSERT_NE(Element(elements, c, band), nullptr) << at << ": no interval band";
    const PlotElement* mom_line = Element(elements, c, line);
    ASSERT_NE(mom_line, nullptr) << at << ": no median-of-means line";
    const std::vector<double> legend = NumbersAfter(mom_line->title, cell.label + ": MoM, slope");
    ASSERT_GE(legend.size(), 3u) << mom_line->title;
    EXPECT_NEAR(legend[0], mom->fit.fit.slope, kLegendRounding) << mom_line->title;
    EXPECT_NEAR(legend[1], mom->fit.slope_ci.lower, kLegendRounding) << mom_line->title;
    EXPECT_NEAR(legend[2], mom->fit.slope_ci.upper, kLegendRounding) << mom_line->title;
    const PlotElement* theory_line = Element(elements, c, theory);
    if (std::isfinite(s)) {
      ASSERT_NE(theory_line, nullptr) << at << ": no theory line";
      const std::vector<double> theory_legend =
          NumbersAfter(theory_line->title, cell.label + ": theory slope");
      ASSERT_EQ(theory_legend.size(), 1u) << theory_line->title;
      EXPECT_NEAR(theory_legend[0], s, kLegendRounding);
    } else {
      EXPECT_EQ(theory_line, nullptr) << at << ": a theory line without a theory slope";
      EXPECT_NE(mom_line->title.find("; no theory slope"), std::string::npos) << mom_line->title;
    }
    // Each drawn quantile column is one of the deltas' and carries no legend of its own.
    for (const PlotElement& e : elements) {
      if (e.index != c || e.columns == band || e.columns == line || e.columns == theory) continue;
      ASSERT_EQ(e.columns.size(), 2u);
      EXPECT_EQ(set.Columns()[static_cast<std::size_t>(e.columns[1]) - 1].rfind("q(1-", 0), 0u)
          << at;
      EXPECT_EQ(e.title, "") << at;
    }
  }
  const std::string script = ReadText(f.script);
  EXPECT_NE(script.find("set ylabel \"" + metric), std::string::npos) << f.name;
  EXPECT_NE(
      script.find(std::to_string(a.cells[0].Find(metric)->budgets.back().n) + " seeds per point"),
      std::string::npos);
}

// The delta figure: per cell, at its largest budget, (1/delta, quantile, interval) of every
// supported delta of hp_metric; the legend's exponent is the delta_power fit's.
void CheckDeltaFigure(const FigureFiles& f, const analysis::SweepAnalysis& a) {
  const std::vector<PlotElement> elements = CheckScript(f);
  const std::vector<DataSet> sets = DataSets(ReadText(f.data[0]));
  ASSERT_EQ(sets.size(), a.cells.size());
  std::int64_t largest = 0;
  for (std::size_t c = 0; c < a.cells.size(); ++c) {
    const analysis::CellAnalysis& cell = a.cells[c];
    const analysis::MetricAnalysis* m = cell.Find(a.options.hp_metric);
    ASSERT_NE(m, nullptr);
    const analysis::BudgetSummary& b = m->budgets.back();
    largest = std::max(largest, b.budget);
    const std::string at = f.name + " " + cell.info.id;
    EXPECT_TRUE(
        CommentsContain(sets[c], "cell " + cell.info.id + ", N " + std::to_string(b.budget)))
        << at;
    std::size_t row = 0;
    for (std::size_t i = 0; i < b.quantiles.size(); ++i) {
      const stats::QuantileEstimate& q = b.quantiles[i];
      if (q.status != stats::IntervalStatus::kOk || !std::isfinite(q.estimate)) continue;
      ASSERT_LT(row, sets[c].rows.size()) << at;
      const std::vector<std::string>& r = sets[c].rows[row++];
      ASSERT_EQ(r.size(), 4u);
      ExpectSame(Number(r[0]), 1.0 / a.options.deltas[i], at + " 1/delta");
      ExpectSame(Number(r[1]), q.estimate, at + " quantile");
      ExpectSame(Number(r[2]), q.lower, at + " lower");
      ExpectSame(Number(r[3]), q.upper, at + " upper");
    }
    EXPECT_EQ(row, sets[c].rows.size()) << at << ": rows beyond the supported deltas";
    ASSERT_GE(row, 2u) << at << ": the planted sweep supports several deltas";
    const PlotElement* e = Element(elements, c, {1, 2, 3, 4});
    ASSERT_NE(e, nullptr) << at;
    EXPECT_EQ(sets[c].Columns(),
              (std::vector<std::string>{"one_over_delta", "quantile", "lower", "upper"}));
    ASSERT_TRUE(m->delta_power.fit.defined) << at;
    const std::vector<double> legend = NumbersAfter(e->title, cell.label + ": exponent");
    ASSERT_GE(legend.size(), 3u) << e->title;
    EXPECT_NEAR(legend[0], m->delta_power.fit.fit.slope, kLegendRounding) << e->title;
    EXPECT_NEAR(legend[1], m->delta_power.fit.slope_ci.lower, kLegendRounding) << e->title;
    EXPECT_NEAR(legend[2], m->delta_power.fit.slope_ci.upper, kLegendRounding) << e->title;
  }
  const std::string script = ReadText(f.script);
  EXPECT_NE(script.find("largest budget N = " + std::to_string(largest)), std::string::npos);
  EXPECT_NE(script.find("set ylabel \"(1 - delta) quantile of " + a.options.hp_metric),
            std::string::npos);
}

// The comparison figure: per pair of cells, by budget, the median ratio with its interval, the
// 10% and 90% quantiles and the seed count; the legend's median and P(a < b) are the last budget's.
void CheckComparisonFigure(const FigureFiles& f, const analysis::SweepAnalysis& a) {
  const std::vector<PlotElement> elements = CheckScript(f);
  const std::vector<DataSet> sets = DataSets(ReadText(f.data[0]));
  ASSERT_FALSE(a.paired.empty());
  // One pair of cells here; its comparisons by budget.
  std::vector<const analysis::PairedComparison*> pairs;
  for (const analysis::PairedComparison& p : a.paired) {
    EXPECT_EQ(p.cell_a, a.paired[0].cell_a);
    EXPECT_EQ(p.cell_b, a.paired[0].cell_b);
    pairs.push_back(&p);
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const auto* x, const auto* y) { return x->budget < y->budget; });
  ASSERT_EQ(sets.size(), 1u);
  ASSERT_EQ(sets[0].rows.size(), pairs.size());
  EXPECT_EQ(sets[0].Columns(),
            (std::vector<std::string>{"N", "median", "lower", "upper", "q10", "q90", "seeds"}));
  for (std::size_t j = 0; j < pairs.size(); ++j) {
    const analysis::PairedComparison& p = *pairs[j];
    const std::vector<std::string>& r = sets[0].rows[j];
    const std::string at = f.name + " N=" + std::to_string(p.budget);
    ASSERT_EQ(r.size(), 7u);
    const bool ok = p.median_ratio.status == stats::IntervalStatus::kOk;
    ExpectSame(Number(r[0]), static_cast<double>(p.budget), at);
    ExpectSame(Number(r[1]), p.median_ratio.estimate, at + " median");
    ExpectSame(Number(r[2]), ok ? p.median_ratio.lower : std::nan(""), at + " lower");
    ExpectSame(Number(r[3]), ok ? p.median_ratio.upper : std::nan(""), at + " upper");
    ExpectSame(Number(r[4]), p.q10_ratio.estimate, at + " q10");
    ExpectSame(Number(r[5]), p.q90_ratio.estimate, at + " q90");
    EXPECT_EQ(r[6], std::to_string(p.n)) << at;
  }
  ASSERT_NE(Element(elements, 0, {1, 5, 6}), nullptr) << "no 10%-90% band";
  const PlotElement* e = Element(elements, 0, {1, 2, 3, 4});
  ASSERT_NE(e, nullptr);
  const analysis::PairedComparison& last = *pairs.back();
  const std::vector<double> legend =
      NumbersAfter(e->title, last.label_a + " / " + last.label_b + ": median");
  ASSERT_EQ(legend.size(), 3u) << e->title;  // median, N, P(a < b)
  EXPECT_NEAR(legend[0] / last.median_ratio.estimate, 1.0, 5e-3) << e->title;  // 3 digits
  EXPECT_EQ(legend[1], static_cast<double>(last.budget)) << e->title;
  EXPECT_NEAR(legend[2], last.p_a_better, 5e-3) << e->title;  // 2 decimals
}

// The noise tail figure: the empirical CCDF of the saved norms (every point a norm with its rank
// / n) and the Hill line: slope -alpha in log-log from the (k+1)-th largest norm at k / n.
void CheckNoiseTailFigure(const FigureFiles& f, const analysis::SweepResults& results,
                          const analysis::SweepAnalysis& a) {
  const std::vector<PlotElement> elements = CheckScript(f);
  ASSERT_EQ(results.noise.size(), 1u);
  ASSERT_EQ(a.noise.size(), 1u);
  std::vector<double> sorted = results.noise[0].norms;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const double n = static_cast<double>(sorted.size());
  const std::vector<DataSet> sets = DataSets(ReadText(f.data[0]));
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].Columns(), (std::vector<std::string>{"norm", "ccdf"}));
  const Rows& points = sets[0].rows;
  ASSERT_GT(points.size(), 300u);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double x = Number(points[i][0]);
    const double rank = Number(points[i][1]) * n;
    ASSERT_NEAR(rank, std::round(rank), 1e-9) << i;
    const std::size_t r = static_cast<std::size_t>(std::round(rank));
    ASSERT_GE(r, 1u);
    ASSERT_LE(r, sorted.size());
    EXPECT_EQ(x, sorted[r - 1]) << "point " << i << ": not the rank-" << r << " norm";
    if (i < 300) {
      EXPECT_EQ(r, i + 1) << "the 300 largest are all drawn";
    }
  }
  EXPECT_EQ(Number(points.back()[0]), sorted.back());
  EXPECT_EQ(Number(points.back()[1]), 1.0);
  const analysis::TailEstimate& hill = a.noise[0].estimates.at(0);
  ASSERT_TRUE(hill.ok);
  const Rows& line = sets[1].rows;
  ASSERT_EQ(line.size(), 2u);
  const std::size_t k = static_cast<std::size_t>(hill.k);
  ExpectSame(Number(line[0][0]), sorted[k], "Hill threshold u");
  EXPECT_NEAR(Number(line[0][1]), static_cast<double>(hill.k) / n, 1e-15);
  ExpectSame(Number(line[1][0]), sorted.front(), "largest norm");
  EXPECT_NEAR(std::log(Number(line[1][1]) / Number(line[0][1])) /
                  std::log(Number(line[1][0]) / Number(line[0][0])),
              -hill.estimate, 1e-12);
  const PlotElement* empirical = Element(elements, 0, {1, 2});
  const PlotElement* fit = Element(elements, 1, {1, 2});
  ASSERT_NE(empirical, nullptr);
  ASSERT_NE(fit, nullptr);
  EXPECT_EQ(empirical->title, "empirical, n = " + std::to_string(sorted.size()));
  const std::vector<double> legend = NumbersAfter(fit->title, hill.method + ": alpha");
  ASSERT_EQ(legend.size(), 4u) << fit->title;  // alpha [lower, upper], k
  EXPECT_NEAR(legend[0] / hill.estimate, 1.0, 5e-3) << fit->title;
  EXPECT_NEAR(legend[1] / hill.lower, 1.0, 5e-3) << fit->title;
  EXPECT_NEAR(legend[2] / hill.upper, 1.0, 5e-3) << fit->title;
  EXPECT_EQ(legend[3], hill.k) << fit->title;
  const std::string script = ReadText(f.script);
  const analysis::NoiseNorms& norms = results.noise[0];
  EXPECT_NE(script.find("set title \"noise " + norms.noise + ", dim " + norms.dim),
            std::string::npos)
      << f.name;
}

// Every figure's data hold the analysis' numbers, its script draws the columns and legends that
// say so, and titles name problem, noise and dimension; the legend sits below, outside the plot.
TEST(SweepPlots, DataAndScriptOfEveryFigure) {
  TempDir dir("scripts");
  const Written w = Plot(dir.str(), /*render=*/false);
  // One setting (rate, delta, comparison) and one noise stream (tail).
  ASSERT_EQ(w.report.figures.size(), 4u);
  const std::string prefixes[] = {"rate_", "delta_", "compare_", "noise_tail_"};
  for (std::size_t i = 0; i < 4; ++i) {
    const FigureFiles& f = w.report.figures[i];
    EXPECT_EQ(f.name.rfind(prefixes[i], 0), 0u) << f.name;
    ASSERT_TRUE(fs::exists(f.script)) << f.script;
    ASSERT_EQ(f.data.size(), 1u);
    EXPECT_TRUE(f.png.empty());
    const std::string script = ReadText(f.script);
    EXPECT_NE(script.find("set key bmargin"), std::string::npos);  // legend below, outside
    // The title names the setting of the input cells.
    const analysis::CellInfo& info = w.analysis.cells[0].info;
    const std::size_t title = script.find("set title \"");
    ASSERT_NE(title, std::string::npos);
    const std::string text = Unquote(script, title + 10);
    EXPECT_NE(text.find("noise " + info.noise), std::string::npos) << text;
    EXPECT_NE(text.find("dim " + info.dim), std::string::npos) << text;
    if (i < 3) {
      EXPECT_NE(text.find("problem " + info.problem), std::string::npos) << text;
    }
    EXPECT_NE(ReadText(w.report.index).find(f.caption), std::string::npos);
  }
  CheckRateFigure(w.report.figures[0], w.analysis);
  CheckDeltaFigure(w.report.figures[1], w.analysis);
  CheckComparisonFigure(w.report.figures[2], w.analysis);
  CheckNoiseTailFigure(w.report.figures[3], w.results, w.analysis);
}

TEST(SweepPlots, RendersPngAndPdfWithGnuplot) {
  if (!FindGnuplot().found) GTEST_SKIP() << "gnuplot not on PATH: rendering not checked";
  TempDir dir("render");
  const Written w = Plot(dir.str(), /*render=*/true);
  for (const FigureFiles& f : w.report.figures) {
    ASSERT_FALSE(f.png.empty()) << f.name << ": " << f.error;
    const std::string png = ReadText(f.png);
    ASSERT_GT(png.size(), 1000u) << f.png;
    EXPECT_EQ(png.substr(1, 3), "PNG") << f.png;
    if (FindGnuplot().pdf_terminal.empty()) continue;
    ASSERT_FALSE(f.pdf.empty()) << f.name << ": " << f.error;
    EXPECT_EQ(ReadText(f.pdf).substr(0, 5), "%PDF-") << f.pdf;
  }
  // A broken script is reported, not thrown, and its data stay.
  Figure bad;
  bad.name = "broken";
  bad.caption = "a figure whose script fails";
  bad.data = {{"broken.dat", "1 2\n"}};
  bad.body = "plot 'no_such_file.dat' using 1:2\n";
  const FigureFiles f = WriteFigure(bad, dir.str() + "/plots", true);
  EXPECT_TRUE(f.png.empty());
  EXPECT_NE(f.error.find("gnuplot failed"), std::string::npos) << f.error;
  EXPECT_TRUE(fs::exists(dir.str() + "/plots/broken.dat"));
}

TEST(PlotCommand, WritesTheFiguresUnderDirPlots) {
  TempDir dir("cli");
  analysis::testing::WriteSyntheticSweep(Sweep(), dir.str());
  std::string out;
  EXPECT_EQ(clipsim::testing::RunCommand(
                std::string(CLIPSIM_BINARY) + " plot " + dir.str() + " --bootstrap 200", &out),
            0)
      << out;
  EXPECT_NE(out.find("plots: 4 figures"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(dir.str() + "/plots/index.md"));
}

}  // namespace
}  // namespace clipsim::plots

// ---------------------------------------------------------------------------------------------
// The bound and sensitivity figures, on planted analyses: the numbers in their data files are the
// bound check's, read back as numbers.
namespace clipsim::plots {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;

namespace fs = std::filesystem;

const FigureFiles* FindFigure(const PlotReport& report, const std::string& prefix) {
  for (const FigureFiles& f : report.figures) {
    if (f.name.rfind(prefix, 0) == 0) return &f;
  }
  return nullptr;
}

int CountFigures(const PlotReport& report, const std::string& prefix) {
  int n = 0;
  for (const FigureFiles& f : report.figures) n += f.name.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

struct PlantedBudget {
  std::int64_t budget = 0;
  bool testable = true;
  double bound = 0.0;
  double mean = 0.0, lower = 0.0, upper = 0.0;
  bool draws = true;  // false: no confidence bounds (no finite G, too few seeds)
  double start = 0.5;
};

// A theory cell (regime.applicable) with a planted bound check.
analysis::CellAnalysis TheoryCell(const std::string& id, const std::string& method,
                                  const std::string& entry, const std::string& setting,
                                  const std::vector<PlantedBudget>& budgets) {
  analysis::CellAnalysis c;
  c.info.id = id;
  c.info.problem = "nonconvex_sum";
  c.info.dim = "1";
  c.info.noise = "kind=stable,alpha=1.5,skew=0,scale=0.1";
  c.info.p = "1.4";
  c.info.method = method;
  c.label = method + ", theory schedule";
  c.setting = setting;
  c.regime.applicable = true;
  c.regime.entry = entry;
  c.regime.method = method;
  c.regime.control = method != entry;
  c.bound.cell = id;
  c.bound.verdict = analysis::BoundVerdict::kInconclusive;
  for (const PlantedBudget& p : budgets) {
    analysis::BudgetRegime r;
    r.budget = p.budget;
    r.bound = p.bound;
    r.start_grad_norm = p.start;
    r.testable = p.testable;
    c.regime.budgets.push_back(r);
    analysis::BudgetBoundCheck b;
    b.budget = p.budget;
    b.testable = p.testable && p.draws;  // as CheckCellBound: no confidence bound, no test
    b.bound = p.bound;
    b.seeds = 40;
    b.gradient_bound = 1.0;
    if (p.draws) {
      b.draws.assign(40, p.mean);
      b.draws_sq.assign(40, p.mean * p.mean);
      b.mean.mean = p.mean;
      b.mean.lower = p.lower;
      b.mean.upper = p.upper;
      b.mean.n = 40;
      b.ratio = p.mean / p.bound;
    }
    c.bound.budgets.push_back(b);
  }
  return c;
}

analysis::SweepAnalysis PlantedBoundAnalysis() {
  analysis::SweepAnalysis a;
  a.dir = "planted";
  const std::string s1 = "problem nonconvex_sum; noise kind=stable,alpha=1.5";
  const std::string s2 = "problem quadratic; noise kind=stable,alpha=1.5";
  // The prescription, with a budget below the testable range and one without confidence bounds.
  a.cells.push_back(TheoryCell("00000000000000a1", "ps_clip_sgd", "ps_clip_sgd", s1,
                               {{1000, false, 0.3, 0.09, 0.0, 0.21},
                                {10000, true, 0.18, 0.045, 0.01, 0.17},
                                {100000, true, 0.12, 0.0245, 0.003, 0.15, false}}));
  // Its control (plain SGD at PS-Clip-SGD's prescription) and a 10x-step variant: same bound.
  a.cells.push_back(TheoryCell("00000000000000a2", "sgd", "ps_clip_sgd", s1,
                               {{1000, false, 0.3, 0.1, 0.0, 0.23},
                                {10000, true, 0.18, 0.053, 0.02, 0.18},
                                {100000, true, 0.12, 0.029, 0.004, 0.16}}));
  a.cells.back().label = "sgd, theory schedule, prescription=ps_clip_sgd";
  a.cells.push_back(TheoryCell("00000000000000a3", "ps_clip_sgd", "ps_clip_sgd", s1,
                               {{1000, false, 0.3, 0.31, 0.19, 0.44},
                                {10000, true, 0.18, 0.31, 0.18, 0.44},
                                {100000, true, 0.12, 0.308, 0.18, 0.43}}));
  a.cells.back().regime.twin = true;
  a.cells.back().label = "ps_clip_sgd, theory schedule, step_factor=10";
  a.cells.back().bound.verdict = analysis::BoundVerdict::kViolated;
  // Another entry's bound: drawn as a line of its own.
  a.cells.push_back(
      TheoryCell("00000000000000a4", "clip_sgd", "clip_sgd", s1,
                 {{1000, true, 0.4, 0.1, 0.05, 0.2}, {10000, true, 0.25, 0.06, 0.03, 0.12}}));
  // Not a theory cell (no regime): in no bound figure.
  analysis::CellAnalysis plain;
  plain.info.id = "00000000000000a5";
  plain.info.problem = "nonconvex_sum";
  plain.label = "adam_norm";
  plain.setting = s1;
  plain.regime.why_not = "not a theory schedule";
  a.cells.push_back(plain);
  // A second setting without theory cells.
  plain.info.id = "00000000000000b1";
  plain.info.problem = "quadratic";
  plain.setting = s2;
  a.cells.push_back(plain);
  // The analysis decides the theory cells as one family: 4 hypotheses per testable budget.
  std::size_t m = 0;
  for (const analysis::CellAnalysis& c : a.cells) {
    for (const analysis::BudgetBoundCheck& b : c.bound.budgets) m += b.testable ? 4 : 0;
  }
  for (analysis::CellAnalysis& c : a.cells) {
    if (!c.regime.applicable) continue;
    c.bound.family_size = m;
    c.bound.shown_alpha = 0.05 / static_cast<double>(m);
  }
  return a;
}

TEST(BoundPlot, DataFileHoldsTheBoundCheckNumbers) {
  TempDir dir("bound");
  const analysis::SweepAnalysis a = PlantedBoundAnalysis();
  PlotOptions o;
  o.render = false;
  const PlotReport report = WriteSweepPlots(analysis::SweepResults{}, a, dir.str(), o);
  // One bound figure: the first setting; the second has no theory cell.
  ASSERT_EQ(CountFigures(report, "bound_"), 1);
  const FigureFiles* f = FindFigure(report, "bound_01_");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(CountFigures(report, "bound_02_"), 0);
  ASSERT_EQ(f->data.size(), 1u);
  const std::vector<Rows> blocks = DataBlocks(ReadText(f->data[0]));
  // Four theory cells, then two distinct bounds (ps_clip_sgd's, shared by three cells; clip_sgd's).
  ASSERT_EQ(blocks.size(), 6u);
  for (std::size_t c = 0; c < 4; ++c) {
    const analysis::CellAnalysis& cell = a.cells[c];
    ASSERT_EQ(blocks[c].size(), cell.bound.budgets.size()) << cell.info.id;
    for (std::size_t j = 0; j < blocks[c].size(); ++j) {
      const std::vector<std::string>& row = blocks[c][j];
      const analysis::BudgetBoundCheck& b = cell.bound.budgets[j];
      ASSERT_EQ(row.size(), 11u);
      const std::string at = cell.info.id + " N=" + std::to_string(b.budget);
      EXPECT_EQ(row[0], std::to_string(b.budget)) << at;
      ExpectSame(Number(row[1]), b.bound, at + " bound");
      const bool has = !b.draws.empty();
      const double nan = std::nan("");
      ExpectSame(Number(row[2]), has ? b.mean.mean : nan, at + " mean");
      ExpectSame(Number(row[3]), has ? b.mean.lower : nan, at + " lower");
      ExpectSame(Number(row[4]), has ? b.mean.upper : nan, at + " upper");
      ExpectSame(Number(row[5]), b.ratio, at + " ratio");
      ExpectSame(Number(row[6]), has ? b.mean.lower / b.bound : nan, at + " ratio lower");
      ExpectSame(Number(row[7]), has ? b.mean.upper / b.bound : nan, at + " ratio upper");
      EXPECT_EQ(row[8], b.testable ? "1" : "0") << at;  // not-testable budgets marked
      EXPECT_EQ(row[9], "40") << at;
      ExpectSame(Number(row[10]), cell.regime.budgets[j].start_grad_norm, at + " start");
    }
  }
  // The shared bound once, over the union of budgets; clip_sgd's on its own.
  ASSERT_EQ(blocks[4].size(), 3u);
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_EQ(blocks[4][j][0], std::to_string(a.cells[0].bound.budgets[j].budget));
    ExpectSame(Number(blocks[4][j][1]), a.cells[0].bound.budgets[j].bound, "shared bound");
  }
  ASSERT_EQ(blocks[5].size(), 2u);
  ExpectSame(Number(blocks[5][1][1]), 0.25, "clip_sgd bound");

  const std::string script = ReadText(f->script);
  EXPECT_NE(script.find("ps_clip_sgd bound (THEORY.md)"), std::string::npos);
  EXPECT_NE(script.find("clip_sgd bound (THEORY.md)"), std::string::npos);
  EXPECT_EQ(script.find("adam_norm"), std::string::npos);  // not a theory cell
  EXPECT_NE(script.find("(control at ps_clip_sgd's prescription)"), std::string::npos);
  EXPECT_NE(script.find("step_factor=10 (variant of the prescription): bound violated"),
            std::string::npos);
  EXPECT_NE(script.find("set multiplot"), std::string::npos);
  EXPECT_NE(script.find("pt 7"), std::string::npos);  // filled: testable
  EXPECT_NE(script.find("pt 6"), std::string::npos);  // open: not testable
  EXPECT_NE(script.find("open: not testable"), std::string::npos);
  EXPECT_NE(script.find("||grad f(x0)|| = 0.5"), std::string::npos);
  EXPECT_NE(script.find("measured = bound (ratio 1)"), std::string::npos);
  EXPECT_NE(script.find("set key bmargin"), std::string::npos);
  EXPECT_NE(script.find("noise kind=stable"), std::string::npos);
  EXPECT_NE(script.find("dim 1"), std::string::npos);
  // The caption states the confidence and the testability rules; the interval level is a / m
  // with m = 4 x 7 testable budgets.
  EXPECT_NE(f->caption.find(a.options.regime.Describe()), std::string::npos) << f->caption;
  EXPECT_NE(f->caption.find("m = 28 hypotheses"), std::string::npos) << f->caption;
  EXPECT_NE(f->caption.find("familywise a = 0.05"), std::string::npos) << f->caption;
  EXPECT_NE(ReadText(report.index).find(f->caption), std::string::npos);
}

// A one-factor-at-a-time design around a centre that is not the first value and, for the batch
// factor, not the prescription: batch_factor 2 is the most frequent value (4 of 8 cells).
analysis::SweepAnalysis PlantedSensitivity() {
  analysis::SweepAnalysis a;
  a.dir = "planted";
  a.param_columns = {"schedule.batch_factor", "schedule.clip_factor", "noise.alpha"};
  const std::vector<std::string> batch = {"0.5", "", "2", "4", "8", "2", "2", "2"};  // "" = 1
  const std::vector<std::string> clip = {"1", "1", "1", "1", "1", "0.5", "2", "4"};
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::string id = "000000000000000" + std::to_string(i);  // 16 hex digits (i < 10)
    const double r = 0.1 * static_cast<double>(i + 1);
    analysis::CellAnalysis c = TheoryCell(
        id, "ps_clip_sgd", "ps_clip_sgd", "s",
        {{1000, true, 0.3, 0.5 * r, 0.25 * r, r}, {100000, i != 3, 0.1, r, 0.5 * r, 2 * r}});
    c.info.params = {batch[i], clip[i], "1.5"};
    c.info.columns = {{"schedule.batch_factor", batch[i]},
                      {"schedule.clip_factor", clip[i]},
                      {"noise.alpha", "1.5"},
                      {"p", "1.4"}};
    c.regime.twin = batch[i] != "" || clip[i] != "1";
    a.cells.push_back(c);
  }
  // A control and a cell of another noise: neither joins the group (the other noise's cell is a
  // group of its own, where nothing varies).
  analysis::CellAnalysis control = a.cells[0];
  control.info.id = "00000000000000c1";
  control.regime.control = true;
  control.regime.method = "sgd";
  a.cells.push_back(control);
  analysis::CellAnalysis other = a.cells[1];
  other.info.id = "00000000000000c2";
  other.info.params[2] = "1.8";
  a.cells.push_back(other);
  return a;
}

TEST(SensitivityPlot, CentreOfAOneFactorAtATimeDesign) {
  TempDir dir("sensitivity");
  const analysis::SweepAnalysis a = PlantedSensitivity();
  PlotOptions o;
  o.render = false;
  const PlotReport report = WriteSweepPlots(analysis::SweepResults{}, a, dir.str(), o);
  ASSERT_EQ(CountFigures(report, "sensitivity_"), 1);
  const FigureFiles* f = FindFigure(report, "sensitivity_01_ps_clip_sgd");
  ASSERT_NE(f, nullptr);
  const std::string data = ReadText(f->data[0]);
  EXPECT_NE(data.find("# centre: schedule.batch_factor = 2, schedule.clip_factor = 1\n"),
            std::string::npos)
      << data;
  const std::vector<Rows> blocks = DataBlocks(data);
  ASSERT_EQ(blocks.size(), 2u);  // batch and clip; p and the dimension do not vary
  // Batch panel: the cells at clip_factor 1 (cells 0-4), by value; the unset factor reads 1.
  // Clip panel: the cells at batch_factor 2 (cells 2, 5, 6, 7), by value.
  const std::vector<std::pair<double, std::size_t>> want[2] = {
      {{0.5, 0}, {1, 1}, {2, 2}, {4, 3}, {8, 4}}, {{0.5, 5}, {1, 2}, {2, 6}, {4, 7}}};
  for (std::size_t k = 0; k < 2; ++k) {
    ASSERT_EQ(blocks[k].size(), want[k].size()) << "panel " << k;
    for (std::size_t i = 0; i < want[k].size(); ++i) {
      const std::vector<std::string>& row = blocks[k][i];
      ASSERT_EQ(row.size(), 12u);
      const analysis::CellAnalysis& cell = a.cells[want[k][i].second];
      const analysis::BudgetBoundCheck& b = cell.bound.budgets.back();  // the largest budget
      const std::string at = "panel " + std::to_string(k) + " row " + std::to_string(i);
      ExpectSame(Number(row[0]), want[k][i].first, at + " value");
      EXPECT_EQ(row[1], "100000") << at;
      ExpectSame(Number(row[2]), b.ratio, at + " ratio");
      ExpectSame(Number(row[3]), b.mean.lower / b.bound, at + " ratio lower");
      ExpectSame(Number(row[4]), b.mean.upper / b.bound, at + " ratio upper");
      EXPECT_EQ(row[5], b.testable ? "1" : "0") << at;
      ExpectSame(Number(row[6]), b.mean.mean, at + " mean");
      ExpectSame(Number(row[9]), b.bound, at + " bound");
      EXPECT_EQ(row[11], cell.info.id) << at;
    }
  }
  const std::string script = ReadText(f->script);
  // The prescription is marked at factor 1, also where the centre is 2.
  EXPECT_NE(script.find("set arrow from 1, graph 0 to 1, graph 1"), std::string::npos);
  EXPECT_NE(script.find("prescription (factor 1)"), std::string::npos);
  EXPECT_NE(script.find("set logscale x"), std::string::npos);
  EXPECT_NE(script.find("set multiplot layout 1,2"), std::string::npos);
  EXPECT_NE(f->caption.find("most frequent value"), std::string::npos);
  EXPECT_NE(f->caption.find("schedule.batch_factor = 2"), std::string::npos);

  // The same centres straight from the grouping.
  const std::vector<detail::SensitivityGroup> groups = detail::SensitivityGroups(a);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].cells.size(), 8u);
  ASSERT_EQ(groups[0].axes.size(), 2u);
  EXPECT_EQ(groups[0].axes[0].column, "schedule.batch_factor");
  EXPECT_EQ(groups[0].axes[0].centre, 2.0);
  EXPECT_EQ(groups[0].axes[1].column, "schedule.clip_factor");
  EXPECT_EQ(groups[0].axes[1].centre, 1.0);
}

TEST(SensitivityPlot, PVariesOnALinearAxisMarkedAtItsCentre) {
  analysis::SweepAnalysis a = PlantedSensitivity();
  a.cells.resize(2);  // batch 0.5 and 1: one varied column
  a.cells.push_back(a.cells[1]);
  a.cells.back().info.id = "00000000000000p1";
  a.cells.back().info.p = "1.25";
  a.cells.back().info.columns.back().second = "1.25";
  a.cells.push_back(a.cells[1]);
  a.cells.back().info.id = "00000000000000p2";
  a.cells.back().info.p = "1.45";
  a.cells.back().info.columns.back().second = "1.45";
  a.param_columns.push_back("p");
  for (analysis::CellAnalysis& c : a.cells) c.info.params.push_back(c.info.Get("p"));
  const std::vector<detail::SensitivityGroup> groups = detail::SensitivityGroups(a);
  ASSERT_EQ(groups.size(), 1u);
  ASSERT_EQ(groups[0].axes.size(), 2u);
  EXPECT_EQ(groups[0].axes[1].column, "p");
  EXPECT_EQ(groups[0].axes[1].centre, 1.4);  // 2 of 4 cells; 1.25 and 1.45 once each
  EXPECT_FALSE(groups[0].axes[1].log_x);
  const Figure f = detail::SensitivityPlot("s", groups[0], a);
  EXPECT_NE(f.body.find("unset logscale x"), std::string::npos);
  EXPECT_NE(f.body.find("centre p = 1.4"), std::string::npos);
  const std::vector<Rows> blocks = DataBlocks(f.data[0].second);
  ASSERT_EQ(blocks.size(), 2u);
  ASSERT_EQ(blocks[1].size(), 3u);  // p panel: the cells at batch_factor 1 (its centre: 3 of 4)
  EXPECT_EQ(blocks[1][0][0], "1.25");
  EXPECT_EQ(blocks[1][1][0], "1.4");
  EXPECT_EQ(blocks[1][2][0], "1.45");
}

TEST(SensitivityPlot, AbsentWhenNothingVariesOrNoTheoryCell) {
  TempDir dir("sensitivity-none");
  PlotOptions o;
  o.render = false;
  // Theory cells that differ only in other columns (a control and a step twin): no figure.
  const PlotReport bound =
      WriteSweepPlots(analysis::SweepResults{}, PlantedBoundAnalysis(), dir.str() + "/a", o);
  EXPECT_EQ(CountFigures(bound, "sensitivity_"), 0);
  // The factors vary, but no cell is a theory cell: no figure (and no bound figure).
  analysis::SweepAnalysis a = PlantedSensitivity();
  for (analysis::CellAnalysis& c : a.cells) c.regime.applicable = false;
  const PlotReport none = WriteSweepPlots(analysis::SweepResults{}, a, dir.str() + "/b", o);
  EXPECT_EQ(CountFigures(none, "sensitivity_"), 0);
  EXPECT_EQ(CountFigures(none, "bound_"), 0);
  EXPECT_TRUE(detail::SensitivityGroups(a).empty());
}

TEST(BoundPlot, BoundAndSensitivityRenderWithGnuplot) {
  if (!FindGnuplot().found) GTEST_SKIP() << "gnuplot not on PATH: rendering not checked";
  TempDir dir("bound-render");
  for (const analysis::SweepAnalysis& a : {PlantedBoundAnalysis(), PlantedSensitivity()}) {
    const PlotReport report = WriteSweepPlots(analysis::SweepResults{}, a, dir.str());
    for (const FigureFiles& f : report.figures) {
      if (f.name.rfind("bound_", 0) != 0 && f.name.rfind("sensitivity_", 0) != 0) continue;
      ASSERT_FALSE(f.png.empty()) << f.name << ": " << f.error;
      const std::string png = ReadText(f.png);
      ASSERT_GT(png.size(), 1000u) << f.png;
      EXPECT_EQ(png.substr(1, 3), "PNG") << f.png;
    }
  }
  // A panel without cells at the others' centre still renders (a key line says so).
  const analysis::SweepAnalysis a = PlantedSensitivity();
  detail::SensitivityGroup g;
  g.entry = "ps_clip_sgd";
  g.cells = {&a.cells[0], &a.cells[2]};
  g.axes = {{"schedule.batch_factor", 1.0, true}, {"schedule.clip_factor", 3.0, true}};
  g.values = {{0.5, 1.0}, {2.0, 1.0}};
  const FigureFiles f = WriteFigure(detail::SensitivityPlot("empty_panel", g, a), dir.str(), true);
  EXPECT_FALSE(f.png.empty()) << f.error;
  EXPECT_NE(ReadText(f.script).find("no cell has the other varied columns"), std::string::npos);
}

// A real theory sweep (PS-Clip-SGD, its SGD control, a 10x-step twin), analyzed: the bound
// figure's data file holds the analysis' bound check numbers.
TEST(BoundPlot, RealSweepDataMatchTheAnalysis) {
  TempDir dir("bound-real");
  clipsim::testing::WriteText(
      dir / "sweep.yaml",
      "seeds: 24\nbudgets: [1000, 10000, 100000]\nmaster_seed: 1\n"
      "problem: {kind: nonconvex_sum, dim: 1}\nnoise: {kind: stable, alpha: 1.5, scale: 0.1}\n"
      "p: 1.4\noptimizer: [{method: ps_clip_sgd}, {method: sgd}, {method: ps_clip_sgd}]\n"
      "schedule: [{kind: theory}, {kind: theory, prescription: ps_clip_sgd}, "
      "{kind: theory, step_factor: 10}]\nzip: [[optimizer, schedule]]\n"
      "checkpoints_per_decade: 1\n");
  const std::string out = dir / "out";
  const std::string command = std::string(CLIPSIM_BINARY) + " sweep " + (dir / "sweep.yaml") +
                              " --out " + out + " --quiet --threads 2 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  analysis::ReadOptions read;
  read.theorem_metric = "mean_grad_norm";
  const analysis::SweepResults results = analysis::ReadSweepDir(out, read);
  analysis::AnalysisOptions options;
  options.bootstrap_resamples = 200;
  const analysis::SweepAnalysis a = analysis::AnalyzeSweep(results, options);
  PlotOptions o;
  o.render = false;
  const PlotReport report = WriteSweepPlots(results, a, out + "/plots", o);
  const FigureFiles* f = FindFigure(report, "bound_01_");
  ASSERT_NE(f, nullptr);
  const std::vector<Rows> blocks = DataBlocks(ReadText(f->data[0]));
  ASSERT_EQ(blocks.size(), 4u);  // three theory cells, one shared bound
  for (std::size_t c = 0; c < 3; ++c) {
    const analysis::CellBoundCheck& check = a.cells[c].bound;
    ASSERT_EQ(blocks[c].size(), check.budgets.size());
    for (std::size_t j = 0; j < check.budgets.size(); ++j) {
      const analysis::BudgetBoundCheck& b = check.budgets[j];
      const std::vector<std::string>& row = blocks[c][j];
      ASSERT_FALSE(b.draws.empty());
      ExpectSame(Number(row[1]), b.bound, "bound");
      ExpectSame(Number(row[2]), b.mean.mean, "mean");
      ExpectSame(Number(row[3]), b.mean.lower, "lower");
      ExpectSame(Number(row[4]), b.mean.upper, "upper");
      ExpectSame(Number(row[5]), b.ratio, "ratio");
      EXPECT_EQ(row[8], b.testable ? "1" : "0");
    }
  }
  EXPECT_EQ(CountFigures(report, "sensitivity_"), 0);
}

}  // namespace
}  // namespace clipsim::plots
