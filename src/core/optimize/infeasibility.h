// Names the constraint families that make a problem infeasible, by solving it again without one
// family at a time: every family whose removal alone leaves a feasible problem is named (a cash
// minimum against a tax budget names both). Runs only on the failure path of Solve() and SolveHousehold(). Internal.
#pragma once

#include <optional>
#include <string>

#include "core/optimize/household_problem.h"
#include "core/optimize/problem.h"
#include "core/optimize/solver.h"

namespace arbor::optimize::internal {

// The stated reason, or nothing when no single family explains the failure.
std::optional<std::string> DiagnoseInfeasibility(const Problem& problem, const SolverOptions& options);
std::optional<std::string> DiagnoseInfeasibility(const HouseholdProblem& problem, const SolverOptions& options);

}  // namespace arbor::optimize::internal
