#include "core/review/data_checks.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace arbor::review {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// A clean account: two priced names, reconciled with the custodian on the review date.
AccountData Clean() {
  AccountData data;
  data.as_of = D("2021-04-21");
  data.cash = Money::Units(1000);
  data.held = {{.symbol = "AAPL", .shares = Shares::Units(10), .last_close = D("2021-04-21")},
               {.symbol = "MSFT", .shares = Shares::Units(5), .last_close = D("2021-04-20")}};
  data.custodian_as_of = D("2021-04-21");
  data.custodian = {{.symbol = "AAPL", .shares = Shares::Units(10)},
                    {.symbol = "MSFT", .shares = Shares::Units(5)}};
  return data;
}

std::vector<DataProblemKind> Kinds(const std::vector<DataProblem>& problems) {
  std::vector<DataProblemKind> kinds;
  for (const DataProblem& p : problems) kinds.push_back(p.kind);
  return kinds;
}

TEST(DataChecksTest, CleanAccountHasNoProblems) {
  EXPECT_TRUE(CheckAccountData(Clean()).empty());
}

TEST(DataChecksTest, UnknownMissingAndStalePricesSuspend) {
  AccountData data = Clean();
  data.held[0].last_close = D("2021-04-13");  // 8 days: stale
  data.held[1].last_close.reset();
  data.held.push_back({.symbol = "ZZZZ", .shares = Shares::Units(1), .known = false});
  data.custodian.push_back({.symbol = "ZZZZ", .shares = Shares::Units(1)});
  const std::vector<DataProblem> problems = CheckAccountData(data);
  EXPECT_EQ(Kinds(problems),
            (std::vector<DataProblemKind>{DataProblemKind::kStalePrice,
                                          DataProblemKind::kMissingPrice,
                                          DataProblemKind::kUnknownSecurity}));
  EXPECT_TRUE(Suspends(problems));
  EXPECT_EQ(problems[0].text, "AAPL: last price 2021-04-13, 8 days before the review");
}

TEST(DataChecksTest, SevenDayOldCloseIsNotStale) {
  AccountData data = Clean();
  data.held[0].last_close = D("2021-04-14");
  EXPECT_TRUE(CheckAccountData(data).empty());
}

TEST(DataChecksTest, PendingSplitSuspends) {
  AccountData data = Clean();
  data.held[0].pending_split = D("2021-04-22");
  const std::vector<DataProblem> problems = CheckAccountData(data);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, DataProblemKind::kPendingCorporateAction);
  EXPECT_TRUE(problems[0].suspends);
}

TEST(DataChecksTest, LotsThatDisagreeWithTheCustodianSuspend) {
  AccountData data = Clean();
  data.custodian[0].shares = *Shares::Parse("9.5");
  data.custodian.push_back({.symbol = "IBM", .shares = Shares::Units(3)});
  const std::vector<DataProblem> problems = CheckAccountData(data);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].text, "AAPL: lots hold 10 shares, the custodian 9.5");
  EXPECT_EQ(problems[1].text, "IBM: lots hold 0 shares, the custodian 3");
  EXPECT_TRUE(Suspends(problems));
}

TEST(DataChecksTest, CustodianSymbolUnknownToTheMasterSuspends) {
  AccountData data = Clean();
  data.custodian.push_back({.symbol = "XYZ123", .shares = Shares::Units(7), .known = false});
  const std::vector<DataProblem> problems = CheckAccountData(data);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, DataProblemKind::kUnknownSecurity);
  EXPECT_NE(problems[0].text.find("reported by the custodian"), std::string::npos);
}

TEST(DataChecksTest, NegativeCashSuspends) {
  AccountData data = Clean();
  data.cash = Money::Units(-25);
  const std::vector<DataProblem> problems = CheckAccountData(data);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, DataProblemKind::kNegativeCash);
  EXPECT_EQ(problems[0].text, "cash is -25.00 before any trade");
}

TEST(DataChecksTest, MissingOrOldCustodianPositionsOnlyWarn) {
  AccountData none = Clean();
  none.custodian_as_of.reset();
  none.custodian.clear();
  std::vector<DataProblem> problems = CheckAccountData(none);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, DataProblemKind::kNoCustodianPositions);
  EXPECT_FALSE(Suspends(problems));

  AccountData old = Clean();
  old.custodian_as_of = D("2021-04-20");
  old.custodian[0].shares = Shares::Units(3);  // not compared: another day's holdings
  problems = CheckAccountData(old);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, DataProblemKind::kOldCustodianPositions);
  EXPECT_FALSE(Suspends(problems));
}

}  // namespace
}  // namespace arbor::review
