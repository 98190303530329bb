// A validated problem spec with every parameter of its kind filled in, handed by the registry to
// the factory of one kind. Factories may assume every value is in range.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "clipsim/core/rng.hpp"

namespace clipsim::sim::problems {

struct ResolvedSpec {
  int dim = 1;
  std::uint64_t instance = 0;
  std::map<std::string, double> values;  // every key of the kind, defaults filled in

  double Get(const std::string& key) const { return values.at(key); }
  int GetInt(const std::string& key) const { return static_cast<int>(values.at(key)); }
  // The instance's only source of randomness (COCO: the same spec gives the same problem).
  Rng InstanceRng() const {
    return MakeRng({instance, static_cast<std::uint64_t>(Stream::kProblem)});
  }
};

}  // namespace clipsim::sim::problems
