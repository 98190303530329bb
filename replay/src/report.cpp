#include "clipsim/replay/report.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "clipsim/core/check.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::replay {

std::string FormatNumber(double value) {
  return SignificantText(value, 10);
}

void RunRecord::Add(const std::string& key, const std::string& value) {
  json_[key] = value;
}

void RunRecord::Add(const std::string& key, double value) {
  double rounded = 0.0;
  if (!std::isfinite(value) || !ParseDouble(FormatNumber(value), rounded, NumberSyntax::kFinite)) {
    json_[key] = nullptr;
  } else if (std::trunc(rounded) == rounded && std::fabs(rounded) < 0x1p53) {
    json_[key] = static_cast<int64_t>(rounded);
  } else {
    json_[key] = rounded;
  }
}

void RunRecord::Add(const std::string& key, int64_t value) {
  json_[key] = value;
}

void RunRecord::Add(const std::string& key, bool value) {
  json_[key] = value;
}

std::string RunRecord::Json() const {
  return json_.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

CsvTable::CsvTable(const std::string& path, const RunRecord& record,
                   const std::vector<std::string>& columns)
    : path_(path), columns_(columns.size()), out_(path) {
  if (!out_) throw InputError("cannot create the file (check --out)", {path});
  out_ << "# " << record.Json() << "\n";
  for (std::size_t i = 0; i < columns.size(); ++i) out_ << (i > 0 ? "," : "") << columns[i];
  out_ << "\n" << std::flush;
}

void CsvTable::Row(const std::vector<std::string>& cells) {
  if (cells.size() != columns_) {
    Fail(("CsvTable " + path_ + ": row of " + std::to_string(cells.size()) + " cells for " +
          std::to_string(columns_) + " columns")
             .c_str());
  }
  for (std::size_t i = 0; i < cells.size(); ++i) out_ << (i > 0 ? "," : "") << cells[i];
  out_ << "\n" << std::flush;
}

namespace {

bool OnPath(const std::string& program) {
  const std::string command = "command -v " + program + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// One series per method for a plot command: x and y are gnuplot column expressions; a method's
// rows are those with its name in column 1 (the others become NaN and are skipped).
struct Series {
  std::string file;
  std::string x;
  std::string y;
  std::string style;
  std::string suffix;  // appended to the method's name in the key
  std::string extra;   // further using-columns after y, e.g. ":7:8" for error bars
};

std::string PlotCommand(const std::vector<std::string>& methods,
                        const std::vector<Series>& series) {
  std::ostringstream out;
  out << "plot ";
  bool first = true;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    for (const Series& s : series) {
      out << (first ? "" : ", \\\n     ") << "'" << s.file << "' skip 2 using (" << s.x
          << "):(strcol(1) eq \"" << methods[i] << "\" ? (" << s.y << ") : NaN)" << s.extra << " "
          << s.style << " lc " << (i + 1) << " lw 2 title \"" << methods[i] << s.suffix << "\"";
      first = false;
    }
  }
  out << "\n";
  return out.str();
}

}  // namespace

bool WritePlots(const PlotSpec& spec, std::ostream& log) {
  const bool have_gnuplot = OnPath("gnuplot");
  std::string terminal = "png";
  if (have_gnuplot && std::system("gnuplot -e \"set terminal pngcairo\" >/dev/null 2>&1") == 0) {
    terminal = "pngcairo";
  }
  const std::string script_path = spec.out_dir + "/plots.gp";
  std::ofstream gp(script_path);
  if (!gp) throw InputError("cannot create the file (check --out)", {script_path});
  gp << "# clipsim-replay figures; run from anywhere: gnuplot " << script_path << "\n"
     << "cd '" << spec.out_dir << "'\n"
     << "set datafile separator ','\n"
     << "set terminal " << terminal << " size 1000,650 noenhanced\n"
     << "set grid\nset key bottom right\n";
  const std::vector<std::string>& m = spec.methods;
  // Columns of epochs.csv: 1 method, 2 epoch, 3 lr, 4 steps, 5 train_loss, 6 test_loss,
  // 7 test_top1, 8 test_top5, 9 elapsed_s, 10 clip_s, 11 diag_s, 12 diverged.
  gp << "set output 'acc_vs_epoch.png'\n"
     << "set title \"Test accuracy vs epoch: " << spec.title << "\"\n"
     << "set xlabel 'epoch'\nset ylabel 'test accuracy (%)'\n"
     << PlotCommand(m, {{"epochs.csv", "$2", "$7", "with linespoints", " top-1", ""},
                        {"epochs.csv", "$2", "$8", "with lines dt 2", " top-5", ""}})
     << "set output 'acc_vs_seconds.png'\n"
     << "set title \"Test accuracy vs training seconds: " << spec.title << "\"\n"
     << "set xlabel 'training seconds (excluding evaluation and diagnostics)'\n"
     << PlotCommand(m, {{"epochs.csv", "$9", "$7", "with linespoints", " top-1", ""},
                        {"epochs.csv", "$9", "$8", "with lines dt 2", " top-5", ""}});
  // Columns of diagnostics.csv: 1 method, 2 step, 3 epoch, 4 lr, 5 batch_loss,
  // 6 fraction_clipped, ...
  gp << "set output 'clip_fraction.png'\n"
     << "set title \"Fraction clipped (of samples, micro-batches or batches): " << spec.title
     << "\"\n"
     << "set xlabel 'step'\nset ylabel 'fraction clipped'\nset yrange [0:1.05]\n"
     << PlotCommand(m, {{"diagnostics.csv", "$2", "$6", "with lines", "", ""}});
  // Columns of tail.csv: 1 method, 2 step, 3 epoch, 4 n, 5 k, 6 hill_alpha, 7 hill_lo,
  // 8 hill_hi, 9 moment_alpha, 10 moment_lo, 11 moment_hi.
  if (spec.has_tail_rows) {
    gp << "set output 'tail_index.png'\n"
       << "set title \"Tail index of ||g_k - batch mean||, 95% intervals (< 2: infinite "
          "variance): "
       << spec.title << "\"\n"
       << "set xlabel 'step'\nset ylabel 'tail index alpha'\nset key top right\n"
       << "set autoscale y\n"
       << PlotCommand(m, {{"tail.csv", "$2", "$6", "with yerrorlines", " Hill", ":7:8"},
                          {"tail.csv", "$2", "$9", "with yerrorbars pt 6", " moment", ":10:11"}});
  } else {
    gp << "# tail.csv holds no estimate (fewer noise norms than --tail-window): no tail figure\n";
  }
  gp << "set output\n";
  gp.close();
  if (!have_gnuplot) {
    log << "gnuplot is not on PATH: wrote " << script_path << " (render it with gnuplot)\n";
    return false;
  }
  const std::string command = "gnuplot '" + script_path + "' 2>'" + spec.out_dir + "/plots.log'";
  if (std::system(command.c_str()) != 0) {
    log << "gnuplot failed (see " << spec.out_dir << "/plots.log); the script is " << script_path
        << "\n";
    return false;
  }
  log << "plots: " << spec.out_dir << "/{acc_vs_epoch,acc_vs_seconds,clip_fraction"
      << (spec.has_tail_rows ? ",tail_index" : "") << "}.png\n";
  return true;
}

}  // namespace clipsim::replay
