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

TEST(YamlInput, NumbersAsYamlWritesThem) {
  double v = 0.0;
  ASSERT_TRUE(ParseNumber("1.5", v));
  EXPECT_EQ(v, 1.5);
  ASSERT_TRUE(ParseNumber("+2e-3", v));
  EXPECT_EQ(v, 2e-3);
  ASSERT_TRUE(ParseNumber(".inf", v));
  EXPECT_TRUE(std::isinf(v) && v > 0);
  ASSERT_TRUE(ParseNumber("-Infinity", v));
  EXPECT_TRUE(std::isinf(v) && v < 0);
  for (const char* bad : {"nan", ".nan", "0x1p3", " 1", "1 ", "1.5abc", "", "++1", "1,5"}) {
    EXPECT_FALSE(ParseNumber(bad, v)) << bad;
  }
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
