#include "core/review/lot_tax.h"

#include <gtest/gtest.h>

#include "core/review/account_model.h"

namespace arbor::review {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

RebalanceInput Account(const char* as_of) {
  RebalanceInput input;
  input.account = "A";
  input.as_of = D(as_of);
  input.tax_rates = {.federal_short_term = 0.35,
                     .federal_long_term = 0.15,
                     .state_short_term = 0.05,
                     .state_long_term = 0.05,
                     .net_investment_income = 0.038};
  return input;
}

RebalanceLot Lot(const char* id, const char* acquired, int64_t shares, const char* basis) {
  return {.id = id,
          .symbol = "XYZ",
          .shares = Shares::Units(shares),
          .basis = *Money::Parse(basis),
          .acquired = D(acquired),
          .holding_period_date = D(acquired)};
}

const Price kPrice = *Price::Parse("10");

LotTax Classify(const RebalanceInput& input, const RebalanceLot& lot) {
  return ClassifyLot(input, lot, kPrice, 0.0, "XYZ", WashWindow(input));
}

// IRS Pub. 550, "Amount realized": the proceeds less the selling expenses. 100 shares at $10
// with a basis of $999 are up $1 before a 0.5% trading cost ($5) and down $4 after it: a loss,
// which a purchase of the last 30 days would wash.
TEST(LotTaxTest, ALossIsMeasuredOnTheAmountRealizedAfterSellingCosts) {
  RebalanceInput input = Account("2024-06-28");
  const RebalanceLot lot = Lot("L1", "2023-02-05", 100, "999");
  EXPECT_FALSE(ClassifyLot(input, lot, kPrice, 0.0, "XYZ", WashWindow(input)).loss);
  EXPECT_TRUE(ClassifyLot(input, lot, kPrice, 0.005, "XYZ", WashWindow(input)).loss);
}

// IRS Pub. 550, "Holding Period": the period starts the day after acquisition, and property
// held more than one year is long-term. Bought 2023-02-05: sold 2024-02-05 is short-term,
// 2024-02-06 long-term.
TEST(LotTaxTest, TermFollowsThePublication550HoldingPeriod) {
  const RebalanceLot lot = Lot("L1", "2023-02-05", 100, "800");
  RebalanceInput on_anniversary = Account("2024-02-05");
  LotTax tax = Classify(on_anniversary, lot);
  EXPECT_EQ(tax.term, Term::kShort);
  EXPECT_DOUBLE_EQ(tax.rate, 0.35 + 0.05 + 0.038);
  RebalanceInput day_after = Account("2024-02-06");
  tax = Classify(day_after, lot);
  EXPECT_EQ(tax.term, Term::kLong);
  EXPECT_DOUBLE_EQ(tax.rate, 0.15 + 0.05 + 0.038);
}

// A tacked holding period (Reg. 1.1091-2) counts from the holding-period date, not the trade date.
TEST(LotTaxTest, TackedHoldingPeriodMakesAWashedReplacementLongTerm) {
  RebalanceLot lot = Lot("L1", "2024-01-10", 100, "800");
  lot.holding_period_date = D("2022-12-01");
  EXPECT_EQ(Classify(Account("2024-02-01"), lot).term, Term::kLong);
}

TEST(LotTaxTest, TaxDeferredAccountHasNoTaxAndNoWashSaleOfItsOwn) {
  RebalanceInput ira = Account("2024-06-28");
  ira.tax_deferred = true;
  ira.recent_purchases.push_back({.wash_sale_group = "XYZ",
                                  .account = "B",
                                  .symbol = "XYZ",
                                  .lot_id = "#1",
                                  .acquired = D("2024-06-20")});
  const LotTax tax = Classify(ira, Lot("L1", "2020-01-02", 100, "2000"));
  EXPECT_TRUE(tax.loss);
  EXPECT_EQ(tax.rate, 0);
  EXPECT_EQ(tax.wash, WashStatus::kClear);
}

// IRC 1091(a) / Pub. 550 "Wash Sales": a loss is disallowed when substantially identical stock
// was bought within 30 days before the sale, in any account of the taxpayer. Such a loss is worth
// nothing now (deferred into the replacement's basis), so r_j = 0; gains keep their rate.
TEST(LotTaxTest, PurchaseWithin30DaysMakesALossWorthNothingNow) {
  RebalanceInput input = Account("2024-06-28");
  input.recent_purchases.push_back({.wash_sale_group = "XYZ",
                                    .account = "SPOUSE",
                                    .symbol = "XYZ",
                                    .lot_id = "#4",
                                    .acquired = D("2024-05-29")});  // 30 days
  LotTax loss = Classify(input, Lot("L1", "2020-01-02", 100, "2000"));
  EXPECT_EQ(loss.wash, WashStatus::kDeferred);
  EXPECT_EQ(loss.rate, 0);
  ASSERT_NE(loss.washing_purchase, nullptr);
  EXPECT_EQ(loss.washing_purchase->account, "SPOUSE");
  LotTax gain = Classify(input, Lot("L2", "2020-01-02", 100, "500"));
  EXPECT_FALSE(gain.loss);
  EXPECT_DOUBLE_EQ(gain.rate, 0.15 + 0.05 + 0.038);
}

TEST(LotTaxTest, PurchaseOf31DaysAgoWashesNothing) {
  RebalanceInput input = Account("2024-06-28");
  input.recent_purchases.push_back({.wash_sale_group = "XYZ",
                                    .account = "A",
                                    .symbol = "XYZ",
                                    .lot_id = "L9",
                                    .acquired = D("2024-05-28")});
  EXPECT_EQ(Classify(input, Lot("L1", "2020-01-02", 100, "2000")).wash, WashStatus::kClear);
}

// Rev. Rul. 56-602: selling part of a lot at a loss and keeping the rest is no wash sale, so the
// lot's own recent purchase does not wash it.
TEST(LotTaxTest, ALotsOwnPurchaseDoesNotWashIt) {
  RebalanceInput input = Account("2024-06-28");
  input.recent_purchases.push_back({.wash_sale_group = "XYZ",
                                    .account = "A",
                                    .symbol = "XYZ",
                                    .lot_id = "L1",
                                    .acquired = D("2024-06-10")});
  LotTax tax = Classify(input, Lot("L1", "2024-06-10", 100, "1200"));
  EXPECT_TRUE(tax.loss);
  EXPECT_EQ(tax.wash, WashStatus::kClear);
  EXPECT_GT(tax.rate, 0);
  // ... but it does wash an older lot of the same security.
  EXPECT_EQ(Classify(input, Lot("L0", "2023-01-03", 100, "1200")).wash, WashStatus::kDeferred);
}

// Rev. Rul. 2008-5: a replacement bought in the taxpayer's IRA disallows the loss for good.
TEST(LotTaxTest, IraPurchaseMakesTheLossPermanentAndTheLotIsKept) {
  RebalanceInput input = Account("2024-06-28");
  input.securities.push_back(
      {.symbol = "XYZ", .price = kPrice, .target_weight = 0.5, .wash_sale_group = "XYZ"});
  input.lots.push_back(Lot("L1", "2020-01-02", 100, "2000"));
  input.recent_purchases.push_back({.wash_sale_group = "XYZ",
                                    .account = "A-TAXABLE-2",
                                    .symbol = "XYZ",
                                    .lot_id = "#1",
                                    .acquired = D("2024-06-20")});
  input.recent_purchases.push_back({.wash_sale_group = "XYZ",
                                    .account = "IRA",
                                    .symbol = "XYZ",
                                    .lot_id = "#1",
                                    .acquired = D("2024-06-21"),
                                    .tax_deferred = true});
  input.risk = {Eigen::MatrixXd::Zero(1, 0), Eigen::MatrixXd::Zero(0, 0), Eigen::VectorXd::Ones(1)};
  AccountModel model = BuildAccountModel(input).value();
  EXPECT_EQ(model.lots[0].tax.wash, WashStatus::kPermanent);
  EXPECT_EQ(model.lots[0].tax.washing_purchase->account, "IRA");
  EXPECT_TRUE(model.lots[0].wash_held);
  EXPECT_FALSE(model.problem.lots[0].sellable);
}

// Pub. 550: buying within 30 days after a loss sale washes it, so the group may not be bought.
TEST(LotTaxTest, LossSaleWithin30DaysBlocksBuysOfTheWholeGroup) {
  RebalanceInput input = Account("2024-06-28");
  input.recent_loss_sales.push_back({.wash_sale_group = "SP500",
                                     .account = "IRA-WIFE",
                                     .symbol = "SPY",
                                     .sold = D("2024-05-29")});
  input.recent_loss_sales.push_back({.wash_sale_group = "OLD",
                                     .account = "A",
                                     .symbol = "OLD",
                                     .sold = D("2024-05-28")});  // 31 days: no longer blocks
  WashWindow window(input);
  ASSERT_NE(window.BuyBlocker("SP500"), nullptr);
  EXPECT_EQ(window.BuyBlocker("SP500")->symbol, "SPY");
  EXPECT_EQ(window.BuyBlocker("OLD"), nullptr);
}

}  // namespace
}  // namespace arbor::review
