#include "core/optimize/lower_bound.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/optimize/testing/random_problem.h"

namespace arbor::optimize {
namespace {

double Scale(const Solution& s) { return std::max(std::abs(s.objective()), 1e-4 * s.evaluation.normalizer); }

// With nothing changed the bound is the solved objective, up to the solver's accuracy: the
// multipliers price every constraint, so no slack is left for the expansion to find.
TEST(LowerBoundTest, UnchangedProblemIsBoundedByItsOwnObjective) {
  int solved = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const Problem problem = testing::RandomProblem(testing::RandomShape(seed), seed);
    const Solution solution = Solve(problem).value();
    if (solution.summary.status != SolveStatus::kOptimal) continue;
    ++solved;
    const double bound = ObjectiveLowerBound(problem, problem, solution);
    EXPECT_LE(bound, solution.objective() + 1e-7 * Scale(solution)) << "seed " << seed;
    EXPECT_GE(bound, solution.objective() - 1e-6 * Scale(solution)) << "seed " << seed;
  }
  EXPECT_GT(solved, 150);
}

// Opening and closing buys and lot sales at random: the bound never exceeds the optimum of the
// changed problem, solved from scratch.
TEST(LowerBoundTest, NeverAboveTheOptimumOfTheChangedProblem) {
  int compared = 0, informative = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    const Problem problem = testing::RandomProblem(testing::RandomShape(seed), seed);
    const Solution solution = Solve(problem).value();
    if (solution.summary.status != SolveStatus::kOptimal) continue;
    std::mt19937_64 random(seed);
    Problem changed = problem;
    for (SecurityInput& security : changed.securities) {
      if (random() % 4 == 0) security.may_buy = !security.may_buy;
    }
    for (LotInput& lot : changed.lots) {
      if (!lot.must_sell && random() % 4 == 0) lot.sellable = !lot.sellable;
    }
    const Solution resolved = Solve(changed).value();
    if (resolved.summary.status != SolveStatus::kOptimal) continue;
    ++compared;
    const double bound = ObjectiveLowerBound(changed, problem, solution);
    EXPECT_LE(bound, resolved.objective() + 1e-7 * Scale(resolved)) << "seed " << seed;
    if (bound > solution.objective()) ++informative;
  }
  EXPECT_GT(compared, 150);
  EXPECT_GT(informative, 0);  // some changes are ruled out without a solve
}

TEST(LowerBoundTest, OtherChangesGiveNoBound) {
  const Problem problem = testing::RandomProblem(testing::RandomShape(3), 3);
  const Solution solution = Solve(problem).value();
  Problem changed = problem;
  changed.cash.balance += 1;
  EXPECT_EQ(ObjectiveLowerBound(changed, problem, solution), -INFINITY);
}

}  // namespace
}  // namespace arbor::optimize
