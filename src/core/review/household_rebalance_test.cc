#include "core/review/household_rebalance.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/ledger/test_events.h"
#include "core/review/testing/random_account.h"
#include "core/review/testing/rule_checks.h"

namespace arbor::review {
namespace {

using arbor::testing::D;
using arbor::testing::M;

// Four stocks and a bond fund on a two-factor model (equity, rates): the stocks stand in for
// each other's market exposure, none of them for the bond fund's.
const std::vector<std::string> kSymbols = {"AAA", "BBB", "CCC", "DDD", "BND"};

RebalanceInput Account(const std::string& id, bool tax_deferred) {
  RebalanceInput input;
  input.account = id;
  input.as_of = D("2024-06-28");
  input.tax_deferred = tax_deferred;
  for (const std::string& symbol : kSymbols) {
    input.securities.push_back({.symbol = symbol,
                                .price = *Price::Parse(symbol == "BND" ? "80" : "100"),
                                .wash_sale_group = symbol,
                                .cost_rate = 0.0005});
  }
  input.min_trade = M("100");
  return input;
}

RebalanceLot Lot(const std::string& id, const std::string& symbol, int64_t shares, const char* basis,
                 const char* acquired = "2019-03-01") {
  return {.id = id, .symbol = symbol, .shares = Shares::Units(shares), .basis = M(basis),
          .acquired = D(acquired), .holding_period_date = D(acquired)};
}

RiskRows TwoFactors() {
  RiskRows risk;
  risk.loadings = Eigen::MatrixXd::Zero(5, 2);
  risk.loadings.col(0).head(4).setOnes();
  risk.loadings(4, 1) = 1;
  risk.factor_covariance = Eigen::Matrix2d{{0.03, 0.0}, {0.0, 0.004}};
  risk.specific_variance = Eigen::VectorXd::Constant(5, 0.01);
  risk.specific_variance[4] = 0.0005;
  return risk;
}

// A taxable account of the four stocks bought long ago (large gains), an IRA and a Roth of the
// bond fund: $600k of stocks and $400k of bonds, on target for 60/40.
HouseholdRebalanceInput SixtyForty() {
  HouseholdRebalanceInput input;
  input.household = "SMITH";
  input.as_of = D("2024-06-28");
  RebalanceInput taxable = Account("SMITH-TAX", false);
  for (int k = 0; k < 4; ++k) {
    taxable.lots.push_back(Lot("T" + std::to_string(k), kSymbols[k], 1500, "30000"));
  }
  RebalanceInput ira = Account("SMITH-IRA", true);
  ira.lots.push_back(Lot("I1", "BND", 3750, "330000"));
  RebalanceInput roth = Account("SMITH-ROTH", true);
  roth.lots.push_back(Lot("R1", "BND", 1250, "90000"));
  input.accounts = {taxable, ira, roth};
  input.targets = {0.15, 0.15, 0.15, 0.15, 0.40};
  input.risk_aversion = 50;
  input.risk = TwoFactors();
  return input;
}

double Sold(const Proposal& proposal) {
  double dollars = 0;
  for (const Trade& trade : proposal.trades) {
    if (trade.side == TradeSide::kSell) dollars += trade.amount.ToDouble();
  }
  return dollars;
}

double Bought(const Proposal& proposal, const std::string& symbol) {
  double dollars = 0;
  for (const Trade& trade : proposal.trades) {
    if (trade.side == TradeSide::kBuy && (symbol.empty() || trade.symbol == symbol)) dollars += trade.amount.ToDouble();
  }
  return dollars;
}

// Wash-sale exclusivity across the household (IRC 1091; IRS Pub. 550 "Wash Sales", and Rev. Rul.
// 2008-5 for purchases in an IRA): no symbol is bought in any account while a lot of it is sold
// at a loss in a taxable account. Checked from the trades alone.
std::vector<std::string> CrossAccountWashSales(const HouseholdRebalanceInput& input, const HouseholdProposal& p) {
  std::set<std::string> bought, loss_sold;
  for (size_t a = 0; a < p.accounts.size(); ++a) {
    for (const Trade& trade : p.accounts[a].trades) {
      if (trade.side == TradeSide::kBuy) bought.insert(trade.symbol);
      if (trade.side != TradeSide::kSell || input.accounts[a].tax_deferred) continue;
      for (const LotSale& lot : trade.lots) {
        if (lot.Gain() < Money()) loss_sold.insert(trade.symbol);
      }
    }
  }
  std::vector<std::string> broken;
  for (const std::string& symbol : loss_sold) {
    if (bought.count(symbol)) broken.push_back(symbol + " is bought and sold at a loss");
  }
  return broken;
}

// The product brief's tactical shift: the household template goes from 60/40 to 70/30. The
// taxable account's stocks carry large gains, so the household buys its extra equity in the IRA
// and Roth, selling bonds there, and realizes nothing in the taxable account.
TEST(HouseholdRebalanceTest, TacticalShiftHappensInTheTaxDeferredAccounts) {
  HouseholdRebalanceInput input = SixtyForty();
  input.targets = {0.175, 0.175, 0.175, 0.175, 0.30};
  const HouseholdProposal proposal = RebalanceHousehold(input).value();
  ASSERT_EQ(proposal.accounts.size(), 3u);
  const Proposal& taxable = proposal.accounts[0];
  EXPECT_EQ(Sold(taxable), 0.0) << "the taxable account realizes no gain";
  EXPECT_EQ(taxable.after.tax, Money());
  const double equity_bought = Bought(proposal.accounts[1], "") + Bought(proposal.accounts[2], "") -
                               Bought(proposal.accounts[1], "BND") - Bought(proposal.accounts[2], "BND");
  EXPECT_GT(equity_bought, 90'000);
  EXPECT_GT(Sold(proposal.accounts[1]) + Sold(proposal.accounts[2]), 90'000);
  EXPECT_LT(proposal.after.tracking_error, 0.25 * proposal.before.tracking_error);
  EXPECT_GT(proposal.score.total_dollars, 0);
  EXPECT_EQ(proposal.after.tax, Money());
  for (size_t a = 0; a < input.accounts.size(); ++a) {
    const std::vector<std::string> broken = testing::RuleViolations(input.accounts[a], proposal.accounts[a]);
    EXPECT_TRUE(broken.empty()) << input.accounts[a].account << ": " << broken.front();
  }
}

// A stock at a loss in the taxable account that the IRA would otherwise buy: the household sells
// it at a loss and buys no share of it anywhere, or buys it and keeps the loss for later; never
// both, since an IRA purchase would disallow the loss for good.
TEST(HouseholdRebalanceTest, NoPurchaseAnywhereWashesATaxableLoss) {
  HouseholdRebalanceInput input = SixtyForty();
  input.accounts[0].lots[0] = Lot("T0", "AAA", 1500, "300000", "2024-01-02");  // $150k loss
  input.accounts[0].tax_rates.federal_short_term = 0.37;
  input.targets = {0.175, 0.175, 0.175, 0.175, 0.30};
  const HouseholdProposal proposal = RebalanceHousehold(input).value();
  const std::vector<std::string> broken = CrossAccountWashSales(input, proposal);
  EXPECT_TRUE(broken.empty()) << broken.front();
  // The loss is worth far more than the risk of holding other stocks for 31 days: it is sold.
  EXPECT_GT(Sold(proposal.accounts[0]), 100'000);
  EXPECT_EQ(Bought(proposal.accounts[1], "AAA") + Bought(proposal.accounts[2], "AAA"), 0.0);
  ASSERT_FALSE(proposal.wash_sales.empty());
  EXPECT_EQ(proposal.wash_sales[0].group, "AAA");
  EXPECT_EQ(proposal.wash_sales[0].direction, Direction::kSell);
}

// A must-sell loss lot in the taxable account closes its group to buys in the IRA too.
TEST(HouseholdRebalanceTest, AMustSellLossClosesTheGroupEverywhere) {
  HouseholdRebalanceInput input = SixtyForty();
  input.accounts[0].lots[1] = Lot("T1", "BBB", 1500, "200000", "2024-01-02");
  input.accounts[0].securities[1].restriction = Restriction::kMustSell;
  input.targets = {0.20, 0.20, 0.20, 0.0, 0.40};  // BBB stays a target: the IRA would buy it
  const HouseholdProposal proposal = RebalanceHousehold(input).value();
  EXPECT_EQ(Bought(proposal.accounts[1], "BBB") + Bought(proposal.accounts[2], "BBB"), 0.0);
  EXPECT_TRUE(CrossAccountWashSales(input, proposal).empty());
}

// A required minimum distribution from the IRA is raised in the IRA, at no tax.
TEST(HouseholdRebalanceTest, AnIraWithdrawalIsRaisedInTheIra) {
  HouseholdRebalanceInput input = SixtyForty();
  input.accounts[1].cash.withdrawal = M("20000");
  const HouseholdProposal proposal = RebalanceHousehold(input).value();
  EXPECT_EQ(Sold(proposal.accounts[0]), 0.0);
  EXPECT_GE(Sold(proposal.accounts[1]), 20'000);
  EXPECT_GE(proposal.accounts[1].after.cash, Money());
}

// The household trades as one unit, so a member's score is its value's share of the household's:
// the same basis points everywhere, and dollars that add up to the household's. (Measured alone
// against the household's 60/40, the all-bond IRA would score as if it were far off target.)
TEST(HouseholdRebalanceTest, EachMemberScoresItsShareOfTheHouseholdScore) {
  HouseholdRebalanceInput input = SixtyForty();
  input.targets = {0.175, 0.175, 0.175, 0.175, 0.30};  // the shift to 70/30
  const HouseholdProposal proposal = RebalanceHousehold(input).value();
  ASSERT_GT(proposal.score.total_dollars, 0);
  const double household_bps = 1e4 * proposal.score.total_dollars / proposal.value;
  double dollars = 0, tax = 0;
  for (const Proposal& account : proposal.accounts) {
    EXPECT_NEAR(account.score.BasisPoints(account.score.total_dollars), household_bps, 1e-9) << account.account;
    dollars += account.score.total_dollars;
    tax += account.score.dollars.tax;
  }
  EXPECT_NEAR(dollars, proposal.score.total_dollars, 1e-9 * proposal.value);
  EXPECT_NEAR(tax, proposal.score.dollars.tax, 1e-9 * proposal.value);
}

// With one account, the household rebalance is the account's own rebalance.
TEST(HouseholdRebalanceTest, OneAccountGivesTheAccountsOwnProposal) {
  HouseholdRebalanceInput input = SixtyForty();
  input.accounts.resize(1);
  input.targets = {0.2, 0.2, 0.2, 0.2, 0.2};
  RebalanceInput alone = input.accounts[0];
  for (size_t i = 0; i < alone.securities.size(); ++i) alone.securities[i].target_weight = input.targets[i];
  alone.risk_aversion = input.risk_aversion;
  alone.risk = input.risk;
  input.accounts[0] = alone;
  const HouseholdProposal household = RebalanceHousehold(input).value();
  const Proposal single = Rebalance(alone).value();
  ASSERT_EQ(household.accounts[0].trades.size(), single.trades.size());
  for (size_t k = 0; k < single.trades.size(); ++k) {
    EXPECT_EQ(household.accounts[0].trades[k].symbol, single.trades[k].symbol);
    EXPECT_EQ(household.accounts[0].trades[k].shares, single.trades[k].shares);
  }
  EXPECT_NEAR(household.score.total_dollars, single.score.total_dollars, 1e-6 * household.value);
}

bool Relaxed(const Proposal& proposal, RelaxationKind kind) {
  for (const Relaxation& relaxation : proposal.relaxations) {
    if (relaxation.kind == kind) return true;
  }
  return false;
}

// Priorities (docs/rebalance-problem.md section 3): the IRA must keep $10M in cash, which it
// cannot, so the household climbs the ladder: the cash maxima first (the Roth's), then the cash
// minima (the IRA's). The Roth's maximum did not have to go once the IRA's minimum was lowered,
// so it is restored, as a single account restores a relaxation a later one made unnecessary.
TEST(HouseholdRebalanceTest, ARelaxationIsKeptOnlyWhereItIsNeeded) {
  HouseholdRebalanceInput input = SixtyForty();
  input.accounts[1].cash.min = M("10000000");
  input.accounts[2].cash.max = M("500000");
  const HouseholdProposal proposal = RebalanceHousehold(input).value();
  EXPECT_TRUE(Relaxed(proposal.accounts[1], RelaxationKind::kCashMin));
  EXPECT_FALSE(Relaxed(proposal.accounts[2], RelaxationKind::kCashMax));
  EXPECT_LE(proposal.accounts[2].after.cash, M("500000"));
  EXPECT_TRUE(proposal.relaxations.empty());
}

// Random households (a random account, a tax-deferred copy with its lots halved and a taxable
// copy with different cash, all toggles of the random account at random): no account breaks a
// rule of docs/rebalance-problem.md section 3 and no purchase anywhere washes a taxable loss.
TEST(HouseholdRebalanceTest, RandomHouseholdsNeverBreakARule) {
  int proposals = 0;
  for (uint64_t seed = 1; seed <= 80; ++seed) {
    const RebalanceInput base = testing::RandomAccount(testing::RandomAccountShapeFor(seed), seed);
    HouseholdRebalanceInput input;
    input.household = "H" + std::to_string(seed);
    input.as_of = base.as_of;
    for (const RebalanceSecurity& security : base.securities) input.targets.push_back(security.target_weight);
    input.risk_aversion = base.risk_aversion;
    input.risk = base.risk;
    input.groups = base.groups;
    RebalanceInput ira = base;
    ira.account = base.account + "-IRA";
    ira.tax_deferred = true;
    for (RebalanceLot& lot : ira.lots) {
      lot.shares = Shares::FromMicros(std::max<int64_t>(lot.shares.micros() / 2, 1));
      lot.basis = Money::FromMicros(lot.basis.micros() / 2);
    }
    RebalanceInput second = base;
    second.account = base.account + "-2";
    second.cash.balance = second.cash.balance + M("5000");
    second.cash.withdrawal = Money();
    input.accounts = {base, ira, second};
    const Result<HouseholdProposal> proposal = RebalanceHousehold(input);
    if (!proposal.ok()) continue;  // nothing feasible even relaxed: the error says why
    ++proposals;
    for (size_t a = 0; a < input.accounts.size(); ++a) {
      RebalanceInput as_rebalanced = input.accounts[a];
      for (size_t i = 0; i < as_rebalanced.securities.size(); ++i) {
        as_rebalanced.securities[i].target_weight = input.targets[i];
      }
      const std::vector<std::string> broken = testing::RuleViolations(as_rebalanced, proposal->accounts[a]);
      EXPECT_TRUE(broken.empty()) << "seed " << seed << " " << input.accounts[a].account << ": " << broken.front();
    }
    const std::vector<std::string> washed = CrossAccountWashSales(input, *proposal);
    EXPECT_TRUE(washed.empty()) << "seed " << seed << ": " << washed.front();
  }
  EXPECT_GE(proposals, 70);
}

TEST(HouseholdRebalanceTest, AccountsMustListTheSameSecurities) {
  HouseholdRebalanceInput input = SixtyForty();
  std::swap(input.accounts[2].securities[0], input.accounts[2].securities[1]);
  const Result<HouseholdProposal> proposal = RebalanceHousehold(input);
  ASSERT_FALSE(proposal.ok());
  EXPECT_NE(proposal.status().message().find("accounts[SMITH-ROTH].securities[0]"), std::string::npos)
      << proposal.status().message();
}

}  // namespace
}  // namespace arbor::review
