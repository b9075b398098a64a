#include "core/optimize/solver.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "core/optimize/dual_newton.h"
#include "core/optimize/infeasibility.h"
#include "core/optimize/interior_point.h"
#include "core/optimize/qp_model.h"

namespace arbor::optimize {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Trades (shares bought per security, sold per lot) in the model's variables (weights of V),
// or empty when there are none.
Eigen::VectorXd InModelVariables(const Problem& problem, const internal::QpModel& model, const Eigen::VectorXd& buys,
                                 const Eigen::VectorXd& sells) {
  if (buys.size() == 0 && sells.size() == 0) return {};
  Eigen::VectorXd z = Eigen::VectorXd::Zero(model.num_variables);
  const double value = model.normalizer;
  for (int i = 0; i < problem.num_securities(); ++i) {
    const int p = model.buy_variable[i];
    if (p >= 0 && buys.size()) z[p] = buys[i] * problem.securities[i].price / value;
  }
  for (int j = 0; j < problem.num_lots(); ++j) {
    const int p = model.lot_variable[j];
    if (p >= 0 && sells.size()) z[p] = sells[j] * problem.securities[problem.lots[j].security].price / value;
  }
  return z;
}

// Buys per security and sells per lot, in shares, from the model's weights.
void ToShares(const Problem& problem, const internal::QpModel& model, const Eigen::VectorXd& z, Solution& solution) {
  const double value = model.normalizer;
  solution.buys = Eigen::VectorXd::Zero(problem.num_securities());
  solution.sells = Eigen::VectorXd::Zero(problem.num_lots());
  for (int i = 0; i < problem.num_securities(); ++i) {
    const int p = model.buy_variable[i];
    if (p >= 0) solution.buys[i] = std::max(0.0, z[p] * value / problem.securities[i].price);
  }
  for (int j = 0; j < problem.num_lots(); ++j) {
    const LotInput& lot = problem.lots[j];
    const int p = model.lot_variable[j];
    if (lot.must_sell) {
      solution.sells[j] = lot.shares;
    } else if (p >= 0) {
      solution.sells[j] = std::clamp(z[p] * value / problem.securities[lot.security].price, 0.0, lot.shares);
    }
  }
}

// The model's row multipliers under the names of the problem's constraints (zero when the method
// stopped before keeping a point).
Multipliers ByConstraint(const Problem& problem, const internal::QpModel& model,
                         const internal::InteriorPointResult& ipm) {
  Multipliers multipliers;
  multipliers.weight = Eigen::VectorXd::Zero(problem.num_securities());
  multipliers.group_bound = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(problem.groups.size()));
  multipliers.group_drift = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(problem.groups.size()));
  if (ipm.weight_dual.size() == problem.num_securities()) multipliers.weight = ipm.weight_dual;
  if (ipm.row_dual.size() != static_cast<Eigen::Index>(model.rows.size())) return multipliers;
  for (size_t r = 0; r < model.rows.size(); ++r) {
    const double y = ipm.row_dual[static_cast<Eigen::Index>(r)];
    const internal::GlobalRow& row = model.rows[r];
    switch (row.family) {
      case internal::RowFamily::kCash: multipliers.cash = y; break;
      case internal::RowFamily::kTaxBudget: multipliers.tax_budget = y; break;
      case internal::RowFamily::kTurnover: multipliers.turnover = y; break;
      case internal::RowFamily::kGroupBound: multipliers.group_bound[row.group] = y; break;
      case internal::RowFamily::kGroupDrift: multipliers.group_drift[row.group] = y; break;
      case internal::RowFamily::kAccountDrift: break;  // a household's rows only
    }
  }
  return multipliers;
}

// An interior point never sits exactly on a bound: a lot sold "in full" comes back as
// 67.48669999998721 shares and an untraded name as 2.8e-10. Trades within 1e-9 of V (in
// dollars) of a bound are moved onto it, kept only if no constraint then breaks the spec's
// 1e-9-of-V tolerance and the objective moves by no more than the solve's own accuracy.
void SnapToBounds(const Problem& problem, const SolverOptions& options, Solution& solution) {
  const double value = solution.evaluation.normalizer;
  const double threshold = 1e-9 * value;
  Solution snapped = solution;
  for (int i = 0; i < problem.num_securities(); ++i) {
    if (snapped.buys[i] * problem.securities[i].price < threshold) snapped.buys[i] = 0;
  }
  for (int j = 0; j < problem.num_lots(); ++j) {
    const LotInput& lot = problem.lots[j];
    const double price = problem.securities[lot.security].price;
    if (snapped.sells[j] * price < threshold) snapped.sells[j] = 0;
    if ((lot.shares - snapped.sells[j]) * price < threshold) snapped.sells[j] = lot.shares;
  }
  snapped.evaluation = Evaluate(problem, snapped.buys, snapped.sells);
  const bool still_feasible = snapped.evaluation.max_violation_dollars <=
                              std::max(1e-9 * value, solution.evaluation.max_violation_dollars);
  const bool same_objective = std::abs(snapped.objective() - solution.objective()) <=
                              options.tolerance * std::max(std::abs(solution.objective()), 1e-4 * value);
  if (still_feasible && same_objective) solution = std::move(snapped);
}

}  // namespace

Result<Solution> Solve(const Problem& problem, const SolverOptions& options) {
  ARBOR_RETURN_IF_ERROR(options.Validate());
  ARBOR_RETURN_IF_ERROR(ValidateProblem(problem));
  return SolveValidated(problem, options);
}

Result<Solution> SolveValidated(const Problem& problem, const SolverOptions& options) {
  const Clock::time_point start = Clock::now();
  ARBOR_RETURN_IF_ERROR(options.Validate());
  if (options.warm_start_buys.size() != 0 && options.warm_start_buys.size() != problem.num_securities()) {
    return Status::InvalidArgument("warm_start_buys: " + std::to_string(options.warm_start_buys.size()) +
                                   " entries for " + std::to_string(problem.num_securities()) + " securities");
  }
  if (options.warm_start_sells.size() != 0 && options.warm_start_sells.size() != problem.num_lots()) {
    return Status::InvalidArgument("warm_start_sells: " + std::to_string(options.warm_start_sells.size()) +
                                   " entries for " + std::to_string(problem.num_lots()) + " lots");
  }

  Solution solution;
  internal::ModelBuild build = internal::BuildQpModel(problem);
  solution.summary.setup_seconds = SecondsSince(start);
  if (!build.infeasible.empty()) {
    solution.summary.status = SolveStatus::kInfeasible;
    solution.summary.message = build.infeasible;
    ToShares(problem, build.model, Eigen::VectorXd::Zero(build.model.num_variables), solution);
    solution.multipliers = ByConstraint(problem, build.model, {});
    solution.evaluation = Evaluate(problem, solution.buys, solution.sells);
    return solution;
  }
  const Clock::time_point solve_start = Clock::now();
  std::optional<internal::InteriorPointResult> fast;
  if (options.method == SolverOptions::Method::kAuto && !options.callback) {
    fast = internal::RunDualNewton(build.model, options);
  }
  if (fast) solution.summary.method = "dual Newton";
  const internal::InteriorPointResult ipm =
      fast ? std::move(*fast)
           : internal::RunInteriorPoint(
                 build.model, options,
                 InModelVariables(problem, build.model, options.warm_start_buys, options.warm_start_sells));
  solution.summary.solve_seconds = SecondsSince(solve_start);
  solution.summary.status = ipm.status;
  solution.summary.message = ipm.message;
  // An infeasible problem either shows as such or stalls with rows still violated; either way
  // the family to name is the one whose removal makes the problem solvable.
  if (ipm.status != SolveStatus::kOptimal && ipm.primal_residual > options.tolerance) {
    if (std::optional<std::string> reason = internal::DiagnoseInfeasibility(problem, options)) {
      solution.summary.status = SolveStatus::kInfeasible;
      solution.summary.message = *reason;
    }
  }
  solution.summary.iterations = ipm.iterations;
  solution.summary.primal_residual = ipm.primal_residual;
  solution.summary.dual_residual = ipm.dual_residual;
  solution.summary.gap = ipm.gap;
  ToShares(problem, build.model, ipm.z, solution);
  solution.multipliers = ByConstraint(problem, build.model, ipm);
  solution.evaluation = Evaluate(problem, solution.buys, solution.sells);
  if (!fast) SnapToBounds(problem, options, solution);  // the dual method's point is on them
  return solution;
}

}  // namespace arbor::optimize
