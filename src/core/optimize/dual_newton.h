// The account model solved through its dual over securities: the fast path of Solve().
//
// Within a security every lot enters the model only through the security's channels (net,
// traded, tax), so once the factor term is written as max_nu nu' Phi x - |nu|^2 / 2 and the
// global rows are priced by multipliers y, the problem falls apart into one problem per
// security: a parabola (its specific risk) plus a convex piecewise-linear cost whose pieces are
// its buy and its lots in order of cost. Sorting each security's lots once, every later
// evaluation finds the minimizers by binary search over the pieces, without touching a lot.
//
// The dual function of (nu, y) is concave, piecewise quadratic and continuously differentiable
// when every traded security has specific variance. A projected semismooth Newton method
// maximizes it: each iteration costs O(n (K + rows)^2) for the generalized Hessian, and once
// the pieces the optimum lies on are identified the step is exact, so the method ends at machine
// precision. Its point is certified on the model itself (row violations and duality gap below
// the tolerance); when the model is outside its reach (a household, a traded security without
// specific variance, zero risk aversion) or the certificate fails, the caller falls back to the
// interior-point method. Internal to the solver.
#pragma once

#include <optional>

#include "core/optimize/interior_point.h"
#include "core/optimize/qp_model.h"
#include "core/optimize/solver.h"

namespace arbor::optimize::internal {

// Empty when the method does not apply or could not certify its point.
std::optional<InteriorPointResult> RunDualNewton(const QpModel& model, const SolverOptions& options);

}  // namespace arbor::optimize::internal
