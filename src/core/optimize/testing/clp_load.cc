#include "core/optimize/testing/clp_load.h"

#include <CoinFinite.hpp>
#include <CoinPackedMatrix.hpp>
#include <cmath>
#include <vector>

namespace arbor::optimize::testing {
namespace {

double ClpBound(double bound) { return std::isinf(bound) ? std::copysign(COIN_DBL_MAX, bound) : bound; }

}  // namespace

void LoadLinearPart(const DenseQp& qp, const Eigen::VectorXd& linear_cost, ClpModel& model) {
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
  CoinPackedMatrix matrix(/*colordered=*/true, row_of_entry.data(), column_of_entry.data(), entries.data(),
                          static_cast<CoinBigIndex>(entries.size()));
  matrix.setDimensions(static_cast<int>(qp.rows.size()), qp.num_variables());
  std::vector<double> column_lower(qp.num_variables());
  std::vector<double> column_upper(qp.num_variables());
  for (int k = 0; k < qp.num_variables(); ++k) {
    column_lower[k] = ClpBound(qp.variable_lower(k));
    column_upper[k] = ClpBound(qp.variable_upper(k));
  }
  model.loadProblem(matrix, column_lower.data(), column_upper.data(), linear_cost.data(), row_lower.data(),
                    row_upper.data());
}

const char* ClpStatusName(int status) {
  static const char* const kNames[] = {"optimal",          "primal infeasible",
                                       "dual infeasible",  "stopped on iterations or time",
                                       "stopped due to errors", "stopped by event handler"};
  return status >= 0 && status < 6 ? kNames[status] : "unknown Clp status";
}

}  // namespace arbor::optimize::testing
