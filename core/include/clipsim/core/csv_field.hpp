// One field of a CSV file (RFC 4180) as every table clipsim writes spells it, so that sim's
// tables (results, cells, noise norms) and analysis's (summaries, tuned tables) quote alike.
#pragma once

#include <string>

namespace clipsim {

// The text as is, or in double quotes with each quote doubled when it holds a comma, a quote or a
// line break.
inline std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace clipsim
