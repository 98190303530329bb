#include "clipsim/dynamics/streaming_lsq.hpp"

#include <cmath>
#include <map>
#include <string>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"

namespace clipsim::dynamics {

std::vector<double> PowerLawSpectrum(const StreamingLsqSpec& spec) {
  std::vector<double> lambda(static_cast<std::size_t>(spec.dim));
  double sum = 0.0;
  for (int i = 0; i < spec.dim; ++i) {
    lambda[static_cast<std::size_t>(i)] = std::pow(static_cast<double>(i + 1), -spec.power);
  }
  // Summed from the smallest term up, so that the normalization is accurate for large d.
  for (int i = spec.dim - 1; i >= 0; --i) sum += lambda[static_cast<std::size_t>(i)];
  for (double& l : lambda) l *= spec.trace / sum;
  return lambda;
}

double TargetMagnitude(const StreamingLsqSpec& spec) {
  return std::sqrt(2.0 * spec.risk0 / spec.trace);
}

double IntrinsicDimension(const StreamingLsqSpec& spec) {
  double sum = 0.0;
  for (int i = spec.dim; i >= 1; --i) sum += std::pow(static_cast<double>(i), -spec.power);
  return sum;
}

std::optional<StreamingLsqSpec> StreamingLsqFromText(std::string_view text) {
  std::map<std::string, std::string> kv;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    kv[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
  }
  if (kv["kind"] != kStreamingLsqKind) return std::nullopt;
  const auto number = [&](const std::string& key) {
    double v = 0.0;
    const auto it = kv.find(key);
    if (it == kv.end() || !ParseDouble(it->second, v, NumberSyntax::kFinite)) {
      throw InputError("problem." + key, it == kv.end() ? "" : it->second,
                       "a number in the canonical problem text of streaming_least_squares");
    }
    return v;
  };
  StreamingLsqSpec spec;
  spec.dim = static_cast<int>(number("dim"));
  spec.power = number("power");
  spec.trace = number("trace");
  spec.risk0 = number("risk0");
  return spec;
}

}  // namespace clipsim::dynamics
