// Whole-portfolio ("true UMA") scenarios through the real rebalance: a fund the account holds is
// priced as the basket it holds (core/models/look_through.h), so the optimizer implements the
// client's target around it instead of counting its stocks twice.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/models/look_through.h"
#include "core/review/rebalance.h"

namespace arbor {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr int kStocks = 30;

Date D(const char* text) { return *Date::Parse(text); }

// Thirty stocks in three sectors under a market and three sector factors; FUND holds all of them
// at the target's (cap) weights. The account is an IRA so that tax plays no part.
struct Scenario {
  review::RebalanceInput input;
  std::vector<std::string> symbols;  // of input.securities, FUND first
  models::FundHoldings fund{.fund = "FUND", .as_of = D("2021-03-31")};
  review::RiskRows stock_rows;       // of the 30 stocks

  Scenario() {
    std::mt19937 rng(17);
    std::uniform_real_distribution<double> cap(1, 10), specific(0.02, 0.08), beta(0.8, 1.2);
    std::vector<double> caps(kStocks);
    double total = 0;
    for (double& c : caps) total += c = cap(rng);
    stock_rows = {MatrixXd::Zero(kStocks, 4), MatrixXd::Zero(4, 4), VectorXd(kStocks)};
    stock_rows.factor_covariance.diagonal() << 0.03, 0.01, 0.01, 0.01;
    for (int k = 0; k < kStocks; ++k) {
      stock_rows.loadings(k, 0) = beta(rng);
      stock_rows.loadings(k, 1 + k % 3) = 1;
      stock_rows.specific_variance[k] = specific(rng);
      fund.weights.push_back({"S" + std::to_string(k), caps[k] / total});
    }
    input.account = "IRA";
    input.as_of = D("2021-04-21");
    input.tax_deferred = true;
    input.risk_aversion = 50;
    input.min_trade = Money::Units(1);
    symbols.push_back("FUND");
    input.securities.push_back({.symbol = "FUND", .price = *Price::Parse("100"),
                                .restriction = review::Restriction::kHold,
                                .wash_sale_group = "FUND"});
    for (int k = 0; k < kStocks; ++k) {
      const std::string s = "S" + std::to_string(k);
      symbols.push_back(s);
      input.securities.push_back({.symbol = s, .price = *Price::Parse("50"),
                                  .target_weight = fund.weights[k].weight, .wash_sale_group = s,
                                  .cost_rate = 0.0005});
    }
    // A legacy block of the fund, 40% of the account, that the client will not sell; the rest
    // is cash to invest.
    input.lots.push_back({.id = "#1", .symbol = "FUND", .shares = Shares::Units(4'000),
                          .basis = Money::Units(200'000), .acquired = D("2015-06-01"),
                          .holding_period_date = D("2015-06-01")});
    input.cash.balance = Money::Units(600'000);
  }

  // Without look-through: the fund gets the market loading and a specific risk of its own, as a
  // returns-based proxy would, unrelated to its stocks' specific risk.
  review::RiskRows PlainRows() const {
    review::RiskRows rows{MatrixXd::Zero(kStocks + 1, 4), stock_rows.factor_covariance,
                          VectorXd(kStocks + 1)};
    rows.loadings.bottomRows(kStocks) = stock_rows.loadings;
    rows.specific_variance.tail(kStocks) = stock_rows.specific_variance;
    VectorXd h(kStocks);
    for (int k = 0; k < kStocks; ++k) h[k] = fund.weights[k].weight;
    rows.loadings.row(0) = h.transpose() * stock_rows.loadings;
    rows.specific_variance[0] = (h.array().square() * stock_rows.specific_variance.array()).sum();
    return rows;
  }

  review::RiskRows LookThroughRows(models::LookThroughReport* report) const {
    std::vector<std::string> constituents = models::ConstituentsOf({fund});
    // Constituents sort as S0, S1, S10, ...: reorder the stock rows to match.
    review::RiskRows rows{MatrixXd(kStocks, 4), stock_rows.factor_covariance, VectorXd(kStocks)};
    for (int i = 0; i < kStocks; ++i) {
      const int k = std::stoi(constituents[i].substr(1));
      rows.loadings.row(i) = stock_rows.loadings.row(k);
      rows.specific_variance[i] = stock_rows.specific_variance[k];
    }
    return models::LookThrough(PlainRows(), symbols, {fund}, constituents, rows, {}, report);
  }
};

// The stocks bought, as fractions of the account.
std::map<std::string, double> Bought(const review::Proposal& p) {
  std::map<std::string, double> out;
  for (const review::Trade& t : p.trades) {
    if (t.side == review::TradeSide::kBuy) out[t.symbol] += t.amount.ToDouble() / p.account_value;
  }
  return out;
}

TEST(LookThroughRebalanceTest, ALegacyFundBlockIsNotCountedTwice) {
  Scenario s;
  models::LookThroughReport report;
  s.input.risk = s.LookThroughRows(&report);
  EXPECT_EQ(report.overlap_factors, kStocks);
  const review::Proposal p = review::Rebalance(s.input).value();
  // The fund already holds 40% of every target name: the rebalance buys only the other 60%,
  // name by name, and the whole portfolio then tracks the target.
  const std::map<std::string, double> bought = Bought(p);
  for (int k = 0; k < kStocks; ++k) {
    const std::string symbol = "S" + std::to_string(k);
    const double target = s.fund.weights[k].weight;
    EXPECT_NEAR(bought.count(symbol) ? bought.at(symbol) : 0.0, 0.6 * target, 0.0015) << symbol;
  }
  EXPECT_LT(p.after.tracking_error, 0.003);
}

TEST(LookThroughRebalanceTest, WithoutLookThroughTheSameBlockLooksLikeATrackingError) {
  Scenario s;
  s.input.risk = s.PlainRows();
  const review::Proposal plain = review::Rebalance(s.input).value();
  models::LookThroughReport report;
  s.input.risk = s.LookThroughRows(&report);
  const review::Proposal looked = review::Rebalance(s.input).value();
  // Priced as an unrelated basket, the fund's specific risk does not offset the stocks': the
  // optimizer's own view of the result is worse, and it buys a different portfolio.
  EXPECT_GT(plain.after.tracking_error, 3 * looked.after.tracking_error);
}

TEST(LookThroughRebalanceTest, AnUnsellableStockBlockIsOffsetThroughWhatMovesLikeIt) {
  Scenario s;
  s.input.risk = s.PlainRows();
  // No fund this time: a legacy block of S0 worth 10% of the account that may not be sold.
  s.input.lots[0] = {.id = "#1", .symbol = "S0", .shares = Shares::Units(2'000),
                     .basis = Money::Units(10'000), .acquired = D("2010-01-04"),
                     .holding_period_date = D("2010-01-04")};
  s.input.securities[0].restriction = review::Restriction::kNone;
  s.input.securities[1].restriction = review::Restriction::kHold;
  s.input.cash.balance = Money::Units(900'000);
  const review::Proposal p = review::Rebalance(s.input).value();
  const std::map<std::string, double> bought = Bought(p);
  // Names in S0's sector (S3, S6, ...) are bought further below their targets than the others.
  double same = 0, other = 0;
  int same_count = 0, other_count = 0;
  for (int k = 1; k < kStocks; ++k) {
    const std::string symbol = "S" + std::to_string(k);
    const double held = bought.count(symbol) ? bought.at(symbol) : 0.0;
    const double shortfall = (s.fund.weights[k].weight - held) / s.fund.weights[k].weight;
    (k % 3 == 0 ? same : other) += shortfall;
    (k % 3 == 0 ? same_count : other_count) += 1;
  }
  EXPECT_GT(same / same_count, other / other_count + 0.05);
}

}  // namespace
}  // namespace arbor
