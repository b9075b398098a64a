#include "clp_oracle.h"

#include <ClpSimplex.hpp>
#include <CoinFinite.hpp>
#include <CoinPackedMatrix.hpp>
#include <cmath>
#include <vector>

namespace arbor::optimize::testing {
namespace {

double ClpBound(double bound) {
  return std::isinf(bound) ? std::copysign(COIN_DBL_MAX, bound) : bound;
}

}  // namespace

DenseQpSolution SolveLpWithClp(const Problem& problem) {
  const DenseQp qp = FormulateDenseQp(problem);
  std::vector<int> row_of_entry;
  std::vector<int> column_of_entry;
  std::vector<double> entries;
  std::vector<double> row_lower;
  std::vector<double> row_upper;
  for (int r = 0; r < static_cast<int>(qp.rows.size()); ++r) {
    for (const auto& [variable, coefficient] : qp.rows[r].terms) {
      row_of_entry.push_back(r);
      column_of_entry.push_back(variable);
      entries.push_back(coefficient);
    }
    row_lower.push_back(ClpBound(qp.rows[r].lower));
    row_upper.push_back(ClpBound(qp.rows[r].upper));
  }
  CoinPackedMatrix matrix(/*colordered=*/true, row_of_entry.data(), column_of_entry.data(),
                          entries.data(), static_cast<CoinBigIndex>(entries.size()));
  matrix.setDimensions(static_cast<int>(qp.rows.size()), qp.num_variables());
  std::vector<double> column_lower(qp.num_variables());
  std::vector<double> column_upper(qp.num_variables());
  for (int k = 0; k < qp.num_variables(); ++k) {
    column_lower[k] = ClpBound(qp.variable_lower(k));
    column_upper[k] = ClpBound(qp.variable_upper(k));
  }
  // The risk term's constant part is dropped with it: for lambda = 0 both are zero.
  ClpSimplex model;
  model.setLogLevel(0);
  model.loadProblem(matrix, column_lower.data(), column_upper.data(), qp.linear_cost.data(),
                    row_lower.data(), row_upper.data());
  model.setPrimalTolerance(1e-10);
  model.setDualTolerance(1e-10);
  model.dual();

  DenseQpSolution solution;
  solution.certified_optimal = model.isProvenOptimal();
  solution.proven_infeasible = model.isProvenPrimalInfeasible();
  static const char* const kStatusNames[] = {"optimal",
                                             "primal infeasible",
                                             "dual infeasible",
                                             "stopped on iterations or time",
                                             "stopped due to errors",
                                             "stopped by event handler"};
  const int status = model.status();
  solution.status = status >= 0 && status < 6 ? kStatusNames[status] : "unknown Clp status";
  solution.iterations = model.numberIterations();
  Interpret(qp, Eigen::Map<const Eigen::VectorXd>(model.primalColumnSolution(), qp.num_variables()),
            solution);
  return solution;
}

}  // namespace arbor::optimize::testing
