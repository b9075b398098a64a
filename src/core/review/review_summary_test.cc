#include "core/review/review_summary.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/review/rebalance.h"

namespace arbor::review {
namespace {

Date D(const char* text) { return *Date::Parse(text); }
Money M(const char* text) { return *Money::Parse(text); }

bool Has(const std::vector<std::string>& flags, const std::string& flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

// Three names at target, one-factor risk; BBB bought at 40,000 is worth 25,000.
RebalanceInput ThreeNames() {
  RebalanceInput input;
  input.account = "A";
  input.as_of = D("2024-06-28");
  for (const char* symbol : {"AAA", "BBB", "CCC"}) {
    input.securities.push_back({.symbol = symbol,
                                .price = *Price::Parse("50"),
                                .target_weight = 0.32,
                                .wash_sale_group = symbol,
                                .groups = {"Tech"},
                                .cost_rate = 0.0005});
  }
  const char* bases[] = {"20000", "40000", "20000"};
  for (int i = 0; i < 3; ++i) {
    input.lots.push_back({.id = "L" + std::to_string(i),
                          .symbol = input.securities[i].symbol,
                          .shares = Shares::Units(500),
                          .basis = M(bases[i]),
                          .acquired = D("2024-01-02"),
                          .holding_period_date = D("2024-01-02")});
  }
  input.cash.balance = M("3000");
  input.risk_aversion = 10;
  input.risk = {Eigen::MatrixXd::Ones(3, 1), Eigen::MatrixXd::Constant(1, 1, 0.04),
                Eigen::VectorXd::Constant(3, 0.01)};
  input.groups = {{.name = "Tech", .penalty = 0.05}};
  return input;
}

TEST(ReviewSummaryTest, MetricsAddUpFromTheTrades) {
  const RebalanceInput input = ThreeNames();
  const Proposal proposal = Rebalance(input).value();
  const ReviewSummary summary = SummarizeReview(input, proposal);
  const ReviewMetrics& m = summary.metrics;
  double buys = 0, sells = 0;
  for (const Trade& t : proposal.trades) (t.side == TradeSide::kBuy ? buys : sells) += t.amount.ToDouble();
  EXPECT_DOUBLE_EQ(m.buy_usd, buys);
  EXPECT_DOUBLE_EQ(m.sell_usd, sells);
  EXPECT_EQ(m.trades, static_cast<int>(proposal.trades.size()));
  EXPECT_DOUBLE_EQ(m.market_value, 78000);
  EXPECT_NEAR(m.turnover, std::max(buys, sells) / 78000, 1e-12);
  EXPECT_DOUBLE_EQ(m.score_usd, proposal.score.total_dollars);
  EXPECT_DOUBLE_EQ(m.tax_usd, proposal.after.tax.ToDouble());
}

TEST(ReviewSummaryTest, AHarvestIsFlaggedWithTheLossesItRealizes) {
  const RebalanceInput input = ThreeNames();
  const Proposal proposal = Rebalance(input).value();
  const ReviewSummary summary = SummarizeReview(input, proposal);
  EXPECT_GT(summary.metrics.harvest_usd, 1000);
  EXPECT_TRUE(Has(summary.flags, "harvest"));
  EXPECT_FALSE(summary.must_trade);
  EXPECT_FALSE(Has(summary.flags, "must_trade"));
}

TEST(ReviewSummaryTest, AScreenedHoldingMakesTheAccountMustTrade) {
  RebalanceInput input = ThreeNames();
  input.securities[0].restriction = Restriction::kMustSell;
  input.securities[0].target_weight = 0;
  const ReviewSummary summary = SummarizeReview(input, Rebalance(input).value());
  EXPECT_TRUE(summary.must_trade);
  ASSERT_EQ(summary.must_trade_reasons.size(), 1u);
  EXPECT_EQ(summary.must_trade_reasons[0], "screened or restricted, to be sold: AAA");
  EXPECT_TRUE(Has(summary.flags, "new_restriction"));
}

TEST(ReviewSummaryTest, CashShortOfTheNeedIsMustTrade) {
  RebalanceInput input = ThreeNames();
  input.cash.withdrawal = M("5000");
  input.cash.min = M("1000");
  const ReviewSummary summary = SummarizeReview(input, Rebalance(input).value());
  EXPECT_TRUE(summary.must_trade);
  EXPECT_EQ(summary.must_trade_reasons.at(0),
            "cash: 3000.00 on hand, 6000.00 needed (minimum 1000.00, withdrawal 5000.00)");
  EXPECT_TRUE(Has(summary.flags, "cash"));
  EXPECT_TRUE(Has(summary.flags, "withdrawal"));
  EXPECT_DOUBLE_EQ(summary.metrics.cash_required, 6000);
  EXPECT_DOUBLE_EQ(summary.metrics.withdrawal_usd, 5000);
  EXPECT_GE(summary.metrics.cash_after, 1000);
}

TEST(ReviewSummaryTest, ThresholdsDecideTheFlags) {
  const RebalanceInput input = ThreeNames();
  const Proposal proposal = Rebalance(input).value();
  ReviewThresholds strict{.drift = 0, .harvest_usd = 1e12, .high_turnover = 0,
                          .large_account_usd = 1};
  const ReviewSummary summary = SummarizeReview(input, proposal, strict);
  EXPECT_TRUE(Has(summary.flags, "drift"));
  EXPECT_FALSE(Has(summary.flags, "harvest"));
  EXPECT_TRUE(Has(summary.flags, "high_turnover"));
  EXPECT_TRUE(Has(summary.flags, "large_account"));
}

}  // namespace
}  // namespace arbor::review
