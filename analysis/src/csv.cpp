#include "clipsim/analysis/csv.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "clipsim/core/csv_field.hpp"
#include "clipsim/core/input_error.hpp"

namespace clipsim::analysis {

void CsvWriter::Row(const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) text_ += ',';
    text_ += CsvField(fields[i]);
  }
  text_ += '\n';
}

void RequireFieldCount(const CsvReader& reader, std::size_t fields, std::size_t header_fields) {
  if (fields == header_fields) return;
  throw InputError("a row of " + std::to_string(fields) + " fields under a header of " +
                       std::to_string(header_fields) + " columns",
                   {reader.file(), reader.line(), 0});
}

std::string ReadFileMaybeGzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw InputError("cannot open the file (missing or unreadable)", {path});
  std::string out;
  constexpr unsigned kChunk = 1u << 20;
  std::string buf(kChunk, '\0');
  for (;;) {
    const int got = gzread(f, buf.data(), kChunk);
    if (got < 0) {
      gzclose(f);
      throw InputError("cannot read the file (corrupt gzip data?)", {path});
    }
    if (got == 0) break;
    out.append(buf.data(), static_cast<std::size_t>(got));
  }
  gzclose(f);
  return out;
}

bool CsvReader::Next(std::vector<std::string_view>& fields) {
  fields.clear();
  owned_.clear();
  // Skip blank lines.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++next_line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  record_line_ = next_line_;
  for (;;) {
    if (pos_ < text_.size() && text_[pos_] == '"') {
      // Quoted field.
      std::string value;
      ++pos_;
      for (;;) {
        if (pos_ >= text_.size()) {
          throw InputError("unterminated quoted field", {file_, record_line_, 0});
        }
        const char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            value += '"';
            ++pos_;
          } else {
            break;
          }
        } else {
          if (c == '\n') ++next_line_;
          value += c;
        }
      }
      owned_.push_back(std::move(value));
      fields.emplace_back(owned_.back());
    } else {
      std::size_t end = pos_;
      while (end < text_.size() && text_[end] != ',' && text_[end] != '\n' && text_[end] != '\r') {
        ++end;
      }
      fields.emplace_back(text_.substr(pos_, end - pos_));
      pos_ = end;
    }
    if (pos_ >= text_.size()) return true;
    const char sep = text_[pos_];
    if (sep == ',') {
      ++pos_;
      continue;
    }
    // End of record: "\n", "\r\n" or "\r".
    if (sep == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++next_line_;
    }
    return true;
  }
}

int FindColumn(const std::vector<std::string>& header, std::string_view name) {
  const auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

bool ParseFlag(std::string_view text, bool& out) {
  if (text == "1" || text == "true" || text == "True" || text == "TRUE") {
    out = true;
    return true;
  }
  if (text.empty() || text == "0" || text == "false" || text == "False" || text == "FALSE") {
    out = false;
    return true;
  }
  return false;
}

}  // namespace clipsim::analysis
