// Runs every tests/scenarios/*.json through the replay contract and compares the output field by
// field. Each scenario cites the IRS rule or example it checks (see its "rule" and "notes").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "adapters/io/replay_json.h"

namespace arbor {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(fs::path(ARBOR_SOURCE_DIR) / "tests/scenarios")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every field of `expected` must be in `actual` and equal (numbers within half a cent).
void ExpectSubset(const json& expected, const json& actual, const std::string& where) {
  if (expected.is_object()) {
    ASSERT_TRUE(actual.is_object()) << where;
    for (const auto& [key, value] : expected.items()) {
      ASSERT_TRUE(actual.contains(key)) << where << "." << key << " missing";
      ExpectSubset(value, actual[key], where + "." + key);
    }
  } else if (expected.is_array()) {
    ASSERT_TRUE(actual.is_array()) << where;
    ASSERT_EQ(expected.size(), actual.size()) << where << ": " << actual.dump(1);
    for (size_t i = 0; i < expected.size(); ++i) {
      ExpectSubset(expected[i], actual[i], where + "[" + std::to_string(i) + "]");
    }
  } else if (expected.is_number()) {
    ASSERT_TRUE(actual.is_number()) << where;
    EXPECT_NEAR(expected.get<double>(), actual.get<double>(), 0.005) << where;
  } else {
    EXPECT_EQ(expected, actual) << where;
  }
}

class ReplayScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ReplayScenarioTest, MatchesExpectedOutput) {
  std::ifstream in(GetParam());
  json scenario = json::parse(in);
  ASSERT_TRUE(scenario.contains("rule")) << "every scenario cites the rule it checks";
  Result<nlohmann::ordered_json> output = Replay(scenario["input"]);
  if (scenario.contains("expected_error")) {
    ASSERT_FALSE(output.ok()) << "expected an error";
    EXPECT_NE(output.status().message().find(scenario["expected_error"].get<std::string>()),
              std::string::npos)
        << output.status().message();
    return;
  }
  ASSERT_TRUE(output.ok()) << output.status().message();
  ExpectSubset(scenario["expected"], json::parse(output->dump()),
               fs::path(GetParam()).stem().string());
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ReplayScenarioTest, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return fs::path(info.param).stem().string();
                         });

}  // namespace
}  // namespace arbor
