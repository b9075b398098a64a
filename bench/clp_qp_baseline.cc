#include "clp_qp_baseline.h"

#include <ClpCholeskyBase.hpp>
#include <ClpInterior.hpp>
#include <CoinFinite.hpp>
#include <CoinPackedMatrix.hpp>
#include <cmath>
#include <vector>

namespace arbor::bench {
namespace {

using optimize::testing::DenseQp;
using optimize::testing::DenseQpRow;
using optimize::testing::DenseQpSolution;

double ClpBound(double bound) {
  return std::isinf(bound) ? std::copysign(COIN_DBL_MAX, bound) : bound;
}

}  // namespace

DenseQpSolution SolveWithClpBarrier(const optimize::Problem& problem) {
  const DenseQp qp = optimize::testing::FormulateDenseQp(problem);
  const int num_variables = qp.num_variables();
  const int n = qp.num_securities;

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
  matrix.setDimensions(static_cast<int>(qp.rows.size()), num_variables);
  std::vector<double> column_lower(num_variables);
  std::vector<double> column_upper(num_variables);
  for (int k = 0; k < num_variables; ++k) {
    column_lower[k] = ClpBound(qp.variable_lower(k));
    column_upper[k] = ClpBound(qp.variable_upper(k));
  }
  // 0.5 (w - t)' H (w - t) = 0.5 w' H w - (H t)' w + constant: Clp takes the first two.
  Eigen::VectorXd linear = qp.linear_cost;
  linear.segment(qp.weight(0), n) -= qp.risk_hessian * qp.targets;

  // Clp reads the Hessian column by column, lower triangle only: column weight(i) holds H(j, i)
  // for j >= i. Columns other than the weights are empty.
  std::vector<CoinBigIndex> hessian_start(num_variables + 1, 0);
  std::vector<int> hessian_row;
  std::vector<double> hessian_value;
  if (!qp.is_linear()) {
    for (int column = 0; column < num_variables; ++column) {
      const int i = column - qp.weight(0);
      if (i >= 0 && i < n) {
        for (int j = i; j < n; ++j) {
          hessian_row.push_back(qp.weight(j));
          hessian_value.push_back(qp.risk_hessian(j, i));
        }
      }
      hessian_start[column + 1] = static_cast<CoinBigIndex>(hessian_row.size());
    }
  }

  ClpInterior model;
  model.setLogLevel(0);
  model.loadProblem(matrix, column_lower.data(), column_upper.data(), linear.data(),
                    row_lower.data(), row_upper.data());
  if (!qp.is_linear()) {
    model.loadQuadraticObjective(num_variables, hessian_start.data(), hessian_row.data(),
                                 hessian_value.data());
  }
  // Clp's QP barrier needs the KKT form of its Cholesky (as Clp's own QP driver sets up).
  ClpCholeskyBase* cholesky = new ClpCholeskyBase();
  cholesky->setKKT(true);
  model.setCholesky(cholesky);  // the model owns it
  model.primalDual();

  DenseQpSolution solution;
  solution.certified_optimal = model.status() == 0;
  static const char* const kStatusNames[] = {"optimal", "primal infeasible", "dual infeasible",
                                             "stopped on iterations or time",
                                             "stopped due to errors"};
  const int status = model.status();
  solution.status = status >= 0 && status < 5 ? kStatusNames[status] : "unknown";
  solution.iterations = model.numberIterations();
  optimize::testing::Interpret(
      qp, Eigen::Map<const Eigen::VectorXd>(model.primalColumnSolution(), num_variables), solution);
  return solution;
}

}  // namespace arbor::bench
