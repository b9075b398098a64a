#include "core/transition/transition_plan.h"

#include <gtest/gtest.h>

#include "core/transition/holdings.h"

namespace arbor::transition {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// A $20,000 legacy account three quarters in A, a quarter in B (at a loss), moving to four
// equal targets. Lots (as of 2021-04-01, every price $100):
//   A-old  100 shares, basis 5,000, acquired 2020-03-31: long-term, gain 5,000
//   A-new   50 shares, basis 4,000, acquired 2020-04-01: short-term, gain 1,000
//   B-old   50 shares, basis 7,000, acquired 2015-06-01: long-term, loss -2,000
// One market factor (variance 0.04) and specific variance 0.09 per name.
review::RebalanceInput LegacyAccount() {
  review::RebalanceInput input;
  input.account = "PROSPECT";
  input.as_of = D("2021-04-01");
  for (const char* symbol : {"A", "B", "C", "D"}) {
    input.securities.push_back({.symbol = symbol,
                                .price = Price::Units(100),
                                .target_weight = 0.25,
                                .wash_sale_group = symbol,
                                .cost_rate = 0.0005});
  }
  input.lots = {
      {.id = "A-old",
       .symbol = "A",
       .shares = Shares::Units(100),
       .basis = Money::Units(5000),
       .acquired = D("2020-03-31"),
       .holding_period_date = D("2020-03-31")},
      {.id = "A-new",
       .symbol = "A",
       .shares = Shares::Units(50),
       .basis = Money::Units(4000),
       .acquired = D("2020-04-01"),
       .holding_period_date = D("2020-04-01")},
      {.id = "B-old",
       .symbol = "B",
       .shares = Shares::Units(50),
       .basis = Money::Units(7000),
       .acquired = D("2015-06-01"),
       .holding_period_date = D("2015-06-01")},
  };
  input.min_trade = Money::Units(1);
  input.risk_aversion = 50;
  input.risk.loadings = Eigen::MatrixXd::Ones(4, 1);
  input.risk.factor_covariance = Eigen::MatrixXd::Constant(1, 1, 0.04);
  input.risk.specific_variance = Eigen::VectorXd::Constant(4, 0.09);
  return input;
}

TransitionOptions FewYears() {
  TransitionOptions options;
  options.years = 4;
  return options;
}

TEST(TransitionPlanTest, LegacyAccountStartsFarFromItsTarget) {
  const review::RebalanceInput input = LegacyAccount();
  EXPECT_DOUBLE_EQ(AccountValue(input), 20000);
  EXPECT_EQ(UnrealizedGain(input), Money::Units(4000));
  // Active weights (0.5, 0, -0.25, -0.25): their market exposure nets to zero, so the tracking
  // error is sqrt(0.09 * (0.25 + 0.0625 + 0.0625)).
  EXPECT_NEAR(TrackingError(input), std::sqrt(0.09 * 0.375), 1e-12);
}

TEST(TransitionPlanTest, ZeroGainsBudgetRealizesNoNetGainInTheFirstYear) {
  const TransitionPath path =
      ProjectTransition(LegacyAccount(), {BudgetKind::kGains, Money()}, FewYears()).value();
  const TransitionYear& first = path.years.front();
  EXPECT_LE(first.realized.Net(), Money()) << "net gain " << first.realized.Net().ToDouble();
  // The B loss pays for selling some A: the tracking error falls without a net gain.
  EXPECT_LT(first.tracking_error_after, first.tracking_error_before);
  for (const TransitionYear& year : path.years) EXPECT_LE(year.realized.Net(), Money());
}

// IRS Pub. 550, "Holding Period": the holding period starts the day after acquisition, and
// property held more than one year is long-term. A-old (bought 2020-03-31) sold on 2021-04-01
// is long-term; A-new (bought 2020-04-01) is short-term until 2021-04-02. Capital gains and
// losses are taxed by term (Pub. 550, "Capital Gains Tax Rates"); the engine charges each lot
// its term's rate: 37% + 3.8% NIIT short-term, 20% + 3.8% long-term.
TEST(TransitionPlanTest, FullLiquidationReachesTheTargetInYearOneWithTaxByTerm) {
  const TransitionPath path =
      ProjectTransition(LegacyAccount(), {BudgetKind::kLiquidation, {}}, FewYears()).value();
  const TransitionYear& first = path.years.front();
  // The target holds 50 shares of A and of B ($5,000 each). A sells its 100 extra shares, the
  // least gain per share first: all of A-new (short-term, $20 a share) and 50 of A-old
  // (long-term, $50 a share). B is at its target: its loss lot is kept, not sold and bought back.
  EXPECT_EQ(first.realized.short_term, Money::Units(1000));
  EXPECT_EQ(first.realized.long_term, Money::Units(2500));
  EXPECT_EQ(first.realized.tax, Money::FromDouble(0.408 * 1000 + 0.238 * 2500));  // 1,003.00
  EXPECT_EQ(first.sold, Money::Units(10000));
  EXPECT_LT(first.tracking_error_after, 0.001);
  EXPECT_EQ(path.years_to_goal, 1);
  // Later years rebalance without a budget: they may harvest B's loss, never realize a gain.
  EXPECT_LE(path.total_tax, first.realized.tax);
}

// IRC 1091 (Pub. 550, "Wash Sales"): a loss sale with a purchase of the same stock within 30
// days is disallowed. When the liquidation sells a loss lot, the engine does not buy it back.
TEST(TransitionPlanTest, FullLiquidationDoesNotBuyBackWhatItSoldAtALoss) {
  review::RebalanceInput input = LegacyAccount();
  input.securities[1].target_weight = 0.10;  // B: keep 20 shares, sell 30 at a loss
  input.securities[2].target_weight = 0.40;
  const TransitionPath path =
      ProjectTransition(input, {BudgetKind::kLiquidation, {}}, FewYears()).value();
  const TransitionYear& first = path.years.front();
  EXPECT_EQ(first.realized.long_term, Money::Units(2500 - 30 * 40));
  for (const review::Trade& trade : first.trades) {
    EXPECT_FALSE(trade.side == review::TradeSide::kBuy && trade.symbol == "B");
  }
}

TEST(TransitionPlanTest, TrackingErrorPathNeverRisesAsTheBudgetGrows) {
  const std::vector<TransitionBudget> budgets = {{BudgetKind::kTax, Money::Units(0)},
                                                 {BudgetKind::kTax, Money::Units(200)},
                                                 {BudgetKind::kTax, Money::Units(600)},
                                                 {BudgetKind::kLiquidation, {}}};
  const TransitionPlan plan = PlanTransition(LegacyAccount(), budgets, FewYears()).value();
  ASSERT_EQ(plan.paths.size(), budgets.size());
  for (size_t b = 1; b < plan.paths.size(); ++b) {
    for (size_t y = 0; y < plan.paths[b].years.size(); ++y) {
      EXPECT_LE(plan.paths[b].years[y].tracking_error_after,
                plan.paths[b - 1].years[y].tracking_error_after + 1e-4)
          << BudgetLabel(plan.paths[b].budget) << " year " << y + 1;
    }
    EXPECT_GE(plan.paths[b].total_tax, plan.paths[b - 1].total_tax - Money::Units(1));
  }
}

TEST(TransitionPlanTest, TaxBudgetIsSpentExactly) {
  // Reaching the target costs 1,003 of tax; a 300 budget is binding and spent to the dollar.
  const TransitionPath path =
      ProjectTransition(LegacyAccount(), {BudgetKind::kTax, Money::Units(300)}, FewYears()).value();
  EXPECT_NEAR(path.years.front().realized.tax.ToDouble(), 300, 1.0);
  EXPECT_EQ(path.years.front().tax_budget, Money::Units(300));
}

TEST(TransitionPlanTest, GainsBudgetIsSpentToWithinAHundredDollars) {
  const TransitionPath path =
      ProjectTransition(LegacyAccount(), {BudgetKind::kGains, Money::Units(1500)}, FewYears())
          .value();
  const double net = path.years.front().realized.Net().ToDouble();
  EXPECT_LE(net, 1500.005);
  EXPECT_GE(net, 1500 - 100);
}

TEST(TransitionPlanTest, LotsAgeIntoLongTermAndGainsGrowInExpectation) {
  const TransitionPath path =
      ProjectTransition(LegacyAccount(), {BudgetKind::kTax, Money::Units(0)}, FewYears()).value();
  ASSERT_EQ(path.years.size(), 4u);
  EXPECT_EQ(path.years[1].as_of, D("2022-04-01"));
  // Year two's value is year one's after trading (tax is paid from outside), grown 7%.
  const TransitionYear& first = path.years[0];
  EXPECT_NEAR(path.years[1].value, first.value * 1.07, 0.001 * first.value);
  // Every legacy lot sold after the first year is long-term: A-new turned on 2021-04-02.
  for (size_t y = 1; y < path.years.size(); ++y) {
    for (const review::Trade& trade : path.years[y].trades) {
      for (const review::LotSale& sale : trade.lots) {
        if (sale.lot_id.starts_with("Y")) continue;  // bought by the plan
        EXPECT_EQ(sale.term, Term::kLong) << sale.lot_id << " in year " << y + 1;
      }
    }
  }
  EXPECT_GT(path.years[1].unrealized_gain_after, first.unrealized_gain_after);
}

TEST(TransitionPlanTest, RejectsBadOptions) {
  TransitionOptions options;
  options.years = 0;
  EXPECT_FALSE(PlanTransition(LegacyAccount(), {}, options).ok());
  options = {};
  options.market.volatility = -0.1;
  EXPECT_FALSE(PlanTransition(LegacyAccount(), {}, options).ok());
  EXPECT_FALSE(ProjectTransition(LegacyAccount(), {BudgetKind::kTax, Money::Units(-5)}, {}).ok());
}

}  // namespace
}  // namespace arbor::transition
