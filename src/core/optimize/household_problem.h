// The household problem of docs/rebalance-problem.md section 4: several accounts of one
// taxpayer (or of spouses) managed jointly to one household target. The securities, risk model,
// groups, tax budget and turnover cap are the household's; cash, lots, the securities an account
// may buy, cost rates and the asset-location preferences are each account's.
//
//   HouseholdProblem problem;   // securities, risk, groups as for one account
//   problem.accounts.push_back({.id = "TAX", .type = "taxable", .cash = {...}, .lots = {...}});
//   problem.accounts.push_back({.id = "IRA", .type = "traditional_ira", .lots = {...}});
//   HouseholdSolution solution = SolveHousehold(problem).value();
//   solution.accounts[1].buys;  // shares of each security bought in the IRA
//
// A tax-deferred or tax-exempt account's lots carry tax rate 0 (the caller sets r_j), which is
// what makes those accounts the household's tax-free place to rebalance.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/base/status.h"
#include "core/optimize/problem.h"
#include "core/optimize/solver.h"

namespace arbor::optimize {

struct HouseholdAccountInput {
  std::string id;
  std::string type;  // e.g. "taxable", "traditional_ira", "roth_ira", "401k": for reports only
  CashInput cash;
  std::vector<LotInput> lots;  // LotInput::security indexes HouseholdProblem::securities
  // The securities the account may buy (a 401k's menu, the account's restrictions), possibly
  // none; absent means every security whose SecurityInput::may_buy is set.
  std::optional<std::vector<int>> allowed;
  // Per security, this account's cost rate k_{a,i}; empty means each security's cost_rate.
  std::vector<double> cost_rates;
  // Per security, loc_{a,i}: dollars of objective per dollar of V_H held in this account
  // (negative prefers holding the security here); empty means no preference.
  std::vector<double> location;
  // nu_a: dollars of objective per dollar of V_a of ||w^a - t||_1, w^a the account's own
  // weights. Zero (the default) lets an account look nothing like the target.
  double drift_penalty = 0;
};

struct HouseholdProblem {
  std::vector<SecurityInput> securities;  // the household's targets and weight bounds
  std::vector<HouseholdAccountInput> accounts;
  RiskInput risk;
  std::vector<GroupInput> groups;      // drift and bounds on the household's weights
  std::optional<double> tax_budget;    // B: net tax dollars over all accounts
  std::optional<double> turnover_max;  // T: traded dollars over all accounts

  int num_securities() const { return static_cast<int>(securities.size()); }
  int num_accounts() const { return static_cast<int>(accounts.size()); }
};

struct HouseholdAccountResult {
  Eigen::VectorXd buys;   // shares bought, per security
  Eigen::VectorXd sells;  // shares sold, per lot of the account
  double value_before = 0;  // V_a
  double cash_after = 0;
  double tax = 0;            // realized tax of the account's sells, dollars
  double cost = 0;           // trading cost, dollars
  double location = 0;       // the location term's share of this account, dollars
  double drift = 0;          // nu_a V_a ||w^a - t||_1, dollars
  Eigen::VectorXd weights;   // the account's holdings after trading, fractions of V_a
};

// The household's derived quantities at a trade list (the single-account Evaluation at
// household level: its `terms.drift` holds the group and per-account drift) plus each account's.
struct HouseholdEvaluation {
  Evaluation household;
  double location = 0;  // V_H sum loc_{a,i} w_{a,i}, dollars (part of the objective)
  std::vector<HouseholdAccountResult> accounts;
  double objective() const { return household.terms.total() + location; }
};

struct HouseholdSolution {
  std::vector<HouseholdAccountResult> accounts;  // buys and sells per account, with its figures
  HouseholdEvaluation evaluation;
  Summary summary;
  double objective() const { return evaluation.objective(); }
};

// Checks the problem as ValidateProblem does for one account, plus the accounts: unique ids,
// lot and security indices in range, sizes of the per-security vectors. Messages name the field
// (e.g. "accounts[IRA].lots[L7].shares").
Status ValidateHouseholdProblem(const HouseholdProblem& problem);

// The derived quantities and objective at buys[a] (shares per security) and sells[a] (shares
// per lot of account a), computed from their definitions: what tests check solvers against.
HouseholdEvaluation EvaluateHousehold(const HouseholdProblem& problem, const std::vector<Eigen::VectorXd>& buys,
                                      const std::vector<Eigen::VectorXd>& sells);

// The joint solve, with the single-account solver's method and guarantees. Warm starts in
// `options` are not used (they are per account).
Result<HouseholdSolution> SolveHousehold(const HouseholdProblem& problem, const SolverOptions& options = {});

}  // namespace arbor::optimize
