// Cap weights from shares, splits and a scaled snapshot, worked by hand; sampling on a fixed-
// seed one-factor market. sp500_models_test.cc builds both from the real data.
#include "core/models/index_construction.h"

#include <gtest/gtest.h>

#include <random>

#include "core/models/risk_reallocator.h"

namespace arbor::models {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

double WeightOf(const SecurityModel& model, const std::string& symbol) {
  for (const ModelWeight& w : model.weights) {
    if (w.symbol == symbol) return w.weight;
  }
  return 0;
}

// 22 names S00..S21 the fund holds (1% of each company's snapshot shares) at price 10, plus:
// SPLIT (fund shares after a 2:1 split that follows the index date), SNAP (only in the
// snapshot, which predates a 3:1 split), NONE (no shares anywhere) and NOPRICE.
CapWeightInputs HandInputs() {
  CapWeightInputs in{.date = D("2021-04-21")};
  in.fund = {.fund = "FUND", .as_of = D("2024-04-04")};
  in.snapshot = {.source = "snapshot.csv", .as_of = D("2018-02-08")};
  for (int i = 0; i < 22; ++i) {
    const std::string symbol = (i < 10 ? "S0" : "S") + std::to_string(i);
    in.members.push_back(symbol);
    in.prices[symbol] = 10;
    in.fund.holdings.push_back({.symbol = symbol, .shares = 100.0 + i, .price = 1});
    in.snapshot.shares[symbol] = 100 * (100.0 + i);
  }
  in.members.insert(in.members.end(), {"SPLIT", "SNAP", "NONE", "NOPRICE"});
  in.prices["SPLIT"] = 40;
  in.fund.holdings.push_back({.symbol = "SPLIT", .shares = 200, .price = 1});
  in.snapshot.shares["SPLIT"] = 10'000;
  in.splits.push_back({"SPLIT", D("2022-06-06"), 2});
  in.prices["SNAP"] = 5;
  in.snapshot.shares["SNAP"] = 4'000;
  in.splits.push_back({"SNAP", D("2019-01-02"), 3});
  in.splits.push_back({"SNAP", D("2017-01-03"), 7});  // before the snapshot: already in it
  in.prices["NONE"] = 1;
  return in;
}

TEST(CapWeightedIndexTest, SharesCarriedThroughSplitsAndScaledToTheFund) {
  const CapWeightedIndex index = BuildCapWeightedIndex(HandInputs(), "HAND").value();
  EXPECT_DOUBLE_EQ(index.fund_ownership, 0.01);
  EXPECT_EQ(index.from_fund, 23);
  EXPECT_EQ(index.from_snapshot, 1);
  EXPECT_EQ(index.without_price, std::vector<std::string>{"NOPRICE"});
  EXPECT_EQ(index.without_shares, std::vector<std::string>{"NONE"});
  // Caps: S_i (100 + i) x 10; SPLIT 200 / 2 x 40 = 4000; SNAP 0.01 x 4000 x 3 x 5 = 600.
  double total = 4000 + 600;
  for (int i = 0; i < 22; ++i) total += (100.0 + i) * 10;
  EXPECT_NEAR(WeightOf(index.model, "SPLIT"), 4000 / total, 1e-15);
  EXPECT_NEAR(WeightOf(index.model, "SNAP"), 600 / total, 1e-15);
  EXPECT_NEAR(WeightOf(index.model, "S07"), 1070 / total, 1e-15);
  EXPECT_EQ(index.model.weights.front().symbol, "SPLIT");  // largest first
  EXPECT_EQ(index.model.effective, D("2021-04-21"));
  EXPECT_EQ(index.model.weights.size(), 24u);
}

TEST(CapWeightedIndexTest, ErrorsNameTheProblem) {
  CapWeightInputs few = HandInputs();
  few.snapshot.shares.erase("S00");
  few.snapshot.shares.erase("S01");
  few.snapshot.shares.erase("S02");
  few.snapshot.shares.erase("S03");
  const Result<CapWeightedIndex> unscaled = BuildCapWeightedIndex(few, "HAND");
  ASSERT_FALSE(unscaled.ok());
  EXPECT_NE(unscaled.status().message().find("only 19 members are in both FUND and snapshot.csv"),
            std::string::npos)
      << unscaled.status().message();

  CapWeightInputs negative = HandInputs();
  negative.prices["S05"] = -1;
  EXPECT_EQ(BuildCapWeightedIndex(negative, "HAND").status().message(),
            "prices[S05]: must be > 0, got -1.000000");

  CapWeightInputs unpriced = HandInputs();
  unpriced.prices.clear();
  EXPECT_EQ(BuildCapWeightedIndex(unpriced, "HAND").status().code(), StatusCode::kNotFound);
}

TEST(ModelFromFundPositionsTest, WeightsAreMarketValueShares) {
  FundPositions fund{.fund = "IVV", .as_of = D("2024-04-04")};
  fund.holdings = {{.symbol = "B", .market_value = 1}, {.symbol = "A", .market_value = 3}};
  const SecurityModel model = ModelFromFundPositions(fund, "SP500").value();
  ASSERT_EQ(model.weights.size(), 2u);
  EXPECT_EQ(model.weights[0].symbol, "A");
  EXPECT_DOUBLE_EQ(model.weights[0].weight, 0.75);
  EXPECT_EQ(model.effective, D("2024-04-04"));
  fund.holdings.push_back({.symbol = "A", .market_value = 1});
  EXPECT_EQ(ModelFromFundPositions(fund, "SP500").status().message(),
            "fund IVV: holdings[A]: listed twice");
}

// 80 names on one market factor plus specific risk, capitalization-like weights.
struct OneFactorMarket {
  RiskModel risk;
  SecurityMaster master;
  SecurityModel index{.name = "TOY", .version = 1, .effective = D("2021-04-21")};
};

OneFactorMarket MakeMarket() {
  OneFactorMarket m;
  m.risk.as_of = D("2021-04-21");
  m.risk.factors = {{"Market", FactorKind::kMarket}};
  m.risk.factor_covariance = Eigen::MatrixXd::Constant(1, 1, 0.04);
  std::mt19937 random(11);
  std::uniform_real_distribution<double> beta(0.6, 1.4), specific(0.01, 0.09);
  std::lognormal_distribution<double> cap(0, 1.2);
  const int n = 80;
  m.risk.loadings.resize(n, 1);
  m.risk.specific_variance.resize(n);
  double total = 0;
  for (int i = 0; i < n; ++i) {
    const std::string symbol = "N" + std::to_string(i);
    m.risk.symbols.push_back(symbol);
    m.risk.loadings(i, 0) = beta(random);
    m.risk.specific_variance[i] = specific(random);
    m.index.weights.push_back({symbol, cap(random)});
    total += m.index.weights.back().weight;
  }
  for (ModelWeight& w : m.index.weights) w.weight /= total;
  return m;
}

// TE from the dense covariance, independent of the factored form the code uses.
double DenseTrackingError(const OneFactorMarket& m, const SecurityModel& portfolio) {
  const Eigen::Index n = static_cast<Eigen::Index>(m.risk.symbols.size());
  const Eigen::MatrixXd sigma =
      m.risk.loadings * m.risk.factor_covariance * m.risk.loadings.transpose() +
      Eigen::MatrixXd(m.risk.specific_variance.asDiagonal());
  Eigen::VectorXd active(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    active[i] = WeightOf(portfolio, m.risk.symbols[i]) - WeightOf(m.index, m.risk.symbols[i]);
  }
  return std::sqrt(active.dot(sigma * active));
}

TEST(SampleIndexTest, FewerNamesTrackWorseAndEachSizeIsRespected) {
  const OneFactorMarket m = MakeMarket();
  const std::vector<SampledModel> sampled =
      SampleIndex(m.index, m.risk, m.master, {.sizes = {10, 40, 20}}).value();
  ASSERT_EQ(sampled.size(), 3u);
  EXPECT_EQ(sampled[0].model.name, "TOY-10");
  for (const SampledModel& s : sampled) {
    double total = 0;
    for (const ModelWeight& w : s.model.weights) total += w.weight;
    EXPECT_NEAR(total, 1, 1e-9);
    EXPECT_NEAR(s.tracking_error, DenseTrackingError(m, s.model), 1e-9);
    EXPECT_GT(s.solves, 0);
  }
  EXPECT_LE(sampled[0].model.weights.size(), 10u);
  EXPECT_LE(sampled[1].model.weights.size(), 40u);
  EXPECT_LE(sampled[2].model.weights.size(), 20u);
  EXPECT_GT(sampled[0].tracking_error, sampled[2].tracking_error);
  EXPECT_GT(sampled[2].tracking_error, sampled[1].tracking_error);
  EXPECT_GT(sampled[1].tracking_error, 0);
}

TEST(SampleIndexTest, SwapsNeverTrackWorse) {
  const OneFactorMarket m = MakeMarket();
  const double with_swaps =
      SampleIndex(m.index, m.risk, m.master, {.sizes = {15}}).value()[0].tracking_error;
  const double without = SampleIndex(m.index, m.risk, m.master, {.sizes = {15}, .swap_rounds = 0})
                             .value()[0]
                             .tracking_error;
  EXPECT_LE(with_swaps, without + 1e-12);
}

TEST(SampleIndexTest, RejectsSizesBelowOne) {
  const OneFactorMarket m = MakeMarket();
  EXPECT_EQ(SampleIndex(m.index, m.risk, m.master, {.sizes = {50, 0}}).status().message(),
            "sampling options: sizes: 0 is not a number of names (>= 1)");
}

}  // namespace
}  // namespace arbor::models
