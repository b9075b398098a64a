// Mehrotra's predictor-corrector primal-dual interior-point method on a QpModel. Internal to
// the solver: Solve() in solver.h builds the model, runs this and maps the point back.
#pragma once

#include <string>

#include <Eigen/Core>

#include "core/optimize/qp_model.h"
#include "core/optimize/solver.h"

namespace arbor::optimize::internal {

struct InteriorPointResult {
  SolveStatus status = SolveStatus::kIterationLimit;
  std::string message;
  Eigen::VectorXd z;
  // The rows' multipliers at z: per global row of the model, and per security (0 where it has
  // no weight row). Positive where a row's lower side binds, negative where its upper side does.
  Eigen::VectorXd row_dual, weight_dual;
  int iterations = 0;
  double primal_residual = 0;  // largest row violation, weights of V
  double dual_residual = 0;    // relative to the largest cost coefficient
  double gap = 0;              // complementarity over max(|objective|, 1e-4)
  double objective = 0;        // scaled: dollars / V
};

// start: optional starting point for z (moved into the interior); empty for the default.
InteriorPointResult RunInteriorPoint(const QpModel& model, const SolverOptions& options,
                                     const Eigen::VectorXd& start);

}  // namespace arbor::optimize::internal
