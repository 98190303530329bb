#include "clipsim/core/yaml_input.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace clipsim::yaml {

InputLocation Where(const std::string& file, const YAML::Node& node) {
  if (!node.IsDefined()) return {file, 0, 0};
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

YAML::Node Parse(const std::string& text, const std::string& file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError("YAML syntax error: " + e.msg, {file, e.mark.is_null() ? 0 : e.mark.line + 1,
                                                     e.mark.is_null() ? 0 : e.mark.column + 1});
  }
}

std::string KeyText(const YAML::Node& key, const std::string& file) {
  if (!key.IsScalar()) {
    throw InputError("key", "(a " + std::string(key.IsMap() ? "map" : "list") + ")",
                     "a key must be plain text", Where(file, key));
  }
  return key.Scalar();
}

bool ParseNumber(const std::string& text, double& out) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* inf : {".inf", "+.inf", "inf", "+inf", "infinity", "+infinity"}) {
    if (lower == inf) {
      out = std::numeric_limits<double>::infinity();
      return true;
    }
  }
  for (const char* inf : {"-.inf", "-inf", "-infinity"}) {
    if (lower == inf) {
      out = -std::numeric_limits<double>::infinity();
      return true;
    }
  }
  const char* begin = text.data();
  if (!text.empty() && text[0] == '+') ++begin;
  const auto r = std::from_chars(begin, text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size() && !std::isnan(out);
}

double ReadNumber(const YAML::Node& node, const std::string& key, const std::string& allowed,
                  const std::string& file) {
  double v = 0.0;
  if (!node.IsScalar() || !ParseNumber(node.Scalar(), v)) {
    throw InputError(key, node.IsScalar() ? node.Scalar() : "", "must be a number " + allowed,
                     Where(file, node));
  }
  return v;
}

std::int64_t ReadInt(const YAML::Node& node, const std::string& key, std::int64_t lo,
                     std::int64_t hi, const std::string& file) {
  const std::string allowed =
      "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (!node.IsScalar()) throw InputError(key, "", allowed, Where(file, node));
  const std::string& s = node.Scalar();
  std::int64_t v = 0;
  const char* begin = s.data();
  if (!s.empty() && s[0] == '+') ++begin;
  const auto r = std::from_chars(begin, s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    double d = 0.0;
    if (!ParseNumber(s, d) || !(std::abs(d) < 9e18) || d != std::floor(d)) {
      throw InputError(key, s, allowed, Where(file, node));
    }
    v = static_cast<std::int64_t>(d);
  }
  if (v < lo || v > hi) throw InputError(key, s, allowed, Where(file, node));
  return v;
}

bool ReadBool(const YAML::Node& node, const std::string& key, const std::string& file) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    throw InputError(key, node.IsScalar() ? node.Scalar() : "", "must be true or false",
                     Where(file, node));
  }
  return value;
}

}  // namespace clipsim::yaml
