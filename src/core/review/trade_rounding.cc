#include "core/review/trade_rounding.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

namespace arbor::review {
namespace {

Shares Units(Shares increment, int64_t count) {
  return Shares::FromMicros(increment.micros() * count);
}

// The nearest of {0, 1, ..., floor(lot / increment)} increments and the whole lot to `shares`.
Shares NearestLotSale(double shares, Shares lot, Shares increment) {
  const int64_t most = lot.micros() / increment.micros();
  const int64_t count = std::clamp<int64_t>(std::llround(shares / increment.ToDouble()), 0, most);
  const Shares units = Units(increment, count);
  return std::abs(shares - lot.ToDouble()) < std::abs(shares - units.ToDouble()) ? lot : units;
}

class Rounder {
 public:
  Rounder(const AccountModel& model, const optimize::Problem& problem)
      : model_(model), problem_(problem), input_(*model.input) {
    trades_.buys.assign(model.securities.size(), Shares());
    trades_.sells.assign(model.lots.size(), Shares());
  }

  TradeList Run(const Eigen::VectorXd& buys, const Eigen::VectorXd& sells) {
    RoundSells(sells);
    RelieveInLedgerOrder();
    DropSmallSellOrders();
    RoundBuys(buys);
    DropConflictingBuys();
    const Money minimum = std::max(Money(), Money::FromDouble(problem_.cash.min.value_or(0)));
    RestoreCashMinimum(buys, minimum);
    trades_.cash_after = CashAfter();
    trades_.cash_shortfall = std::max(Money(), minimum - trades_.cash_after);
    return trades_;
  }

 private:
  Price PriceOf(int security) const { return input_.securities[security].price; }
  Shares Increment(int security) const { return model_.securities[security].increment; }

  void RoundSells(const Eigen::VectorXd& sells) {
    for (size_t j = 0; j < model_.lots.size(); ++j) {
      const optimize::LotInput& lot = problem_.lots[j];
      const Shares held = input_.lots[j].shares;
      if (lot.must_sell) {
        trades_.sells[j] = held;
      } else if (lot.sellable) {
        trades_.sells[j] = NearestLotSale(sells[j], held, Increment(lot.security));
      }
    }
  }

  // A sale "versus" a label relieves its sub-lots oldest first (the ledger's rule), so the
  // shares sold of one label are moved to its sub-lots in that order, stopping at a sub-lot that
  // may not be sold.
  void RelieveInLedgerOrder() {
    for (size_t i = 0; i < model_.securities.size(); ++i) {
      std::map<std::string_view, std::vector<int>> sub_lots;
      for (int j : model_.lots_of_security[i]) sub_lots[input_.lots[j].id].push_back(j);
      for (const auto& [label, lots] : sub_lots) {
        if (lots.size() < 2) continue;
        Shares total;
        for (int j : lots) total += trades_.sells[j];
        for (int j : lots) {
          const optimize::LotInput& lot = problem_.lots[j];
          if (!lot.sellable && !lot.must_sell) total = Shares();
          trades_.sells[j] = std::min(total, input_.lots[j].shares);
          total -= trades_.sells[j];
        }
      }
    }
  }

  void DropSmallSellOrders() {
    for (size_t i = 0; i < model_.securities.size(); ++i) {
      Shares optional;
      for (int j : model_.lots_of_security[i]) {
        if (!problem_.lots[j].must_sell) optional += trades_.sells[j];
      }
      if (optional.is_zero() || Value(optional, PriceOf(i)) >= input_.min_trade) continue;
      for (int j : model_.lots_of_security[i]) {
        if (!problem_.lots[j].must_sell) trades_.sells[j] = Shares();
      }
    }
  }

  void RoundBuys(const Eigen::VectorXd& buys) {
    rounded_up_.assign(model_.securities.size(), false);
    for (size_t i = 0; i < model_.securities.size(); ++i) {
      if (!problem_.securities[i].may_buy) continue;
      const Shares increment = Increment(i);
      const Shares rounded =
          Units(increment, std::max<int64_t>(0, std::llround(buys[i] / increment.ToDouble())));
      if (rounded.is_zero() || Value(rounded, PriceOf(i)) < input_.min_trade) continue;
      trades_.buys[i] = rounded;
      rounded_up_[i] = rounded.ToDouble() > buys[i];
    }
  }

  void DropConflictingBuys() {
    std::vector<bool> sells_loss(model_.wash_groups.size(), false);
    for (size_t j = 0; j < model_.lots.size(); ++j) {
      if (model_.lots[j].reportable_loss && trades_.sells[j].is_positive()) {
        sells_loss[model_.securities[problem_.lots[j].security].wash_group] = true;
      }
    }
    for (size_t i = 0; i < model_.securities.size(); ++i) {
      if (sells_loss[model_.securities[i].wash_group]) trades_.buys[i] = Shares();
    }
  }

  Money CashAfter() const {
    Money cash = input_.cash.balance - input_.cash.withdrawal;
    for (size_t i = 0; i < model_.securities.size(); ++i) {
      Shares sold;
      for (int j : model_.lots_of_security[i]) sold += trades_.sells[j];
      const Shares bought = trades_.buys[i];
      // Costs per order, as the proposal states them.
      cash += Value(sold, PriceOf(i)) - Value(bought, PriceOf(i)) -
              TradeCost(model_, static_cast<int>(i), sold) -
              TradeCost(model_, static_cast<int>(i), bought);
    }
    return cash;
  }

  // The buy to shrink next: one that was rounded up, else the largest; -1 when none is left.
  int NextBuyToShrink() const {
    int best = -1;
    for (size_t i = 0; i < trades_.buys.size(); ++i) {
      if (trades_.buys[i].is_zero()) continue;
      if (best < 0 ||
          std::make_pair(rounded_up_[i], Value(trades_.buys[i], PriceOf(i))) >
              std::make_pair(rounded_up_[best], Value(trades_.buys[best], PriceOf(best)))) {
        best = static_cast<int>(i);
      }
    }
    return best;
  }

  // Increments of security i worth at least `dollars` with their trading cost.
  int64_t IncrementsFor(int security, double dollars) const {
    const double unit = Increment(security).ToDouble() * PriceOf(security).ToDouble() *
                        (1 - problem_.securities[security].cost_rate);
    return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(dollars / unit)));
  }

  void RestoreCashMinimum(const Eigen::VectorXd& buys, Money minimum) {
    for (Money cash = CashAfter(); cash < minimum; cash = CashAfter()) {
      const int i = NextBuyToShrink();
      if (i < 0) break;
      const Shares increment = Increment(i);
      const int64_t held = trades_.buys[i].micros() / increment.micros();
      const int64_t take = std::min(held, IncrementsFor(i, (minimum - cash).ToDouble()));
      Shares& buy = trades_.buys[i];
      buy = Units(increment, held - take);
      if (buy.is_positive() && Value(buy, PriceOf(i)) < input_.min_trade) buy = Shares();
      rounded_up_[i] = rounded_up_[i] && buy.ToDouble() > buys[i];
    }
    // Still short: grow partial lot sales (only lots the solution already sells, so no
    // direction changes) to their next increment or the whole lot.
    Money cash = CashAfter();
    for (size_t j = 0; j < model_.lots.size() && cash < minimum; ++j) {
      Shares& sold = trades_.sells[j];
      const Shares held = input_.lots[j].shares;
      if (sold.is_zero() || sold == held) continue;
      const int security = problem_.lots[j].security;
      const Shares more =
          Units(Increment(security), IncrementsFor(security, (minimum - cash).ToDouble()));
      sold = std::min(held, sold + more);
      cash = CashAfter();
    }
    if (cash < minimum) SellMoreForCash(minimum);
  }

  // The tax a sale of lot j costs per dollar it raises: negative for a loss (a deduction).
  double TaxPerDollar(int j) const {
    const optimize::LotInput& lot = problem_.lots[j];
    const double price = problem_.securities[lot.security].price;
    return lot.tax_rate * (price - lot.cost_basis_per_share) / price;
  }

  bool GroupBuys(int group) const {
    for (int i : model_.wash_group_members[group]) {
      if (trades_.buys[i].is_positive()) return true;
    }
    return false;
  }

  // Lots the solution did not sell, or not whole, are sold for the cash still missing: a cash
  // need comes before the minimum trade (which only sizes the sale) but never before the
  // restrictions and wash-sale directions the problem encodes, nor the wash-sale rule itself.
  void SellMoreForCash(Money minimum) {
    std::vector<int> order;
    for (size_t j = 0; j < model_.lots.size(); ++j) {
      if (problem_.lots[j].sellable && trades_.sells[j] < input_.lots[j].shares) {
        order.push_back(static_cast<int>(j));
      }
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return TaxPerDollar(a) < TaxPerDollar(b); });
    Money cash = CashAfter();
    for (int j : order) {
      if (cash >= minimum) break;
      const int i = problem_.lots[j].security;
      if (model_.lots[j].reportable_loss && GroupBuys(model_.securities[i].wash_group)) continue;
      Shares sold_of_security;
      for (int k : model_.lots_of_security[i]) sold_of_security += trades_.sells[k];
      const double unit = Increment(i).ToDouble() * PriceOf(i).ToDouble();
      const double below_min_trade =
          (input_.min_trade - Value(sold_of_security, PriceOf(i))).ToDouble();
      const Shares more =
          Units(Increment(i), std::max(IncrementsFor(i, (minimum - cash).ToDouble()),
                                       static_cast<int64_t>(std::ceil(below_min_trade / unit))));
      Shares& sold = trades_.sells[j];
      const Shares before = sold;
      sold = std::min(input_.lots[j].shares, sold + more);
      if (Value(sold_of_security - before + sold, PriceOf(i)) < input_.min_trade) {
        sold = before;  // too small an order even with the whole lot
        continue;
      }
      cash = CashAfter();
    }
    RelieveInLedgerOrder();
    DropConflictingBuys();
  }

  const AccountModel& model_;
  const optimize::Problem& problem_;
  const RebalanceInput& input_;
  TradeList trades_;
  std::vector<bool> rounded_up_;
};

}  // namespace

Money TradeCost(const AccountModel& model, int security, Shares shares) {
  const double rate = model.problem.securities[security].cost_rate;
  return Money::FromDouble(rate *
                           Value(shares, model.input->securities[security].price).ToDouble());
}

TradeList RoundTrades(const AccountModel& model, const optimize::Problem& problem,
                      const Eigen::VectorXd& buys, const Eigen::VectorXd& sells) {
  return Rounder(model, problem).Run(buys, sells);
}

}  // namespace arbor::review
