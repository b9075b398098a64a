#include "clp_oracle.h"

#include <ClpSimplex.hpp>

#include "core/optimize/testing/clp_load.h"

namespace arbor::optimize::testing {
namespace {

DenseQpSolution SolveDenseLp(const DenseQp& qp) {
  // The risk term's constant part is dropped with it: for lambda = 0 both are zero.
  ClpSimplex model;
  model.setLogLevel(0);
  LoadLinearPart(qp, qp.linear_cost, model);
  model.setPrimalTolerance(1e-10);
  model.setDualTolerance(1e-10);
  model.dual();

  DenseQpSolution solution;
  solution.certified_optimal = model.isProvenOptimal();
  solution.proven_infeasible = model.isProvenPrimalInfeasible();
  solution.status = ClpStatusName(model.status());
  solution.iterations = model.numberIterations();
  Interpret(qp, Eigen::Map<const Eigen::VectorXd>(model.primalColumnSolution(), qp.num_variables()),
            solution);
  return solution;
}

}  // namespace

DenseQpSolution SolveLpWithClp(const Problem& problem) {
  return SolveDenseLp(FormulateDenseQp(problem));
}

DenseQpSolution SolveLpWithClp(const HouseholdProblem& problem) {
  return SolveDenseLp(FormulateDenseQp(problem));
}

}  // namespace arbor::optimize::testing
