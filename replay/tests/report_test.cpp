// run.json and the CSV header line: the record's JSON (nlohmann-json), its numbers and its keys.
#include "clipsim/replay/report.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace clipsim::replay {
namespace {

TEST(RunRecord, OneLineOfJsonInTheOrderOfAdding) {
  RunRecord r;
  r.Add("program", "clipsim-replay");
  r.Add("epochs", 164);
  r.Add("batch", int64_t{128});
  r.Add("lr", 0.1);
  r.Add("weight_decay", 5e-4);
  r.Add("clip_power", 2.0);
  r.Add("tiny", 1e-5);
  r.Add("seconds", 12.3456789012345);
  r.Add("nan", std::numeric_limits<double>::quiet_NaN());
  r.Add("inf", std::numeric_limits<double>::infinity());
  r.Add("flag", true);
  r.Add("text", "a \"quoted\" path\\with\ttab");
  EXPECT_EQ(r.Json(),
            "{\"program\":\"clipsim-replay\",\"epochs\":164,\"batch\":128,\"lr\":0.1,"
            "\"weight_decay\":0.0005,\"clip_power\":2,\"tiny\":1e-05,\"seconds\":12.3456789,"
            "\"nan\":null,\"inf\":null,\"flag\":true,"
            "\"text\":\"a \\\"quoted\\\" path\\\\with\\ttab\"}");
  EXPECT_EQ(nlohmann::json::parse(r.Json())["text"], "a \"quoted\" path\\with\ttab");
}

TEST(RunRecord, NumbersAsTheCsvWritesThem) {
  for (double v : {0.194606479123, 4.860768235, 1234.5, -0.25, 3e-7}) {
    RunRecord r;
    r.Add("v", v);
    EXPECT_EQ(r.Json(), "{\"v\":" + FormatNumber(v) + "}") << v;
  }
}

TEST(RunRecord, BytesThatAreNotUtf8AreReplacedNotFatal) {
  RunRecord r;
  r.Add("data", std::string("cifar100:/data/\xff\xfe"));
  const nlohmann::json j = nlohmann::json::parse(r.Json());
  EXPECT_EQ(j["data"], "cifar100:/data/\xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace
}  // namespace clipsim::replay
