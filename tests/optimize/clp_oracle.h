// An independent solver for rebalance problems without risk (lambda = 0, an LP): the dense
// formulation of dense_qp.h solved by Clp's dual simplex, which ends at a vertex whose optimality
// and feasibility do not depend on a path to it. Clp also proves infeasibility exactly.
#pragma once

#include "core/optimize/problem.h"
#include "core/optimize/testing/dense_qp.h"

namespace arbor::optimize::testing {

// Solves the problem with its risk term dropped; meant for problems whose aversion is 0, and
// for feasibility questions (the feasible set does not depend on the objective).
DenseQpSolution SolveLpWithClp(const Problem& problem);
DenseQpSolution SolveLpWithClp(const HouseholdProblem& problem);

}  // namespace arbor::optimize::testing
