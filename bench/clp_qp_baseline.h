// The yardstick for the optimizer benchmark: the same rebalance problem solved by a general QP
// solver that knows nothing of its structure, COIN-OR Clp's barrier (ClpInterior), on the dense
// formulation of dense_qp.h, Sigma = X F X' + diag(d) formed explicitly as an n x n Hessian.
//
// Clp's status word is not a certificate (see shared/docs/reference-problems/README.md): the
// result carries its point's objective and constraint violation, recomputed here, so that what
// it returns is reported as it is.
#pragma once

#include "core/optimize/problem.h"
#include "core/optimize/testing/dense_qp.h"

namespace arbor::bench {

// certified_optimal is Clp's own claim ("optimal"); objective and max_violation are measured
// at its point.
optimize::testing::DenseQpSolution SolveWithClpBarrier(const optimize::Problem& problem);

}  // namespace arbor::bench
