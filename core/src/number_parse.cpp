#include "clipsim/core/number_parse.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace clipsim {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// The sign, removed from `text`: -1 for a leading '-', +1 otherwise (a leading '+' removed too).
int TakeSign(std::string_view& text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    const int sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
    return sign;
  }
  return 1;
}

// Text that from_chars would read as infinity or NaN, or a second sign: our syntax spells the
// non-finite values itself, so from_chars only ever sees digits, a point and an exponent.
bool StartsLikeDecimal(std::string_view digits) {
  return !digits.empty() &&
         (std::isdigit(static_cast<unsigned char>(digits.front())) || digits.front() == '.');
}

}  // namespace

bool ParseDouble(std::string_view text, double& out, NumberSyntax syntax) {
  std::string_view digits = text;
  const int sign = TakeSign(digits);
  for (std::string_view inf : {"inf", ".inf", "infinity"}) {
    if (EqualsIgnoringCase(digits, inf)) {
      if (syntax == NumberSyntax::kFinite) return false;
      out = sign * std::numeric_limits<double>::infinity();
      return true;
    }
  }
  if (syntax == NumberSyntax::kResults && EqualsIgnoringCase(text, "nan")) {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (!StartsLikeDecimal(digits)) return false;
  double v = 0.0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return false;
  out = sign * v;
  return true;
}

bool ParseInt64(std::string_view text, std::int64_t& out) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front()))) return false;
  }
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

bool ParseUint64(std::string_view text, std::uint64_t& out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front()))) return false;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

bool ParseHex16(std::string_view text, std::uint64_t& out) {
  if (text.size() != 16 || !std::isxdigit(static_cast<unsigned char>(text.front()))) return false;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out, 16);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

}  // namespace clipsim
