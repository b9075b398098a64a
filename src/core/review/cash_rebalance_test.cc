// Cash plans through the real rebalance: withdrawals are raised tax-aware and no proposal leaves
// cash below the plan's minimum (so never negative) after its trading costs.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/ledger/test_events.h"
#include "core/review/cash_plan.h"
#include "core/review/rebalance.h"
#include "core/review/testing/random_account.h"

namespace arbor::review {
namespace {

using arbor::testing::D;
using arbor::testing::M;

RebalanceSecurity Security(const std::string& symbol, const char* price, double target,
                           bool fractional = true) {
  return {.symbol = symbol,
          .price = *Price::Parse(price),
          .target_weight = target,
          .fractional = fractional,
          .wash_sale_group = symbol,
          .cost_rate = 0.0005};
}

RebalanceLot Lot(const char* id, const std::string& symbol, int64_t shares, const char* basis,
                 const char* acquired) {
  return {.id = id,
          .symbol = symbol,
          .shares = Shares::Units(shares),
          .basis = M(basis),
          .acquired = D(acquired),
          .holding_period_date = D(acquired)};
}

void OneFactorRisk(RebalanceInput& input) {
  const Eigen::Index n = static_cast<Eigen::Index>(input.securities.size());
  input.risk = {Eigen::MatrixXd::Ones(n, 1), Eigen::MatrixXd::Constant(1, 1, 0.04),
                Eigen::VectorXd::Constant(n, 0.01)};
}

// What the storage loader does with a plan (adapters/storage/cash_plan_loader.cc).
void Apply(const CashPlan& plan, RebalanceInput& input) {
  input.cash.withdrawal = plan.withdrawal;
  input.cash.min = plan.minimum;
  input.cash.max = plan.maximum;
}

Money CashAfterTrades(const RebalanceInput& input, const Proposal& proposal) {
  Money cash = input.cash.balance - input.cash.withdrawal;
  for (const Trade& trade : proposal.trades) {
    cash += (trade.side == TradeSide::kSell ? trade.amount : -trade.amount) - trade.cost;
  }
  return cash;
}

// A taxable account at its targets with $5,000 due on May 1 and no cash: AAA has a long-term
// gain lot and a short-term loss lot, BBB only gains. The review of April 28 raises the
// withdrawal from the loss lot (worth a deduction now) and sells no gain lot.
TEST(CashRebalanceTest, ScheduledWithdrawalIsRaisedFromLossLotsBeforeGainLots) {
  RebalanceInput input;
  input.account = "A";
  input.as_of = D("2021-04-28");
  input.securities = {Security("AAA", "100", 0.5), Security("BBB", "50", 0.5)};
  input.lots = {Lot("G1", "AAA", 100, "6000", "2018-03-01"),
                Lot("L1", "AAA", 100, "13000", "2021-01-04"),
                Lot("G2", "BBB", 400, "12000", "2018-03-01")};
  input.risk_aversion = 10;
  OneFactorRisk(input);
  CashPolicy policy;
  policy.scheduled = {{.id = "W1", .amount = M("5000"), .first_date = D("2021-01-01")}};
  const CashPlan plan = PlanCash(policy, {.as_of = input.as_of, .balance = input.cash.balance});
  ASSERT_EQ(plan.withdrawal, M("5000"));
  ASSERT_TRUE(plan.must_trade());
  Apply(plan, input);

  const Proposal proposal = Rebalance(input).value();
  Money loss_sold;
  for (const Trade& trade : proposal.trades) {
    for (const LotSale& sale : trade.lots) {
      EXPECT_LT(sale.Gain(), Money()) << trade.symbol << " " << sale.lot_id << " sold at a gain";
      loss_sold += sale.proceeds;
    }
  }
  EXPECT_GE(loss_sold, M("5000"));
  EXPECT_GE(proposal.after.cash, Money());
  EXPECT_EQ(proposal.after.cash, CashAfterTrades(input, proposal));
  EXPECT_LT(proposal.after.tax, Money());  // the withdrawal saves tax instead of costing it
}

// A withdrawal smaller than the minimum trade, in a security traded in whole shares only: the
// continuous sale rounds to nothing and would be dropped, leaving cash negative.
TEST(CashRebalanceTest, SmallWithdrawalBelowTheMinimumTradeNeverOverdraws) {
  RebalanceInput input;
  input.account = "A";
  input.as_of = D("2021-04-28");
  input.securities = {Security("AAA", "100", 0.5, false), Security("BBB", "250", 0.49, false)};
  input.lots = {Lot("G1", "AAA", 100, "6000", "2018-03-01"),
                Lot("G2", "BBB", 40, "8000", "2018-03-01")};
  input.cash.balance = M("10");
  input.min_trade = M("500");
  input.risk_aversion = 10;
  OneFactorRisk(input);
  CashPolicy policy;
  policy.requests = {
      {.id = "R1", .amount = M("30"), .due = D("2021-05-03"), .entered_at = D("2021-04-20")}};
  Apply(PlanCash(policy, {.as_of = input.as_of, .balance = input.cash.balance}), input);
  ASSERT_EQ(input.cash.withdrawal, M("30"));

  const Proposal proposal = Rebalance(input).value();
  EXPECT_GE(proposal.after.cash, Money());
  EXPECT_EQ(proposal.after.cash, CashAfterTrades(input, proposal));
  for (const Trade& trade : proposal.trades) EXPECT_GE(trade.amount, input.min_trade);
}

// Random accounts with a withdrawal and a plan minimum: after every proposal's rounding and
// costs, cash is at least the minimum, unless the solver had to lower it (the account cannot
// raise that much), and never negative.
TEST(CashRebalanceTest, RandomAccountsKeepThePlanMinimumAfterCosts) {
  int lowered = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    testing::RandomAccountShape shape = testing::RandomAccountShapeFor(seed);
    // Every other account trades whole shares with a large minimum trade and needs a small
    // withdrawal: the continuous sale rounds to nothing or falls below the minimum trade.
    const bool small = seed % 2 == 0;
    if (small) {
      shape.whole_shares = true;
      shape.min_trade_dollars = 1000;
    }
    RebalanceInput input = testing::RandomAccount(shape, seed);
    CashPolicy policy{.withdrawal_lead_days = 5};
    policy.requests = {{.id = "R1",
                        .amount = small ? input.cash.balance + M("40") : input.cash.balance,
                        .due = input.as_of.AddDays(3),
                        .entered_at = input.as_of.AddDays(-1)}};
    Apply(PlanCash(policy, {.as_of = input.as_of,
                            .balance = input.cash.balance,
                            .min = input.cash.min,
                            .max = input.cash.max}),
          input);
    Result<Proposal> proposal = Rebalance(input);
    if (!proposal.ok()) {
      EXPECT_EQ(proposal.status().code(), StatusCode::kFailedPrecondition)
          << "seed " << seed << ": " << proposal.status().message();
      continue;
    }
    const Money cash = CashAfterTrades(input, *proposal);
    EXPECT_EQ(proposal->after.cash, cash) << "seed " << seed;
    EXPECT_GE(cash, Money()) << "seed " << seed;
    const bool relaxed =
        std::any_of(proposal->relaxations.begin(), proposal->relaxations.end(),
                    [](const Relaxation& r) { return r.kind == RelaxationKind::kCashMin; });
    lowered += relaxed;
    if (!relaxed) {
      EXPECT_GE(cash, input.cash.min) << "seed " << seed;
    }
  }
  std::printf("[ cash     ] 300 accounts with a withdrawal, %d with the minimum lowered\n",
              lowered);
}

}  // namespace
}  // namespace arbor::review
