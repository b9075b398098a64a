// The rebalance core solver: a primal-dual interior-point method for the convex QP of
// docs/rebalance-problem.md section 1 that exploits its structure.
//
//   SolverOptions options;            // defaults suit production
//   Solution solution = Solve(problem, options).value();
//   if (solution.summary.status == SolveStatus::kOptimal) use(solution.buys, solution.sells);
//
// Solve() returns an error Status only for invalid input (a negative price, a non-PSD factor
// covariance, ...). Infeasible problems and the iteration limit are results: the Summary says
// which, with a message naming the constraint family.
#pragma once

#include <functional>
#include <string>

#include <Eigen/Core>

#include "core/base/status.h"
#include "core/optimize/problem.h"

namespace arbor::optimize {

// What one interior-point iteration reached, for an IterationCallback.
struct IterationSummary {
  int iteration = 0;
  double objective = 0;  // dollars
  double primal_residual = 0;
  double dual_residual = 0;
  double gap = 0;
  double primal_step = 0;
  double dual_step = 0;
};

struct SolverOptions {
  // Stop when the primal residual (weights of V), the dual residual (relative to the largest
  // cost coefficient) and the relative duality gap are all below. 1e-9 keeps the objective
  // within about 1e-7 relative of the optimum and every constraint within 1e-9 of V.
  double tolerance = 1e-9;
  int max_iterations = 80;
  // Optional starting point (shares bought per security, shares sold per lot), e.g. yesterday's
  // solution. It is moved into the interior before the first iteration.
  Eigen::VectorXd warm_start_buys;
  Eigen::VectorXd warm_start_sells;
  // Called after every iteration (e.g. to log progress); returning false stops the solve,
  // which then reports the iteration limit.
  std::function<bool(const IterationSummary&)> callback;
  // kAuto tries the dual Newton method over securities first (dual_newton.h: single accounts
  // with specific variance on every traded security, no callback) and falls back to the
  // interior-point method when it does not apply or cannot certify its point.
  enum class Method { kAuto, kInteriorPoint };
  Method method = Method::kAuto;

  Status Validate() const;
};

enum class SolveStatus { kOptimal, kInfeasible, kUnbounded, kIterationLimit };
const char* NameOf(SolveStatus status);  // "optimal", "infeasible", ...

struct Summary {
  SolveStatus status = SolveStatus::kIterationLimit;
  std::string message;  // for kInfeasible, names the constraint family that cannot be met
  const char* method = "interior point";  // or "dual Newton"
  int iterations = 0;
  // At the returned point, relative to the problem's scale (weights of V).
  double primal_residual = 0;
  double dual_residual = 0;
  // Complementarity (the duality gap at a dual-feasible point), over max(|objective|, 1e-4 V).
  double gap = 0;
  double setup_seconds = 0;
  double solve_seconds = 0;
};

// The constraints' multipliers at the returned point: the objective's rate of change, in
// fractions of V, per fraction of V that the constraint's bound moves. Positive where the lower
// side binds (cash minimum, a weight minimum, -a_g), negative where the upper side does (cash
// maximum, tax budget, turnover, a weight maximum, a_g), near zero where nothing binds. What
// ObjectiveLowerBound (lower_bound.h) needs to bound a changed problem without solving it.
struct Multipliers {
  double cash = 0;
  double tax_budget = 0;
  double turnover = 0;
  Eigen::VectorXd weight;       // per security
  Eigen::VectorXd group_bound;  // per group: its bound |active_g| <= a_g
  // Per penalized group: the equality that defines active_g, within [-mu_g, mu_g].
  Eigen::VectorXd group_drift;
};

struct Solution {
  Eigen::VectorXd buys;   // shares bought, per security
  Eigen::VectorXd sells;  // shares sold, per lot
  Multipliers multipliers;
  Evaluation evaluation;  // objective terms, cash after, tracking error, ... at (buys, sells)
  Summary summary;
  double objective() const { return evaluation.terms.total(); }
};

// Checks the problem against the spec: positive prices, bounds in order, lot indices in range,
// PSD factor covariance, finite numbers. Messages name the field (e.g. "lots[L7].shares").
Status ValidateProblem(const Problem& problem);

Result<Solution> Solve(const Problem& problem, const SolverOptions& options = {});

// Solve without ValidateProblem, for a problem that has passed it or differs from one that has
// only by closed buys or lot sales, opened lots that are not must-sell, a lower cash minimum or
// a dropped cash maximum or tax budget (all of which keep it valid): the discrete layer
// re-solves one checked problem many times, and checking 10,000 lot names costs a tenth of a
// solve.
Result<Solution> SolveValidated(const Problem& problem, const SolverOptions& options = {});

}  // namespace arbor::optimize
