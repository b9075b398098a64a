// The discrete layer's decisions on top of an AccountModel's base problem: a trade direction per
// wash-sale group, orders dropped below the minimum trade size, and the constraints relaxed
// because not everything fits. Materialize() turns them into the core problem to solve.
//
//   Controls controls = InitialControls(model);
//   controls.directions[g] = Direction::kSell;   // harvest group g: nothing of it may be bought
//   optimize::Problem problem = Materialize(model, controls);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/optimize/problem.h"
#include "core/review/account_model.h"

namespace arbor::review {

// What a wash-sale group may do in this proposal (IRC 1091: a buy and a loss sale of
// substantially identical securities within 30 days wash the loss).
enum class Direction {
  kFree,  // no conflict found: both sides open
  kBuy,   // buys allowed; its lots may be sold only at a gain
  kSell,  // loss lots may be sold; nothing of the group may be bought
};
std::string_view ToString(Direction direction);

// Constraints the proposal may relax, lowest priority first: hard customer constraints before
// the cash needs (docs/rebalance-problem.md section 3). Must-sell lots are never relaxed.
enum class RelaxationKind {
  kTaxBudget,         // dropped
  kCashMax,           // dropped
  kSellRestrictions,  // no_sell / hold lots and lots whose loss a recent purchase would wash
                      // become sellable, to meet the cash needs
  kCashMin,           // lowered to the most cash the sellable lots can raise
};
std::string_view ToString(RelaxationKind kind);

struct Relaxation {
  RelaxationKind kind;
  std::string constraint;  // e.g. "cash minimum 50,000.00"
  std::string reason;      // a sentence for the proposal
  double cash_min = 0;     // kCashMin: the lowered minimum, dollars
};

struct Controls {
  std::vector<Direction> directions;  // per wash group of the model
  std::vector<bool> buy_dropped;      // per security: its buy fell below the minimum trade
  std::vector<bool> sell_dropped;     // per security: its (optional) sells fell below it
  std::vector<Relaxation> relaxations;

  bool Relaxed(RelaxationKind kind) const;
};

Controls InitialControls(const AccountModel& model);

// Marks the orders of a solution (shares bought per security, sold per lot) worth more than
// nothing but less than the minimum trade as dropped; false if there are none. Must-sell lots
// are never dropped.
bool DropSmallOrders(const AccountModel& model, const Eigen::VectorXd& buys, const Eigen::VectorXd& sells,
                     Controls& controls);

// The base problem with the controls applied.
optimize::Problem Materialize(const AccountModel& model, const Controls& controls);

// The same in place: `problem` is a copy of model.problem, perhaps with other controls applied
// (everything the controls touch is rewritten from the base). Spares a re-solve the copy of
// every lot.
void ApplyControls(const AccountModel& model, const Controls& controls, optimize::Problem& problem);

}  // namespace arbor::review
