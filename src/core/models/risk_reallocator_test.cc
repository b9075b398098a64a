// The least-tracking-error QP and the screen reallocator on a small two-sector market whose
// answer is known in kind: a screened energy name's weight belongs to the other energy names.
// sp500_models_test.cc runs the same on the real S&P 500.
#include "core/models/risk_reallocator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace arbor::models {
namespace {

// Ten energy and ten technology names: a market factor, one factor per sector, and specific
// risk, with a fixed seed. "ZNEW" has no row (a name listed after the model's date).
struct Market {
  RiskModel risk;
  SecurityMaster master;
  SecurityModel index;
};

Market TwoSectorMarket() {
  Market m;
  m.risk.as_of = *Date::Parse("2021-04-21");
  m.risk.factors = {{"Market", FactorKind::kMarket},
                    {"Energy", FactorKind::kIndustry},
                    {"Information Technology", FactorKind::kIndustry}};
  m.risk.factor_covariance = Eigen::Vector3d(0.03, 0.04, 0.02).asDiagonal();
  std::mt19937 random(7);
  std::uniform_real_distribution<double> beta(0.8, 1.2), specific(0.01, 0.04), weight(1, 5);
  const int n = 20;
  m.risk.loadings = Eigen::MatrixXd::Zero(n, 3);
  m.risk.specific_variance.resize(n);
  for (int i = 0; i < n; ++i) {
    const bool energy = i < n / 2;
    const std::string symbol = (energy ? "E" : "T") + std::to_string(i);
    m.risk.symbols.push_back(symbol);
    m.risk.loadings(i, 0) = beta(random);
    m.risk.loadings(i, energy ? 1 : 2) = 1;
    m.risk.specific_variance[i] = specific(random);
    EXPECT_TRUE(m.master
                    .Add({.symbol = symbol,
                          .gics = {.sector = energy ? "Energy" : "Information Technology"}})
                    .ok());
    m.index.weights.push_back({symbol, weight(random)});
  }
  EXPECT_TRUE(m.master.Add({.symbol = "ZNEW", .gics = {.sector = "Energy"}}).ok());
  m.index.weights.push_back({"ZNEW", 2});
  double total = 0;
  for (const ModelWeight& w : m.index.weights) total += w.weight;
  for (ModelWeight& w : m.index.weights) w.weight /= total;
  m.index.name = "TOY";
  m.index.version = 2;
  return m;
}

double WeightOf(const SecurityModel& model, const std::string& symbol) {
  for (const ModelWeight& w : model.weights) {
    if (w.symbol == symbol) return w.weight;
  }
  return 0;
}

// The index without `excluded`, the rest scaled up.
Eigen::VectorXd ProRata(const TrackingProblem& problem, const std::vector<std::string>& excluded) {
  Eigen::VectorXd w = problem.benchmark();
  for (size_t i = 0; i < problem.symbols().size(); ++i) {
    if (std::count(excluded.begin(), excluded.end(), problem.symbols()[i])) w[i] = 0;
  }
  return w / w.sum();
}

TEST(TrackingProblemTest, OptimumMeetsItsOptimalityConditions) {
  const Market m = TwoSectorMarket();
  const TrackingProblem problem = TrackingProblem::Create(m.index, m.risk, m.master).value();
  EXPECT_EQ(problem.proxied(), std::vector<std::string>{"ZNEW"});
  std::vector<bool> allowed(problem.symbols().size(), true);
  allowed[0] = allowed[3] = allowed[12] = false;
  const TrackingSolution best = problem.Solve(allowed).value();
  EXPECT_NEAR(best.weights.sum(), 1, 1e-9);
  EXPECT_NEAR(best.tracking_error, problem.TrackingError(best.weights), 1e-12);
  // KKT of min (w-b)'S(w-b) s.t. sum w = 1, w >= 0, w_i = 0 where not allowed: every held name
  // has the same marginal risk, and no allowed name at zero has a smaller one.
  const Eigen::VectorXd marginal = problem.Marginal(best.weights);
  double level = 0;
  for (Eigen::Index i = 0; i < best.weights.size(); ++i) {
    if (best.weights[i] > 1e-6) level = marginal[i];
  }
  for (Eigen::Index i = 0; i < best.weights.size(); ++i) {
    if (!allowed[static_cast<size_t>(i)]) {
      EXPECT_EQ(best.weights[i], 0);
    } else if (best.weights[i] > 1e-6) {
      EXPECT_NEAR(marginal[i], level, 1e-7) << problem.symbols()[i];
    } else {
      EXPECT_GE(marginal[i], level - 1e-7) << problem.symbols()[i];
    }
  }
  EXPECT_GT(best.tracking_error, 0);
  EXPECT_FALSE(problem.Solve(std::vector<bool>(problem.symbols().size(), false)).ok());
}

TEST(RiskModelReallocatorTest, ScreenedWeightGoesToTheSameSector) {
  const Market m = TwoSectorMarket();
  const RiskModelReallocator reallocator(m.risk, m.master);
  const std::vector<std::string> excluded = {"E1", "E4"};  // sorted, as the interface asks
  const SecurityModel screened = reallocator.Reallocate(m.index, excluded).value();
  EXPECT_EQ(screened.name, "TOY");
  EXPECT_EQ(screened.version, 2);
  EXPECT_EQ(WeightOf(screened, "E1"), 0);
  EXPECT_EQ(WeightOf(screened, "E4"), 0);
  double total = 0, energy_before = 0, energy_after = 0;
  for (const ModelWeight& w : screened.weights) {
    EXPECT_GT(w.weight, 0) << w.symbol;
    total += w.weight;
    energy_after += m.master.Find(w.symbol)->gics.sector == "Energy" ? w.weight : 0;
  }
  for (const ModelWeight& w : m.index.weights) {
    energy_before += m.master.Find(w.symbol)->gics.sector == "Energy" ? w.weight : 0;
  }
  EXPECT_NEAR(total, 1, 1e-9);
  // The sector keeps nearly all of its weight; pro rata would give most of it away.
  EXPECT_NEAR(energy_after, energy_before, 0.02);
  const TrackingProblem problem = TrackingProblem::Create(m.index, m.risk, m.master).value();
  Eigen::VectorXd w = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(problem.symbols().size()));
  for (size_t i = 0; i < problem.symbols().size(); ++i) {
    w[static_cast<Eigen::Index>(i)] = WeightOf(screened, problem.symbols()[i]);
  }
  EXPECT_LT(problem.TrackingError(w), 0.8 * problem.TrackingError(ProRata(problem, excluded)));
  EXPECT_NE(screened.description.find("2 screened names"), std::string::npos);
}

TEST(RiskModelReallocatorTest, ModelWithoutScreenedNamesIsUnchanged) {
  const Market m = TwoSectorMarket();
  const RiskModelReallocator reallocator(m.risk, m.master);
  const SecurityModel same = reallocator.Reallocate(m.index, {"XOM"}).value();
  ASSERT_EQ(same.weights.size(), m.index.weights.size());
  for (size_t i = 0; i < same.weights.size(); ++i) {
    EXPECT_EQ(same.weights[i].symbol, m.index.weights[i].symbol);
    EXPECT_EQ(same.weights[i].weight, m.index.weights[i].weight);
  }
  EXPECT_EQ(reallocator.Describe(), "risk-model reallocation (model of 2021-04-21)");
}

TEST(RiskModelReallocatorTest, ScreeningEveryNameIsAnError) {
  const Market m = TwoSectorMarket();
  std::vector<std::string> all;
  for (const ModelWeight& w : m.index.weights) all.push_back(w.symbol);
  std::sort(all.begin(), all.end());
  const Result<SecurityModel> none =
      RiskModelReallocator(m.risk, m.master).Reallocate(m.index, all);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "security model 'TOY' v2: the screens exclude every name");
}

TEST(TrackingProblemTest, RejectsEmptyAndNegativeBenchmarks) {
  const Market m = TwoSectorMarket();
  SecurityModel bad = m.index;
  bad.weights[2].weight = -0.1;
  const Result<TrackingProblem> negative = TrackingProblem::Create(bad, m.risk, m.master);
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("weights[E2]"), std::string::npos);
  bad.weights.clear();
  EXPECT_FALSE(TrackingProblem::Create(bad, m.risk, m.master).ok());
}

}  // namespace
}  // namespace arbor::models
