#include "adapters/io/risk_returns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace arbor {
namespace {

const std::string kDataDir = ARBOR_SHARED_DATA_DIR;

Date D(const char* text) { return *Date::Parse(text); }

DailyBar Bar(const char* date, double close, double dividend = 0, int64_t split_numerator = 1,
             int64_t split_denominator = 1) {
  return {.date = D(date),
          .open = Price::FromDouble(close),
          .close = Price::FromDouble(close),
          .dividend_per_share = Price::FromDouble(dividend),
          .split_numerator = split_numerator,
          .split_denominator = split_denominator};
}

// The return of column `column` on `date`.
double ReturnOn(const TotalReturns& built, size_t column, const char* date) {
  const auto& dates = built.daily.dates;
  const auto it = std::find(dates.begin(), dates.end(), D(date));
  EXPECT_NE(it, dates.end()) << date;
  return built.daily.returns(it - dates.begin(), static_cast<Eigen::Index>(column));
}

TEST(BuildTotalReturnsTest, ExactSplitsAndDividendsAddNoFakeReturn) {
  const std::vector<PriceHistory> histories = {
      {"SPLIT", {Bar("2020-01-02", 100), Bar("2020-01-03", 51, 0, 2, 1), Bar("2020-01-06", 51)}},
      {"DIV", {Bar("2020-01-02", 100), Bar("2020-01-03", 99.5, 1), Bar("2020-01-06", 99.5)}},
      {"PLAIN", {Bar("2020-01-02", 10), Bar("2020-01-03", 11), Bar("2020-01-06", 9.9)}},
  };
  Result<TotalReturns> built = BuildTotalReturns(histories, D("2020-01-01"), D("2020-01-31"));
  ASSERT_TRUE(built.ok()) << built.status().message();
  ASSERT_EQ(built->daily.dates, (std::vector<Date>{D("2020-01-03"), D("2020-01-06")}));
  EXPECT_NEAR(ReturnOn(*built, 0, "2020-01-03"), 0.02, 1e-12);   // 2 x 51 / 100
  EXPECT_NEAR(ReturnOn(*built, 1, "2020-01-03"), 0.005, 1e-12);  // (99.5 + 1) / 100
  EXPECT_NEAR(ReturnOn(*built, 2, "2020-01-03"), 0.1, 1e-12);
  EXPECT_NEAR(ReturnOn(*built, 2, "2020-01-06"), -0.1, 1e-12);
  EXPECT_EQ(built->split_days, 1);
  EXPECT_EQ(built->dividend_days, 1);
  EXPECT_TRUE(built->dropped_returns.empty());
}

TEST(BuildTotalReturnsTest, SpinOffsAndReverseSplitsGetNoReturn) {
  const std::vector<PriceHistory> histories = {
      // RTX 2020-04-03 as AlphaVantage has it: Carrier and Otis spun off.
      {"RTX",
       {Bar("2020-04-02", 86.01), Bar("2020-04-03", 49.93, 13.28, 1589, 1000),
        Bar("2020-04-06", 57.56)}},
      // FMC 2019-02-22: Livent recorded as a cash dividend.
      {"FMC", {Bar("2020-04-02", 88.2), Bar("2020-04-03", 88.51, 12.4589), Bar("2020-04-06", 90)}},
      // MSI 2011-01-04: a 1-for-7 reverse split with the Motorola Mobility spin-off.
      {"MSI", {Bar("2020-04-02", 9.11), Bar("2020-04-03", 39.77, 0, 1, 7), Bar("2020-04-06", 40)}},
  };
  Result<TotalReturns> built = BuildTotalReturns(histories, D("2020-04-01"), D("2020-04-30"));
  ASSERT_TRUE(built.ok()) << built.status().message();
  for (size_t column = 0; column < 3; ++column) {
    EXPECT_TRUE(std::isnan(ReturnOn(*built, column, "2020-04-03"))) << column;
    EXPECT_FALSE(std::isnan(ReturnOn(*built, column, "2020-04-06"))) << column;
  }
  EXPECT_NEAR(ReturnOn(*built, 0, "2020-04-06"), 57.56 / 49.93 - 1, 1e-12);
  ASSERT_EQ(built->dropped_returns.size(), 3u);
  EXPECT_EQ(built->dropped_returns[0].symbol, "RTX");
  EXPECT_EQ(built->dropped_returns[0].date, D("2020-04-03"));
  EXPECT_NE(built->dropped_returns[0].reason.find("1589/1000 is no simple ratio"),
            std::string::npos);
  EXPECT_NE(built->dropped_returns[1].reason.find("14.1% of the previous close"), std::string::npos)
      << built->dropped_returns[1].reason;
  EXPECT_NE(built->dropped_returns[2].reason.find("reverse split 1/7"), std::string::npos);
}

TEST(BuildTotalReturnsTest, CalendarIgnoresAStrayDateAndGapsGiveNoReturn) {
  const std::vector<PriceHistory> histories = {
      {"A",
       {Bar("2020-01-02", 10), Bar("2020-01-03", 10), Bar("2020-01-04", 10.5),
        Bar("2020-01-06", 11)}},  // 01-04 is a Saturday only A has
      {"B", {Bar("2020-01-02", 20), Bar("2020-01-03", 21), Bar("2020-01-07", 22)}},
      {"C",
       {Bar("2020-01-02", 30), Bar("2020-01-03", 30), Bar("2020-01-06", 33),
        Bar("2020-01-07", 33)}},
  };
  Result<TotalReturns> built = BuildTotalReturns(histories, D("2020-01-01"), D("2020-01-31"));
  ASSERT_TRUE(built.ok()) << built.status().message();
  EXPECT_EQ(built->daily.dates,
            (std::vector<Date>{D("2020-01-03"), D("2020-01-06"), D("2020-01-07")}));
  EXPECT_NEAR(ReturnOn(*built, 0, "2020-01-06"), 0.1, 1e-12);  // across the stray Saturday
  EXPECT_TRUE(std::isnan(ReturnOn(*built, 0, "2020-01-07")));  // A has no close
  EXPECT_TRUE(std::isnan(ReturnOn(*built, 1, "2020-01-07")));  // B had none the day before
  EXPECT_NEAR(ReturnOn(*built, 2, "2020-01-06"), 0.1, 1e-12);
}

TEST(BuildTotalReturnsTest, ErrorsNameTheSymbolAndDate) {
  std::vector<PriceHistory> histories = {{"BAD", {Bar("2020-01-02", 10), Bar("2020-01-03", 0)}}};
  Result<TotalReturns> built = BuildTotalReturns(histories, D("2020-01-01"), D("2020-01-31"));
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.status().message().find("BAD 2020-01-03: close must be positive"),
            std::string::npos)
      << built.status().message();
  Result<TotalReturns> empty = BuildTotalReturns(histories, D("2021-01-01"), D("2021-01-31"));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("between 2021-01-01 and 2021-01-31"), std::string::npos);
}

// The real files: AAPL's 4:1 and TSLA's 5:1 splits of 2020-08-31 give the day's true moves
// (+3.4% and +12.6%), and the RTX spin-off day has no return while the days around it do.
TEST(BuildTotalReturnsTest, RealSplitAndSpinOffDays) {
  std::vector<PriceHistory> histories;
  for (const char* symbol : {"AAPL", "TSLA", "RTX"}) {
    Result<PriceHistory> history =
        LoadAlphaVantageDaily(AlphaVantageDailyPath(kDataDir, symbol), symbol);
    ASSERT_TRUE(history.ok()) << history.status().message();
    histories.push_back(*std::move(history));
  }
  Result<TotalReturns> built = BuildTotalReturns(histories, D("2020-03-01"), D("2020-09-30"));
  ASSERT_TRUE(built.ok()) << built.status().message();
  EXPECT_NEAR(ReturnOn(*built, 0, "2020-08-31"), 0.0339, 0.002);
  EXPECT_NEAR(ReturnOn(*built, 1, "2020-08-31"), 0.1257, 0.002);
  EXPECT_TRUE(std::isnan(ReturnOn(*built, 2, "2020-04-03")));
  ASSERT_EQ(built->dropped_returns.size(), 1u);
  EXPECT_EQ(built->dropped_returns[0].symbol, "RTX");
  EXPECT_EQ(built->split_days, 2);
  for (Eigen::Index t = 0; t < built->daily.returns.rows(); ++t) {
    const double r = built->daily.returns(t, 2);
    if (!std::isnan(r)) {
      EXPECT_LT(std::abs(r), 0.25) << built->daily.dates[t].ToString();
    }
  }
}

}  // namespace
}  // namespace arbor
