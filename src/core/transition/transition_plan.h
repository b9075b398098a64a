// A tax-sensitive transition of a prospect's legacy portfolio to a target (docs/transition.md):
// the first trades, and a projection of the following years under a yearly budget, for several
// budgets side by side so the client can choose.
//
//   RebalanceInput start = ...;   // the legacy lots, the target weights, prices, risk rows
//   TransitionOptions options{.years = 10, .goal_tracking_error = 0.01};
//   TransitionPlan plan = PlanTransition(start, {{BudgetKind::kGains, Money::Units(0)},
//                                                {BudgetKind::kGains, Money::Units(25000)},
//                                                {BudgetKind::kLiquidation, {}}}, options).value();
//   plan.paths[1].years[0].trades;          // the first trades under a $25k gains budget
//   plan.paths[1].years_to_goal;            // first year with tracking error under 1%
//
// Each year is one run of the real rebalance (core/review/rebalance.h) on the holdings the
// earlier years left, at expected prices (market_assumptions.h), with the year's budget as its
// tax budget: the engine spends it on the trades that cut tracking error most per dollar of tax,
// harvesting losses where they help. Lots age into long-term between the yearly reviews; gains
// grow with the expected return. Full liquidation sells on the first day every legacy share
// above its target (every share of a name the target does not hold), least gain per share first,
// and lets the engine invest the proceeds without buying back a name sold at a loss (IRC 1091);
// its later years rebalance without a budget.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.h"
#include "core/base/fixed.h"
#include "core/base/status.h"
#include "core/review/proposal.h"
#include "core/review/rebalance.h"
#include "core/review/rebalance_input.h"
#include "core/transition/market_assumptions.h"
#include "core/transition/realized.h"

namespace arbor::transition {

enum class BudgetKind {
  kGains,        // net realized gains a year, in dollars
  kTax,          // net tax a year, in dollars (the engine's tax budget)
  kLiquidation,  // reach the target in the first year, whatever the tax
};
std::string_view ToString(BudgetKind kind);  // gains, tax, liquidation

struct TransitionBudget {
  BudgetKind kind = BudgetKind::kGains;
  Money dollars;  // a year; not used by kLiquidation
};
// "gains 25,000/yr", "tax 0/yr", "full liquidation".
std::string BudgetLabel(const TransitionBudget& budget);

struct TransitionOptions {
  int years = 10;                     // reviews projected, the first on the plan's date
  double goal_tracking_error = 0.01;  // "close enough to the target", for years_to_goal
  CapitalMarketAssumptions market;
  review::RebalanceOptions engine;
};
Status ValidateTransitionOptions(const TransitionOptions& options);

struct TransitionYear {
  int year = 0;  // 1: the first trades, on the plan's date; year k is k-1 years later
  Date as_of;
  double value = 0;        // before trading, at expected prices
  ValueRange value_range;  // one sigma around `value`
  std::vector<review::Trade> trades;
  Money sold, bought;
  Realized realized;
  std::optional<Money> tax_budget;  // what the engine was given (gains: the search's answer)
  double tracking_error_before = 0;
  double tracking_error_after = 0;
  Money unrealized_gain_after;     // embedded gain left in the lots
  std::vector<std::string> notes;  // relaxations, a gains budget nothing fitted in
};

struct TransitionPath {
  TransitionBudget budget;
  std::vector<TransitionYear> years;
  Money total_tax;
  // The first year whose tracking error after trading is under the goal (0: the legacy
  // portfolio already is); none when no projected year reaches it.
  std::optional<int> years_to_goal;
  int rebalances = 0;  // engine runs, the gains budget's search included
};

struct TransitionPlan {
  std::string account;
  Date as_of;
  double start_value = 0;
  double start_tracking_error = 0;
  Money start_unrealized_gain;
  TransitionOptions options;
  std::vector<TransitionPath> paths;  // in the order of the budgets
};

Result<TransitionPath> ProjectTransition(const review::RebalanceInput& start,
                                         const TransitionBudget& budget,
                                         const TransitionOptions& options);

Result<TransitionPlan> PlanTransition(const review::RebalanceInput& start,
                                      const std::vector<TransitionBudget>& budgets,
                                      const TransitionOptions& options);

}  // namespace arbor::transition
