// SolveHousehold() against independent solvers on random households (docs/rebalance-problem.md
// section 4): 2-5 accounts of mixed types, a 401k with a small menu, per-account cash bounds,
// cost rates and restrictions, asset-location terms and per-account drift penalties, under the
// household's weight, group, tax and turnover bounds. The oracle is the household written out as
// one dense QP (dense_qp.h), solved by Ipopt with active-set polishing, or by Clp's simplex when
// there is no risk term. SolveHousehold() must report optimal with the spec's accuracy: objective
// within 1e-7 relative (or 1e-6 dollars) of the oracle's, no constraint violated by more than
// 1e-9 * V_H by EvaluateHousehold(). Infeasible households must come back infeasible, and a
// household of one account must give what Solve() gives for that account.
//
// A failure names the seed: RandomHouseholdProblem(RandomHouseholdShape(seed), seed) rebuilds it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "clp_oracle.h"
#include "core/optimize/household_problem.h"
#include "core/optimize/solver.h"
#include "core/optimize/testing/dense_qp.h"
#include "core/optimize/testing/random_problem.h"
#include "ipopt_oracle.h"

namespace arbor::optimize::testing {
namespace {

constexpr double kRelativeTolerance = 1e-7;
constexpr double kDollarTolerance = 1e-6;
constexpr double kViolationTolerance = 1e-9;  // of V_H
constexpr double kTradeTolerance = 1e-6;      // of V, dollars of any one trade

double ObjectiveTolerance(double reference) {
  return std::max(kRelativeTolerance * std::abs(reference), kDollarTolerance);
}

std::string Describe(const HouseholdProblem& problem) {
  int lots = 0;
  std::string types;
  for (const HouseholdAccountInput& account : problem.accounts) {
    lots += static_cast<int>(account.lots.size());
    types += (types.empty() ? "" : ",") + account.type;
  }
  char text[200];
  std::snprintf(text, sizeof text, "n=%d accounts=%s lots=%d groups=%zu lambda=%g",
                problem.num_securities(), types.c_str(), lots, problem.groups.size(),
                problem.risk.aversion);
  return text;
}

// The largest difference seen over a run, relative to the tolerance (1 = at the limit).
struct Worst {
  double ratio = 0;
  uint64_t seed = 0;
  void Record(double value, uint64_t at) {
    if (value > ratio) ratio = value, seed = at;
  }
};

// What is wrong with SolveHousehold() on one household (empty when all is well); `note` gets
// what is worth logging.
std::string CheckHousehold(const HouseholdProblem& problem, uint64_t seed, std::string& note,
                           Worst& worst) {
  Result<HouseholdSolution> solved = SolveHousehold(problem);
  if (!solved.ok()) return "SolveHousehold rejected the problem: " + solved.status().message();
  const HouseholdSolution& solution = *solved;
  if (solution.summary.status != SolveStatus::kOptimal) {
    return std::string("status ") + NameOf(solution.summary.status) + ": " +
           solution.summary.message;
  }
  std::vector<Eigen::VectorXd> buys;
  std::vector<Eigen::VectorXd> sells;
  for (const HouseholdAccountResult& account : solution.accounts) {
    buys.push_back(account.buys);
    sells.push_back(account.sells);
  }
  const HouseholdEvaluation check = EvaluateHousehold(problem, buys, sells);
  const double v = check.household.normalizer;
  char text[400];
  if (check.household.max_violation_dollars > kViolationTolerance * v) {
    std::snprintf(text, sizeof text, "violates %s by $%.3g (V_H = $%.0f)",
                  check.household.worst_violation.c_str(), check.household.max_violation_dollars,
                  v);
    return text;
  }
  const double ours = check.objective();
  if (std::abs(ours - solution.objective()) > 1e-9 * (1 + std::abs(ours))) {
    std::snprintf(text, sizeof text, "reported objective %.9f but EvaluateHousehold() gives %.9f",
                  solution.objective(), ours);
    return text;
  }
  const DenseQpSolution oracle =
      problem.risk.aversion == 0 ? SolveLpWithClp(problem) : SolveWithIpopt(problem);
  if (!oracle.certified_optimal) {
    note = "oracle uncertified (" + oracle.status + "); our point is feasible";
    return "";
  }
  // The oracle's point, read back through EvaluateHousehold: the two formulations must agree.
  const AccountTrades oracle_trades = SplitByAccount(problem, oracle);
  const double oracle_evaluated =
      EvaluateHousehold(problem, oracle_trades.buys, oracle_trades.sells).objective();
  if (std::abs(oracle_evaluated - oracle.objective) > ObjectiveTolerance(oracle.objective)) {
    std::snprintf(text, sizeof text,
                  "the oracle's objective %.9f but EvaluateHousehold() at its point gives %.9f",
                  oracle.objective, oracle_evaluated);
    return text;
  }
  const double excess = ours - oracle.objective;
  worst.Record(std::abs(excess) / ObjectiveTolerance(oracle.objective), seed);
  if (excess > ObjectiveTolerance(oracle.objective)) {
    std::snprintf(text, sizeof text,
                  "objective %.9f is above the oracle's %.9f by %.3g (%.2e relative; %d "
                  "iterations)",
                  ours, oracle.objective, excess,
                  excess / std::max(1.0, std::abs(oracle.objective)), solution.summary.iterations);
    return text;
  }
  if (excess < -ObjectiveTolerance(oracle.objective)) {
    std::snprintf(text, sizeof text, "our objective %.9f beats the oracle's %.9f (%s)", ours,
                  oracle.objective, oracle.status.c_str());
    note = text;
  }
  return "";
}

TEST(HouseholdAgreement, RandomHouseholds) {
  constexpr int kCount = 150;
  std::vector<std::string> failures;
  int uncertified = 0;
  Worst worst;
  for (uint64_t seed = 1; seed <= kCount; ++seed) {
    const HouseholdProblem problem = RandomHouseholdProblem(RandomHouseholdShape(seed), seed);
    std::string note;
    const std::string failure = CheckHousehold(problem, seed, note, worst);
    const std::string where = "seed " + std::to_string(seed) + " (" + Describe(problem) + "): ";
    if (!failure.empty()) failures.push_back(where + failure);
    if (!note.empty()) std::printf("note: %s%s\n", where.c_str(), note.c_str());
    if (note.starts_with("oracle uncertified")) ++uncertified;
  }
  std::printf("largest objective difference %.3g of the tolerance (seed %llu)\n", worst.ratio,
              static_cast<unsigned long long>(worst.seed));
  std::string listing;
  for (const std::string& failure : failures) listing += "\n  " + failure;
  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << kCount
                                << " households failed:" << listing;
  EXPECT_LE(uncertified, kCount / 50) << "the oracle could not certify too many to be a check";
}

// bench/household_benchmark.cc's household, small enough for the dense oracle.
TEST(HouseholdAgreement, BenchmarkShapedHouseholds) {
  Worst worst;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    const HouseholdProblem problem = BenchmarkHousehold(40, 5, 3, seed);
    std::string note;
    EXPECT_EQ(CheckHousehold(problem, seed, note, worst), "") << "seed " << seed;
    EXPECT_EQ(note, "") << "seed " << seed;
  }
}

// The generator's promise, checked by Clp alone: every random household is feasible (the
// feasible set does not depend on the objective, so the LP answers for the QP too).
TEST(HouseholdAgreement, RandomHouseholdsAreFeasible) {
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    const DenseQpSolution lp =
        SolveLpWithClp(RandomHouseholdProblem(RandomHouseholdShape(seed), seed));
    EXPECT_TRUE(lp.certified_optimal) << "seed " << seed << ": " << lp.status;
  }
}

// What the message of an infeasible household must name: the constraint family and, for an
// account's cash, the account.
std::vector<std::string> FamilyWords(HouseholdInfeasibleKind kind,
                                     const HouseholdProblem& problem) {
  switch (kind) {
    case HouseholdInfeasibleKind::kAccountCashMin:
      return {"cash", problem.accounts.back().id};
    case HouseholdInfeasibleKind::kWeightAboveMax:
      return {"weight"};
    case HouseholdInfeasibleKind::kTurnoverWithMustSell:
      return {"turnover"};
  }
  return {};
}

TEST(HouseholdAgreement, InfeasibleHouseholdsAreDetected) {
  for (HouseholdInfeasibleKind kind : kAllHouseholdInfeasibleKinds) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      const HouseholdProblem problem = InfeasibleHousehold(kind, seed);
      const std::string where = std::string(NameOf(kind)) + " seed " + std::to_string(seed);
      EXPECT_TRUE(SolveLpWithClp(problem).proven_infeasible) << where << ": Clp disagrees";
      Result<HouseholdSolution> solved = SolveHousehold(problem);
      ASSERT_TRUE(solved.ok()) << where << ": " << solved.status().message();
      EXPECT_EQ(solved->summary.status, SolveStatus::kInfeasible)
          << where << ": " << NameOf(solved->summary.status) << " " << solved->summary.message;
      const std::vector<std::string> words = FamilyWords(kind, problem);
      const std::string& message = solved->summary.message;
      EXPECT_TRUE(std::all_of(
          words.begin(), words.end(),
          [&](const std::string& word) { return message.find(word) != std::string::npos; }))
          << where << ": the message \"" << message << "\" should name " << words.back();
    }
  }
}

// The largest difference between two trade lists in dollars, as a fraction of v.
double LargestTradeDifference(const Problem& problem, const Eigen::VectorXd& buys_a,
                              const Eigen::VectorXd& sells_a, const Eigen::VectorXd& buys_b,
                              const Eigen::VectorXd& sells_b, double v) {
  double largest = 0;
  for (int i = 0; i < problem.num_securities(); ++i) {
    largest = std::max(largest, problem.securities[i].price * std::abs(buys_a[i] - buys_b[i]));
  }
  for (int j = 0; j < problem.num_lots(); ++j) {
    const double price = problem.securities[problem.lots[j].security].price;
    largest = std::max(largest, price * std::abs(sells_a[j] - sells_b[j]));
  }
  return largest / v;
}

// With one account the household problem is the account's problem: the same objective, and the
// same trades where the risk term is strictly convex (lambda > 0, every specific variance > 0),
// which makes the optimal weights unique. The trades behind them need not be (two lots of one
// security with the same tax cost), but both solvers take the same path there: a sweep of 1,000
// seeds found no difference above 1e-6 of V.
TEST(HouseholdAgreement, OneAccountGivesTheSingleAccountResult) {
  std::vector<std::string> failures;
  int trades_compared = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const Problem problem = RandomProblem(RandomShape(seed, 25), seed);
    const std::string where = "seed " + std::to_string(seed) + ": ";
    // The household solver is the interior-point method: so is the single account it is
    // compared with, trade for trade (the dual Newton method may pick another of several
    // optimal lot splits; its objective is checked against the household's below).
    SolverOptions interior_point;
    interior_point.method = SolverOptions::Method::kInteriorPoint;
    Result<Solution> single = Solve(problem, interior_point);
    Result<Solution> fast = Solve(problem);
    Result<HouseholdSolution> household = SolveHousehold(AsHousehold(problem));
    if (!single.ok() || !fast.ok() || !household.ok()) {
      failures.push_back(where + "rejected");
      continue;
    }
    if (fast->summary.status == SolveStatus::kOptimal &&
        std::abs(fast->objective() - household->objective()) > ObjectiveTolerance(fast->objective())) {
      char text[200];
      std::snprintf(text, sizeof text, "objective %.9f by the default method, %.9f as a household",
                    fast->objective(), household->objective());
      failures.push_back(where + text);
    }
    if (single->summary.status != household->summary.status) {
      failures.push_back(where + "status " + NameOf(single->summary.status) + " alone, " +
                         NameOf(household->summary.status) + " as a household");
      continue;
    }
    const double difference = std::abs(household->objective() - single->objective());
    if (difference > ObjectiveTolerance(single->objective())) {
      char text[200];
      std::snprintf(text, sizeof text, "objective %.9f alone, %.9f as a household",
                    single->objective(), household->objective());
      failures.push_back(where + text);
    }
    const bool strictly_convex =
        problem.risk.aversion > 0 && problem.risk.specific_variance.minCoeff() > 0;
    if (!strictly_convex || single->summary.status != SolveStatus::kOptimal) continue;
    ++trades_compared;
    const HouseholdAccountResult& account = household->accounts[0];
    const double trades = LargestTradeDifference(problem, single->buys, single->sells, account.buys,
                                                 account.sells, single->evaluation.normalizer);
    if (trades > kTradeTolerance) {
      failures.push_back(where + "trades differ by " + std::to_string(trades) + " of V");
    }
  }
  std::printf("trades compared on %d of 200 accounts\n", trades_compared);
  std::string listing;
  for (const std::string& failure : failures) listing += "\n  " + failure;
  EXPECT_TRUE(failures.empty()) << failures.size() << " accounts differ:" << listing;
}

}  // namespace
}  // namespace arbor::optimize::testing
