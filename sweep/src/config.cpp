#include "clipsim/sweep/config.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "clipsim/core/file_text.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/core/yaml_input.hpp"
#include "clipsim/sim/run_config.hpp"

namespace clipsim::sweep {

using sim::ParseRunConfig;

using sim::CanonicalText;
using sim::RunConfig;

namespace {

using yaml::ReadBool;
using yaml::ReadInt;
using yaml::Where;

// Keys of a sweep file that are not run keys.
const std::set<std::string>& SweepOnlyKeys() {
  static const std::set<std::string> keys = {"seeds",    "budgets",     "master_seed",
                                             "zip",      "chunk_seeds", "save_noise_norms",
                                             "compress", "name",        "description"};
  return keys;
}

SeedRange ReadSeeds(const YAML::Node& node, const std::string& file) {
  constexpr std::int64_t kMaxSeeds = 1'000'000'000;
  if (node.IsScalar()) {
    const std::int64_t n = ReadInt(node, "seeds", 1, kMaxSeeds, file);
    return {0, static_cast<std::uint64_t>(n - 1)};
  }
  const std::string allowed = "must be a count >= 1 or a range {first: F, last: L} with F <= L";
  if (!node.IsMap() || !node["first"] || !node["last"] || node.size() != 2) {
    throw InputError("seeds", "", allowed, Where(file, node));
  }
  const std::int64_t first = ReadInt(node["first"], "seeds.first", 0, INT64_MAX / 2, file);
  const std::int64_t last = ReadInt(node["last"], "seeds.last", 0, INT64_MAX / 2, file);
  if (last < first || last - first >= kMaxSeeds) {
    throw InputError("seeds", std::to_string(first) + ".." + std::to_string(last), allowed,
                     Where(file, node));
  }
  return {static_cast<std::uint64_t>(first), static_cast<std::uint64_t>(last)};
}

std::vector<std::int64_t> ReadBudgets(const YAML::Node& node, const std::string& file) {
  const std::string allowed = "must be a list of distinct sample budgets N >= 1";
  std::vector<std::int64_t> budgets;
  if (node.IsScalar()) {
    budgets.push_back(ReadInt(node, "budgets", 1, INT64_MAX / 4, file));
  } else if (node.IsSequence() && node.size() > 0) {
    for (const YAML::Node& b : node)
      budgets.push_back(ReadInt(b, "budgets", 1, INT64_MAX / 4, file));
  } else {
    throw InputError("budgets", "", allowed, Where(file, node));
  }
  std::set<std::int64_t> distinct(budgets.begin(), budgets.end());
  if (distinct.size() != budgets.size()) {
    throw InputError("budgets", "", allowed + " (a budget is repeated)", Where(file, node));
  }
  return budgets;
}

// One axis of the grid: the dotted path of a list in the run part and its values. A zip group
// is one axis made of several paths whose lists have equal length.
struct Axis {
  std::vector<std::string> paths;
  std::vector<std::vector<YAML::Node>> values;  // values[i][j]: path i, position j
  std::size_t size() const { return values.front().size(); }
};

void FindLists(const YAML::Node& node, const std::string& path, const std::string& file,
               std::vector<std::string>& paths, std::map<std::string, YAML::Node>& lists) {
  if (node.IsSequence()) {
    paths.push_back(path);
    lists[path] = node;
    return;
  }
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    const std::string key = yaml::KeyText(kv.first, file);
    if (path.empty() && SweepOnlyKeys().count(key)) continue;
    FindLists(kv.second, path.empty() ? key : path + "." + key, file, paths, lists);
  }
}

// Copies `node`, replacing the lists at the chosen paths by the chosen values. Scalars are shared,
// not copied, so their marks keep pointing into the sweep file.
YAML::Node Resolve(const YAML::Node& node, const std::string& path,
                   const std::map<std::string, YAML::Node>& chosen) {
  if (auto it = chosen.find(path); it != chosen.end()) return it->second;
  if (!node.IsMap()) return node;
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (path.empty() && SweepOnlyKeys().count(key)) continue;
    out.force_insert(kv.first, Resolve(kv.second, path.empty() ? key : path + "." + key, chosen));
  }
  return out;
}

// "path=value" leaves of a (possibly map-valued) axis value, for result columns.
void Flatten(const YAML::Node& node, const std::string& path,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (node.IsMap()) {
    for (const auto& kv : node) Flatten(kv.second, path + "." + kv.first.Scalar(), out);
  } else if (node.IsScalar()) {
    out.emplace_back(path, node.Scalar());
  } else {
    YAML::Emitter e;
    e << YAML::Flow << node;
    out.emplace_back(path, e.c_str());
  }
}

std::vector<Axis> BuildAxes(const YAML::Node& root, const std::string& file,
                            std::vector<std::string>& axis_paths) {
  std::map<std::string, YAML::Node> lists;
  FindLists(root, "", file, axis_paths, lists);
  for (const std::string& p : axis_paths) {
    if (lists[p].size() == 0) {
      throw InputError(p, "[]", "a grid axis must list at least one value", Where(file, lists[p]));
    }
  }
  std::set<std::string> zipped;
  std::vector<Axis> axes;
  std::map<std::string, std::size_t> zip_axis_of;  // first path of a group -> axis index
  if (const YAML::Node zip = root["zip"]) {
    const std::string allowed = "must be a list of groups, each a list of >= 2 axis paths";
    if (!zip.IsSequence()) throw InputError("zip", "", allowed, Where(file, zip));
    for (const YAML::Node& group : zip) {
      if (!group.IsSequence() || group.size() < 2) {
        throw InputError("zip", "", allowed, Where(file, group));
      }
      Axis axis;
      for (const YAML::Node& p : group) {
        const std::string path = p.IsScalar() ? p.Scalar() : "";
        if (!lists.count(path)) {
          std::string known;
          for (const auto& q : axis_paths) known += (known.empty() ? "" : ", ") + q;
          throw InputError("zip", path,
                           "names no list in this file (lists: " +
                               (known.empty() ? std::string("none") : known) + ")",
                           Where(file, p));
        }
        if (!zipped.insert(path).second) {
          throw InputError("zip", path, "an axis may be in one zip group only", Where(file, p));
        }
        axis.paths.push_back(path);
        axis.values.emplace_back(lists[path].begin(), lists[path].end());
        if (axis.values.back().size() != axis.values.front().size()) {
          throw InputError("zip", path,
                           "lists zipped together must have the same length (" +
                               std::to_string(axis.values.front().size()) + " vs " +
                               std::to_string(axis.values.back().size()) + ")",
                           Where(file, lists[path]));
        }
      }
      zip_axis_of[axis.paths.front()] = axes.size();
      axes.push_back(std::move(axis));
    }
  }
  // Document order: a zip group sits where its first list appears.
  std::vector<Axis> ordered;
  std::set<std::size_t> placed;
  for (const std::string& p : axis_paths) {
    if (!zipped.count(p)) {
      Axis axis;
      axis.paths = {p};
      axis.values.emplace_back(lists[p].begin(), lists[p].end());
      ordered.push_back(std::move(axis));
      continue;
    }
    for (const auto& [first, index] : zip_axis_of) {
      const auto& paths = axes[index].paths;
      if (std::find(paths.begin(), paths.end(), p) != paths.end() && !placed.count(index)) {
        placed.insert(index);
        ordered.push_back(axes[index]);
      }
    }
  }
  return ordered;
}

}  // namespace

YAML::Node CellRunNode(const Cell& cell, std::int64_t budget) {
  YAML::Node node(YAML::NodeType::Map);
  for (const auto& kv : cell.node) node.force_insert(kv.first, kv.second);
  node.force_insert(std::string("budget"), budget);
  return node;
}

SweepConfig ParseSweepConfig(const std::string& text, const std::string& file) {
  SweepConfig config;
  config.file = file;
  config.text = text;
  config.root = yaml::Parse(text, file);
  const YAML::Node& root = config.root;
  if (!root.IsMap()) throw InputError("a sweep file must be a YAML map of keys", {file, 1, 1});
  if (root["budget"]) {
    throw InputError("budget", "", "a sweep takes 'budgets' (a list of N), not 'budget'",
                     Where(file, root["budget"]));
  }
  if (!root["seeds"])
    throw InputError("seeds", "", "is required (a count or {first, last})", {file});
  if (!root["budgets"]) throw InputError("budgets", "", "is required (a list of N)", {file});
  config.seeds = ReadSeeds(root["seeds"], file);
  config.budgets = ReadBudgets(root["budgets"], file);
  if (root["master_seed"]) {
    config.master_seed =
        static_cast<std::uint64_t>(ReadInt(root["master_seed"], "master_seed", 0, INT64_MAX, file));
  }
  if (root["chunk_seeds"]) {
    config.chunk_seeds = ReadInt(root["chunk_seeds"], "chunk_seeds", 1, 1'000'000, file);
  }
  if (root["save_noise_norms"]) {
    config.save_noise_norms =
        ReadInt(root["save_noise_norms"], "save_noise_norms", 0, 100'000'000, file);
  }
  if (root["compress"]) config.compress = ReadBool(root["compress"], "compress", file);

  std::vector<Axis> axes = BuildAxes(root, file, config.axis_paths);

  // Cartesian product over axes, last axis fastest.
  std::size_t total = 1;
  for (const Axis& a : axes) total *= a.size();
  constexpr std::size_t kMaxCells = 1'000'000;
  if (total > kMaxCells) {
    throw InputError("grid", std::to_string(total), "at most 1000000 cells", {file});
  }
  std::set<std::uint64_t> seen;
  std::vector<std::size_t> index(axes.size(), 0);
  for (std::size_t c = 0; c < total; ++c) {
    std::size_t rest = c;
    for (std::size_t a = axes.size(); a-- > 0;) {
      index[a] = rest % axes[a].size();
      rest /= axes[a].size();
    }
    std::map<std::string, YAML::Node> chosen;
    Cell cell;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      for (std::size_t i = 0; i < axes[a].paths.size(); ++i) {
        const YAML::Node& v = axes[a].values[i][index[a]];
        chosen[axes[a].paths[i]] = v;
        Flatten(v, axes[a].paths[i], cell.axis_values);
      }
    }
    cell.node = Resolve(root, "", chosen);
    // Validate at every budget (the theory schedule resolves differently per N), and take the
    // cell's identity from the resolved parameters, budget excluded.
    for (std::int64_t budget : config.budgets) {
      RunConfig run = ParseRunConfig(CellRunNode(cell, budget), file);
      if (cell.text.empty()) {
        run.budget = 0;
        cell.text = CanonicalText(run);
        cell.run = run;
      }
    }
    cell.hash = StableHash(cell.text);
    cell.id = Hex16(cell.hash);
    if (!seen.insert(cell.hash).second) {
      throw InputError("grid", cell.id,
                       "two cells of the grid resolve to the same run (a list repeats a value, "
                       "or a value equals the default of another)",
                       {file});
    }
    config.cells.push_back(std::move(cell));
  }

  // Result columns: every axis leaf, in first-seen order.
  std::set<std::string> have;
  for (const Cell& cell : config.cells) {
    for (const auto& [path, value] : cell.axis_values) {
      if (have.insert(path).second) config.param_columns.push_back(path);
    }
  }

  // Fingerprint: the run part of the file as parsed (sweep-only keys that may change are left
  // out), plus the chunk size, which fixes the chunk boundaries on disk.
  YAML::Node fixed = Resolve(root, "", {});
  if (root["zip"]) fixed.force_insert(std::string("zip"), root["zip"]);
  fixed.force_insert(std::string("master_seed"), config.master_seed);
  fixed.force_insert(std::string("chunk_seeds"), config.chunk_seeds);
  fixed.force_insert(std::string("save_noise_norms"), config.save_noise_norms);
  YAML::Emitter e;
  e << YAML::Flow << fixed;
  std::string cells;
  for (const Cell& cell : config.cells) cells += cell.id;
  config.fingerprint = Hex16(StableHash(std::string(e.c_str()) + "|" + cells));
  return config;
}

SweepConfig LoadSweepConfig(const std::string& path) {
  return ParseSweepConfig(ReadFileText(path, "sweep file"), path);
}

}  // namespace clipsim::sweep
