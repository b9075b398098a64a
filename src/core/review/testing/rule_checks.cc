#include "core/review/testing/rule_checks.h"

#include <algorithm>
#include <map>
#include <set>

namespace arbor::review::testing {
namespace {

constexpr int kWindowDays = 30;  // IRS Pub. 550, "Wash Sales"

bool InWindow(Date date, Date as_of) { return date <= as_of && as_of - date <= kWindowDays; }

bool Relaxed(const Proposal& proposal, RelaxationKind kind) {
  return std::any_of(proposal.relaxations.begin(), proposal.relaxations.end(),
                     [kind](const Relaxation& r) { return r.kind == kind; });
}

class Checker {
 public:
  Checker(const RebalanceInput& input, const Proposal& proposal)
      : input_(input), proposal_(proposal) {
    for (const RebalanceSecurity& security : input.securities)
      securities_[security.symbol] = &security;
    for (const RebalanceLot& lot : input.lots) lots_[lot.symbol].push_back(&lot);
  }

  std::vector<std::string> Run() {
    Money cash = input_.cash.balance - input_.cash.withdrawal;
    std::set<std::string> groups_bought, groups_sold_at_loss;
    for (const Trade& trade : proposal_.trades) {
      const RebalanceSecurity* security = securities_[trade.symbol];
      if (security == nullptr) {
        Fail("trade of unknown symbol " + trade.symbol);
        continue;
      }
      CheckCommon(trade, *security);
      if (trade.side == TradeSide::kBuy) {
        cash -= trade.amount + trade.cost;
        groups_bought.insert(security->wash_sale_group);
        CheckBuy(trade, *security);
      } else {
        cash += trade.amount - trade.cost;
        if (CheckSell(trade, *security)) groups_sold_at_loss.insert(security->wash_sale_group);
      }
    }
    CheckMustSell();
    if (!input_.tax_deferred) {
      for (const std::string& group : groups_bought) {
        if (groups_sold_at_loss.contains(group)) {
          Fail("wash-sale group " + group + " is bought and sold at a loss in one proposal");
        }
      }
    }
    if (cash < input_.cash.min && !Relaxed(proposal_, RelaxationKind::kCashMin)) {
      Fail("cash after " + cash.ToString(2) + " is below the minimum " +
           input_.cash.min.ToString(2));
    }
    return std::move(violations_);
  }

 private:
  void Fail(std::string what) { violations_.push_back(std::move(what)); }

  Shares IncrementOf(const RebalanceSecurity& security) const {
    return security.fractional ? input_.fractional_increment : Shares::Units(1);
  }

  void CheckCommon(const Trade& trade, const RebalanceSecurity& security) {
    if (!trade.shares.is_positive()) Fail(trade.symbol + ": a trade of no shares");
    if (trade.price != security.price) Fail(trade.symbol + ": traded at another price");
    const bool must_sell = security.restriction == Restriction::kMustSell;
    if (trade.amount < input_.min_trade && !must_sell) {
      Fail(trade.symbol + ": order of " + trade.amount.ToString(2) + " below the minimum trade");
    }
  }

  void CheckBuy(const Trade& trade, const RebalanceSecurity& security) {
    if (trade.shares.micros() % IncrementOf(security).micros() != 0) {
      Fail(trade.symbol + ": buy of " + trade.shares.ToShortString() + " shares off the increment");
    }
    if (security.restriction != Restriction::kNone &&
        security.restriction != Restriction::kNoSell) {
      Fail(trade.symbol + ": bought despite restriction " +
           std::string(ToString(security.restriction)));
    }
    for (const RecentLossSale& sale : input_.recent_loss_sales) {
      if (sale.wash_sale_group == security.wash_sale_group && InWindow(sale.sold, input_.as_of)) {
        Fail(trade.symbol + ": bought within 30 days after the loss sale of " + sale.symbol +
             " on " + sale.sold.ToString());
      }
    }
  }

  // True if the sale realizes a loss.
  bool CheckSell(const Trade& trade, const RebalanceSecurity& security) {
    const bool lifted = Relaxed(proposal_, RelaxationKind::kSellRestrictions);
    const bool restricted =
        security.restriction == Restriction::kNoSell || security.restriction == Restriction::kHold;
    if (restricted && !lifted) Fail(trade.symbol + ": sold despite restriction");
    std::vector<const RebalanceLot*>& lots = lots_[trade.symbol];
    std::map<std::string, size_t> next_sub_lot;
    Shares total;
    bool loss = false;
    for (const LotSale& sale : trade.lots) {
      // The k-th sale of a label is its k-th sub-lot in relief order.
      size_t& skip = next_sub_lot[sale.lot_id];
      const RebalanceLot* lot = nullptr;
      size_t seen = 0;
      for (const RebalanceLot* candidate : lots) {
        if (candidate->id == sale.lot_id && seen++ == skip) lot = candidate;
      }
      ++skip;
      if (lot == nullptr) {
        Fail(trade.symbol + ": sells unknown lot " + sale.lot_id);
        continue;
      }
      total += sale.shares;
      if (sale.shares > lot->shares)
        Fail(trade.symbol + " " + sale.lot_id + ": sells more than held");
      if (sale.shares != lot->shares &&
          sale.shares.micros() % IncrementOf(security).micros() != 0) {
        Fail(trade.symbol + " " + sale.lot_id + ": partial sale off the increment");
      }
      const Money basis = lot->basis.Prorate(sale.shares, lot->shares);
      if (sale.basis != basis) Fail(trade.symbol + " " + sale.lot_id + ": basis misstated");
      if (Value(sale.shares, security.price) < basis) {
        loss = true;
        CheckLossNotLostForGood(*lot, security, lifted);
      }
      sold_[&*lot] += sale.shares;
    }
    if (total != trade.shares) Fail(trade.symbol + ": lot shares do not add up to the order");
    return loss;
  }

  void CheckLossNotLostForGood(const RebalanceLot& lot, const RebalanceSecurity& security,
                               bool lifted) {
    if (input_.tax_deferred || lifted) return;
    for (const RecentPurchase& purchase : input_.recent_purchases) {
      const bool own = purchase.account == input_.account && purchase.symbol == lot.symbol &&
                       purchase.lot_id == lot.id;
      if (purchase.tax_deferred && !own && purchase.wash_sale_group == security.wash_sale_group &&
          InWindow(purchase.acquired, input_.as_of)) {
        Fail(lot.symbol + " " + lot.id + ": loss sold although " + purchase.account +
             " bought the group on " + purchase.acquired.ToString() + " (lost for good)");
      }
    }
  }

  void CheckMustSell() {
    for (const RebalanceLot& lot : input_.lots) {
      if (securities_[lot.symbol]->restriction != Restriction::kMustSell) continue;
      if (sold_[&lot] != lot.shares)
        Fail(lot.symbol + " " + lot.id + ": must-sell lot not sold in full");
    }
  }

  const RebalanceInput& input_;
  const Proposal& proposal_;
  std::map<std::string, const RebalanceSecurity*> securities_;
  std::map<std::string, std::vector<const RebalanceLot*>> lots_;
  std::map<const RebalanceLot*, Shares> sold_;
  std::vector<std::string> violations_;
};

}  // namespace

std::vector<std::string> RuleViolations(const RebalanceInput& input, const Proposal& proposal) {
  return Checker(input, proposal).Run();
}

}  // namespace arbor::review::testing
