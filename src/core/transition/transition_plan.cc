#include "core/transition/transition_plan.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/ledger/holding_period.h"
#include "core/review/dollars.h"
#include "core/transition/gains_budget.h"
#include "core/transition/holdings.h"

namespace arbor::transition {
namespace {

// One year's trades as the engine (or the liquidation) chose them.
struct YearTrades {
  std::vector<review::Trade> trades;
  Money cash_after;
  std::optional<Money> tax_budget;
  std::vector<std::string> notes;
  int rebalances = 0;
};

YearTrades FromProposal(review::Proposal proposal) {
  YearTrades year{
      .trades = std::move(proposal.trades), .cash_after = proposal.after.cash, .rebalances = 1};
  for (const review::Relaxation& relaxation : proposal.relaxations) {
    year.notes.push_back(relaxation.reason);
  }
  return year;
}

// The sells of a liquidation: every legacy share the target does not hold at its weight, the
// lots with the least gain per share first, so shares the target keeps anyway are not sold and
// bought back. `cost` gets their estimated trading cost, `loss_sales` the groups sold at a loss
// (a buy in them now would wash the loss, IRC 1091).
std::vector<review::Trade> SellTheExcess(const review::RebalanceInput& input, Money* cost,
                                         std::vector<review::RecentLossSale>* loss_sales) {
  const double value = AccountValue(input);
  std::vector<review::Trade> sells;
  for (const review::RebalanceSecurity& security : input.securities) {
    std::vector<const review::RebalanceLot*> lots;
    Shares held;
    for (const review::RebalanceLot& lot : input.lots) {
      if (lot.symbol != security.symbol) continue;
      lots.push_back(&lot);
      held += lot.shares;
    }
    const Shares keep = Shares::Units(static_cast<int64_t>(
        std::floor(security.target_weight * value / security.price.ToDouble())));
    if (held <= keep) continue;
    std::ranges::stable_sort(lots, [&](const auto* a, const auto* b) {
      return PerShare(a->basis, a->shares) > PerShare(b->basis, b->shares);
    });
    review::Trade trade{.symbol = security.symbol,
                        .side = review::TradeSide::kSell,
                        .price = security.price,
                        .reason = review::TradeReason::kModelChange,
                        .why = "liquidation: every share above the target is sold"};
    Shares excess = held - keep;
    for (const review::RebalanceLot* lot : lots) {
      if (!excess.is_positive()) break;
      const Shares shares = std::min(excess, lot->shares);
      excess -= shares;
      const review::LotSale sale{.lot_id = lot->id,
                                 .acquired = lot->acquired,
                                 .holding_period_date = lot->holding_period_date,
                                 .shares = shares,
                                 .proceeds = Value(shares, security.price),
                                 .basis = lot->basis.Prorate(shares, lot->shares),
                                 .term = TermOf(lot->holding_period_date, input.as_of)};
      if (sale.Gain().is_negative() &&
          (loss_sales->empty() || loss_sales->back().symbol != security.symbol)) {
        loss_sales->push_back({.wash_sale_group = security.wash_sale_group,
                               .account = input.account,
                               .symbol = security.symbol,
                               .sold = input.as_of});
      }
      trade.shares += shares;
      trade.amount += sale.proceeds;
      trade.lots.push_back(sale);
    }
    trade.cost = Money::FromDouble(trade.amount.ToDouble() * security.cost_rate);
    *cost += trade.cost;
    sells.push_back(std::move(trade));
  }
  return sells;
}

// Sell the excess, then let the engine invest the cash toward the targets: it only buys (what is
// left is at or under its target; selling it would only harvest), and never a group sold at a
// loss.
Result<YearTrades> Liquidate(const review::RebalanceInput& input,
                             const TransitionOptions& options) {
  Money cost;
  review::RebalanceInput cashed = input;
  std::vector<review::Trade> sells = SellTheExcess(input, &cost, &cashed.recent_loss_sales);
  for (review::RebalanceSecurity& security : cashed.securities) {
    if (security.restriction == review::Restriction::kNone) {
      security.restriction = review::Restriction::kNoSell;
    }
  }
  Money cash = input.cash.balance - cost;
  for (const review::Trade& sell : sells) cash += sell.amount;
  ARBOR_RETURN_IF_ERROR(ApplyTrades(sells, cash, "", &cashed));
  Result<review::Proposal> invest = review::Rebalance(cashed, options.engine);
  if (!invest.ok()) return invest.status();
  YearTrades year = FromProposal(std::move(invest).value());
  sells.insert(sells.end(), std::make_move_iterator(year.trades.begin()),
               std::make_move_iterator(year.trades.end()));
  year.trades = std::move(sells);
  return year;
}

Result<YearTrades> RunEngine(review::RebalanceInput input, const TransitionBudget& budget,
                             const TransitionOptions& options) {
  if (budget.kind == BudgetKind::kGains) {
    Result<GainsBudgetOutcome> outcome =
        RebalanceWithinGains(input, budget.dollars, options.engine);
    if (!outcome.ok()) return outcome.status();
    if (!outcome->proposal) {
      return YearTrades{.cash_after = input.cash.balance,
                        .notes = {"no rebalance kept the net gain within the budget: no trades"},
                        .rebalances = outcome->rebalances};
    }
    YearTrades year = FromProposal(std::move(*outcome->proposal));
    year.tax_budget = outcome->tax_budget;
    year.rebalances = outcome->rebalances;
    return year;
  }
  if (budget.kind == BudgetKind::kTax) input.tax_budget = budget.dollars;
  Result<review::Proposal> proposal = review::Rebalance(input, options.engine);
  if (!proposal.ok()) return proposal.status();
  YearTrades year = FromProposal(std::move(proposal).value());
  year.tax_budget = input.tax_budget;
  return year;
}

}  // namespace

std::string_view ToString(BudgetKind kind) {
  switch (kind) {
    case BudgetKind::kGains:
      return "gains";
    case BudgetKind::kTax:
      return "tax";
    case BudgetKind::kLiquidation:
      return "liquidation";
  }
  return "gains";
}

std::string BudgetLabel(const TransitionBudget& budget) {
  if (budget.kind == BudgetKind::kLiquidation) return "full liquidation";
  std::string dollars = review::Dollars(budget.dollars);
  if (dollars.ends_with(".00")) dollars.resize(dollars.size() - 3);
  return std::string(ToString(budget.kind)) + " " + dollars + "/yr";
}

Status ValidateTransitionOptions(const TransitionOptions& options) {
  if (options.years < 1 || options.years > 50) {
    return Status::InvalidArgument("years must be 1..50, got " + std::to_string(options.years));
  }
  if (!(options.goal_tracking_error > 0 && options.goal_tracking_error < 1)) {
    return Status::InvalidArgument("the tracking-error goal must be in (0, 1), got " +
                                   std::to_string(options.goal_tracking_error));
  }
  return ValidateAssumptions(options.market);
}

Result<TransitionPath> ProjectTransition(const review::RebalanceInput& start,
                                         const TransitionBudget& budget,
                                         const TransitionOptions& options) {
  ARBOR_RETURN_IF_ERROR(ValidateTransitionOptions(options));
  if (budget.kind != BudgetKind::kLiquidation && budget.dollars.is_negative()) {
    return Status::InvalidArgument("budget " + BudgetLabel(budget) + " is negative");
  }
  TransitionPath path{.budget = budget};
  review::RebalanceInput state = start;
  state.tax_budget.reset();
  if (TrackingError(state) < options.goal_tracking_error) path.years_to_goal = 0;
  for (int year = 1; year <= options.years; ++year) {
    TransitionYear record{.year = year, .as_of = state.as_of, .value = AccountValue(state)};
    record.value_range = OneSigmaRange(options.market, record.value, year - 1);
    record.tracking_error_before = TrackingError(state);
    state.realized_this_year = {};
    Result<YearTrades> trades = budget.kind == BudgetKind::kLiquidation && year == 1
                                    ? Liquidate(state, options)
                                    : RunEngine(state, budget, options);
    if (!trades.ok()) return trades.status();
    record.realized = RealizedBy(trades->trades, state.tax_rates);
    for (const review::Trade& trade : trades->trades) {
      (trade.side == review::TradeSide::kSell ? record.sold : record.bought) += trade.amount;
    }
    ARBOR_RETURN_IF_ERROR(
        ApplyTrades(trades->trades, trades->cash_after, "Y" + std::to_string(year), &state));
    record.tracking_error_after = TrackingError(state);
    record.unrealized_gain_after = UnrealizedGain(state);
    record.tax_budget = trades->tax_budget;
    record.notes = std::move(trades->notes);
    record.trades = std::move(trades->trades);
    path.total_tax += record.realized.tax;
    path.rebalances += trades->rebalances;
    if (!path.years_to_goal && record.tracking_error_after < options.goal_tracking_error) {
      path.years_to_goal = year;
    }
    path.years.push_back(std::move(record));
    // The next review: a year on, the window of this one's wash sales long closed.
    state.as_of = start.as_of.AddYears(year);
    state.recent_purchases.clear();
    state.recent_loss_sales.clear();
    GrowPrices(options.market, &state);
  }
  return path;
}

Result<TransitionPlan> PlanTransition(const review::RebalanceInput& start,
                                      const std::vector<TransitionBudget>& budgets,
                                      const TransitionOptions& options) {
  ARBOR_RETURN_IF_ERROR(ValidateTransitionOptions(options));
  ARBOR_RETURN_IF_ERROR(review::ValidateRebalanceInput(start));
  TransitionPlan plan{.account = start.account,
                      .as_of = start.as_of,
                      .start_value = AccountValue(start),
                      .start_tracking_error = TrackingError(start),
                      .start_unrealized_gain = UnrealizedGain(start),
                      .options = options};
  for (const TransitionBudget& budget : budgets) {
    Result<TransitionPath> path = ProjectTransition(start, budget, options);
    if (!path.ok()) return path.status();
    plan.paths.push_back(std::move(path).value());
  }
  return plan;
}

}  // namespace arbor::transition
