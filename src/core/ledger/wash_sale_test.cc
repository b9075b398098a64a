// Wash sales through the Ledger, each test citing the rule it checks.
#include "core/ledger/wash_sale.h"

#include <gtest/gtest.h>

#include "core/ledger/ledger.h"
#include "core/ledger/test_events.h"

namespace arbor {
namespace {

using testing::Buy;
using testing::D;
using testing::M;
using testing::Sell;

Ledger TwoAccountLedger(AccountType second_type, const std::string& second_taxpayer = "T1") {
  Ledger ledger;
  EXPECT_TRUE(ledger.AddAccount({.id = "A", .taxpayers = {"T1"}}).ok());
  EXPECT_TRUE(ledger.AddAccount({.id = "B", .type = second_type, .taxpayers = {second_taxpayer}}).ok());
  return ledger;
}

// IRS Pub. 550, Wash Sales, Example 1: 100 shares bought for $1,000, sold for $750, and 100
// shares bought within 30 days for $800: the $250 loss is disallowed and the new basis is $1,050.
TEST(WashSaleTest, Pub550Example1) {
  Ledger ledger = TwoAccountLedger(AccountType::kTaxable);
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 100, "10.00", "L1")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "A", "X", 100, "7.50")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-20", "A", "X", 100, "8.00", "L2")).ok());
  ASSERT_EQ(ledger.realized().size(), 1u);
  const Realization& r = ledger.realized()[0];
  EXPECT_EQ(r.GainBeforeWash(), M("-250"));
  EXPECT_EQ(r.wash_disallowed, M("250"));
  EXPECT_EQ(r.Gain(), M("0"));
  std::vector<OpenLot> open = ledger.OpenLots();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].lot.basis, M("1050"));
  // Reg. 1.1091-2(a) / Pub. 550: the washed shares' holding period (2024-01-02..2024-03-01,
  // 59 days) is added: 2024-03-20 - 59 days.
  EXPECT_EQ(open[0].lot.holding_period_date.ToString(), "2024-01-21");
}

// Pub. 550, Wash Sales, Example 2: when fewer replacement shares are bought (50 of 100), only the
// loss on that many shares is disallowed ($125 of $250); basis $400 + $125 = $525.
TEST(WashSaleTest, Pub550Example2PartialReplacement) {
  Ledger ledger = TwoAccountLedger(AccountType::kTaxable);
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "M", 100, "10.00")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "A", "M", 100, "7.50")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-15", "A", "M", 50, "8.00")).ok());
  EXPECT_EQ(ledger.realized()[0].wash_disallowed, M("125"));
  EXPECT_EQ(ledger.realized()[0].Gain(), M("-125"));
  EXPECT_EQ(ledger.OpenLots()[0].lot.basis, M("525"));
}

// IRC 1091(a): the window runs 30 days before through 30 days after the sale. Day 31 is out.
TEST(WashSaleTest, WindowEdgesAfterTheSale) {
  for (auto [buy_date, washed] : {std::pair{"2024-03-31", true}, std::pair{"2024-04-01", false}}) {
    Ledger ledger = TwoAccountLedger(AccountType::kTaxable);
    ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 10, "10")).ok());
    ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "A", "X", 10, "8")).ok());
    ASSERT_TRUE(ledger.Apply(Buy(buy_date, "A", "X", 10, "9")).ok());
    EXPECT_EQ(ledger.realized()[0].wash_disallowed.is_positive(), washed) << buy_date;
  }
}

// The window before the sale crosses Feb 29, 2024: 30 days before 2024-03-15 is 2024-02-14.
TEST(WashSaleTest, WindowEdgesBeforeTheSaleAcrossFeb29) {
  for (auto [buy_date, washed] : {std::pair{"2024-02-14", true}, std::pair{"2024-02-13", false}}) {
    Ledger ledger = TwoAccountLedger(AccountType::kTaxable);
    ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 10, "10", "OLD")).ok());
    ASSERT_TRUE(ledger.Apply(Buy(buy_date, "A", "X", 10, "9", "NEW")).ok());
    Event sell = Sell("2024-03-15", "A", "X", 10, "8", LotMethod::kSpecific);
    sell.lots = {{"OLD", Shares::Units(10)}};
    ASSERT_TRUE(ledger.Apply(sell).ok());
    EXPECT_EQ(ledger.realized()[0].wash_disallowed.is_positive(), washed) << buy_date;
  }
}

// Gains are never affected by section 1091.
TEST(WashSaleTest, GainsAreNotWashed) {
  Ledger ledger = TwoAccountLedger(AccountType::kTaxable);
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 10, "10")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "A", "X", 10, "12")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-02", "A", "X", 10, "12")).ok());
  EXPECT_TRUE(ledger.realized()[0].wash_disallowed.is_zero());
  EXPECT_EQ(ledger.OpenLots()[0].lot.basis, M("120"));
}

// Shares of the same purchase are never their own replacement: selling part of a lot at a loss
// and keeping the rest is not a wash sale.
TEST(WashSaleTest, SamePurchaseIsNotAReplacement) {
  Ledger ledger = TwoAccountLedger(AccountType::kTaxable);
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-01", "A", "X", 100, "10")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-10", "A", "X", 40, "8")).ok());
  EXPECT_TRUE(ledger.realized()[0].wash_disallowed.is_zero());
  EXPECT_EQ(ledger.pending_wash_losses(), 1u);  // a later purchase could still wash it
}

// Rev. Rul. 2008-5: a replacement bought in the taxpayer's IRA disallows the loss permanently;
// the IRA lot's basis is not increased.
TEST(WashSaleTest, IraReplacementDisallowsPermanently) {
  Ledger ledger = TwoAccountLedger(AccountType::kTraditionalIra);
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 10, "10")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "A", "X", 10, "8")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-05", "B", "X", 10, "8")).ok());
  const Realization& r = ledger.realized()[0];
  EXPECT_EQ(r.wash_disallowed, M("20"));
  EXPECT_EQ(r.wash_disallowed_permanent, M("20"));
  EXPECT_EQ(ledger.OpenLots()[0].lot.basis, M("80"));
  EXPECT_EQ(ledger.OpenLots()[0].lot.holding_period_date, D("2024-03-05"));
}

// Wash sales reach every account of the same taxpayer, and no account of another taxpayer.
TEST(WashSaleTest, ScopeIsTheTaxpayer) {
  Ledger same = TwoAccountLedger(AccountType::kTaxable, "T1");
  Ledger other = TwoAccountLedger(AccountType::kTaxable, "T2");
  for (Ledger* ledger : {&same, &other}) {
    ASSERT_TRUE(ledger->Apply(Buy("2024-01-02", "A", "X", 10, "10")).ok());
    ASSERT_TRUE(ledger->Apply(Sell("2024-03-01", "A", "X", 10, "8")).ok());
    ASSERT_TRUE(ledger->Apply(Buy("2024-03-05", "B", "X", 10, "8")).ok());
  }
  EXPECT_EQ(same.realized()[0].wash_disallowed, M("20"));
  EXPECT_TRUE(other.realized()[0].wash_disallowed.is_zero());
}

// Spouses: a joint account links both taxpayers, so the wife's purchase washes the husband's loss.
TEST(WashSaleTest, JointAccountLinksSpouses) {
  Ledger ledger;
  ASSERT_TRUE(ledger.AddAccount({.id = "H", .taxpayers = {"HUSBAND"}}).ok());
  ASSERT_TRUE(ledger.AddAccount({.id = "W", .taxpayers = {"WIFE"}}).ok());
  ASSERT_TRUE(ledger.AddAccount({.id = "J", .taxpayers = {"HUSBAND", "WIFE"}}).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "H", "X", 10, "10")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "H", "X", 10, "8")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-05", "W", "X", 10, "8")).ok());
  EXPECT_EQ(ledger.realized()[0].wash_disallowed, M("20"));
}

// Substantially identical securities (the firm's wash-sale group): selling SPY at a loss and
// buying IVV is a wash sale.
TEST(WashSaleTest, WashSaleGroup) {
  Ledger ledger;
  ASSERT_TRUE(ledger.AddAccount({.id = "A", .taxpayers = {"T1"}}).ok());
  ASSERT_TRUE(ledger.SetWashSaleGroup("SPY", "sp500").ok());
  ASSERT_TRUE(ledger.SetWashSaleGroup("IVV", "sp500").ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "SPY", 10, "500")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "A", "SPY", 10, "450")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-05", "A", "IVV", 10, "455")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-05", "A", "VOO", 10, "420")).ok());
  EXPECT_EQ(ledger.realized()[0].wash_disallowed, M("500"));
  std::vector<OpenLot> open = ledger.OpenLots();
  EXPECT_EQ(open[0].symbol, "IVV");
  EXPECT_EQ(open[0].lot.basis, M("5050"));
  EXPECT_EQ(open[1].lot.basis, M("4200"));  // VOO is not in the group here
}

// Reg. 1.1091-1(c): several loss sales are matched in order of disposition, and a replacement
// share absorbs only one loss. Two sales of 10 at a loss, then 15 shares bought: the first loss is
// washed in full, the second on 5 shares; the 15-share lot splits 10 + 5.
TEST(WashSaleTest, SeveralLossSalesInOrderOfDisposition) {
  Ledger ledger = TwoAccountLedger(AccountType::kTaxable);
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 20, "10")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "A", "X", 10, "8")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-04", "A", "X", 10, "7")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-10", "A", "X", 15, "7", "R")).ok());
  EXPECT_EQ(ledger.realized()[0].wash_disallowed, M("20"));
  EXPECT_EQ(ledger.realized()[1].wash_disallowed, M("15"));  // 5 of 10 shares x $3
  std::vector<OpenLot> open = ledger.OpenLots();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].lot.lot_id, "R");
  EXPECT_EQ(open[0].lot.shares, Shares::Units(10));
  EXPECT_EQ(open[0].lot.basis, M("90"));
  EXPECT_EQ(open[1].lot.shares, Shares::Units(5));
  EXPECT_EQ(open[1].lot.basis, M("50"));
}

// Replacements are matched earliest-acquired first, whether bought before or after the sale.
TEST(WashSaleTest, EarliestReplacementFirst) {
  Ledger ledger = TwoAccountLedger(AccountType::kTaxable);
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 10, "10", "OLD")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-02-20", "B", "X", 10, "9", "BEFORE")).ok());
  Event sell = Sell("2024-03-01", "A", "X", 10, "8", LotMethod::kSpecific);
  sell.lots = {{"OLD", Shares::Units(10)}};
  ASSERT_TRUE(ledger.Apply(sell).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-02", "A", "X", 10, "8", "AFTER")).ok());
  for (const OpenLot& open : ledger.OpenLots()) {
    if (open.lot.lot_id == "BEFORE") {
      EXPECT_EQ(open.lot.basis, M("110"));
    } else {
      EXPECT_EQ(open.lot.basis, M("80"));
    }
  }
}

// Chains: a replacement whose basis was increased is sold at a loss and washed again; the first
// disallowed loss travels on to the third lot.
TEST(WashSaleTest, ChainOfWashSales) {
  Ledger ledger = TwoAccountLedger(AccountType::kTaxable);
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "A", "X", 10, "10")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-02-01", "A", "X", 10, "8")).ok());   // loss 20
  ASSERT_TRUE(ledger.Apply(Buy("2024-02-10", "A", "X", 10, "8")).ok());    // basis 80+20
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "A", "X", 10, "7")).ok());   // loss 30
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-11", "A", "X", 10, "7")).ok());    // basis 70+30
  EXPECT_EQ(ledger.realized()[1].GainBeforeWash(), M("-30"));
  EXPECT_EQ(ledger.realized()[1].wash_disallowed, M("30"));
  EXPECT_EQ(ledger.OpenLots()[0].lot.basis, M("100"));
  // Holding periods add up: 30 days (01-02..02-01), then 20 more (02-10..03-01), tacked to 03-11.
  EXPECT_EQ(ledger.OpenLots()[0].lot.holding_period_date.ToString(), "2024-01-21");
}

// A loss inside an IRA is not a tax loss at all: nothing to wash.
TEST(WashSaleTest, LossInsideIraIsNotTracked) {
  Ledger ledger = TwoAccountLedger(AccountType::kRothIra);
  ASSERT_TRUE(ledger.Apply(Buy("2024-01-02", "B", "X", 10, "10")).ok());
  ASSERT_TRUE(ledger.Apply(Sell("2024-03-01", "B", "X", 10, "8")).ok());
  ASSERT_TRUE(ledger.Apply(Buy("2024-03-05", "A", "X", 10, "8")).ok());
  EXPECT_FALSE(ledger.realized()[0].reportable);
  EXPECT_TRUE(ledger.realized()[0].wash_disallowed.is_zero());
  EXPECT_EQ(ledger.OpenLots()[0].lot.basis, M("80"));
}

}  // namespace
}  // namespace arbor
