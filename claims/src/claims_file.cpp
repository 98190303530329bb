// Claims file parsing (claims_file.hpp): every key validated with its location, so that a bad
// claims file is refused before any sweep is read.
#include "clipsim/claims/claims_file.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>
#include <string>

#include "clipsim/core/file_text.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/yaml_input.hpp"

namespace clipsim::claims {
namespace {

struct Ctx {
  std::string file;
  InputLocation At(const YAML::Node& node) const { return yaml::Where(file, node); }
  [[noreturn]] void Fail(const YAML::Node& node, const std::string& key,
                         const std::string& allowed) const {
    throw InputError(key, node.IsScalar() ? node.Scalar() : std::string("(not a scalar)"), allowed,
                     At(node));
  }
};

void CheckKeys(const Ctx& ctx, const YAML::Node& map, const std::string& where,
               const std::set<std::string>& allowed) {
  if (!map.IsMap()) ctx.Fail(map, where, "a map");
  std::string list;
  for (const std::string& k : allowed) list += (list.empty() ? "" : ", ") + k;
  for (const auto& kv : map) {
    const std::string key = yaml::KeyText(kv.first, ctx.file);
    if (!allowed.count(key)) {
      throw InputError(where.empty() ? key : where + "." + key, key, "one of: " + list,
                       ctx.At(kv.first));
    }
  }
}

std::string Text(const Ctx& ctx, const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) ctx.Fail(node, key, "text");
  return node.Scalar();
}

double Number(const Ctx& ctx, const YAML::Node& node, const std::string& key,
              const std::string& allowed) {
  double v = 0.0;
  if (!node.IsScalar() || !ParseDouble(node.Scalar(), v, NumberSyntax::kExtended))
    ctx.Fail(node, key, allowed);
  return v;
}

bool Flag(const Ctx& ctx, const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) ctx.Fail(node, key, "true or false");
  const std::string s = node.Scalar();
  if (s == "true") return true;
  if (s == "false") return false;
  ctx.Fail(node, key, "true or false");
}

std::vector<std::string> TextList(const Ctx& ctx, const YAML::Node& node, const std::string& key) {
  if (!node.IsSequence()) ctx.Fail(node, key, "a list of text");
  std::vector<std::string> out;
  for (const YAML::Node& item : node) out.push_back(Text(ctx, item, key));
  return out;
}

CellSelector Selector(const Ctx& ctx, const YAML::Node& node, const std::string& key) {
  if (!node.IsMap()) ctx.Fail(node, key, "a map {column: value}");
  CellSelector s;
  for (const auto& kv : node) {
    s.match.emplace_back(yaml::KeyText(kv.first, ctx.file), Text(ctx, kv.second, key));
  }
  return s;
}

// `checks: [...]`: a non-empty list of the given names; each listed name's flag is set, the
// others cleared.
void Checks(const Ctx& ctx, const YAML::Node& node, const std::string& key,
            std::initializer_list<std::pair<const char*, bool*>> names) {
  std::string list;
  for (const auto& [name, flag] : names) {
    list += (list.empty() ? "" : ", ") + std::string(name);
    *flag = false;
  }
  const std::vector<std::string> checks = TextList(ctx, node, key);
  if (checks.empty()) ctx.Fail(node, key, "a non-empty list of " + list);
  for (const std::string& c : checks) {
    const auto it =
        std::find_if(names.begin(), names.end(), [&](const auto& n) { return c == n.first; });
    if (it == names.end()) ctx.Fail(node, key, "a list of " + list);
    *it->second = true;
  }
}

// `[lower, upper]`: numbers (.inf and -.inf allowed), lower <= upper.
Region Range(const Ctx& ctx, const YAML::Node& r, const std::string& key) {
  if (!r.IsSequence() || r.size() != 2) ctx.Fail(r, key, "[lower, upper]");
  Region out;
  out.lower = Number(ctx, r[0], key, "a number or -.inf");
  out.upper = Number(ctx, r[1], key, "a number or .inf");
  if (std::isnan(out.lower) || std::isnan(out.upper) || out.lower > out.upper) {
    ctx.Fail(r[0], key, "lower <= upper");
  }
  return out;
}

// The row keys of kind floor (claims.hpp): checks [lower, upper], expect floor | none, and a slope
// row's along and within.
void ParseFloorRow(const Ctx& ctx, const YAML::Node& node, const std::string& where,
                   ClaimRowSpec& row) {
  if (node["checks"]) {
    Checks(ctx, node["checks"], where + ".checks",
           {{"lower", &row.floor_lower}, {"upper", &row.floor_upper}});
  }
  if (node["expect"]) {
    const std::string e = Text(ctx, node["expect"], where + ".expect");
    if (e == "none") {
      row.floor_expect = FloorExpect::kNone;
    } else if (e != "floor") {
      ctx.Fail(node["expect"], where + ".expect", "floor or none");
    }
  }
  if (node["along"]) {
    row.along = Text(ctx, node["along"], where + ".along");
    if (row.along.empty()) ctx.Fail(node["along"], where + ".along", "a grid column");
    if (row.floor_expect == FloorExpect::kNone || node["checks"]) {
      ctx.Fail(node["along"], where + ".along",
               "a slope row, which takes neither expect: none nor checks");
    }
    if (!node["region"]) ctx.Fail(node, where + ".region", "required with along");
  } else if (node["region"]) {
    ctx.Fail(node["region"], where + ".region",
             "only on a slope row (along): a floor row's region comes from the bounds");
  }
  if (node["within"]) {
    if (row.along.empty()) ctx.Fail(node["within"], where + ".within", "only with along");
    row.along_within = Range(ctx, node["within"], where + ".within");
  }
}

ClaimRowSpec ParseRow(const Ctx& ctx, const YAML::Node& node, const std::string& where,
                      ClaimKind kind) {
  CheckKeys(ctx, node, where,
            {"name", "select", "against", "region", "control", "checks", "expect", "slope",
             "require_clipping", "along", "within", "ode", "bound_factor"});
  ClaimRowSpec row;
  const bool hitting = kind == ClaimKind::kHittingTime;
  if (kind == ClaimKind::kFloor) {
    ParseFloorRow(ctx, node, where, row);
  } else if (node["along"] || node["within"]) {
    ctx.Fail(node["along"] ? node["along"] : node["within"],
             where + (node["along"] ? ".along" : ".within"), "only with kind floor");
  }
  if (node["name"]) row.name = Text(ctx, node["name"], where + ".name");
  if (node["control"]) row.control = Flag(ctx, node["control"], where + ".control");
  if (node["checks"] && kind == ClaimKind::kOde) {
    Checks(ctx, node["checks"], where + ".checks",
           {{"agreement", &row.check_agreement},
            {"trend", &row.check_trend},
            {"ccc", &row.check_ccc}});
  } else if (node["checks"] && hitting) {
    // hitting_time checks bound and separation (stored as the slope check).
    Checks(ctx, node["checks"], where + ".checks",
           {{"bound", &row.check_bound}, {"separation", &row.check_slope}});
  } else if (node["checks"] && kind != ClaimKind::kFloor) {
    if (kind != ClaimKind::kRate)
      ctx.Fail(node["checks"], where + ".checks",
               "only with kind rate, floor, ode or hitting_time");
    Checks(ctx, node["checks"], where + ".checks",
           {{"bound", &row.check_bound}, {"slope", &row.check_slope}});
  }
  if (node["bound_factor"]) {
    if (!hitting)
      ctx.Fail(node["bound_factor"], where + ".bound_factor", "only with kind hitting_time");
    row.bound_factor = Number(ctx, node["bound_factor"], where + ".bound_factor", "> 0");
    if (!(row.bound_factor > 0.0 && std::isfinite(row.bound_factor))) {
      ctx.Fail(node["bound_factor"], where + ".bound_factor", "a finite number > 0");
    }
  }
  if (node["expect"] && kind == ClaimKind::kOde) {
    const std::string e = Text(ctx, node["expect"], where + ".expect");
    if (e == "disagrees") {
      row.expect_disagreement = true;
    } else if (e != "agrees") {
      ctx.Fail(node["expect"], where + ".expect", "agrees or disagrees");
    }
  } else if (node["expect"] && kind != ClaimKind::kFloor) {
    if (kind != ClaimKind::kRate && !hitting)
      ctx.Fail(node["expect"], where + ".expect",
               "only with kind rate, floor, ode or hitting_time");
    const std::string e = Text(ctx, node["expect"], where + ".expect");
    if (e == "violated") {
      row.expect_violation = true;
    } else if (e != "holds") {
      ctx.Fail(node["expect"], where + ".expect", "holds or violated");
    }
  }
  if (node["slope"]) {
    if (kind != ClaimKind::kRate) ctx.Fail(node["slope"], where + ".slope", "only with kind rate");
    const std::string e = Text(ctx, node["slope"], where + ".slope");
    if (e == "equal") {
      row.slope_equivalence = true;
    } else if (e != "at_least_as_fast") {
      ctx.Fail(node["slope"], where + ".slope", "at_least_as_fast or equal");
    }
  }
  if (node["require_clipping"]) {
    if (kind != ClaimKind::kPairedRatio && kind != ClaimKind::kDeltaExponent) {
      ctx.Fail(node["require_clipping"], where + ".require_clipping",
               "only with kind paired_ratio or delta_exponent");
    }
    row.require_clipping = Flag(ctx, node["require_clipping"], where + ".require_clipping");
  }
  if (node["ode"]) {
    if (kind != ClaimKind::kOde) ctx.Fail(node["ode"], where + ".ode", "only with kind ode");
    const YAML::Node o = node["ode"];
    CheckKeys(ctx, o, where + ".ode", {"mu_factor", "nu_factor", "unclipped"});
    for (const char* key : {"mu_factor", "nu_factor"}) {
      if (!o[key]) continue;
      const double v = Number(ctx, o[key], where + ".ode." + key, "a finite number > 0");
      if (!(v > 0.0) || !std::isfinite(v)) ctx.Fail(o[key], where + ".ode." + key, "> 0, finite");
      (std::string(key) == "mu_factor" ? row.ode.mu_factor : row.ode.nu_factor) = v;
    }
    if (o["unclipped"]) row.ode.unclipped = Flag(ctx, o["unclipped"], where + ".ode.unclipped");
  }
  if (node["select"]) row.select = Selector(ctx, node["select"], where + ".select");
  if (node["against"]) {
    if (kind != ClaimKind::kPairedRatio && kind != ClaimKind::kDeltaExponent && !hitting) {
      ctx.Fail(node["against"], where + ".against",
               "only with kind paired_ratio, delta_exponent or hitting_time");
    }
    row.against = Selector(ctx, node["against"], where + ".against");
  } else if (kind == ClaimKind::kPairedRatio) {
    ctx.Fail(node, where + ".against", "required with kind paired_ratio");
  } else if (hitting && row.check_slope) {
    ctx.Fail(node, where + ".against",
             "required with kind hitting_time for the separation check (or checks: [bound])");
  }
  if (node["region"]) {
    row.region = Range(ctx, node["region"], where + ".region");
    row.exponent_difference = kind == ClaimKind::kDeltaExponent && node["against"];
  } else if ((kind == ClaimKind::kOde && row.check_ccc) ||
             (kind != ClaimKind::kRate && kind != ClaimKind::kHpBound &&
              kind != ClaimKind::kFloor && kind != ClaimKind::kOde && !hitting &&
              !(kind == ClaimKind::kDeltaExponent && node["against"]))) {
    ctx.Fail(node, where + ".region", "required with kind " + std::string(ToString(kind)));
  }
  return row;
}

// regime: {min_steps, max_bound_ratio, slope_tolerance, min_clipped_per_run, min_rate_budgets,
// min_rate_span}: the testability rules of analysis/regime.hpp, each overriding its default.
analysis::RegimeRules ParseRegime(const Ctx& ctx, const YAML::Node& node,
                                  const std::string& where) {
  CheckKeys(ctx, node, where,
            {"min_steps", "max_bound_ratio", "slope_tolerance", "min_clipped_per_run",
             "min_rate_budgets", "min_rate_span"});
  analysis::RegimeRules r;
  const auto integer = [&](const char* key, const std::string& allowed) {
    const double v = Number(ctx, node[key], where + "." + key, allowed);
    if (!(v == std::floor(v) && v >= 0 && v < 1e15))
      ctx.Fail(node[key], where + "." + key, allowed);
    return static_cast<std::int64_t>(v);
  };
  if (node["min_steps"]) r.min_steps = integer("min_steps", "an integer >= 1");
  if (node["min_rate_budgets"]) {
    r.min_rate_budgets = static_cast<int>(integer("min_rate_budgets", "an integer >= 2"));
  }
  if (node["max_bound_ratio"]) {
    r.max_bound_ratio = Number(ctx, node["max_bound_ratio"], where + ".max_bound_ratio", "> 0");
  }
  if (node["slope_tolerance"]) {
    r.slope_tolerance = Number(ctx, node["slope_tolerance"], where + ".slope_tolerance", ">= 0");
  }
  if (node["min_clipped_per_run"]) {
    r.min_clipped_per_run =
        Number(ctx, node["min_clipped_per_run"], where + ".min_clipped_per_run", ">= 0");
  }
  if (node["min_rate_span"]) {
    r.min_rate_span = Number(ctx, node["min_rate_span"], where + ".min_rate_span", ">= 1");
  }
  if (const std::string error = r.Validate(); !error.empty()) {
    // "field is value, but must ...": locate it at the field it names.
    const std::string field = error.substr(0, error.find(' '));
    ctx.Fail(node[field] ? node[field] : node, where + "." + field, error);
  }
  return r;
}

// The claim keys of kind floor: flat_margin in (0, 1), lower_factor and upper_factor > 0.
void ParseFloorKeys(const Ctx& ctx, const YAML::Node& node, const std::string& where,
                    ClaimSpec& c) {
  for (const char* key : {"flat_margin", "lower_factor", "upper_factor"}) {
    if (node[key] && c.kind != ClaimKind::kFloor) {
      ctx.Fail(node[key], where + "." + key, "only with kind floor");
    }
  }
  if (node["flat_margin"]) {
    c.flat_margin = Number(ctx, node["flat_margin"], where + ".flat_margin", "in (0, 1)");
    if (!(c.flat_margin > 0.0 && c.flat_margin < 1.0)) {
      ctx.Fail(node["flat_margin"], where + ".flat_margin", "in (0, 1)");
    }
  }
  for (const auto& [key, field] :
       {std::pair{"lower_factor", &c.lower_factor}, std::pair{"upper_factor", &c.upper_factor}}) {
    if (!node[key]) continue;
    *field = Number(ctx, node[key], where + "." + key, "> 0 (and finite)");
    if (!(*field > 0.0 && std::isfinite(*field))) {
      ctx.Fail(node[key], where + "." + key, "> 0 (and finite)");
    }
  }
}

ClaimSpec ParseClaim(const Ctx& ctx, const YAML::Node& node, const std::string& where) {
  CheckKeys(ctx, node, where,
            {"id",         "title",     "statement",   "kind",         "sweep",        "metric",
             "statistics", "margin",    "delta_high",  "delta_low",    "deltas",       "budget",
             "equal_time", "tuned",     "figures",     "max_figures",  "include",      "regime",
             "hitting",    "rows",      "flat_margin", "lower_factor", "upper_factor", "tolerance",
             "horizon",    "time_drift"});
  ClaimSpec c;
  for (const char* required : {"id", "kind", "sweep", "rows"}) {
    if (!node[required]) ctx.Fail(node, where + "." + required, "required");
  }
  c.id = Text(ctx, node["id"], where + ".id");
  if (!ClaimKindFromString(Text(ctx, node["kind"], where + ".kind"), c.kind)) {
    ctx.Fail(node["kind"], where + ".kind",
             "rate, delta_exponent, paired_ratio, slope_region, hp_bound, floor, ode or "
             "hitting_time");
  }
  c.sweep = Text(ctx, node["sweep"], where + ".sweep");
  if (c.sweep.empty() || c.sweep.find("..") != std::string::npos || c.sweep.front() == '/') {
    ctx.Fail(node["sweep"], where + ".sweep", "a folder name under the results root");
  }
  if (node["title"]) c.title = Text(ctx, node["title"], where + ".title");
  if (node["statement"]) c.statement = Text(ctx, node["statement"], where + ".statement");
  // A hitting_time claim is about the final iterations (analysis/hitting_time.hpp).
  if (c.kind == ClaimKind::kHittingTime) c.metric = "iterations";
  if (node["metric"]) c.metric = Text(ctx, node["metric"], where + ".metric");
  if (node["statistics"]) {
    c.statistics = TextList(ctx, node["statistics"], where + ".statistics");
    if (c.statistics.empty()) ctx.Fail(node["statistics"], where + ".statistics", "non-empty");
  }
  if (node["margin"]) {
    c.margin = Number(ctx, node["margin"], where + ".margin", "in [0, 1)");
    if (!(c.margin >= 0.0 && c.margin < 1.0))
      ctx.Fail(node["margin"], where + ".margin", "in [0, 1)");
  }
  if (node["delta_high"]) {
    c.delta_high = Number(ctx, node["delta_high"], where + ".delta_high", "in (0, 1)");
  }
  if (node["delta_low"]) {
    c.delta_low = Number(ctx, node["delta_low"], where + ".delta_low", "in (0, delta_high)");
  }
  if (!(c.delta_high > 0.0 && c.delta_high < 1.0)) {
    ctx.Fail(node["delta_high"] ? node["delta_high"] : node, where + ".delta_high", "in (0, 1)");
  }
  if (!(c.delta_low > 0.0 && c.delta_low < c.delta_high)) {
    ctx.Fail(node["delta_low"] ? node["delta_low"] : node, where + ".delta_low",
             "in (0, delta_high)");
  }
  if (node["deltas"]) {
    if (c.kind != ClaimKind::kHpBound) {
      ctx.Fail(node["deltas"], where + ".deltas", "only with kind hp_bound");
    }
    const YAML::Node d = node["deltas"];
    if (!d.IsSequence() || d.size() == 0) ctx.Fail(d, where + ".deltas", "a non-empty list");
    c.deltas.clear();
    for (const YAML::Node& v : d) {
      const double x = Number(ctx, v, where + ".deltas", "numbers in (0, 1)");
      if (!(x > 0.0 && x < 1.0)) ctx.Fail(v, where + ".deltas", "numbers in (0, 1)");
      c.deltas.push_back(x);
    }
  }
  if (node["budget"]) {
    const double b = Number(ctx, node["budget"], where + ".budget", "an integer >= 0");
    if (!(b >= 0.0 && b < 1e16 && b == std::floor(b))) {
      ctx.Fail(node["budget"], where + ".budget", "an integer >= 0");
    }
    c.budget = static_cast<std::int64_t>(b);
  }
  if (node["equal_time"]) c.equal_time = Flag(ctx, node["equal_time"], where + ".equal_time");
  if (c.equal_time && c.kind != ClaimKind::kPairedRatio) {
    ctx.Fail(node["equal_time"], where + ".equal_time", "only with kind paired_ratio");
  }
  if (node["time_drift"]) {
    if (!c.equal_time) ctx.Fail(node["time_drift"], where + ".time_drift", "only with equal_time");
    const double x = Number(ctx, node["time_drift"], where + ".time_drift", "a number in [0, 1]");
    if (!(x >= 0.0 && x <= 1.0)) {
      ctx.Fail(node["time_drift"], where + ".time_drift", "a number in [0, 1]");
    }
    c.time_drift = x;
  }
  if (node["tuned"]) {
    if (c.kind != ClaimKind::kPairedRatio) {
      ctx.Fail(node["tuned"], where + ".tuned", "only with kind paired_ratio");
    }
    c.tuned = Text(ctx, node["tuned"], where + ".tuned");
    if (c.tuned.empty() || c.tuned.find("..") != std::string::npos || c.tuned.front() == '/') {
      ctx.Fail(node["tuned"], where + ".tuned", "a file name under the results root");
    }
  }
  if (node["figures"]) c.figures = TextList(ctx, node["figures"], where + ".figures");
  if (node["max_figures"]) {
    const double v = Number(ctx, node["max_figures"], where + ".max_figures", "in [0, 100]");
    if (!(v >= 0 && v <= 100 && v == std::floor(v))) {
      ctx.Fail(node["max_figures"], where + ".max_figures", "an integer in [0, 100]");
    }
    c.max_figures = static_cast<int>(v);
  }
  if (node["include"]) {
    c.include = TextList(ctx, node["include"], where + ".include");
    for (const std::string& f : c.include) {
      if (f.empty() || f.find("..") != std::string::npos || f.front() == '/') {
        ctx.Fail(node["include"], where + ".include", "file names under the results root");
      }
    }
  }
  if (node["regime"]) c.regime = ParseRegime(ctx, node["regime"], where + ".regime");
  ParseFloorKeys(ctx, node, where, c);
  for (const char* key : {"tolerance", "horizon"}) {
    if (!node[key]) continue;
    if (c.kind != ClaimKind::kOde) ctx.Fail(node[key], where + "." + key, "only with kind ode");
    const bool tolerance = std::string(key) == "tolerance";
    const std::string allowed = tolerance ? "in (0, 10]" : "a finite number >= 0";
    const double v = Number(ctx, node[key], where + "." + key, allowed);
    if (tolerance ? !(v > 0.0 && v <= 10.0) : !(v >= 0.0 && std::isfinite(v))) {
      ctx.Fail(node[key], where + "." + key, allowed);
    }
    (tolerance ? c.tolerance : c.horizon) = v;
  }
  if (node["hitting"]) {
    if (c.kind != ClaimKind::kHittingTime) {
      ctx.Fail(node["hitting"], where + ".hitting", "only with kind hitting_time");
    }
    const YAML::Node h = node["hitting"];
    const std::string at = where + ".hitting";
    CheckKeys(ctx, h, at, {"max_eps_ratio", "min_points", "min_span"});
    if (h["max_eps_ratio"]) {
      c.hitting.max_eps_ratio = Number(ctx, h["max_eps_ratio"], at + ".max_eps_ratio", "in (0, 1]");
      if (!(c.hitting.max_eps_ratio > 0.0 && c.hitting.max_eps_ratio <= 1.0)) {
        ctx.Fail(h["max_eps_ratio"], at + ".max_eps_ratio", "in (0, 1]");
      }
    }
    if (h["min_points"]) {
      const double v = Number(ctx, h["min_points"], at + ".min_points", "an integer >= 2");
      if (!(v >= 2 && v <= 1e6 && v == std::floor(v))) {
        ctx.Fail(h["min_points"], at + ".min_points", "an integer >= 2");
      }
      c.hitting.min_points = static_cast<int>(v);
    }
    if (h["min_span"]) {
      c.hitting.min_span = Number(ctx, h["min_span"], at + ".min_span", ">= 1");
      if (!(c.hitting.min_span >= 1.0 && std::isfinite(c.hitting.min_span))) {
        ctx.Fail(h["min_span"], at + ".min_span", ">= 1");
      }
    }
  }
  const YAML::Node rows = node["rows"];
  if (!rows.IsSequence() || rows.size() == 0) ctx.Fail(rows, where + ".rows", "a non-empty list");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    c.rows.push_back(ParseRow(ctx, rows[i], where + ".rows[" + std::to_string(i) + "]", c.kind));
  }
  return c;
}

}  // namespace

ClaimsFile ParseClaimsFile(const std::string& text, const std::string& path) {
  const Ctx ctx{path};
  const YAML::Node root = yaml::Parse(text, path);
  if (!root.IsMap()) throw InputError("a claims file must be a YAML map", {path});
  CheckKeys(ctx, root, "", {"title", "confidence", "bootstrap", "bootstrap_seed", "claims"});
  ClaimsFile f;
  f.path = path;
  if (root["title"]) f.title = Text(ctx, root["title"], "title");
  if (root["confidence"]) {
    f.confidence = Number(ctx, root["confidence"], "confidence", "in (0.5, 1)");
    if (!(f.confidence > 0.5 && f.confidence < 1.0)) {
      ctx.Fail(root["confidence"], "confidence", "in (0.5, 1)");
    }
  }
  if (root["bootstrap"]) {
    const double b = Number(ctx, root["bootstrap"], "bootstrap", "an integer in [100, 1000000]");
    if (!(b >= 100 && b <= 1e6 && b == std::floor(b))) {
      ctx.Fail(root["bootstrap"], "bootstrap", "an integer in [100, 1000000]");
    }
    f.bootstrap = static_cast<int>(b);
  }
  if (root["bootstrap_seed"]) {
    const double s = Number(ctx, root["bootstrap_seed"], "bootstrap_seed", "an integer >= 0");
    if (!(s >= 0 && s < 9e15 && s == std::floor(s))) {
      ctx.Fail(root["bootstrap_seed"], "bootstrap_seed", "an integer >= 0");
    }
    f.bootstrap_seed = static_cast<std::uint64_t>(s);
  }
  const YAML::Node claims = root["claims"];
  if (!claims || !claims.IsSequence() || claims.size() == 0) {
    ctx.Fail(claims ? claims : root, "claims", "a non-empty list");
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const std::string where = "claims[" + std::to_string(i) + "]";
    f.claims.push_back(ParseClaim(ctx, claims[i], where));
    if (!ids.insert(f.claims.back().id).second) {
      ctx.Fail(claims[i]["id"], where + ".id", "unique among the claims");
    }
  }
  return f;
}

ClaimsFile ReadClaimsFile(const std::string& path) {
  return ParseClaimsFile(ReadFileText(path, "claims file"), path);
}

}  // namespace clipsim::claims
