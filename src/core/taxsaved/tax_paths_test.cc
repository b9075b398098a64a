#include "core/taxsaved/tax_paths.h"

#include <gtest/gtest.h>

#include "core/taxsaved/taxes_saved.h"
#include "core/taxsaved/test_profile.h"

namespace arbor::taxsaved {
namespace {

Date D(const char* text) { return *Date::Parse(text); }
Money M(const char* text) { return *Money::Parse(text); }
Price P(const char* text) { return *Price::Parse(text); }

Event Deposit(const char* date, const char* amount) {
  return {.date = D(date), .account = "A", .action = EventAction::kDeposit, .amount = M(amount)};
}
Event Trade(const char* date, EventAction action, const char* symbol, int shares,
            const char* price) {
  return {.date = D(date), .account = "A", .action = action, .symbol = symbol,
          .shares = Shares::Units(shares), .price = P(price)};
}

// XYZ bought at 100 in 2019, 70 in the March 2020 crash, 90 from April; ABC (a different
// company) tracks it.
std::optional<Price> Close(const std::string& symbol, Date date) {
  if (symbol != "XYZ" && symbol != "ABC") return std::nullopt;
  if (date < D("2020-03-01")) return P("100");
  if (date < D("2020-04-01")) return P("70");
  if (date < D("2020-04-02")) return P("72");
  return P("90");
}

TaxPathsInput Input(std::vector<Event> events) {
  return {.accounts = {{.id = "A", .type = AccountType::kTaxable, .taxpayers = {"T"}}},
          .events = std::move(events),
          .account = "A",
          .from = D("2020-01-01"),
          .to = D("2021-12-31"),
          .shadow = {.targets = {{.effective = D("2019-01-01"), .weights = {{"XYZ", 1.0}}}},
                     .cost_rate = 0},
          .close = Close};
}

TaxesSavedReport Report(const TaxPaths& paths, Date from) {
  TaxesSavedInput input{
      .profile = TestProfile(),
      .from = from, .discount_rate = 0.04,
      .account = paths.account, .fifo = paths.fifo, .shadow = paths.shadow};
  return ComputeTaxesSaved(input).value();
}

// The account harvests XYZ's long-term loss into ABC; the shadow holds XYZ. 2020: the $3,000
// loss offsets ordinary income (IRC 1211(b)): 1,374 saved, all deferred, since the shadow
// could realize its own loss at liquidation. 2021: ABC's gain turns long-term, so the
// deferred liability shrinks and 340 is saved for good (a loss used at 45.8% against a gain
// taxed later at 28.8%).
TEST(TaxPathsTest, HarvestIntoAPeerThenTheGainTurnsLongTerm) {
  TaxPaths paths = ReplayTaxPaths(Input({Deposit("2019-01-02", "10000"),
                                         Trade("2019-01-02", EventAction::kBuy, "XYZ", 100, "100"),
                                         Trade("2020-03-16", EventAction::kSell, "XYZ", 100, "70"),
                                         Trade("2020-03-16", EventAction::kBuy, "ABC", 100, "70")}))
                       .value();
  ASSERT_EQ(paths.account.size(), 2u);
  EXPECT_DOUBLE_EQ(paths.account[0].long_term_losses, 3000);
  EXPECT_DOUBLE_EQ(paths.shadow[0].long_term_losses, 0);
  EXPECT_TRUE(paths.shadow_trades.empty());  // at target already
  EXPECT_EQ(paths.review_dates, std::vector<Date>{D("2020-03-16")});

  TaxesSavedReport report = Report(paths, D("2020-01-01"));
  EXPECT_EQ(report.years[0].saved_or_deferred, M("1374"));
  EXPECT_EQ(report.years[0].deferred, M("1374"));
  EXPECT_EQ(report.years[1].saved_or_deferred, M("0"));
  EXPECT_EQ(report.years[1].deferred, M("-340"));
  EXPECT_EQ(report.years[1].time_value, M("54.92"));  // 1,374 x 4% x 365/365.25
  EXPECT_EQ(report.total.saved_after_liquidation, M("340"));
}

// IRC 1091 (Pub. 550 "Wash Sales"): buying XYZ back 16 days after the loss sale disallows the
// loss, so the harvest saves nothing that year; the loss moves into the new lot's basis.
TEST(TaxPathsTest, WashedHarvestSavesNothing) {
  TaxPaths paths = ReplayTaxPaths(Input({Deposit("2019-01-02", "10000"),
                                         Trade("2019-01-02", EventAction::kBuy, "XYZ", 100, "100"),
                                         Trade("2020-03-16", EventAction::kSell, "XYZ", 100, "70"),
                                         Trade("2020-04-01", EventAction::kBuy, "XYZ", 100, "72")}))
                       .value();
  EXPECT_DOUBLE_EQ(paths.account[0].long_term_losses, 0);
  EXPECT_DOUBLE_EQ(paths.account[0].unrealized.long_term, 9000 - 10200);
  TaxesSavedReport report = Report(paths, D("2020-01-01"));
  EXPECT_EQ(report.years[0].saved_or_deferred, M("0"));
}

// When the account itself trades exactly as the tax-blind rule does, the shadow is the
// account: nothing saved or deferred in any year.
TEST(TaxPathsTest, ShadowEqualsTheAccountWhenTaxManagementIsOff) {
  std::vector<Event> start{Deposit("2019-01-02", "10000"),
                           Trade("2019-01-02", EventAction::kBuy, "XYZ", 60, "100"),
                           Trade("2019-06-03", EventAction::kBuy, "XYZ", 40, "100")};
  TaxPathsInput input = Input(start);
  // The committee moves half into ABC from June 2020; the account reviews on 2020-06-15.
  input.shadow.targets.push_back(
      {.effective = D("2020-06-01"), .weights = {{"XYZ", 0.5}, {"ABC", 0.5}}});
  input.events.push_back(Trade("2020-06-15", EventAction::kSell, "XYZ", 1, "90"));
  TaxPaths tax_blind = ReplayTaxPaths(input).value();
  ASSERT_EQ(tax_blind.shadow_trades.size(), 2u);  // sell 50 XYZ FIFO, buy ABC

  input.events = start;
  for (const Event& trade : tax_blind.shadow_trades) input.events.push_back(trade);
  TaxPaths paths = ReplayTaxPaths(input).value();
  TaxesSavedReport report = Report(paths, D("2020-01-01"));
  for (size_t y = 0; y < paths.account.size(); ++y) {
    EXPECT_DOUBLE_EQ(paths.account[y].long_term_gains, paths.shadow[y].long_term_gains);
    EXPECT_DOUBLE_EQ(paths.account[y].unrealized.long_term, paths.shadow[y].unrealized.long_term);
    EXPECT_EQ(report.years[y].saved_or_deferred, Money());
    EXPECT_EQ(report.years[y].deferred, Money());
  }
  EXPECT_GT(paths.account[0].short_term_gains + paths.account[0].long_term_losses, 0);
}

TEST(TaxPathsTest, AccountWithoutTargetsIsAnError) {
  TaxPathsInput input = Input({Deposit("2019-01-02", "10000")});
  input.shadow.targets.clear();
  EXPECT_FALSE(ReplayTaxPaths(input).ok());
}

}  // namespace
}  // namespace arbor::taxsaved
