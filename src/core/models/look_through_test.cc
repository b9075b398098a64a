#include "core/models/look_through.h"

#include <gtest/gtest.h>

#include <random>

namespace arbor::models {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// Thirty stocks under three factors, and funds holding some of them.
struct Universe {
  std::vector<std::string> stocks;
  review::RiskRows rows;  // of `stocks`

  explicit Universe(unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal(0, 1);
    std::uniform_real_distribution<double> specific(0.01, 0.09);
    const int n = 30, k = 3;
    rows.loadings = MatrixXd(n, k);
    rows.specific_variance = VectorXd(n);
    for (int i = 0; i < n; ++i) {
      stocks.push_back("S" + std::to_string(i));
      for (int j = 0; j < k; ++j) rows.loadings(i, j) = (j == 0 ? 1.0 : 0.0) + 0.5 * normal(rng);
      rows.specific_variance[i] = specific(rng);
    }
    const MatrixXd a = MatrixXd::Random(k, k) * 0.2;
    rows.factor_covariance = a * a.transpose() + 0.01 * MatrixXd::Identity(k, k);
  }

  // The rows of some of the stocks, plus zero rows for funds (what a plain model would miss).
  review::RiskRows RowsOf(const std::vector<std::string>& symbols) const {
    review::RiskRows out{MatrixXd::Zero(symbols.size(), rows.loadings.cols()), rows.factor_covariance,
                         VectorXd::Constant(symbols.size(), 0.5)};
    for (size_t i = 0; i < symbols.size(); ++i) {
      auto s = std::find(stocks.begin(), stocks.end(), symbols[i]);
      if (s == stocks.end()) continue;
      out.loadings.row(i) = rows.loadings.row(s - stocks.begin());
      out.specific_variance[i] = rows.specific_variance[s - stocks.begin()];
    }
    return out;
  }

  // w' Sigma w with every fund replaced by its holdings: the true variance.
  double ExactVariance(const std::vector<std::string>& symbols, const VectorXd& w,
                       const std::vector<FundHoldings>& funds) const {
    VectorXd e = VectorXd::Zero(stocks.size());
    for (size_t i = 0; i < symbols.size(); ++i) {
      auto s = std::find(stocks.begin(), stocks.end(), symbols[i]);
      if (s != stocks.end()) e[s - stocks.begin()] += w[i];
      for (const FundHoldings& f : funds) {
        if (f.fund != symbols[i]) continue;
        for (const ModelWeight& h : f.weights) {
          e[std::find(stocks.begin(), stocks.end(), h.symbol) - stocks.begin()] += h.weight * w[i];
        }
      }
    }
    const VectorXd x = rows.loadings.transpose() * e;
    return x.dot(rows.factor_covariance * x) + (rows.specific_variance.array() * e.array().square()).sum();
  }
};

double ModelVariance(const review::RiskRows& rows, const VectorXd& w) {
  const VectorXd x = rows.loadings.transpose() * w;
  return x.dot(rows.factor_covariance * x) + (rows.specific_variance.array() * w.array().square()).sum();
}

FundHoldings Fund(const std::string& name, const Universe& u, int first, int last, double invested) {
  FundHoldings fund{.fund = name};
  double total = 0;
  for (int i = first; i <= last; ++i) total += 1.0 + i % 4;
  for (int i = first; i <= last; ++i) {
    fund.weights.push_back({u.stocks[i], invested * (1.0 + i % 4) / total});
  }
  return fund;
}

review::RiskRows LookThroughFor(const Universe& u, const std::vector<std::string>& symbols,
                                const std::vector<FundHoldings>& funds, int max_overlap,
                                LookThroughReport* report) {
  const std::vector<std::string> constituents = ConstituentsOf(funds);
  return LookThrough(u.RowsOf(symbols), symbols, funds, constituents, u.RowsOf(constituents),
                     {.max_overlap_factors = max_overlap}, report);
}

TEST(LookThroughTest, EveryPortfolioHasItsExactVarianceWhenTheOverlapsFit) {
  Universe u(3);
  // Two overlapping funds (S0-S19 and S10-S29, 2% cash each) and eight stocks held directly,
  // six of them inside the funds.
  const std::vector<FundHoldings> funds = {Fund("FUNDA", u, 0, 19, 0.98),
                                           Fund("FUNDB", u, 10, 29, 0.98)};
  const std::vector<std::string> symbols = {"FUNDA", "S2", "S5", "S11", "S12", "FUNDB",
                                            "S25", "S27", "OTHER"};
  LookThroughReport report;
  const review::RiskRows rows = LookThroughFor(u, symbols, funds, 60, &report);
  EXPECT_EQ(report.funds, (std::vector<std::string>{"FUNDA", "FUNDB"}));
  EXPECT_EQ(report.overlap_factors, 6);
  EXPECT_EQ(report.dropped_overlap_covariance, 0);
  EXPECT_EQ(rows.loadings.cols(), 3 + 6 + 2);

  std::mt19937 rng(11);
  std::normal_distribution<double> normal(0, 0.2);
  for (int trial = 0; trial < 50; ++trial) {
    VectorXd w(symbols.size());
    for (auto& x : w) x = normal(rng);
    w[symbols.size() - 1] = 0;  // OTHER is not a stock of the universe
    EXPECT_NEAR(ModelVariance(rows, w), u.ExactVariance(symbols, w, funds), 1e-12);
  }
}

TEST(LookThroughTest, AFundHeldAgainstItsOwnHoldingsAsTargetsHasNoTrackingError) {
  Universe u(5);
  const std::vector<FundHoldings> funds = {Fund("IDX", u, 0, 29, 1.0)};
  std::vector<std::string> symbols = {"IDX"};
  for (const std::string& s : u.stocks) symbols.push_back(s);
  LookThroughReport report;
  const review::RiskRows rows = LookThroughFor(u, symbols, funds, 60, &report);
  VectorXd active = VectorXd::Zero(symbols.size());  // hold the fund, target its holdings
  active[0] = 1;
  for (const ModelWeight& h : funds[0].weights) {
    active[std::find(symbols.begin(), symbols.end(), h.symbol) - symbols.begin()] -= h.weight;
  }
  EXPECT_NEAR(ModelVariance(rows, active), 0, 1e-14);
  // Without look-through the same fund would look like an unrelated, risky security.
  EXPECT_GT(ModelVariance(u.RowsOf(symbols), active), 0.1);
}

TEST(LookThroughTest, OverlapsBeyondTheLimitDropOnlyTheirCrossTermAndAreReported) {
  Universe u(7);
  const std::vector<FundHoldings> funds = {Fund("IDX", u, 0, 29, 0.99)};
  std::vector<std::string> symbols = {"IDX"};
  for (int i = 0; i < 10; ++i) symbols.push_back(u.stocks[i]);
  LookThroughReport report;
  const review::RiskRows rows = LookThroughFor(u, symbols, funds, 4, &report);
  EXPECT_EQ(report.overlap_factors, 4);
  EXPECT_GT(report.dropped_overlap_covariance, 0);
  // The fund alone and each stock alone are still exact; only fund-stock pairs beyond the
  // four largest overlaps lose their (small) shared specific covariance.
  for (size_t i = 0; i < symbols.size(); ++i) {
    VectorXd w = VectorXd::Zero(symbols.size());
    w[i] = 1;
    EXPECT_NEAR(ModelVariance(rows, w), u.ExactVariance(symbols, w, funds), 1e-12) << symbols[i];
  }
  VectorXd pair = VectorXd::Zero(symbols.size());
  pair[0] = 1;
  pair[10] = -1;
  const double exact = u.ExactVariance(symbols, pair, funds);
  EXPECT_NE(ModelVariance(rows, pair), exact);
  EXPECT_NEAR(ModelVariance(rows, pair), exact, 2 * report.dropped_overlap_covariance);
}

TEST(LookThroughTest, FundsWithoutHoldingsKeepTheirRows) {
  Universe u(9);
  const std::vector<std::string> symbols = {"S1", "AGG"};
  LookThroughReport report;
  const review::RiskRows before = u.RowsOf(symbols);
  const review::RiskRows rows = LookThrough(before, symbols, {}, {}, u.RowsOf({}), {}, &report);
  EXPECT_TRUE(report.funds.empty());
  EXPECT_EQ(rows.loadings, before.loadings);
  EXPECT_EQ(rows.specific_variance, before.specific_variance);
}

}  // namespace
}  // namespace arbor::models
