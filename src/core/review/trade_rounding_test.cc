#include "core/review/trade_rounding.h"

#include <gtest/gtest.h>

namespace arbor::review {
namespace {

Shares S(const char* text) { return *Shares::Parse(text); }
Money M(const char* text) { return *Money::Parse(text); }
const Date kAsOf = *Date::Parse("2024-06-28");

// AAA trades in whole shares at $100, BBB in thousandths at $10; no costs unless set.
RebalanceInput TwoSecurities() {
  RebalanceInput input;
  input.account = "A";
  input.as_of = kAsOf;
  input.securities = {{.symbol = "AAA",
                       .price = *Price::Parse("100"),
                       .target_weight = 0.5,
                       .fractional = false,
                       .wash_sale_group = "AAA"},
                      {.symbol = "BBB",
                       .price = *Price::Parse("10"),
                       .target_weight = 0.4,
                       .wash_sale_group = "BBB"}};
  input.cash.balance = M("1000");
  input.risk = {Eigen::MatrixXd::Zero(2, 0), Eigen::MatrixXd::Zero(0, 0), Eigen::VectorXd::Ones(2)};
  return input;
}

RebalanceLot Lot(const char* id, const char* symbol, const char* shares, const char* basis) {
  return {.id = id,
          .symbol = symbol,
          .shares = S(shares),
          .basis = M(basis),
          .acquired = *Date::Parse("2020-01-02"),
          .holding_period_date = *Date::Parse("2020-01-02")};
}

TradeList Round(const RebalanceInput& input, std::vector<double> buys, std::vector<double> sells) {
  const AccountModel model = BuildAccountModel(input).value();
  return RoundTrades(model, model.problem, Eigen::Map<Eigen::VectorXd>(buys.data(), buys.size()),
                     Eigen::Map<Eigen::VectorXd>(sells.data(), sells.size()));
}

TEST(TradeRoundingTest, WholeSharesAndIncrementsAndWholeLots) {
  RebalanceInput input = TwoSecurities();
  input.lots = {Lot("L1", "AAA", "10.4", "900"), Lot("L2", "AAA", "20", "1500"),
                Lot("L3", "BBB", "100", "900")};
  // L1: 10.3 is nearer the whole lot (10.4) than 10 shares; L2: 7.4 -> 7; L3: 33.3337 -> 33.334.
  TradeList trades = Round(input, {2.6, 0.0004}, {10.3, 7.4, 33.3337});
  EXPECT_EQ(trades.sells[0], S("10.4"));
  EXPECT_EQ(trades.sells[1], S("7"));
  EXPECT_EQ(trades.sells[2], S("33.334"));
  EXPECT_EQ(trades.buys[0], S("3"));
  EXPECT_EQ(trades.buys[1], S("0"));  // 0.0004 rounds to no increment at all
  // cash: 1000 + 1040 + 700 + 333.34 - 300
  EXPECT_EQ(trades.cash_after, M("2773.34"));
  EXPECT_TRUE(trades.cash_shortfall.is_zero());
}

TEST(TradeRoundingTest, OrdersBelowTheMinimumTradeAreDroppedButMustSellIsNot) {
  RebalanceInput input = TwoSecurities();
  input.min_trade = M("100");
  input.securities.push_back({.symbol = "CCC",
                              .price = *Price::Parse("5"),
                              .restriction = Restriction::kMustSell,
                              .wash_sale_group = "CCC"});
  input.risk = {Eigen::MatrixXd::Zero(3, 0), Eigen::MatrixXd::Zero(0, 0), Eigen::VectorXd::Ones(3)};
  input.lots = {Lot("L1", "BBB", "100", "900"), Lot("L2", "CCC", "2", "20")};
  TradeList trades = Round(input, {0.4, 9.0, 0}, {6, 2});
  EXPECT_TRUE(trades.buys[0].is_zero());   // $40 of AAA
  EXPECT_TRUE(trades.buys[1].is_zero());   // $90 of BBB
  EXPECT_TRUE(trades.sells[0].is_zero());  // $60 of BBB
  EXPECT_EQ(trades.sells[1], S("2"));      // $10 of a must-sell name still goes
}

// Rounding buys up can overdraw: buys shrink, the rounded-up one first, until cash is back.
TEST(TradeRoundingTest, CashMinimumIsKeptAfterRoundingBuysUp) {
  RebalanceInput input = TwoSecurities();
  input.securities[0].cost_rate = 0.001;
  input.cash.min = M("0");
  // 9.6 shares of AAA would cost 960 + 0.96; rounding to 10 costs 1001.
  TradeList trades = Round(input, {9.6, 3.0}, {});
  EXPECT_EQ(trades.buys[0], S("9"));
  EXPECT_EQ(trades.buys[1], S("3"));
  EXPECT_GE(trades.cash_after, M("0"));
  EXPECT_EQ(trades.cash_after, M("1000") - M("900") - M("0.9") - M("30"));
}

// A wash-sale match can split a lot into sub-lots that keep its label; a sale versus the label
// relieves them oldest first (docs/tax-lots.md), so that is what the trade list must say.
TEST(TradeRoundingTest, SubLotsOfOneLabelAreRelievedOldestFirst) {
  RebalanceInput input = TwoSecurities();
  input.lots = {Lot("R", "BBB", "30", "240"), Lot("R", "BBB", "70", "840")};
  TradeList trades = Round(input, {0, 0}, {0, 50});
  EXPECT_EQ(trades.sells[0], S("30"));
  EXPECT_EQ(trades.sells[1], S("20"));
}

// IRC 1091: whatever rounding leaves, a group never buys while it sells a lot at a loss.
TEST(TradeRoundingTest, LeftoverConflictDropsTheBuys) {
  RebalanceInput input = TwoSecurities();
  input.lots = {Lot("L1", "BBB", "100", "1500")};  // a loss at $10
  TradeList trades = Round(input, {0, 5}, {40});
  EXPECT_EQ(trades.sells[0], S("40"));
  EXPECT_TRUE(trades.buys[1].is_zero());
}

// A cash need the continuous solution left to rounding (a sale rounded to nothing, or dropped
// below the minimum trade) is met by selling more: the loss lot first, at least the minimum
// trade, and never below zero cash after costs.
TEST(TradeRoundingTest, CashStillMissingSellsTheLeastTaxedLotsAtTheMinimumTrade) {
  RebalanceInput input = TwoSecurities();
  input.securities[0].cost_rate = 0.001;
  input.lots = {Lot("G", "AAA", "10", "500"), Lot("L", "AAA", "10", "1500")};
  input.cash.balance = M("10");
  input.cash.withdrawal = M("30");
  input.min_trade = M("250");
  TradeList trades = Round(input, {0, 0}, {0.2, 0});
  EXPECT_TRUE(trades.sells[0].is_zero());  // the gain lot is kept
  EXPECT_EQ(trades.sells[1], S("3"));      // $300: the minimum trade in whole shares
  EXPECT_EQ(trades.cash_after, M("10") - M("30") + M("300") - M("0.3"));
  EXPECT_TRUE(trades.cash_shortfall.is_zero());
}

}  // namespace
}  // namespace arbor::review
