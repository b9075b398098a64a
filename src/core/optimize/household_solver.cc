// SolveHousehold: the household problem (docs/rebalance-problem.md section 4) through the same
// model and interior-point method as one account; the model simply has one segment per account
// in every security's block.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "core/optimize/household_problem.h"
#include "core/optimize/infeasibility.h"
#include "core/optimize/interior_point.h"
#include "core/optimize/qp_model.h"

namespace arbor::optimize {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Trades {
  std::vector<Eigen::VectorXd> buys, sells;
};

// Buys per account and security and sells per account and lot, in shares, from the model's
// weights of V_H.
Trades ToShares(const HouseholdProblem& problem, const internal::QpModel& model, const Eigen::VectorXd& z) {
  const double value = model.normalizer;
  const int n = problem.num_securities();
  const int accounts = problem.num_accounts();
  Trades trades;
  for (int a = 0; a < accounts; ++a) {
    const HouseholdAccountInput& account = problem.accounts[a];
    Eigen::VectorXd buys = Eigen::VectorXd::Zero(n);
    Eigen::VectorXd sells = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(account.lots.size()));
    for (int i = 0; i < n; ++i) {
      const int p = model.buy_variable[i * accounts + a];
      if (p >= 0 && z.size()) buys[i] = std::max(0.0, z[p] * value / problem.securities[i].price);
    }
    for (int j = 0; j < static_cast<int>(account.lots.size()); ++j) {
      const LotInput& lot = account.lots[j];
      const int p = model.lot_variable[model.lot_offset[a] + j];
      if (lot.must_sell) {
        sells[j] = lot.shares;
      } else if (p >= 0 && z.size()) {
        sells[j] = std::clamp(z[p] * value / problem.securities[lot.security].price, 0.0, lot.shares);
      }
    }
    trades.buys.push_back(std::move(buys));
    trades.sells.push_back(std::move(sells));
  }
  return trades;
}

// As SnapToBounds in solver.cc: trades within 1e-9 of V_H of a bound move onto it when that
// keeps every constraint and the objective within the solve's accuracy.
void SnapToBounds(const HouseholdProblem& problem, const SolverOptions& options, Trades& trades,
                  HouseholdEvaluation& evaluation) {
  const double value = evaluation.household.normalizer;
  const double threshold = 1e-9 * value;
  Trades snapped = trades;
  for (int a = 0; a < problem.num_accounts(); ++a) {
    for (int i = 0; i < problem.num_securities(); ++i) {
      if (snapped.buys[a][i] * problem.securities[i].price < threshold) snapped.buys[a][i] = 0;
    }
    const std::vector<LotInput>& lots = problem.accounts[a].lots;
    for (int j = 0; j < static_cast<int>(lots.size()); ++j) {
      const double price = problem.securities[lots[j].security].price;
      double& sold = snapped.sells[a][j];
      if (sold * price < threshold) sold = 0;
      if ((lots[j].shares - sold) * price < threshold) sold = lots[j].shares;
    }
  }
  HouseholdEvaluation after = EvaluateHousehold(problem, snapped.buys, snapped.sells);
  const bool still_feasible = after.household.max_violation_dollars <=
                              std::max(1e-9 * value, evaluation.household.max_violation_dollars);
  const bool same_objective = std::abs(after.objective() - evaluation.objective()) <=
                              options.tolerance * std::max(std::abs(evaluation.objective()), 1e-4 * value);
  if (still_feasible && same_objective) {
    trades = std::move(snapped);
    evaluation = std::move(after);
  }
}

HouseholdSolution Assemble(const HouseholdProblem& problem, const SolverOptions& options, Trades trades,
                           Summary summary) {
  HouseholdSolution solution;
  solution.summary = std::move(summary);
  solution.evaluation = EvaluateHousehold(problem, trades.buys, trades.sells);
  SnapToBounds(problem, options, trades, solution.evaluation);
  solution.accounts = solution.evaluation.accounts;
  return solution;
}

}  // namespace

Result<HouseholdSolution> SolveHousehold(const HouseholdProblem& problem, const SolverOptions& options) {
  const Clock::time_point start = Clock::now();
  ARBOR_RETURN_IF_ERROR(options.Validate());
  ARBOR_RETURN_IF_ERROR(ValidateHouseholdProblem(problem));
  const internal::ModelBuild build = internal::BuildQpModel(internal::ViewOf(problem));
  Summary summary;
  summary.setup_seconds = SecondsSince(start);
  if (!build.infeasible.empty()) {
    summary.status = SolveStatus::kInfeasible;
    summary.message = build.infeasible;
    return Assemble(problem, options, ToShares(problem, build.model, {}), std::move(summary));
  }
  // Warm starts are per account and security; the household path starts from its default.
  SolverOptions household_options = options;
  household_options.warm_start_buys.resize(0);
  household_options.warm_start_sells.resize(0);
  const Clock::time_point solve_start = Clock::now();
  const internal::InteriorPointResult ipm = internal::RunInteriorPoint(build.model, household_options, {});
  summary.solve_seconds = SecondsSince(solve_start);
  summary.status = ipm.status;
  summary.message = ipm.message;
  if (ipm.status != SolveStatus::kOptimal && ipm.primal_residual > options.tolerance) {
    if (std::optional<std::string> reason = internal::DiagnoseInfeasibility(problem, household_options)) {
      summary.status = SolveStatus::kInfeasible;
      summary.message = *reason;
    }
  }
  summary.iterations = ipm.iterations;
  summary.primal_residual = ipm.primal_residual;
  summary.dual_residual = ipm.dual_residual;
  summary.gap = ipm.gap;
  return Assemble(problem, options, ToShares(problem, build.model, ipm.z), std::move(summary));
}

}  // namespace arbor::optimize
