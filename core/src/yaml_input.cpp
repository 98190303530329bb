#include "clipsim/core/yaml_input.hpp"

#include <yaml-cpp/eventhandler.h>

#include <cmath>
#include <map>
#include <sstream>
#include <vector>

#include "clipsim/core/number_parse.hpp"

namespace clipsim::yaml {

InputLocation Where(const std::string& file, const YAML::Node& node) {
  if (!node.IsDefined()) return {file, 0, 0};
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

namespace {

// Walks the first document's parse events (aliases are events, not copies: a document of nested
// aliases costs its length, not its expansion) and refuses the second occurrence of a key in one
// map. Keys that are maps, lists or aliases are left to KeyText, which refuses them where read.
class DuplicateKeyCheck : public YAML::EventHandler {
 public:
  explicit DuplicateKeyCheck(const std::string& file) : file_(file) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { NodeDone(); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { NodeDone(); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string& value) override {
    if (!stack_.empty() && stack_.back().is_map && stack_.back().expect_key) {
      const auto [it, fresh] = stack_.back().keys.emplace(value, mark.line + 1);
      if (!fresh) {
        throw InputError(
            value, "",
            "a key is given once per map; this one is also at line " + std::to_string(it->second),
            {file_, mark.line + 1, mark.column + 1});
      }
    }
    NodeDone();
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    stack_.push_back({false, true, {}});
  }
  void OnSequenceEnd() override { EndContainer(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    stack_.push_back({true, true, {}});
  }
  void OnMapEnd() override { EndContainer(); }

 private:
  struct Frame {
    bool is_map;
    bool expect_key;                  // in a map: the next node is a key, not a value
    std::map<std::string, int> keys;  // key text -> its 1-based line
  };

  void NodeDone() {
    if (!stack_.empty() && stack_.back().is_map)
      stack_.back().expect_key = !stack_.back().expect_key;
  }
  void EndContainer() {
    if (!stack_.empty()) stack_.pop_back();
    NodeDone();
  }

  const std::string& file_;
  std::vector<Frame> stack_;
};

InputError SyntaxError(const YAML::Exception& e, const std::string& file) {
  return InputError("YAML syntax error: " + e.msg, {file, e.mark.is_null() ? 0 : e.mark.line + 1,
                                                    e.mark.is_null() ? 0 : e.mark.column + 1});
}

}  // namespace

YAML::Node Parse(const std::string& text, const std::string& file) {
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DuplicateKeyCheck check(file);
    parser.HandleNextDocument(check);
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw SyntaxError(e, file);
  }
}

std::string KeyText(const YAML::Node& key, const std::string& file) {
  if (!key.IsScalar()) {
    throw InputError("key", "(a " + std::string(key.IsMap() ? "map" : "list") + ")",
                     "a key must be plain text", Where(file, key));
  }
  return key.Scalar();
}

double ReadNumber(const YAML::Node& node, const std::string& key, const std::string& allowed,
                  const std::string& file) {
  double v = 0.0;
  if (!node.IsScalar() || !ParseDouble(node.Scalar(), v, NumberSyntax::kExtended)) {
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
  if (!ParseInt64(s, v)) {
    double d = 0.0;
    if (!ParseDouble(s, d, NumberSyntax::kFinite) || !(std::abs(d) < 9e18) || d != std::floor(d)) {
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
