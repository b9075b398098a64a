#include "core/review/controls.h"

#include "core/review/wash_directions.h"

#include <algorithm>

namespace arbor::review {

std::string_view ToString(Direction direction) {
  switch (direction) {
    case Direction::kFree:
      return "free";
    case Direction::kBuy:
      return "buy";
    case Direction::kSell:
      return "sell";
  }
  return "free";
}

std::string_view ToString(RelaxationKind kind) {
  switch (kind) {
    case RelaxationKind::kTaxBudget:
      return "tax_budget";
    case RelaxationKind::kCashMax:
      return "cash_max";
    case RelaxationKind::kSellRestrictions:
      return "sell_restrictions";
    case RelaxationKind::kCashMin:
      return "cash_min";
  }
  return "tax_budget";
}

bool Controls::Relaxed(RelaxationKind kind) const {
  return std::any_of(relaxations.begin(), relaxations.end(),
                     [kind](const Relaxation& r) { return r.kind == kind; });
}

Controls InitialControls(const AccountModel& model) {
  Controls controls;
  controls.directions.assign(model.wash_groups.size(), Direction::kFree);
  controls.buy_dropped.assign(model.securities.size(), false);
  controls.sell_dropped.assign(model.securities.size(), false);
  return controls;
}

bool DropSmallOrders(const AccountModel& model, const Eigen::VectorXd& buys, const Eigen::VectorXd& sells,
                     Controls& controls) {
  const double minimum = model.input->min_trade.ToDouble();
  const double negligible = kNegligibleTradeWeight * model.value;
  bool dropped = false;
  for (size_t i = 0; i < model.securities.size(); ++i) {
    const double price = model.problem.securities[i].price;
    const double bought = buys[static_cast<Eigen::Index>(i)] * price;
    if (!controls.buy_dropped[i] && bought > negligible && bought < minimum) {
      controls.buy_dropped[i] = dropped = true;
    }
    double sold = 0;
    for (int j : model.lots_of_security[i]) {
      if (!model.problem.lots[j].must_sell) sold += sells[j] * price;
    }
    if (!controls.sell_dropped[i] && sold > negligible && sold < minimum) {
      controls.sell_dropped[i] = dropped = true;
    }
  }
  return dropped;
}

void ApplyControls(const AccountModel& model, const Controls& controls, optimize::Problem& problem) {
  const optimize::Problem& base = model.problem;
  for (size_t i = 0; i < problem.securities.size(); ++i) {
    const Direction direction = controls.directions[model.securities[i].wash_group];
    problem.securities[i].may_buy =
        base.securities[i].may_buy && direction != Direction::kSell && !controls.buy_dropped[i];
  }
  const bool lifted = controls.Relaxed(RelaxationKind::kSellRestrictions);
  for (size_t j = 0; j < problem.lots.size(); ++j) {
    optimize::LotInput& lot = problem.lots[j];
    lot.sellable = base.lots[j].sellable;
    if (lot.must_sell) continue;
    const LotFacts& facts = model.lots[j];
    if (lifted && (facts.restricted || facts.wash_held)) lot.sellable = true;
    const Direction direction = controls.directions[model.securities[lot.security].wash_group];
    if ((direction == Direction::kBuy && facts.reportable_loss) ||
        controls.sell_dropped[lot.security]) {
      lot.sellable = false;
    }
  }
  problem.tax_budget = base.tax_budget;
  problem.cash.max = base.cash.max;
  problem.cash.min = base.cash.min;
  for (const Relaxation& relaxation : controls.relaxations) {
    switch (relaxation.kind) {
      case RelaxationKind::kTaxBudget:
        problem.tax_budget.reset();
        break;
      case RelaxationKind::kCashMax:
        problem.cash.max.reset();
        break;
      case RelaxationKind::kSellRestrictions:
        break;  // applied to the lots above
      case RelaxationKind::kCashMin:
        problem.cash.min = relaxation.cash_min;
        break;
    }
  }
}

optimize::Problem Materialize(const AccountModel& model, const Controls& controls) {
  optimize::Problem problem = model.problem;
  ApplyControls(model, controls, problem);
  return problem;
}

}  // namespace arbor::review
