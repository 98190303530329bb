// The YAML rules shared by run configs, sweep files and claims files (core/yaml_input.hpp):
// numbers as YAML writes them and nothing else, integers with their range in the message, and
// every refusal located in its file.
#include "clipsim/core/yaml_input.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace clipsim::yaml {
namespace {

TEST(YamlInput, NumbersFollowTheOneSyntaxWithInfinityAllowed) {
  const YAML::Node doc =
      Parse("a: 1.5\nb: +2e-3\nc: .inf\nd: -Infinity\ne: .nan\nf: 0x1p3\n", "n.yaml");
  EXPECT_EQ(ReadNumber(doc["a"], "a", "> 0", "n.yaml"), 1.5);
  EXPECT_EQ(ReadNumber(doc["b"], "b", "> 0", "n.yaml"), 2e-3);
  EXPECT_TRUE(std::isinf(ReadNumber(doc["c"], "c", "> 0", "n.yaml")));
  EXPECT_LT(ReadNumber(doc["d"], "d", "> 0", "n.yaml"), 0.0);
  EXPECT_THROW(ReadNumber(doc["e"], "e", "> 0", "n.yaml"), InputError);
  EXPECT_THROW(ReadNumber(doc["f"], "f", "> 0", "n.yaml"), InputError);
}

// yaml-cpp keeps both pairs of a repeated key and answers lookups with the first: a sweep file
// that sets `seeds` twice would silently run the first value. Refused, naming both lines, at any
// depth and in flow style; the same key in two different maps is fine.
TEST(YamlInput, ARepeatedKeyIsRefusedNamingBothLines) {
  try {
    Parse("seeds: 10\nbudgets: [100]\nseeds: 20\n", "r.yaml");
    FAIL() << "repeated key accepted";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("r.yaml:3:1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("line 1"), std::string::npos) << msg;
    EXPECT_EQ(e.key(), "seeds");
  }
  EXPECT_THROW(Parse("noise:\n  spec: a\n  dim: 2\n  spec: b\n", "r.yaml"), InputError);
  EXPECT_THROW(Parse("grid: [{eta0: 1, eta0: 2}]\n", "r.yaml"), InputError);
  const YAML::Node ok =
      Parse("a: {x: 1}\nb: {x: 2}\nc: [{x: 1}, {x: 2}]\nd: &k {x: 3}\ne: *k\n", "r.yaml");
  EXPECT_EQ(ok["b"]["x"].as<int>(), 2);
  EXPECT_EQ(ok["e"]["x"].as<int>(), 3);
}

TEST(YamlInput, IntegersInRangeWithExponentFormAccepted) {
  const YAML::Node doc = Parse("a: 1e6\nb: 1.5\nc: 12\nd: [1]\n", "f.yaml");
  EXPECT_EQ(ReadInt(doc["a"], "a", 0, 10'000'000, "f.yaml"), 1'000'000);
  EXPECT_THROW(ReadInt(doc["b"], "b", 0, 10, "f.yaml"), InputError);
  EXPECT_THROW(ReadInt(doc["d"], "d", 0, 10, "f.yaml"), InputError);
  try {
    ReadInt(doc["c"], "c", 0, 10, "f.yaml");
    FAIL() << "12 accepted in [0, 10]";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("f.yaml:3:4"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[0, 10]"), std::string::npos) << msg;
    EXPECT_EQ(e.key(), "c");
  }
}

TEST(YamlInput, BooleansAndSyntaxErrorsAreLocated) {
  const YAML::Node doc = Parse("x: yes\ny: maybe\n", "g.yaml");
  EXPECT_TRUE(ReadBool(doc["x"], "x", "g.yaml"));
  try {
    ReadBool(doc["y"], "y", "g.yaml");
    FAIL() << "maybe accepted as a boolean";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("g.yaml:2:4"), std::string::npos) << e.what();
  }
  try {
    Parse("a: [1, 2\nb: 3\n", "h.yaml");
    FAIL() << "unclosed list parsed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("YAML syntax error"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("h.yaml:"), std::string::npos) << e.what();
  }
  EXPECT_EQ(Where("h.yaml", YAML::Node()).line, 0);
}

// Found by fuzz/claims_file_fuzz.cpp: a key that is a map or a list (here through a tag glued to
// a flow map's key) reached yaml-cpp's as<std::string>(), whose exception ended the program.
TEST(YamlInput, KeysThatAreNotTextAreRefusedWhereTheyAre) {
  const YAML::Node doc = Parse("ok: 1\n? [a, b]\n: 2\n", "k.yaml");
  std::vector<std::string> seen;
  try {
    for (const auto& kv : doc) seen.push_back(KeyText(kv.first, "k.yaml"));
    FAIL() << "a list key was read as text";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("k.yaml:2:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("plain text"), std::string::npos) << e.what();
  }
  EXPECT_EQ(seen, std::vector<std::string>{"ok"});
}

}  // namespace
}  // namespace clipsim::yaml
