// The full rebalance of a household (docs/rebalance-problem.md section 4): its accounts solved
// jointly toward one household target, with the discrete rules of section 3 held across all of
// them: wash-sale exclusivity per group over every account of the household's taxpayers (no buy
// of a group anywhere while a loss lot of it is sold anywhere, so an IRA purchase never washes a
// taxable loss), each account's minimum trade, share increments and cash minimum.
//
//   HouseholdRebalanceInput input;
//   input.household = "SMITH";
//   input.targets = {...};                 // per security of the shared list, fractions of V_H
//   input.accounts = {taxable, ira, roth}; // RebalanceInputs over the SAME securities, in order
//   input.location = {...};                // per account, per security (optional)
//   Result<HouseholdProposal> p = RebalanceHousehold(input);
//   p->accounts[0].trades;                 // the taxable account's trades, as for one account
//   p->score.total_dollars;                // the household objective's improvement
//
// Each account keeps its own RebalanceInput: lots, cash settings and withdrawal, restrictions,
// tax rates (a tax-deferred account's sales cost no tax), minimum trade, the taxpayer's recent
// purchases and loss sales. The household's targets, risk model and drift groups replace the
// accounts' own (an account's target_weight is ignored; its proposal's tracking error is
// measured against the household targets). Each account gets a Proposal as it would alone, and
// the household gets the metrics that only exist jointly.
#pragma once

#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/optimize/problem.h"
#include "core/review/proposal.h"
#include "core/review/rebalance.h"
#include "core/review/rebalance_input.h"

namespace arbor::review {

struct HouseholdRebalanceInput {
  std::string household;
  Date as_of;
  // Per security of the accounts' shared list: the household target, a fraction of V_H.
  std::vector<double> targets;
  std::vector<RebalanceInput> accounts;
  // Per account, per security: loc_{a,i} of the spec (negative prefers holding i in account a),
  // dollars of objective per dollar held per year; empty for none.
  std::vector<std::vector<double>> location;
  // nu_a for every account: 0 lets an account look nothing like the target.
  double account_drift_penalty = 0;
  std::optional<Money> tax_budget;  // net tax dollars over the household's taxable accounts
  double risk_aversion = 0;
  RiskRows risk;                    // rows aligned to the shared securities
  std::vector<DriftGroup> groups;   // members from each security's `groups`
};

// The household before or after the proposal.
struct HouseholdMetrics {
  double tracking_error = 0;  // of the combined holdings against the targets, annualized
  Money cash;                 // all accounts
  Money tax;                  // of the proposal, all accounts (0 before)
  Money cost;
  double location = 0;        // the location term, dollars
  optimize::ObjectiveTerms objective;
};

struct HouseholdProposal {
  std::string household;
  Date as_of;
  double value = 0;                 // V_H, after withdrawals
  std::vector<Proposal> accounts;   // in the input's order; each with its own trades and notes
  HouseholdMetrics before, after;
  std::vector<GroupDrift> group_drift;  // household level
  CostBenefit score;                    // household objective (location included in total)
  double location_benefit = 0;          // location term before - after, dollars (>0: better)
  std::vector<WashSaleNote> wash_sales; // directions fixed across the household
  std::vector<Relaxation> relaxations;  // household-wide (each account's are in its proposal)
  std::vector<std::string> notes;
  int solves = 0;
  double solve_seconds = 0;
};

Result<HouseholdProposal> RebalanceHousehold(const HouseholdRebalanceInput& input,
                                             const RebalanceOptions& options = {});

}  // namespace arbor::review
