// An independent solver for the rebalance problem: the dense QP of dense_qp.h handed to Ipopt
// (a general interior-point NLP solver) with the exact Hessian and tight tolerances (1e-10).
// It shares nothing with Solve() (or SolveHousehold()) but the problem structs, so agreement between the two means
// something.
#pragma once

#include "core/optimize/problem.h"
#include "core/optimize/testing/dense_qp.h"

namespace arbor::optimize::testing {

// Ipopt's interior point is polished by an active-set step: the KKT equations of the constraints
// active at Ipopt's point are solved exactly and the active set corrected until the result is
// primal and dual feasible (to 1e-12 of V and 1e-11). certified_optimal means that check passed,
// which for a convex QP proves the point optimal; `status` carries Ipopt's word and whether the
// polishing succeeded. Problems of more than 4,000 variables and rows are not polished (nor
// certified). proven_infeasible is Ipopt's Infeasible_Problem_Detected.
DenseQpSolution SolveWithIpopt(const Problem& problem);
DenseQpSolution SolveWithIpopt(const HouseholdProblem& problem);

}  // namespace arbor::optimize::testing
