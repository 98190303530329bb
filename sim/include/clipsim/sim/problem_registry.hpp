// The problem registry: every problem kind of problem.hpp by its config name, with its parameters,
// their defaults and ranges; the spec a config writes (kind, dim, parameters, instance), its text
// form for labels and cell ids, its validation, and the factory that builds a Problem from it.
// Implemented in problem_registry.cpp, whose table is the one place a new kind is added.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clipsim/sim/problem.hpp"

namespace clipsim::sim {

// One numeric parameter of a problem kind, with its default and allowed closed range.
struct ParamInfo {
  std::string key;
  double default_value;
  double min;  // inclusive
  double max;  // inclusive
  std::string doc;
  bool integer = false;
  // A choice parameter: when non-empty, the value is the index into choices (so min = 0,
  // max = size - 1, integer) and configs write the name; see ParamValueFromString.
  std::vector<std::string> choices = {};
};

struct ProblemSpec {
  std::string kind;
  int dim = 10;
  std::map<std::string, double> params;  // kind-specific; missing keys take their defaults
  std::uint64_t instance = 0;            // seeds the instance's own randomness (data, rotations)
};

// Every problem kind with a one-line description, in a fixed order.
std::vector<std::pair<std::string, std::string>> ProblemKinds();
// The parameters a kind accepts (throws InputError for an unknown kind, listing the kinds).
std::vector<ParamInfo> ProblemParams(std::string_view kind);
// Validates (unknown kind or key, value out of range or not an integer where one is needed, a dim
// the kind cannot take: InputError naming key, value and rule) and builds. A kind whose instance
// depends on the run's budget (lower_bound_chain with hardness > 0) refuses here, naming the key:
// a run's problem is built by MakeRunProblem (run.hpp), the one function every user of a run
// config calls.
std::unique_ptr<Problem> MakeProblem(const ProblemSpec& spec);
// Whether problems of this kind answer with their own stochastic oracle (has_stochastic_oracle()),
// known without building one (false for an unknown kind).
bool KindHasOwnOracle(std::string_view kind);
// Whether problems of this kind put the run's noise into their labels (has_label_noise()), known
// without building one (false for an unknown kind).
bool KindHasLabelNoise(std::string_view kind);
// The same validation without building (for loaders that check a whole config before running).
void ValidateProblemSpec(const ProblemSpec& spec);

// The numeric value of a parameter written as text in a config: a number, or for a choice
// parameter one of its names ("power") or its index; "true"/"false" for a two-choice parameter
// whose choices are {"false", "true"}. Throws InputError (key, text, allowed) otherwise. The range
// is checked by ValidateProblemSpec.
double ParamValueFromString(std::string_view kind, std::string_view key, std::string_view text);

// Text form "kind=quadratic,dim=100,instance=3,spectrum=power,power=1": the keys kind (required),
// dim, instance and the kind's parameters. Unknown keys or bad values throw InputError. The
// result is validated.
ProblemSpec ParseProblemSpec(std::string_view text);
// Canonical text of a spec: kind, dim, instance, then every parameter of the kind in ProblemParams
// order with defaults filled in, numbers in shortest round-trip form, choices by name.
// ParseProblemSpec(FormatProblemSpec(s)) builds the same problem as s. Used for labels and hashes.
std::string FormatProblemSpec(const ProblemSpec& spec);

}  // namespace clipsim::sim
