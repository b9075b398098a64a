// Checks the checkers: the Ipopt oracle against the reference optima of
// shared/docs/reference-problems, Ipopt against Clp on random LPs, and the random generator's
// promises (deterministic, feasible, infeasible variants infeasible) against Clp's simplex.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "adapters/io/problem_json.h"
#include "clp_oracle.h"
#include "core/optimize/testing/random_problem.h"
#include "ipopt_oracle.h"

namespace arbor::optimize::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kReferenceDir = fs::path(ARBOR_SHARED_DATA_DIR) / "../docs/reference-problems";

double RelativeDifference(double a, double b) {
  return std::abs(a - b) / std::max(1.0, std::abs(b));
}

TEST(IpoptOracle, FindsTheReferenceOptima) {
  std::ifstream expected_file(kReferenceDir / "expected.json");
  const json expected = json::parse(expected_file);
  ASSERT_EQ(expected.size(), 8u);
  for (const json& reference : expected) {
    const std::string file = reference["file"];
    SCOPED_TRACE(file);
    std::ifstream problem_file(kReferenceDir / file);
    const Result<Problem> problem =
        ParseProblemText(std::string(std::istreambuf_iterator<char>(problem_file), {}));
    ASSERT_TRUE(problem.ok()) << problem.status().message();
    const DenseQpSolution solution = SolveWithIpopt(*problem);
    ASSERT_TRUE(solution.certified_optimal) << solution.status;
    const double difference =
        RelativeDifference(solution.objective, reference["objective"].get<double>());
    std::printf("%s: Ipopt %.6f, expected %.6f, relative difference %.2e, %d iterations\n",
                file.c_str(), solution.objective, reference["objective"].get<double>(), difference,
                solution.iterations);
    EXPECT_LT(difference, 1e-7);
    EXPECT_LT(solution.max_violation, 1e-9 * FormulateDenseQp(*problem).normalizer);
  }
}

TEST(IpoptOracle, AgreesWithClpOnRandomLps) {
  int compared = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RandomProblemShape shape = RandomShape(seed);
    shape.linear = true;
    const Problem problem = RandomProblem(shape, seed);
    const DenseQpSolution clp = SolveLpWithClp(problem);
    const DenseQpSolution ipopt = SolveWithIpopt(problem);
    ASSERT_TRUE(clp.certified_optimal) << clp.status;
    if (!ipopt.certified_optimal) continue;
    ++compared;
    EXPECT_LE(std::abs(ipopt.objective - clp.objective),
              std::max(1e-7 * std::abs(clp.objective), 1e-6))
        << "Ipopt " << ipopt.objective << ", Clp " << clp.objective;
  }
  EXPECT_GE(compared, 55);  // Ipopt must certify nearly all of them to be a useful oracle
}

TEST(RandomProblem, IsDeterministic) {
  for (uint64_t seed : {1u, 2u, 99u}) {
    const RandomProblemShape shape = RandomShape(seed);
    const Problem a = RandomProblem(shape, seed);
    const Problem b = RandomProblem(shape, seed);
    ASSERT_EQ(a.num_lots(), b.num_lots());
    ASSERT_EQ(a.num_securities(), b.num_securities());
    for (int i = 0; i < a.num_securities(); ++i) {
      EXPECT_EQ(a.securities[i].price, b.securities[i].price);
    }
    for (int j = 0; j < a.num_lots(); ++j) EXPECT_EQ(a.lots[j].shares, b.lots[j].shares);
    EXPECT_EQ(a.risk.factor_covariance, b.risk.factor_covariance);
  }
  // A fixed value pins the generator across platforms and library versions.
  const Problem pinned = RandomProblem(RandomProblemShape{}, 12345);
  EXPECT_EQ(pinned.securities[0].price, 124.31) << "pin: " << pinned.securities[0].price;
}

TEST(RandomProblem, HasRealisticMagnitudes) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    const Problem problem = RandomProblem(RandomShape(seed), seed);
    const double v = FormulateDenseQp(problem).normalizer;
    EXPECT_GT(v, 40e3) << seed;
    EXPECT_LT(v, 25e6) << seed;
    double targets = 0;
    for (const SecurityInput& security : problem.securities) {
      EXPECT_GE(security.price, 10.0);
      EXPECT_LE(security.price, 500.0);
      targets += security.target_weight;
    }
    EXPECT_GE(targets, 0.95 - 1e-12);
    EXPECT_LE(targets, 1.0 + 1e-12);
    if (problem.num_factors() > 0) {
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(problem.risk.factor_covariance);
      EXPECT_GE(eigen.eigenvalues().minCoeff(), -1e-12) << seed;
    }
  }
}

TEST(RandomProblem, IsFeasible) {
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    const DenseQpSolution lp = SolveLpWithClp(RandomProblem(RandomShape(seed), seed));
    EXPECT_TRUE(lp.certified_optimal) << "seed " << seed << ": " << lp.status;
  }
  EXPECT_TRUE(SolveLpWithClp(BenchmarkAccount(500, 20, 5, 1)).certified_optimal);
}

TEST(InfeasibleProblem, IsInfeasible) {
  for (InfeasibleKind kind : kAllInfeasibleKinds) {
    for (uint64_t seed = 1; seed <= 25; ++seed) {
      const DenseQpSolution lp = SolveLpWithClp(InfeasibleProblem(kind, seed).problem);
      EXPECT_TRUE(lp.proven_infeasible) << NameOf(kind) << " seed " << seed << ": " << lp.status;
    }
  }
}

// The conflicting kinds must be conflicts: lifting either side leaves a feasible problem.
TEST(InfeasibleProblem, ConflictsAreBetweenConstraintsThatHoldAlone) {
  auto feasible = [](const Problem& problem) { return SolveLpWithClp(problem).certified_optimal; };
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    for (InfeasibleKind kind :
         {InfeasibleKind::kCashAgainstTaxBudget, InfeasibleKind::kCashAgainstTurnover}) {
      Problem without_cash_minimum = InfeasibleProblem(kind, seed).problem;
      without_cash_minimum.cash.min = 0.0;
      Problem without_other_side = InfeasibleProblem(kind, seed).problem;
      without_other_side.tax_budget = without_other_side.turnover_max = std::nullopt;
      EXPECT_TRUE(feasible(without_cash_minimum)) << NameOf(kind);
      EXPECT_TRUE(feasible(without_other_side)) << NameOf(kind);
    }
    const Problem groups = InfeasibleProblem(InfeasibleKind::kConflictingGroupBounds, seed).problem;
    for (size_t lifted = groups.groups.size() - 2; lifted < groups.groups.size(); ++lifted) {
      Problem relaxed = groups;
      relaxed.groups[lifted].max_active.reset();
      EXPECT_TRUE(feasible(relaxed)) << "without the bound of " << relaxed.groups[lifted].name;
    }
  }
}

}  // namespace
}  // namespace arbor::optimize::testing
