// The dense formulation of dense_qp.h handed to COIN-OR Clp: shared by the LP oracle in
// tests/optimize and the QP-barrier baseline in bench/.
#pragma once

#include <ClpModel.hpp>
#include <Eigen/Core>

#include "core/optimize/testing/dense_qp.h"

namespace arbor::optimize::testing {

// Loads qp's rows, variable bounds and the given linear cost into the model (infinite bounds
// become Clp's COIN_DBL_MAX).
void LoadLinearPart(const DenseQp& qp, const Eigen::VectorXd& linear_cost, ClpModel& model);

// Clp's status() in words.
const char* ClpStatusName(int status);

}  // namespace arbor::optimize::testing
