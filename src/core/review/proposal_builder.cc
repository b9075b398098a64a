#include "core/review/proposal_builder.h"

#include <cstdio>
#include <map>
#include <set>

#include "core/ledger/wash_sale.h"
#include "core/review/dollars.h"

namespace arbor::review {
namespace {

std::string Percent(double weight) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f%%", 100 * weight);
  return buffer;
}

Money TaxOn(Money gain, double rate) { return Money::FromDouble(rate * gain.ToDouble()); }

// Realized gains by term and sign; a washed loss is disallowed now and counts as zero.
void AddRealized(const LotSale& sale, RealizedGains& realized) {
  const Money gain = sale.Gain();
  if (gain.is_negative() && sale.wash != WashStatus::kClear) return;
  const bool long_term = sale.term == Term::kLong;
  if (gain.is_negative()) {
    (long_term ? realized.long_term_losses : realized.short_term_losses) += gain;
  } else {
    (long_term ? realized.long_term_gains : realized.short_term_gains) += gain;
  }
}

class Builder {
 public:
  Builder(const AccountModel& model, const Controls& controls, const TradeList& trades)
      : model_(model), input_(*model.input), controls_(controls), trades_(trades) {}

  Proposal Build(const std::vector<WashSaleDecision>& decisions) {
    proposal_.account = input_.account;
    proposal_.as_of = input_.as_of;
    proposal_.account_value = model_.value;
    Evaluate();
    AddSells();
    AddBuys();
    Summarize();
    AddWashSaleNotes(decisions);
    proposal_.relaxations = controls_.relaxations;
    if (trades_.cash_shortfall.is_positive()) {
      proposal_.relaxations.push_back(
          {.kind = RelaxationKind::kCashMin,
           .constraint = "cash minimum " + Dollars(input_.cash.min),
           .reason = "rounding to whole shares and trade increments leaves cash " +
                     Dollars(trades_.cash_shortfall) + " below the minimum"});
    }
    proposal_.notes = input_.notes;
    return std::move(proposal_);
  }

 private:
  void Evaluate() {
    const int n = static_cast<int>(model_.securities.size());
    const int lots = static_cast<int>(model_.lots.size());
    Eigen::VectorXd buys(n), sells(lots);
    for (int i = 0; i < n; ++i) buys[i] = trades_.buys[i].ToDouble();
    for (int j = 0; j < lots; ++j) sells[j] = trades_.sells[j].ToDouble();
    before_ =
        optimize::Evaluate(model_.problem, Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(lots));
    after_ = optimize::Evaluate(model_.problem, buys, sells);
  }

  bool HarvestsAnything() const {
    for (const Trade& trade : proposal_.trades) {
      if (trade.reason == TradeReason::kHarvest) return true;
    }
    return false;
  }

  bool NeedsCash() const {
    return input_.cash.withdrawal.is_positive() ||
           input_.cash.balance - input_.cash.withdrawal < input_.cash.min;
  }

  std::string WeightMove(int i) const {
    return "weight " + Percent(before_.weights[i]) + " -> " + Percent(after_.weights[i]) +
           ", target " + Percent(model_.problem.securities[i].target_weight);
  }

  void AddSells() {
    for (size_t i = 0; i < model_.securities.size(); ++i) {
      Trade trade{.symbol = input_.securities[i].symbol,
                  .side = TradeSide::kSell,
                  .price = input_.securities[i].price};
      bool must_sell = false;
      Money harvested_proceeds, harvest_gain, harvest_tax;
      for (int j : model_.lots_of_security[i]) {
        const Shares shares = trades_.sells[j];
        if (shares.is_zero()) continue;
        const RebalanceLot& lot = input_.lots[j];
        const LotFacts& facts = model_.lots[j];
        LotSale sale{.lot_id = lot.id,
                     .acquired = lot.acquired,
                     .holding_period_date = lot.holding_period_date,
                     .shares = shares,
                     .proceeds = Value(shares, trade.price),
                     .basis = lot.basis.Prorate(shares, lot.shares),
                     .term = facts.tax.term,
                     .wash = facts.tax.wash};
        must_sell |= model_.problem.lots[j].must_sell;
        const Money tax = TaxOn(sale.Gain(), facts.tax.rate);
        tax_ += tax;
        if (sale.Gain().is_negative() && facts.tax.rate > 0) {
          harvested_proceeds += sale.proceeds;
          harvest_gain += sale.Gain();
          harvest_tax += tax;
        }
        AddRealized(sale, realized_);
        trade.shares += shares;
        trade.lots.push_back(std::move(sale));
      }
      if (trade.lots.empty()) continue;
      trade.amount = Value(trade.shares, trade.price);
      trade.cost = TradeCost(model_, static_cast<int>(i), trade.shares);
      const int security = static_cast<int>(i);
      if (must_sell) {
        trade.reason = TradeReason::kRestriction;
        trade.why = "screened out (must sell): every lot is sold";
      } else if (model_.problem.securities[i].target_weight == 0) {
        trade.reason = TradeReason::kModelChange;
        trade.why = "not in the targets; " + WeightMove(security);
      } else if (harvested_proceeds + harvested_proceeds >= trade.amount) {
        trade.reason = TradeReason::kHarvest;
        trade.why = "realizes a loss of " + Dollars(-harvest_gain) + " worth " +
                    Dollars(-harvest_tax) + " in tax now; " + WeightMove(security);
      } else if (NeedsCash()) {
        trade.reason = TradeReason::kCash;
        trade.why = "raises cash for the withdrawal and the cash minimum";
      } else {
        trade.reason = TradeReason::kDrift;
        trade.why = WeightMove(security);
      }
      proposal_.trades.push_back(std::move(trade));
    }
  }

  void AddBuys() {
    const bool harvests = HarvestsAnything();
    const bool excess_cash = input_.cash.max && input_.cash.balance > *input_.cash.max;
    for (size_t i = 0; i < model_.securities.size(); ++i) {
      const Shares shares = trades_.buys[i];
      if (shares.is_zero()) continue;
      const int security = static_cast<int>(i);
      Trade trade{.symbol = input_.securities[i].symbol,
                  .side = TradeSide::kBuy,
                  .shares = shares,
                  .price = input_.securities[i].price};
      trade.amount = Value(shares, trade.price);
      trade.cost = TradeCost(model_, security, shares);
      const double target = model_.problem.securities[i].target_weight;
      if (excess_cash) {
        trade.reason = TradeReason::kCash;
        trade.why = "invests cash above its maximum; " + WeightMove(security);
      } else if (harvests && after_.weights[i] > target) {
        trade.reason = TradeReason::kHarvest;
        trade.why = "keeps the market exposure of the harvested names; " + WeightMove(security);
      } else if (!model_.securities[i].held && target > 0) {
        trade.reason = TradeReason::kModelChange;
        trade.why = "in the targets, not held yet; " + WeightMove(security);
      } else {
        trade.reason = TradeReason::kDrift;
        trade.why = WeightMove(security);
      }
      proposal_.trades.push_back(std::move(trade));
    }
  }

  void Summarize() {
    AccountMetrics& before = proposal_.before;
    before.tracking_error = before_.tracking_error;
    before.cash = input_.cash.balance;
    before.realized = input_.realized_this_year;
    before.objective = before_.terms;
    AccountMetrics& after = proposal_.after;
    after.tracking_error = after_.tracking_error;
    after.cash = trades_.cash_after;
    after.realized = input_.realized_this_year;
    after.realized.short_term_gains += realized_.short_term_gains;
    after.realized.short_term_losses += realized_.short_term_losses;
    after.realized.long_term_gains += realized_.long_term_gains;
    after.realized.long_term_losses += realized_.long_term_losses;
    after.tax = tax_;
    for (const Trade& trade : proposal_.trades) after.cost += trade.cost;
    after.objective = after_.terms;
    for (size_t g = 0; g < model_.problem.groups.size(); ++g) {
      proposal_.group_drift.push_back({.name = model_.problem.groups[g].name,
                                       .active_before = before_.group_active[g],
                                       .active_after = after_.group_active[g]});
    }
    CostBenefit& score = proposal_.score;
    score.account_value = model_.value;
    score.dollars.risk = before_.terms.risk - after_.terms.risk;
    score.dollars.tax = before_.terms.tax - after_.terms.tax;
    score.dollars.cost = before_.terms.cost - after_.terms.cost;
    score.dollars.drift = before_.terms.drift - after_.terms.drift;
    score.total_dollars = score.dollars.total();
  }

  // A direction is worth a note only where the proposal trades on its side: a group sold at a
  // loss and not bought, or bought with its loss lots kept.
  void AddWashSaleNotes(const std::vector<WashSaleDecision>& decisions) {
    std::vector<bool> buys(model_.wash_groups.size(), false),
        loss_sales(model_.wash_groups.size(), false);
    for (size_t i = 0; i < model_.securities.size(); ++i) {
      if (trades_.buys[i].is_positive()) buys[model_.securities[i].wash_group] = true;
    }
    for (size_t j = 0; j < model_.lots.size(); ++j) {
      if (model_.lots[j].reportable_loss && trades_.sells[j].is_positive()) {
        loss_sales[model_.securities[model_.problem.lots[j].security].wash_group] = true;
      }
    }
    std::set<int> decided;
    for (const WashSaleDecision& decision : decisions) {
      const int g = decision.group;
      const Direction direction = controls_.directions[g];
      if (!decided.insert(g).second) continue;
      const bool sells = direction == Direction::kSell && loss_sales[g];
      const bool keeps = direction == Direction::kBuy && buys[g];
      if (!sells && !keeps) continue;
      proposal_.wash_sales.push_back(
          {.group = model_.wash_groups[g],
           .direction = direction,
           .why = std::string(sells ? "sold at a loss and not bought back"
                                    : "bought, so its loss lots are kept") +
                  " (without the rule the optimizer would buy " + Dollars(decision.relaxed_buys) +
                  " and sell " + Dollars(decision.relaxed_loss_sales) + " at a loss)"});
    }
    for (size_t i = 0; i < model_.securities.size(); ++i) {
      const RecentLossSale* sale = model_.securities[i].blocking_sale;
      if (sale == nullptr) continue;
      proposal_.wash_sales.push_back(
          {.group = input_.securities[i].wash_sale_group,
           .direction = Direction::kSell,
           .why = "no buys of " + input_.securities[i].symbol + " before " +
                  sale->sold.AddDays(kWashSaleWindowDays + 1).ToString() + ": loss sale of " +
                  sale->symbol + " on " + sale->sold.ToString() + " in " + sale->account});
    }
    std::map<std::string, const LotFacts*> washed;  // by symbol: one note per security
    for (size_t j = 0; j < model_.lots.size(); ++j) {
      if (model_.lots[j].tax.wash != WashStatus::kClear)
        washed.emplace(input_.lots[j].symbol, &model_.lots[j]);
    }
    for (const auto& [symbol, facts] : washed) {
      const RecentPurchase& purchase = *facts->tax.washing_purchase;
      const bool permanent = facts->tax.wash == WashStatus::kPermanent;
      proposal_.wash_sales.push_back(
          {.group = purchase.wash_sale_group,
           .direction = Direction::kFree,
           .why = "loss lots of " + symbol + " carry no tax benefit before " +
                  purchase.acquired.AddDays(kWashSaleWindowDays + 1).ToString() + ": purchase of " +
                  purchase.symbol + " on " + purchase.acquired.ToString() + " in " +
                  purchase.account +
                  (permanent ? " (tax-deferred: the loss would be lost for good, so they are kept)"
                             : "")});
    }
  }

  const AccountModel& model_;
  const RebalanceInput& input_;
  const Controls& controls_;
  const TradeList& trades_;
  optimize::Evaluation before_, after_;
  RealizedGains realized_;
  Money tax_;
  Proposal proposal_;
};

}  // namespace

std::string_view ToString(TradeSide side) { return side == TradeSide::kBuy ? "buy" : "sell"; }

std::string_view ToString(TradeReason reason) {
  switch (reason) {
    case TradeReason::kHarvest:
      return "harvest";
    case TradeReason::kDrift:
      return "drift";
    case TradeReason::kRestriction:
      return "restriction";
    case TradeReason::kCash:
      return "cash";
    case TradeReason::kModelChange:
      return "model_change";
  }
  return "drift";
}

Proposal BuildProposal(const AccountModel& model, const Controls& controls,
                       const std::vector<WashSaleDecision>& decisions, const TradeList& trades) {
  return Builder(model, controls, trades).Build(decisions);
}

}  // namespace arbor::review
