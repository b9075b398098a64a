#include "core/optimize/solver.h"

#include <gtest/gtest.h>

#include <string>

#include "core/optimize/testing/random_problem.h"

namespace arbor::optimize {
namespace {

Problem OneSecurity(double price, double target, double cash) {
  Problem p;
  p.securities.push_back({.symbol = "AAA", .price = price, .target_weight = target});
  p.cash.balance = cash;
  p.cash.min = 0.0;
  p.risk.loadings = Eigen::MatrixXd::Zero(1, 0);
  p.risk.factor_covariance = Eigen::MatrixXd::Zero(0, 0);
  p.risk.specific_variance = Eigen::VectorXd::Constant(1, 0.04);
  return p;
}

void ExpectCertified(const Solution& s) {
  EXPECT_EQ(s.summary.status, SolveStatus::kOptimal) << s.summary.message;
  EXPECT_LE(s.summary.primal_residual, 1e-9);
  EXPECT_LE(s.summary.dual_residual, 1e-9);
  EXPECT_LE(s.summary.gap, 1e-9);
  EXPECT_LE(s.evaluation.max_violation_dollars, 1e-9 * s.evaluation.normalizer) << s.evaluation.worst_violation;
}

TEST(SolverTest, HarvestsALossLotWhenRiskIsFree) {
  Problem p = OneSecurity(50, 0.9, 1000);
  p.securities[0].cost_rate = 0.001;
  p.lots.push_back({.id = "L1", .security = 0, .shares = 100, .cost_basis_per_share = 80, .tax_rate = 0.3});
  Solution s = Solve(p).value();
  ExpectCertified(s);
  EXPECT_NEAR(s.sells[0], 100, 1e-6);
  EXPECT_NEAR(s.buys[0], 0, 1e-6);
  // tax = 0.3 * (50 - 80) * 100 = -900; cost = 0.001 * 5000 = 5
  EXPECT_NEAR(s.objective(), -895, 1e-6);
}

TEST(SolverTest, BuysToTargetFromCash) {
  Problem p = OneSecurity(25, 0.5, 10000);
  p.risk.aversion = 10;
  Solution s = Solve(p).value();
  ExpectCertified(s);
  EXPECT_NEAR(s.buys[0], 200, 1e-4);  // half of $10,000 at $25
  EXPECT_NEAR(s.evaluation.cash_after, 5000, 1e-3);
  EXPECT_NEAR(s.objective(), 0, 1e-6);
}

TEST(SolverTest, CashMinimumOutOfReachIsInfeasibleNamingCash) {
  Problem p = OneSecurity(25, 0.5, 100);
  p.lots.push_back({.id = "L1", .security = 0, .shares = 10, .cost_basis_per_share = 20, .tax_rate = 0.2});
  p.cash.min = 1000.0;
  Solution s = Solve(p).value();
  EXPECT_EQ(s.summary.status, SolveStatus::kInfeasible);
  EXPECT_NE(s.summary.message.find("cash"), std::string::npos) << s.summary.message;
}

TEST(SolverTest, CashAndTaxBudgetInConflictAreNamedTogether) {
  // Raising $1,000 needs selling gain lots, but the tax budget allows no tax.
  Problem p = OneSecurity(25, 0.5, 100);
  p.lots.push_back({.id = "L1", .security = 0, .shares = 100, .cost_basis_per_share = 5, .tax_rate = 0.2});
  p.cash.min = 1000.0;
  p.tax_budget = 10.0;
  Solution s = Solve(p).value();
  EXPECT_EQ(s.summary.status, SolveStatus::kInfeasible);
  EXPECT_NE(s.summary.message.find("cash"), std::string::npos) << s.summary.message;
  EXPECT_NE(s.summary.message.find("tax budget"), std::string::npos) << s.summary.message;
}

// The example of docs/rebalance-problem.md section 2: a group bound and a cash minimum that
// both bind. An early version wrongly reported it infeasible; the optimum was confirmed with an
// independent solver (tests/optimize).
TEST(SolverTest, SpecExampleWithBindingGroupBoundAndCashMinimum) {
  Problem p;
  p.securities.push_back({.symbol = "AAA", .price = 101.5, .target_weight = 0.55, .cost_rate = 0.0005});
  p.securities.push_back({.symbol = "BBB", .price = 47.2, .target_weight = 0.44});
  p.lots.push_back({.id = "L1", .security = 0, .shares = 30, .cost_basis_per_share = 80, .tax_rate = 0.238});
  p.cash.balance = 2500;
  p.cash.min = 500.0;
  p.risk.aversion = 100;
  p.risk.factor_covariance = Eigen::MatrixXd{{0.04, 0.0}, {0.0, 0.01}};
  p.risk.loadings = Eigen::MatrixXd{{1.0, 0.2}, {0.9, -0.4}};
  p.risk.specific_variance = Eigen::Vector2d(0.02, 0.03);
  p.groups.push_back({.name = "Tech", .members = {0}, .penalty = 0.5, .max_active = 0.05});
  Solution s = Solve(p).value();
  ExpectCertified(s);
  EXPECT_NEAR(s.objective(), 114.052114, 1e-5);
  EXPECT_NEAR(s.evaluation.cash_after, 500, 1e-6);
}

TEST(SolverTest, WarmStartOfTheWrongSizeIsRejectedAndARightOneConverges) {
  Problem p = OneSecurity(25, 0.5, 10000);
  p.risk.aversion = 10;
  SolverOptions options;
  options.warm_start_buys = Eigen::VectorXd::Constant(2, 1.0);
  Result<Solution> wrong = Solve(p, options);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("warm_start_buys"), std::string::npos);
  options.warm_start_buys = Eigen::VectorXd::Constant(1, 190.0);
  Solution s = Solve(p, options).value();
  ExpectCertified(s);
  EXPECT_NEAR(s.buys[0], 200, 1e-4);
}

// The dual Newton method (dual_newton.h) carries a 500-name direct index: certified, with the
// interior point's objective.
TEST(SolverTest, DualNewtonSolvesABenchmarkAccountToTheInteriorPointsObjective) {
  const Problem p = testing::BenchmarkAccount(500, 20, 5, 1);
  const Solution fast = Solve(p).value();
  ExpectCertified(fast);
  EXPECT_EQ(std::string(fast.summary.method), "dual Newton");
  SolverOptions interior_point;
  interior_point.method = SolverOptions::Method::kInteriorPoint;
  const Solution reference = Solve(p, interior_point).value();
  ExpectCertified(reference);
  EXPECT_EQ(std::string(reference.summary.method), "interior point");
  EXPECT_NEAR(fast.objective(), reference.objective(), 1e-7 * std::abs(reference.objective()));
}

// The dual method's multipliers of the global rows are the interior point's: the lower bounds
// of lower_bound.h read them. (A weight bound's may differ where a name is sold out at a
// weight minimum of 0: the lots' bounds and the weight bound bind together, and any split of
// the multiplier between them is optimal.)
TEST(SolverTest, DualNewtonMultipliersMatchTheInteriorPoints) {
  const Problem p = testing::BenchmarkAccount(200, 10, 5, 2);
  const Solution fast = Solve(p).value();
  ASSERT_EQ(std::string(fast.summary.method), "dual Newton");
  SolverOptions interior_point;
  interior_point.method = SolverOptions::Method::kInteriorPoint;
  const Solution reference = Solve(p, interior_point).value();
  const Multipliers& a = fast.multipliers;
  const Multipliers& b = reference.multipliers;
  EXPECT_NEAR(a.cash, b.cash, 1e-6);
  EXPECT_NEAR(a.tax_budget, b.tax_budget, 1e-6);
  EXPECT_LE((a.group_bound - b.group_bound).lpNorm<Eigen::Infinity>(), 1e-6);
  EXPECT_LE((a.group_drift - b.group_drift).lpNorm<Eigen::Infinity>(), 1e-6);
}

// Without specific variance on a traded security the per-security minimizers are not unique:
// the interior-point method solves it.
TEST(SolverTest, ZeroSpecificVarianceFallsBackToTheInteriorPoint) {
  Problem p = OneSecurity(50, 0.9, 1000);
  p.risk.aversion = 1;
  p.risk.specific_variance[0] = 0;
  p.risk.loadings = Eigen::MatrixXd::Ones(1, 1);  // all its risk is the factor's
  p.risk.factor_covariance = Eigen::MatrixXd::Constant(1, 1, 0.04);
  const Solution s = Solve(p).value();
  ExpectCertified(s);
  EXPECT_EQ(std::string(s.summary.method), "interior point");
  EXPECT_NEAR(s.buys[0] * 50, 900, 1e-4);  // free to trade: straight to the target
}

}  // namespace
}  // namespace arbor::optimize
