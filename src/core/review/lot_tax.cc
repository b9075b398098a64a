#include "core/review/lot_tax.h"

#include "core/ledger/wash_sale.h"

namespace arbor::review {
namespace {

// Pub. 550: the window runs 30 days before and after a loss sale, both ends included, as in the
// ledger's matcher ([sale_date - 30, sale_date] for replacements bought before the sale).
bool InWindow(Date date, Date as_of) {
  return date <= as_of && as_of - date <= kWashSaleWindowDays;
}

}  // namespace

std::string_view ToString(WashStatus status) {
  switch (status) {
    case WashStatus::kClear:
      return "clear";
    case WashStatus::kDeferred:
      return "deferred";
    case WashStatus::kPermanent:
      return "permanent";
  }
  return "clear";
}

WashWindow::WashWindow(const RebalanceInput& input) : account_(input.account) {
  for (const RecentLossSale& sale : input.recent_loss_sales) {
    if (!InWindow(sale.sold, input.as_of)) continue;
    const RecentLossSale*& latest = latest_loss_sale_[sale.wash_sale_group];
    if (latest == nullptr || sale.sold > latest->sold) latest = &sale;
  }
  for (const RecentPurchase& purchase : input.recent_purchases) {
    if (InWindow(purchase.acquired, input.as_of)) {
      purchases_[purchase.wash_sale_group].push_back(&purchase);
    }
  }
}

const RecentLossSale* WashWindow::BuyBlocker(const std::string& wash_sale_group) const {
  auto it = latest_loss_sale_.find(wash_sale_group);
  return it == latest_loss_sale_.end() ? nullptr : it->second;
}

const RecentPurchase* WashWindow::WashingPurchase(const RebalanceLot& lot,
                                                  const std::string& wash_sale_group) const {
  auto it = purchases_.find(wash_sale_group);
  if (it == purchases_.end()) return nullptr;
  const RecentPurchase* found = nullptr;
  for (const RecentPurchase* purchase : it->second) {
    const bool same_purchase = purchase->account == account_ && purchase->symbol == lot.symbol &&
                               purchase->lot_id == lot.id;
    if (same_purchase) continue;
    if (found == nullptr || (purchase->tax_deferred && !found->tax_deferred)) found = purchase;
  }
  return found;
}

LotTax ClassifyLot(const RebalanceInput& input, const RebalanceLot& lot, Price price, double selling_cost_rate,
                   const std::string& wash_sale_group, const WashWindow& window) {
  LotTax tax;
  tax.term = TermOf(lot.holding_period_date, input.as_of);
  const Money proceeds = Value(lot.shares, price);
  tax.loss = proceeds - Money::FromDouble(selling_cost_rate * proceeds.ToDouble()) < lot.basis;
  if (input.tax_deferred) return tax;  // nothing reportable: r_j = 0, no wash sale of its own
  if (tax.loss) {
    tax.washing_purchase = window.WashingPurchase(lot, wash_sale_group);
    if (tax.washing_purchase != nullptr) {
      tax.wash =
          tax.washing_purchase->tax_deferred ? WashStatus::kPermanent : WashStatus::kDeferred;
      return tax;  // the loss is worth nothing now: r_j = 0
    }
  }
  tax.rate = tax.term == Term::kLong ? input.tax_rates.LongTerm() : input.tax_rates.ShortTerm();
  return tax;
}

}  // namespace arbor::review
