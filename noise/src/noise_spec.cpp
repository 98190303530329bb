// Text form of noise specs: parsing, canonical formatting and the one range check (Validate).
#include "clipsim/noise/noise_spec.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::noise {
namespace {

constexpr std::array<std::pair<NoiseKind, std::string_view>, 8> kKindNames{{
    {NoiseKind::kStable, "stable"},
    {NoiseKind::kPareto, "pareto"},
    {NoiseKind::kStudentT, "student_t"},
    {NoiseKind::kGaussian, "gaussian"},
    {NoiseKind::kContaminated, "contaminated"},
    {NoiseKind::kTwoPoint, "two_point"},
    {NoiseKind::kLomax, "lomax"},
    {NoiseKind::kUniform, "uniform"},
}};

constexpr std::array<std::pair<Shape, std::string_view>, 3> kShapeNames{{
    {Shape::kIid, "iid"},
    {Shape::kIsotropic, "isotropic"},
    {Shape::kRadial, "radial"},
}};

std::string KindList() {
  std::string s;
  for (const auto& [kind, name] : kKindNames) s += (s.empty() ? "" : ", ") + std::string(name);
  return s;
}

std::string Join(const std::vector<std::string_view>& items) {
  std::string s;
  for (std::string_view item : items) s += (s.empty() ? "" : ", ") + std::string(item);
  return s;
}

// The shapes a kind can take, in the order of kShapeNames.
std::vector<Shape> ShapesOf(NoiseKind kind) {
  switch (kind) {
    case NoiseKind::kStable:
      return {Shape::kIid, Shape::kIsotropic};
    case NoiseKind::kPareto:
      return {Shape::kIid, Shape::kRadial};
    case NoiseKind::kStudentT:
    case NoiseKind::kGaussian:
    case NoiseKind::kTwoPoint:
    case NoiseKind::kLomax:
    case NoiseKind::kUniform:
      return {Shape::kIid};
    case NoiseKind::kContaminated:
      return {};
  }
  return {};
}

// "one of iid, isotropic" or "iid (its only shape)".
std::string ShapeList(NoiseKind kind) {
  std::vector<std::string_view> names;
  for (Shape s : ShapesOf(kind)) names.push_back(ToString(s));
  if (names.size() == 1) return std::string(names[0]) + " (its only shape)";
  return "one of " + Join(names);
}

std::string_view Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

double ParseNumber(const std::string& key, std::string_view text, const std::string& allowed) {
  double v = 0.0;
  if (!ParseDouble(text, v, NumberSyntax::kFinite)) {
    throw InputError(key, std::string(text), "must be a number " + allowed);
  }
  return v;
}

// The allowed range of each numeric key, as worded in error messages.
std::string RangeOf(std::string_view key) {
  if (key == "alpha") return "in (0, 2]";
  if (key == "skew") return "in [-1, 1]";
  if (key == "scale") return "> 0";
  if (key == "tail") return "> 0";
  if (key == "dof") return "> 0";
  if (key == "eps") return "in [0, 1]";
  if (key == "atom") return ">= 1";
  return "(finite)";
}

struct Item {
  std::string key;
  std::string value;
};

// Splits "a=1, b=2, other=[kind=x,c=3]" at top-level commas. Brackets nest.
std::vector<Item> SplitItems(std::string_view text, const std::string& prefix) {
  std::vector<Item> items;
  std::size_t start = 0;
  int depth = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ',';
    if (c == '[') ++depth;
    if (c == ']' && --depth < 0) {
      throw InputError(prefix + "noise", std::string(text), "has a ']' without its '['");
    }
    if (c != ',' || depth > 0) continue;
    const std::string_view item = Trim(text.substr(start, i - start));
    start = i + 1;
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      throw InputError(prefix + "noise", std::string(item),
                       "must be key=value pairs separated by commas");
    }
    Item it{std::string(Trim(item.substr(0, eq))), std::string(Trim(item.substr(eq + 1)))};
    for (const Item& seen : items) {
      if (seen.key == it.key) {
        throw InputError(prefix + it.key, it.value, "must be given once (it appears twice)");
      }
    }
    items.push_back(std::move(it));
  }
  if (depth != 0) {
    throw InputError(prefix + "noise", std::string(text), "has a '[' without its ']'");
  }
  return items;
}

NoiseSpec Parse(std::string_view text, const std::string& prefix) {
  const std::vector<Item> items = SplitItems(text, prefix);
  const auto kind_item =
      std::find_if(items.begin(), items.end(), [](const Item& it) { return it.key == "kind"; });
  if (kind_item == items.end()) {
    throw InputError(prefix + "kind", "", "is required: one of " + KindList());
  }
  const std::optional<NoiseKind> kind = NoiseKindFromString(kind_item->value);
  if (!kind) {
    throw InputError(prefix + "kind", kind_item->value, "must be one of " + KindList());
  }
  NoiseSpec spec;
  spec.kind = *kind;
  const std::vector<std::string_view> keys = KeysOf(*kind);
  bool has_other = false;
  for (const Item& it : items) {
    if (it.key == "kind") continue;
    const std::string key = prefix + it.key;
    if (std::find(keys.begin(), keys.end(), it.key) == keys.end()) {
      throw InputError(key, it.value,
                       "is not a key of kind " + std::string(ToString(*kind)) +
                           " (its keys: " + Join(keys) + ")");
    }
    const std::string allowed = RangeOf(it.key);
    if (it.key == "alpha") {
      spec.alpha = ParseNumber(key, it.value, allowed);
    } else if (it.key == "skew") {
      spec.skew = ParseNumber(key, it.value, allowed);
    } else if (it.key == "scale") {
      spec.scale = ParseNumber(key, it.value, allowed);
    } else if (it.key == "loc") {
      spec.loc = ParseNumber(key, it.value, allowed);
    } else if (it.key == "tail") {
      spec.tail = ParseNumber(key, it.value, allowed);
    } else if (it.key == "dof") {
      spec.dof = ParseNumber(key, it.value, allowed);
    } else if (it.key == "eps") {
      spec.eps = ParseNumber(key, it.value, allowed);
    } else if (it.key == "atom") {
      spec.atom = ParseNumber(key, it.value, allowed);
    } else if (it.key == "shape") {
      const std::optional<Shape> shape = ShapeFromString(it.value);
      if (!shape) {
        throw InputError(
            key, it.value,
            "must be " + ShapeList(*kind) + " for kind " + std::string(ToString(*kind)));
      }
      spec.shape = *shape;
    } else if (it.key == "other") {
      const std::string_view v = it.value;
      if (v.size() < 2 || v.front() != '[' || v.back() != ']') {
        throw InputError(key, it.value, "must be a nested spec in brackets: other=[kind=...]");
      }
      spec.other =
          std::make_shared<const NoiseSpec>(Parse(v.substr(1, v.size() - 2), prefix + "other."));
      has_other = true;
    }
  }
  if (spec.kind == NoiseKind::kContaminated && !has_other) {
    throw InputError(prefix + "other", "",
                     "is required for kind contaminated: a nested spec in brackets, "
                     "other=[kind=...]");
  }
  return spec;
}

void Check(bool ok, const std::string& key, double v, const std::string& allowed) {
  if (!ok) throw InputError(key, ShortestText(v), "must be " + allowed);
}

void ValidateWithPrefix(const NoiseSpec& s, const std::string& prefix) {
  const auto key = [&prefix](const char* k) { return prefix + k; };
  const bool uses_shape = s.kind != NoiseKind::kContaminated;
  Check(s.scale > 0.0 && std::isfinite(s.scale), key("scale"), s.scale, "> 0 (and finite)");
  switch (s.kind) {
    case NoiseKind::kStable:
      Check(s.alpha > 0.0 && s.alpha <= 2.0, key("alpha"), s.alpha, "in (0, 2]");
      Check(s.skew >= -1.0 && s.skew <= 1.0, key("skew"), s.skew, "in [-1, 1]");
      break;
    case NoiseKind::kPareto:
    case NoiseKind::kLomax:
      Check(s.tail > 0.0 && std::isfinite(s.tail), key("tail"), s.tail, "> 0 (and finite)");
      break;
    case NoiseKind::kStudentT:
      Check(s.dof > 0.0 && std::isfinite(s.dof), key("dof"), s.dof, "> 0 (and finite)");
      break;
    case NoiseKind::kGaussian:
    case NoiseKind::kUniform:
      break;
    case NoiseKind::kContaminated:
      Check(s.eps >= 0.0 && s.eps <= 1.0, key("eps"), s.eps, "in [0, 1]");
      if (!s.other) {
        throw InputError(key("other"), "", "is required for kind contaminated");
      }
      ValidateWithPrefix(*s.other, prefix + "other.");
      break;
    case NoiseKind::kTwoPoint:
      Check(s.atom >= 1.0 && std::isfinite(s.atom), key("atom"), s.atom,
            ">= 1 (and finite): the positive atom in units of scale");
      break;
  }
  if (!uses_shape) return;
  Check(std::isfinite(s.loc), key("loc"), s.loc, "finite");
  const std::vector<Shape> shapes = ShapesOf(s.kind);
  if (std::find(shapes.begin(), shapes.end(), s.shape) == shapes.end()) {
    throw InputError(key("shape"), std::string(ToString(s.shape)),
                     "must be " + ShapeList(s.kind) + " for kind " + std::string(ToString(s.kind)));
  }
  if (s.shape != Shape::kIid && s.loc != 0.0) {
    throw InputError(key("loc"), ShortestText(s.loc),
                     "must be 0 with shape " + std::string(ToString(s.shape)));
  }
  if (s.shape == Shape::kIsotropic && s.skew != 0.0) {
    throw InputError(key("skew"), ShortestText(s.skew),
                     "must be 0 with shape isotropic (sub-Gaussian stable laws are symmetric)");
  }
}

void AppendKey(std::string& text, std::string_view key, const std::string& value) {
  text += ',';
  text += key;
  text += '=';
  text += value;
}

}  // namespace

std::string_view ToString(NoiseKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "?";
}

std::string_view ToString(Shape shape) {
  for (const auto& [s, name] : kShapeNames) {
    if (s == shape) return name;
  }
  return "?";
}

std::optional<NoiseKind> NoiseKindFromString(std::string_view text) {
  for (const auto& [k, name] : kKindNames) {
    if (name == text) return k;
  }
  return std::nullopt;
}

std::optional<Shape> ShapeFromString(std::string_view text) {
  for (const auto& [s, name] : kShapeNames) {
    if (name == text) return s;
  }
  return std::nullopt;
}

std::vector<std::string_view> KeysOf(NoiseKind kind) {
  switch (kind) {
    case NoiseKind::kStable:
      return {"alpha", "skew", "scale", "loc", "shape"};
    case NoiseKind::kPareto:
      return {"tail", "scale", "loc", "shape"};
    case NoiseKind::kStudentT:
      return {"dof", "scale", "loc", "shape"};
    case NoiseKind::kGaussian:
      return {"scale", "loc", "shape"};
    case NoiseKind::kContaminated:
      return {"eps", "scale", "other"};
    case NoiseKind::kTwoPoint:
      return {"atom", "scale", "loc", "shape"};
    case NoiseKind::kLomax:
      return {"tail", "scale", "loc", "shape"};
    case NoiseKind::kUniform:
      return {"scale", "loc", "shape"};
  }
  return {};
}

bool operator==(const NoiseSpec& a, const NoiseSpec& b) {
  if (a.kind != b.kind) return false;
  for (std::string_view key : KeysOf(a.kind)) {
    if (key == "alpha" && a.alpha != b.alpha) return false;
    if (key == "skew" && a.skew != b.skew) return false;
    if (key == "scale" && a.scale != b.scale) return false;
    if (key == "loc" && a.loc != b.loc) return false;
    if (key == "tail" && a.tail != b.tail) return false;
    if (key == "dof" && a.dof != b.dof) return false;
    if (key == "shape" && a.shape != b.shape) return false;
    if (key == "eps" && a.eps != b.eps) return false;
    if (key == "atom" && a.atom != b.atom) return false;
    if (key == "other") {
      if (!a.other || !b.other) {
        if (a.other || b.other) return false;
      } else if (!(*a.other == *b.other)) {
        return false;
      }
    }
  }
  return true;
}

void Validate(const NoiseSpec& spec) {
  ValidateWithPrefix(spec, "");
}

NoiseSpec ParseNoiseSpec(std::string_view text) {
  NoiseSpec spec = Parse(text, "");
  Validate(spec);
  return spec;
}

std::string FormatNoiseSpec(const NoiseSpec& spec) {
  std::string text = "kind=" + std::string(ToString(spec.kind));
  for (std::string_view key : KeysOf(spec.kind)) {
    if (key == "alpha") AppendKey(text, key, ShortestText(spec.alpha));
    if (key == "skew") AppendKey(text, key, ShortestText(spec.skew));
    if (key == "scale") AppendKey(text, key, ShortestText(spec.scale));
    if (key == "loc" && spec.loc != 0.0) AppendKey(text, key, ShortestText(spec.loc));
    if (key == "tail") AppendKey(text, key, ShortestText(spec.tail));
    if (key == "dof") AppendKey(text, key, ShortestText(spec.dof));
    if (key == "eps") AppendKey(text, key, ShortestText(spec.eps));
    if (key == "atom") AppendKey(text, key, ShortestText(spec.atom));
    if (key == "shape" && spec.shape != Shape::kIid) {
      AppendKey(text, key, std::string(ToString(spec.shape)));
    }
    if (key == "other" && spec.other)
      AppendKey(text, key, "[" + FormatNoiseSpec(*spec.other) + "]");
  }
  return text;
}

std::string NoiseFamily(std::string_view text) {
  try {
    return std::string(ToString(ParseNoiseSpec(text).kind));
  } catch (const InputError&) {
    return std::string(text);
  }
}

}  // namespace clipsim::noise
