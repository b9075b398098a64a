#include "adapters/io/replay_json.h"

#include <gtest/gtest.h>

namespace arbor {
namespace {

using nlohmann::json;

std::string ErrorOf(const char* text) {
  Result<nlohmann::ordered_json> out = Replay(json::parse(text));
  return out.ok() ? "" : out.status().message();
}

TEST(ReplayJsonTest, ErrorsNameTheEventAndField) {
  EXPECT_EQ(ErrorOf(R"({"events": [{"date": "2024-01-02", "action": "buy", "symbol": "X",
                                     "shares": 1, "price": 1},
                                    {"date": "2024-02-30", "action": "buy", "symbol": "X",
                                     "shares": 1, "price": 1}]})"),
            "events[1] (2024-02-30 buy X): date: invalid date '2024-02-30': day 30 out of range "
            "for 2024-2");
  EXPECT_NE(ErrorOf(R"({"events": [{"date": "2024-01-02", "action": "purchase"}]})")
                .find("events[0] (2024-01-02 purchase): action: unknown action 'purchase'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"events": [{"date": "2024-01-02", "action": "buy", "symbol": "X",
                                     "price": 1}]})")
                .find("shares: missing"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"events": [{"date": "2024-01-02", "action": "buy", "symbol": "X",
                                     "shares": "1.0000001", "price": 1}]})")
                .find("more than 6 decimal places"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"accounts": [{"id": "A", "type": "brokerage"}], "events": []})")
                .find("accounts[0]: type: unknown account type 'brokerage'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"events": [{"date": "2024-01-02", "account": "Z", "action": "deposit",
                                     "amount": 5}], "accounts": [{"id": "A"}]})")
                .find("unknown account 'Z'"),
            std::string::npos);
}

TEST(ReplayJsonTest, SortsByDateKeepingSameDayOrderAndReportsInputPositions) {
  Result<nlohmann::ordered_json> out = Replay(json::parse(R"({"events": [
      {"date": "2024-03-01", "action": "sell", "symbol": "X", "shares": 5, "price": 12},
      {"date": "2024-01-02", "action": "buy", "symbol": "X", "shares": 10, "price": 10},
      {"date": "2024-03-01", "action": "sell", "symbol": "X", "shares": 50, "price": 12}]})"));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("events[2] (2024-03-01 sell X)"), std::string::npos)
      << out.status().message();
}

TEST(ReplayJsonTest, AcceptsStringsRatiosAndDefaultAccount) {
  Result<nlohmann::ordered_json> out = Replay(json::parse(R"({"events": [
      {"date": "2024-01-02", "action": "buy", "symbol": "X", "shares": "10", "price": "10.25"},
      {"date": "2024-02-01", "action": "split", "symbol": "X", "ratio": "3:2"},
      {"date": "2024-03-01", "action": "sell", "symbol": "X", "shares": 15, "price": 7}]})"));
  ASSERT_TRUE(out.ok()) << out.status().message();
  const json& r = (*out)["realized"][0];
  EXPECT_EQ(r["account"], "A");
  EXPECT_DOUBLE_EQ(r["shares"].get<double>(), 15);
  EXPECT_DOUBLE_EQ(r["basis"].get<double>(), 102.5);
  EXPECT_DOUBLE_EQ(r["proceeds"].get<double>(), 105);
  EXPECT_DOUBLE_EQ((*out)["cash"]["A"].get<double>(), 2.5);
}

}  // namespace
}  // namespace arbor
