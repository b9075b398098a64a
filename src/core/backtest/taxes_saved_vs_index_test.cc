#include "core/backtest/taxes_saved_vs_index.h"

#include <gtest/gtest.h>

namespace arbor::backtest {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// 2020: the strategy harvests a $2,000 short-term loss while the index realizes a $10,000
// long-term gain; 2021: nothing is realized, the strategy ends holding a $5,000 long-term gain
// the index does not. Flat rates 35% / 15%.
TEST(TaxesSavedAgainstIndexTest, IsTheReportsMethodWithTheIndexAsTheShadow) {
  const std::vector<Date> days = {D("2020-12-30"), D("2020-12-31"), D("2021-12-30"), D("2021-12-31")};
  StrategyPath strategy{.values = {100, 100, 100, 105}};
  strategy.years[2020].short_term_losses = Money::Units(-2000);
  strategy.unrealized[2021] = {.short_term = 0, .long_term = 5000};
  StrategyPath index{.values = {100, 100, 100, 100}};
  index.years[2020].long_term_gains = Money::Units(10000);

  const taxsaved::TaxesSavedReport report =
      TaxesSavedAgainstIndex(days, strategy, index, {.short_term = 0.35, .long_term = 0.15}).value();
  ASSERT_EQ(report.years.size(), 2u);
  const taxsaved::TaxesSavedYear& first = report.years[0];
  // IRC 1211(b): a net capital loss up to $3,000 offsets ordinary income, here at 35%.
  EXPECT_EQ(first.account_tax, Money::Units(-700));
  EXPECT_EQ(first.shadow_tax, Money::Units(1500));
  EXPECT_EQ(first.saved_or_deferred, Money::Units(2200));
  EXPECT_EQ(first.deferred, Money::Units(0));
  // 2021: the strategy's unrealized gain is tax deferred, not saved.
  const taxsaved::TaxesSavedYear& second = report.years[1];
  EXPECT_EQ(second.saved_or_deferred, Money::Units(0));
  EXPECT_EQ(second.deferred, Money::Units(750));
  EXPECT_EQ(second.saved_after_liquidation, Money::Units(-750));
  EXPECT_EQ(report.total.saved_or_deferred, Money::Units(2200));
  EXPECT_EQ(report.total.saved_after_liquidation, Money::Units(1450));
  Money sources;
  for (const Money& part : report.total.sources) sources += part;
  EXPECT_EQ(sources, report.total.saved_or_deferred);
}

TEST(TaxesSavedAgainstIndexTest, NeedsDays) {
  EXPECT_FALSE(TaxesSavedAgainstIndex({}, {}, {}, {}).ok());
}

}  // namespace
}  // namespace arbor::backtest
