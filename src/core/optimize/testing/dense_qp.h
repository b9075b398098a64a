// The rebalance problem (docs/rebalance-problem.md section 1) written out as a general QP that
// ignores its structure, for independent solvers (Ipopt, Clp) to check and race ours:
//
//   minimize   0.5 (w - t)' H (w - t) + c' x        H = lambda * (X F X' + diag(d)), dense
//   subject to row_lower <= A x <= row_upper,  variable_lower <= x <= variable_upper
//
// over x = [buys | sells | weights | drifts]. Every variable and row is a fraction of V (buys
// and sells in dollars / V), so one tolerance means the same everywhere; the objective is in
// dollars / V. The weights are variables tied to the trades by one equality row each, which
// keeps H n x n instead of (n + #lots)^2; each penalized group gets an epigraph variable
// drift_g >= |active_g| (two rows), since |.| is not smooth.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <string>
#include <vector>

#include "core/optimize/problem.h"

namespace arbor::optimize::testing {

inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();

struct DenseQpRow {
  std::string name;                           // e.g. "cash", "weight[S001]", "group[G2].max_active"
  std::vector<std::pair<int, double>> terms;  // (variable, coefficient)
  double lower = -kUnbounded;
  double upper = kUnbounded;
};

struct DenseQp {
  int num_securities = 0;
  int num_lots = 0;
  std::vector<int> drift_groups;  // the group of each drift variable (groups with a penalty)
  double normalizer = 0;          // V, dollars
  std::vector<double> prices;
  std::vector<int> lot_security;

  Eigen::VectorXd variable_lower, variable_upper;
  Eigen::VectorXd linear_cost;   // c
  Eigen::MatrixXd risk_hessian;  // H over the weight variables, n x n (zero when lambda = 0)
  Eigen::VectorXd targets;       // t
  std::vector<DenseQpRow> rows;  // rows[i] for i < n is security i's weight row (lower = upper =
                                 // today's weight), then cash, group, drift, tax, turnover rows

  int buy(int security) const { return security; }
  int sell(int lot) const { return num_securities + lot; }
  int weight(int security) const { return num_securities + num_lots + security; }
  int drift(int k) const { return 2 * num_securities + num_lots + k; }
  int num_variables() const {
    return 2 * num_securities + num_lots + static_cast<int>(drift_groups.size());
  }
  bool is_linear() const { return risk_hessian.isZero(0.0); }

  // Objective at x, in dollars / V.
  double Objective(const Eigen::VectorXd& x) const;
  // The largest violation of any variable bound or row at x, in dollars / V.
  double MaxViolation(const Eigen::VectorXd& x) const;
  // Shares bought per security and sold per lot at x.
  Eigen::VectorXd Buys(const Eigen::VectorXd& x) const;
  Eigen::VectorXd Sells(const Eigen::VectorXd& x) const;
};

DenseQp FormulateDenseQp(const Problem& problem);

// What an independent solver made of a DenseQp, translated back to the Problem's units.
struct DenseQpSolution {
  bool certified_optimal = false;  // the solver's own optimality certificate
  bool proven_infeasible = false;
  std::string status;        // the solver's status, in its words
  double objective = 0;      // dollars, recomputed from the returned point
  double max_violation = 0;  // dollars
  Eigen::VectorXd buys;      // shares per security
  Eigen::VectorXd sells;     // shares per lot
  int iterations = 0;
};

// Fills objective, violation, buys and sells of `solution` from the solver's point x.
void Interpret(const DenseQp& qp, const Eigen::VectorXd& x, DenseQpSolution& solution);

}  // namespace arbor::optimize::testing
