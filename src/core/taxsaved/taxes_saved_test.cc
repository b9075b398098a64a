#include "core/taxsaved/taxes_saved.h"

#include <gtest/gtest.h>

#include "core/taxsaved/test_profile.h"

namespace arbor::taxsaved {
namespace {

Date D(const char* text) { return *Date::Parse(text); }
Money M(const char* text) { return *Money::Parse(text); }

PathYear Year(int year) { return {.year = year, .end = *Date::FromYmd(year, 12, 31)}; }

Money SumOfSources(const TaxesSavedYear& row) {
  Money sum;
  for (Money share : row.sources) sum += share;
  return sum;
}

Money Source(const TaxesSavedYear& row, SavingSource source) {
  return row.sources[static_cast<int>(source)];
}

// A harvest with no price change afterwards: the loss offsets $3,000 of ordinary income now
// (IRC 1211(b)), and the shadow's unrealized loss would do the same at liquidation, so all of
// it is deferred.
TEST(TaxesSavedTest, HarvestYearIsSavedAndDeferred) {
  PathYear account = Year(2020), shadow = Year(2020);
  account.short_term_losses = 10000;
  shadow.unrealized.short_term = -10000;
  TaxesSavedInput input{.profile = TestProfile(), .from = D("2020-01-01"),
                        .account = {account}, .fifo = {account}, .shadow = {shadow}};
  TaxesSavedReport report = ComputeTaxesSaved(input).value();
  const TaxesSavedYear& y = report.years[0];
  EXPECT_EQ(y.account_tax, M("-1374"));
  EXPECT_EQ(y.shadow_tax, M("0"));
  EXPECT_EQ(y.saved_or_deferred, M("1374"));
  EXPECT_EQ(Source(y, SavingSource::kLossesHarvested), M("1374"));
  EXPECT_EQ(y.deferred, M("1374"));
  EXPECT_EQ(y.saved_after_liquidation, M("0"));
  // IRC 1212(b): the other $7,000 carries forward short-term.
  EXPECT_DOUBLE_EQ(y.account_carry_out.short_term, 7000);
}

// The shadow trades to target and realizes a long-term gain the account defers; the next year
// the deferred tax is an interest-free loan worth the discount rate.
TEST(TaxesSavedTest, GainDeferralYearAndItsTimeValue) {
  PathYear account = Year(2020), shadow = Year(2020);
  shadow.long_term_gains = 50000;
  account.unrealized.long_term = 50000;
  PathYear account_next = Year(2021), shadow_next = Year(2021);
  account_next.unrealized.long_term = 50000;
  TaxesSavedInput input{.profile = TestProfile(), .from = D("2020-01-01"),
                        .discount_rate = 0.04,
                        .account = {account, account_next}, .fifo = {account, account_next},
                        .shadow = {shadow, shadow_next}};
  TaxesSavedReport report = ComputeTaxesSaved(input).value();
  EXPECT_EQ(report.years[0].saved_or_deferred, M("14400"));
  EXPECT_EQ(Source(report.years[0], SavingSource::kLongTermGainsDeferred), M("14400"));
  EXPECT_EQ(report.years[0].deferred, M("14400"));
  EXPECT_EQ(report.years[1].saved_or_deferred, M("0"));
  EXPECT_EQ(report.years[1].deferred, M("0"));
  EXPECT_EQ(report.years[1].time_value, M("575.61"));  // 14,400 x 4% x 365/365.25
  EXPECT_EQ(report.total.saved_after_liquidation, M("0"));
}

// A loss harvested in 2020 beyond the $3,000 offset is worth nothing more until 2021, when
// its carryforward (IRC 1212(b)) absorbs a gain both portfolios realize; the 2021 saving is
// credited to the harvest.
TEST(TaxesSavedTest, CarryforwardUsedAYearLater) {
  PathYear account = Year(2020), shadow = Year(2020);
  account.short_term_losses = 20000;
  PathYear account_next = Year(2021), shadow_next = Year(2021);
  account_next.long_term_gains = shadow_next.long_term_gains = 15000;
  TaxesSavedInput input{.profile = TestProfile(), .from = D("2020-01-01"),
                        .account = {account, account_next}, .fifo = {account, account_next},
                        .shadow = {shadow, shadow_next}};
  TaxesSavedReport report = ComputeTaxesSaved(input).value();
  EXPECT_EQ(report.years[0].saved_or_deferred, M("1374"));
  EXPECT_DOUBLE_EQ(report.years[0].account_carry_out.short_term, 17000);
  // 2021: the account nets 15,000 - 17,000 = -2,000 (offset at 45.8%); the shadow pays 28.8%.
  EXPECT_EQ(report.years[1].account_tax, M("-916"));
  EXPECT_EQ(report.years[1].shadow_tax, M("4320"));
  EXPECT_EQ(Source(report.years[1], SavingSource::kLossesHarvested), M("5236"));
}

// Three sources interact through the $3,000 limit (IRC 1211(b)); the Shapley shares, computed
// by hand over the six orders, add up to the year's saving to the cent.
TEST(TaxesSavedTest, ShapleySharesAddUpExactly) {
  PathYear shadow = Year(2020), fifo = Year(2020), account = Year(2020);
  shadow.short_term_gains = 10000;
  fifo.short_term_gains = 4000;    // 6,000 of short-term gains avoided
  fifo.short_term_losses = 8000;   // 8,000 of losses harvested
  account.short_term_gains = 2000;  // lot selection: 2,000 less gain on the same sales
  account.short_term_losses = 8000;
  TaxesSavedInput input{.profile = TestProfile(), .from = D("2020-01-01"),
                        .account = {account}, .fifo = {fifo}, .shadow = {shadow}};
  TaxesSavedReport report = ComputeTaxesSaved(input).value();
  const TaxesSavedYear& y = report.years[0];
  EXPECT_EQ(y.saved_or_deferred, M("5954"));  // 4,580 - (-1,374)
  EXPECT_EQ(SumOfSources(y), y.saved_or_deferred);
  EXPECT_EQ(Source(y, SavingSource::kLossesHarvested), M("3129.66"));  // 3,129.667 less a cent
  EXPECT_EQ(Source(y, SavingSource::kShortTermGainsAvoided), M("2213.67"));
  EXPECT_EQ(Source(y, SavingSource::kLotSelection), M("610.67"));
  EXPECT_EQ(Source(y, SavingSource::kLongTermGainsDeferred), M("0"));
}

// Outside gains enter both portfolios' tax: a harvested loss then offsets them in full at the
// long-term rate instead of $3,000 at the ordinary rate.
TEST(TaxesSavedTest, OutsideGainsAbsorbHarvestedLosses) {
  PathYear account = Year(2020), shadow = Year(2020);
  account.long_term_losses = 10000;
  TaxesSavedInput input{.profile = TestProfile(), .from = D("2020-01-01"),
                        .outside = {{2020, {.long_term = 20000}}},
                        .account = {account}, .fifo = {account}, .shadow = {shadow}};
  TaxesSavedReport report = ComputeTaxesSaved(input).value();
  EXPECT_EQ(report.years[0].saved_or_deferred, M("2880"));
}

// A year the account realizes more than the shadow shows a negative saving.
TEST(TaxesSavedTest, NegativeYearIsShown) {
  PathYear account = Year(2020), shadow = Year(2020);
  account.long_term_gains = 1000;
  TaxesSavedInput input{.profile = TestProfile(), .from = D("2020-01-01"),
                        .account = {account}, .fifo = {account}, .shadow = {shadow}};
  EXPECT_EQ(ComputeTaxesSaved(input)->years[0].saved_or_deferred, M("-288"));
}

TEST(TaxesSavedTest, PathsOfDifferentYearsAreAnError) {
  TaxesSavedInput input{.account = {Year(2020)}, .fifo = {Year(2020)}, .shadow = {Year(2021)}};
  EXPECT_FALSE(ComputeTaxesSaved(input).ok());
}

}  // namespace
}  // namespace arbor::taxsaved
