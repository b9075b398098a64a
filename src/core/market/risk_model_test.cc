#include "core/market/risk_model.h"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <random>

namespace arbor {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Returns drawn from a known structure: a market factor, one factor per sector, two hidden
// factors with loadings that average zero within each sector (so no industry factor can
// absorb them), and independent specific noise of known variance.
struct SyntheticUniverse {
  std::vector<RiskModelSecurity> securities;
  DailyReturns returns;
  MatrixXd true_loadings;           // n x (1 + sectors + 2)
  MatrixXd true_factor_covariance;  // daily
  VectorXd true_specific_variance;  // daily
  MatrixXd hidden_loadings;         // n x 2

  // Annualized w' Sigma w under the true model.
  double TrueVariance(const VectorXd& w) const {
    const VectorXd exposure = true_loadings.transpose() * w;
    return 252 * (exposure.dot(true_factor_covariance * exposure) +
                  (true_specific_variance.array() * w.array().square()).sum());
  }
};

SyntheticUniverse MakeUniverse(int per_sector, int days, unsigned seed = 7) {
  const std::vector<std::string> sectors = {"Energy", "Financials", "Utilities"};
  const int n = per_sector * static_cast<int>(sectors.size());
  const int factors = 1 + static_cast<int>(sectors.size()) + 2;
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> uniform(0.01, 0.025);

  SyntheticUniverse u;
  u.true_loadings = MatrixXd::Zero(n, factors);
  u.hidden_loadings = MatrixXd::Zero(n, 2);
  u.true_specific_variance.resize(n);
  for (int i = 0; i < n; ++i) {
    const int s = i / per_sector;
    u.securities.push_back({"S" + std::to_string(i), sectors[s], ""});
    u.true_loadings(i, 0) = 1;
    u.true_loadings(i, 1 + s) = 1;
    for (int h = 0; h < 2; ++h) u.hidden_loadings(i, h) = normal(rng);
    const double vol = uniform(rng);
    u.true_specific_variance[i] = vol * vol;
  }
  for (int s = 0; s < static_cast<int>(sectors.size()); ++s) {
    auto block = u.hidden_loadings.middleRows(s * per_sector, per_sector);
    block.rowwise() -= block.colwise().mean();
  }
  u.true_loadings.rightCols(2) = u.hidden_loadings;
  const VectorXd factor_vol =
      (VectorXd(factors) << 0.012, 0.006, 0.005, 0.004, 0.008, 0.006).finished();
  u.true_factor_covariance = factor_vol.array().square().matrix().asDiagonal();

  Date day = *Date::Parse("2019-01-02");
  u.returns.returns.resize(days, n);
  for (int t = 0; t < days; ++t) {
    u.returns.dates.push_back(day);
    day = day.AddDays(1);
    VectorXd f(factors);
    for (int j = 0; j < factors; ++j) f[j] = factor_vol[j] * normal(rng);
    for (int i = 0; i < n; ++i) {
      u.returns.returns(t, i) =
          u.true_loadings.row(i).dot(f) + std::sqrt(u.true_specific_variance[i]) * normal(rng);
    }
  }
  return u;
}

RiskModelOptions TwoStatisticalFactors() {
  RiskModelOptions options;
  options.statistical_factors = 2;
  return options;
}

double RSquared(const VectorXd& y, const MatrixXd& x) {
  const VectorXd fit = x * x.completeOrthogonalDecomposition().solve(y);
  return 1 - (y - fit).squaredNorm() / (y.array() - y.mean()).matrix().squaredNorm();
}

TEST(RiskModelTest, RecoversTheFactorStructure) {
  SyntheticUniverse u = MakeUniverse(/*per_sector=*/80, /*days=*/600);
  Result<RiskModel> model =
      EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, TwoStatisticalFactors());
  ASSERT_TRUE(model.ok()) << model.status().message();
  const int n = static_cast<int>(u.securities.size());

  ASSERT_EQ(model->factors.size(), 6u);
  EXPECT_EQ(model->factors[0].name, "Market");
  EXPECT_EQ(model->factors[1].name, "Energy");
  EXPECT_EQ(model->factors[4].name, "Statistical 1");
  EXPECT_EQ(model->factors[4].kind, FactorKind::kStatistical);
  EXPECT_EQ(model->window.days, 504);
  EXPECT_EQ(model->window.last, u.returns.dates.back());
  EXPECT_EQ(model->window.first, u.returns.dates[600 - 504]);

  // The estimated statistical loadings span the hidden ones.
  const MatrixXd statistical = model->loadings.rightCols(2);
  for (int h = 0; h < 2; ++h) EXPECT_GT(RSquared(u.hidden_loadings.col(h), statistical), 0.95);
  EXPECT_GT(model->stats.statistical_variance_explained, 0.2);

  // Portfolio risk matches the truth whatever the rotation of the factors.
  auto expect_close = [&](const VectorXd& w, const char* what) {
    const double truth = u.TrueVariance(w);
    EXPECT_NEAR(model->Variance(w) / truth, 1.0, 0.2) << what;
  };
  expect_close(VectorXd::Constant(n, 1.0 / n), "equal weight");
  VectorXd sector_spread = VectorXd::Zero(n);
  sector_spread.head(80).setConstant(1.0 / 80);
  sector_spread.segment(80, 80).setConstant(-1.0 / 80);
  expect_close(sector_spread, "Energy minus Financials");
  expect_close(u.hidden_loadings.col(0) / u.hidden_loadings.col(0).lpNorm<1>(), "hidden factor 1");

  // Specific variances track the true ones.
  const VectorXd truth = 252 * u.true_specific_variance;
  const double ratio = model->specific_variance.sum() / truth.sum();
  EXPECT_NEAR(ratio, 1.0, 0.1);
  const VectorXd a = model->specific_variance.array() - model->specific_variance.mean();
  const VectorXd b = truth.array() - truth.mean();
  EXPECT_GT(a.dot(b) / (a.norm() * b.norm()), 0.8);
}

TEST(RiskModelTest, FactorCovarianceIsSymmetricPsdAndSpecificVariancesPositive) {
  SyntheticUniverse u = MakeUniverse(30, 300);
  RiskModelOptions options;
  options.statistical_factors = 8;
  Result<RiskModel> model =
      EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  const MatrixXd& f = model->factor_covariance;
  ASSERT_EQ(f.rows(), 1 + 3 + 8);
  EXPECT_LT((f - f.transpose()).norm(), 1e-15 * f.norm());
  Eigen::SelfAdjointEigenSolver<MatrixXd> eigen(f);
  EXPECT_GE(eigen.eigenvalues().minCoeff(), -1e-12 * eigen.eigenvalues().maxCoeff());
  EXPECT_GT(model->specific_variance.minCoeff(), 0);
  EXPECT_GT(model->stats.factor_covariance_shrinkage, 0);
  EXPECT_LE(model->stats.factor_covariance_shrinkage, 1);
}

TEST(RiskModelTest, VarianceEqualsTheDenseCovariance) {
  SyntheticUniverse u = MakeUniverse(20, 200);
  Result<RiskModel> model =
      EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, TwoStatisticalFactors());
  ASSERT_TRUE(model.ok()) << model.status().message();
  const MatrixXd sigma = model->loadings * model->factor_covariance * model->loadings.transpose() +
                         MatrixXd(model->specific_variance.asDiagonal());
  std::mt19937 rng(3);
  std::normal_distribution<double> normal(0, 0.02);
  VectorXd active(60);
  for (int i = 0; i < 60; ++i) active[i] = normal(rng);
  EXPECT_NEAR(model->Variance(active), active.dot(sigma * active), 1e-14);
  EXPECT_NEAR(model->TrackingError(active), std::sqrt(active.dot(sigma * active)), 1e-12);
}

TEST(RiskModelTest, ShortHistoryGetsSectorAverageLoadingsAndShrunkSpecificVariance) {
  SyntheticUniverse u = MakeUniverse(40, 400);
  MatrixXd& r = u.returns.returns;
  r.col(0).head(400 - 20).setConstant(kNaN);     // listed 20 days ago
  r.col(1).setConstant(kNaN);                    // no return at all in the window
  r.col(2).segment(100, 150).setConstant(kNaN);  // a long gap, still a long history
  Result<RiskModel> model =
      EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, TwoStatisticalFactors());
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(model->stats.short_history_securities, 2);
  EXPECT_TRUE(model->loadings.allFinite());
  EXPECT_TRUE(model->factor_covariance.allFinite());
  EXPECT_TRUE(model->specific_variance.allFinite());

  // Securities 0 and 1 are Energy (0..39): their statistical loadings are the mean of the
  // other Energy names, which all have a long history.
  const VectorXd sector_mean = model->loadings.middleRows(2, 38).rightCols(2).colwise().mean();
  for (int i : {0, 1}) {
    EXPECT_LT((model->loadings.row(i).tail(2).transpose() - sector_mean).norm(), 1e-12) << i;
    EXPECT_EQ(model->loadings(i, 0), 1);  // market
    EXPECT_EQ(model->loadings(i, 1), 1);  // Energy
  }
  // With no return, the specific variance is the sector median; with 20 it leans toward it.
  std::vector<double> energy(model->specific_variance.data() + 2,
                             model->specific_variance.data() + 40);
  std::nth_element(energy.begin(), energy.begin() + 19, energy.end());
  const double upper_median = energy[19];
  const double lower_median = *std::max_element(energy.begin(), energy.begin() + 19);
  EXPECT_GT(model->specific_variance[1], 0);
  EXPECT_LE(model->specific_variance[1], upper_median * 1.1);
  EXPECT_GE(model->specific_variance[1], lower_median * 0.9);
  // The gap does not cost security 2 its own loadings.
  EXPECT_GT(std::abs(model->loadings(2, 4) - sector_mean[0]) +
                std::abs(model->loadings(2, 5) - sector_mean[1]),
            1e-6);
}

TEST(RiskModelTest, WinsorizationKeepsAnOutlierFromDominatingTheSpecificVariance) {
  SyntheticUniverse u = MakeUniverse(40, 300);
  const RiskModelOptions options = TwoStatisticalFactors();
  RiskModel clean = *EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, options);
  u.returns.returns(290, 5) = 5.0;  // +500%: a bad print or an unflagged corporate action
  RiskModel winsorized =
      *EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, options);
  RiskModelOptions no_clipping = options;
  no_clipping.winsor_sigmas = 1e9;
  RiskModel raw = *EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, no_clipping);

  EXPECT_GE(winsorized.stats.winsorized_returns, 1);
  EXPECT_EQ(raw.stats.winsorized_returns, 0);
  // Unclipped, the outlier becomes the first principal component (a factor of one security)
  // and multiplies the security's risk.
  VectorXd only_5 = VectorXd::Unit(u.securities.size(), 5);
  EXPECT_LT(winsorized.Variance(only_5) / clean.Variance(only_5), 1.5);
  EXPECT_GT(raw.Variance(only_5) / clean.Variance(only_5), 20.0);
}

TEST(RiskModelTest, UsesOnlyReturnsOnOrBeforeAsOf) {
  SyntheticUniverse u = MakeUniverse(20, 300);
  RiskModelOptions options = TwoStatisticalFactors();
  options.window_days = 100;
  const Date as_of = u.returns.dates[199];
  RiskModel model = *EstimateRiskModel(as_of, u.securities, u.returns, options);
  EXPECT_EQ(model.as_of, as_of);
  EXPECT_EQ(model.window.last, as_of);
  EXPECT_EQ(model.window.first, u.returns.dates[100]);
  EXPECT_EQ(model.window.days, 100);

  // Later returns change nothing.
  u.returns.returns.bottomRows(100).setConstant(0.5);
  RiskModel again = *EstimateRiskModel(as_of, u.securities, u.returns, options);
  EXPECT_EQ(model.factor_covariance, again.factor_covariance);
  EXPECT_EQ(model.specific_variance, again.specific_variance);
}

TEST(RiskModelTest, FactorSetIsConfigurable) {
  SyntheticUniverse u = MakeUniverse(20, 200);
  for (size_t i = 0; i < u.securities.size(); ++i) {
    u.securities[i].industry_group = i % 2 == 0 ? "Group A" : "Group B";
  }
  RiskModelOptions options;
  options.market_factor = false;
  options.industry_factors = IndustryFactors::kIndustryGroup;
  options.statistical_factors = 0;
  Result<RiskModel> model =
      EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  ASSERT_EQ(model->factors.size(), 2u);
  EXPECT_EQ(model->factors[0].name, "Group A");
  EXPECT_EQ(model->factors[1].kind, FactorKind::kIndustry);
  EXPECT_EQ(model->loadings.row(1).sum(), 1);
  EXPECT_EQ(model->loadings(1, 1), 1);
}

TEST(RiskModelTest, ErrorsNameTheDateTheSecurityOrTheOption) {
  SyntheticUniverse u = MakeUniverse(10, 100);
  Result<RiskModel> early = EstimateRiskModel(u.returns.dates[30], u.securities, u.returns);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("only 31 trading days of returns on or before " +
                                          u.returns.dates[30].ToString()),
            std::string::npos)
      << early.status().message();

  std::vector<RiskModelSecurity> unclassified = u.securities;
  unclassified[3].sector = "";
  Result<RiskModel> no_sector = EstimateRiskModel(u.returns.dates.back(), unclassified, u.returns);
  ASSERT_FALSE(no_sector.ok());
  EXPECT_NE(no_sector.status().message().find("securities[3] (S3): sector is empty"),
            std::string::npos)
      << no_sector.status().message();

  DailyReturns infinite = u.returns;
  infinite.returns(99, 4) = std::numeric_limits<double>::infinity();
  Result<RiskModel> bad = EstimateRiskModel(u.returns.dates.back(), u.securities, infinite);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("return of S4 on " + u.returns.dates[99].ToString()),
            std::string::npos)
      << bad.status().message();

  RiskModelOptions options;
  options.half_life_days = 0;
  EXPECT_NE(EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, options)
                .status()
                .message()
                .find("half_life_days"),
            std::string::npos);
  options = {};
  options.statistical_factors = 40;  // 30 securities
  Result<RiskModel> too_many =
      EstimateRiskModel(u.returns.dates.back(), u.securities, u.returns, options);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.status().message().find("41 are needed for statistical_factors = 40"),
            std::string::npos)
      << too_many.status().message();
}

// A fund of the first sector's stocks, equal weighted: regressed on the factor returns, its
// row must price it like the basket it holds (the look-through it would have with holdings).
TEST(RiskModelTest, AFundIsAProxyRowRegressedOnTheFactorReturns) {
  SyntheticUniverse u = MakeUniverse(40, 400);
  const int n = static_cast<int>(u.securities.size());
  VectorXd basket = VectorXd::Zero(n);
  basket.head(40).setConstant(1.0 / 40);
  DailyReturns with_fund = u.returns;
  with_fund.returns.conservativeResize(Eigen::NoChange, n + 1);
  with_fund.returns.col(n) = u.returns.returns * basket;
  with_fund.returns(5, n) = kNaN;  // a day without a price does not matter
  std::vector<RiskModelSecurity> securities = u.securities;
  securities.insert(securities.begin(), {.symbol = "FUND", .proxy = true});  // no sector needed
  std::vector<Eigen::Index> order = {n};
  for (int i = 0; i < n; ++i) order.push_back(i);
  with_fund.returns = with_fund.returns(Eigen::all, order).eval();

  RiskModel model =
      EstimateRiskModel(with_fund.dates.back(), securities, with_fund, TwoStatisticalFactors())
          .value();
  ASSERT_EQ(model.symbols.size(), static_cast<size_t>(n + 1));
  EXPECT_EQ(model.symbols.back(), "FUND");  // proxies follow the cross-section
  EXPECT_EQ(model.symbols.front(), "S0");

  VectorXd holdings = VectorXd::Zero(n + 1);
  holdings.head(n) = basket;
  VectorXd fund = VectorXd::Zero(n + 1);
  fund[n] = 1;
  // It moves with the basket (the market and sector factors are collinear, so the loadings
  // themselves may differ in the null direction; the covariance may not), with a small
  // specific risk: its stocks' specific returns average out over 40 names.
  const double correlation = (model.Variance(holdings + fund) - model.Variance(holdings) -
                              model.Variance(fund)) /
                             (2 * std::sqrt(model.Variance(holdings) * model.Variance(fund)));
  EXPECT_GT(correlation, 0.95);
  EXPECT_NEAR(std::sqrt(model.Variance(fund)), std::sqrt(model.Variance(holdings)),
              0.05 * std::sqrt(model.Variance(holdings)));
  EXPECT_LT(model.specific_variance[n], 0.2 * model.Variance(fund));
}

TEST(RiskModelTest, EnumNamesRoundTrip) {
  for (IndustryFactors level :
       {IndustryFactors::kNone, IndustryFactors::kSector, IndustryFactors::kIndustryGroup}) {
    EXPECT_EQ(*IndustryFactorsFromString(ToString(level)), level);
  }
  for (FactorKind kind : {FactorKind::kMarket, FactorKind::kIndustry, FactorKind::kStatistical}) {
    EXPECT_EQ(*FactorKindFromString(ToString(kind)), kind);
  }
  EXPECT_FALSE(IndustryFactorsFromString("gics").ok());
}

}  // namespace
}  // namespace arbor
