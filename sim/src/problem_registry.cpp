// The one place that knows every problem kind: its description, its parameters with defaults and
// ranges, its constraints on dim, and its factory. MakeProblem, ValidateProblemSpec,
// ParseProblemSpec and the config loader all go through Resolve() below.
#include "clipsim/sim/problem_registry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <system_error>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "problems/exp_type.hpp"
#include "problems/huber_ripple.hpp"
#include "problems/logistic_nonconvex.hpp"
#include "problems/lower_bound_chain.hpp"
#include "problems/nonconvex_sum.hpp"
#include "problems/quadratic.hpp"
#include "problems/quartic.hpp"
#include "problems/resolved_spec.hpp"
#include "problems/robust_regression.hpp"
#include "problems/rosenbrock.hpp"
#include "problems/smooth_rastrigin.hpp"
#include "problems/streaming_least_squares.hpp"
#include "problems/styblinski_tang.hpp"
#include "problems/two_layer_tanh.hpp"
#include "problems/wall_plateau.hpp"
#include "problems/zero_chain.hpp"

namespace clipsim::sim {
namespace {

using problems::ResolvedSpec;

// --- The table --------------------------------------------------------------------------------

struct KindEntry {
  std::string name;
  std::string description;
  std::vector<ParamInfo> params;
  int min_dim = 1;
  // Constraints that involve several values (dim and parameters); throws InputError.
  std::function<void(const ResolvedSpec&)> check;
  std::function<std::unique_ptr<Problem>(const ResolvedSpec&)> make;
  // Kinds whose instance depends on the run's budget N (MakeRunProblem); null for the others.
  std::function<std::unique_ptr<Problem>(const ResolvedSpec&, std::int64_t budget)>
      make_for_budget = nullptr;
  bool own_oracle = false;   // has_stochastic_oracle() of every problem of the kind
  bool label_noise = false;  // has_label_noise() of every problem of the kind
};

ParamInfo Samples() {
  return {"samples", 1000, 1, 1e7, "number m of synthetic data points", true};
}

ParamInfo DataTail() {
  return {"data_tail", 0, 0, 1000,
          "law of the synthetic features and noise: 0 = Gaussian, nu >= 1 = Student-t with nu "
          "degrees of freedom (heavy-tailed data)"};
}

void CheckDataTail(const ResolvedSpec& s) {
  const double nu = s.Get("data_tail");
  if (nu > 0.0 && nu < 1.0) {
    throw InputError("data_tail", ShortestText(nu), "0 (Gaussian) or a number in [1, 1000]");
  }
}

// Data sets are stored in memory: m rows of `columns` doubles.
void CheckDataSize(const ResolvedSpec& s, int columns) {
  const double cells = s.Get("samples") * columns;
  if (cells > 1e8) {
    throw InputError(
        "samples", ShortestText(s.Get("samples")),
        "samples * " + std::to_string(columns) + " (data size) must be at most 1e8 doubles");
  }
}

const std::vector<KindEntry>& Table() {
  static const std::vector<KindEntry> table = [] {
    std::vector<KindEntry> t;
    t.push_back({"nonconvex_sum",
                 "scale * sum_i x_i^2/(1 + x_i^2): globally smooth (L = 2 scale), non-convex, "
                 "bounded gradient",
                 {{"scale", 1, 1e-6, 1e6, "the factor c in c sum_i x_i^2/(1 + x_i^2)"}},
                 1,
                 nullptr,
                 problems::MakeNonconvexSum});
    t.push_back({"smooth_rastrigin",
                 "sum_i [x_i^2/(1 + x_i^2) + amplitude (1 - cos(2 pi wavenumber x_i))]: globally "
                 "smooth, many stationary points, bounded gradient",
                 {{"amplitude", 0.25, 0, 1e3, "the amplitude b of the cosine ripple"},
                  {"wavenumber", 1, 0, 1e3, "k in cos(2 pi k x_i): ripples per unit length"}},
                 1,
                 nullptr,
                 problems::MakeSmoothRastrigin});
    t.push_back({"huber_ripple",
                 "scale * sum_i [sqrt(1 + x_i^2) - 1 + amplitude (1 - cos(wavenumber x_i))]: "
                 "globally smooth (L = scale (1 + amplitude wavenumber^2)), non-convex for "
                 "amplitude > 0, bounded gradient that does not vanish far from 0",
                 {{"scale", 1, 1e-6, 1e6, "the factor c in front of the bowl and the ripple"},
                  {"amplitude", 0.1, 0, 1e3, "the amplitude b of the ripple b (1 - cos(w x_i))"},
                  {"wavenumber", 6.283185307179586, 1e-3, 1e3,
                   "the angular wavenumber w in cos(w x_i) (period 2 pi / w; default 2 pi)"}},
                 1,
                 nullptr,
                 problems::MakeHuberRipple});
    t.push_back({"robust_regression",
                 "Geman-McClure robust regression (1/m) sum_j rho(a_j^T w - y_j) on planted "
                 "synthetic data: globally smooth, non-convex, bounded gradient; data problem",
                 {Samples(),
                  {"scale", 1, 1e-6, 1e6, "c in rho(r) = r^2/(c^2 + r^2)"},
                  {"residual_scale", 0.1, 0, 1e6, "scale of the planted residuals y - a^T w*"},
                  DataTail()},
                 1,
                 [](const ResolvedSpec& s) {
                   CheckDataTail(s);
                   CheckDataSize(s, s.dim);
                 },
                 problems::MakeRobustRegression});
    t.push_back({"logistic_nonconvex",
                 "logistic regression + lambda sum_i w_i^2/(1 + w_i^2) on synthetic labelled "
                 "data: globally smooth, non-convex, bounded gradient; data problem",
                 {Samples(),
                  {"lambda", 0.1, 0, 1e6, "weight of the non-convex regularizer"},
                  {"label_flip", 0.1, 0, 0.5, "probability that a planted label is flipped"},
                  DataTail()},
                 1,
                 [](const ResolvedSpec& s) {
                   CheckDataTail(s);
                   CheckDataSize(s, s.dim);
                 },
                 problems::MakeLogisticNonconvex});
    t.push_back({"rosenbrock",
                 "extended Rosenbrock sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2: not globally "
                 "smooth; dim >= 2",
                 {},
                 2,
                 nullptr,
                 problems::MakeRosenbrock});
    t.push_back({"styblinski_tang",
                 "Styblinski-Tang (1/2) sum_i x_i^4 - 16 x_i^2 + 5 x_i: not globally smooth, "
                 "(L0, L1) = (35, 1), f_low = -39.16617 dim",
                 {},
                 1,
                 nullptr,
                 problems::MakeStyblinskiTang});
    t.push_back({"two_layer_tanh",
                 "two-layer tanh network sum_k v_k tanh(W_k a) fit by squared loss to a teacher "
                 "network's data: not globally smooth; data problem; dim = width (inputs + 1)",
                 {{"width", 2, 1, problems::kTwoLayerMaxWidth,
                   "hidden units h (student and teacher)", true},
                  Samples(),
                  {"label_noise", 0, 0, 1e6, "scale of the noise added to the teacher's labels"},
                  DataTail()},
                 2,
                 [](const ResolvedSpec& s) {
                   const int h = s.GetInt("width");
                   if (s.dim % h != 0 || s.dim / h < 2) {
                     throw InputError(
                         "dim", std::to_string(s.dim),
                         "two_layer_tanh needs dim = width * (inputs + 1) with inputs >= 1; with "
                         "width = " +
                             std::to_string(h) + ": " + std::to_string(2 * h) + ", " +
                             std::to_string(3 * h) + ", " + std::to_string(4 * h) + ", ...");
                   }
                   CheckDataTail(s);
                   CheckDataSize(s, s.dim / h - 1);
                 },
                 problems::MakeTwoLayerTanh});
    t.push_back({"quartic",
                 "scale * sum_i x_i^4: (L0, L1)-smooth with (16 scale, 1), not globally smooth",
                 {{"scale", 1, 1e-6, 1e6, "the factor a in a sum_i x_i^4"}},
                 1,
                 nullptr,
                 problems::MakeQuartic});
    t.push_back({"exp_type",
                 "sum_i cosh(rate x_i) - 1: (L0, L1)-smooth with (rate^2, rate), not globally "
                 "smooth",
                 {{"rate", 1, 1e-3, 1e3, "the rate a in cosh(a x_i)"}},
                 1,
                 nullptr,
                 problems::MakeExpType});
    t.push_back({"wall_plateau",
                 "cosh(rate x) - 1 + slope width (sqrt(1 + (y / width)^2) - 1) in dimension 2: "
                 "an exp-type wall next to a long plateau, (L0, L1) = (rate^2, rate), started "
                 "where the level set's sup ||grad f|| is level_set_gradient; the separation "
                 "instance of clipped versus fixed-step gradient descent",
                 {{"rate", 1, 1e-3, 1e3, "the rate a of the wall cosh(a x) - 1 (L1 = a)"},
                  {"slope", 0.02, 1e-9, 1e6, "s, the plateau's slope far from 0 (|p'| < s)"},
                  {"width", 1, 1e-9, 1e9,
                   "rho, the width of the plateau's bottom (curvature s / rho <= rate^2)"},
                  {"plateau_start", 10, 0, 1e9, "y0, the start's plateau coordinate"},
                  {"level_set_gradient", 1000, 1e-9, 1e12,
                   "M = sup ||grad f|| on the level set of the start, which sets the wall start"}},
                 2,
                 [](const ResolvedSpec& s) {
                   if (s.dim != 2) {
                     throw InputError("dim", std::to_string(s.dim),
                                      "wall_plateau is defined in dimension 2 (wall x, plateau y)");
                   }
                   problems::CheckWallPlateau(s);
                 },
                 problems::MakeWallPlateau});
    t.push_back({"quadratic",
                 "convex quadratic (1/2)(x - x*)^T H (x - x*) with a chosen spectrum (identity, "
                 "linear, power law), optionally rotated: L = scale",
                 {{"spectrum",
                   0,
                   0,
                   2,
                   "eigenvalues: identity (all 1), linear (evenly spaced from 1 to 1/condition), "
                   "power (i^-power)",
                   true,
                   {"identity", "linear", "power"}},
                  {"condition", 10, 1, 1e12, "condition number of the linear spectrum"},
                  {"power", 1, 0, 10, "exponent of the power-law spectrum lambda_i = i^-power"},
                  {"scale", 1, 1e-6, 1e6, "multiplies every eigenvalue (L = scale)"},
                  {"rotate",
                   0,
                   0,
                   1,
                   "rotate the eigenbasis by a Haar-random orthogonal matrix",
                   true,
                   {"false", "true"}},
                  {"shift", 0, 0, 1e6, "x* uniform in [-shift, shift]^dim (0: x* = 0)"}},
                 1,
                 [](const ResolvedSpec& s) {
                   if (s.GetInt("rotate") == 1 && s.dim > 4096) {
                     throw InputError("dim", std::to_string(s.dim),
                                      "quadratic with rotate = true needs dim <= 4096 (it stores "
                                      "a dense dim x dim rotation)");
                   }
                 },
                 problems::MakeQuadratic});
    t.push_back({"zero_chain",
                 "the zero-chain hard instance of Carmon et al. (2019): globally smooth "
                 "(L = 152), bounded gradient; not a lower-bound proof in this setting",
                 {},
                 1,
                 nullptr,
                 problems::MakeZeroChain});
    t.push_back({"lower_bound_chain",
                 "the worst-case instance of the lower bound N^(-(p-1)/(3p-2)) (Arjevani et al. "
                 "2023; Zhang et al. 2020): a zero chain scaled to the given L and Delta, with its "
                 "own probabilistic zero-respecting oracle of moment sigma at order moment_p; "
                 "T = dim links, or T(N) grown with the budget (hardness > 0)",
                 {{"L", 1, 1e-6, 1e6, "the smoothness constant L of f (grad f is L-Lipschitz)"},
                  {"delta", 1, 1e-6, 1e6, "Delta = f(0) - inf f, exactly"},
                  {"sigma", 1, 1e-6, 1e6,
                   "the oracle's noise moment: E|xi|^p0 <= sigma^p0 for every x, p0 = moment_p"},
                  {"moment_p", 2, 1, 2,
                   "p0, the moment order the oracle is calibrated at, in "
                   "(1, 2]; a run's p must not exceed it"},
                  {"hardness", 0, 0, 1e6,
                   "0: T = dim links; h >= 1: T = T(N), the smallest T with T / q(T) >= h N at the "
                   "run's budget N (dim must be >= T(N))"}},
                 1,
                 problems::CheckLowerBoundChainSpec,
                 problems::MakeLowerBoundChain,
                 problems::MakeLowerBoundChainForBudget,
                 true});
    t.push_back({"streaming_least_squares",
                 "streaming least squares (Marshall et al. 2024): a fresh data point a ~ N(0, K) "
                 "per sample, K with a power-law spectrum, label <a, x*> + eps with eps from the "
                 "run's noise law; value = excess risk; globally smooth (L = lambda_1), convex",
                 {{"power", 0.5, 0, 10,
                   "lambda_i proportional to i^-power (intrinsic dimension sum_j j^-power grows "
                   "with dim for power < 1)"},
                  {"trace", 1, 1e-6, 1e6, "Tr K: the eigenvalues sum to it exactly"},
                  {"risk0", 1, 1e-12, 1e12,
                   "R(x0) = (x0 - x*)^T K (x0 - x*) / 2 at x0 = 0, exactly (|x*_i| = "
                   "sqrt(2 risk0 / trace))"}},
                 1,
                 nullptr,
                 problems::MakeStreamingLeastSquares,
                 nullptr,
                 false,
                 true});
    return t;
  }();
  return table;
}

std::string KindNames() {
  std::string names;
  for (const KindEntry& e : Table()) names += (names.empty() ? "" : ", ") + e.name;
  return names;
}

const KindEntry& FindKind(std::string_view kind) {
  for (const KindEntry& e : Table()) {
    if (e.name == kind) return e;
  }
  throw InputError("kind", std::string(kind), "one of " + KindNames());
}

const ParamInfo* FindParam(const KindEntry& entry, std::string_view key) {
  for (const ParamInfo& p : entry.params) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

// The rule an unknown key broke, listing the keys the kind has.
std::string UnknownKeyRule(const KindEntry& entry) {
  if (entry.params.empty()) return entry.name + " has no parameters";
  std::string names;
  for (const ParamInfo& p : entry.params) names += (names.empty() ? "" : ", ") + p.key;
  return "not a parameter of " + entry.name + "; its parameters are " + names;
}

std::string RangeText(const std::string& kind, const ParamInfo& p) {
  std::string text = kind + ": ";
  if (!p.choices.empty()) {
    text += "one of ";
    for (std::size_t i = 0; i < p.choices.size(); ++i) {
      text += (i ? ", " : "") + p.choices[i] + " (" + std::to_string(i) + ")";
    }
    return text;
  }
  text += p.integer ? "an integer in [" : "a number in [";
  return text + ShortestText(p.min) + ", " + ShortestText(p.max) + "]";
}

ResolvedSpec Resolve(const ProblemSpec& spec) {
  const KindEntry& entry = FindKind(spec.kind);
  ResolvedSpec r;
  r.dim = spec.dim;
  r.instance = spec.instance;
  for (const auto& [key, value] : spec.params) {
    const ParamInfo* p = FindParam(entry, key);
    if (p == nullptr) throw InputError(key, ShortestText(value), UnknownKeyRule(entry));
    // !(in range) also refuses NaN.
    if (!(value >= p->min && value <= p->max) || (p->integer && value != std::floor(value))) {
      throw InputError(key, ShortestText(value), RangeText(entry.name, *p));
    }
  }
  for (const ParamInfo& p : entry.params) {
    const auto it = spec.params.find(p.key);
    r.values[p.key] = it == spec.params.end() ? p.default_value : it->second;
  }
  if (spec.dim < entry.min_dim) {
    throw InputError("dim", std::to_string(spec.dim),
                     entry.name + ": an integer >= " + std::to_string(entry.min_dim));
  }
  if (entry.check) entry.check(r);
  return r;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int ParseDim(std::string_view key, std::string_view text) {
  std::int64_t v = 0;
  // The range against the kind's smallest dimension is ValidateProblemSpec's check.
  if (!ParseInt64(text, v) || v < std::numeric_limits<int>::min() ||
      v > std::numeric_limits<int>::max()) {
    throw InputError(std::string(key), std::string(text), "an integer >= 1");
  }
  return static_cast<int>(v);
}

std::uint64_t ParseInstance(std::string_view key, std::string_view text) {
  std::uint64_t v = 0;
  if (!ParseUint64(text, v)) {
    throw InputError(std::string(key), std::string(text), "an integer in [0, 2^64 - 1]");
  }
  return v;
}

}  // namespace

// --- Public API ---------------------------------------------------------------------------------

std::vector<std::pair<std::string, std::string>> ProblemKinds() {
  std::vector<std::pair<std::string, std::string>> kinds;
  for (const KindEntry& e : Table()) kinds.emplace_back(e.name, e.description);
  return kinds;
}

std::vector<ParamInfo> ProblemParams(std::string_view kind) {
  return FindKind(kind).params;
}

void ValidateProblemSpec(const ProblemSpec& spec) {
  Resolve(spec);
}

std::unique_ptr<Problem> MakeProblem(const ProblemSpec& spec) {
  const ResolvedSpec resolved = Resolve(spec);
  return FindKind(spec.kind).make(resolved);
}

bool KindHasOwnOracle(std::string_view kind) {
  for (const KindEntry& e : Table()) {
    if (e.name == kind) return e.own_oracle;
  }
  return false;
}

bool KindHasLabelNoise(std::string_view kind) {
  for (const KindEntry& e : Table()) {
    if (e.name == kind) return e.label_noise;
  }
  return false;
}

std::unique_ptr<Problem> MakeRunProblem(const RunConfig& config) {
  const ResolvedSpec resolved = Resolve(config.problem);
  const KindEntry& entry = FindKind(config.problem.kind);
  if (entry.make_for_budget) return entry.make_for_budget(resolved, config.budget);
  return entry.make(resolved);
}

double ParamValueFromString(std::string_view kind, std::string_view key, std::string_view text) {
  const KindEntry& entry = FindKind(kind);
  const ParamInfo* p = FindParam(entry, key);
  text = Trim(text);
  if (p == nullptr) throw InputError(std::string(key), std::string(text), UnknownKeyRule(entry));
  for (std::size_t i = 0; i < p->choices.size(); ++i) {
    if (p->choices[i] == text) return static_cast<double>(i);
  }
  if (double v = 0.0; ParseDouble(text, v, NumberSyntax::kFinite)) return v;
  throw InputError(std::string(key), std::string(text), RangeText(entry.name, *p));
}

ProblemSpec ParseProblemSpec(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      throw InputError("problem", std::string(item), "key=value pairs separated by commas");
    }
    const std::string key(Trim(item.substr(0, eq)));
    const std::string value(Trim(item.substr(eq + 1)));
    for (const auto& [k, v] : pairs) {
      if (k == key) throw InputError(key, value, "given once (it appears twice)");
    }
    pairs.emplace_back(key, value);
  }
  ProblemSpec spec;
  bool has_kind = false;
  for (const auto& [k, v] : pairs) {
    if (k == "kind") {
      spec.kind = v;
      has_kind = true;
    }
  }
  if (!has_kind) throw InputError("kind", "", "required: one of " + KindNames());
  FindKind(spec.kind);  // an unknown kind is reported before its keys
  for (const auto& [k, v] : pairs) {
    if (k == "kind") continue;
    if (k == "dim") {
      spec.dim = ParseDim(k, v);
    } else if (k == "instance") {
      spec.instance = ParseInstance(k, v);
    } else {
      spec.params[k] = ParamValueFromString(spec.kind, k, v);
    }
  }
  ValidateProblemSpec(spec);
  return spec;
}

std::string FormatProblemSpec(const ProblemSpec& spec) {
  const ResolvedSpec r = Resolve(spec);
  std::string text = "kind=" + spec.kind + ",dim=" + std::to_string(spec.dim) +
                     ",instance=" + std::to_string(spec.instance);
  for (const ParamInfo& p : FindKind(spec.kind).params) {
    const double v = r.Get(p.key);
    text += "," + p.key + "=";
    text += p.choices.empty() ? ShortestText(v) : p.choices[static_cast<std::size_t>(v)];
  }
  return text;
}

}  // namespace clipsim::sim
