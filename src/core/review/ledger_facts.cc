#include "core/review/ledger_facts.h"

#include "core/ledger/wash_sale.h"

namespace arbor::review {
namespace {

bool InWindow(Date date, Date as_of) {
  return date <= as_of && as_of - date <= kWashSaleWindowDays;
}

void AddRealized(const Realization& realization, RealizedGains& realized) {
  const Money gain = realization.Gain();
  const bool long_term = realization.term() == Term::kLong;
  if (gain.is_negative()) {
    (long_term ? realized.long_term_losses : realized.short_term_losses) += gain;
  } else {
    (long_term ? realized.long_term_gains : realized.short_term_gains) += gain;
  }
}

}  // namespace

RebalanceLot ToRebalanceLot(const OpenLot& open) {
  const Lot& lot = open.lot;
  return {.id = lot.lot_id,
          .symbol = open.symbol,
          .shares = lot.shares,
          .basis = lot.basis,
          .acquired = lot.acquired,
          .holding_period_date = lot.holding_period_date};
}

Result<LedgerFacts> ReadLedgerFacts(const Ledger& ledger, const SecurityMaster& master,
                                    const std::string& account, Date as_of) {
  const Account* info = ledger.FindAccount(account);
  if (info == nullptr) return Status::NotFound("account '" + account + "' is not in the ledger");
  LedgerFacts facts;
  facts.tax_deferred = IsTaxDeferred(info->type);
  Result<Money> cash = ledger.Cash(account);
  if (!cash.ok()) return cash.status();
  facts.cash = *cash;

  for (const OpenLot& open : ledger.OpenLots()) {
    const Lot& lot = open.lot;
    if (open.account == account) {
      facts.lots.push_back(ToRebalanceLot(open));
    }
    if (lot.acquired_by_purchase && !lot.absorbed_wash_loss && InWindow(lot.acquired, as_of)) {
      const Account* owner = ledger.FindAccount(open.account);
      facts.recent_purchases.push_back(
          {.wash_sale_group = master.WashSaleGroupOf(open.symbol),
           .account = open.account,
           .symbol = open.symbol,
           .lot_id = lot.lot_id,
           .acquired = lot.acquired,
           .tax_deferred = owner != nullptr && IsTaxDeferred(owner->type)});
    }
  }
  for (const Realization& realization : ledger.realized()) {
    if (realization.sell_date > as_of) continue;
    if (realization.reportable && realization.GainBeforeWash().is_negative() &&
        InWindow(realization.sell_date, as_of)) {
      facts.recent_loss_sales.push_back(
          {.wash_sale_group = master.WashSaleGroupOf(realization.symbol),
           .account = realization.account,
           .symbol = realization.symbol,
           .sold = realization.sell_date});
    }
    if (realization.account == account && realization.reportable &&
        realization.sell_date.year() == as_of.year()) {
      AddRealized(realization, facts.realized_this_year);
    }
  }
  return facts;
}

}  // namespace arbor::review
