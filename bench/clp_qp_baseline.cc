#include "clp_qp_baseline.h"

#include <ClpCholeskyBase.hpp>
#include <ClpInterior.hpp>
#include <vector>

#include "core/optimize/testing/clp_load.h"

namespace arbor::bench {

using optimize::testing::DenseQp;
using optimize::testing::DenseQpSolution;

DenseQpSolution SolveWithClpBarrier(const optimize::Problem& problem) {
  const DenseQp qp = optimize::testing::FormulateDenseQp(problem);
  const int num_variables = qp.num_variables();
  const int n = qp.num_securities;

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
  optimize::testing::LoadLinearPart(qp, linear, model);
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
  solution.status = optimize::testing::ClpStatusName(model.status());
  solution.iterations = model.numberIterations();
  optimize::testing::Interpret(
      qp, Eigen::Map<const Eigen::VectorXd>(model.primalColumnSolution(), num_variables), solution);
  return solution;
}

}  // namespace arbor::bench
