// The rebalance problem (docs/rebalance-problem.md section 1), or the household problem of
// section 4, written out as a general QP that ignores its structure, for independent solvers
// (Ipopt, Clp) to check and race ours:
//
//   minimize   0.5 (w - t)' H (w - t) + c' x + constant    H = lambda * (X F X' + diag(d)), dense
//   subject to row_lower <= A x <= row_upper,  variable_lower <= x <= variable_upper
//
// over x = [buys | sells | weights | drifts]. Every variable and row is a fraction of V (buys
// and sells in dollars / V), so one tolerance means the same everywhere; the objective is in
// dollars / V. The weights are variables tied to the trades by one equality row each, which
// keeps H n x n instead of (n + #lots)^2; each penalized group gets an epigraph variable
// drift_g >= |active_g| (two rows), since |.| is not smooth.
//
// A household has one buy variable per account and security (fixed at 0 where the account may
// not buy), the sells of every account's lots in account order, the household weights (V is
// V_H), one cash row per account, and an epigraph variable per security of each account with a
// drift penalty: e_{a,i} >= |w_{a,i} - t_i V_a / V_H|, w_{a,i} the account's holding in units
// of V_H, at cost nu_a. The location term is linear in the trades plus the constant of today's
// holdings. One account is the same formulation, variable for variable, as FormulateDenseQp.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <string>
#include <vector>

#include "core/optimize/household_problem.h"
#include "core/optimize/problem.h"

namespace arbor::optimize::testing {

inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();

struct DenseQpRow {
  std::string name;  // e.g. "accounts[A].cash", "weight[S001]", "group[G2].max_active"
  std::vector<std::pair<int, double>> terms;  // (variable, coefficient)
  double lower = -kUnbounded;
  double upper = kUnbounded;
};

struct DenseQp {
  int num_securities = 0;
  int num_buys = 0;               // one per security of each account
  int num_lots = 0;               // every account's lots, in account order
  int num_drifts = 0;             // the penalized groups' epigraph variables, then the accounts'
  std::vector<int> drift_groups;  // the group of each group drift variable (groups with a penalty)
  double normalizer = 0;          // V (V_H for a household), dollars
  std::vector<double> prices;
  std::vector<int> buy_security;
  std::vector<int> lot_security;

  Eigen::VectorXd variable_lower, variable_upper;
  Eigen::VectorXd linear_cost;   // c
  double constant_cost = 0;      // the location term of today's holdings, dollars / V
  Eigen::MatrixXd risk_hessian;  // H over the weight variables, n x n (zero when lambda = 0)
  Eigen::VectorXd targets;       // t
  std::vector<DenseQpRow> rows;  // rows[i] for i < n is security i's weight row (lower = upper =
                                 // today's weight), then cash, group, drift, tax, turnover rows

  int buy(int k) const { return k; }  // k = account * num_securities + security
  int sell(int lot) const { return num_buys + lot; }
  int weight(int security) const { return num_buys + num_lots + security; }
  int drift(int k) const { return num_buys + num_lots + num_securities + k; }
  int num_variables() const { return num_buys + num_lots + num_securities + num_drifts; }
  bool is_linear() const { return risk_hessian.isZero(0.0); }

  // Objective at x, in dollars / V.
  double Objective(const Eigen::VectorXd& x) const;
  // The largest violation of any variable bound or row at x, in dollars / V.
  double MaxViolation(const Eigen::VectorXd& x) const;
  // Shares bought per buy variable and sold per lot at x.
  Eigen::VectorXd Buys(const Eigen::VectorXd& x) const;
  Eigen::VectorXd Sells(const Eigen::VectorXd& x) const;
};

DenseQp FormulateDenseQp(const Problem& problem);
DenseQp FormulateDenseQp(const HouseholdProblem& problem);

// Account `a` alone, as a Problem: the household's securities with the account's buy
// permissions (SecurityInput::may_buy and the account's `allowed`) and cost rates, no weight
// bounds; the account's lots and cash; no groups, risk, budget or cap.
Problem AccountAlone(const HouseholdProblem& problem, int a);

// The account as a household of one ("A", taxable): the same problem in the household's terms.
HouseholdProblem AsHousehold(const Problem& problem);

// What an independent solver made of a DenseQp, translated back to the Problem's units.
struct DenseQpSolution {
  bool certified_optimal = false;  // the solver's own optimality certificate
  bool proven_infeasible = false;
  std::string status;        // the solver's status, in its words
  double objective = 0;      // dollars, recomputed from the returned point
  double max_violation = 0;  // dollars
  Eigen::VectorXd buys;      // shares per buy variable (per security for one account)
  Eigen::VectorXd sells;     // shares per lot
  int iterations = 0;
};

// A household solution's trades per account: buys per security, sells per lot of the account.
struct AccountTrades {
  std::vector<Eigen::VectorXd> buys;
  std::vector<Eigen::VectorXd> sells;
};
AccountTrades SplitByAccount(const HouseholdProblem& problem, const DenseQpSolution& solution);

// Fills objective, violation, buys and sells of `solution` from the solver's point x.
void Interpret(const DenseQp& qp, const Eigen::VectorXd& x, DenseQpSolution& solution);

}  // namespace arbor::optimize::testing
