// A small RFC 4180 CSV reader over a whole file held in memory (sweep outputs are at most tens of
// megabytes), the file reading that transparently inflates gzip, and a table writer: the one CSV
// reader and writer of analysis/ (the results folder, the tables it derives) and of claims/ above
// it (the tuned table).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace clipsim::analysis {

// The whole file; gzip-compressed files are inflated (zlib's gzread reads plain files as is).
// Throws InputError naming the path when it cannot be opened or read.
std::string ReadFileMaybeGzip(const std::string& path);

class CsvReader {
 public:
  CsvReader(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}
  // Reads the next record into fields; false at end of input. Blank lines are skipped. Quoted
  // fields may hold commas, doubled quotes and newlines. The views stay valid until the next call.
  bool Next(std::vector<std::string_view>& fields);
  int line() const { return record_line_; }  // 1-based line where the last record started
  const std::string& file() const { return file_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int next_line_ = 1;
  int record_line_ = 0;
  std::string file_;
  std::deque<std::string> owned_;  // unescaped quoted fields of the current record
};

// Builds a CSV file row by row, each field spelled by CsvField (core/csv_field.hpp).
class CsvWriter {
 public:
  explicit CsvWriter(const std::vector<std::string>& header) { Row(header); }
  void Row(const std::vector<std::string>& fields);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Throws InputError at the reader's current record (file and line) when it has another number of
// fields than the header.
void RequireFieldCount(const CsvReader& reader, std::size_t fields, std::size_t header_fields);

// Index of a column in a header, or -1.
int FindColumn(const std::vector<std::string>& header, std::string_view name);

// Numbers in these files are read with core/number_parse.hpp (NumberSyntax::kResults).
// "1", "true" -> true; "0", "false", "" -> false. Returns false when neither.
bool ParseFlag(std::string_view text, bool& out);

}  // namespace clipsim::analysis
