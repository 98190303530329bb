// Result files of a run: run.json (every setting and estimate), CSV tables whose first line is
// "# " + the same JSON (so each table says how it was made; gnuplot and pandas' comment="#" skip
// it), and a gnuplot script with the figures (rendered to PNG when gnuplot is on PATH).
#pragma once

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace clipsim::replay {

// A number as CSV/JSON text: up to 10 significant digits, as printf's %.10g; "nan", "inf", "-inf"
// in CSV (core's SignificantText, number_text.hpp).
std::string FormatNumber(double value);

// An ordered, flat list of key/value pairs, written as one JSON object (nlohmann::ordered_json:
// the keys keep the order they were added in).
class RunRecord {
 public:
  void Add(const std::string& key, const std::string& value);
  void Add(const std::string& key, const char* value) { Add(key, std::string(value)); }
  // Rounded to 10 significant digits, as FormatNumber (an integral result is written without a
  // fraction: 2, not 2.0); non-finite values become null.
  void Add(const std::string& key, double value);
  void Add(const std::string& key, int64_t value);
  void Add(const std::string& key, int value) { Add(key, static_cast<int64_t>(value)); }
  void Add(const std::string& key, bool value);
  // One line, no spaces ({"program":"clipsim-replay","epochs":164,...}); bytes that are not UTF-8
  // (a path) become U+FFFD.
  std::string Json() const;

 private:
  nlohmann::ordered_json json_ = nlohmann::ordered_json::object();
};

// A CSV table written row by row (flushed after each row, so a long run can be watched).
class CsvTable {
 public:
  // Throws InputError when the file cannot be created.
  CsvTable(const std::string& path, const RunRecord& record,
           const std::vector<std::string>& columns);
  // cells.size() must equal the number of columns.
  void Row(const std::vector<std::string>& cells);

 private:
  std::string path_;
  std::size_t columns_;
  std::ofstream out_;
};

struct PlotSpec {
  std::string out_dir;
  std::vector<std::string> methods;
  std::string title;          // names the data, the model and the batch size
  bool has_tail_rows = true;  // tail.csv has estimates (gnuplot fails on a plot with no points)
};

// Writes <out_dir>/plots.gp (test top-1/top-5 accuracy against epoch and against training
// seconds, one line per method; tail index with its intervals and the clipped fraction against
// step; the tail figure only when has_tail_rows) and, when gnuplot is on PATH, renders the PNGs
// (pngcairo when available, else png). Returns true when PNGs were rendered. Messages go to log.
bool WritePlots(const PlotSpec& spec, std::ostream& log);

}  // namespace clipsim::replay
